// The screening intake: what a prescriber records about a candidate before the first infusion
// (CLINICAL.md §1). Pure values with stable snake_case codes for storage and JSON; the rules that
// read them live in screening.h.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/units.h"
#include "kclinic/domain/patient.h"

namespace kclinic::domain::screening {

// Psychiatric diagnoses the screening rules read. Codes: mdd, bipolar_i, bipolar_ii,
// persistent_depressive_disorder, schizoaffective, schizophrenia, ptsd, gad, ocd, other.
enum class Diagnosis {
  kMdd,
  kBipolarI,
  kBipolarII,
  kPersistentDepressiveDisorder,
  kSchizoaffective,
  kSchizophrenia,
  kPtsd,
  kGad,
  kOcd,
  kOther,
};

// The state of the current episode. Codes: depressive, manic, hypomanic, mixed, remission, none.
enum class Episode { kDepressive, kManic, kHypomanic, kMixed, kRemission, kNone };

struct DiagnosisEntry {
  Diagnosis code = Diagnosis::kMdd;
  Episode current_episode = Episode::kDepressive;
};

// How an antidepressant trial ended. Codes: no_response, partial_response, response,
// not_tolerated. "Failed" (CLINICAL.md §1: < 50 % improvement) = no_response or partial_response.
enum class TrialOutcome { kNoResponse, kPartialResponse, kResponse, kNotTolerated };

// One antidepressant trial as the patient and records report it.
struct AntidepressantTrial {
  std::string drug;                      // generic name, lower case ("sertraline")
  std::optional<Milligrams> daily_dose;  // highest daily dose reached, mg/day
  std::optional<double> weeks;           // weeks at that dose
  TrialOutcome outcome = TrialOutcome::kNoResponse;
  bool in_current_episode = true;
};

// A current medication (generic name, lower case) with its total daily dose in mg when known.
struct Medication {
  std::string name;
  std::optional<Milligrams> daily_dose;
};

// Medical and psychiatric conditions, one per row of the contraindication table in CLINICAL.md §1
// (pregnancy, breastfeeding and blood pressure are read from their own fields). The snake_case
// code of each is ConditionCode().
enum class Condition {
  kKetamineHypersensitivity,
  kAneurysmalVascularDisease,
  kAvm,
  kIntracerebralHaemorrhageHistory,
  kRecentStroke,
  kPreEclampsia,
  kUntreatedHyperthyroidism,
  kIschaemicHeartDisease,
  kRecentMi,
  kUnstableAngina,
  kDecompensatedHeartFailure,
  kUnstableArrhythmia,
  kPsychosisHistory,
  kSchizophrenia,
  kSubstanceUseDisorder,
  kKetamineOrPcpMisuse,
  kRaisedIcp,
  kRaisedIop,
  kIntracranialMass,
  kOpenGlobe,
  kSevereHepaticImpairment,
};

// Codes: pregnant, not_pregnant, unknown, not_applicable.
enum class PregnancyStatus { kPregnant, kNotPregnant, kUnknown, kNotApplicable };

// Substances asked about in the history. Codes: alcohol, cannabis, opioids, stimulants,
// ketamine, pcp, sedatives, other.
enum class Substance {
  kAlcohol,
  kCannabis,
  kOpioids,
  kStimulants,
  kKetamine,
  kPcp,
  kSedatives,
  kOther
};

struct SubstanceUse {
  Substance substance = Substance::kAlcohol;
  bool current = true;  // used in the last 12 months
};

// The pre-treatment evaluation checklist of CLINICAL.md §1. Codes: psychiatric_evaluation,
// history_and_physical, medication_reconciliation, informed_consent, baseline_vitals,
// pregnancy_test, urine_toxicology, ecg_labs, baseline_rating_scales.
enum class ChecklistItem {
  kPsychiatricEvaluation,
  kHistoryAndPhysical,
  kMedicationReconciliation,
  kInformedConsent,
  kBaselineVitals,
  kPregnancyTest,
  kUrineToxicology,
  kEcgLabs,
  kBaselineRatingScales,
};

// Resting vitals at the screening visit. Each is optional: a missing one is a missing_data finding.
struct Vitals {
  std::optional<MmHg> systolic;
  std::optional<MmHg> diastolic;
  std::optional<BeatsPerMinute> heart_rate;
  std::optional<Kilograms> weight;
  std::optional<Centimeters> height;
};

// One version of a candidate's intake. The screening engine never reads the clock: give either
// age_years, or birth_date with assessed_on.
struct Intake {
  std::vector<DiagnosisEntry> diagnoses;
  std::vector<AntidepressantTrial> trials;
  std::vector<Medication> medications;
  std::vector<Condition> conditions;
  Vitals vitals;
  Sex sex = Sex::kUnknown;
  std::optional<int> age_years;
  std::optional<std::chrono::year_month_day> birth_date;
  std::optional<std::chrono::year_month_day> assessed_on;
  PregnancyStatus pregnancy = PregnancyStatus::kUnknown;
  bool breastfeeding = false;
  std::vector<SubstanceUse> substance_use;
  std::vector<ChecklistItem> checklist_done;
};

// Age in whole years: age_years when given, else from birth_date and assessed_on; nullopt when
// neither is known.
std::optional<int> AgeYears(const Intake& intake);

// Stable snake_case codes and their parsers (nullopt for an unknown code).
std::string_view DiagnosisCode(Diagnosis d);
std::optional<Diagnosis> ParseDiagnosis(std::string_view code);
std::string_view EpisodeCode(Episode e);
std::optional<Episode> ParseEpisode(std::string_view code);
std::string_view TrialOutcomeCode(TrialOutcome o);
std::optional<TrialOutcome> ParseTrialOutcome(std::string_view code);
std::string_view ConditionCode(Condition c);
std::optional<Condition> ParseCondition(std::string_view code);
std::string_view PregnancyStatusCode(PregnancyStatus p);
std::optional<PregnancyStatus> ParsePregnancyStatus(std::string_view code);
std::string_view SubstanceCode(Substance s);
std::optional<Substance> ParseSubstance(std::string_view code);
std::string_view ChecklistItemCode(ChecklistItem c);
std::optional<ChecklistItem> ParseChecklistItem(std::string_view code);

// Every condition, checklist item and diagnosis, in declaration order (for forms and tests).
std::span<const Condition> AllConditions();
std::span<const ChecklistItem> AllChecklistItems();
std::span<const Diagnosis> AllDiagnoses();

}  // namespace kclinic::domain::screening
