#include "kclinic/http/error.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace kclinic::http {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kAborted:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 412;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(int http_status, std::string_view code, std::string message,
                       std::string field) {
  nlohmann::json error = {{"code", code}, {"message", std::move(message)}};
  if (!field.empty()) error["field"] = std::move(field);
  Response r;
  r.status = http_status;
  r.body = nlohmann::json{{"error", std::move(error)}}.dump();
  return r;
}

Response ErrorResponse(const Status& status) {
  if (status.code() == StatusCode::kInternal) {
    // The operation that failed ("read patient"), not the driver's text, which may quote data.
    std::string_view what = status.message();
    what = what.substr(0, what.find(':'));
    spdlog::error(R"("msg":"internal error","operation":{})", nlohmann::json(what).dump());
    return ErrorResponse(500, "internal", "internal error; the server log has the details");
  }
  Response r = ErrorResponse(HttpStatusFor(status.code()), StatusCodeName(status.code()),
                             status.message(), status.field());
  if (status.code() == StatusCode::kUnavailable) r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace kclinic::http
