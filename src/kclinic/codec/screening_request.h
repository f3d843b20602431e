// The request bodies of the screening routes that the HTTP layer reads itself, decoded strictly
// (one type per field, unknown members rejected, InvalidArgument naming the field). The intake
// body and the infusion-plan request are read by the use case (app/screening.h:
// ScreeningService::SubmitIntake with IntakeFromJson, InfusionPlanRequestFromJson).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"

namespace kclinic::codec {

// POST /patients/{id}/screening/decisions: {"intake_id", "decision" (approve | decline |
// override, checked by the use case), "reason"? ("" when absent)}.
struct ScreeningDecisionRequest {
  std::string intake_id;
  std::string decision;
  std::string reason;
};
Result<ScreeningDecisionRequest> DecodeScreeningDecisionRequest(const nlohmann::json& body);

}  // namespace kclinic::codec
