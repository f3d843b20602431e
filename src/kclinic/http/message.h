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
  // The client connected from this machine (127.0.0.0/8 or ::1); set by the server.
  bool from_loopback = false;
  // The client's address as text ("192.0.2.7"), for holding back repeated failed logins from one
  // place (app/login_throttle.h); set by the server, empty in tests that build a Request.
  std::string source_address;

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

// RFC 9112's framing rules that Beast's parser is lenient about, checked by the server so that no
// request can be read two ways (request smuggling, §11.2). Each returns the reason a request is
// refused with 400 and its connection closed, or "" when it may be served.
//
// `head`: the header section as received, from the request line up to (not including) the empty
// line. Refuses obs-fold, a header line that starts with a space or a tab (§5.2: a server must
// reject it or unfold it; Beast unfolds it, a proxy in front may not).
std::string HeaderSectionProblem(std::string_view head);
// `transfer_encoding`: the Transfer-Encoding field's values joined with ", " (empty: absent);
// `hosts`: how many Host fields; `version`: 10 or 11. Refuses a Transfer-Encoding whose final
// coding is not chunked (§6.3: the body's length cannot be known, so whatever follows would be
// read as the next request), a transfer coding other than chunked (we decode none), and a missing
// (HTTP/1.1) or repeated Host (§3.2).
std::string FramingProblem(std::string_view transfer_encoding, int hosts, unsigned version);

// True when a Content-Type names JSON: the media type "application/json", case-insensitive, with
// any parameters after ';' (RFC 9110 §8.3.1): not "application/jsonx".
bool IsJsonMediaType(std::string_view content_type);

// Splits `target` into path and query, percent-decoding both. Sets query_error on a malformed
// escape or a repeated key.
void ParseTarget(Request& request);

}  // namespace kclinic::http
