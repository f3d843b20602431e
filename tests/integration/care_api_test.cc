// Measurement-based care and screening over the HTTP API, on SQLite and PostgreSQL: a synthetic
// course whose outcomes were computed by hand, the suicidal-ideation alert from the portal to a
// prescriber's acknowledgement, bad input that changes nothing, and screening → plan.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kclinic/app/care.h"
#include "kclinic/domain/scales/scale_settings.h"
#include "support.h"

namespace kclinic::testing {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;

const json kCandidate = {
    {"name", {{"given", "Iris"}, {"family", "Vandermeer"}}},
    {"birth_date", "1984-03-02"},
    {"sex", "female"},
    {"height_cm", 165},
    {"weight", {{"date", "2026-11-20"}, {"kg", 71.5}}},
};

const json kCleanIntake = json::parse(R"({
  "sex": "female", "age_years": 42,
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

class CareApiTest : public ServerTest {
 protected:
  std::string NewPatient(Client& c) {
    auto r = c.Post("/api/v1/patients", kCandidate);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"];
  }
  int CountAssessments(const std::string& patient_id) {
    auto tx = server_->store().Begin(domain::TxMode::kRead);
    return static_cast<int>((*tx)->care().Assessments(PatientId(patient_id)).value().size());
  }
};

// Baseline PHQ-9 20 two days before the first of six infusions (Oct 1, 3, 6, 8, 10, 13 at
// 09:00). By hand: 16 (-20 %), 12 (-40 %), 10 on Oct 8 08:00 (-50 %: first response, 6 d 23 h
// after the first infusion, after 3 infusions), 4 on Oct 13 (remission: PHQ-9 < 5), 6 on Oct 20
// (-70 %: responder), 12 on Oct 27 (-40 %: response lost), 13 on Nov 5 (lost again 9 days
// later, within 5-15 days: relapse confirmed on Nov 5).
TEST_P(CareApiTest, SyntheticCourseReproducesHandComputedResponseRemissionAndRelapse) {
  // The course's questionnaires are entered from paper afterwards, up to 53 days back: a site
  // that allows it (the default is 14 days).
  {
    auto tx = server_->store().Begin(domain::TxMode::kWrite);
    ASSERT_TRUE((*tx)
                    ->settings()
                    .Set(domain::scales::kBackdateMaxDays, 90,
                         {server_->clock().Now(), "admin", "paper records entered late"})
                    .ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  server_->settings().Invalidate();
  Client dr = LoggedIn("dr.reyes");
  const std::string id = NewPatient(dr);
  auto course =
      dr.Post("/api/v1/patients/" + id + "/courses",
              {{"primary_clinician", "dr.tanaka"}, {"started_at", "2026-10-01T09:00:00.000000Z"}});
  ASSERT_EQ(course.status, 201) << course.body;
  const std::string course_id = course.json()["id"];
  for (const char* day : {"01", "03", "06", "08", "10", "13"}) {
    auto s = dr.Post("/api/v1/courses/" + course_id + "/sessions",
                     {{"at", std::string("2026-10-") + day + "T09:00:00.000000Z"}});
    ASSERT_EQ(s.status, 201) << s.body;
  }
  const std::pair<const char*, int> series[] = {
      {"2026-09-29T09:00:00.000000Z", 20}, {"2026-10-03T08:00:00.000000Z", 16},
      {"2026-10-06T08:00:00.000000Z", 12}, {"2026-10-08T08:00:00.000000Z", 10},
      {"2026-10-13T08:00:00.000000Z", 4},  {"2026-10-20T08:00:00.000000Z", 6},
      {"2026-10-27T08:00:00.000000Z", 12}, {"2026-11-05T08:00:00.000000Z", 13}};
  for (const auto& [at, total] : series) {
    json body = Phq9(total);
    body["administered_at"] = at;
    body["backdate_reason"] = "entered from the paper form";
    auto r = dr.Post("/api/v1/patients/" + id + "/assessments", body);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["assessment"]["total"], total);
  }

  auto r = dr.Get("/api/v1/patients/" + id + "/outcomes");
  ASSERT_EQ(r.status, 200) << r.body;
  json out = r.json();
  ASSERT_EQ(out["outcomes"].size(), 1u) << "only PHQ-9 was given";
  json phq = out["outcomes"][0];
  EXPECT_EQ(phq["instrument"], "phq9");
  EXPECT_EQ(phq["baseline"]["total"], 20);
  EXPECT_EQ(phq["baseline"]["at"], "2026-09-29T09:00:00.000000Z");
  EXPECT_EQ(phq["remission_threshold"], 4);
  EXPECT_EQ(phq["first_response_at"], "2026-10-08T08:00:00.000000Z");
  EXPECT_NEAR(phq["time_to_first_response_days"].get<double>(), 6 + 23.0 / 24, 1e-9);
  EXPECT_EQ(phq["sessions_to_first_response"], 3);
  EXPECT_EQ(phq["first_remission_at"], "2026-10-13T08:00:00.000000Z");
  ASSERT_EQ(phq["relapses"].size(), 1u);
  EXPECT_EQ(phq["relapses"][0]["onset_at"], "2026-10-27T08:00:00.000000Z");
  EXPECT_EQ(phq["relapses"][0]["confirmed_at"], "2026-11-05T08:00:00.000000Z");
  EXPECT_EQ(phq["status"], "relapse");
  const json& points = phq["points"];
  ASSERT_EQ(points.size(), 8u);
  EXPECT_TRUE(points[0]["baseline"]);
  EXPECT_NEAR(points[3]["change_percent"].get<double>(), -50.0, 1e-9);
  EXPECT_TRUE(points[3]["response"]);
  EXPECT_FALSE(points[2]["response"]);
  EXPECT_TRUE(points[4]["remission"]);
  EXPECT_FALSE(points[5]["remission"]);
  EXPECT_TRUE(points[7]["relapse"]);
  for (const auto& p : points) EXPECT_TRUE(p["assessment_id"].is_string()) << p;
  // The chart gets the infusions with the course.
  ASSERT_EQ(out["courses"].size(), 1u);
  EXPECT_EQ(out["courses"][0]["sessions"].size(), 6u);
}

TEST_P(CareApiTest, PortalSuicidalIdeationAlertsTheClinicianUntilAcknowledged) {
  const std::string ana = server_->ana_id();
  Client portal = LoggedIn("ana.silva");
  auto r = portal.Post("/api/v1/patients/" + ana + "/assessments", Phq9(9, 1));
  ASSERT_EQ(r.status, 201) << r.body;
  json answer = r.json();
  EXPECT_THAT(answer["assessment"]["flags"], Contains("suicidal_ideation"));
  EXPECT_EQ(answer["assessment"]["source"], "portal");
  ASSERT_TRUE(answer.contains("crisis"));
  EXPECT_THAT(answer["crisis"]["text"].get<std::string>(), HasSubstr("988"));
  const std::string alert_id = answer["alert_id"];

  // Every prescriber sees it; it is routed to Ana's primary clinician. Nurses may not list alerts.
  Client tanaka = LoggedIn("dr.tanaka");
  auto alerts = tanaka.Get("/api/v1/alerts");
  ASSERT_EQ(alerts.status, 200);
  json mine;
  const json listed = alerts.json();
  for (const auto& a : listed["alerts"]) {
    if (a["id"] == alert_id) mine = a;
  }
  ASSERT_FALSE(mine.is_null()) << alerts.body;
  EXPECT_EQ(mine["routed_to"], "dr.reyes");
  EXPECT_EQ(mine["patient"]["id"], ana);
  EXPECT_FALSE(mine["escalated"]);
  EXPECT_EQ(LoggedIn("nurse.okafor").Get("/api/v1/alerts").status, 403);

  // Unacknowledged past the site's escalation time (60 min by default): escalated.
  server_->clock().Advance(std::chrono::minutes(61));
  Client reyes = LoggedIn("dr.reyes");
  bool escalated = false;
  const json later = reyes.Get("/api/v1/alerts").json();
  for (const auto& a : later["alerts"]) {
    if (a["id"] == alert_id) escalated = a["escalated"];
  }
  EXPECT_TRUE(escalated);

  // Acknowledging needs the action taken; once done it leaves the open list.
  auto bad = reyes.Post("/api/v1/alerts/" + alert_id + "/acknowledge", {{"action", "  "}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["field"], "action");
  auto ack = reyes.Post("/api/v1/alerts/" + alert_id + "/acknowledge",
                        {{"action", "Called her; safety plan reviewed"}});
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.json()["acknowledged_by"], "dr.reyes");
  EXPECT_EQ(reyes.Post("/api/v1/alerts/" + alert_id + "/acknowledge", {{"action", "again"}}).status,
            412);
  const json after = reyes.Get("/api/v1/alerts").json();
  for (const auto& a : after["alerts"]) EXPECT_NE(a["id"], alert_id);

  std::set<std::string> actions;
  for (const auto& e : Audit(ana)) actions.insert(e.action);
  EXPECT_TRUE(actions.count("assessment.create"));
  EXPECT_TRUE(actions.count("alert.create"));
  EXPECT_TRUE(actions.count("alert.acknowledge"));
  EXPECT_TRUE(actions.count("alert.list"));
}

TEST_P(CareApiTest, TheSiteWordsItsOwnCrisisResources) {
  ASSERT_TRUE(app::CareService::SetSiteText(server_->env(), "admin", "crisis_resources",
                                            "Call the Springfield crisis line 555-0100.",
                                            "local service")
                  .ok());
  Client portal = LoggedIn("ana.silva");
  auto r = portal.Post("/api/v1/patients/" + server_->ana_id() + "/assessments", Phq9(5, 2));
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.json()["crisis"]["text"], "Call the Springfield crisis line 555-0100.");
  EXPECT_EQ(portal.Get("/api/v1/site/crisis-resources").json()["text"],
            "Call the Springfield crisis line 555-0100.");
  // Without a safety flag there is no crisis block.
  auto calm = portal.Post("/api/v1/patients/" + server_->ana_id() + "/assessments", Phq9(5));
  EXPECT_FALSE(calm.json().contains("crisis"));
}

TEST_P(CareApiTest, PatientsEnterOnlyTheirOwnSelfRatedScales) {
  const std::string ana = server_->ana_id();
  Client portal = LoggedIn("ana.silva");
  json madrs = {{"instrument", "madrs"}, {"items", {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}}};
  EXPECT_EQ(portal.Post("/api/v1/patients/" + ana + "/assessments", madrs).status, 403);
  EXPECT_EQ(portal.Post("/api/v1/patients/" + server_->other_patient_id() + "/assessments", Phq9(3))
                .status,
            403);
  EXPECT_EQ(portal.Get("/api/v1/patients/" + server_->other_patient_id() + "/outcomes").status,
            403);
  // A nurse enters the clinician-rated scale from the licensed form.
  auto nurse = LoggedIn("nurse.okafor").Post("/api/v1/patients/" + ana + "/assessments", madrs);
  ASSERT_EQ(nurse.status, 201) << nurse.body;
  EXPECT_EQ(nurse.json()["assessment"]["total"], 10);
  EXPECT_EQ(nurse.json()["assessment"]["source"], "clinic");
  int denied = 0;
  for (const auto& e : Audit(ana)) denied += e.outcome == "denied";
  EXPECT_GE(denied, 1);
}

struct BadAssessment {
  json body;
  std::string field;
};

TEST_P(CareApiTest, BadAnswersNameTheItemAndStoreNothing) {
  Client nurse = LoggedIn("nurse.okafor");
  const std::string ana = server_->ana_id();
  const int before = CountAssessments(ana);
  const BadAssessment cases[] = {
      {{{"instrument", "phq9"}, {"items", {1, 1, 4, 1, 1, 1, 1, 1, 0}}}, "item_3"},
      {{{"instrument", "gad7"}, {"items", {1, 1, 1, 1, 1, 1, 1, 1}}}, "item_8"},
      {{{"instrument", "gad7"}, {"items", {1, 1, nullptr, 1, 1, 1, 1}}}, "item_3"},
      {{{"instrument", "phq9"}, {"items", {1, 1, 1, 1, 1, 1, 1, 1, -1}}}, "item_9"},
      {{{"instrument", "phq9"}, {"items", {1, "a", 1}}}, "item_2"},
      {{{"instrument", "phq-9"}, {"items", {1}}}, "instrument"},
      {{{"items", {1}}}, "instrument"},
      {{{"instrument", "phq9"}}, "items"},
      {{{"instrument", "phq9"}, {"items", {0, 0, 0, 0, 0, 0, 0, 0, 0}}, {"score", 3}}, "score"},
      {{{"instrument", "phq9"},
        {"items", {0, 0, 0, 0, 0, 0, 0, 0, 0}},
        {"administered_at", "2027-01-01T00:00:00.000000Z"}},
       "administered_at"},
      {{{"instrument", "phq9"},
        {"items", {0, 0, 0, 0, 0, 0, 0, 0, 0}},
        {"administered_at", "yesterday"}},
       "administered_at"},
      {{{"instrument", "cssrs-screener"}, {"items", {0, 0, 1, 0, 0, 0}}}, "item_3"},
  };
  for (const auto& c : cases) {
    auto r = nurse.Post("/api/v1/patients/" + ana + "/assessments", c.body);
    EXPECT_EQ(r.status, 400) << c.body << " " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], c.field) << c.body << " " << r.body;
  }
  auto malformed = nurse.Send(
      "POST", "/api/v1/patients/" + ana + "/assessments",
      "{\"instrument\":", {{"Content-Type", "application/json"}, {"X-CSRF-Token", nurse.csrf()}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(
      nurse.Post("/api/v1/patients/00000000000000000000000000000000/assessments", Phq9(3)).status,
      404);
  EXPECT_EQ(CountAssessments(ana), before);
}

TEST_P(CareApiTest, AnaOwesHerQuestionnairesBeforeTheNextBooster) {
  Client portal = LoggedIn("ana.silva");
  auto r = portal.Get("/api/v1/patients/" + server_->ana_id() + "/questionnaires");
  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::string> due;
  const json listed = r.json();
  for (const auto& d : listed["due"]) due.insert(d["instrument"]);
  EXPECT_TRUE(due.count("phq9")) << r.body;
  // Answering removes it from the list.
  ASSERT_EQ(portal.Post("/api/v1/patients/" + server_->ana_id() + "/assessments", Phq9(6)).status,
            201);
  const json again = portal.Get("/api/v1/patients/" + server_->ana_id() + "/questionnaires").json();
  for (const auto& d : again["due"]) EXPECT_NE(d["instrument"], "phq9") << d;
}

TEST_P(CareApiTest, CoursesAreValidated) {
  Client dr = LoggedIn("dr.reyes");
  const std::string id = NewPatient(dr);
  auto nurse_clinician =
      dr.Post("/api/v1/patients/" + id + "/courses", {{"primary_clinician", "nurse.okafor"}});
  EXPECT_EQ(nurse_clinician.status, 400);
  EXPECT_EQ(nurse_clinician.json()["error"]["field"], "primary_clinician");
  auto bad_kind = dr.Post("/api/v1/patients/" + id + "/courses",
                          {{"primary_clinician", "dr.reyes"}, {"kind", "oral"}});
  EXPECT_EQ(bad_kind.json()["error"]["field"], "kind");
  auto ok = dr.Post("/api/v1/patients/" + id + "/courses", {{"primary_clinician", "dr.reyes"}});
  ASSERT_EQ(ok.status, 201);
  EXPECT_EQ(
      dr.Post("/api/v1/patients/" + id + "/courses", {{"primary_clinician", "dr.reyes"}}).status,
      409);
  const std::string course = ok.json()["id"];
  auto future = dr.Post("/api/v1/courses/" + course + "/sessions",
                        {{"at", "2027-01-01T09:00:00.000000Z"}, {"status", "given"}});
  EXPECT_EQ(future.json()["error"]["field"], "at");
  auto phase = dr.Patch("/api/v1/courses/" + course, {{"phase", "paused"}});
  EXPECT_EQ(phase.json()["error"]["field"], "phase");
  EXPECT_EQ(dr.Patch("/api/v1/courses/" + course, {{"phase", "maintenance"}}).status, 200);
  EXPECT_EQ(
      dr.Patch("/api/v1/courses/ffffffffffffffffffffffffffffffff", {{"phase", "ended"}}).status,
      404);
}

TEST_P(CareApiTest, ScreeningDecisionThenInfusionPlan) {
  Client dr = LoggedIn("dr.reyes");
  const std::string id = NewPatient(dr);
  // No plan before an approved screening.
  EXPECT_EQ(dr.Post("/api/v1/patients/" + id + "/infusion-plans", json::object()).status, 412);

  // Uncontrolled hypertension is a hard stop: approval is refused, naming the decision.
  json hypertensive = kCleanIntake;
  hypertensive["vitals"]["systolic_mmhg"] = 188;
  hypertensive["vitals"]["diastolic_mmhg"] = 106;
  auto first = dr.Post("/api/v1/patients/" + id + "/intakes", hypertensive);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["intake"]["version"], 1);
  bool hard_stop = false;
  const json first_json = first.json();
  for (const auto& f : first_json["screening"]["findings"]) {
    hard_stop = hard_stop || f["severity"] == "hard_stop";
  }
  EXPECT_TRUE(hard_stop) << first.body;
  auto refused = dr.Post("/api/v1/patients/" + id + "/screening/decisions",
                         {{"intake_id", first.json()["intake"]["id"]},
                          {"decision", "approve"},
                          {"reason", "looks fine"}});
  EXPECT_EQ(refused.status, 400) << refused.body;

  // Re-screened after treatment: a new version, approved.
  auto second = dr.Post("/api/v1/patients/" + id + "/intakes", kCleanIntake);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.json()["intake"]["version"], 2);
  EXPECT_TRUE(second.json()["screening"]["trd"]["meets_trd"]) << second.body;
  // Deciding on the superseded version is refused.
  EXPECT_EQ(dr.Post("/api/v1/patients/" + id + "/screening/decisions",
                    {{"intake_id", first.json()["intake"]["id"]}, {"decision", "decline"}})
                .status,
            412);
  auto approved = dr.Post("/api/v1/patients/" + id + "/screening/decisions",
                          {{"intake_id", second.json()["intake"]["id"]},
                           {"decision", "approve"},
                           {"reason", "TRD, two adequate failed trials"}});
  ASSERT_EQ(approved.status, 201) << approved.body;
  EXPECT_EQ(approved.json()["decided_by"], "dr.reyes");
  EXPECT_EQ(approved.json()["rules_version"], 1);

