// Plausibility and safety rules of a clinic day over the HTTP API, on SQLite and PostgreSQL
// (issue 21): implausible heights and BMIs and duplicate patients are confirmed before they are
// stored; screening refuses a child and the weights the dose calculation refuses; answers a
// patient gives herself are dated now; a patient probing another record is refused before her
// request is read; `/auth/me` says how the clinic's figures are shown.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support.h"

namespace kclinic::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json PlausibilityPerson(std::string given, std::string family, std::string born, double cm,
                        double kg) {
  return {{"name", {{"given", given}, {"family", family}}},
          {"birth_date", born},
          {"sex", "female"},
          {"height_cm", cm},
          {"weight", {{"date", "2026-11-20"}, {"kg", kg}}}};
}

const json kIntakeWithoutAge = json::parse(R"({
  "sex": "female",
  "diagnoses": [{"code": "mdd", "current_episode": "depressive"}],
  "trials": [
    {"drug": "sertraline", "daily_dose_mg": 150, "weeks": 8, "outcome": "no_response", "in_current_episode": true},
    {"drug": "escitalopram", "daily_dose_mg": 20, "weeks": 8, "outcome": "partial_response", "in_current_episode": true}
  ],
  "medications": [], "conditions": [],
  "vitals": {"systolic_mmhg": 126, "diastolic_mmhg": 80, "heart_rate_bpm": 72, "weight_kg": 71.5, "height_cm": 165},
  "pregnancy": "not_pregnant", "breastfeeding": false, "substance_use": [],
  "checklist_done": ["psychiatric_evaluation", "history_and_physical", "medication_reconciliation",
                     "informed_consent", "baseline_vitals", "pregnancy_test", "urine_toxicology",
                     "ecg_labs", "baseline_rating_scales"]
})");

using PlausibilityApiTest = ServerTest;

int64_t ListedPatients(Client& c) {
  // The search lists at most 100; the demo clinic of the tests is smaller than that.
  auto r = c.Get("/api/v1/patients?limit=100");
  EXPECT_EQ(r.status, 200) << r.body;
  return static_cast<int64_t>(r.json()["items"].size());
}

std::vector<std::string> ConfirmationCodes(const HttpResult& r) {
  std::vector<std::string> out;
  const json body = r.json();
  for (const auto& w : body["warnings"]) out.push_back(w["code"]);
  return out;
}

TEST_P(PlausibilityApiTest, ImplausibleFiguresAreConfirmedBeforeTheyAreStored) {
  Client desk = LoggedIn("desk.miller");
  const int64_t before = ListedPatients(desk);

  // 640 kg at 150 cm (BMI 284) and a height of 30 cm: 409, nothing stored.
  auto heavy =
      desk.Post("/api/v1/patients", PlausibilityPerson("Hedda", "Lund", "1980-02-02", 150, 640));
  ASSERT_EQ(heavy.status, 409) << heavy.body;
  EXPECT_EQ(heavy.json()["error"]["code"], "confirmation_required");
  EXPECT_EQ(ConfirmationCodes(heavy), std::vector<std::string>{"bmi"});
  EXPECT_EQ(heavy.json()["warnings"][0]["field"], "weight.kg");
  EXPECT_THAT(heavy.json()["warnings"][0]["message"].get<std::string>(), HasSubstr("BMI of 284.4"));
  auto tiny =
      desk.Post("/api/v1/patients", PlausibilityPerson("Hedda", "Lund", "1980-02-02", 30, 60));
  ASSERT_EQ(tiny.status, 409) << tiny.body;
  EXPECT_EQ(ConfirmationCodes(tiny), (std::vector<std::string>{"height", "bmi"}));
  EXPECT_EQ(ListedPatients(desk), before);

  // Confirmed, it is stored, and the audit trail says what was confirmed.
  json confirmed = PlausibilityPerson("Hedda", "Lund", "1980-02-02", 150, 640);
  confirmed["confirm"] = true;
  auto stored = desk.Post("/api/v1/patients", confirmed);
  ASSERT_EQ(stored.status, 201) << stored.body;
  const std::string id = stored.json()["id"];
  bool audited = false;
  for (const auto& e : Audit(id)) {
    audited |= e.action == "patient.create" && e.detail == "confirmed: bmi";
  }
  EXPECT_TRUE(audited);
  EXPECT_EQ(ListedPatients(desk), before + 1);

  // A new weight is checked against the record's height the same way.
  auto weight =
      desk.Post("/api/v1/patients/" + id + "/weights", {{"date", "2026-11-21"}, {"kg", 600}});
  ASSERT_EQ(weight.status, 409) << weight.body;
  EXPECT_EQ(weight.json()["warnings"][0]["field"], "kg");
  auto weight_ok = desk.Post("/api/v1/patients/" + id + "/weights",
                             {{"date", "2026-11-21"}, {"kg", 600}, {"confirm", true}});
  EXPECT_EQ(weight_ok.status, 201) << weight_ok.body;
  EXPECT_EQ(desk.Post("/api/v1/patients/" + id + "/weights",
                      {{"date", "2026-11-21"}, {"kg", 70}, {"confirm", "yes"}})
                .json()["error"]["field"],
            "confirm");
}

