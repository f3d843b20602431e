// The screening engine: pure rules from an intake and the site settings to findings, the TRD
// assessment and the benzodiazepine load (CLINICAL.md §1). No I/O, no clock. Every finding
// carries its rule, the source of the rule and the setting that drives it, so the clinician sees
// why; the clinician decides (ValidateDecision).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/domain/records.h"
#include "kclinic/domain/screening/intake.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain::screening {

// Bumped whenever a rule, a drug table or a message changes meaning; stored with each decision.
inline constexpr int kRulesVersion = 1;

// What a finding asks of the clinician. Codes: hard_stop, override_required, warning,
// missing_data.
enum class Severity { kHardStop, kOverrideRequired, kWarning, kMissingData };
std::string_view SeverityCode(Severity s);
std::optional<Severity> ParseSeverity(std::string_view code);

// Values of the per-rule severity settings (screening.contraindication.*, screening.interaction.*
// and the other *.severity keys): 0 ignore, 1 warning, 2 override_required, 3 hard_stop.
enum class RuleLevel { kIgnore = 0, kWarning = 1, kOverrideRequired = 2, kHardStop = 3 };

struct Finding {
  std::string rule_id;  // stable id, e.g. "contraindication.raised_iop", "interaction.opioid"
  Severity severity = Severity::kWarning;
  std::string message;      // for the clinician, in words
  std::string citation;     // the source of the rule
  std::string setting_key;  // the site setting that set its severity or threshold; may be empty
  friend bool operator==(const Finding&, const Finding&) = default;
};

// How one antidepressant trial counted towards TRD.
struct TrialAssessment {
  int index = 0;          // position in Intake::trials
  bool adequate = false;  // dose and duration met the adequacy rule
  bool failed = false;    // outcome no_response or partial_response
  bool counted = false;   // adequate, failed and in the current episode
  std::string reason;     // why, in words
};

// Treatment-resistant depression: >= N adequate failed trials in the current episode
// (CLINICAL.md §1; Freeman 2020, Anand 2023; adequacy per ATHF/ATRQ).
struct TrdAssessment {
  int adequate_failed_trials = 0;
  int required_trials = 2;  // setting screening.trd.min_failed_trials
  double min_weeks = 6;     // setting screening.trd.min_weeks
  bool meets_trd = false;
  std::string explanation;  // in words, e.g. "2 of 3 trials were adequate and failed ..."
  std::vector<TrialAssessment> trials;
};

struct ScreeningResult {
  TrdAssessment trd;
  std::vector<Finding> findings;  // ordered: hard stops, overrides, warnings, missing data
  // Total benzodiazepine load, mg/day diazepam-equivalent (Ashton); 0 when none.
  double diazepam_equivalent_mg_per_day = 0;
  int rules_version = kRulesVersion;
  int64_t settings_version = 0;  // SiteSettings::version() used
};

// Screens `intake` under `settings`. Never fails: what cannot be judged becomes a missing_data
// finding.
ScreeningResult Screen(const Intake& intake, const SiteSettings& settings);

// The prescriber's decision on a screening. Codes: approve, decline, override.
using Decision = ScreeningDecision;  // records.h, with its codes
std::string_view DecisionCode(Decision d);
std::optional<Decision> ParseDecision(std::string_view code);

// Checks a decision against the findings it was made on:
//  - approve or override with any hard_stop finding -> InvalidArgument field "decision";
//  - approve with any override_required finding -> InvalidArgument field "decision" (use
//    override with a reason);
//  - override with an empty or blank reason -> InvalidArgument field "reason".
// decline is always allowed. Warnings and missing_data do not block.
Status ValidateDecision(std::span<const Finding> findings, Decision decision,
                        std::string_view reason);

// --- Drug knowledge (cited tables in drugs.cc) -------------------------------------------------

// Interaction classes of CLINICAL.md §1's interaction table, plus mood stabilisers for the
// bipolar rule. Codes: benzodiazepine, lamotrigine, opioid, sedative_hypnotic, gabapentinoid,
// psychostimulant, maoi, sympathomimetic, theophylline, naltrexone, cyp3a4_inhibitor,
// cyp3a4_inducer, cyp2b6_inhibitor, cyp2b6_inducer, mood_stabiliser.
enum class DrugClass {
  kBenzodiazepine,
  kLamotrigine,
  kOpioid,
  kSedativeHypnotic,
  kGabapentinoid,
  kPsychostimulant,
  kMaoi,
  kSympathomimetic,
  kTheophylline,
  kNaltrexone,
  kCyp3a4Inhibitor,
  kCyp3a4Inducer,
  kCyp2b6Inhibitor,
  kCyp2b6Inducer,
  kMoodStabiliser,
};
std::string_view DrugClassCode(DrugClass c);