  // 0.5 mg/kg × 71.5 kg = 35.75 mg; 3.575 mL at 10 mg/mL; over 40 min 5.3625 mL/h.
  auto plan = dr.Post("/api/v1/patients/" + id + "/infusion-plans",
                      {{"mg_per_kg", 0.5}, {"concentration_mg_per_ml", 10}, {"minutes", 40}});
  ASSERT_EQ(plan.status, 201) << plan.body;
  json dose = plan.json()["dose"];
  EXPECT_NEAR(dose["dose_mg"].get<double>(), 35.75, 1e-9);
  EXPECT_NEAR(dose["volume_ml"].get<double>(), 3.575, 1e-9);
  EXPECT_NEAR(dose["rate_ml_per_h"].get<double>(), 5.3625, 1e-9);
  // The predicted curve of the planned infusion from the chosen model, beside 60 and 100 min.
  json pk = plan.json()["pk"];
  EXPECT_EQ(pk["model"], "clements");
  ASSERT_EQ(pk["curves"].size(), 3u);
  EXPECT_EQ(pk["curves"][0]["minutes"], 40.0);
  EXPECT_TRUE(pk["curves"][0]["planned"]);
  EXPECT_EQ(pk["curves"][1]["minutes"], 60.0);
  EXPECT_EQ(pk["curves"][0]["plasma"].size(), pk["times_min"].size());
  // The same dose spread over longer peaks lower.
  EXPECT_GT(pk["curves"][0]["cmax_ng_per_ml"].get<double>(),
            pk["curves"][2]["cmax_ng_per_ml"].get<double>());
  auto unknown_model =
      dr.Post("/api/v1/patients/" + id + "/infusion-plans/preview", {{"model", "marsh"}});
  EXPECT_EQ(unknown_model.json()["error"]["field"], "model");
  auto too_much = dr.Post("/api/v1/patients/" + id + "/infusion-plans/preview",
                          {{"mg_per_kg", 3}, {"concentration_mg_per_ml", 10}, {"minutes", 40}});
  EXPECT_EQ(too_much.status, 400);
  EXPECT_EQ(too_much.json()["error"]["field"], "mg_per_kg");
  auto overview = LoggedIn("nurse.okafor").Get("/api/v1/patients/" + id + "/screening");
  ASSERT_EQ(overview.status, 200);
  EXPECT_EQ(overview.json()["decision"]["decision"], "approve");
  EXPECT_EQ(overview.json()["plans"].size(), 1u);
  EXPECT_EQ(overview.json()["decisions"].size(), 1u);
}

