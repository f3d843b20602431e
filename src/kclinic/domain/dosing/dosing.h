// Dose planning for one IV ketamine infusion (CLINICAL.md §2): dosing weight (actual, Devine ideal
// or adjusted body weight), mg/kg × weight within the site's caps, bag volume and pump rates.
// Pure functions; every figure is kept unrounded (round only for display).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/base/units.h"
#include "kclinic/domain/patient.h"
#include "kclinic/domain/records.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain::dosing {

// Which weight the mg/kg dose multiplies. Codes: actual, ideal, adjusted.
enum class WeightBasis { kActual, kIdeal, kAdjusted };
std::string_view WeightBasisCode(WeightBasis b);
std::optional<WeightBasis> ParseWeightBasis(std::string_view code);

// Input plausibility bounds (not site settings: outside them the number is a typo, not a patient).
inline constexpr double kMinWeightKg = 20;
inline constexpr double kMaxWeightKg = 400;
inline constexpr double kMinHeightCm = 100;
inline constexpr double kMaxHeightCm = 250;
inline constexpr double kMaxConcentrationMgPerMl = 100;  // the strongest ketamine vial

// Devine ideal body weight (Devine 1974): men 50 kg, women 45.5 kg, + 2.3 kg per inch over 5 ft
// (152.4 cm; 1 inch = 2.54 cm). Below 5 ft the same line is extrapolated downwards (2.3 kg less
// per inch under 5 ft), never clamped to the 5 ft value, so a short patient's IBW does not exceed
// what the formula implies; the result is floored at 1 kg. InvalidArgument "sex" unless female or
// male; "height_cm" outside kMinHeightCm..kMaxHeightCm.
Result<Kilograms> DevineIdealBodyWeight(Sex sex, Centimeters height);

// Adjusted body weight = IBW + factor × (actual − IBW); factor 0.4 by default (setting
// dosing.adjusted_bw_factor). No bounds checking.
Kilograms AdjustedBodyWeight(Kilograms ideal, Kilograms actual, double factor = 0.4);

// Body-mass index = kg / m². No bounds checking.
KgPerM2 BodyMassIndex(Kilograms weight, Centimeters height);

struct DoseRequest {
  Kilograms weight;  // actual body weight
  Centimeters height;
  Sex sex = Sex::kUnknown;  // female or male (Devine)
  MgPerKg mg_per_kg;
  WeightBasis basis = WeightBasis::kActual;
  MgPerMl concentration;  // of the bag or syringe in use
  Minutes minutes;        // infusion duration
};

// A dose plan with every intermediate figure, unrounded.
struct DosePlan {
  Kilograms actual_weight;
  Kilograms ideal_body_weight;
  Kilograms adjusted_body_weight;
  Kilograms dosing_weight;
  WeightBasis basis = WeightBasis::kActual;
  KgPerM2 bmi;
  // BMI >= dosing.bmi_prompt_threshold: ask the prescriber to consider ideal or adjusted weight
  // (Sanacora 2017).
  bool bmi_prompt = false;
  MgPerKg mg_per_kg;
  Milligrams dose;
  MgPerMl concentration;
  Milliliters volume;
  Minutes minutes;
  MlPerHour rate_ml_per_h;
  MgPerMin rate_mg_per_min;
  std::vector<std::string> notes;          // prompts and cautions in words
  std::vector<std::string> settings_used;  // keys read
  int64_t settings_version = 0;
};

// The figures of `plan` that a saved infusion plan keeps for its sessions (records.h PlannedDose).
PlannedDose PlannedDoseOf(const DosePlan& plan);

// Plans one infusion. Errors (InvalidArgument, field named): "weight_kg" outside
// kMinWeightKg..kMaxWeightKg; "height_cm" outside its bounds; "sex" not female/male; "mg_per_kg"
// <= 0 or above dosing.max_mg_per_kg; "dose_mg" above dosing.max_dose_mg; "concentration_mg_per_ml"
// <= 0 or above kMaxConcentrationMgPerMl; "minutes" outside dosing.min_minutes..max_minutes.
Result<DosePlan> PlanDose(const DoseRequest& request, const SiteSettings& settings);

// --- Titration (CLINICAL.md §2, site rule [R, practice]) ---------------------------------------

