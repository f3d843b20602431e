// The route table. Every route names the Permission it needs; a route cannot be added without
// one, and a permission granted to no role denies everyone (domain/access.h).
//
// A handler answers a Result<Response>: its Response, or the Status that stopped it (a bad
// parameter or body, a refusal of the use case). RunHandler turns that Status into the error
// response once (error.cc), so handlers only parse, call and render, using KC_ASSIGN_OR_RETURN
// and KC_RETURN_IF_ERROR (base/status.h) and never building an error response themselves.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/domain/access.h"
#include "kclinic/http/message.h"

namespace kclinic::http {

struct RouteContext;
using Handler = std::function<Result<Response>(RouteContext&)>;

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

// Runs `route`'s handler: its Response, or ErrorResponse (error.cc) of the Status it returned.
// The one place a handler's error becomes an HTTP answer.
Response RunHandler(const Route& route, RouteContext& ctx);

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
