#include "kclinic/domain/screening/screening.h"

#include <gtest/gtest.h>

#include <functional>

#include "kclinic/domain/dosing/dosing.h"
#include "kclinic/domain/settings_printer.h"

namespace kclinic::domain::screening {
namespace {

// A candidate with nothing to flag: MDD, two adequate failed trials, normal vitals, every
// checklist item done.
Intake Clean() {
  Intake in;
  in.diagnoses = {{Diagnosis::kMdd, Episode::kDepressive}};
  in.trials = {{"sertraline", Milligrams(150), 8, TrialOutcome::kNoResponse, true},
               {"escitalopram", Milligrams(20), 6, TrialOutcome::kPartialResponse, true}};
  in.vitals = {MmHg(128), MmHg(82), BeatsPerMinute(72), Kilograms(70), Centimeters(165)};
  in.sex = Sex::kFemale;
  in.age_years = 41;
  in.pregnancy = PregnancyStatus::kNotPregnant;
  in.checklist_done = {AllChecklistItems().begin(), AllChecklistItems().end()};
  return in;
}

const Finding* FindRule(const ScreeningResult& r, std::string_view rule_id) {
  for (const auto& f : r.findings) {
    if (f.rule_id == rule_id) return &f;
  }
  return nullptr;
}

TEST(ScreenClean, NoFindingsAndMeetsTrd) {
  auto r = Screen(Clean(), SiteSettings());
  for (const auto& f : r.findings) ADD_FAILURE() << f.rule_id << ": " << f.message;
  EXPECT_TRUE(r.trd.meets_trd);
  EXPECT_EQ(r.trd.adequate_failed_trials, 2);
  EXPECT_EQ(r.rules_version, kRulesVersion);
  EXPECT_EQ(Screen(Clean(), SiteSettings(7, {})).settings_version, 7);
}

struct RuleCase {
  std::string name;
  std::function<void(Intake&)> change;
  std::string rule_id;
  Severity severity;
  std::string setting;  // expected setting_key ("" = don't check)
};

class ScreenRule : public testing::TestWithParam<RuleCase> {};

TEST_P(ScreenRule, FiresWithSeverityAndSetting) {
  const auto& c = GetParam();
  Intake in = Clean();
  c.change(in);
  auto r = Screen(in, SiteSettings());
  const Finding* f = FindRule(r, c.rule_id);
  ASSERT_NE(f, nullptr) << c.rule_id;
  EXPECT_EQ(f->severity, c.severity) << SeverityCode(f->severity);
  EXPECT_FALSE(f->message.empty());
  EXPECT_FALSE(f->citation.empty());
  if (!c.setting.empty()) {
    EXPECT_EQ(f->setting_key, c.setting);
  }
}

void AddCondition(Intake& in, Condition c) { in.conditions.push_back(c); }
void AddMed(Intake& in, std::string name, double mg) {
  in.medications.push_back({std::move(name), Milligrams(mg)});
}

std::vector<RuleCase> ContraindicationCases() {
  // CLINICAL.md §1 default lists: hard stops then overrides.
  const std::vector<std::pair<Condition, Severity>> defaults = {
      {Condition::kKetamineHypersensitivity, Severity::kHardStop},
      {Condition::kAneurysmalVascularDisease, Severity::kHardStop},
      {Condition::kAvm, Severity::kHardStop},
      {Condition::kIntracerebralHaemorrhageHistory, Severity::kHardStop},
      {Condition::kRecentStroke, Severity::kHardStop},
      {Condition::kPreEclampsia, Severity::kHardStop},
      {Condition::kUntreatedHyperthyroidism, Severity::kHardStop},
      {Condition::kIschaemicHeartDisease, Severity::kOverrideRequired},
      {Condition::kRecentMi, Severity::kOverrideRequired},
      {Condition::kUnstableAngina, Severity::kOverrideRequired},
      {Condition::kDecompensatedHeartFailure, Severity::kOverrideRequired},
      {Condition::kUnstableArrhythmia, Severity::kOverrideRequired},
      {Condition::kPsychosisHistory, Severity::kOverrideRequired},
      {Condition::kSchizophrenia, Severity::kOverrideRequired},
      {Condition::kSubstanceUseDisorder, Severity::kOverrideRequired},
      {Condition::kKetamineOrPcpMisuse, Severity::kOverrideRequired},
      {Condition::kRaisedIcp, Severity::kOverrideRequired},
      {Condition::kRaisedIop, Severity::kOverrideRequired},
      {Condition::kIntracranialMass, Severity::kOverrideRequired},
      {Condition::kOpenGlobe, Severity::kOverrideRequired},
      {Condition::kSevereHepaticImpairment, Severity::kOverrideRequired},
  };
  std::vector<RuleCase> out;
  for (const auto& [condition, sev] : defaults) {
    // A copy to capture: clang 14 cannot capture a structured binding.
    Condition c = condition;
    std::string code(ConditionCode(c));
    out.push_back({code, [c](Intake& in) { AddCondition(in, c); }, "contraindication." + code, sev,
                   ContraindicationSettingKey(c)});
  }
  return out;
}

std::vector<RuleCase> OtherCases() {
  return {
      {"pregnant", [](Intake& in) { in.pregnancy = PregnancyStatus::kPregnant; },
       "contraindication.pregnancy", Severity::kHardStop, std::string(kPregnancyLevel)},
      {"breastfeeding", [](Intake& in) { in.breastfeeding = true; },
       "contraindication.breastfeeding", Severity::kHardStop, std::string(kBreastfeedingLevel)},
      {"pregnancy_unknown", [](Intake& in) { in.pregnancy = PregnancyStatus::kUnknown; },
       "missing.pregnancy_status", Severity::kMissingData, ""},
      {"schizophrenia_diagnosis",
       [](Intake& in) {
         in.diagnoses.push_back({Diagnosis::kSchizophrenia, Episode::kNone});
       },
       "contraindication.schizophrenia", Severity::kOverrideRequired, ""},
      {"current_ketamine_use",
       [](Intake& in) {
         in.substance_use.push_back({Substance::kKetamine, true});
       },
       "contraindication.ketamine_or_pcp_misuse", Severity::kOverrideRequired, ""},
      {"sbp_181", [](Intake& in) { in.vitals.systolic = MmHg(181); }, "bp.uncontrolled",
       Severity::kHardStop, std::string(kBpMaxSystolic)},
      {"dbp_101", [](Intake& in) { in.vitals.diastolic = MmHg(101); }, "bp.uncontrolled",
       Severity::kHardStop, std::string(kBpMaxDiastolic)},
      {"bp_missing", [](Intake& in) { in.vitals.systolic.reset(); }, "missing.resting_bp",
       Severity::kMissingData, ""},
      {"bipolar_no_stabiliser",
       [](Intake& in) {
         in.diagnoses = {{Diagnosis::kBipolarII, Episode::kDepressive}};
       },
       "bipolar.no_mood_stabiliser", Severity::kOverrideRequired,
       std::string(kBipolarNoMoodStabiliserLevel)},
      // Interaction classes (CLINICAL.md §1 table): warnings by default.
      {"lamotrigine", [](Intake& in) { AddMed(in, "Lamotrigine", 200); }, "interaction.lamotrigine",
       Severity::kWarning, "screening.interaction.lamotrigine"},
      {"opioid", [](Intake& in) { AddMed(in, "oxycodone", 20); }, "interaction.opioid",
       Severity::kWarning, "screening.interaction.opioid"},
      {"sedative_hypnotic", [](Intake& in) { AddMed(in, "zolpidem", 10); },
       "interaction.sedative_hypnotic", Severity::kWarning, ""},
      {"gabapentinoid", [](Intake& in) { AddMed(in, "pregabalin", 150); },
       "interaction.gabapentinoid", Severity::kWarning, ""},
      {"alcohol",
       [](Intake& in) {
         in.substance_use.push_back({Substance::kAlcohol, true});
       },
       "interaction.alcohol", Severity::kWarning, std::string(kAlcoholLevel)},
      {"psychostimulant", [](Intake& in) { AddMed(in, "lisdexamfetamine", 30); },
       "interaction.psychostimulant", Severity::kWarning, ""},
      {"maoi", [](Intake& in) { AddMed(in, "phenelzine", 45); }, "interaction.maoi",
       Severity::kWarning, ""},
      {"sympathomimetic", [](Intake& in) { AddMed(in, "pseudoephedrine", 120); },
       "interaction.sympathomimetic", Severity::kWarning, ""},
      {"theophylline", [](Intake& in) { AddMed(in, "aminophylline", 400); },
       "interaction.theophylline", Severity::kWarning, ""},
      {"naltrexone", [](Intake& in) { AddMed(in, "naltrexone", 50); }, "interaction.naltrexone",
       Severity::kWarning, ""},
      {"cyp3a4_inhibitor", [](Intake& in) { AddMed(in, "clarithromycin", 1000); },
       "interaction.cyp3a4_inhibitor", Severity::kWarning, ""},
      {"cyp3a4_inducer", [](Intake& in) { AddMed(in, "St. John's wort", 900); },
       "interaction.cyp3a4_inducer", Severity::kWarning, ""},
      {"cyp2b6_inhibitor", [](Intake& in) { AddMed(in, "ticlopidine", 500); },
       "interaction.cyp2b6_inhibitor", Severity::kWarning, ""},
      {"cyp2b6_inducer", [](Intake& in) { AddMed(in, "rifampicin", 600); },
       "interaction.cyp2b6_inducer", Severity::kWarning, ""},
      {"benzo_above_8", [](Intake& in) { AddMed(in, "lorazepam", 1); },  // 10 mg diazepam-eq
       "interaction.benzodiazepine", Severity::kWarning, std::string(kBenzoMaxDiazepamEq)},
      {"benzo_dose_missing",
       [](Intake& in) {
         in.medications.push_back({"clonazepam", {}});
       },
       "missing.benzodiazepine_dose", Severity::kMissingData, ""},
      // TRD.
      {"trd_not_met", [](Intake& in) { in.trials.pop_back(); }, "trd.not_met",
       Severity::kOverrideRequired, std::string(kTrdMinFailedTrials)},
      {"trial_weeks_missing", [](Intake& in) { in.trials[0].weeks.reset(); }, "missing.trial_weeks",
       Severity::kMissingData, std::string(kTrdMinWeeks)},
      {"trial_dose_missing", [](Intake& in) { in.trials[0].daily_dose.reset(); },
       "missing.trial_dose", Severity::kMissingData, "screening.trd.min_dose_mg.sertraline"},
      {"trial_unknown_drug", [](Intake& in) { in.trials[0].drug = "agomelatine"; },
       "missing.trial_min_dose", Severity::kMissingData, ""},
      // Demographics and vitals.
      {"age_missing", [](Intake& in) { in.age_years.reset(); }, "missing.age",
       Severity::kMissingData, ""},
      {"weight_missing", [](Intake& in) { in.vitals.weight.reset(); }, "missing.weight",
       Severity::kMissingData, ""},
      {"sex_unknown", [](Intake& in) { in.sex = Sex::kUnknown; }, "missing.sex",
       Severity::kMissingData, ""},
      {"age_11", [](Intake& in) { in.age_years = 11; }, "age.below_minimum", Severity::kHardStop,
       std::string(kMinAgeYears)},
      {"age_17", [](Intake& in) { in.age_years = 17; }, "age.below_minimum", Severity::kHardStop,
       std::string(kMinAgeYears)},
      // Figures the dose calculation refuses are refused here too.
      {"weight_640kg", [](Intake& in) { in.vitals.weight = Kilograms(640); }, "plausibility.weight",
       Severity::kHardStop, ""},
      {"weight_15kg", [](Intake& in) { in.vitals.weight = Kilograms(15); }, "plausibility.weight",
       Severity::kHardStop, ""},
      {"height_30cm", [](Intake& in) { in.vitals.height = Centimeters(30); }, "plausibility.height",
       Severity::kHardStop, ""},
  };
}

std::vector<RuleCase> AllCases() {
  auto out = ContraindicationCases();
  auto more = OtherCases();
  out.insert(out.end(), more.begin(), more.end());
  // Every checklist item: removing it from a candidate for whom it is indicated is missing data.
  for (ChecklistItem item : AllChecklistItems()) {
    std::string code(ChecklistItemCode(item));
    out.push_back({"checklist_" + code,
                   [item](Intake& in) {
                     std::erase(in.checklist_done, item);
                     // Make the conditional items indicated.
                     in.substance_use.push_back({Substance::kCannabis, true});
                     in.conditions.push_back(Condition::kIschaemicHeartDisease);
                   },
                   "checklist." + code, Severity::kMissingData, ""});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Rules, ScreenRule, testing::ValuesIn(AllCases()),
                         [](const auto& info) { return info.param.name; });

TEST(ScreenAge, EighteenIsAnAdultAndTheMinimumIsASiteSetting) {
  Intake in = Clean();
  in.age_years = 18;
  EXPECT_TRUE(Screen(in, SiteSettings()).findings.empty());
  in.age_years = 17;
  // A site that treats from 16 (a setting), or that makes it a warning.
  EXPECT_TRUE(Screen(in, SiteSettings(1, {{std::string(kMinAgeYears), 16}})).findings.empty());
  auto r = Screen(in, SiteSettings(1, {{std::string(kAgeLevel), 1}}));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].severity, Severity::kWarning);
  EXPECT_NE(r.findings[0].message.find("Age 17 is under the minimum of 18 years"),
            std::string::npos);
}

TEST(ScreenPlausibility, TheDoseCalculationsBoundsAreScreeningsBounds) {
  // At the bounds a weight and a height pass, as they do in dosing::PlanDose.
  for (double kg : {dosing::kMinWeightKg, dosing::kMaxWeightKg}) {
    Intake in = Clean();
    in.vitals.weight = Kilograms(kg);
    EXPECT_TRUE(Screen(in, SiteSettings()).findings.empty()) << kg;
  }
  for (double cm : {dosing::kMinHeightCm, dosing::kMaxHeightCm}) {
    Intake in = Clean();
    in.vitals.height = Centimeters(cm);
    EXPECT_TRUE(Screen(in, SiteSettings()).findings.empty()) << cm;
  }
}

TEST(ScreenBp, ExactlyAtTheLimitIsNotAFinding) {
  Intake in = Clean();
  in.vitals.systolic = MmHg(180);
  in.vitals.diastolic = MmHg(100);
  EXPECT_EQ(FindRule(Screen(in, SiteSettings()), "bp.uncontrolled"), nullptr);
  // A site with a stricter limit flags the same reading.
  SiteSettings strict(1, {{std::string(kBpMaxSystolic), 160}});
  EXPECT_NE(FindRule(Screen(in, strict), "bp.uncontrolled"), nullptr);
}

TEST(ScreenBenzodiazepine, EdgeAtEightMgDiazepamEquivalent) {
  struct Case {
    std::string drug;
    double mg;
    double expected_eq;
    bool flagged;
  };
  // Ashton: 10 mg diazepam = 0.5 alprazolam = 1 lorazepam = 0.5 clonazepam = 20 oxazepam.
  const Case cases[] = {
      {"diazepam", 8, 8, false},     {"diazepam", 8.5, 8.5, true}, {"alprazolam", 0.4, 8, false},
      {"alprazolam", 0.5, 10, true}, {"lorazepam", 0.8, 8, false}, {"clonazepam", 0.5, 10, true},
      {"oxazepam", 15, 7.5, false},  {"temazepam", 20, 10, true},
  };
  for (const auto& c : cases) {
    Intake in = Clean();
    AddMed(in, c.drug, c.mg);
    auto r = Screen(in, SiteSettings());
    EXPECT_NEAR(r.diazepam_equivalent_mg_per_day, c.expected_eq, 1e-9) << c.drug;
    EXPECT_EQ(FindRule(r, "interaction.benzodiazepine") != nullptr, c.flagged) << c.drug << c.mg;
  }
  // Two benzodiazepines add up: 4 mg diazepam + 0.5 mg lorazepam (5 mg) = 9 mg.
  Intake in = Clean();
  AddMed(in, "diazepam", 4);
  AddMed(in, "lorazepam", 0.5);
  auto r = Screen(in, SiteSettings());
  EXPECT_NEAR(r.diazepam_equivalent_mg_per_day, 9, 1e-9);
  EXPECT_NE(FindRule(r, "interaction.benzodiazepine"), nullptr);
}

TEST(ScreenTrd, CountsOnlyAdequateFailedTrialsInTheCurrentEpisode) {
  struct Case {
    std::string name;
    AntidepressantTrial third;
    bool counted;
  };
  const Case cases[] = {
      {"adequate", {"fluoxetine", Milligrams(20), 6, TrialOutcome::kNoResponse, true}, true},
      {"short", {"fluoxetine", Milligrams(40), 5.9, TrialOutcome::kNoResponse, true}, false},
      {"low_dose", {"fluoxetine", Milligrams(10), 12, TrialOutcome::kNoResponse, true}, false},
      {"responded", {"fluoxetine", Milligrams(40), 12, TrialOutcome::kResponse, true}, false},
      {"intolerant", {"fluoxetine", Milligrams(40), 12, TrialOutcome::kNotTolerated, true}, false},
      {"past_episode", {"fluoxetine", Milligrams(40), 12, TrialOutcome::kNoResponse, false}, false},
      {"unknown_drug_by_duration",
       {"agomelatine", Milligrams(25), 8, TrialOutcome::kNoResponse, true},
       true},
      {"unknown_drug_short",
       {"agomelatine", Milligrams(25), 4, TrialOutcome::kNoResponse, true},
       false},
      {"dose_missing", {"fluoxetine", std::nullopt, 8, TrialOutcome::kNoResponse, true}, false},
  };
  for (const auto& c : cases) {
    Intake in = Clean();
    in.trials.pop_back();  // one adequate failed trial left: the third decides
    in.trials.push_back(c.third);
    auto r = Screen(in, SiteSettings());
    ASSERT_EQ(r.trd.trials.size(), 2u);
    EXPECT_EQ(r.trd.trials[1].counted, c.counted) << c.name << ": " << r.trd.trials[1].reason;
    EXPECT_EQ(r.trd.meets_trd, c.counted) << c.name;
    EXPECT_EQ(r.trd.adequate_failed_trials, c.counted ? 2 : 1) << c.name;
    EXPECT_EQ(FindRule(r, "trd.not_met") == nullptr, c.counted) << c.name;
    EXPECT_FALSE(r.trd.explanation.empty());
  }
}

TEST(ScreenTrd, SettingsChangeTheRule) {
  Intake in = Clean();
  in.trials[1].weeks = 4;
  EXPECT_FALSE(Screen(in, SiteSettings()).trd.meets_trd);
  EXPECT_TRUE(Screen(in, SiteSettings(2, {{std::string(kTrdMinWeeks), 4}})).trd.meets_trd);
  EXPECT_TRUE(
      Screen(Clean(), SiteSettings(2, {{std::string(kTrdMinFailedTrials), 3}})).trd.meets_trd ==
      false);
  in = Clean();
  in.trials[1].outcome = TrialOutcome::kNotTolerated;
  EXPECT_FALSE(Screen(in, SiteSettings()).trd.meets_trd);
  EXPECT_TRUE(Screen(in, SiteSettings(2, {{std::string(kTrdCountNotTolerated), 1}})).trd.meets_trd);
  in = Clean();
  in.trials[1].in_current_episode = false;
  EXPECT_FALSE(Screen(in, SiteSettings()).trd.meets_trd);
  EXPECT_TRUE(
      Screen(in, SiteSettings(2, {{std::string(kTrdCurrentEpisodeOnly), 0}})).trd.meets_trd);
  // A per-drug minimum dose is a setting too.
  in = Clean();
  EXPECT_FALSE(
      Screen(in, SiteSettings(2, {{"screening.trd.min_dose_mg.sertraline", 200}})).trd.meets_trd);
}

TEST(ScreenLevels, SiteSettingsMoveConditionsBetweenLists) {
  Intake in = Clean();
  in.conditions = {Condition::kRaisedIop};
  std::string key = ContraindicationSettingKey(Condition::kRaisedIop);
  const std::pair<double, std::optional<Severity>> levels[] = {
      {0, std::nullopt},
      {1, Severity::kWarning},
      {2, Severity::kOverrideRequired},
      {3, Severity::kHardStop},
  };
  for (auto [level, expected] : levels) {
    auto r = Screen(in, SiteSettings(4, {{key, level}}));
    const Finding* f = FindRule(r, "contraindication.raised_iop");
    if (!expected) {
      EXPECT_EQ(f, nullptr);
    } else {
      ASSERT_NE(f, nullptr) << level;
      EXPECT_EQ(f->severity, *expected) << level;
    }
  }
}

TEST(ScreenBipolar, AMoodStabiliserSatisfiesTheRule) {
  for (std::string drug : {"lithium", "valproate", "Divalproex", "lamotrigine", "quetiapine"}) {
    Intake in = Clean();
    in.diagnoses = {{Diagnosis::kBipolarI, Episode::kDepressive}};
    AddMed(in, drug, 100);
    EXPECT_EQ(FindRule(Screen(in, SiteSettings()), "bipolar.no_mood_stabiliser"), nullptr) << drug;
  }
}

TEST(ScreenChecklist, ConditionalItemsOnlyWhenIndicated) {
  Intake in = Clean();
  for (auto item :
       {ChecklistItem::kPregnancyTest, ChecklistItem::kUrineToxicology, ChecklistItem::kEcgLabs}) {
    std::erase(in.checklist_done, item);
  }
  in.sex = Sex::kMale;
  in.pregnancy = PregnancyStatus::kNotApplicable;
  auto r = Screen(in, SiteSettings());
  EXPECT_EQ(FindRule(r, "checklist.pregnancy_test"), nullptr);
  EXPECT_EQ(FindRule(r, "checklist.urine_toxicology"), nullptr);
  EXPECT_EQ(FindRule(r, "checklist.ecg_labs"), nullptr);
}

TEST(ScreenOrder, HardStopsFirstMissingDataLast) {
  Intake in = Clean();
  in.age_years.reset();
  AddMed(in, "oxycodone", 10);
  in.conditions = {Condition::kRaisedIcp, Condition::kAvm};
  auto r = Screen(in, SiteSettings());
  ASSERT_GE(r.findings.size(), 4u);
  for (size_t i = 1; i < r.findings.size(); ++i) {
    EXPECT_LE(static_cast<int>(r.findings[i - 1].severity),
              static_cast<int>(r.findings[i].severity));
  }
  EXPECT_EQ(r.findings.front().rule_id, "contraindication.avm");
}

TEST(ScreenAge, FromBirthDateAndAssessmentDate) {
  using namespace std::chrono;
  Intake in;
  in.birth_date = year(1980) / March / 15;
  in.assessed_on = year(2024) / March / 14;
  EXPECT_EQ(AgeYears(in), 43);
  in.assessed_on = year(2024) / March / 15;
  EXPECT_EQ(AgeYears(in), 44);
  in.assessed_on.reset();
  EXPECT_EQ(AgeYears(in), std::nullopt);
}

TEST(ScreenSettings, EveryComposedKeyIsDeclared) {
  const std::vector<std::string> keys = ComposedSettingKeys();
  EXPECT_GT(keys.size(), AllConditions().size());
  EXPECT_TRUE(CheckSettingCatalog(keys).ok()) << CheckSettingCatalog(keys).message();
}

TEST(ScreenSettings, EveryRuleKeyIsADefinedCitedSetting) {
  for (Condition c : AllConditions()) {
    const auto* def = FindSetting(ContraindicationSettingKey(c));
    ASSERT_NE(def, nullptr) << ContraindicationSettingKey(c);
    EXPECT_FALSE(def->citation.empty());
  }
  for (int i = 0; i <= static_cast<int>(DrugClass::kCyp2b6Inducer); ++i) {
    auto key = InteractionSettingKey(static_cast<DrugClass>(i));
    EXPECT_NE(FindSetting(key), nullptr) << key;
  }
  for (auto key :
       {kTrdMinFailedTrials, kTrdMinWeeks, kTrdCurrentEpisodeOnly, kTrdCountNotTolerated,
        kTrdNotMetLevel, kBpMaxSystolic, kBpMaxDiastolic, kBpLevel, kPregnancyLevel,
        kBreastfeedingLevel, kBipolarNoMoodStabiliserLevel, kBenzoMaxDiazepamEq, kAlcoholLevel}) {
    EXPECT_NE(FindSetting(key), nullptr) << key;
  }
  SiteSettings s;
  EXPECT_EQ(s.Get(kTrdMinFailedTrials), 2);
  EXPECT_EQ(s.Get(kTrdMinWeeks), 6);
  EXPECT_EQ(s.Get(kBpMaxSystolic), 180);
  EXPECT_EQ(s.Get(kBpMaxDiastolic), 100);
  EXPECT_EQ(s.Get(kBenzoMaxDiazepamEq), 8);
  EXPECT_EQ(MinAdequateDoseSettingKey(" Sertraline "), "screening.trd.min_dose_mg.sertraline");
  EXPECT_EQ(MinAdequateDoseSettingKey("agomelatine"), "");
}

TEST(ScreenCodes, RoundTrip) {
  for (Condition c : AllConditions()) EXPECT_EQ(ParseCondition(ConditionCode(c)), c);
  for (ChecklistItem c : AllChecklistItems())
    EXPECT_EQ(ParseChecklistItem(ChecklistItemCode(c)), c);
  for (Diagnosis d : AllDiagnoses()) EXPECT_EQ(ParseDiagnosis(DiagnosisCode(d)), d);
  EXPECT_EQ(ParseCondition("nope"), std::nullopt);
  EXPECT_EQ(ParseSeverity("override_required"), Severity::kOverrideRequired);
}

// --- Decisions ---------------------------------------------------------------------------------

Finding F(Severity s) { return {"x", s, "m", "c", ""}; }

TEST(ScreeningDecision, Validation) {
  struct Case {
    std::string name;
    std::vector<Finding> findings;
    Decision decision;
    std::string reason;
    std::string error_field;  // "" = ok
  };
  const Case cases[] = {
      {"approve_clean", {}, Decision::kApprove, "", ""},
      {"approve_with_warnings",
       {F(Severity::kWarning), F(Severity::kMissingData)},
       Decision::kApprove,
       "",
       ""},
      {"approve_with_hard_stop", {F(Severity::kHardStop)}, Decision::kApprove, "", "decision"},
      {"override_hard_stop", {F(Severity::kHardStop)}, Decision::kOverride, "because", "decision"},
      {"approve_needs_override",
       {F(Severity::kOverrideRequired)},
       Decision::kApprove,
       "reason given",
       "decision"},
      {"override_with_reason",
       {F(Severity::kOverrideRequired)},
       Decision::kOverride,
       "cardiology clearance on file",
       ""},
      {"override_without_reason",
       {F(Severity::kOverrideRequired)},
       Decision::kOverride,
       "",
       "reason"},
      {"override_blank_reason",
       {F(Severity::kOverrideRequired)},
       Decision::kOverride,
       " \t",
       "reason"},
      {"decline_hard_stop", {F(Severity::kHardStop)}, Decision::kDecline, "", ""},
  };
  for (const auto& c : cases) {
    Status s = ValidateDecision(c.findings, c.decision, c.reason);
    if (c.error_field.empty()) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s.message();
    } else {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.name;
      EXPECT_EQ(s.field(), c.error_field) << c.name;
    }
  }
  EXPECT_EQ(ParseDecision("override"), Decision::kOverride);
  EXPECT_EQ(ParseDecision("maybe"), std::nullopt);
}

}  // namespace
}  // namespace kclinic::domain::screening