TEST_P(PlausibilityApiTest, ADuplicatePatientIsShownBeforeASecondRecordIsMade) {
  Client desk = LoggedIn("desk.miller");
  auto first =
      desk.Post("/api/v1/patients", PlausibilityPerson("Greta", "Olsen", "1975-05-05", 168, 66));
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string id = first.json()["id"];
  // The same name in another letter case and the same birth date.
  auto again =
      desk.Post("/api/v1/patients", PlausibilityPerson("greta", "OLSEN", "1975-05-05", 168, 66));
  ASSERT_EQ(again.status, 409) << again.body;
  ASSERT_EQ(ConfirmationCodes(again), std::vector<std::string>{"duplicate"});
  const json match = again.json()["warnings"][0]["matches"][0];
  EXPECT_EQ(match["id"], id);
  EXPECT_EQ(match["birth_date"], "1975-05-05");
  // Another birth date is another person.
  EXPECT_EQ(
      desk.Post("/api/v1/patients", PlausibilityPerson("Greta", "Olsen", "1975-05-06", 168, 66))
          .status,
      201);
  json twin = PlausibilityPerson("Greta", "Olsen", "1975-05-05", 168, 66);
  twin["confirm"] = true;
  EXPECT_EQ(desk.Post("/api/v1/patients", twin).status, 201);
}

TEST_P(PlausibilityApiTest, ScreeningRefusesAChildAndFiguresTheDoseCalculationRefuses) {
  Client dr = LoggedIn("dr.reyes");
  json child = PlausibilityPerson("Lily", "Brandt", "2015-03-01", 145, 38);  // 11 years old
  auto p = dr.Post("/api/v1/patients", child);
  ASSERT_EQ(p.status, 201) << p.body;
  const std::string id = p.json()["id"];
  auto findings_of = [&](const json& intake) {
    auto r = dr.Post("/api/v1/patients/" + id + "/intakes", intake);
    EXPECT_EQ(r.status, 201) << r.body;
    std::map<std::string, std::string> out;
    const json body = r.json();
    for (const auto& f : body["screening"]["findings"]) out[f["rule_id"]] = f["severity"];
    return out;
  };
  // No age in the intake: the record's birth date decides.
  auto f = findings_of(kIntakeWithoutAge);
  EXPECT_EQ(f["age.below_minimum"], "hard_stop");
  json adult = kIntakeWithoutAge;
  adult["age_years"] = 42;
  EXPECT_EQ(findings_of(adult).count("age.below_minimum"), 0u);
  json heavy = adult;
  heavy["vitals"]["weight_kg"] = 640;
  EXPECT_EQ(findings_of(heavy)["plausibility.weight"], "hard_stop");
}

TEST_P(PlausibilityApiTest, SelfReportedAnswersAreDatedNow) {
  Client ana = LoggedIn("ana.silva");
  const std::string own = server_->ana_id();
  json phq = Phq9(8);
  phq["administered_at"] = "1990-01-01T09:00:00.000000Z";
  auto dated = ana.Post("/api/v1/patients/" + own + "/assessments", phq);
  ASSERT_EQ(dated.status, 400) << dated.body;
  EXPECT_EQ(dated.json()["error"]["field"], "administered_at");
  auto now = ana.Post("/api/v1/patients/" + own + "/assessments", Phq9(8));
  ASSERT_EQ(now.status, 201) << now.body;
  EXPECT_EQ(now.json()["assessment"]["administered_at"], FormatTimestamp(server_->clock().Now()));

  // Staff entering a paper form date it back with a reason, within the site's limit.
  Client dr = LoggedIn("dr.reyes");
  json paper = Phq9(11);
  paper["administered_at"] = FormatTimestamp(server_->clock().Now() - std::chrono::hours(48));
  EXPECT_EQ(dr.Post("/api/v1/patients/" + own + "/assessments", paper).json()["error"]["field"],
            "backdate_reason");
  paper["backdate_reason"] = "paper form from the waiting room";
  auto entered = dr.Post("/api/v1/patients/" + own + "/assessments", paper);
  ASSERT_EQ(entered.status, 201) << entered.body;
  EXPECT_EQ(entered.json()["assessment"]["backdate_reason"], "paper form from the waiting room");
  auto listed = dr.Get("/api/v1/patients/" + own + "/outcomes");
  ASSERT_EQ(listed.status, 200) << listed.body;
  bool kept = false;
  const json outcomes = listed.json();
  for (const auto& a : outcomes["assessments"]) {
    kept |= a["backdate_reason"] == "paper form from the waiting room";
  }
  EXPECT_TRUE(kept) << "the reason is stored with the assessment";
  paper["administered_at"] = "1990-01-01T09:00:00.000000Z";
  EXPECT_EQ(dr.Post("/api/v1/patients/" + own + "/assessments", paper).json()["error"]["field"],
            "administered_at");
}

