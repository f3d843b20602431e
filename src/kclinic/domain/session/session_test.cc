#include "kclinic/domain/session/session.h"

#include <cmath>
#include <functional>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kclinic/domain/session/rems.h"
#include "kclinic/domain/session/session_settings.h"
#include "kclinic/domain/settings_printer.h"

namespace kclinic::domain::session {
namespace {

using std::chrono::minutes;
using ::testing::HasSubstr;

const Timestamp kT0 = std::chrono::sys_days(std::chrono::year_month_day(
                          std::chrono::year(2026), std::chrono::November, std::chrono::day(21))) +
                      std::chrono::hours(9);

SessionRecord Record(Kind kind) {
  SessionRecord r;
  r.id = std::string(32, 'a');
  r.patient_id = PatientId(std::string(32, 'b'));
  r.kind = kind;
  r.scheduled_at = kT0;
  if (kind == Kind::kIvKetamine) {
    r.plan = IvPlan{Milligrams(35.75), MgPerKg(0.5),       Kilograms(71.5),   Kilograms(71.5),
                    MgPerMl(10),       Milliliters(3.575), MlPerHour(5.3625), Minutes(40)};
  } else {
    r.planned_dose_mg = 56;
  }
  return r;
}

PrecheckFacts GoodFacts() {
  PrecheckFacts f;
  f.decision = ScreeningDecision::kApprove;
  f.decided_at = kT0 - std::chrono::days(10);
  f.consent_at = kT0 - std::chrono::days(10);
  f.escort_name = "Tom";
  f.phq9_at = kT0 - std::chrono::hours(2);
  f.birth_date = std::chrono::year(1984) / 3 / 2;
  f.sex = Sex::kFemale;
  return f;
}

const NurseChecks kGoodChecks{true, PregnancyTest::kNegative};

Actor At(int minute, std::string by = "nurse.okafor") { return {kT0 + minutes(minute), by}; }

class SessionTest : public ::testing::Test {
 protected:
  SiteSettings settings_;
  std::vector<std::string> ids_ = {std::string(32, '1'), std::string(32, '2'), std::string(32, '3'),
                                   std::string(32, '4')};

  // An IV session driven to `target` along the usual path (times in minutes from 09:00).
  Session Iv(State target) {
    Session s = Session::Create(Record(Kind::kIvKetamine));
    auto step = [&](Status st) { EXPECT_TRUE(st.ok()) << st.message(); };
    if (target == State::kScheduled) return s;
    if (target == State::kCancelled) {
      step(s.Transition(At(0), State::kCancelled, "unwell", std::nullopt, settings_));
      return s;
    }
    step(s.Transition(At(0), State::kCheckedIn, "", std::nullopt, settings_));
    EXPECT_TRUE(s.RecordVital(At(0), {"v1", 128, 82, 72, 98, 14}, settings_, ids_).ok());
    if (target == State::kCheckedIn) return s;
    step(s.RecordPrechecks(At(0), kGoodChecks, GoodFacts(), settings_));
    EXPECT_EQ(s.state(), State::kPrechecksPassed);
    step(s.CheckDraw(40, false, "", settings_));
    step(s.RecordCustody(At(0), {"d1", "draw", "lot", "", "", 40, ""}));
    if (target == State::kPrechecksPassed) return s;
    step(s.Transition(At(1), State::kRunning, "", std::nullopt, settings_));
    if (target == State::kRunning) return s;
    if (target == State::kPaused) {
      step(s.Transition(At(11), State::kPaused, "", std::nullopt, settings_));
      return s;
    }
    step(s.Transition(At(41), State::kStopped, "", std::nullopt, settings_));
    // The app records the computed amount in the ledger at the stop.
    step(s.RecordCustody(At(41), {"a1", "administer", "lot", "", "", s.AdministeredMg(kT0), ""}));
    if (target == State::kStopped) return s;
    step(s.Transition(At(42), State::kRecovery, "", std::nullopt, settings_));
    if (target == State::kRecovery) return s;
    EXPECT_TRUE(s.RecordVital(At(60), {"v2", 130, 80, 70, 98, 14}, settings_, ids_).ok());
    step(s.Discharge(At(102), Checklist(false), settings_));
    if (target == State::kDischarged) return s;
    step(s.CheckWaste(40 - s.AdministeredMg(At(102).at)));
    step(s.RecordCustody(
        At(102), {"w1", "waste", "lot", "", "nurse.lindqvist", 40 - s.AdministeredMg(kT0), ""}));
    step(s.Sign(At(110, "dr.reyes")));
    return s;
  }

