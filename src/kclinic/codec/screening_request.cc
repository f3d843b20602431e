#include "kclinic/codec/screening_request.h"

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

Result<ScreeningDecisionRequest> DecodeScreeningDecisionRequest(const nlohmann::json& body) {
  ObjectReader reader(body, "");
  ScreeningDecisionRequest r;
  KC_ASSIGN_OR_RETURN(r.intake_id, reader.RequiredString("intake_id"));
  KC_ASSIGN_OR_RETURN(r.decision, reader.RequiredString("decision"));
  KC_ASSIGN_OR_RETURN(auto reason, reader.String("reason"));
  r.reason = reason.value_or("");
  KC_RETURN_IF_ERROR(reader.Finish());
  return r;
}

}  // namespace kclinic::codec
