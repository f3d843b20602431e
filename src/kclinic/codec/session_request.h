// The request bodies of the infusion and esketamine session routes (docs/api.md, "Sessions"),
// decoded strictly into typed values: one type per field, unknown members rejected, and every
// error an InvalidArgument naming the field. Instants are ISO UTC
// ("2026-11-21T09:00:00.000000Z"). Bodies with a single string member (override "reason",
// alert "action_taken", addendum "text") use DecodeOneStringRequest (json_read.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/base/units.h"
#include "kclinic/domain/session/session.h"

namespace kclinic::codec {

// POST /patients/{id}/infusion-sessions:
// {"kind", "scheduled_at"?, "appointment_id"?, "course_session_id"?, "planned_dose_mg"? (1-1000)}.
struct SessionCreateRequest {
  std::string kind;  // iv_ketamine | esketamine; checked by the use case
  std::optional<Timestamp> scheduled_at;
  std::optional<std::string> appointment_id, course_session_id;
  std::optional<int> planned_dose_mg;  // esketamine
};
Result<SessionCreateRequest> DecodeSessionCreateRequest(const nlohmann::json& body);

// POST .../transitions: {"to", "reason"?, "rate_ml_per_h"?}. `reason` is "" when absent.
struct SessionTransitionRequest {
  std::string to;  // a state code; checked by the session
  std::string reason;
  std::optional<MlPerHour> rate;  // when starting or resuming the pump
};
Result<SessionTransitionRequest> DecodeSessionTransitionRequest(const nlohmann::json& body);

// PUT .../prechecks: {"escort_present" (required), "pregnancy_test" (negative, positive or
// not_applicable)}.
Result<domain::session::NurseChecks> DecodePrecheckRequest(const nlohmann::json& body);

// POST .../rate: {"rate_ml_per_h" (required, mL/h), "reason"?}. `reason` is "" when absent.
struct PumpRateRequest {
  MlPerHour rate;
  std::string reason;
};
Result<PumpRateRequest> DecodePumpRateRequest(const nlohmann::json& body);

// POST .../vitals: {"sbp"?, "dbp"?, "hr"? (0-400), "spo2"?, "rr"? (0-100), "at"?}. Units: mmHg,
// beats/min, %, breaths/min. Whether at least one value is present is the session's rule.
struct VitalsRequest {
  domain::session::Vital vital;  // id left empty
  std::optional<Timestamp> at;   // when taken; the use case's clock when absent
};
Result<VitalsRequest> DecodeVitalsRequest(const nlohmann::json& body);

// POST .../side-effects: {"effect", "severity", "action", "note"?}. `note` is "" when absent.
Result<domain::session::SideEffectEvent> DecodeSideEffectRequest(const nlohmann::json& body);

// POST .../scores: {"instrument", "items": [whole number or null, ...]}. Errors: "instrument"
// "must be cadss or bprs" when missing or not a string (its value is checked by the use case),
// "items", "item_<n>" (1-based) for an element that is not a whole number or null.
struct SessionScoreRequest {
  std::string instrument;
  std::vector<std::optional<int>> items;
};
Result<SessionScoreRequest> DecodeSessionScoreRequest(const nlohmann::json& body);

// POST .../draws: {"lot_id", "amount_mg" (required), "reason"? (a draw above the plan)}.
struct DoseDrawRequest {
  std::string lot_id;
  Milligrams amount;
  std::string reason;
};
Result<DoseDrawRequest> DecodeDoseDrawRequest(const nlohmann::json& body);

// POST .../waste: {"amount_mg" (required), "witness_username"?, "witness_password"?,
// "witness_code"?}; the witness fields are "" when absent (the use case refuses a waste without a
// witness; the code is needed when the witness has a second factor).
struct DoseWasteRequest {
  Milligrams amount;
  std::string witness_username, witness_password, witness_code;
};
Result<DoseWasteRequest> DecodeDoseWasteRequest(const nlohmann::json& body);

// POST .../devices: {"mg" (required, 0-1000)}: one esketamine device (28 mg).
Result<int> DecodeDeviceRequest(const nlohmann::json& body);

// PUT .../discharge: the checklist items present, each true or false (alert_oriented,
// walks_safely, vitals_near_baseline, nausea_controlled, escort_present, sedation_resolved,
// dissociation_resolved, respiratory_depression_resolved).
Result<std::map<std::string, bool>> DecodeDischargeRequest(const nlohmann::json& body);

// PUT .../rems: {"concomitant"?: {"benzodiazepines", "sedative_hypnotics", "stimulants", "maois",
// "opioids"}, "monitoring_clinician"?: {"name", "phone"}, "setting"?, "lot_number"?,
// "ready_to_leave_at"?}; texts at most 500 characters (field "body").
Result<domain::session::RemsEntry> DecodeRemsRequest(const nlohmann::json& body);

}  // namespace kclinic::codec
