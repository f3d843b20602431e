#include "kclinic/domain/dosing/dosing.h"

#include <gtest/gtest.h>

#include <functional>

#include "kclinic/domain/settings_printer.h"

namespace kclinic::domain::dosing {
namespace {

DoseRequest Request() {
  return {Kilograms(70),        Centimeters(175), Sex::kMale, MgPerKg(0.5),
          WeightBasis::kActual, MgPerMl(1),       Minutes(40)};
}

TEST(DosingIbw, DevineArithmetic) {
  struct Case {
    Sex sex;
    double cm;
    double kg;
  };
  const Case cases[] = {
      {Sex::kMale, 152.4, 50},                             // exactly 5 ft
      {Sex::kFemale, 152.4, 45.5},                         //
      {Sex::kMale, 177.8, 50 + 2.3 * 10},                  // 5 ft 10 in
      {Sex::kFemale, 165.1, 45.5 + 2.3 * 5},               // 5 ft 5 in
      {Sex::kFemale, 147.32, 45.5 - 2.3 * 2},              // 4 ft 10 in: extrapolated
      {Sex::kMale, 175, 50 + 2.3 * (175 - 152.4) / 2.54},  // metric height
  };
  for (const auto& c : cases) {
    auto ibw = DevineIdealBodyWeight(c.sex, Centimeters(c.cm));
    ASSERT_TRUE(ibw.ok()) << c.cm;
    EXPECT_NEAR(ibw->value(), c.kg, 1e-9) << c.cm;
  }
  EXPECT_EQ(DevineIdealBodyWeight(Sex::kOther, Centimeters(170)).status().field(), "sex");
  EXPECT_EQ(DevineIdealBodyWeight(Sex::kMale, Centimeters(90)).status().field(), "height_cm");
}

TEST(DosingAdjusted, IbwPlusFortyPercentOfExcess) {
  EXPECT_NEAR(AdjustedBodyWeight(Kilograms(60), Kilograms(110)).value(), 80, 1e-12);
  EXPECT_NEAR(AdjustedBodyWeight(Kilograms(60), Kilograms(50)).value(), 56, 1e-12);
  EXPECT_NEAR(AdjustedBodyWeight(Kilograms(60), Kilograms(110), 0.3).value(), 75, 1e-12);
}

TEST(DosingPlan, PumpArithmeticUnrounded) {
  auto plan = PlanDose(Request(), SiteSettings());
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_DOUBLE_EQ(plan->dosing_weight.value(), 70);
  EXPECT_DOUBLE_EQ(plan->dose.value(), 35);
  EXPECT_DOUBLE_EQ(plan->volume.value(), 35);
  EXPECT_DOUBLE_EQ(plan->rate_ml_per_h.value(), 52.5);
  EXPECT_DOUBLE_EQ(plan->rate_mg_per_min.value(), 0.875);
  EXPECT_NEAR(plan->bmi.value(), 70 / (1.75 * 1.75), 1e-12);
  EXPECT_FALSE(plan->bmi_prompt);

  // 0.5 mg/kg of a 10 mg/mL vial over 100 min: 3.5 mL at 2.1 mL/h.
  auto r = Request();
  r.concentration = MgPerMl(10);
  r.minutes = Minutes(100);
  auto p2 = PlanDose(r, SiteSettings());
  ASSERT_TRUE(p2.ok());
  EXPECT_DOUBLE_EQ(p2->volume.value(), 3.5);
  EXPECT_NEAR(p2->rate_ml_per_h.value(), 2.1, 1e-12);
  EXPECT_DOUBLE_EQ(p2->rate_mg_per_min.value(), 0.35);
}

TEST(DosingPlan, WeightBasis) {
  // Woman, 165.1 cm (5 ft 5 in): IBW 57 kg; 110 kg actual; adjusted 57 + 0.4 × 53 = 78.2 kg.
  struct Case {
    WeightBasis basis;
    double weight;
  };
  for (auto c : {Case{WeightBasis::kActual, 110}, Case{WeightBasis::kIdeal, 57},
                 Case{WeightBasis::kAdjusted, 78.2}}) {
    DoseRequest r{Kilograms(110), Centimeters(165.1), Sex::kFemale, MgPerKg(0.5),
                  c.basis,        MgPerMl(1),         Minutes(40)};
    auto plan = PlanDose(r, SiteSettings());
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    EXPECT_NEAR(plan->ideal_body_weight.value(), 57, 1e-9);
    EXPECT_NEAR(plan->adjusted_body_weight.value(), 78.2, 1e-9);
    EXPECT_NEAR(plan->dosing_weight.value(), c.weight, 1e-9);
    EXPECT_NEAR(plan->dose.value(), 0.5 * c.weight, 1e-9);
    EXPECT_TRUE(plan->bmi_prompt);
  }
  EXPECT_EQ(ParseWeightBasis("adjusted"), WeightBasis::kAdjusted);
  EXPECT_EQ(ParseWeightBasis("lean"), std::nullopt);
}

TEST(DosingPlan, BmiPromptAtThirty) {
  // 180 cm: BMI 30 exactly at 97.2 kg.
  struct Case {
    double kg;
    bool prompt;
  };
  for (auto c : {Case{97.2, true}, Case{97.19, false}, Case{120, true}, Case{60, false}}) {
    auto r = Request();
    r.height = Centimeters(180);
    r.weight = Kilograms(c.kg);
    auto plan = PlanDose(r, SiteSettings());
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->bmi_prompt, c.prompt) << c.kg << " bmi " << plan->bmi.value();
  }
  auto r = Request();
  r.height = Centimeters(180);
  r.weight = Kilograms(90);  // BMI 27.8
  auto plan = PlanDose(r, SiteSettings(1, {{std::string(kBmiPromptThreshold), 27}}));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->bmi_prompt);
}

