#include "kclinic/codec/intake_json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

namespace kclinic::codec {
namespace {

namespace sc = domain::screening;

TEST(ScreenCodec, ErrorsNameTheField) {
  struct Case {
    std::string body;
    std::string field;
  };
  const Case cases[] = {
      {"{", "body"},
      {"[]", "body"},
      {R"({"sex": "female", "sex": "male"})", "sex"},
      {R"({"colour": "blue"})", "colour"},
      {R"({"sex": 1})", "sex"},
      {R"({"sex": "robot"})", "sex"},
      {R"({"age_years": 41.5})", "age_years"},
      {R"({"age_years": -1})", "age_years"},
      {R"({"birth_date": "1980-02-30"})", "birth_date"},
      {R"({"trials": {}})", "trials"},
      {R"({"trials": [1]})", "trials[0]"},
      {R"({"trials": [{"drug": "a", "outcome": "response"}, {"drug": "b", "outcome": "response"},
                       {"drug": "c", "weeks": "six", "outcome": "response"}]})",
       "trials[2].weeks"},
      {R"({"trials": [{"drug": "a", "weeks": -3, "outcome": "response"}]})", "trials[0].weeks"},
      {R"({"trials": [{"drug": "a", "outcome": "better"}]})", "trials[0].outcome"},
      {R"({"trials": [{"drug": "a"}]})", "trials[0].outcome"},
      {R"({"trials": [{"outcome": "response"}]})", "trials[0].drug"},
      {R"({"trials": [{"drug": "a", "outcome": "response", "dose": 5}]})", "trials[0].dose"},
      {R"({"medications": [{"name": "x", "daily_dose_mg": "10"}]})",
       "medications[0].daily_dose_mg"},
      {R"({"conditions": ["raised_iop", "gout"]})", "conditions[1]"},
      {R"({"conditions": [3]})", "conditions[0]"},
      {R"({"vitals": {"systolic_mmhg": "high"}})", "vitals.systolic_mmhg"},
      {R"({"vitals": {"pulse": 70}})", "vitals.pulse"},
      {R"({"pregnancy": "maybe"})", "pregnancy"},
      {R"({"breastfeeding": "no"})", "breastfeeding"},
      {R"({"diagnoses": [{"code": "mdd", "current_episode": "sad"}]})",
       "diagnoses[0].current_episode"},
      {R"({"diagnoses": [{"current_episode": "depressive"}]})", "diagnoses[0].code"},
      {R"({"substance_use": [{"substance": "tea"}]})", "substance_use[0].substance"},
      {R"({"checklist_done": ["informed_consent", "vibes"]})", "checklist_done[1]"},
  };
  for (const auto& c : cases) {
    auto r = IntakeFromText(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.body;
    EXPECT_EQ(r.status().field(), c.field) << c.body << ": " << r.status().message();
  }
}

TEST(ScreenCodec, ReadsEveryMemberAndRoundTrips) {
  auto r = IntakeFromText(R"({
    "sex": "female", "age_years": 40, "birth_date": "1985-01-02", "assessed_on": "2025-05-06",
    "diagnoses": [{"code": "bipolar_ii", "current_episode": "mixed"}],
    "trials": [{"drug": "sertraline", "daily_dose_mg": 100, "weeks": 8, "outcome": "partial_response",
                "in_current_episode": false}],
    "medications": [{"name": "lithium", "daily_dose_mg": 900}, {"name": "herbal tea"}],
    "conditions": ["raised_iop"],
    "vitals": {"systolic_mmhg": 130, "diastolic_mmhg": 85, "heart_rate_bpm": 70, "weight_kg": 80.5,
               "height_cm": 170},
    "pregnancy": "not_applicable", "breastfeeding": true,
    "substance_use": [{"substance": "cannabis", "current": false}],
    "checklist_done": ["informed_consent"]})");
  ASSERT_TRUE(r.ok()) << r.status().field() << ": " << r.status().message();
  const sc::Intake& in = *r;
  EXPECT_EQ(in.sex, domain::Sex::kFemale);
  EXPECT_EQ(in.age_years, 40);
  EXPECT_EQ(in.diagnoses.at(0).code, sc::Diagnosis::kBipolarII);
  EXPECT_EQ(in.diagnoses.at(0).current_episode, sc::Episode::kMixed);
  EXPECT_EQ(in.trials.at(0).daily_dose->value(), 100);
  EXPECT_EQ(in.trials.at(0).weeks, 8);
  EXPECT_FALSE(in.trials.at(0).in_current_episode);
  EXPECT_FALSE(in.medications.at(1).daily_dose.has_value());
  EXPECT_EQ(in.conditions, std::vector<sc::Condition>{sc::Condition::kRaisedIop});
  EXPECT_EQ(in.vitals.weight->value(), 80.5);
  EXPECT_EQ(in.pregnancy, sc::PregnancyStatus::kNotApplicable);
  EXPECT_TRUE(in.breastfeeding);
  EXPECT_FALSE(in.substance_use.at(0).current);
  EXPECT_EQ(in.checklist_done.size(), 1u);

  auto again = IntakeFromJson(nlohmann::json::parse(IntakeToJson(in).dump()));
  ASSERT_TRUE(again.ok()) << again.status().field();
  EXPECT_EQ(IntakeToJson(*again), IntakeToJson(in));
}

