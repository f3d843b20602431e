#include "kclinic/domain/scales/schedule.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kclinic/domain/scales/scale_settings.h"

namespace kclinic::domain::scales {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

// "Now" in every case: Monday 2026-03-02 12:00 UTC.
const Timestamp kNow =
    Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2)) + hours(12);

struct Expected {
  std::string instrument;
  DueReason reason;
  Timestamp due_at;
  bool overdue;
  int reminder;
};

struct ScheduleCase {
  std::string name;
  CoursePhase phase;
  std::vector<Timestamp> sessions;
  std::map<std::string, Timestamp, std::less<>> last;
  std::vector<Expected> due;
  ScheduleSettings settings = {};
};

TEST(ScaleSchedule, DueWindowsRemindersAndLapses) {
  using enum DueReason;
  const auto induction = CoursePhase::kInduction;
  const auto maintenance = CoursePhase::kMaintenance;
  const Timestamp in_48h = kNow + hours(48);
  const Timestamp in_72h = kNow + hours(72);
  ScheduleSettings no_reminders;
  no_reminders.reminder_days = 0;
  const ScheduleCase cases[] = {
      {"no course, nothing due", CoursePhase::kNone, {in_48h}, {}, {}},
      {"induction, session in 48 h, never answered",
       induction,
       {in_48h},
       {},
       {{"phq9", kBeforeSession, in_48h, false, 0}, {"gad7", kBeforeSession, in_48h, false, 0}}},
      {"window opens exactly 72 h before",
       induction,
       {in_72h},
       {},
       {{"phq9", kBeforeSession, in_72h, false, 0}, {"gad7", kBeforeSession, in_72h, false, 0}}},
      {"window not yet open at 72 h + 1 min", induction, {in_72h + minutes(1)}, {}, {}},
      {"answered inside the window",
       induction,
       {in_48h},
       {{"phq9", kNow - hours(1)}},
       {{"gad7", kBeforeSession, in_48h, false, 0}}},
      {"answered exactly as the window opened",
       induction,
       {in_48h},
       {{"phq9", in_48h - hours(72)}, {"gad7", in_48h - hours(72)}},
       {}},
      {"answered before the window opened does not count",
       induction,
       {in_48h},
       {{"phq9", in_48h - hours(73)}, {"gad7", in_48h - hours(73)}},
       {{"phq9", kBeforeSession, in_48h, false, 0}, {"gad7", kBeforeSession, in_48h, false, 0}}},
      {"missed: session 2 h ago, reminder 1",
       induction,
       {kNow - hours(2)},
       {},
       {{"phq9", kBeforeSession, kNow - hours(2), true, 1},
        {"gad7", kBeforeSession, kNow - hours(2), true, 1}}},
      {"missed at the session start itself",
       induction,
       {kNow},
       {{"gad7", kNow - hours(5)}},
       {{"phq9", kBeforeSession, kNow, true, 1}}},
      {"missed: 25 h ago, reminder 2",
       induction,
       {kNow - hours(25)},
       {{"gad7", kNow - hours(30)}},
       {{"phq9", kBeforeSession, kNow - hours(25), true, 2}}},
      {"missed: 71 h ago, reminder 3",
       induction,
       {kNow - hours(71)},
       {{"gad7", kNow - hours(72)}},
       {{"phq9", kBeforeSession, kNow - hours(71), true, 3}}},
      {"missed: 72 h ago, reminders over", induction, {kNow - hours(72)}, {}, {}},
      {"missed but answered late",
       induction,
       {kNow - hours(25)},
       {{"phq9", kNow - hours(1)}, {"gad7", kNow - hours(24)}},
       {}},
      {"no reminders at this site", induction, {kNow - hours(2)}, {}, {}, no_reminders},
      {"missed one and the next window open: the overdue one first",
       induction,
       {kNow - hours(2), in_48h},
       {{"gad7", kNow - hours(1)}},
       {{"phq9", kBeforeSession, kNow - hours(2), true, 1}}},
      {"maintenance, 6 days since the last",
       maintenance,
       {},
       {{"phq9", kNow - days(6)}, {"gad7", kNow - days(6)}},
       {}},
      {"maintenance, exactly 7 days",
       maintenance,
       {},
       {{"phq9", kNow - days(7)}, {"gad7", kNow - days(1)}},
       {{"phq9", kInterval, kNow + hours(24), false, 0}}},
      {"maintenance, 8 days: reminder 1",
       maintenance,
       {},
       {{"phq9", kNow - days(8)}, {"gad7", kNow - days(10) - hours(1)}},
       {{"phq9", kInterval, kNow, true, 1},
        {"gad7", kInterval, kNow - days(2) - hours(1), true, 3}}},
      {"maintenance, 11 days: lapsed until the next interval",
       maintenance,
       {},
       {{"phq9", kNow - days(11)}, {"gad7", kNow - days(14)}},
       {{"gad7", kInterval, kNow + hours(24), false, 0}}},
      {"maintenance, never answered: due now",
       maintenance,
       {},
       {},
       {{"phq9", kInterval, kNow, false, 0}, {"gad7", kInterval, kNow, false, 0}}},
      {"maintenance booster in 24 h and an interval due: the earlier deadline",
       maintenance,
       {kNow + hours(24)},
       {{"phq9", kNow - days(7) - hours(1)}, {"gad7", kNow - days(3)}},
       {{"phq9", kInterval, kNow + hours(23), false, 0},
        {"gad7", kBeforeSession, kNow + hours(24), false, 0}}},
      {"induction has no weekly questionnaire", induction, {}, {{"phq9", kNow - days(9)}}, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ScheduleInput in;
    in.sessions = c.sessions;
    in.phase = c.phase;
    in.last_completed = c.last;
    in.now = kNow;
    auto due = DueQuestionnaires(in, c.settings);
    ASSERT_EQ(due.size(), c.due.size());
    for (size_t i = 0; i < due.size(); ++i) {
      SCOPED_TRACE(i);
      EXPECT_EQ(due[i].instrument, c.due[i].instrument);
      EXPECT_EQ(due[i].reason, c.due[i].reason);
      EXPECT_EQ(FormatTimestamp(due[i].due_at), FormatTimestamp(c.due[i].due_at));
      EXPECT_EQ(due[i].overdue, c.due[i].overdue);
      EXPECT_EQ(due[i].reminder, c.due[i].reminder);
      EXPECT_LE(due[i].opens_at, due[i].due_at);
    }
  }
}

TEST(ScaleSchedule, OpensAtIsTheWindowStart) {
  ScheduleInput in;
  in.phase = CoursePhase::kInduction;
  in.sessions = {kNow + hours(10)};
  in.now = kNow;
  in.instruments = {"phq9"};
  ScheduleSettings s;
  s.before_session = hours(24);
  auto due = DueQuestionnaires(in, s);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].opens_at, kNow - hours(14));
  // A site with a 6 h window: not open yet.
  s.before_session = hours(6);
  EXPECT_TRUE(DueQuestionnaires(in, s).empty());
}

