// The screening intake and result as JSON: the API shape and the snapshot stored with each intake
// version. Strict reading (json_read.h): unknown or duplicate keys and wrong types are errors
// naming the field ("trials[2].weeks").
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"
#include "kclinic/domain/screening/intake.h"
#include "kclinic/domain/screening/screening.h"

namespace kclinic::codec {

// Reads an intake object:
// {"sex": "female", "age_years": 42, "birth_date": "YYYY-MM-DD", "assessed_on": "YYYY-MM-DD",
//  "diagnoses": [{"code": "mdd", "current_episode": "depressive"}],
//  "trials": [{"drug", "daily_dose_mg", "weeks", "outcome", "in_current_episode"}],
//  "medications": [{"name", "daily_dose_mg"}], "conditions": ["raised_iop", ...],
//  "vitals": {"systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm", "weight_kg", "height_cm"},
//  "pregnancy": "not_pregnant", "breastfeeding": false,
//  "substance_use": [{"substance": "alcohol", "current": true}],
//  "checklist_done": ["psychiatric_evaluation", ...]}
// Every member is optional. InvalidArgument naming the field for a wrong type, an unknown code,
// an unknown member, a negative or non-finite number.
Result<domain::screening::Intake> IntakeFromJson(const nlohmann::json& body);
// Parses text first (field "body" when it is not one JSON object).
Result<domain::screening::Intake> IntakeFromText(std::string_view text);

// The intake as JSON in the shape IntakeFromJson reads (round-trips).
nlohmann::ordered_json IntakeToJson(const domain::screening::Intake& intake);

// {"trd": {"adequate_failed_trials", "required_trials", "min_weeks", "meets_trd", "explanation",
//          "trials": [{"index", "adequate", "failed", "counted", "reason"}]},
//  "findings": [{"rule_id", "severity", "message", "citation", "setting"}],
//  "diazepam_equivalent_mg_per_day", "rules_version", "settings_version"}
// "setting" is null when no setting drives the finding.
nlohmann::ordered_json ScreeningResultToJson(const domain::screening::ScreeningResult& result);

}  // namespace kclinic::codec
