// The route table. Every route names the Permission it needs; a route cannot be added without
// one, and a permission granted to no role denies everyone (domain/access.h).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kclinic/domain/access.h"
#include "kclinic/http/message.h"

namespace kclinic::http {

struct RouteContext;
using Handler = std::function<Response(RouteContext&)>;

struct Route {
  std::string method;   // "GET", "POST", "PATCH"
  std::string pattern;  // "/api/v1/patients/{id}"
  domain::Permission permission;
  Handler handler;
  // Worth trying on the event loop first (Api::HandleWithoutBlocking): a hot read that is often
  // answered from memory. Any route may be marked; one that needs the database is run again on a
  // worker, so marking costs only the attempt.
  bool try_on_loop = false;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method
  std::map<std::string, std::string> params;
  bool path_known = false;  // some route has this path (so a miss is 405, not 404)
  std::string allow;        // the methods the path accepts, for a 405's Allow header
};

class Router {
 public:
  void Add(Route route);
  RouteMatch Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // each route's pattern, split once at Add
  // Route indexes by their number of segments, in table order: a path is only compared with the
  // routes of its own length (a tenth of the table for most paths).
  std::map<size_t, std::vector<size_t>> by_length_;
};

}  // namespace kclinic::http