std::string Golden(const std::string& name) {
  std::ifstream f(std::string(KCLINIC_SOURCE_DIR) + "/tests/golden/screening/" + name);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

TEST(ScreenGolden, CleanCandidateHasNoFindings) {
  auto in = IntakeFromText(Golden("clean_candidate.json"));
  ASSERT_TRUE(in.ok()) << in.status().field() << ": " << in.status().message();
  auto json = ScreeningResultToJson(sc::Screen(*in, domain::SiteSettings()));
  EXPECT_TRUE(json["findings"].empty()) << json.dump(2);
  EXPECT_EQ(json["trd"]["meets_trd"], true);
  EXPECT_EQ(json["rules_version"], sc::kRulesVersion);
}

TEST(ScreenGolden, ComplexCandidate) {
  auto in = IntakeFromText(Golden("complex_candidate.json"));
  ASSERT_TRUE(in.ok()) << in.status().field() << ": " << in.status().message();
  auto json = ScreeningResultToJson(sc::Screen(*in, domain::SiteSettings(5, {})));
  std::map<std::string, std::string> by_rule;
  for (const auto& f : json["findings"]) {
    by_rule[f["rule_id"].get<std::string>()] = f["severity"].get<std::string>();
    EXPECT_TRUE(f.contains("setting"));
    EXPECT_FALSE(f["citation"].get<std::string>().empty());
  }
  // 184/96 > 180/100 by systolic.
  EXPECT_EQ(by_rule["bp.uncontrolled"], "hard_stop");
  EXPECT_EQ(by_rule["contraindication.raised_iop"], "override_required");
  EXPECT_EQ(by_rule["contraindication.ischaemic_heart_disease"], "override_required");
  // Lamotrigine is a mood stabiliser: no bipolar finding, but a possible interaction.
  EXPECT_EQ(by_rule.count("bipolar.no_mood_stabiliser"), 0u);
  EXPECT_EQ(by_rule["interaction.lamotrigine"], "warning");
  EXPECT_EQ(by_rule["interaction.gabapentinoid"], "warning");
  EXPECT_EQ(by_rule["interaction.alcohol"], "warning");
  // Clonazepam 1 mg = 20 mg diazepam-equivalent.
  EXPECT_EQ(by_rule["interaction.benzodiazepine"], "warning");
  EXPECT_DOUBLE_EQ(json["diazepam_equivalent_mg_per_day"].get<double>(), 20);
  EXPECT_EQ(by_rule["missing.pregnancy_status"], "missing_data");
  EXPECT_EQ(by_rule["checklist.ecg_labs"], "missing_data");
  EXPECT_EQ(by_rule["checklist.medication_reconciliation"], "missing_data");
  // Only agomelatine counts (by duration, unknown minimum dose): TRD not met.
  EXPECT_EQ(json["trd"]["adequate_failed_trials"], 1);
  EXPECT_EQ(json["trd"]["meets_trd"], false);
  EXPECT_EQ(by_rule["trd.not_met"], "override_required");
  EXPECT_EQ(by_rule["missing.trial_min_dose"], "missing_data");
  EXPECT_EQ(json["settings_version"], 5);
}

TEST(ScreenGolden, BadTrialWeeksNamesTheField) {
  auto in = IntakeFromText(Golden("bad_trial_weeks.json"));
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().field(), "trials[2].weeks");
}

}  // namespace
}  // namespace kclinic::codec