TEST_P(PlausibilityApiTest, AProbeOfAnotherPatientIsRefusedBeforeItsBodyIsRead) {
  Client ana = LoggedIn("ana.silva");
  const std::string other = server_->other_patient_id();
  // An empty body would be a 400 for her own record; for another's it is a denial, audited.
  auto probe = ana.Send("POST", "/api/v1/patients/" + other + "/assessments", "{}",
                        {{"Content-Type", "application/json"}, {"X-CSRF-Token", ana.csrf()}});
  EXPECT_EQ(probe.status, 403) << probe.body;
  auto garbage = ana.Send("POST", "/api/v1/patients/" + other + "/assessments", "not json",
                          {{"Content-Type", "application/json"}, {"X-CSRF-Token", ana.csrf()}});
  EXPECT_EQ(garbage.status, 403) << garbage.body;
  int denials = 0;
  for (const auto& e : Audit(other)) {
    denials += e.outcome == "denied" && e.actor_role == "patient";
  }
  EXPECT_EQ(denials, 2);
  auto own = ana.Send("POST", "/api/v1/patients/" + server_->ana_id() + "/assessments", "{}",
                      {{"Content-Type", "application/json"}, {"X-CSRF-Token", ana.csrf()}});
  EXPECT_EQ(own.status, 400) << own.body;
}

// Issue 21: "Your care team has been notified" on a Saturday, when nobody may see the alert before
// Monday. The patient is told who will see her answers and when.
TEST_P(PlausibilityApiTest, ThePatientIsToldWhenHerAlertWillBeSeen) {
  Client ana = LoggedIn("ana.silva");
  const std::string own = server_->ana_id();
  // Saturday 2026-11-21, 04:00 in New York: closed until Monday 08:00.
  auto saturday = ana.Post("/api/v1/patients/" + own + "/assessments", Phq9(16, 2));
  ASSERT_EQ(saturday.status, 201) << saturday.body;
  const json crisis = saturday.json()["crisis"];
  EXPECT_THAT(crisis["text"].get<std::string>(), HasSubstr("988"));
  EXPECT_THAT(crisis["text"].get<std::string>(), ::testing::Not(HasSubstr("notified")));
  EXPECT_EQ(crisis["follow_up"],
            "Your answers are flagged for your care team, but the clinic is closed now: they will "
            "see them when it opens, Monday, November 23 at 08:00 EST. Until then nobody at the "
            "clinic may see them, so if you need help now, use the numbers "
            "above.");
  // Monday 10:00 in New York: open.
  server_->clock().Set(server_->clock().Now() + std::chrono::hours(54));
  Client again = LoggedIn("ana.silva");
  auto monday = again.Post("/api/v1/patients/" + own + "/assessments", Phq9(16, 2));
  ASSERT_EQ(monday.status, 201) << monday.body;
  EXPECT_THAT(monday.json()["crisis"]["follow_up"].get<std::string>(),
              HasSubstr("The clinic is open until 18:00 EST today"));
}

TEST_P(PlausibilityApiTest, MeSaysHowTheClinicsFiguresAreShown) {
  for (const char* who : {"ana.silva", "nurse.okafor", "desk.miller"}) {
    auto me = LoggedIn(who).Get("/api/v1/auth/me");
    ASSERT_EQ(me.status, 200) << me.body;
    const json clinic = me.json()["clinic"];
    EXPECT_FALSE(clinic["time_zone"].get<std::string>().empty()) << who;
    EXPECT_EQ(clinic["decimals"]["rate_ml_per_h"], 1) << who;
    EXPECT_EQ(clinic["decimals"]["dose_mg"], 1) << who;
  }
  ASSERT_TRUE(app::ChangeSetting(server_->env(), "test", domain::kDisplayRateDecimals, 2,
                                 "pumps programmed to 0.01 mL/h")
                  .ok());
  EXPECT_EQ(
      LoggedIn("nurse.okafor").Get("/api/v1/auth/me").json()["clinic"]["decimals"]["rate_ml_per_h"],
      2);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlausibilityApiTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