// The classes of a drug by generic name (case and surrounding space ignored); empty if unknown.
std::vector<DrugClass> ClassesOf(std::string_view drug);

// mg of `benzodiazepine` equivalent to 10 mg diazepam (Ashton manual table); nullopt if not a
// benzodiazepine in the table.
std::optional<double> MgEquivalentToDiazepam10(std::string_view benzodiazepine);

// Daily dose converted to mg/day diazepam-equivalent; nullopt for a drug not in the table.
std::optional<double> DiazepamEquivalentMgPerDay(std::string_view benzodiazepine,
                                                 Milligrams daily_dose);

// The setting key holding the minimum adequate daily dose of `antidepressant` (mg/day), or empty
// when the drug is not in the adequacy table.
std::string_view MinAdequateDoseSettingKey(std::string_view antidepressant);

// --- Settings keys (cited definitions in settings.cc) ------------------------------------------

// TRD: adequate failed trials needed, minimum weeks per trial, whether only trials in the current
// episode count (1) or any (0), whether not-tolerated trials count as failed (1) or not (0).
extern const SettingDefinition kTrdMinFailedTrials;     // "screening.trd.min_failed_trials"
extern const SettingDefinition kTrdMinWeeks;            // "screening.trd.min_weeks"
extern const SettingDefinition kTrdCurrentEpisodeOnly;  // "screening.trd.current_episode_only"
extern const SettingDefinition kTrdCountNotTolerated;   // "screening.trd.count_not_tolerated"
// RuleLevel of the finding when TRD is not met (default override_required: off-label outside TRD).
extern const SettingDefinition kTrdNotMetLevel;  // "screening.trd.not_met_level"
// Per-drug minimum adequate dose keys are "screening.trd.min_dose_mg.<drug>".
inline constexpr std::string_view kTrdMinDosePrefix = "screening.trd.min_dose_mg.";

// Resting blood pressure limits (a reading strictly above either is a finding) and its RuleLevel.
extern const SettingDefinition kBpMaxSystolic;   // "screening.bp.max_systolic_mmhg"
extern const SettingDefinition kBpMaxDiastolic;  // "screening.bp.max_diastolic_mmhg"
extern const SettingDefinition kBpLevel;         // "screening.bp.level"

// Age: a candidate younger than kMinAgeYears is a finding of RuleLevel kAgeLevel (default a hard
// stop: the trials and labels are in adults).
extern const SettingDefinition kMinAgeYears;  // "screening.age.min_years"
extern const SettingDefinition kAgeLevel;     // "screening.age.level"

// Pregnancy and breastfeeding RuleLevels.
extern const SettingDefinition kPregnancyLevel;      // "screening.contraindication.pregnancy"
extern const SettingDefinition kBreastfeedingLevel;  // "screening.contraindication.breastfeeding"
// Per-condition RuleLevel keys are "screening.contraindication.<condition code>".
inline constexpr std::string_view kContraindicationPrefix = "screening.contraindication.";

// Bipolar disorder without a mood stabiliser: RuleLevel.
extern const SettingDefinition
    kBipolarNoMoodStabiliserLevel;  // "screening.bipolar.no_mood_stabiliser_level"

// Benzodiazepine load above which the benzodiazepine finding fires, mg/day diazepam-equivalent.
extern const SettingDefinition
    kBenzoMaxDiazepamEq;  // "screening.benzodiazepine.max_diazepam_eq_mg_per_day"
// Current alcohol use (from Intake::substance_use): RuleLevel.
extern const SettingDefinition kAlcoholLevel;  // "screening.interaction.alcohol"
// Per-class RuleLevel keys are "screening.interaction.<class code>".
inline constexpr std::string_view kInteractionPrefix = "screening.interaction.";

// The setting key of a condition's RuleLevel ("screening.contraindication.raised_iop").
std::string ContraindicationSettingKey(Condition c);
// The setting key of an interaction class's RuleLevel ("screening.interaction.opioid").
std::string InteractionSettingKey(DrugClass c);
// Every setting key the screening rules compose from data (each condition's and drug class's
// RuleLevel), for CheckSettingCatalog at start-up.
std::vector<std::string> ComposedSettingKeys();

}  // namespace kclinic::domain::screening
