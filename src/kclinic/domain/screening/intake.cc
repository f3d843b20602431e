#include "kclinic/domain/screening/intake.h"

#include <array>
#include <utility>

namespace kclinic::domain::screening {

namespace {

template <typename E, size_t N>
using CodeTable = std::array<std::pair<E, std::string_view>, N>;

template <typename E, size_t N>
std::string_view CodeOf(const CodeTable<E, N>& table, E value) {
  for (const auto& [e, code] : table) {
    if (e == value) return code;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> Parse(const CodeTable<E, N>& table, std::string_view code) {
  for (const auto& [e, c] : table) {
    if (c == code) return e;
  }
  return std::nullopt;
}

constexpr CodeTable<Diagnosis, 10> kDiagnoses = {{
    {Diagnosis::kMdd, "mdd"},
    {Diagnosis::kBipolarI, "bipolar_i"},
    {Diagnosis::kBipolarII, "bipolar_ii"},
    {Diagnosis::kPersistentDepressiveDisorder, "persistent_depressive_disorder"},
    {Diagnosis::kSchizoaffective, "schizoaffective"},
    {Diagnosis::kSchizophrenia, "schizophrenia"},
    {Diagnosis::kPtsd, "ptsd"},
    {Diagnosis::kGad, "gad"},
    {Diagnosis::kOcd, "ocd"},
    {Diagnosis::kOther, "other"},
}};

constexpr CodeTable<Episode, 6> kEpisodes = {{
    {Episode::kDepressive, "depressive"},
    {Episode::kManic, "manic"},
    {Episode::kHypomanic, "hypomanic"},
    {Episode::kMixed, "mixed"},
    {Episode::kRemission, "remission"},
    {Episode::kNone, "none"},
}};

constexpr CodeTable<TrialOutcome, 4> kOutcomes = {{
    {TrialOutcome::kNoResponse, "no_response"},
    {TrialOutcome::kPartialResponse, "partial_response"},
    {TrialOutcome::kResponse, "response"},
    {TrialOutcome::kNotTolerated, "not_tolerated"},
}};

constexpr CodeTable<Condition, 21> kConditions = {{
    {Condition::kKetamineHypersensitivity, "ketamine_hypersensitivity"},
    {Condition::kAneurysmalVascularDisease, "aneurysmal_vascular_disease"},
    {Condition::kAvm, "avm"},
    {Condition::kIntracerebralHaemorrhageHistory, "intracerebral_haemorrhage_history"},
    {Condition::kRecentStroke, "recent_stroke"},
    {Condition::kPreEclampsia, "pre_eclampsia"},
    {Condition::kUntreatedHyperthyroidism, "untreated_hyperthyroidism"},
    {Condition::kIschaemicHeartDisease, "ischaemic_heart_disease"},
    {Condition::kRecentMi, "recent_mi"},
    {Condition::kUnstableAngina, "unstable_angina"},
    {Condition::kDecompensatedHeartFailure, "decompensated_heart_failure"},
    {Condition::kUnstableArrhythmia, "unstable_arrhythmia"},
    {Condition::kPsychosisHistory, "psychosis_history"},
    {Condition::kSchizophrenia, "schizophrenia"},
    {Condition::kSubstanceUseDisorder, "substance_use_disorder"},
    {Condition::kKetamineOrPcpMisuse, "ketamine_or_pcp_misuse"},
    {Condition::kRaisedIcp, "raised_icp"},
    {Condition::kRaisedIop, "raised_iop"},
    {Condition::kIntracranialMass, "intracranial_mass"},
    {Condition::kOpenGlobe, "open_globe"},
    {Condition::kSevereHepaticImpairment, "severe_hepatic_impairment"},
}};

constexpr CodeTable<PregnancyStatus, 4> kPregnancy = {{
    {PregnancyStatus::kPregnant, "pregnant"},
    {PregnancyStatus::kNotPregnant, "not_pregnant"},
    {PregnancyStatus::kUnknown, "unknown"},
    {PregnancyStatus::kNotApplicable, "not_applicable"},
}};

constexpr CodeTable<Substance, 8> kSubstances = {{
    {Substance::kAlcohol, "alcohol"},
    {Substance::kCannabis, "cannabis"},
    {Substance::kOpioids, "opioids"},
    {Substance::kStimulants, "stimulants"},
    {Substance::kKetamine, "ketamine"},
    {Substance::kPcp, "pcp"},
    {Substance::kSedatives, "sedatives"},
    {Substance::kOther, "other"},
}};

constexpr CodeTable<ChecklistItem, 9> kChecklist = {{
    {ChecklistItem::kPsychiatricEvaluation, "psychiatric_evaluation"},
    {ChecklistItem::kHistoryAndPhysical, "history_and_physical"},
    {ChecklistItem::kMedicationReconciliation, "medication_reconciliation"},
    {ChecklistItem::kInformedConsent, "informed_consent"},
    {ChecklistItem::kBaselineVitals, "baseline_vitals"},
    {ChecklistItem::kPregnancyTest, "pregnancy_test"},
    {ChecklistItem::kUrineToxicology, "urine_toxicology"},
    {ChecklistItem::kEcgLabs, "ecg_labs"},
    {ChecklistItem::kBaselineRatingScales, "baseline_rating_scales"},
}};

template <typename E, size_t N>
std::array<E, N> Values(const CodeTable<E, N>& table) {
  std::array<E, N> out{};
  for (size_t i = 0; i < N; ++i) out[i] = table[i].first;
  return out;
}

}  // namespace

std::optional<int> AgeYears(const Intake& intake) {
  if (intake.age_years) return intake.age_years;
  if (!intake.birth_date || !intake.assessed_on || !intake.birth_date->ok() ||
      !intake.assessed_on->ok()) {
    return std::nullopt;
  }
  const auto& b = *intake.birth_date;
  const auto& a = *intake.assessed_on;
  int years = static_cast<int>(a.year()) - static_cast<int>(b.year());
  if (std::pair(static_cast<unsigned>(a.month()), static_cast<unsigned>(a.day())) <
      std::pair(static_cast<unsigned>(b.month()), static_cast<unsigned>(b.day()))) {
    --years;
  }
  return years;
}

std::string_view DiagnosisCode(Diagnosis d) { return CodeOf(kDiagnoses, d); }
std::optional<Diagnosis> ParseDiagnosis(std::string_view code) { return Parse(kDiagnoses, code); }
std::string_view EpisodeCode(Episode e) { return CodeOf(kEpisodes, e); }
std::optional<Episode> ParseEpisode(std::string_view code) { return Parse(kEpisodes, code); }
std::string_view TrialOutcomeCode(TrialOutcome o) { return CodeOf(kOutcomes, o); }
std::optional<TrialOutcome> ParseTrialOutcome(std::string_view code) {
  return Parse(kOutcomes, code);
}
std::string_view ConditionCode(Condition c) { return CodeOf(kConditions, c); }
std::optional<Condition> ParseCondition(std::string_view code) { return Parse(kConditions, code); }
std::string_view PregnancyStatusCode(PregnancyStatus p) { return CodeOf(kPregnancy, p); }
std::optional<PregnancyStatus> ParsePregnancyStatus(std::string_view code) {
  return Parse(kPregnancy, code);
}
std::string_view SubstanceCode(Substance s) { return CodeOf(kSubstances, s); }
std::optional<Substance> ParseSubstance(std::string_view code) { return Parse(kSubstances, code); }
std::string_view ChecklistItemCode(ChecklistItem c) { return CodeOf(kChecklist, c); }
std::optional<ChecklistItem> ParseChecklistItem(std::string_view code) {
  return Parse(kChecklist, code);
}

std::span<const Condition> AllConditions() {
  static const auto kAll = Values(kConditions);
  return kAll;
}
std::span<const ChecklistItem> AllChecklistItems() {
  static const auto kAll = Values(kChecklist);
  return kAll;
}
std::span<const Diagnosis> AllDiagnoses() {
  static const auto kAll = Values(kDiagnoses);
  return kAll;
}

}  // namespace kclinic::domain::screening
