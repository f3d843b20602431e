// Booking over the HTTP API (issue 6) on the demo clinic (America/New_York, Mon-Fri 08:00-18:00,
// Thanksgiving 2026-11-26 closed, four chairs, two nurses), with the test clock at
// 2026-11-21 09:00 UTC (a Saturday, 04:00 in New York).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "support.h"

namespace kclinic::testing {
namespace {

using nlohmann::json;

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const json kSchedulePatient = {
    {"name", {{"given", "Ilse"}, {"family", "Marchetti"}}},
    {"birth_date", "1981-03-02"},
    {"sex", "female"},
    {"contact", {{"phone", "+1 555 0150"}}},
    {"height_cm", 166},
    {"weight", {{"date", "2026-11-20"}, {"kg", 64.0}}},
};

class ScheduleApiTest : public ServerTest {
 protected:
  // The demo's approved patient without bookings.
  std::string ApprovedUnbooked() {
    Client dr = LoggedIn("dr.reyes");
    auto list = dr.Get("/api/v1/patients?limit=100");
    EXPECT_EQ(list.status, 200);
    for (const auto& p : Member(list, "items")) {
      const std::string id = p["id"];
      auto s = dr.Get("/api/v1/patients/" + id + "/screening");
      if (s.status != 200 || !s.json()["decision"].is_object() ||
          s.json()["decision"]["decision"] != "approve") {
        continue;
      }
      auto a = dr.Get("/api/v1/patients/" + id + "/appointments");
      EXPECT_EQ(a.status, 200) << a.body;
      bool any = false;
      for (const auto& x : Member(a, "appointments")) any |= x["status"] == "booked";
      if (!any) return id;
    }
    ADD_FAILURE() << "the demo has no approved patient without bookings";
    return "";
  }