  static std::map<std::string, bool> Checklist(bool esketamine) {
    std::map<std::string, bool> m = {{"alert_oriented", true},
                                     {"walks_safely", true},
                                     {"vitals_near_baseline", true},
                                     {"nausea_controlled", true},
                                     {"escort_present", true}};
    if (esketamine) {
      m["sedation_resolved"] = m["dissociation_resolved"] = m["respiratory_depression_resolved"] =
          true;
    }
    return m;
  }
};

TEST_F(SessionTest, CodesRoundTrip) {
  for (State s : {State::kScheduled, State::kCheckedIn, State::kPrechecksPassed, State::kRunning,
                  State::kPaused, State::kStopped, State::kRecovery, State::kDosing,
                  State::kMonitoring, State::kDischarged, State::kSigned, State::kCancelled}) {
    EXPECT_EQ(ParseState(StateCode(s)), s);
  }
  EXPECT_EQ(ParseKind("esketamine"), Kind::kEsketamine);
  EXPECT_FALSE(ParseKind("oral"));
  EXPECT_EQ(ParsePregnancyTest("not_applicable"), PregnancyTest::kNotApplicable);
  EXPECT_EQ(StateCode(State::kPrechecksPassed), "prechecks_passed");
}

// Every IV state against every requested target: the allowed ones succeed (when their rules
// hold along the usual path) and every other one is a FailedPrecondition.
TEST_F(SessionTest, EveryIvTransitionValidAndInvalid) {
  const State all[] = {State::kScheduled,  State::kCheckedIn, State::kPrechecksPassed,
                       State::kRunning,    State::kPaused,    State::kStopped,
                       State::kRecovery,   State::kDosing,    State::kMonitoring,
                       State::kDischarged, State::kSigned,    State::kCancelled};
  const std::map<State, std::set<State>> valid = {
      {State::kScheduled, {State::kCheckedIn, State::kCancelled}},
      {State::kCheckedIn, {State::kCancelled}},
      {State::kPrechecksPassed, {State::kRunning, State::kCancelled}},
      {State::kRunning, {State::kPaused, State::kStopped}},
      {State::kPaused, {State::kRunning, State::kStopped}},
      {State::kStopped, {State::kRecovery}},
      {State::kRecovery, {}},
      {State::kDischarged, {}},
      {State::kSigned, {}},
      {State::kCancelled, {}},
  };
  for (const auto& [from, targets] : valid) {
    for (State to : all) {
      Session s = Iv(from);
      ASSERT_EQ(s.state(), from);
      Status st = s.Transition(At(200), to, "a reason", std::nullopt, settings_);
      if (targets.count(to)) {
        EXPECT_TRUE(st.ok()) << StateCode(from) << " -> " << StateCode(to) << ": " << st.message();
        EXPECT_EQ(s.state(), to);
      } else {
        EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition)
            << StateCode(from) << " -> " << StateCode(to);
        EXPECT_EQ(s.state(), from);
        EXPECT_FALSE(st.message().empty());
      }
    }
  }
}

TEST_F(SessionTest, InvalidTransitionsSayWhy) {
  Session s = Iv(State::kScheduled);
  EXPECT_EQ(s.Transition(At(0), State::kRunning, "", std::nullopt, settings_).message(),
            "cannot start: pre-checks have not passed");
  Session signed_ = Iv(State::kSigned);
  EXPECT_EQ(signed_.Transition(At(200), State::kPaused, "", std::nullopt, settings_).message(),
            "signed records take addenda");
  EXPECT_EQ(
      signed_.RecordVital(At(200), {"v", 120, 80, {}, {}, {}}, settings_, ids_).status().message(),
      "signed records take addenda");
  Session running = Iv(State::kRunning);
  EXPECT_THAT(running.Transition(At(5), State::kCancelled, "x", std::nullopt, settings_).message(),
              HasSubstr("cannot cancel"));
  Session scheduled = Iv(State::kScheduled);
  EXPECT_EQ(scheduled.Transition(At(0), State::kCancelled, "", std::nullopt, settings_).field(),
            "reason");
  Session stopped = Iv(State::kStopped);
  EXPECT_THAT(stopped.Transition(At(50), State::kDischarged, "", std::nullopt, settings_).message(),
              HasSubstr("discharge checklist"));
}

TEST_F(SessionTest, StartNeedsADraw) {
  Session s = Session::Create(Record(Kind::kIvKetamine));
  ASSERT_TRUE(s.Transition(At(0), State::kCheckedIn, "", std::nullopt, settings_).ok());
  ASSERT_TRUE(s.RecordVital(At(0), {"v", 120, 80, {}, {}, {}}, settings_, ids_).ok());
  ASSERT_TRUE(s.RecordPrechecks(At(0), kGoodChecks, GoodFacts(), settings_).ok());
  EXPECT_EQ(s.Transition(At(1), State::kRunning, "", std::nullopt, settings_).message(),
            "cannot start: draw the dose from a lot first");
  EXPECT_EQ(s.CheckDraw(0, false, "", settings_).field(), "amount_mg");
}

TEST_F(SessionTest, AnEarlyStopNeedsAReason) {
  Session s = Iv(State::kRunning);  // started at 09:01, planned 40 min
  Status early = s.Transition(At(2), State::kStopped, " ", std::nullopt, settings_);
  EXPECT_EQ(early.field(), "reason");
  EXPECT_EQ(early.message(), "is required to stop after 1 min of the planned 40 min");
  // Within the site's tolerance (2 min) of the plan, no reason is asked.
  Session near = Iv(State::kRunning);
  EXPECT_TRUE(near.Transition(At(39), State::kStopped, "", std::nullopt, settings_).ok());
  EXPECT_TRUE(s.Transition(At(2), State::kStopped, "felt faint", std::nullopt, settings_).ok());
}

TEST_F(SessionTest, DrawsFollowThePlanAndThePrechecks) {
  Session s = Session::Create(Record(Kind::kIvKetamine));  // plan 35.75 mg
  ASSERT_TRUE(s.Transition(At(0), State::kCheckedIn, "", std::nullopt, settings_).ok());
  EXPECT_EQ(s.CheckDraw(30, false, "", settings_).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(s.RecordVital(At(0), {"v", 120, 80, {}, {}, {}}, settings_, ids_).ok());
  ASSERT_TRUE(s.RecordPrechecks(At(0), kGoodChecks, GoodFacts(), settings_).ok());
  // The plan plus 25 %: 44.69 mg in all.
  EXPECT_DOUBLE_EQ(s.DrawLimitMg(settings_), 44.69);
  EXPECT_TRUE(s.CheckDraw(44.69, false, "", settings_).ok());
  Status big = s.CheckDraw(500, false, "", settings_);
  EXPECT_EQ(big.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(big.message(),
            "a prescriber must make this draw: 500 mg in all is above the plan's 35.8 mg and "
            "the site's margin (44.7 mg)");
  EXPECT_EQ(s.CheckDraw(500, true, "", settings_).field(), "reason");
  EXPECT_TRUE(s.CheckDraw(500, true, "second bag: the first leaked", settings_).ok());
  // Earlier draws count: 40 drawn, 10 more is 50 in all.
  ASSERT_TRUE(s.RecordCustody(At(0), {"d1", "draw", "lot", "", "", 40, ""}).ok());
  EXPECT_TRUE(s.CheckDraw(4, false, "", settings_).ok());
  EXPECT_EQ(s.CheckDraw(10, false, "", settings_).code(), StatusCode::kPermissionDenied);
  // The margin is a site setting.
  SiteSettings none(2, {{std::string(kDrawMarginPercent), 0}});
  EXPECT_EQ(s.CheckDraw(1, false, "", none).code(), StatusCode::kPermissionDenied);
}

TEST_F(SessionTest, SegmentsAndAdministeredAmountAreComputed) {
  Session s = Iv(State::kRunning);  // started at 09:01 at 5.3625 mL/h
  ASSERT_TRUE(s.ChangeRate(At(11), 4.0, "BP").ok());
  ASSERT_TRUE(s.Transition(At(16), State::kPaused, "", std::nullopt, settings_).ok());
  EXPECT_EQ(s.ChangeRate(At(17), 3.0, "").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(s.Transition(At(21), State::kRunning, "", std::nullopt, settings_).ok());
  // 35 min of the planned 40 ran (5 paused): stopping now needs a reason.
  EXPECT_EQ(s.Transition(At(41), State::kStopped, "", std::nullopt, settings_).field(), "reason");
  ASSERT_TRUE(
      s.Transition(At(41), State::kStopped, "BP: end of the slot", std::nullopt, settings_).ok());
  auto seg = s.Segments();
  ASSERT_EQ(seg.size(), 3u);
  EXPECT_EQ(seg[0].end, kT0 + minutes(11));
  EXPECT_DOUBLE_EQ(seg[2].rate_ml_per_h, 4.0);  // resume keeps the last rate
  // 5.3625 × 10/60 + 4 × 5/60 + 4 × 20/60 = 2.560 mL -> 25.6 mg at 10 mg/mL.
  EXPECT_DOUBLE_EQ(s.AdministeredMl(kT0 + minutes(300)), 2.56);
  EXPECT_DOUBLE_EQ(s.AdministeredMg(kT0 + minutes(300)), 25.6);
  EXPECT_EQ(s.ChangeRate(At(42), 0, "").field(), "rate_ml_per_h");
}

TEST_F(SessionTest, AdministeredIsCappedAtTheDrawnAmount) {
  Session s = Iv(State::kRunning);
  // 5.3625 mL/h for 10 h would be 536 mg; only 40 mg were drawn.
  EXPECT_DOUBLE_EQ(s.AdministeredMg(kT0 + std::chrono::hours(10)), 40);
}

TEST_F(SessionTest, PrechecksJudgeEveryItem) {
  struct Case {
    const char* name;
    std::function<void(PrecheckFacts&, NurseChecks&)> change;
    const char* failing;
  };
  const std::vector<Case> cases = {
      {"declined", [](PrecheckFacts& f, NurseChecks&) { f.decision = ScreeningDecision::kDecline; },
       "screening_approved"},
      {"stale approval",
       [](PrecheckFacts& f, NurseChecks&) { f.decided_at = kT0 - std::chrono::days(400); },
       "screening_approved"},
      {"no consent", [](PrecheckFacts& f, NurseChecks&) { f.consent_at.reset(); },
       "consent_current"},
      {"old consent",
       [](PrecheckFacts& f, NurseChecks&) { f.consent_at = kT0 - std::chrono::days(366); },
       "consent_current"},
      {"no escort", [](PrecheckFacts& f, NurseChecks&) { f.escort_name.clear(); }, "escort_named"},
      {"escort absent", [](PrecheckFacts&, NurseChecks& n) { n.escort_present = false; },
       "escort_present"},
      {"old PHQ-9",
       [](PrecheckFacts& f, NurseChecks&) { f.phq9_at = kT0 - std::chrono::hours(73); },
       "phq9_done"},
      {"positive test",
       [](PrecheckFacts&, NurseChecks& n) { n.pregnancy_test = PregnancyTest::kPositive; },
       "pregnancy_test"},
      {"test applies",
       [](PrecheckFacts&, NurseChecks& n) { n.pregnancy_test = PregnancyTest::kNotApplicable; },
       "pregnancy_test"},
  };
  const std::optional<VitalReading> baseline =
      VitalReading{{"v", 128, 82, {}, {}, {}}, kT0, "n", true};
  for (const auto& c : cases) {
    PrecheckFacts f = GoodFacts();
    NurseChecks n = kGoodChecks;
    c.change(f, n);
    auto items = EvaluatePrechecks(f, n, baseline, kT0, kT0, settings_);
    ASSERT_EQ(items.size(), 7u);
    for (const auto& i : items) {
      if (i.key == c.failing) {
        EXPECT_EQ(i.passed, false) << c.name;
      } else {
        EXPECT_EQ(i.passed, true) << c.name << ": " << i.key << " " << i.detail;
      }
    }
  }
  // A man, or a woman over 55, passes with not_applicable.
  PrecheckFacts man = GoodFacts();
  man.sex = Sex::kMale;
  auto items =
      EvaluatePrechecks(man, {true, PregnancyTest::kNotApplicable}, baseline, kT0, kT0, settings_);
  EXPECT_EQ(items.back().passed, true);
  // Baseline BP at the deferral limit (160/100) fails; none at all fails.
  const std::optional<VitalReading> high = VitalReading{{"v", 160, 90, {}, {}, {}}, kT0, "n", true};
  EXPECT_EQ(EvaluatePrechecks(GoodFacts(), kGoodChecks, high, kT0, kT0, settings_)[5].passed,
            false);
  EXPECT_EQ(
      EvaluatePrechecks(GoodFacts(), kGoodChecks, std::nullopt, kT0, kT0, settings_)[5].passed,
      false);
}

TEST_F(SessionTest, OverrideNeedsFailedPrechecksAndAReason) {
  Session s = Iv(State::kScheduled);
  ASSERT_TRUE(s.Transition(At(0), State::kCheckedIn, "", std::nullopt, settings_).ok());
  EXPECT_EQ(s.OverridePrechecks(At(1, "dr.reyes"), "why").message(),
            "cannot override: record the pre-checks first");
  PrecheckFacts f = GoodFacts();
  f.escort_name.clear();
  ASSERT_TRUE(s.RecordPrechecks(At(1), kGoodChecks, f, settings_).ok());
  EXPECT_EQ(s.state(), State::kCheckedIn);
  EXPECT_EQ(s.OverridePrechecks(At(2, "dr.reyes"), "").field(), "reason");
  ASSERT_TRUE(s.OverridePrechecks(At(2, "dr.reyes"), "escort confirmed by phone").ok());
  EXPECT_EQ(s.state(), State::kPrechecksPassed);
  EXPECT_EQ(s.OverrideInfo()->by, "dr.reyes");
  EXPECT_EQ(s.OverrideInfo()->at, kT0 + minutes(2));
}

TEST_F(SessionTest, VitalThresholdsRaiseAlerts) {
  struct Case {
    Vital v;
    State state;
    std::vector<std::string> kinds;
  };
  const std::vector<Case> cases = {
      {{"", 180, 90, {}, {}, {}}, State::kRunning, {"bp_high"}},
      {{"", 179, 109, {}, {}, {}}, State::kRunning, {}},
      {{"", 150, 110, {}, {}, {}}, State::kPaused, {"bp_high"}},
      {{"", 185, 100, {}, {}, {}}, State::kCheckedIn, {}},  // before the infusion: deferral
      {{"", 185, 100, {}, {}, {}}, State::kMonitoring, {"bp_high"}},
      {{"", {}, {}, {}, 91, {}}, State::kRecovery, {"spo2_low"}},
      {{"", {}, {}, {}, 92, {}}, State::kRecovery, {}},
      {{"", {}, {}, 120, {}, {}}, State::kRunning, {"hr_abnormal"}},
      {{"", {}, {}, 50, {}, {}}, State::kRunning, {"hr_abnormal"}},
      {{"", {}, {}, 51, {}, {}}, State::kRunning, {}},
      {{"", {}, {}, {}, {}, 9}, State::kRunning, {"rr_low"}},
      {{"", 190, 115, 130, 88, 8},
       State::kRunning,
       {"bp_high", "spo2_low", "hr_abnormal", "rr_low"}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> got;
    for (const auto& a : VitalAlerts(c.v, c.state, settings_)) got.push_back(a.kind);
    EXPECT_EQ(got, c.kinds);
  }
  auto spo2 = VitalAlerts({"", {}, {}, {}, 88, {}}, State::kRunning, settings_);
  EXPECT_EQ(spo2[0].recommended_action,
            "stimulate, give oxygen, stop the infusion if it does not recover");
  // A site that lowers the SBP alert to 170 sees it at 175.
  SiteSettings strict(1, {{std::string(kAlertSbpMmHg), 170}});
  EXPECT_EQ(VitalAlerts({"", 175, 90, {}, {}, {}}, State::kRunning, strict).size(), 1u);
}

TEST_F(SessionTest, AlertsTakeOneActionEach) {
  Session s = Iv(State::kRunning);
  auto raised = s.RecordVital(At(11), {"v", 185, 100, 80, 98, 14}, settings_, ids_);
  ASSERT_TRUE(raised.ok());
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ(s.OpenAlerts(), 1);
  EXPECT_EQ(s.ActOnAlert(At(12), "nope", "x").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ActOnAlert(At(12), ids_[0], "").status().field(), "action_taken");
  auto acted = s.ActOnAlert(At(12), ids_[0], "paused, re-checked");
  ASSERT_TRUE(acted.ok());
  EXPECT_EQ(acted->action_by, "nurse.okafor");
  EXPECT_EQ(s.OpenAlerts(), 0);
  EXPECT_EQ(s.ActOnAlert(At(13), ids_[0], "again").status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(SessionTest, VitalsInputIsChecked) {
  Session s = Iv(State::kCheckedIn);
  EXPECT_EQ(s.RecordVital(At(1), {"v", {}, {}, {}, {}, {}}, settings_, ids_).status().field(),
            "sbp");
  EXPECT_EQ(s.RecordVital(At(1), {"v", 120, {}, {}, {}, {}}, settings_, ids_).status().field(),
            "dbp");
  EXPECT_EQ(s.RecordVital(At(1), {"v", 120, 130, {}, {}, {}}, settings_, ids_).status().field(),
            "dbp");
  EXPECT_EQ(s.RecordVital(At(1), {"v", {}, {}, {}, 101, {}}, settings_, ids_).status().field(),
            "spo2");
  Session scheduled = Iv(State::kScheduled);
  EXPECT_THAT(
      scheduled.RecordVital(At(1), {"v", {}, {}, 70, {}, {}}, settings_, ids_).status().message(),
      HasSubstr("check the patient in first"));
}

TEST_F(SessionTest, VitalsDueEveryTenThenFifteenMinutes) {
  Session s = Iv(State::kRunning);  // started 09:01, baseline at 09:00
  EXPECT_EQ(s.NextVitalsDue(settings_), kT0 + minutes(11));
  ASSERT_TRUE(s.RecordVital(At(9), {"v", 130, 80, {}, {}, {}}, settings_, ids_).ok());
  EXPECT_EQ(s.NextVitalsDue(settings_), kT0 + minutes(19));
  ASSERT_TRUE(s.Transition(At(41), State::kStopped, "", std::nullopt, settings_).ok());
  EXPECT_EQ(s.NextVitalsDue(settings_), kT0 + minutes(56));
  EXPECT_FALSE(Iv(State::kScheduled).NextVitalsDue(settings_));
}

TEST_F(SessionTest, SideEffectsAreCheckedAndEscalate) {
  Session s = Iv(State::kRunning);
  EXPECT_EQ(s.RecordSideEffect(At(5), {"", "sneezing", "mild", "none", ""}, "x").status().field(),
            "effect");
  EXPECT_EQ(
      s.RecordSideEffect(At(5), {"", "nausea_vomiting", "awful", "none", ""}, "x").status().field(),
      "severity");
  EXPECT_EQ(
      s.RecordSideEffect(At(5), {"", "nausea_vomiting", "mild", "", ""}, "x").status().field(),
      "action");
  EXPECT_EQ(s.RecordSideEffect(At(5), {"", "other", "mild", "noted", ""}, "x").status().field(),
            "note");
  auto mild = s.RecordSideEffect(At(5), {"se1", "headache", "mild", "water", ""}, "a1");
  ASSERT_TRUE(mild.ok());
  EXPECT_TRUE(mild->empty());
  auto severe = s.RecordSideEffect(At(6), {"se2", "headache", "severe", "stopped", ""}, "a2");
  ASSERT_TRUE(severe.ok());
  ASSERT_EQ(severe->size(), 1u);
  EXPECT_EQ((*severe)[0].alert.kind, "stop_and_escalate");
  EXPECT_TRUE(SideEffectAlert("chest_pain", "mild"));
  EXPECT_TRUE(SideEffectAlert("neurological_signs", "moderate"));
  EXPECT_FALSE(SideEffectAlert("dissociation", "severe"));
}

TEST_F(SessionTest, DischargeNamesEveryFailingItem) {
  Session s = Iv(State::kStopped);  // stopped 09:41
  auto items = Checklist(false);
  Status early = s.Discharge(At(50), items, settings_);
  EXPECT_EQ(early.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.field(), "vitals_at_end");
  EXPECT_THAT(early.message(), HasSubstr("vitals at end are missing"));
  EXPECT_THAT(early.message(), HasSubstr("observation_time"));
  ASSERT_TRUE(s.RecordVital(At(55), {"v", 130, 80, {}, {}, {}}, settings_, ids_).ok());
  EXPECT_EQ(s.Discharge(At(90), items, settings_).field(), "observation_time");
  items["walks_safely"] = false;
  items["escort_present"] = false;
  Status named = s.Discharge(At(101), items, settings_);
  EXPECT_EQ(named.field(), "walks_safely");
  EXPECT_THAT(named.message(), HasSubstr("escort_present"));
  items.erase("walks_safely");
  EXPECT_EQ(s.Discharge(At(101), items, settings_).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(s.Discharge(At(101), Checklist(false), settings_).ok());
  EXPECT_EQ(s.state(), State::kDischarged);
}

TEST_F(SessionTest, SignNeedsReconciledCustodyAndLocksTheRecord) {
  Session s = Iv(State::kDischarged);
  EXPECT_THAT(s.Sign(At(110, "dr.reyes")).message(), HasSubstr("custody does not reconcile"));
  EXPECT_EQ(s.AddAddendum(At(110), "x").code(), StatusCode::kFailedPrecondition);
  Session signed_ = Iv(State::kSigned);
  EXPECT_EQ(signed_.SignedInfo()->by, "dr.reyes");
  EXPECT_TRUE(signed_.CustodyView().reconciled());
  EXPECT_EQ(signed_.Sign(At(120, "dr.reyes")).message(), "signed records take addenda");
  EXPECT_EQ(signed_.CheckDraw(5, false, "", SiteSettings()).message(),
            "signed records take addenda");
  EXPECT_EQ(signed_.ChangeRate(At(120), 5, "").message(), "signed records take addenda");
  EXPECT_EQ(signed_.AddAddendum(At(120), "").field(), "text");
  ASSERT_TRUE(signed_.AddAddendum(At(120), "slept well").ok());
  EXPECT_EQ(signed_.Addenda().size(), 1u);
}

TEST_F(SessionTest, WasteMustEqualTheRemainder) {
  Session s = Iv(State::kRunning);
  EXPECT_EQ(s.CheckWaste(1).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(s.Transition(At(41), State::kStopped, "", std::nullopt, settings_).ok());
  const double administered = s.AdministeredMg(kT0 + minutes(41));
  // Until the given amount is recorded (the app does it at the stop) all 40 mg remain.
  EXPECT_TRUE(s.CheckWaste(40).ok());
  ASSERT_TRUE(s.RecordCustody(At(41), {"a", "administer", "lot", "", "", administered, ""}).ok());
  EXPECT_EQ(s.CheckWaste(40 - administered + 1).field(), "amount_mg");
  EXPECT_TRUE(s.CheckWaste(40 - administered).ok());
}

TEST_F(SessionTest, ReplayRebuildsTheSameSession) {
  Session s = Iv(State::kSigned);
  std::vector<Event> events = s.events();
  auto again = Session::Replay(Record(Kind::kIvKetamine), events);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->state(), State::kSigned);
  EXPECT_EQ(again->Transitions().size(), s.Transitions().size());
  EXPECT_EQ(again->AdministeredMl(kT0), s.AdministeredMl(kT0));
  EXPECT_TRUE(again->TakeNew().empty());
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].seq, static_cast<int64_t>(i + 1));
}

// --- Esketamine ------------------------------------------------------------------------------

class EsketamineTest : public SessionTest {
 protected:
  Session Ready() {
    Session s = Session::Create(Record(Kind::kEsketamine));
    EXPECT_TRUE(s.Transition(At(0), State::kCheckedIn, "", std::nullopt, settings_).ok());
    EXPECT_TRUE(s.RecordVital(At(0), {"v0", 130, 80, 70, 98, 14}, settings_, ids_).ok());
    EXPECT_TRUE(s.RecordPrechecks(At(0), kGoodChecks, GoodFacts(), settings_).ok());
    return s;
  }
};

TEST_F(EsketamineTest, DevicesFiveMinutesApartThenMonitoring) {
  Session s = Ready();
  EXPECT_EQ(s.Transition(At(1), State::kRunning, "", std::nullopt, settings_).message(),
            "cannot start: an esketamine session is dosed by devices");
  EXPECT_EQ(s.GiveDevice(At(1), 56, settings_).field(), "mg");
  ASSERT_TRUE(s.GiveDevice(At(1), 28, settings_).ok());
  EXPECT_EQ(s.state(), State::kDosing);
  EXPECT_THAT(s.GiveDevice(At(5), 28, settings_).message(), HasSubstr("5 minutes apart"));
  ASSERT_TRUE(s.GiveDevice(At(6), 28, settings_).ok());
  EXPECT_EQ(s.state(), State::kMonitoring);
  EXPECT_THAT(s.GiveDevice(At(20), 28, settings_).message(), HasSubstr("cannot give a device"));
  EXPECT_EQ(s.MonitoringEndsAt(settings_), kT0 + minutes(121));
  EXPECT_EQ(s.NextVitalsDue(settings_), kT0 + minutes(41));
}

TEST_F(EsketamineTest, EndingDosingEarlyNeedsAReason) {
  Session s = Ready();
  ASSERT_TRUE(s.GiveDevice(At(1), 28, settings_).ok());
  EXPECT_EQ(s.Transition(At(3), State::kMonitoring, "", std::nullopt, settings_).field(), "reason");
  ASSERT_TRUE(s.Transition(At(3), State::kMonitoring, "nausea", std::nullopt, settings_).ok());
}

TEST_F(EsketamineTest, DischargeAfterTwoHoursAndBpChecksFillTheRemsForm) {
  Session s = Ready();
  ASSERT_TRUE(s.GiveDevice(At(1), 28, settings_).ok());
  ASSERT_TRUE(s.GiveDevice(At(6), 28, settings_).ok());
  ASSERT_TRUE(s.RecordVital(At(41), {"v1", 142, 88, {}, {}, {}}, settings_, ids_).ok());
  ASSERT_TRUE(s.RecordSideEffect(At(30), {"se", "sedation", "mild", "observed", ""}, "a").ok());
  EXPECT_EQ(s.Discharge(At(125), Checklist(true), settings_).field(), "bp_at_end");
  ASSERT_TRUE(s.RecordVital(At(110), {"v2", 126, 80, {}, {}, {}}, settings_, ids_).ok());
  EXPECT_EQ(s.Discharge(At(115), Checklist(true), settings_).field(), "monitoring_time");
  auto items = Checklist(true);
  items["sedation_resolved"] = false;
  EXPECT_EQ(s.Discharge(At(125), items, settings_).field(), "sedation_resolved");
  ASSERT_TRUE(s.Discharge(At(125), Checklist(true), settings_).ok());

  RemsEntry prefill;
  prefill.benzodiazepines = true;
  prefill.sedative_hypnotics = prefill.stimulants = prefill.maois = prefill.opioids = false;
  const auto birth = std::chrono::year(1984) / 3 / 2;
  RemsForm f =
      BuildRemsForm(s, {"Iris", "Vandermeer"}, birth, true, prefill, DateOf(kT0), settings_);
  EXPECT_EQ(f.dose_mg, 56);
  EXPECT_EQ(f.total_monitoring_min, 124);
  EXPECT_EQ(f.bp_before->sbp, 130);
  EXPECT_EQ(f.bp_40_min->sbp, 142);
  EXPECT_EQ(f.bp_end->sbp, 126);
  EXPECT_EQ(f.sedation_observed, true);
  EXPECT_EQ(f.dissociation_observed, false);
  EXPECT_EQ(f.vitals_acceptable_before, true);
  EXPECT_EQ(f.due_date, std::chrono::year(2026) / 11 / 28);
  const std::vector<std::string> missing = {"monitoring_clinician.name",
                                            "monitoring_clinician.phone", "setting", "lot_number",
                                            "ready_to_leave_at"};
  EXPECT_EQ(f.missing, missing);
  Status refused = s.CompleteRems(At(130), f.missing);
  EXPECT_EQ(refused.field(), "monitoring_clinician.name");
  EXPECT_THAT(refused.message(), HasSubstr("ready_to_leave_at"));

  RemsEntry nurse;
  nurse.clinician_name = "Dr. Reyes";
  nurse.clinician_phone = "555-0199";
  nurse.setting = "clinic";
  nurse.lot_number = "ES-1";
  nurse.ready_to_leave_at = kT0 + minutes(90);
  ASSERT_TRUE(s.SetRems(At(130), nurse).ok());
  f = BuildRemsForm(s, {"Iris", "Vandermeer"}, birth, true, prefill, DateOf(kT0), settings_);
  EXPECT_TRUE(f.missing.empty());
  ASSERT_TRUE(s.CompleteRems(At(131), f.missing).ok());
  EXPECT_EQ(s.SetRems(At(132), nurse).code(), StatusCode::kFailedPrecondition);
  f = BuildRemsForm(s, {"Iris", "Vandermeer"}, birth, true, prefill,
                    std::chrono::year(2026) / 12 / 30, settings_);
  EXPECT_TRUE(f.complete);
  EXPECT_FALSE(f.overdue);
}

TEST_F(EsketamineTest, RemsFormIsOverdueAfterSevenDays) {
  Session s = Ready();
  ASSERT_TRUE(s.GiveDevice(At(1), 28, settings_).ok());
  RemsForm f = BuildRemsForm(s, {"A", "B"}, std::chrono::year(1990) / 1 / 1, false, {},
                             std::chrono::year(2026) / 11 / 28, settings_);
  EXPECT_FALSE(f.overdue);
  f = BuildRemsForm(s, {"A", "B"}, std::chrono::year(1990) / 1 / 1, false, {},
                    std::chrono::year(2026) / 11 / 29, settings_);
  EXPECT_TRUE(f.overdue);
  EXPECT_EQ(s.CompleteRems(At(2), f.missing).code(), StatusCode::kFailedPrecondition);
}

PlannedDose FullDose() {
  PlannedDose d;
  d.dose = Milligrams(35.75);
  d.mg_per_kg = MgPerKg(0.5);
  d.weight_basis = "adjusted";
  d.dosing_weight = Kilograms(71.5);
  d.actual_weight = Kilograms(92);
  d.concentration = MgPerMl(10);
  d.volume = Milliliters(3.575);
  d.rate = MlPerHour(5.3625);
  d.minutes = Minutes(40);
  return d;
}

TEST(IvPlanFromSavedTest, TakesEveryFigureAsSavedWithBothWeights) {
  auto p = IvPlanFromSaved(FullDose());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->dose.value(), 35.75);
  EXPECT_EQ(p->mg_per_kg.value(), 0.5);
  EXPECT_EQ(p->dosing_weight.value(), 71.5);  // the weight the dose scales with
  EXPECT_EQ(p->actual_weight.value(), 92);    // the PK covariate, not swapped for it
  EXPECT_EQ(p->concentration.value(), 10);
  EXPECT_EQ(p->volume.value(), 3.575);
  EXPECT_EQ(p->rate.value(), 5.3625);
  EXPECT_EQ(p->duration.value(), 40);
}

TEST(IvPlanFromSavedTest, AMissingOrNonPositiveFigureIsRefusedByName) {
  struct Case {
    std::function<void(PlannedDose&)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](PlannedDose& d) { d.dose.reset(); }, "dose_mg"},
      {[](PlannedDose& d) { d.mg_per_kg.reset(); }, "mg_per_kg"},
      {[](PlannedDose& d) { d.weight_basis.reset(); }, "weight_basis"},
      {[](PlannedDose& d) { d.dosing_weight.reset(); }, "dosing_weight_kg"},
      {[](PlannedDose& d) { d.actual_weight.reset(); }, "actual_weight_kg"},
      {[](PlannedDose& d) { d.concentration.reset(); }, "concentration_mg_per_ml"},
      {[](PlannedDose& d) { d.volume.reset(); }, "volume_ml"},
      {[](PlannedDose& d) { d.rate.reset(); }, "rate_ml_per_h"},
      {[](PlannedDose& d) { d.minutes.reset(); }, "minutes"},
      {[](PlannedDose& d) { d.rate = MlPerHour(0); }, "rate_ml_per_h"},
      {[](PlannedDose& d) { d.dose = Milligrams(-1); }, "dose_mg"},
      {[](PlannedDose& d) { d.concentration = MgPerMl(std::nan("")); }, "concentration_mg_per_ml"},
  };
  for (const auto& c : cases) {
    PlannedDose d = FullDose();
    c.change(d);
    auto p = IvPlanFromSaved(d);
    ASSERT_FALSE(p.ok()) << c.field;
    EXPECT_EQ(p.status().code(), StatusCode::kFailedPrecondition) << c.field;
    EXPECT_EQ(p.status().field(), c.field);
    EXPECT_THAT(p.status().message(), HasSubstr(c.field));
  }
}

TEST(EsketamineDoseTest, OnlyWholeDevicesAndFiftySixByDefault) {
  const std::vector<std::pair<std::optional<int>, std::optional<int>>> cases = {
      {std::nullopt, 56},
      {28, 28},
      {56, 56},
      {84, 84},
      {0, std::nullopt},
      {14, std::nullopt},
      {112, std::nullopt},
      {-28, std::nullopt},
  };
  for (const auto& [asked, want] : cases) {
    auto got = PlannedEsketamineDoseMg(asked);
    if (want) {
      ASSERT_TRUE(got.ok()) << asked.value_or(-1);
      EXPECT_EQ(*got, *want);
    } else {
      ASSERT_FALSE(got.ok()) << *asked;
      EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(got.status().field(), "planned_dose_mg");
    }
  }
}

TEST_F(SessionTest, NearBaselineComparesTheNewestSystolicAfterTheStart) {
  EXPECT_EQ(Iv(State::kCheckedIn).LastSbpNearBaseline(settings_), std::nullopt);  // not started
  Session s = Iv(State::kRecovery);  // baseline 128, then 130 at minute 60... not yet
  EXPECT_EQ(s.LastSbpNearBaseline(settings_), std::nullopt);
  ASSERT_TRUE(s.RecordVital(At(60), {"v2", 130, 80, 70, 98, 14}, settings_, ids_).ok());
  EXPECT_EQ(s.LastSbpNearBaseline(settings_), true);  // within 20 mmHg
  ASSERT_TRUE(s.RecordVital(At(75), {"v3", 150, 80, 70, 98, 14}, settings_, ids_).ok());
  EXPECT_EQ(s.LastSbpNearBaseline(settings_), false);
  SiteSettings loose(2, {{std::string(kDischargeBpDeltaMmHg.key), 25}});
  EXPECT_EQ(s.LastSbpNearBaseline(loose), true);
}

TEST(SessionSettingsTest, EveryThresholdIsACitedSetting) {
  for (auto key : {kDeferSbpMmHg, kAlertSbpMmHg, kAlarmSpo2Percent, kObservationMinIv,
                   kEsketamineMonitoringMin, kRemsSubmissionDays, kScreeningValidDays}) {
    const SettingDefinition* d = FindSetting(key);
    ASSERT_NE(d, nullptr) << key;
    EXPECT_FALSE(d->citation.empty());
  }
  SiteSettings defaults;
  EXPECT_EQ(defaults.Get(kDeferSbpMmHg), 160);
  EXPECT_EQ(defaults.Get(kAlertDbpMmHg), 110);
  EXPECT_EQ(defaults.Get(kVitalsIntervalInfusionMin), 10);
  EXPECT_EQ(defaults.Get(kEsketamineMonitoringMin), 120);
}

}  // namespace
}  // namespace kclinic::domain::session
