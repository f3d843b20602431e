// The one place where a Status becomes an HTTP status and a JSON error body (userver; STYLE.md).
#pragma once

#include "kclinic/base/status.h"
#include "kclinic/http/message.h"

namespace kclinic::http {

// The HTTP status for a Status code: 400, 401, 403, 404, 409, 412, 429, 503 or 500.
int HttpStatusFor(StatusCode code);

// {"error": {"code": "...", "message": "...", "field": "..."}} with the mapped status.
// Internal errors answer only "internal error": their message is for the log, not the caller.
Response ErrorResponse(const Status& status);

// An error response with an explicit HTTP status (404 route, 405 method, 413 body).
Response ErrorResponse(int http_status, std::string_view code, std::string message,
                       std::string field = {});

}  // namespace kclinic::http