  // The proposal of an iv-standard series from 2026-11-23 for `id`.
  json Propose(Client& c, const std::string& id, const std::string& start = "2026-11-23") {
    auto r = c.Post("/api/v1/patients/" + id + "/series/proposal",
                    {{"protocol", "iv-standard"}, {"start", start}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  static json Choice(const json& slot) {
    return {{"start", slot["start"]}, {"chair_id", slot["chair_id"]}, {"nurse", slot["nurse"]}};
  }
};

TEST_P(ScheduleApiTest, ResourcesDescribeTheDemoClinic) {
  auto r = LoggedIn("desk.miller").Get("/api/v1/schedule/resources");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["time_zone"], "America/New_York");
  EXPECT_EQ(j["chairs"].size(), 4u);
  EXPECT_EQ(j["hours"].size(), 5u);
  EXPECT_EQ(j["hours"][0]["weekday"], 1);
  EXPECT_EQ(j["hours"][0]["open"], "08:00");
  bool thanksgiving = false;
  for (const auto& h : j["holidays"]) thanksgiving |= h["date"] == "2026-11-26";
  EXPECT_TRUE(thanksgiving);
  bool okafor_iv = false;
  for (const auto& s : j["staff"]) {
    if (s["username"] == "nurse.okafor") {
      for (const auto& q : s["qualifications"]) okafor_iv |= q == "iv";
    }
  }
  EXPECT_TRUE(okafor_iv);
  std::set<std::string> protocols;
  for (const auto& p : j["protocols"]) protocols.insert(p["id"]);
  EXPECT_TRUE(protocols.count("iv-standard"));
}

TEST_P(ScheduleApiTest, FrontDeskBooksAProposedSeriesAndAClashIsNamed) {
  const std::string id = ApprovedUnbooked();
  ASSERT_FALSE(id.empty());
  Client desk = LoggedIn("desk.miller");
  json p = Propose(desk, id);
  ASSERT_EQ(p["sessions"].size(), 6u) << p.dump();
  EXPECT_FALSE(p["explanation"].get<std::string>().empty());
  std::set<std::string> dates;
  std::string previous;
  for (const auto& s : p["sessions"]) {
    const std::string date = s["local_date"];
    EXPECT_NE(date, "2026-11-26") << "Thanksgiving is closed";
    EXPECT_GE(s["local_start"].get<std::string>(), "08:00");
    EXPECT_LE(s["local_start"].get<std::string>(), "16:00");  // 120 minutes end by 18:00
    if (!previous.empty()) {
      // Never on consecutive days (CLINICAL.md §3): the planner's gap, checked here by date text.
      auto y = std::stoi(previous.substr(8, 2)), t = std::stoi(date.substr(8, 2));
      if (previous.substr(0, 7) == date.substr(0, 7)) {
        EXPECT_GE(t - y, 2) << previous << date;
      }
    }
    previous = date;
    dates.insert(date);
  }
  EXPECT_EQ(dates.size(), 6u);

  json sessions = json::array();
  for (const auto& s : p["sessions"]) sessions.push_back(Choice(s));
  auto booked = desk.Post("/api/v1/patients/" + id + "/series",
                          {{"protocol", "iv-standard"}, {"sessions", sessions}});
  ASSERT_EQ(booked.status, 201) << booked.body;
  json b = booked.json();
  ASSERT_EQ(b["appointments"].size(), 6u);
  for (const auto& a : b["appointments"]) {
    EXPECT_EQ(a["series_id"], b["series_id"]);
    EXPECT_EQ(a["status"], "booked");
    EXPECT_EQ(a["patient_id"], id);
  }

  // They are on the calendar.
  auto cal = desk.Get("/api/v1/schedule/calendar?from=2026-11-23&to=2026-12-13");
  ASSERT_EQ(cal.status, 200) << cal.body;
  int mine = 0;
  for (const auto& a : Member(cal, "appointments")) mine += a["series_id"] == b["series_id"];
  EXPECT_EQ(mine, 6);

  // The same series again clashes on its first session, named with the chair and local time.
  auto again = desk.Post("/api/v1/patients/" + id + "/series",
                         {{"protocol", "iv-standard"}, {"sessions", sessions}});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.json()["error"]["field"], "sessions[0]");
  EXPECT_THAT(again.json()["error"]["message"].get<std::string>(),
              MatchesRegex("chair '.*' is booked [0-9-]+ [0-9:]+–[0-9:]+ local"));
  // Nothing of the failed series was stored.
  auto list = desk.Get("/api/v1/patients/" + id + "/appointments");
  EXPECT_EQ(list.json()["appointments"].size(), 6u);

  // A single booking on the first session's chair and time names the clash too.
  auto single = desk.Post("/api/v1/patients/" + server_->ana_id() + "/appointments",
                          {{"type", "iv-infusion"},
                           {"start", sessions[0]["start"]},
                           {"chair_id", sessions[0]["chair_id"]},
                           {"nurse", sessions[0]["nurse"]}});
  EXPECT_EQ(single.status, 409) << single.body;
  const std::string message = single.json()["error"]["message"];
  EXPECT_THAT(message, HasSubstr("is booked " + p["sessions"][0]["local_date"].get<std::string>() +
                                 " " + p["sessions"][0]["local_start"].get<std::string>()));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("Marchetti")));

  // An adjusted series that breaks the protocol (two sessions on consecutive days) is refused.
  json bad = sessions;
  bad[1]["start"] = sessions[0]["start"];
  auto broken = desk.Post("/api/v1/patients/" + id + "/series",
                          {{"protocol", "iv-standard"}, {"sessions", bad}});
  EXPECT_GE(broken.status, 400);
  EXPECT_LT(broken.status, 500);
  EXPECT_THAT(broken.json()["error"]["field"].get<std::string>(), HasSubstr("sessions["));

