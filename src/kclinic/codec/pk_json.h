// JSON for the PK engine: the strict regimen reader and the JSON shape of a prediction and of a
// population prediction, shared by `kclinic pk` and the HTTP API.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"
#include "kclinic/domain/pk/population.h"
#include "kclinic/domain/pk/predict.h"
#include "kclinic/domain/pk/regimen.h"

namespace kclinic::codec {

// Reads a regimen from a JSON array of entries
//   [{"start_min": 0, "bolus_mg": 10}, {"start_min": 0, "end_min": 40, "rate_mg_per_min": 0.6}]
// Strict: each entry an object with a numeric start_min and any of bolus_mg, end_min,
// rate_mg_per_min; unknown keys are errors. Then validated by Regimen::Create. Errors are
// InvalidArgument with the field as a dotted path under `path` ("regimen.1.end_min").
Result<domain::pk::Regimen> RegimenFromJson(const nlohmann::json& value,
                                            const std::string& path = "regimen");

// Parses `text` as a regimen document (the array above). InvalidArgument("regimen") for
// malformed JSON or a key repeated within an entry; otherwise as RegimenFromJson.
Result<domain::pk::Regimen> ParseRegimen(std::string_view text);

// {"model", "model_name", "drug", "unit": "ng/mL", "series", "points": [{"t_min", "cp", "ce"
// (, "s_norketamine")}], "cmax", "tmax_min", "minutes_above_<threshold>", "auc", "auc_unit",
// "threshold_ng_per_ml", "horizon_min", "total_dose_mg", "effect_site": {...}, ("s_norketamine":
// {...},) "population", "citation", "note"}. Figures unrounded; exposures over [0, horizon_min].
nlohmann::ordered_json PredictionToJson(const domain::pk::Prediction& prediction);

// Like PredictionToJson with each figure as {"p05", "median", "p95"}, plus "n", "seed" and
// "variability": [{"parameter", "omega_squared", "assumed", "source"}].
nlohmann::ordered_json PopulationToJson(const domain::pk::PopulationPrediction& population);

// The key of the time-above-threshold figure: "minutes_above_100" for 100 ng/mL.
std::string MinutesAboveKey(domain::pk::NgPerMl threshold);

}  // namespace kclinic::codec
