// The PK engine's front door: predicted concentrations of one patient under one regimen, from a
// published model, with the exposure figures a prescriber looks at. This is what the HTTP API
// and the CLI call; everything here is pure and thread-safe.
//
//   KC_ASSIGN_OR_RETURN(ModelId model, ParseModelId("domino"));
//   KC_ASSIGN_OR_RETURN(Regimen regimen, Regimen::ConstantInfusion(Milligrams(35), Minutes(40)));
//   std::vector<Minutes> times = {Minutes(10), Minutes(40), Minutes(80)};
//   KC_ASSIGN_OR_RETURN(Prediction p, Predict(model, {Kilograms(70)}, regimen, times));
//   p.plasma.values[1]  // 240.36 ng/mL at 40 min; p.plasma.exposure.cmax, .tmax, ...
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/domain/pk/disposition.h"
#include "kclinic/domain/pk/model.h"
#include "kclinic/domain/pk/regimen.h"
#include "kclinic/domain/pk/simulate.h"
#include "kclinic/domain/pk/units.h"

namespace kclinic::domain::pk {

// Krystal 1994: dissociative effects at 100-250 ng/mL (PK.md §3); the default threshold for
// "minutes above".
inline constexpr double kDefaultThresholdNgPerMl = 100;

// Bounds on the requested times.
inline constexpr size_t kMaxTimes = 10000;

struct PredictOptions {
  PerMinute ke0{kDefaultKe0PerMin};             // effect-site equilibration
  NgPerMl threshold{kDefaultThresholdNgPerMl};  // for Exposure::above_threshold
};

// One predicted concentration series at the requested times, with its exposure over
// [0, last requested time].
struct Series {
  std::string_view name;        // "ketamine", "s_ketamine", "effect_site", "s_norketamine"
  std::vector<NgPerMl> values;  // one per requested time, in the order requested
  Exposure exposure;
};

struct Prediction {
  ModelId model = ModelId::kDomino;
  std::vector<Minutes> times;        // as requested
  Series plasma;                     // the parent drug in plasma
  Series effect_site;                // the parent drug at the effect site (ke0)
  std::optional<Series> metabolite;  // when the model has one ("s_norketamine")
  PerMinute ke0;
  NgPerMl threshold;
  Minutes horizon;  // exposures cover [0, horizon]: the last requested time
  Milligrams total_dose;
};

// Checks requested times: 1..kMaxTimes of them, each finite and within 0..kMaxRegimenMinutes.
// InvalidArgument("times_min") naming the first bad one.
Status ValidateTimes(std::span<const Minutes> times);

// Checks prediction options: InvalidArgument "ke0_per_min" unless 0 < ke0 <= 10;
// "threshold_ng_per_ml" unless finite and >= 0.
Status ValidateOptions(const PredictOptions& options);

// Predicts one patient. Errors (InvalidArgument with the field): the covariates as
// BuildModelParameters; the times as ValidateTimes; the options as ValidateOptions; "regimen"
// when the regimen's total exceeds 60 mg/kg of this patient.
Result<Prediction> Predict(ModelId model, const Covariates& covariates, const Regimen& regimen,
                           std::span<const Minutes> times, const PredictOptions& options = {});

// The same from an already-built parameter set (e.g. one with random effects applied); checks
// only the times and options.
Result<Prediction> PredictWithParameters(const ModelParameters& parameters, const Regimen& regimen,
                                         std::span<const Minutes> times,
                                         const PredictOptions& options = {});

// Plausibility bound on a regimen for one patient (typo guard, not a site cap).
inline constexpr double kMaxTotalMgPerKg = 60;

}  // namespace kclinic::domain::pk