  // Every booking of her data is in the trail.
  int created = 0;
  for (const auto& e : Audit(id)) created += e.action == "appointment.create";
  EXPECT_EQ(created, 6);
}

TEST_P(ScheduleApiTest, CancelOffersTheNextFreeSlotsAndMoveKeepsTheCourseSession) {
  const std::string ana = server_->ana_id();
  Client desk = LoggedIn("desk.miller");
  auto list = desk.Get("/api/v1/patients/" + ana + "/appointments");
  ASSERT_EQ(list.status, 200) << list.body;
  json booked;
  for (const auto& a : Member(list, "appointments")) {
    if (a["status"] == "booked") booked = a;
  }
  ASSERT_TRUE(booked.is_object()) << "the demo books Ana's booster: " << list.body;

  // Next free slots for it, then move it to the first of them.
  auto free = desk.Get("/api/v1/appointments/" + booked["id"].get<std::string>() + "/next-free");
  ASSERT_EQ(free.status, 200) << free.body;
  ASSERT_FALSE(free.json()["slots"].empty());
  json slot = free.json()["slots"][0];
  json move = Choice(slot);
  move["reason"] = "patient asked for an earlier time";
  auto moved = desk.Post("/api/v1/appointments/" + booked["id"].get<std::string>() + "/move", move);
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json()["start"], slot["start"]);
  EXPECT_EQ(moved.json()["status"], "booked");
  // The planned course session moved with it: the outcomes see one planned session at the new
  // time and none at the old.
  auto outcomes = LoggedIn("dr.reyes").Get("/api/v1/patients/" + ana + "/outcomes");
  ASSERT_EQ(outcomes.status, 200);
  bool at_new = false, at_old = false;
  for (const auto& c : Member(outcomes, "courses")) {
    for (const auto& s : c["sessions"]) {
      at_new |= s["at"] == slot["start"] && s["status"] == "planned";
      at_old |= s["at"] == booked["start"] && s["status"] == "planned";
    }
  }
  EXPECT_TRUE(at_new);
  EXPECT_FALSE(at_old);

  // Cancel needs a reason, then frees the slot and offers the next free ones.
  const std::string moved_id = moved.json()["id"];
  auto no_reason = desk.Post("/api/v1/appointments/" + moved_id + "/cancel", json::object());
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.json()["error"]["field"], "reason");
  auto cancelled = desk.Post("/api/v1/appointments/" + moved_id + "/cancel",
                             {{"reason", "unwell: fever since yesterday"}});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json()["appointment"]["status"], "cancelled");
  EXPECT_EQ(cancelled.json()["appointment"]["reason"], "unwell: fever since yesterday");
  ASSERT_FALSE(cancelled.json()["next_free"].empty());
  EXPECT_THAT(cancelled.json()["next_free"][0]["local_start"].get<std::string>(),
              MatchesRegex("[0-9][0-9]:[0-9][0-9]"));
  // Cancelling twice is refused; the freed slot can be booked again.
  EXPECT_EQ(desk.Post("/api/v1/appointments/" + moved_id + "/cancel", {{"reason", "again"}}).status,
            412);
  json again = Choice(slot);
  again["type"] = "iv-infusion";
  EXPECT_EQ(desk.Post("/api/v1/patients/" + ana + "/appointments", again).status, 201);
}

