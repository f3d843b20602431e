// The request bodies of the measurement-based care routes (assessments, courses), decoded
// strictly: one type per field, unknown members rejected, InvalidArgument naming the field.
// Instants are ISO UTC ("2026-11-21T09:00:00.000000Z"). Bodies with one string member (alert
// acknowledge "action", course "phase") use DecodeOneStringRequest (json_read.h).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/codec/scale_json.h"

namespace kclinic::codec {

// POST /patients/{id}/assessments: {"administered_at"?, "instrument", "items": [...]} (the
// answers as AnswersFromJson reads them).
struct AssessmentRequest {
  std::optional<Timestamp> administered_at;  // absent: now
  std::optional<std::string> backdate_reason;
  Answers answers;
};
Result<AssessmentRequest> DecodeAssessmentRequest(const nlohmann::json& body);

// POST /patients/{id}/courses: {"kind"? (iv_ketamine), "phase"? (induction),
// "primary_clinician", "started_at"?}. Kind and phase are checked by the use case.
struct CourseStartRequest {
  std::string kind;
  std::string phase;
  std::string primary_clinician;
  std::optional<Timestamp> started_at;  // absent: now
};
Result<CourseStartRequest> DecodeCourseStartRequest(const nlohmann::json& body);

// POST /courses/{id}/sessions: {"at", "status"? (given)}.
struct CourseSessionRequest {
  Timestamp at;
  std::string status;  // planned | given | cancelled; checked by the use case
};
Result<CourseSessionRequest> DecodeCourseSessionRequest(const nlohmann::json& body);

}  // namespace kclinic::codec
