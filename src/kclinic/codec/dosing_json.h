// Dose plans and titration suggestions as JSON (API and CLI), and the strict readers of their
// requests. Numbers are unrounded; the UI rounds for display.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"
#include "kclinic/domain/dosing/dosing.h"

namespace kclinic::codec {

// {"dosing_weight_kg", "dose_mg", "volume_ml", "rate_ml_per_h", "rate_mg_per_min", "bmi",
//  "ideal_body_weight_kg", "adjusted_body_weight_kg", "actual_weight_kg", "bmi_prompt", "basis",
//  "mg_per_kg", "concentration_mg_per_ml", "minutes", "notes": [...], "settings_used": [...],
//  "settings_version"}
nlohmann::ordered_json DosePlanToJson(const domain::dosing::DosePlan& plan);

// Reads {"weight_kg", "height_cm", "sex", "mg_per_kg", "basis", "concentration_mg_per_ml",
// "minutes"}; all required. InvalidArgument naming the field (wrong type, missing, unknown code
// or member). Range checks are PlanDose's.
Result<domain::dosing::DoseRequest> DoseRequestFromJson(const nlohmann::json& body);

// {"action", "mg_per_kg", "minutes", "reason", "improvement_percent" (or null),
//  "sessions_at_current_dose", "settings_used": [...], "settings_version"}
nlohmann::ordered_json TitrationSuggestionToJson(const domain::dosing::TitrationSuggestion& s);

struct TitrationRequest {
  std::vector<domain::dosing::SessionOutcome> history;
  std::optional<int> baseline_phq9;
};
// Reads {"baseline_phq9": 20, "history": [{"mg_per_kg", "minutes", "phq9_before", "phq9_after",
// "improvement_percent", "events": ["vomiting", ...]}]}. Errors name e.g. "history[1].events[0]".
Result<TitrationRequest> TitrationRequestFromJson(const nlohmann::json& body);

}  // namespace kclinic::codec