TEST(DosingPlan, InvalidInputNamesTheField) {
  struct Case {
    std::string name;
    std::function<void(DoseRequest&)> change;
    std::string field;
  };
  const Case cases[] = {
      {"negative_weight", [](DoseRequest& r) { r.weight = Kilograms(-70); }, "weight_kg"},
      {"absurd_weight", [](DoseRequest& r) { r.weight = Kilograms(700); }, "weight_kg"},
      {"height", [](DoseRequest& r) { r.height = Centimeters(17.5); }, "height_cm"},
      {"sex", [](DoseRequest& r) { r.sex = Sex::kUnknown; }, "sex"},
      {"zero_dose", [](DoseRequest& r) { r.mg_per_kg = MgPerKg(0); }, "mg_per_kg"},
      {"above_cap", [](DoseRequest& r) { r.mg_per_kg = MgPerKg(1.01); }, "mg_per_kg"},
      // 1.0 mg/kg × 160 kg = 160 mg > 150 mg absolute cap.
      {"above_absolute_cap",
       [](DoseRequest& r) {
         r.weight = Kilograms(160);
         r.mg_per_kg = MgPerKg(1.0);
       },
       "dose_mg"},
      {"concentration", [](DoseRequest& r) { r.concentration = MgPerMl(0); },
       "concentration_mg_per_ml"},
      {"too_short", [](DoseRequest& r) { r.minutes = Minutes(39.9); }, "minutes"},
      {"too_long", [](DoseRequest& r) { r.minutes = Minutes(101); }, "minutes"},
  };
  for (const auto& c : cases) {
    auto r = Request();
    c.change(r);
    auto plan = PlanDose(r, SiteSettings());
    ASSERT_FALSE(plan.ok()) << c.name;
    EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(plan.status().field(), c.field) << c.name;
  }
}

TEST(DosingPlan, CapsAndDurationsAreSettings) {
  auto r = Request();
  r.mg_per_kg = MgPerKg(1.0);
  EXPECT_TRUE(PlanDose(r, SiteSettings()).ok());  // exactly at the cap
  EXPECT_EQ(PlanDose(r, SiteSettings(1, {{std::string(kMaxMgPerKg), 0.75}})).status().field(),
            "mg_per_kg");
  EXPECT_EQ(PlanDose(r, SiteSettings(1, {{std::string(kMaxDoseMg), 60}})).status().field(),
            "dose_mg");
  r.minutes = Minutes(100);
  EXPECT_TRUE(PlanDose(r, SiteSettings()).ok());
  EXPECT_EQ(PlanDose(r, SiteSettings(1, {{std::string(kMaxMinutes), 60}})).status().field(),
            "minutes");
  auto plan = PlanDose(r, SiteSettings(9, {}));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->settings_version, 9);
  EXPECT_FALSE(plan->settings_used.empty());
}

// --- Titration ---------------------------------------------------------------------------------

SessionOutcome S(double mg_per_kg, double minutes, std::optional<int> after,
                 std::vector<ToleranceEvent> events = {}) {
  return {MgPerKg(mg_per_kg), Minutes(minutes), std::nullopt, after,
          std::nullopt,       std::move(events)};
}

