#include "kclinic/codec/care_request.h"

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

namespace {

using nlohmann::json;

// An optional timestamp member (field `key`), removed from `body` once read, so that the rest
// can be read by a decoder that knows nothing of it (AnswersFromJson).
Result<std::optional<Timestamp>> TakeTimestamp(json& body, const std::string& key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (it != body.end()) body.erase(it);
    return std::optional<Timestamp>();
  }
  if (!it->is_string()) return InvalidArgument(key, "must be a timestamp string");
  auto t = ParseTimestamp(it->get<std::string>());
  if (!t) return InvalidArgument(key, "must be a UTC timestamp like 2026-11-21T09:00:00.000000Z");
  body.erase(it);
  return std::optional<Timestamp>(*t);
}

}  // namespace

Result<AssessmentRequest> DecodeAssessmentRequest(const json& body) {
  json rest = body;
  AssessmentRequest r;
  KC_ASSIGN_OR_RETURN(r.administered_at, TakeTimestamp(rest, "administered_at"));
  if (auto it = rest.find("backdate_reason"); it != rest.end()) {
    if (!it->is_string()) return InvalidArgument("backdate_reason", "must be a string");
    r.backdate_reason = it->get<std::string>();
    rest.erase(it);
  }
  KC_ASSIGN_OR_RETURN(r.answers, AnswersFromJson(rest));
  return r;
}

Result<CourseStartRequest> DecodeCourseStartRequest(const json& body) {
  json rest = body;
  CourseStartRequest r;
  KC_ASSIGN_OR_RETURN(r.started_at, TakeTimestamp(rest, "started_at"));
  ObjectReader reader(rest, "");
  KC_ASSIGN_OR_RETURN(auto kind, reader.String("kind"));
  KC_ASSIGN_OR_RETURN(auto phase, reader.String("phase"));
  KC_ASSIGN_OR_RETURN(r.primary_clinician, reader.RequiredString("primary_clinician"));
  KC_RETURN_IF_ERROR(reader.Finish());
  r.kind = kind.value_or("iv_ketamine");
  r.phase = phase.value_or("induction");
  return r;
}

Result<CourseSessionRequest> DecodeCourseSessionRequest(const json& body) {
  json rest = body;
  KC_ASSIGN_OR_RETURN(auto at, TakeTimestamp(rest, "at"));
  if (!at) return InvalidArgument("at", "is required");
  ObjectReader reader(rest, "");
  KC_ASSIGN_OR_RETURN(auto status, reader.String("status"));
  KC_RETURN_IF_ERROR(reader.Finish());
  return CourseSessionRequest{*at, status.value_or("given")};
}

}  // namespace kclinic::codec
