// Internal to http/: small helpers the route files share (api.cc and every api_*.cc).
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/base/strong_id.h"
#include "kclinic/codec/enum_json.h"
#include "kclinic/domain/patient.h"
#include "kclinic/domain/plausibility.h"
#include "kclinic/http/api.h"
#include "kclinic/http/message.h"

namespace kclinic::http {

Response JsonResponse(int status, const nlohmann::json& body);
Response OrderedJsonResponse(int status, const nlohmann::ordered_json& body);
Response JsonText(int status, std::string body);
// 409 confirmation_required: nothing was stored; `warnings` say what to check before the request
// is sent again with "confirm": true (a duplicate's warning lists `duplicates`).
Response ConfirmationRequired(const std::vector<domain::PlausibilityWarning>& warnings,
                              const std::vector<domain::Patient>& duplicates);
// Checks that only `allowed` query parameters are present (field: the unknown parameter).
Status CheckQuery(const Request& r, std::initializer_list<std::string_view> allowed);
// A whole-number query parameter within [lo, hi], or `fallback` when absent.
Result<int> IntParam(const Request& r, const std::string& key, int fallback, int lo, int hi);
// The {id} path parameter as a patient id (field "id").
Result<PatientId> PatientIdParam(const RouteContext& ctx);
// A well-formed 32-hex-digit id from the path parameter `name` (field `name`).
Result<std::string> IdParam(const RouteContext& ctx, const std::string& name);
// The JSON object body of a state-changing request.
Result<nlohmann::json> Body(const Request& r);

// A timestamp as the API writes it (UTC, base/clock.h), or null.
inline nlohmann::json Ts(Timestamp t) { return FormatTimestamp(t); }
inline nlohmann::json TsOrNull(const std::optional<Timestamp>& t) {
  return t ? nlohmann::json(FormatTimestamp(*t)) : nlohmann::json(nullptr);
}
// An optional value, or null.
template <typename T>
nlohmann::json Opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
// "Given Family".
inline std::string FullName(const domain::PersonName& n) { return n.given + " " + n.family; }

}  // namespace kclinic::http