TEST(Titration, Rules) {
  using A = TitrationAction;
  struct Case {
    std::string name;
    std::vector<SessionOutcome> history;
    std::optional<int> baseline;
    A action;
    double mg_per_kg;
    double minutes;
  };
  const auto kVomit = ToleranceEvent::kVomiting;
  const Case cases[] = {
      // Baseline 20; 16 = 20 % drop < 25 % after 2 tolerated infusions: step up 0.1.
      {"step_up", {S(0.5, 40, 18), S(0.5, 40, 16)}, 20, A::kStepUp, 0.6, 40},
      // 15 = 25 % drop: meaningful, keep.
      {"keep_at_25_percent", {S(0.5, 40, 18), S(0.5, 40, 15)}, 20, A::kKeep, 0.5, 40},
      {"keep_too_early", {S(0.5, 40, 19)}, 20, A::kKeep, 0.5, 40},
      // A step up resets the count at the new dose.
      {"keep_after_step_up",
       {S(0.5, 40, 19), S(0.5, 40, 19), S(0.6, 40, 19)},
       20,
       A::kKeep,
       0.6,
       40},
      {"keep_events_at_dose", {S(0.5, 40, 19, {kVomit}), S(0.5, 40, 19)}, 20, A::kKeep, 0.5, 40},
      {"keep_at_max", {S(1.0, 40, 19), S(1.0, 40, 19)}, 20, A::kKeep, 1.0, 40},
      {"step_up_capped", {S(0.95, 40, 19), S(0.95, 40, 19)}, 20, A::kStepUp, 1.0, 40},
      {"lengthen_on_vomiting", {S(0.5, 40, 10, {kVomit})}, 20, A::kLengthen, 0.5, 60},
      {"lengthen_on_dissociation",
       {S(0.5, 60, 10, {ToleranceEvent::kSevereDissociation})},
       20,
       A::kLengthen,
       0.5,
       80},
      {"step_down_at_longest",
       {S(0.5, 100, 10, {ToleranceEvent::kBpEvent})},
       20,
       A::kStepDown,
       0.4,
       100},
      {"keep_at_floor_and_longest", {S(0.1, 100, 10, {kVomit})}, 20, A::kKeep, 0.1, 100},
      {"keep_no_phq9", {S(0.5, 40, std::nullopt), S(0.5, 40, std::nullopt)}, 20, A::kKeep, 0.5, 40},
  };
  for (const auto& c : cases) {
    auto s = SuggestTitration(c.history, c.baseline, SiteSettings());
    ASSERT_TRUE(s.ok()) << c.name << ": " << s.status().message();
    EXPECT_EQ(s->action, c.action) << c.name << ": " << s->reason;
    EXPECT_NEAR(s->mg_per_kg.value(), c.mg_per_kg, 1e-9) << c.name;
    EXPECT_NEAR(s->minutes.value(), c.minutes, 1e-9) << c.name;
    EXPECT_FALSE(s->reason.empty()) << c.name;
  }
}

TEST(Titration, PercentImprovementAndSettings) {
  // No baseline: the recorded improvement is used.
  std::vector<SessionOutcome> h = {S(0.5, 40, std::nullopt), S(0.5, 40, std::nullopt)};
  h[1].improvement_percent = 10;
  auto s = SuggestTitration(h, std::nullopt, SiteSettings());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->action, TitrationAction::kStepUp);
  EXPECT_NEAR(*s->improvement_percent, 10, 1e-12);
  // Step 0.25 and prefer step down are site settings.
  SiteSettings site(
      3, {{std::string(kTitrationStepUp), 0.25}, {std::string(kTitrationPreferLengthen), 0}});
  s = SuggestTitration(h, std::nullopt, site);
  ASSERT_TRUE(s.ok());
  EXPECT_NEAR(s->mg_per_kg.value(), 0.75, 1e-12);
  EXPECT_EQ(s->settings_version, 3);
  s = SuggestTitration({S(0.5, 40, 10, {ToleranceEvent::kVomiting})}, 20, site);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->action, TitrationAction::kStepDown);
  // Three infusions required by the site: two is too early.
  s = SuggestTitration({S(0.5, 40, 19), S(0.5, 40, 19)}, 20,
                       SiteSettings(4, {{std::string(kTitrationMinSessions), 3}}));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->action, TitrationAction::kKeep);
}

TEST(Titration, InvalidInputNamesTheField) {
  EXPECT_EQ(SuggestTitration({}, 20, SiteSettings()).status().field(), "history");
  EXPECT_EQ(SuggestTitration({S(0.5, 40, 28)}, 20, SiteSettings()).status().field(),
            "history[0].phq9_after");
  EXPECT_EQ(SuggestTitration({S(0.5, 40, 10)}, -1, SiteSettings()).status().field(),
            "baseline_phq9");
  EXPECT_EQ(SuggestTitration({S(0.5, 40, 10), S(0, 40, 10)}, 20, SiteSettings()).status().field(),
            "history[1].mg_per_kg");
}

TEST(DosingSettings, DefinedWithCitations) {
  for (auto key : {kMaxMgPerKg, kMaxDoseMg, kMinMinutes, kMaxMinutes, kBmiPromptThreshold,
                   kAdjustedBwFactor, kTitrationMinSessions, kTitrationMinImprovementPercent,
                   kTitrationStepUp, kTitrationStepDown, kTitrationMinMgPerKg,
                   kTitrationLengthenMinutes, kTitrationPreferLengthen}) {
    const auto* def = FindSetting(key);
    ASSERT_NE(def, nullptr) << key;
    EXPECT_FALSE(def->citation.empty()) << key;
  }
  SiteSettings s;
  EXPECT_EQ(s.Get(kMaxMgPerKg), 1.0);
  EXPECT_EQ(s.Get(kMinMinutes), 40);
  EXPECT_EQ(s.Get(kMaxMinutes), 100);
  EXPECT_EQ(s.Get(kBmiPromptThreshold), 30);
}

}  // namespace
}  // namespace kclinic::domain::dosing
