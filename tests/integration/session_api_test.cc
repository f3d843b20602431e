// Infusion and esketamine sessions over the HTTP API, on SQLite and PostgreSQL (issue 5): a whole
// IV session from pre-checks to an addendum after signing, with the ledger's draw and witnessed
// waste; an esketamine session to a complete REMS form; role denials; bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kclinic/domain/schedule/clinic.h"
#include "support.h"

namespace kclinic::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json kIntake = json::parse(R"({
  "sex": "female", "age_years": 42,
  "diagnoses": [{"code": "mdd", "current_episode": "depressive"}],
  "trials": [
    {"drug": "sertraline", "daily_dose_mg": 150, "weeks": 8, "outcome": "no_response", "in_current_episode": true},
    {"drug": "escitalopram", "daily_dose_mg": 20, "weeks": 8, "outcome": "partial_response", "in_current_episode": true}
  ],
  "medications": [{"name": "lorazepam", "daily_dose_mg": 1}], "conditions": [],
  "vitals": {"systolic_mmhg": 126, "diastolic_mmhg": 80, "heart_rate_bpm": 72, "weight_kg": 71.5, "height_cm": 165},
  "pregnancy": "not_pregnant", "breastfeeding": false, "substance_use": [],
  "checklist_done": ["psychiatric_evaluation", "history_and_physical", "medication_reconciliation",
                     "informed_consent", "baseline_vitals", "pregnancy_test", "urine_toxicology",
                     "ecg_labs", "baseline_rating_scales"]
})");