TEST(ScaleSchedule, SettingsFromSite) {
  ScheduleSettings d = ScheduleSettingsFrom(SiteSettings());
  EXPECT_EQ(d.before_session, hours(72));
  EXPECT_EQ(d.maintenance_interval, days(7));
  EXPECT_EQ(d.reminder_days, 3);
  ScheduleSettings s = ScheduleSettingsFrom(SiteSettings(
      5, {{std::string(kBeforeSessionHours), 48}, {std::string(kMaintenanceIntervalDays), 14}}));
  EXPECT_EQ(s.before_session, hours(48));
  EXPECT_EQ(s.maintenance_interval, days(14));
  EXPECT_EQ(DueReasonName(DueReason::kInterval), "interval");
  EXPECT_EQ(CoursePhaseName(CoursePhase::kMaintenance), "maintenance");
}

}  // namespace
}  // namespace kclinic::domain::scales

namespace kclinic::domain::scales {
namespace {

TEST(AdministeredAt, SelfReportedAnswersAreDatedNowStaffMayBackdateWithAReason) {
  const Timestamp now =
      Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2)) + std::chrono::hours(12);
  const SiteSettings site;
  const std::optional<std::string> none, why = "paper form from the waiting room";
  using std::chrono::days;
  using std::chrono::hours;
  using std::chrono::minutes;
  struct Case {
    bool self;
    std::optional<Timestamp> at;
    std::optional<std::string> reason;
    std::string field;  // empty: accepted
  };
  const Timestamp y1990 = Timestamp(std::chrono::sys_days(std::chrono::year(1990) / 1 / 1));
  const Case cases[] = {
      {true, std::nullopt, none, ""},
      {true, now - minutes(4), none, ""},  // a clock's skew
      {true, now - hours(2), why, "administered_at"},
      {true, y1990, none, "administered_at"},
      {true, now + hours(1), none, "administered_at"},
      {false, std::nullopt, none, ""},
      {false, now - minutes(50), none, ""},
      {false, now - hours(2), none, "backdate_reason"},
      {false, now - hours(2), std::string("  "), "backdate_reason"},
      {false, now - hours(2), why, ""},
      {false, now - days(14), why, ""},
      {false, now - days(15), why, "administered_at"},
      {false, y1990, why, "administered_at"},
      {false, now + minutes(10), why, "administered_at"},
      {false, now - hours(2), std::string(501, 'x'), "backdate_reason"},
  };
  for (const auto& c : cases) {
    Status s = CheckAdministeredAt(c.self, c.at, c.reason, now, site);
    EXPECT_EQ(s.ok() ? std::string() : s.field(), c.field)
        << (c.self ? "self " : "staff ") << (c.at ? FormatTimestamp(*c.at) : "now") << ": "
        << s.message();
  }
  // The limit is a site setting.
  const SiteSettings month(2, {{std::string(kBackdateMaxDays), 31}});
  EXPECT_TRUE(CheckAdministeredAt(false, now - days(30), why, now, month).ok());
}

}  // namespace
}  // namespace kclinic::domain::scales