// Tolerability events recorded in a session. Codes: severe_dissociation, bp_event, vomiting.
enum class ToleranceEvent { kSevereDissociation, kBpEvent, kVomiting };
std::string_view ToleranceEventCode(ToleranceEvent e);
std::optional<ToleranceEvent> ParseToleranceEvent(std::string_view code);

// One past infusion, oldest first in a history.
struct SessionOutcome {
  MgPerKg mg_per_kg;
  Minutes minutes;
  std::optional<int> phq9_before;  // 0..27
  std::optional<int> phq9_after;   // 0..27
  // Improvement from the course baseline in percent, when recorded instead of PHQ-9 totals.
  std::optional<double> improvement_percent;
  std::vector<ToleranceEvent> events;
};

// Codes: step_up, step_down, lengthen, keep.
enum class TitrationAction { kStepUp, kStepDown, kLengthen, kKeep };
std::string_view TitrationActionCode(TitrationAction a);

struct TitrationSuggestion {
  TitrationAction action = TitrationAction::kKeep;
  MgPerKg mg_per_kg;   // for the next infusion
  Minutes minutes;     // for the next infusion
  std::string reason;  // in words
  // PHQ-9 improvement from baseline (%) the suggestion used, when known.
  std::optional<double> improvement_percent;
  int sessions_at_current_dose = 0;
  std::vector<std::string> settings_used;
  int64_t settings_version = 0;
};

// Suggests the next infusion's dose and duration from the history (oldest first):
//  - intolerance (any event) in the latest session -> lengthen by dosing.titration.lengthen_minutes
//    up to dosing.max_minutes when dosing.titration.prefer_lengthen is 1 and there is room, else
//    step down by dosing.titration.step_down_mg_per_kg to no less than
//    dosing.titration.min_mg_per_kg; keep when neither is possible;
//  - >= dosing.titration.min_sessions infusions at the current mg/kg, none with events, and PHQ-9
//    improvement from baseline < dosing.titration.min_improvement_percent -> step up by
//    dosing.titration.step_up_mg_per_kg, at most dosing.max_mg_per_kg;
//  - otherwise keep.
// Improvement = (baseline − latest PHQ-9) / baseline × 100 using the latest session's phq9_after
// (else phq9_before), or the latest session's improvement_percent when no baseline is given.
// Errors: InvalidArgument "history" when empty; "history[i].phq9_after" etc. out of 0..27;
// "baseline_phq9" out of 0..27; "history[i].mg_per_kg" / "history[i].minutes" not positive.
Result<TitrationSuggestion> SuggestTitration(const std::vector<SessionOutcome>& history,
                                             std::optional<int> baseline_phq9,
                                             const SiteSettings& settings);

// --- Settings keys (cited definitions in settings.cc) ------------------------------------------

extern const SettingDefinition kMaxMgPerKg;            // "dosing.max_mg_per_kg"
extern const SettingDefinition kMaxDoseMg;             // "dosing.max_dose_mg"
extern const SettingDefinition kMinMinutes;            // "dosing.min_minutes"
extern const SettingDefinition kMaxMinutes;            // "dosing.max_minutes"
extern const SettingDefinition kBmiPromptThreshold;    // "dosing.bmi_prompt_threshold"
extern const SettingDefinition kAdjustedBwFactor;      // "dosing.adjusted_bw_factor"
extern const SettingDefinition kTitrationMinSessions;  // "dosing.titration.min_sessions"
extern const SettingDefinition
    kTitrationMinImprovementPercent;                  // "dosing.titration.min_improvement_percent"
extern const SettingDefinition kTitrationStepUp;      // "dosing.titration.step_up_mg_per_kg"
extern const SettingDefinition kTitrationStepDown;    // "dosing.titration.step_down_mg_per_kg"
extern const SettingDefinition kTitrationMinMgPerKg;  // "dosing.titration.min_mg_per_kg"
extern const SettingDefinition kTitrationLengthenMinutes;  // "dosing.titration.lengthen_minutes"
extern const SettingDefinition kTitrationPreferLengthen;   // "dosing.titration.prefer_lengthen"
// ng/mL: the concentration line drawn with a planned infusion's curve; minutes above it are shown.
extern const SettingDefinition kPkThresholdNgPerMl;  // "dosing.pk_threshold_ng_per_ml"

}  // namespace kclinic::domain::dosing