class SessionApiTest : public ServerTest {
 protected:
  // Sessions last hours: the fake clock jumps over the 15-minute idle logout, so let logins idle
  // for up to 4 hours (the setting's maximum) here.
  void SetUp() override {
    ServerTest::SetUp();
    ASSERT_TRUE(
        app::ChangeSetting(server_->env(), "test", domain::kSessionIdleMinutes, 240, "long test")
            .ok());
  }
  void Advance(int minutes) {
    server_->clock().Set(server_->clock().Now() + std::chrono::minutes(minutes));
  }
  HttpResult Put(Client& c, const std::string& target, const json& body) {
    return c.Send("PUT", target, body.dump(),
                  {{"Content-Type", "application/json"}, {"X-CSRF-Token", c.csrf()}});
  }
  // A candidate with an escort, an approved screening with consent, a saved plan (0.5 mg/kg of
  // 71.5 kg = 35.75 mg at 10 mg/mL over 40 min: 5.3625 mL/h) and, when `phq9`, a PHQ-9 today.
  std::string ReadyPatient(Client& dr, bool phq9, bool with_escort = true) {
    json p = {{"name", {{"given", "Iris"}, {"family", "Vandermeer"}}},
              {"birth_date", "1984-03-02"},
              {"sex", "female"},
              {"height_cm", 165},
              {"weight", {{"date", "2026-11-20"}, {"kg", 71.5}}}};
    if (with_escort) {
      p["escort"] = {{"name", "Tom Vandermeer"}, {"phone", "555-0100"}, {"relationship", "spouse"}};
    }
    auto r = dr.Post("/api/v1/patients", p);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = r.json()["id"];
    auto intake = dr.Post("/api/v1/patients/" + id + "/intakes", kIntake);
    EXPECT_EQ(intake.status, 201) << intake.body;
    auto d = dr.Post(
        "/api/v1/patients/" + id + "/screening/decisions",
        {{"intake_id", intake.json()["intake"]["id"]}, {"decision", "approve"}, {"reason", "TRD"}});
    EXPECT_EQ(d.status, 201) << d.body;
    auto plan = dr.Post("/api/v1/patients/" + id + "/infusion-plans",
                        {{"mg_per_kg", 0.5}, {"concentration_mg_per_ml", 10}, {"minutes", 40}});
    EXPECT_EQ(plan.status, 201) << plan.body;
    if (phq9) {
      EXPECT_EQ(dr.Post("/api/v1/patients/" + id + "/assessments", Phq9(14)).status, 201);
    }
    return id;
  }
  std::string ReceiveLot(Client& dr) {
    auto r = dr.Post(
        "/api/v1/ledger/receipts",
        {{"supplier",
          {{"name", "Hospira"}, {"address", "Lake Forest, IL"}, {"dea_number", "AB1234563"}}},
         {"product", "ketamine hydrochloride injection"},
         {"lot_number", "KX-1"},
         {"expiry", "2028-01-31"},
         {"vial_count", 5},
         {"strength_mg_per_ml", 10},
         {"vial_volume_ml", 20}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().contains("lot") ? r.json()["lot"]["id"] : r.json()["id"];
  }
  static json Item(const json& session, const std::string& key) {
    for (const auto& i : session.at("prechecks").at("items")) {
      if (i["key"] == key) return i;
    }
    return nullptr;
  }
};

TEST_P(SessionApiTest, WholeIvSessionFromPrechecksToAddendum) {
  Client dr = LoggedIn("dr.reyes");
  Client nurse = LoggedIn("nurse.okafor");
  const std::string pid = ReadyPatient(dr, /*phq9=*/false);

  auto created =
      nurse.Post("/api/v1/patients/" + pid + "/infusion-sessions", {{"kind", "iv_ketamine"}});
  ASSERT_EQ(created.status, 201) << created.body;
  json s = created.json();
  const std::string sid = s["id"];
  const std::string base = "/api/v1/infusion-sessions/" + sid;
  EXPECT_EQ(s["state"], "scheduled");
  EXPECT_NEAR(s["plan"]["dose_mg"].get<double>(), 35.75, 1e-9);
  EXPECT_NEAR(s["plan"]["rate_ml_per_h"].get<double>(), 5.3625, 1e-9);
  EXPECT_EQ(s["allowed_transitions"], json::array({"checked_in", "cancelled"}));

  // Starting before anything is refused with the reason.
  auto early = nurse.Post(base + "/transitions", {{"to", "running"}});
  EXPECT_EQ(early.status, 412);
  EXPECT_THAT(early.body, HasSubstr("pre-checks have not passed"));

  ASSERT_EQ(nurse.Post(base + "/transitions", {{"to", "checked_in"}}).status, 200);
  auto baseline = nurse.Post(base + "/vitals",
                             {{"sbp", 128}, {"dbp", 82}, {"hr", 72}, {"spo2", 98}, {"rr", 14}});
  ASSERT_EQ(baseline.status, 201) << baseline.body;
  EXPECT_TRUE(baseline.json()["alerts"].empty());

  // Pre-checks fail: no PHQ-9 before the session, and a 42-year-old woman needs a negative test.
  auto failing = Put(nurse, base + "/prechecks",
                     {{"escort_present", true}, {"pregnancy_test", "not_applicable"}});
  ASSERT_EQ(failing.status, 200) << failing.body;
  s = failing.json();
  EXPECT_EQ(s["state"], "checked_in");
  EXPECT_FALSE(s["prechecks"]["passed"]);
  EXPECT_FALSE(Item(s, "phq9_done")["passed"]);
  EXPECT_FALSE(Item(s, "pregnancy_test")["passed"]);
  EXPECT_TRUE(Item(s, "screening_approved")["passed"]);
  EXPECT_TRUE(Item(s, "consent_current")["passed"]);
  EXPECT_TRUE(Item(s, "escort_named")["passed"]);
  EXPECT_TRUE(Item(s, "baseline_vitals")["passed"]);

  // Then pass once the PHQ-9 is in and the test is negative.
  ASSERT_EQ(dr.Post("/api/v1/patients/" + pid + "/assessments", Phq9(14)).status, 201);
  auto passing =
      Put(nurse, base + "/prechecks", {{"escort_present", true}, {"pregnancy_test", "negative"}});
  ASSERT_EQ(passing.status, 200) << passing.body;
  EXPECT_EQ(passing.json()["state"], "prechecks_passed");
  EXPECT_TRUE(passing.json()["prechecks"]["passed"]);

  // No start without a drawn dose; the draw goes through the ledger.
  auto undrawn = nurse.Post(base + "/transitions", {{"to", "running"}});
  EXPECT_EQ(undrawn.status, 412);
  EXPECT_THAT(undrawn.body, HasSubstr("draw the dose"));
  const std::string lot = ReceiveLot(dr);
  auto draw = nurse.Post(base + "/draws", {{"lot_id", lot}, {"amount_mg", 40}});
  ASSERT_EQ(draw.status, 201) << draw.body;
  EXPECT_EQ(draw.json()["type"], "draw");

  auto started = nurse.Post(base + "/transitions", {{"to", "running"}});
  ASSERT_EQ(started.status, 200) << started.body;
  s = started.json();
  EXPECT_EQ(s["state"], "running");
  ASSERT_EQ(s["segments"].size(), 1u);
  EXPECT_NEAR(s["segments"][0]["rate_ml_per_h"].get<double>(), 5.3625, 1e-9);
  EXPECT_EQ(s["next_vitals_due_at"], "2026-11-21T09:10:00.000000Z");

  // 10 min: BP 185/100 crosses 180 during the infusion -> alert with the recommended action.
  Advance(10);
  auto high = nurse.Post(base + "/vitals", {{"sbp", 185}, {"dbp", 100}, {"hr", 88}});
  ASSERT_EQ(high.status, 201) << high.body;
  ASSERT_EQ(high.json()["alerts"].size(), 1u);
  json alert = high.json()["alerts"][0];
  EXPECT_EQ(alert["kind"], "bp_high");
  EXPECT_EQ(alert["recommended_action"], "pause the infusion and re-check BP in 5 minutes");
  auto acted = nurse.Post(base + "/alerts/" + alert["id"].get<std::string>() + "/action",
                          {{"action_taken", "slowed the pump, re-checked at 5 min: 164/92"}});
  ASSERT_EQ(acted.status, 200) << acted.body;
  EXPECT_EQ(acted.json()["action_by"], "nurse.okafor");
  auto twice = nurse.Post(base + "/alerts/" + alert["id"].get<std::string>() + "/action",
                          {{"action_taken", "again"}});
  EXPECT_EQ(twice.status, 412);

  // Rate change at 10 min, pause at 15, resume at 20, stop at 40.
  auto rate = nurse.Post(base + "/rate", {{"rate_ml_per_h", 4.0}, {"reason", "BP rise"}});
  ASSERT_EQ(rate.status, 200) << rate.body;
  EXPECT_EQ(rate.json()["segments"].size(), 2u);
  Advance(5);
  ASSERT_EQ(nurse.Post(base + "/transitions", {{"to", "paused"}, {"reason", "nausea"}}).status,
            200);
  EXPECT_EQ(nurse.Post(base + "/rate", {{"rate_ml_per_h", 3.0}}).status, 412);
  Advance(5);
  auto resumed = nurse.Post(base + "/transitions", {{"to", "running"}});
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_NEAR(resumed.json()["segments"][2]["rate_ml_per_h"].get<double>(), 4.0, 1e-9);
  EXPECT_FALSE(resumed.json()["predicted_concentration_ng_per_ml"].is_null());
  Advance(20);
  // 35 of the planned 40 min ran: an early stop, which needs a reason.
  auto no_reason = nurse.Post(base + "/transitions", {{"to", "stopped"}});
  ASSERT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_EQ(no_reason.json()["error"]["field"], "reason");
  auto stopped =
      nurse.Post(base + "/transitions", {{"to", "stopped"}, {"reason", "end of the chair's slot"}});
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  s = stopped.json();
  // By hand: 5.3625 mL/h × 10 min + 4 mL/h × 5 min + 4 mL/h × 20 min = 2.56 mL; × 10 mg/mL.
  EXPECT_NEAR(s["administered_ml"].get<double>(), 2.56, 1e-9);
  EXPECT_NEAR(s["administered_mg"].get<double>(), 25.6, 1e-9);
  EXPECT_NEAR(s["custody"]["administered_mg"].get<double>(), 25.6, 1e-9);
  EXPECT_FALSE(s["custody"]["reconciled"]);

  // Waste = drawn − administered, witnessed by another nurse with her own password.
  EXPECT_EQ(nurse
                .Post(base + "/waste", {{"amount_mg", 10},
                                        {"witness_username", "nurse.lindqvist"},
                                        {"witness_password", kDemoPassword}})
                .json()["error"]["field"],
            "amount_mg");
  auto wrong = nurse.Post(base + "/waste", {{"amount_mg", 14.4},
                                            {"witness_username", "nurse.lindqvist"},
                                            {"witness_password", "not-her-password"}});
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(wrong.json()["error"]["field"], "witness_password");
  // The witness comes first (app/ledger.h, CheckWitness): with a wrong password, a wrong amount
  // is not what is reported, so the answer cannot tell a right password from a wrong one.
  auto both = nurse.Post(base + "/waste", {{"amount_mg", 10},
                                           {"witness_username", "nurse.lindqvist"},
                                           {"witness_password", "not-her-password"}});
  EXPECT_EQ(both.json()["error"], wrong.json()["error"]) << both.body;
  auto waste = nurse.Post(base + "/waste", {{"amount_mg", 14.4},
                                            {"witness_username", "nurse.lindqvist"},
                                            {"witness_password", kDemoPassword}});
  ASSERT_EQ(waste.status, 201) << waste.body;
  EXPECT_EQ(waste.json()["witness"], "nurse.lindqvist");

  // Discharge is refused until vitals at the end and 60 min of observation, naming the items.
  ASSERT_EQ(nurse.Post(base + "/transitions", {{"to", "recovery"}}).status, 200);
  json checklist = {{"alert_oriented", true},
                    {"walks_safely", true},
                    {"vitals_near_baseline", true},
                    {"nausea_controlled", true},
                    {"escort_present", true}};
  auto refused = Put(nurse, base + "/discharge", checklist);
  EXPECT_EQ(refused.status, 412);
  EXPECT_EQ(refused.json()["error"]["field"], "vitals_at_end");
  EXPECT_THAT(refused.body, HasSubstr("observation_time"));
  Advance(15);
  ASSERT_EQ(nurse.Post(base + "/vitals", {{"sbp", 132}, {"dbp", 84}, {"hr", 76}}).status, 201);
  Advance(50);
  json nauseous = checklist;
  nauseous["nausea_controlled"] = false;
  auto still = Put(nurse, base + "/discharge", nauseous);
  EXPECT_EQ(still.status, 412);
  EXPECT_EQ(still.json()["error"]["field"], "nausea_controlled");
  auto discharged = Put(nurse, base + "/discharge", checklist);
  ASSERT_EQ(discharged.status, 200) << discharged.body;
  EXPECT_EQ(discharged.json()["state"], "discharged");
  EXPECT_TRUE(discharged.json()["custody"]["reconciled"]);
  EXPECT_EQ(discharged.json()["vitals_near_baseline_computed"], true);

  // Only a prescriber signs; then the record is locked and takes addenda.
  EXPECT_EQ(nurse.Post(base + "/sign", json::object()).status, 403);
  auto signed_ = dr.Post(base + "/sign", json::object());
  ASSERT_EQ(signed_.status, 200) << signed_.body;
  EXPECT_EQ(signed_.json()["state"], "signed");
  EXPECT_EQ(signed_.json()["signed"]["by"], "dr.reyes");
  auto locked = nurse.Post(base + "/vitals", {{"sbp", 120}, {"dbp", 80}});
  EXPECT_EQ(locked.status, 412);
  EXPECT_THAT(locked.body, HasSubstr("signed records take addenda"));
  auto addendum = nurse.Post(base + "/addenda", {{"text", "Patient called: slept well."}});
  ASSERT_EQ(addendum.status, 201) << addendum.body;
  EXPECT_EQ(addendum.json()["addenda"][0]["by"], "nurse.okafor");

  // The ledger saw the draw, the administered amount and the waste; the lot lost 40 mg.
  auto lot_view = dr.Get("/api/v1/ledger/lots/" + lot);
  ASSERT_EQ(lot_view.status, 200) << lot_view.body;
  EXPECT_NEAR(lot_view.json()["balance_mg"].get<double>(), 5 * 200 - 40, 1e-9);

  // The day's list shows it; every transition is in the record with who and when.
  auto list = nurse.Get("/api/v1/infusion-sessions?date=2026-11-21");
  ASSERT_EQ(list.status, 200) << list.body;
  bool found = false;
  const json sessions = list.json()["sessions"];
  for (const auto& x : sessions) {
    if (x["id"] == sid) {
      found = true;
      EXPECT_EQ(x["state"], "signed");
      EXPECT_EQ(x["patient_name"], "Iris Vandermeer");
    }
  }
  EXPECT_TRUE(found) << list.body;
  auto got = nurse.Get(base);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json()["transitions"].size(), 9u);
  bool audited = false;
  for (const auto& e : Audit(pid)) audited |= e.action == "session.sign";
  EXPECT_TRUE(audited);
}

// Issue 21: the sessions list is a day of the clinic's calendar, not of UTC's.
TEST_P(SessionApiTest, TheSessionsListIsADayOfTheClinicsCalendar) {
  Client dr = LoggedIn("dr.reyes");
  Client nurse = LoggedIn("nurse.okafor");
  const std::string pid = ReadyPatient(dr, /*phq9=*/false);
  const std::string zone = nurse.Get("/api/v1/auth/me").json()["clinic"]["time_zone"];
  namespace sched = domain::schedule;
  using std::chrono::November;
  // 23:30 on 24 November in the clinic's zone, whatever UTC's date is then.
  auto late = sched::LocalToUtc(
      zone, {std::chrono::year(2026) / November / 24, std::chrono::minutes(23 * 60 + 30)});
  ASSERT_TRUE(late.ok());
  auto created = nurse.Post("/api/v1/patients/" + pid + "/infusion-sessions",
                            {{"kind", "iv_ketamine"}, {"scheduled_at", FormatTimestamp(*late)}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string sid = created.json()["id"];
  auto listed_on = [&](const std::string& day) {
    auto r = nurse.Get("/api/v1/infusion-sessions?date=" + day);
    EXPECT_EQ(r.status, 200) << r.body;
    const json list = r.json();
    for (const auto& s : list["sessions"]) {
      if (s["id"] == sid) return true;
    }
    return false;
  };
  EXPECT_TRUE(listed_on("2026-11-24"));
  EXPECT_FALSE(listed_on("2026-11-25"));
  EXPECT_FALSE(listed_on("2026-11-23"));
}

// Issue 21: a 500 mg draw passed for a 33.5 mg plan, before the pre-checks.
TEST_P(SessionApiTest, DrawsWaitForThePrechecksAndStayWithinThePlan) {
  Client dr = LoggedIn("dr.reyes");
  Client nurse = LoggedIn("nurse.okafor");
  const std::string pid = ReadyPatient(dr, /*phq9=*/true);
  const std::string lot = ReceiveLot(dr);
  auto created =
      nurse.Post("/api/v1/patients/" + pid + "/infusion-sessions", {{"kind", "iv_ketamine"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string base = "/api/v1/infusion-sessions/" + created.json()["id"].get<std::string>();
  ASSERT_EQ(nurse.Post(base + "/transitions", {{"to", "checked_in"}}).status, 200);
  auto early = nurse.Post(base + "/draws", {{"lot_id", lot}, {"amount_mg", 35}});
  EXPECT_EQ(early.status, 412) << early.body;
  EXPECT_THAT(early.body, HasSubstr("pre-checks have not passed"));
  ASSERT_EQ(nurse.Post(base + "/vitals", {{"sbp", 128}, {"dbp", 82}, {"hr", 72}}).status, 201);
  ASSERT_EQ(
      Put(nurse, base + "/prechecks", {{"escort_present", true}, {"pregnancy_test", "negative"}})
          .json()["state"],
      "prechecks_passed");
  // The plan is 35.75 mg; 25 % above it is the site's margin.
  auto big = nurse.Post(base + "/draws", {{"lot_id", lot}, {"amount_mg", 500}});
  EXPECT_EQ(big.status, 403) << big.body;
  EXPECT_THAT(big.body, HasSubstr("a prescriber must make this draw"));
  auto no_reason = dr.Post(base + "/draws", {{"lot_id", lot}, {"amount_mg", 50}});
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_EQ(no_reason.json()["error"]["field"], "reason");
  EXPECT_EQ(nurse.Post(base + "/draws", {{"lot_id", lot}, {"amount_mg", 40}}).status, 201);
  auto more = dr.Post(base + "/draws",
                      {{"lot_id", lot}, {"amount_mg", 10}, {"reason", "the first bag leaked"}});
  ASSERT_EQ(more.status, 201) << more.body;
  // Nothing of the refused draws reached the ledger: 50 mg drawn in all.
  auto s = nurse.Get(base);
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_NEAR(s.json()["custody"]["drawn_mg"].get<double>(), 50, 1e-9);
  // The ledger names the session by its patient and day, not by its id.
  auto detail = dr.Get("/api/v1/ledger/lots/" + lot);
  ASSERT_EQ(detail.status, 200) << detail.body;
  const json entries = detail.json()["entries"];
  int named = 0;
  for (const auto& e : entries) {
    if (e["kind"] != "draw") continue;
    ASSERT_TRUE(e["session"].is_object()) << e.dump();
    EXPECT_EQ(e["session"]["patient_name"]["family"], "Vandermeer") << e.dump();
    EXPECT_EQ(e["session"]["scheduled_at"], s.json()["scheduled_at"]) << e.dump();
    ++named;
  }
  EXPECT_EQ(named, 2);
  auto report = dr.Get("/api/v1/ledger/report?from=2026-11-01&to=2026-11-30");
  ASSERT_EQ(report.status, 200) << report.body;
  const json lots = report.json()["lots"];
  bool custody_named = false;
  for (const auto& l : lots) {
    for (const auto& c : l["sessions"]) {
      if (c["session_id"] != s.json()["id"]) continue;
      ASSERT_TRUE(c["session"].is_object()) << c.dump();
      custody_named |= c["session"]["patient_name"]["given"] == "Iris";
    }
  }
  EXPECT_TRUE(custody_named);
}

TEST_P(SessionApiTest, PrescriberOverridesFailingPrechecksWithAReason) {
  Client dr = LoggedIn("dr.reyes");
  Client nurse = LoggedIn("nurse.okafor");
  const std::string pid = ReadyPatient(dr, /*phq9=*/false, /*with_escort=*/false);
  auto created =
      nurse.Post("/api/v1/patients/" + pid + "/infusion-sessions", {{"kind", "iv_ketamine"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string base = "/api/v1/infusion-sessions/" + created.json()["id"].get<std::string>();
  ASSERT_EQ(nurse.Post(base + "/transitions", {{"to", "checked_in"}}).status, 200);
  // Override before any pre-check is recorded is refused.
  EXPECT_EQ(dr.Post(base + "/override", {{"reason", "x"}}).status, 412);
  auto failing =
      Put(nurse, base + "/prechecks", {{"escort_present", true}, {"pregnancy_test", "negative"}});
  ASSERT_EQ(failing.status, 200);
  EXPECT_FALSE(Item(failing.json(), "escort_named")["passed"]);
  EXPECT_FALSE(Item(failing.json(), "baseline_vitals")["passed"]);
  EXPECT_EQ(nurse.Post(base + "/override", {{"reason", "x"}}).status, 403);
  EXPECT_EQ(dr.Post(base + "/override", json::object()).json()["error"]["field"], "reason");
  auto over = dr.Post(base + "/override", {{"reason", "escort confirmed by phone"}});
  ASSERT_EQ(over.status, 200) << over.body;
  EXPECT_EQ(over.json()["state"], "prechecks_passed");
  EXPECT_EQ(over.json()["prechecks"]["override"]["by"], "dr.reyes");
  EXPECT_EQ(over.json()["prechecks"]["override"]["reason"], "escort confirmed by phone");
  // Cancel needs a reason; then nothing more is written.
  EXPECT_EQ(nurse.Post(base + "/transitions", {{"to", "cancelled"}}).json()["error"]["field"],
            "reason");
  auto cancelled =
      nurse.Post(base + "/transitions", {{"to", "cancelled"}, {"reason", "patient unwell"}});
  ASSERT_EQ(cancelled.status, 200);
  EXPECT_EQ(cancelled.json()["state"], "cancelled");
  EXPECT_EQ(nurse.Post(base + "/vitals", {{"hr", 70}}).status, 412);
}

TEST_P(SessionApiTest, EsketamineSessionToACompleteRemsForm) {
  Client dr = LoggedIn("dr.reyes");
  Client nurse = LoggedIn("nurse.okafor");
  const std::string pid = ReadyPatient(dr, /*phq9=*/true);
  EXPECT_EQ(nurse
                .Post("/api/v1/patients/" + pid + "/infusion-sessions",
                      {{"kind", "esketamine"}, {"planned_dose_mg", 70}})
                .json()["error"]["field"],
            "planned_dose_mg");
  auto created = nurse.Post("/api/v1/patients/" + pid + "/infusion-sessions",
                            {{"kind", "esketamine"}, {"planned_dose_mg", 56}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string sid = created.json()["id"];
  const std::string base = "/api/v1/infusion-sessions/" + sid;
  EXPECT_EQ(created.json()["plan"]["devices_planned"], 2);
  ASSERT_EQ(nurse.Post(base + "/transitions", {{"to", "checked_in"}}).status, 200);
  ASSERT_EQ(nurse.Post(base + "/vitals", {{"sbp", 130}, {"dbp", 80}, {"hr", 70}}).status, 201);
  auto pre =
      Put(nurse, base + "/prechecks", {{"escort_present", true}, {"pregnancy_test", "negative"}});
  ASSERT_EQ(pre.status, 200) << pre.body;
  ASSERT_EQ(pre.json()["state"], "prechecks_passed") << pre.body;
  Advance(1);  // 09:01
  EXPECT_EQ(nurse.Post(base + "/transitions", {{"to", "running"}}).status, 412);
  EXPECT_EQ(nurse.Post(base + "/devices", {{"mg", 56}}).json()["error"]["field"], "mg");

  auto first = nurse.Post(base + "/devices", {{"mg", 28}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json()["state"], "dosing");
  EXPECT_EQ(first.json()["esketamine"]["next_device_allowed_at"], "2026-11-21T09:06:00.000000Z");
  EXPECT_EQ(first.json()["esketamine"]["monitoring_ends_at"], "2026-11-21T11:01:00.000000Z");
  Advance(3);
  auto too_soon = nurse.Post(base + "/devices", {{"mg", 28}});
  EXPECT_EQ(too_soon.status, 412);
  EXPECT_THAT(too_soon.body, HasSubstr("5 minutes apart"));
  Advance(2);
  auto second = nurse.Post(base + "/devices", {{"mg", 28}});
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json()["state"], "monitoring");
  EXPECT_EQ(second.json()["next_vitals_due_at"], "2026-11-21T09:41:00.000000Z");

  // REMS is pending from the first device on.
  auto pending = nurse.Get("/api/v1/rems/pending");
  ASSERT_EQ(pending.status, 200) << pending.body;
  bool listed = false;
  const json forms = pending.json()["forms"];
  for (const auto& f : forms) {
    if (f["session_id"] == sid) {
      listed = true;
      EXPECT_EQ(f["due_date"], "2026-11-28");
      EXPECT_FALSE(f["overdue"]);
    }
  }
  EXPECT_TRUE(listed) << pending.body;

  Advance(36);  // 09:42, 41 min after the first device
  ASSERT_EQ(nurse.Post(base + "/vitals", {{"sbp", 142}, {"dbp", 88}}).status, 201);
  ASSERT_EQ(nurse
                .Post(base + "/side-effects",
                      {{"effect", "dissociation"}, {"severity", "mild"}, {"action", "reassured"}})
                .status,
            201);
  json checklist = {{"alert_oriented", true},        {"walks_safely", true},
                    {"vitals_near_baseline", true},  {"nausea_controlled", true},
                    {"escort_present", true},        {"sedation_resolved", true},
                    {"dissociation_resolved", true}, {"respiratory_depression_resolved", true}};
  Advance(60);  // 10:42: BP at end, but the 2-hour timer has not run out
  ASSERT_EQ(nurse.Post(base + "/vitals", {{"sbp", 128}, {"dbp", 80}}).status, 201);
  auto early = Put(nurse, base + "/discharge", checklist);
  EXPECT_EQ(early.status, 412);
  EXPECT_EQ(early.json()["error"]["field"], "monitoring_time");
  Advance(20);  // 11:02
  auto discharged = Put(nurse, base + "/discharge", checklist);
  ASSERT_EQ(discharged.status, 200) << discharged.body;
  json rems = discharged.json()["rems"];
  EXPECT_EQ(rems["fields"]["dose_mg"], 56);
  EXPECT_EQ(rems["fields"]["total_monitoring_min"], 121);
  EXPECT_EQ(rems["fields"]["first_treatment"], true);
  EXPECT_EQ(rems["fields"]["bp_before"]["sbp"], 130);
  EXPECT_EQ(rems["fields"]["bp_40_min"]["sbp"], 142);
  EXPECT_EQ(rems["fields"]["bp_end"]["sbp"], 128);
  EXPECT_EQ(rems["fields"]["dissociation_observed"], true);
  EXPECT_EQ(rems["fields"]["sedation_observed"], false);
  // Prefilled from the intake's medicines: lorazepam is a benzodiazepine.
  EXPECT_EQ(rems["fields"]["concomitant"]["benzodiazepines"], true);
  EXPECT_EQ(rems["fields"]["concomitant"]["opioids"], false);

  // Complete is refused while a field is missing, naming them.
  auto incomplete = nurse.Post(base + "/rems/complete", json::object());
  EXPECT_EQ(incomplete.status, 412) << incomplete.body;
  EXPECT_EQ(incomplete.json()["error"]["field"], "monitoring_clinician.name");
  EXPECT_THAT(incomplete.body, HasSubstr("lot_number"));
  EXPECT_THAT(incomplete.body, HasSubstr("ready_to_leave_at"));
  auto put = Put(nurse, base + "/rems",
                 {{"monitoring_clinician", {{"name", "Dr. A. Reyes"}, {"phone", "555-0199"}}},
                  {"setting", "healthcare setting (clinic)"},
                  {"lot_number", "ES-2211"},
                  {"ready_to_leave_at", "2026-11-21T10:30:00.000000Z"}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_TRUE(put.json()["missing"].empty()) << put.body;
  auto done = nurse.Post(base + "/rems/complete", json::object());
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(done.json()["complete"]);
  EXPECT_EQ(done.json()["completed_by"], "nurse.okafor");
  const json after = nurse.Get("/api/v1/rems/pending").json()["forms"];
  for (const auto& f : after) {
    EXPECT_NE(f["session_id"], sid);
  }
  // Esketamine custody has nothing to reconcile: the prescriber signs.
  EXPECT_EQ(dr.Post(base + "/sign", json::object()).status, 200);
}

TEST_P(SessionApiTest, RolesAndBadInput) {
  Client dr = LoggedIn("dr.reyes");
  Client nurse = LoggedIn("nurse.okafor");
  Client desk = LoggedIn("desk.miller");
  Client ana = LoggedIn("ana.silva");
  const std::string pid = ReadyPatient(dr, true);
  EXPECT_EQ(desk.Get("/api/v1/infusion-sessions").status, 403);
  EXPECT_EQ(ana.Get("/api/v1/infusion-sessions").status, 403);
  EXPECT_EQ(
      desk.Post("/api/v1/patients/" + pid + "/infusion-sessions", {{"kind", "iv_ketamine"}}).status,
      403);
  EXPECT_EQ(ana.Get("/api/v1/rems/pending").status, 403);

  // A patient without a saved plan: 412 with a clear message.
  auto other = dr.Post("/api/v1/patients/" + server_->other_patient_id() + "/infusion-sessions",
                       {{"kind", "iv_ketamine"}});
  if (other.status != 201) {
    EXPECT_EQ(other.status, 412);
    EXPECT_THAT(other.body, HasSubstr("infusion plan"));
  }
  EXPECT_EQ(nurse.Post("/api/v1/patients/" + pid + "/infusion-sessions", {{"kind", "oral"}})
                .json()["error"]["field"],
            "kind");
  EXPECT_EQ(nurse.Post("/api/v1/patients/" + pid + "/infusion-sessions", json::object())
                .json()["error"]["field"],
            "kind");
  auto created =
      nurse.Post("/api/v1/patients/" + pid + "/infusion-sessions", {{"kind", "iv_ketamine"}});
  ASSERT_EQ(created.status, 201);
  const std::string base = "/api/v1/infusion-sessions/" + created.json()["id"].get<std::string>();
  EXPECT_EQ(nurse.Post(base + "/transitions", {{"to", "flying"}}).json()["error"]["field"], "to");
  EXPECT_EQ(nurse.Post(base + "/transitions", {{"to", "checked_in"}, {"extra", 1}})
                .json()["error"]["field"],
            "extra");
  ASSERT_EQ(nurse.Post(base + "/transitions", {{"to", "checked_in"}}).status, 200);
  EXPECT_EQ(nurse.Post(base + "/vitals", {{"sbp", "high"}}).json()["error"]["field"], "sbp");
  EXPECT_EQ(nurse.Post(base + "/vitals", json::object()).json()["error"]["field"], "sbp");
  EXPECT_EQ(nurse.Post(base + "/vitals", {{"sbp", 120}}).json()["error"]["field"], "dbp");
  EXPECT_EQ(nurse.Post(base + "/vitals", {{"spo2", 140}}).json()["error"]["field"], "spo2");
  EXPECT_EQ(nurse
                .Post(base + "/side-effects",
                      {{"effect", "sneezing"}, {"severity", "mild"}, {"action", "none"}})
                .json()["error"]["field"],
            "effect");
  EXPECT_EQ(nurse.Post(base + "/scores", {{"instrument", "phq9"}, {"items", json::array()}})
                .json()["error"]["field"],
            "instrument");
  auto cadss = nurse.Post(base + "/scores",
                          {{"instrument", "cadss"}, {"items", json(std::vector<int>(23, 1))}});
  ASSERT_EQ(cadss.status, 201) << cadss.body;
  EXPECT_EQ(cadss.json()["total"], 23);
  // A chest-pain report raises "stop and escalate".
  auto chest = nurse.Post(base + "/side-effects",
                          {{"effect", "chest_pain"}, {"severity", "moderate"}, {"action", "ECG"}});
  ASSERT_EQ(chest.status, 201) << chest.body;
  ASSERT_EQ(chest.json()["alerts"].size(), 1u);
  EXPECT_EQ(chest.json()["alerts"][0]["kind"], "stop_and_escalate");
  EXPECT_EQ(Put(nurse, base + "/prechecks", {{"escort_present", true}}).json()["error"]["field"],
            "pregnancy_test");
  EXPECT_EQ(nurse.Get("/api/v1/infusion-sessions?date=21-11-2026").json()["error"]["field"],
            "date");
  EXPECT_EQ(nurse.Get("/api/v1/infusion-sessions/" + std::string(32, '0')).status, 404);
  EXPECT_EQ(nurse.Post(base + "/devices", {{"mg", 28}}).status, 412);
}

// Issue 20: a session runs the saved plan's figures exactly as saved (typed columns, not the plan's
// JSON), with the dosing weight and the measured weight told apart.
TEST_P(SessionApiTest, TheSessionRunsExactlyTheSavedPlan) {
  Client dr = LoggedIn("dr.reyes");
  Client nurse = LoggedIn("nurse.okafor");
  const std::string pid = ReadyPatient(dr, /*phq9=*/false);
  // A newer plan on the adjusted weight: the dose scales with a weight other than the measured.
  Advance(1);
  auto plan =
      dr.Post("/api/v1/patients/" + pid + "/infusion-plans", {{"mg_per_kg", 0.55},
                                                              {"concentration_mg_per_ml", 10},
                                                              {"minutes", 40},
                                                              {"basis", "adjusted"}});
  ASSERT_EQ(plan.status, 201) << plan.body;
  const json dose = plan.json()["dose"];
  ASSERT_NE(dose["dosing_weight_kg"], dose["actual_weight_kg"]);

  auto created =
      nurse.Post("/api/v1/patients/" + pid + "/infusion-sessions", {{"kind", "iv_ketamine"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const json run = created.json()["plan"];
  for (const char* key : {"dose_mg", "mg_per_kg", "dosing_weight_kg", "actual_weight_kg",
                          "concentration_mg_per_ml", "volume_ml", "rate_ml_per_h"}) {
    EXPECT_EQ(run[key].get<double>(), dose[key].get<double>()) << key;  // exactly, not near
  }
  EXPECT_EQ(run["duration_min"].get<double>(), dose["minutes"].get<double>());
  EXPECT_EQ(run["weight_kg"], dose["actual_weight_kg"]);  // the PK covariate, as before
  // The pump starts at the planned rate.
  const std::string base = "/api/v1/infusion-sessions/" + created.json()["id"].get<std::string>();
  EXPECT_EQ(nurse.Get(base).json()["plan"]["rate_ml_per_h"].get<double>(),
            dose["rate_ml_per_h"].get<double>());
}

// A plan missing a figure is refused with a 412 naming it, never run with a default; a plan saved
// before the typed columns gets them from its JSON by migration 0009, and one whose JSON lacked a
// figure is refused the same way.
TEST_P(SessionApiTest, APlanMissingAFigureIsRefusedNamingIt) {
  Client dr = LoggedIn("dr.reyes");
  Client nurse = LoggedIn("nurse.okafor");
  const std::string pid = ReadyPatient(dr, /*phq9=*/false);
  const std::string create = "/api/v1/patients/" + pid + "/infusion-sessions";
  Advance(1);
  auto saved = dr.Post("/api/v1/patients/" + pid + "/infusion-plans",
                       {{"mg_per_kg", 0.5}, {"concentration_mg_per_ml", 10}, {"minutes", 40}});
  ASSERT_EQ(saved.status, 201) << saved.body;
  const json dose = saved.json()["dose"];

  ASSERT_EQ(db_->Exec("UPDATE infusion_plans SET rate_ml_per_h = NULL"), "");
  auto refused = nurse.Post(create, {{"kind", "iv_ketamine"}});
  EXPECT_EQ(refused.status, 412) << refused.body;
  EXPECT_EQ(refused.json()["error"]["field"], "rate_ml_per_h");
  EXPECT_THAT(refused.json()["error"]["message"].get<std::string>(), HasSubstr("rate_ml_per_h"));

  // As a plan saved before migration 0008: no typed figures, only the JSON. Migrating fills them.
  const std::string forget =
      "UPDATE infusion_plans SET dose_mg = NULL, mg_per_kg = NULL, weight_basis = NULL, "
      "dosing_weight_kg = NULL, actual_weight_kg = NULL, concentration_mg_per_ml = NULL, "
      "volume_ml = NULL, rate_ml_per_h = NULL, minutes = NULL";
  ASSERT_EQ(db_->Exec(forget + "; DELETE FROM schema_migrations WHERE version = 9"), "");
  auto migrated = server_->store().Migrate();
  ASSERT_TRUE(migrated.ok()) << migrated.status().message();
  EXPECT_EQ(*migrated, 1);
  auto created = nurse.Post(create, {{"kind", "iv_ketamine"}});
  ASSERT_EQ(created.status, 201) << created.body;
  for (const char* key : {"dose_mg", "mg_per_kg", "dosing_weight_kg", "actual_weight_kg",
                          "concentration_mg_per_ml", "volume_ml", "rate_ml_per_h"}) {
    EXPECT_EQ(created.json()["plan"][key].get<double>(), dose[key].get<double>()) << key;
  }

  // An older plan whose JSON lacked the rate: still refused by name after the migration.
  json body = saved.json();
  ASSERT_TRUE(body.contains("dose")) << body.dump();
  body["dose"].erase("rate_ml_per_h");
  std::string text = body.dump(), quoted;
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  ASSERT_EQ(db_->Exec(forget + ", body = '" + quoted +
                      "'; DELETE FROM schema_migrations WHERE version = 9"),
            "");
  ASSERT_TRUE(server_->store().Migrate().ok());
  auto again = nurse.Post(create, {{"kind", "iv_ketamine"}});
  EXPECT_EQ(again.status, 412) << again.body;
  EXPECT_EQ(again.json()["error"]["field"], "rate_ml_per_h");
}

INSTANTIATE_TEST_SUITE_P(Backends, SessionApiTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
