// The HTTP layer's own request and response values, independent of Beast, so that routing and
// handlers can be tested without sockets.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kclinic::http {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // as sent, with the query string
  std::string path;                            // percent-decoded path without the query string
  std::map<std::string, std::string> query;    // percent-decoded; a repeated key is an error
  std::string query_error;                     // set when the query string could not be parsed
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;

  // The header's value, or "".
  const std::string& Header(const std::string& lowercase_name) const;
  // The value of cookie `name`, or "".
  std::string Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // The matched route's pattern, for logs and metrics (never the raw path); empty when none.
  std::string_view route;
};

// Splits `target` into path and query, percent-decoding both. Sets query_error on a malformed
// escape or a repeated key.
void ParseTarget(Request& request);

}  // namespace kclinic::http