// Three infusions at 0.5 mg/kg over 40 min; PHQ-9 20 at baseline, 18 after the third: a 10 %
// improvement, under the 25 % the site expects after 2-3 infusions (CLINICAL.md §2), tolerated
// well → step up by 0.1 mg/kg. Vomiting in the latest session → lengthen the infusion instead.
TEST_P(CareApiTest, TitrationIsSuggestedFromResponseAndTolerability) {
  Client dr = LoggedIn("dr.reyes");
  const std::string id = NewPatient(dr);
  auto intake = dr.Post("/api/v1/patients/" + id + "/intakes", kCleanIntake);
  ASSERT_EQ(intake.status, 201);
  ASSERT_EQ(dr.Post("/api/v1/patients/" + id + "/screening/decisions",
                    {{"intake_id", intake.json()["intake"]["id"]}, {"decision", "approve"}})
                .status,
            201);
  EXPECT_EQ(dr.Get("/api/v1/patients/" + id + "/titration").status, 412);  // no course yet
  ASSERT_EQ(
      dr.Post("/api/v1/patients/" + id + "/infusion-plans", {{"mg_per_kg", 0.5}, {"minutes", 40}})
          .status,
      201);
  auto course =
      dr.Post("/api/v1/patients/" + id + "/courses",
              {{"primary_clinician", "dr.reyes"}, {"started_at", "2026-11-22T09:00:00.000000Z"}});
  ASSERT_EQ(course.status, 201);
  const std::string course_id = course.json()["id"];
  json baseline = Phq9(20);
  baseline["administered_at"] = "2026-11-21T08:00:00.000000Z";
  baseline["backdate_reason"] = "entered from the paper form";
  ASSERT_EQ(dr.Post("/api/v1/patients/" + id + "/assessments", baseline).status, 201);
  server_->clock().Advance(std::chrono::hours(24 * 8));
  Client later = LoggedIn("dr.reyes");
  for (const char* day : {"22", "24", "27"}) {
    ASSERT_EQ(later
                  .Post("/api/v1/courses/" + course_id + "/sessions",
                        {{"at", std::string("2026-11-") + day + "T09:00:00.000000Z"}})
                  .status,
              201);
  }
  for (const auto& [at, total] :
       {std::pair{"2026-11-23T09:00:00.000000Z", 19}, std::pair{"2026-11-26T09:00:00.000000Z", 18},
        std::pair{"2026-11-28T09:00:00.000000Z", 18}}) {
    json body = Phq9(total);
    body["administered_at"] = at;
    body["backdate_reason"] = "entered from the paper form";
    ASSERT_EQ(later.Post("/api/v1/patients/" + id + "/assessments", body).status, 201);
  }
  auto up = later.Get("/api/v1/patients/" + id + "/titration");
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(up.json()["baseline_phq9"], 20);
  EXPECT_EQ(up.json()["history"].size(), 3u);
  EXPECT_EQ(up.json()["suggestion"]["action"], "step_up");
  EXPECT_NEAR(up.json()["suggestion"]["mg_per_kg"].get<double>(), 0.6, 1e-9);
  EXPECT_NEAR(up.json()["suggestion"]["improvement_percent"].get<double>(), 10.0, 1e-9);
  auto sick = later.Get("/api/v1/patients/" + id + "/titration?events=vomiting");
  ASSERT_EQ(sick.status, 200) << sick.body;
  EXPECT_EQ(sick.json()["suggestion"]["action"], "lengthen");
  EXPECT_NEAR(sick.json()["suggestion"]["minutes"].get<double>(), 60.0, 1e-9);
  auto bad = later.Get("/api/v1/patients/" + id + "/titration?events=hiccups");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["field"], "events");
}

INSTANTIATE_TEST_SUITE_P(Backends, CareApiTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