TEST_P(ScheduleApiTest, PortalRequestIsProposedAnotherTimeAndThePatientAccepts) {
  const std::string ana = server_->ana_id();
  Client portal = LoggedIn("ana.silva");
  auto req = portal.Post("/api/v1/patients/" + ana + "/booking-requests",
                         {{"preferred", {{{"date", "2026-11-24"}, {"part", "morning"}}}},
                          {"note", "mornings suit my escort"}});
  ASSERT_EQ(req.status, 201) << req.body;
  const std::string request_id = req.json()["id"];
  EXPECT_EQ(req.json()["status"], "open");
  // Not for someone else, and not with a bad part of day.
  EXPECT_EQ(portal
                .Post("/api/v1/patients/" + server_->other_patient_id() + "/booking-requests",
                      {{"preferred", {{{"date", "2026-11-24"}}}}})
                .status,
            403);
  auto bad = portal.Post("/api/v1/patients/" + ana + "/booking-requests",
                         {{"preferred", {{{"date", "2026-11-24"}, {"part", "night"}}}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["field"], "preferred[0].part");

  Client desk = LoggedIn("desk.miller");
  auto open = desk.Get("/api/v1/booking-requests?status=open");
  ASSERT_EQ(open.status, 200) << open.body;
  bool listed = false;
  for (const auto& r : Member(open, "requests")) listed |= r["id"] == request_id;
  EXPECT_TRUE(listed) << open.body;

  // The desk proposes the first free slot of a series proposal (a free chair and nurse).
  json slot = Propose(desk, ana, "2026-11-30")["sessions"][0];
  json body = Choice(slot);
  body["note"] = "Tuesday is full; Monday morning?";
  auto proposed = desk.Post("/api/v1/booking-requests/" + request_id + "/propose", body);
  ASSERT_EQ(proposed.status, 200) << proposed.body;
  EXPECT_EQ(proposed.json()["status"], "proposed");

  auto mine = portal.Get("/api/v1/portal/booking-requests");
  ASSERT_EQ(mine.status, 200) << mine.body;
  json seen;
  for (const auto& r : Member(mine, "requests")) {
    EXPECT_EQ(r["patient_id"], ana);
    if (r["id"] == request_id) seen = r;
  }
  ASSERT_TRUE(seen.is_object());
  EXPECT_EQ(seen["proposed"]["start"], slot["start"]);
  EXPECT_EQ(seen["proposed"]["note"], "Tuesday is full; Monday morning?");

  auto accepted =
      portal.Post("/api/v1/portal/booking-requests/" + request_id + "/respond", {{"accept", true}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json()["status"], "accepted");
  ASSERT_TRUE(accepted.json()["appointment"].is_object());
  EXPECT_EQ(accepted.json()["appointment"]["start"], slot["start"]);
  auto appointments = portal.Get("/api/v1/portal/appointments");
  ASSERT_EQ(appointments.status, 200);
  bool found = false;
  for (const auto& a : Member(appointments, "appointments")) found |= a["start"] == slot["start"];
  EXPECT_TRUE(found);
  // Responding again is refused.
  EXPECT_EQ(
      portal.Post("/api/v1/portal/booking-requests/" + request_id + "/respond", {{"accept", false}})
          .status,
      412);
}

TEST_P(ScheduleApiTest, ReviewTaskAppearsAfterTheFourthInfusionWithoutImprovement) {
  Client dr = LoggedIn("dr.reyes");
  auto created = LoggedIn("desk.miller").Post("/api/v1/patients", kSchedulePatient);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  auto course =
      dr.Post("/api/v1/patients/" + id + "/courses",
              {{"primary_clinician", "dr.reyes"}, {"started_at", "2026-11-09T15:00:00.000000Z"}});
  ASSERT_EQ(course.status, 201) << course.body;
  const std::string course_id = course.json()["id"];
  json baseline = Phq9(20);
  baseline["administered_at"] = "2026-11-08T15:00:00.000000Z";
  baseline["backdate_reason"] = "entered from the paper form";
  ASSERT_EQ(dr.Post("/api/v1/patients/" + id + "/assessments", baseline).status, 201);
  auto tasks_for = [&](const std::string& kind) {
    auto r = dr.Get("/api/v1/review-tasks?status=open");
    EXPECT_EQ(r.status, 200) << r.body;
    json found;
    for (const auto& t : Member(r, "tasks")) {
      if (t["patient_id"] == id && t["kind"] == kind) found = t;
    }
    return found;
  };
  const char* days[] = {"09", "11", "13", "16"};
  for (int i = 0; i < 4; ++i) {
    // Three infusions: not yet time to judge.
    if (i == 3) {
      EXPECT_TRUE(tasks_for("early_non_response").is_null());
    }
    auto s = dr.Post(
        "/api/v1/courses/" + course_id + "/sessions",
        {{"at", std::string("2026-11-") + days[i] + "T15:00:00.000000Z"}, {"status", "given"}});
    ASSERT_EQ(s.status, 201) << s.body;
    json phq = Phq9(19);  // 5 % better: short of the 25 % expected by infusion 4
    phq["administered_at"] = std::string("2026-11-") + days[i] + "T19:00:00.000000Z";
    phq["backdate_reason"] = "entered from the paper form";
    ASSERT_EQ(dr.Post("/api/v1/patients/" + id + "/assessments", phq).status, 201);
  }
  json task = tasks_for("early_non_response");
  ASSERT_TRUE(task.is_object());
  EXPECT_EQ(task["patient_name"], "Ilse Marchetti");
  EXPECT_THAT(task["reason"].get<std::string>(), HasSubstr("baseline of 20"));
  // Reading again does not make a second one.
  auto all = dr.Get("/api/v1/review-tasks?status=open");
  int count = 0;
  for (const auto& t : Member(all, "tasks")) count += t["patient_id"] == id;
  EXPECT_EQ(count, 1);
  EXPECT_TRUE(tasks_for("end_of_series").is_null());

  // A nurse sees it but only a prescriber completes it, with a note.
  Client nurse = LoggedIn("nurse.okafor");
  EXPECT_EQ(nurse.Get("/api/v1/review-tasks?status=open").status, 200);
  const std::string task_id = task["id"];
  EXPECT_EQ(nurse.Post("/api/v1/review-tasks/" + task_id + "/complete", {{"note", "x"}}).status,
            403);
  auto empty = dr.Post("/api/v1/review-tasks/" + task_id + "/complete", {{"note", " "}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(empty.json()["error"]["field"], "note");
  auto done = dr.Post("/api/v1/review-tasks/" + task_id + "/complete",
                      {{"note", "dose step-up to 0.75 mg/kg; review after infusion 6"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json()["status"], "completed");
  EXPECT_TRUE(tasks_for("early_non_response").is_null());
}

TEST_P(ScheduleApiTest, BoosterProposalAndDecision) {
  const std::string ana = server_->ana_id();
  Client dr = LoggedIn("dr.reyes");
  auto p = dr.Get("/api/v1/patients/" + ana + "/booster-proposal");
  ASSERT_EQ(p.status, 200) << p.body;
  json j = p.json();
  ASSERT_TRUE(j["next_booster_date"].is_string()) << j.dump();
  EXPECT_GE(j["interval_days"].get<int>(), j["bounds"]["min"].get<int>());
  EXPECT_LE(j["interval_days"].get<int>(), j["bounds"]["max"].get<int>());
  EXPECT_FALSE(j["reason"].get<std::string>().empty());
  EXPECT_FALSE(j["phq9"].empty());
  EXPECT_GE(j["infusions"].size(), 6u);
  EXPECT_GT(j["threshold"].get<int>(), 0);

  const std::string date = j["next_booster_date"];
  const int interval = j["interval_days"];
  auto accepted = dr.Post("/api/v1/patients/" + ana + "/booster-decisions",
                          {{"date", date}, {"interval_days", interval}, {"accepted", true}});
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_EQ(accepted.json()["decided_by"], "dr.reyes");
  // A changed interval needs a reason.
  auto no_reason = dr.Post("/api/v1/patients/" + ana + "/booster-decisions",
                           {{"date", date}, {"interval_days", interval + 7}, {"accepted", true}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.json()["error"]["field"], "reason");
  auto with_reason = dr.Post("/api/v1/patients/" + ana + "/booster-decisions",
                             {{"date", date},
                              {"interval_days", interval + 7},
                              {"accepted", true},
                              {"reason", "travelling that week; stable for two months"}});
  EXPECT_EQ(with_reason.status, 201) << with_reason.body;
  auto again = dr.Get("/api/v1/patients/" + ana + "/booster-proposal");
  EXPECT_EQ(again.json()["decisions"].size(), 2u);
  // The front desk reads the proposal but does not decide.
  Client desk = LoggedIn("desk.miller");
  EXPECT_EQ(desk.Get("/api/v1/patients/" + ana + "/booster-proposal").status, 200);
  EXPECT_EQ(desk.Post("/api/v1/patients/" + ana + "/booster-decisions",
                      {{"date", date}, {"interval_days", interval}, {"accepted", true}})
                .status,
            403);
}

// The permission table keeps rating scales from the front desk (domain/access.cc): every
// response it gets is shaped so that no score, threshold or reason quoting one reaches it, while
// the prescriber and the nurse get them in the same responses.
TEST_P(ScheduleApiTest, TheFrontDeskGetsNoRatingScaleResults) {
  const std::string ana = server_->ana_id();
  Client dr = LoggedIn("dr.reyes");
  Client nurse = LoggedIn("nurse.okafor");
  Client desk = LoggedIn("desk.miller");
  // A decision with a clinical reason, which the desk must not read either.
  auto proposal = dr.Get("/api/v1/patients/" + ana + "/booster-proposal").json();
  ASSERT_EQ(dr.Post("/api/v1/patients/" + ana + "/booster-decisions",
                    {{"date", proposal["next_booster_date"]},
                     {"interval_days", proposal["interval_days"].get<int>() + 7},
                     {"accepted", true},
                     {"reason", "PHQ-9 stable at 6 since the last booster"}})
                .status,
            201);

  // The clinicians' view has the series, the threshold and the reasons.
  auto full = dr.Get("/api/v1/patients/" + ana + "/booster-proposal").json();
  ASSERT_FALSE(full["phq9"].empty());
  ASSERT_TRUE(full.contains("threshold"));
  ASSERT_TRUE(full["decisions"][0]["reason"].is_string());
  ASSERT_FALSE(Member(dr.Get("/api/v1/worklists/today"), "review_tasks").empty())
      << "the demo has an open review task";
  ASSERT_TRUE(nurse.Get("/api/v1/worklists/today").json().contains("review_tasks"));

  // The desk's: the date and the interval to book, nothing that quotes a score.
  auto shaped = desk.Get("/api/v1/patients/" + ana + "/booster-proposal");
  ASSERT_EQ(shaped.status, 200) << shaped.body;
  json j = shaped.json();
  EXPECT_EQ(j["next_booster_date"], full["next_booster_date"]);
  EXPECT_EQ(j["interval_days"], full["interval_days"]);
  for (const char* key : {"phq9", "threshold", "post_induction_score", "estimate_days",
                          "predicted_relapse_date", "durations", "rule", "method"}) {
    EXPECT_FALSE(j.contains(key)) << key << " in " << shaped.body;
  }
  EXPECT_NE(j["reason"], full["reason"]);
  EXPECT_THAT(shaped.body, ::testing::Not(HasSubstr("PHQ")));
  ASSERT_FALSE(j["decisions"].empty());
  for (const auto& d : j["decisions"]) EXPECT_TRUE(d["reason"].is_null()) << d.dump();

  auto today = desk.Get("/api/v1/worklists/today");
  ASSERT_EQ(today.status, 200) << today.body;
  EXPECT_FALSE(today.json().contains("review_tasks")) << today.body;
  EXPECT_THAT(today.body, ::testing::Not(HasSubstr("PHQ-9 ")));
  EXPECT_TRUE(today.json()["sessions"].is_array());

  auto tasks = desk.Get("/api/v1/review-tasks?status=open");
  EXPECT_EQ(tasks.status, 403) << tasks.body;
  EXPECT_THAT(tasks.body, ::testing::Not(HasSubstr("PHQ")));
}

TEST_P(ScheduleApiTest, WorklistAndUtilisation) {
  auto w = LoggedIn("nurse.okafor").Get("/api/v1/worklists/today");
  ASSERT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(w.json()["date"], "2026-11-21");
  for (const char* key : {"sessions", "overdue_questionnaires", "review_tasks", "due_boosters"}) {
    EXPECT_TRUE(w.json()[key].is_array()) << key;
  }
  EXPECT_FALSE(w.json()["review_tasks"].empty()) << "the demo has an open review task";

  Client admin = LoggedIn("admin");
  auto u = admin.Get("/api/v1/schedule/utilisation?week=2026-11-25");
  ASSERT_EQ(u.status, 200) << u.body;
  json j = u.json();
  EXPECT_EQ(j["week_start"], "2026-11-23");
  ASSERT_EQ(j["chairs"].size(), 4u);
  int booked = 0;
  for (const auto& c : j["chairs"]) {
    // Mon-Fri 10 h, Thanksgiving closed: 4 days.
    EXPECT_EQ(c["open_minutes"], 4 * 600);
    booked += c["booked_minutes"].get<int>();
    EXPECT_GE(c["ratio"].get<double>(), 0.0);
    EXPECT_LE(c["ratio"].get<double>(), 1.0);
  }
  EXPECT_GT(booked, 0);
  EXPECT_THAT(u.body, ::testing::Not(HasSubstr("patient")));
  EXPECT_EQ(LoggedIn("desk.miller").Get("/api/v1/schedule/utilisation?week=2026-11-25").status,
            403);
}

TEST_P(ScheduleApiTest, ResourcesAreManagedByTheAdministratorOnly) {
  Client admin = LoggedIn("admin");
  auto chair = admin.Post("/api/v1/schedule/chairs", {{"name", "Chair 5"}});
  ASSERT_EQ(chair.status, 201) << chair.body;
  EXPECT_EQ(admin.Post("/api/v1/schedule/chairs", {{"name", "Chair 5"}}).status, 409);
  auto shift = admin.Post(
      "/api/v1/schedule/shifts",
      {{"username", "nurse.okafor"}, {"date", "2026-12-21"}, {"start", "08:00"}, {"end", "12:00"}});
  EXPECT_EQ(shift.status, 201) << shift.body;
  auto bad_shift = admin.Post(
      "/api/v1/schedule/shifts",
      {{"username", "nurse.okafor"}, {"date", "2026-12-22"}, {"start", "12:00"}, {"end", "08:00"}});
  EXPECT_EQ(bad_shift.status, 400);
  EXPECT_EQ(bad_shift.json()["error"]["field"], "end");
  EXPECT_EQ(
      admin.Post("/api/v1/schedule/holidays", {{"date", "2026-12-24"}, {"name", "Eve"}}).status,
      201);
  auto hours = admin.Send("PUT", "/api/v1/schedule/hours",
                          json{{"time_zone", "Mars/Olympus"}, {"hours", json::array()}}.dump(),
                          {{"Content-Type", "application/json"}, {"X-CSRF-Token", admin.csrf()}});
  EXPECT_EQ(hours.status, 400);
  EXPECT_EQ(hours.json()["error"]["field"], "time_zone");
  // Removing every opening hour is confirmed first (issue 22): nothing changes until then.
  auto put_hours = [&](const json& body) {
    return admin.Send("PUT", "/api/v1/schedule/hours", body.dump(),
                      {{"Content-Type", "application/json"}, {"X-CSRF-Token", admin.csrf()}});
  };
  Client reader = LoggedIn("desk.miller");  // the administrator manages, the desk reads
  const json before = reader.Get("/api/v1/schedule/resources").json()["hours"];
  const json monday = json::array({{{"weekday", 1}, {"open", "08:00"}, {"close", "18:00"}}});
  ASSERT_EQ(put_hours({{"hours", monday}}).status, 200);
  const json set = reader.Get("/api/v1/schedule/resources").json()["hours"];
  ASSERT_FALSE(set.empty()) << set.dump();
  auto empty = put_hours({{"hours", json::array()}});
  EXPECT_EQ(empty.status, 409) << empty.body;
  EXPECT_EQ(empty.json()["warnings"][0]["code"], "no_opening_hours");
  EXPECT_EQ(reader.Get("/api/v1/schedule/resources").json()["hours"], set);
  auto confirmed = put_hours({{"hours", json::array()}, {"confirm", true}});
  EXPECT_EQ(confirmed.status, 200) << confirmed.body;
  const json none = reader.Get("/api/v1/schedule/resources").json()["hours"];
  EXPECT_TRUE(none.is_array() && none.empty()) << none.dump();
  EXPECT_EQ(put_hours({{"hours", before}, {"confirm", true}}).status, 200);
  auto quals = admin.Send("PUT", "/api/v1/schedule/staff/nurse.lindqvist/qualifications",
                          json{{"qualifications", {"iv"}}}.dump(),
                          {{"Content-Type", "application/json"}, {"X-CSRF-Token", admin.csrf()}});
  EXPECT_EQ(quals.status, 200) << quals.body;
  // The front desk may not change resources; the administrator may not book.
  Client desk = LoggedIn("desk.miller");
  EXPECT_EQ(desk.Post("/api/v1/schedule/chairs", {{"name", "Chair 6"}}).status, 403);
  EXPECT_EQ(admin
                .Post("/api/v1/patients/" + server_->ana_id() + "/appointments",
                      {{"type", "iv-infusion"}})
                .status,
            403);
  EXPECT_EQ(
      LoggedIn("ana.silva").Get("/api/v1/schedule/calendar?from=2026-11-23&to=2026-11-29").status,
      403);
}

TEST_P(ScheduleApiTest, BadInputNamesTheField) {
  Client desk = LoggedIn("desk.miller");
  const std::string ana = server_->ana_id();
  json slot = Propose(desk, ana, "2026-12-01")["sessions"][0];
  struct Case {
    json body;
    std::string field;
  };
  const Case cases[] = {
      {{{"type", "iv-infusion"},
        {"start", "tomorrow"},
        {"chair_id", slot["chair_id"]},
        {"nurse", slot["nurse"]}},
       "start"},
      {{{"type", "iv-infusion"},
        {"start", slot["start"]},
        {"chair_id", "nope"},
        {"nurse", slot["nurse"]}},
       "chair_id"},
      {{{"type", "massage"},
        {"start", slot["start"]},
        {"chair_id", slot["chair_id"]},
        {"nurse", slot["nurse"]}},
       "type"},
      {{{"type", "iv-infusion"},
        {"start", "2026-11-20T15:00:00.000000Z"},
        {"chair_id", slot["chair_id"]},
        {"nurse", slot["nurse"]}},
       "start"},
      {{{"type", "iv-infusion"},
        {"start", "2026-12-01T15:05:00.000000Z"},
        {"chair_id", slot["chair_id"]},
        {"nurse", slot["nurse"]}},
       "start"},
      {{{"type", "iv-infusion"}, {"chair_id", slot["chair_id"]}, {"nurse", slot["nurse"]}},
       "start"},
  };
  for (const auto& c : cases) {
    auto r = desk.Post("/api/v1/patients/" + ana + "/appointments", c.body);
    EXPECT_EQ(r.status, 400) << c.body.dump() << r.body;
    EXPECT_EQ(r.json()["error"]["field"], c.field) << c.body.dump();
  }
  // Outside opening hours (Saturday) is a rule of the clinic, named with its field.
  auto saturday = desk.Post("/api/v1/patients/" + ana + "/appointments",
                            {{"type", "iv-infusion"},
                             {"start", "2026-11-28T15:00:00.000000Z"},
                             {"chair_id", slot["chair_id"]},
                             {"nurse", slot["nurse"]}});
  EXPECT_GE(saturday.status, 400);
  EXPECT_LT(saturday.status, 500);
  EXPECT_FALSE(saturday.json()["error"]["field"].get<std::string>().empty());

  auto series = desk.Post(
      "/api/v1/patients/" + ana + "/series",
      {{"protocol", "iv-standard"},
       {"sessions", {Choice(slot), {{"start", "x"}, {"chair_id", "c"}, {"nurse", "n"}}}}});
  EXPECT_EQ(series.status, 400);
  EXPECT_EQ(series.json()["error"]["field"], "sessions[1].start");
  auto unknown = desk.Post("/api/v1/patients/" + ana + "/series/proposal",
                           {{"protocol", "iv-nonesuch"}, {"start", "2026-11-23"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.json()["error"]["field"], "protocol");
  auto range = desk.Get("/api/v1/schedule/calendar?from=2026-11-01&to=2026-12-31");
  EXPECT_EQ(range.status, 400);
  EXPECT_EQ(range.json()["error"]["field"], "to");
  // Not approved: a registered patient without a screening decision.
  auto fresh = desk.Post("/api/v1/patients", kSchedulePatient);
  ASSERT_EQ(fresh.status, 201);
  auto unapproved =
      desk.Post("/api/v1/patients/" + fresh.json()["id"].get<std::string>() + "/series/proposal",
                {{"protocol", "iv-standard"}, {"start", "2026-11-23"}});
  EXPECT_EQ(unapproved.status, 412) << unapproved.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, ScheduleApiTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
