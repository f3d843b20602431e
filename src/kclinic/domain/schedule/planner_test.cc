#include "kclinic/domain/schedule/planner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/domain/schedule/protocol.h"

namespace kclinic::domain::schedule {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

LocalDate D(const char* s) { return *ParseDate(s); }
Timestamp T(const char* s) { return *ParseTimestamp(s); }
LocalMinutes Hm(int h, int m = 0) { return LocalMinutes(h * 60 + m); }

const Protocol& Iv() { return *FindBuiltinProtocol("iv-standard"); }

std::vector<std::string> Dates(const SeriesPlan& plan) {
  std::vector<std::string> out;
  for (const auto& s : plan.sessions) out.push_back(FormatDate(s.date));
  return out;
}

// One chair, one IV nurse, Mon-Fri 08:00-18:00 from 2026-11-23 for 6 weeks.
Clinic Small() { return DefaultClinic("America/New_York", D("2026-11-23"), 42, 1, 1); }

// Busy the chair over local [from, to) on `date`.
void Block(Clinic& c, const char* date, LocalMinutes from, LocalMinutes to,
           std::string chair = "chair-1") {
  c.busy.push_back({chair, "", *LocalToUtc(c.time_zone, {D(date), from}),
                    *LocalToUtc(c.time_zone, {D(date), to})});
}

TEST(ProtocolTest, BuiltinsAreValidAndCited) {
  ASSERT_EQ(BuiltinProtocols().size(), 5u);
  for (const auto& p : BuiltinProtocols()) {
    EXPECT_TRUE(ValidateProtocol(p).ok()) << p.id << ": " << ValidateProtocol(p).message();
    EXPECT_FALSE(p.citation.empty()) << p.id;
  }
  EXPECT_EQ(Iv().sessions, 6);
  EXPECT_EQ(Iv().appointment_minutes.value(), 120);
  EXPECT_EQ(FindBuiltinProtocol("esketamine-induction")->appointment_minutes.value(), 150);
  EXPECT_EQ(PlannedSessionCount(*FindBuiltinProtocol("iv-maintenance-taper")), 4 + 2 + 2);
  EXPECT_EQ(FindBuiltinProtocol("nope"), nullptr);
}

TEST(ProtocolTest, ErrorsNameTheField) {
  struct Case {
    void (*change)(Protocol&);
    const char* field;
  };
  const Case cases[] = {
      {[](Protocol& p) { p.id = "Bad Id"; }, "id"},
      {[](Protocol& p) { p.name = ""; }, "name"},
      {[](Protocol& p) { p.per_week_min = 4; }, "per_week_min"},
      {[](Protocol& p) { p.per_week_max = 0; }, "per_week_max"},
      {[](Protocol& p) { p.sessions = 0; }, "sessions"},
      {[](Protocol& p) { p.window_days = 10; }, "window_days"},  // 6 at 3/week need 12 days
      {[](Protocol& p) { p.appointment_minutes = Minutes(5); }, "appointment_minutes"},
      {[](Protocol& p) { p.required_qualification = ""; }, "required_qualification"},
      {[](Protocol& p) {
         p.stages = {{0, 7}, {4, 14}};
       },
       "stages[0].weeks"},
      {[](Protocol& p) {
         p.stages = {{4, 1}};
       },
       "stages[0].interval_days"},
  };
  for (const auto& c : cases) {
    Protocol p = Iv();
    c.change(p);
    const Status s = ValidateProtocol(p);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(s.field(), c.field);
  }
  Protocol tight = Iv();
  tight.window_days = 12;  // days 0,2,4,7,9,11 just fit
  EXPECT_TRUE(ValidateProtocol(tight).ok());
}

TEST(ClinicTest, NextOpeningSkipsClosedDaysHolidaysAndClosedHours) {
  Clinic c = DefaultClinic("America/New_York", D("2026-12-21"), 1);  // Mon-Fri 08:00-18:00
  c.holidays = {D("2026-12-25")};
  struct Case {
    const char* now;  // UTC; New York is UTC-5 in December
    bool open_now;
    const char* date;
  };
  const Case cases[] = {
      {"2026-12-21T15:00:00.000000Z", true, "2026-12-21"},   // Mon 10:00
      {"2026-12-21T12:00:00.000000Z", false, "2026-12-21"},  // Mon 07:00: opens at 08:00
      {"2026-12-21T23:30:00.000000Z", false, "2026-12-22"},  // Mon 18:30: Tuesday
      {"2026-12-24T23:30:00.000000Z", false, "2026-12-28"},  // Thu evening; Christmas, weekend
      {"2026-12-26T15:00:00.000000Z", false, "2026-12-28"},  // Saturday
  };
  for (const auto& k : cases) {
    auto o = NextOpening(c, T(k.now));
    ASSERT_TRUE(o.has_value()) << k.now;
    EXPECT_EQ(o->open_now, k.open_now) << k.now;
    EXPECT_EQ(o->date, D(k.date)) << k.now;
    EXPECT_EQ(o->open, Hm(8)) << k.now;
  }
  EXPECT_EQ(ZoneAbbreviation("America/New_York", T("2026-12-21T15:00:00.000000Z")), "EST");
  EXPECT_EQ(ZoneAbbreviation("America/New_York", T("2026-07-01T15:00:00.000000Z")), "EDT");
  EXPECT_EQ(ZoneAbbreviation("Mars/Olympus", T("2026-07-01T15:00:00.000000Z")), "");
  Clinic never;
  never.time_zone = "America/New_York";
  EXPECT_FALSE(NextOpening(never, T("2026-12-21T15:00:00.000000Z")).has_value());
}

TEST(ClinicTest, TimeZoneConversionsAcrossDst) {
  const char* ny = "America/New_York";
  EXPECT_EQ(*LocalToUtc(ny, {D("2026-03-07"), Hm(9)}), T("2026-03-07T14:00:00.000000Z"));
  EXPECT_EQ(*LocalToUtc(ny, {D("2026-03-09"), Hm(9)}), T("2026-03-09T13:00:00.000000Z"));
  // 02:30 does not exist on 2026-03-08 in New York.
  EXPECT_EQ(LocalToUtc(ny, {D("2026-03-08"), Hm(2, 30)}).status().code(),
            StatusCode::kFailedPrecondition);
  // 01:30 happens twice on 2026-11-01: the earlier (EDT) instant.
  EXPECT_EQ(*LocalToUtc(ny, {D("2026-11-01"), Hm(1, 30)}), T("2026-11-01T05:30:00.000000Z"));
  EXPECT_EQ(*LocalToUtc(ny, {D("2026-11-02"), Hm(9)}), T("2026-11-02T14:00:00.000000Z"));
  const auto back = *UtcToLocal(ny, T("2026-11-02T14:00:00.000000Z"));
  EXPECT_EQ(back.date, D("2026-11-02"));
  EXPECT_EQ(back.time, Hm(9));
  EXPECT_EQ(LocalToUtc("Mars/Olympus", {D("2026-03-07"), Hm(9)}).status().field(), "time_zone");
  EXPECT_TRUE(IsKnownTimeZone("Europe/Zurich"));
  EXPECT_FALSE(IsKnownTimeZone("Mars/Olympus"));
  EXPECT_EQ(FormatLocalTime(Hm(9, 5)), "09:05");
  EXPECT_EQ(ParseLocalTime("24:00"), Hm(24));
  EXPECT_FALSE(ParseLocalTime("24:01"));
  EXPECT_FALSE(ParseLocalTime("9:00"));
}

TEST(ClinicTest, ValidationNamesTheField) {
  Clinic c = Small();
  c.time_zone = "Nowhere/Else";
  EXPECT_EQ(ValidateClinic(c).field(), "time_zone");
  c = Small();
  c.hours[1] = OpeningHours{Hm(18), Hm(8)};
  EXPECT_EQ(ValidateClinic(c).field(), "hours[1].close");
  c = Small();
  c.chairs.push_back(c.chairs[0]);
  EXPECT_EQ(ValidateClinic(c).field(), "chairs[1].id");
  c = Small();
  c.slot_minutes = 7;
  EXPECT_EQ(ValidateClinic(c).field(), "slot_minutes");
  c = Small();
  c.shifts[0].end = c.shifts[0].start;
  EXPECT_EQ(ValidateClinic(c).field(), "shifts[0].end");
  c = Small();
  Block(c, "2026-11-23", Hm(10), Hm(9));
  EXPECT_EQ(ValidateClinic(c).field(), "busy[0].end");
  EXPECT_EQ(PlanSeries(Iv(), c, D("2026-11-23")).status().field(), "busy[0].end");
}

TEST(PlannerTest, EarliestStandardSeriesNeverOnConsecutiveDays) {
  auto plan =
      PlanSeries(Iv(), DefaultClinic("America/New_York", D("2026-11-23"), 42), D("2026-11-23"));
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(Dates(*plan), (std::vector<std::string>{"2026-11-23", "2026-11-25", "2026-11-27",
                                                    "2026-11-30", "2026-12-02", "2026-12-04"}));
  for (const auto& s : plan->sessions) {
    EXPECT_EQ(s.time, Hm(8));
    EXPECT_EQ(s.end - s.start, std::chrono::minutes(120));
    EXPECT_EQ(s.chair_id, "chair-1");
    EXPECT_EQ(s.nurse, "nurse-1");
  }
  EXPECT_EQ(plan->sessions[0].start, T("2026-11-23T13:00:00.000000Z"));  // 08:00 EST
  EXPECT_TRUE(plan->bent.empty());
}

TEST(PlannerTest, TwiceWeeklyKeepsTheWeeklyMaximum) {
  auto plan = PlanSeries(*FindBuiltinProtocol("iv-twice-weekly"), Small(), D("2026-11-23"));
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(Dates(*plan), (std::vector<std::string>{"2026-11-23", "2026-11-25", "2026-11-30",
                                                    "2026-12-02", "2026-12-07", "2026-12-09"}));
}

TEST(PlannerTest, ClosedDaysAndHolidaysAreSkipped) {
  Clinic c = Small();
  c.holidays = {D("2026-11-25"), D("2026-11-26")};
  // A Saturday start books Monday first.
  auto plan = PlanSeries(Iv(), c, D("2026-11-21"));
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(Dates(*plan), (std::vector<std::string>{"2026-11-23", "2026-11-27", "2026-11-30",
                                                    "2026-12-02", "2026-12-04", "2026-12-07"}));
  // Week 1 (from the first session) had only two days left: the soft minimum holds (2).
  EXPECT_TRUE(plan->bent.empty());
}

TEST(PlannerTest, AppointmentEndsInsideOpeningHours) {
  Clinic c = Small();
  // Only 16:00-18:00 free on Monday: a 120-minute appointment fits exactly at 16:00.
  Block(c, "2026-11-23", Hm(8), Hm(16));
  auto plan = PlanSeries(Iv(), c, D("2026-11-23"));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->sessions[0].date, D("2026-11-23"));
  EXPECT_EQ(plan->sessions[0].time, Hm(16));
  // Free only from 16:15: it would end at 18:15, after closing, so Monday is not bookable.
  c = Small();
  Block(c, "2026-11-23", Hm(8), Hm(16, 15));
  plan = PlanSeries(Iv(), c, D("2026-11-23"));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->sessions[0].date, D("2026-11-24"));
  EXPECT_EQ(plan->sessions[0].time, Hm(8));
}

TEST(PlannerTest, SlotsStartOnTheGridInsideOpeningHours) {
  Clinic c = Small();
  c.hours[1] = OpeningHours{Hm(8, 10), Hm(18)};  // Mondays open at 08:10
  auto index = CapacityIndex::Build(c);
  ASSERT_TRUE(index.ok());
  const auto slots = index->FreeSlotsOn(D("2026-11-23"), Minutes(120), "iv");
  ASSERT_FALSE(slots.empty());
  EXPECT_EQ(slots.front().time, Hm(8, 15));
  EXPECT_EQ(slots.back().time, Hm(16));
}

TEST(PlannerTest, NeedsAFreeQualifiedNurseOnShiftForTheWholeAppointment) {
  Clinic c = Small();
  for (auto& s : c.shifts) s.qualifications = {"esketamine"};
  auto plan = PlanSeries(Iv(), c, D("2026-11-23"));
  EXPECT_EQ(plan.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(plan.status().message().find("iv-qualified nurse"), std::string::npos)
      << plan.status().message();

  c = Small();
  for (auto& s : c.shifts) {
    if (s.date == D("2026-11-23")) s.end = Hm(9, 30);  // too short for 120 minutes
  }
  plan = PlanSeries(Iv(), c, D("2026-11-23"));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->sessions[0].date, D("2026-11-24"));

  c = Small();
  // The nurse is busy 09:00-10:00 on Monday: 08:00 would overlap, so 10:00 is the first start.
  c.busy.push_back({"", "nurse-1", *LocalToUtc(c.time_zone, {D("2026-11-23"), Hm(9)}),
                    *LocalToUtc(c.time_zone, {D("2026-11-23"), Hm(10)})});
  plan = PlanSeries(Iv(), c, D("2026-11-23"));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->sessions[0].date, D("2026-11-23"));
  EXPECT_EQ(plan->sessions[0].time, Hm(10));
}

TEST(PlannerTest, NoSeriesInsideTheWindowIsAClearErrorNotABentRule) {
  Clinic c = Small();
  // Only Mondays are free for 4 weeks: at most one session a week, 3 in 21 days.
  for (int d = 0; d < 35; ++d) {
    const LocalDate day = LocalDate(sys_days(D("2026-11-23")) + days(d));
    if (std::chrono::weekday(sys_days(day)) != std::chrono::Monday) {
      c.busy.push_back({"chair-1", "", *LocalToUtc(c.time_zone, {day, Hm(0)}),
                        *LocalToUtc(c.time_zone, {day, Hm(23, 59)})});
    }
  }
  PlanOptions o;
  o.search_days = 7;
  auto plan = PlanSeries(Iv(), c, D("2026-11-23"), o);
  ASSERT_EQ(plan.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(plan.status().message().find("at best 3 of 6"), std::string::npos)
      << plan.status().message();
  EXPECT_NE(plan.status().message().find("no rule was bent"), std::string::npos);
}

TEST(PlannerTest, WeeklyMinimumIsSoftAndSaid) {
  Clinic c = Small();
  // Week 1 only Monday is free; later weeks are open.
  for (const char* d : {"2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"}) {
    Block(c, d, Hm(0), Hm(23, 59));
  }
  auto plan = PlanSeries(Iv(), c, D("2026-11-23"));
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(Dates(*plan), (std::vector<std::string>{"2026-11-23", "2026-11-30", "2026-12-02",
                                                    "2026-12-04", "2026-12-07", "2026-12-09"}));
  ASSERT_EQ(plan->bent.size(), 1u);
  EXPECT_NE(plan->bent[0].find("Week 1 of the series has 1 session, fewer than the protocol's 2"),
            std::string::npos)
      << plan->bent[0];
}

TEST(PlannerTest, ContinuityAndPreferredTimeAreSoftAndSaid) {
  Clinic c = DefaultClinic("America/New_York", D("2026-11-23"), 42, 2, 1);
  Block(c, "2026-11-25", Hm(0), Hm(23, 59), "chair-1");
  PlanOptions o;
  o.preferred_time = Hm(9);
  // The nurse is busy 09:00-10:00 on Friday: the closest start to 09:00 is 10:00... or 07:00?
  // No: opening is 08:00, and 08:00 overlaps, so 10:00 (60 min off) it is.
  c.busy.push_back({"", "nurse-1", *LocalToUtc(c.time_zone, {D("2026-11-27"), Hm(9)}),
                    *LocalToUtc(c.time_zone, {D("2026-11-27"), Hm(10)})});
  auto plan = PlanSeries(Iv(), c, D("2026-11-23"), o);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->sessions[0].time, Hm(9));
  EXPECT_EQ(plan->sessions[1].chair_id, "chair-2");
  EXPECT_EQ(plan->sessions[2].time, Hm(10));
  EXPECT_EQ(plan->sessions[3].chair_id, "chair-1");
  ASSERT_EQ(plan->bent.size(), 2u);
  EXPECT_EQ(plan->bent[0],
            "Session 2 on 2026-11-25 is in chair-2, not chair-1: chair-1 was booked at that "
            "time.");
  EXPECT_EQ(plan->bent[1],
            "Session 3 on 2026-11-27 is at 10:00, not the preferred 09:00: no chair and "
            "qualified nurse were free then.");
}

TEST(PlannerTest, NotBeforeSkipsThePast) {
  PlanOptions o;
  o.not_before = *LocalToUtc("America/New_York", {D("2026-11-23"), Hm(12)});
  auto plan = PlanSeries(Iv(), Small(), D("2026-11-23"), o);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->sessions[0].date, D("2026-11-23"));
  EXPECT_EQ(plan->sessions[0].time, Hm(12));
}

TEST(PlannerTest, NineOClockStaysNineOClockAcrossDstChanges) {
  PlanOptions o;
  o.preferred_time = Hm(9);
  for (const char* start : {"2026-03-02", "2026-10-26"}) {
    auto plan = PlanSeries(Iv(), DefaultClinic("America/New_York", D(start), 42), D(start), o);
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    for (const auto& s : plan->sessions) {
      EXPECT_EQ(s.time, Hm(9)) << FormatDate(s.date);
      const auto local = *UtcToLocal("America/New_York", s.start);
      EXPECT_EQ(local.time, Hm(9)) << FormatDate(s.date);
      EXPECT_EQ(local.date, s.date);
    }
    EXPECT_TRUE(plan->bent.empty());
  }
  auto spring =
      PlanSeries(Iv(), DefaultClinic("America/New_York", D("2026-03-02"), 42), D("2026-03-02"), o);
  EXPECT_EQ(spring->sessions[2].start, T("2026-03-06T14:00:00.000000Z"));  // EST
  EXPECT_EQ(spring->sessions[3].start, T("2026-03-09T13:00:00.000000Z"));  // EDT
  auto autumn =
      PlanSeries(Iv(), DefaultClinic("America/New_York", D("2026-10-26"), 42), D("2026-10-26"), o);
  EXPECT_EQ(autumn->sessions[2].start, T("2026-10-30T13:00:00.000000Z"));  // EDT
  EXPECT_EQ(autumn->sessions[3].start, T("2026-11-02T14:00:00.000000Z"));  // EST
}

TEST(PlannerTest, NoAppointmentInTheSkippedHourAndNoDoubleRepeatedHour) {
  // A night clinic open 00:00-06:00 on the two change Sundays, 30-minute slots, 60 minutes.
  Clinic c;
  c.time_zone = "America/New_York";
  c.hours[0] = OpeningHours{Hm(0), Hm(6)};
  c.slot_minutes = 30;
  c.chairs = {{"chair-1", "Chair 1"}};
  for (const char* d : {"2026-03-08", "2026-11-01"}) {
    c.shifts.push_back({"nurse-1", {"iv"}, D(d), Hm(0), Hm(6)});
  }
  auto index = CapacityIndex::Build(c);
  ASSERT_TRUE(index.ok());
  const auto spring = index->FreeSlotsOn(D("2026-03-08"), Minutes(60), "iv");
  ASSERT_FALSE(spring.empty());
  for (const auto& s : spring) {
    EXPECT_FALSE(s.time >= Hm(2) && s.time < Hm(3)) << FormatLocalTime(s.time);
    EXPECT_EQ(UtcToLocal(c.time_zone, s.start)->time, s.time);
    EXPECT_EQ(s.end - s.start, std::chrono::minutes(60));  // an hour of real time
  }
  // 01:30 EST + 60 min ends 03:30 EDT; 05:00 + 60 ends at closing 06:00.
  EXPECT_EQ(spring.back().time, Hm(5));
  const auto autumn = index->FreeSlotsOn(D("2026-11-01"), Minutes(60), "iv");
  for (size_t i = 1; i < autumn.size(); ++i) EXPECT_LT(autumn[i - 1].start, autumn[i].start);
  // The appointment may not run past 06:00 EST even though 6 h of wall clock hold 7 h of time.
  EXPECT_EQ(autumn.back().time, Hm(5));
  // A planned 60-minute series never starts in the skipped hour.
  Protocol p = Iv();
  p.id = "night";
  p.appointment_minutes = Minutes(60);
  p.sessions = 1;
  PlanOptions o;
  o.preferred_time = Hm(2, 30);
  auto plan = PlanSeries(p, *index, D("2026-03-08"), o);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_TRUE(plan->sessions[0].time == Hm(2) || plan->sessions[0].time == Hm(3))
      << FormatLocalTime(plan->sessions[0].time);
  EXPECT_NE(plan->sessions[0].time, Hm(2));
  EXPECT_EQ(plan->bent.size(), 1u);
}

TEST(PlannerTest, StagedTaperSpacing) {
  const Protocol& taper = *FindBuiltinProtocol("iv-maintenance-taper");
  auto plan = PlanSeries(taper, DefaultClinic("America/New_York", D("2026-11-23"), 120, 1, 1),
                         D("2026-11-23"));
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->sessions.size(), 8u);
  std::vector<int> gaps;
  for (size_t i = 1; i < plan->sessions.size(); ++i) {
    gaps.push_back(static_cast<int>(
        (sys_days(plan->sessions[i].date) - sys_days(plan->sessions[i - 1].date)).count()));
  }
  // Weekly for 4 sessions, every 2 weeks for 2, monthly after: every due date is a Monday.
  EXPECT_EQ(gaps, (std::vector<int>{7, 7, 7, 7, 14, 14, 28}));
  // A holiday on a due date moves that session one day later and says so.
  Clinic c = DefaultClinic("America/New_York", D("2026-11-23"), 120, 1, 1);
  c.holidays = {D("2026-12-07")};
  plan = PlanSeries(taper, c, D("2026-11-23"));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->sessions[2].date, D("2026-12-08"));
  ASSERT_EQ(plan->bent.size(), 1u);
  EXPECT_NE(plan->bent[0].find("1 day after it is due (2026-12-07)"), std::string::npos);
}

TEST(PlannerTest, IndexedAndLinearScanAgreeAndAddBooksTheSeries) {
  Clinic c = DefaultClinic("America/New_York", D("2026-11-23"), 35, 3, 2);
  auto fast = CapacityIndex::Build(c, Lookup::kIndexed);
  auto slow = CapacityIndex::Build(c, Lookup::kLinearScan);
  ASSERT_TRUE(fast.ok() && slow.ok());
  for (int i = 0; i < 40; ++i) {
    auto a = PlanSeries(Iv(), *fast, D("2026-11-23"));
    auto b = PlanSeries(Iv(), *slow, D("2026-11-23"));
    ASSERT_EQ(a.ok(), b.ok()) << i;
    if (!a.ok()) break;
    ASSERT_EQ(a->sessions.size(), b->sessions.size());
    for (size_t k = 0; k < a->sessions.size(); ++k) {
      EXPECT_EQ(a->sessions[k].start, b->sessions[k].start);
      EXPECT_EQ(a->sessions[k].chair_id, b->sessions[k].chair_id);
      EXPECT_EQ(a->sessions[k].nurse, b->sessions[k].nurse);
      // Each session breaks no hard rule before it is booked.
      EXPECT_TRUE(fast->CheckAppointment(a->sessions[k].start, Minutes(120),
                                         a->sessions[k].chair_id, a->sessions[k].nurse, "iv")
                      .ok());
    }
    fast->Add(*a);
    slow->Add(*b);
    // Once booked, the same appointment clashes, naming the resource.
    const Status again = fast->CheckAppointment(
        a->sessions[0].start, Minutes(120), a->sessions[0].chair_id, a->sessions[0].nurse, "iv");
    EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(again.field(), "chair_id");
  }
}

TEST(PlannerTest, CheckAppointmentNamesTheClash) {
  Clinic c = Small();
  c.holidays = {D("2026-11-26")};
  Block(c, "2026-11-23", Hm(9), Hm(11));
  auto index = CapacityIndex::Build(c);
  ASSERT_TRUE(index.ok());
  auto at = [&](const char* d, LocalMinutes m) { return *LocalToUtc(c.time_zone, {D(d), m}); };
  EXPECT_TRUE(
      index->CheckAppointment(at("2026-11-24", Hm(8)), Minutes(120), "chair-1", "nurse-1", "iv")
          .ok());
  const Status holiday =
      index->CheckAppointment(at("2026-11-26", Hm(9)), Minutes(120), "chair-1", "nurse-1", "iv");
  EXPECT_EQ(holiday.message(), "2026-11-26 is a holiday");
  EXPECT_EQ(holiday.field(), "start");
  EXPECT_EQ(
      index->CheckAppointment(at("2026-11-28", Hm(9)), Minutes(120), "chair-1", "nurse-1", "iv")
          .message(),
      "the clinic is closed on 2026-11-28");
  EXPECT_EQ(
      index->CheckAppointment(at("2026-11-24", Hm(17)), Minutes(120), "chair-1", "nurse-1", "iv")
          .message(),
      "outside opening hours 08:00-18:00 on 2026-11-24");
  EXPECT_EQ(
      index->CheckAppointment(at("2026-11-23", Hm(10)), Minutes(120), "chair-1", "nurse-1", "iv")
          .message(),
      "chair chair-1 is booked 09:00-11:00 on 2026-11-23");
  EXPECT_EQ(index
                ->CheckAppointment(at("2026-11-24", Hm(8)), Minutes(120), "chair-1", "nurse-1",
                                   "esketamine-x")
                .field(),
            "nurse");
  EXPECT_EQ(
      index->CheckAppointment(at("2026-11-24", Hm(8)), Minutes(120), "chair-9", "nurse-1", "iv")
          .field(),
      "chair_id");
}

TEST(PlannerTest, NextFreeSlotsOffersTheNextOnes) {
  Clinic c = Small();
  Block(c, "2026-11-23", Hm(8), Hm(17));
  auto slots =
      NextFreeSlots(c, *LocalToUtc(c.time_zone, {D("2026-11-23"), Hm(8)}), Minutes(120), "iv", 3);
  ASSERT_TRUE(slots.ok());
  ASSERT_EQ(slots->size(), 3u);
  // Monday is full until 17:00 (a 120-minute slot no longer fits); Tuesday from 08:00.
  EXPECT_EQ((*slots)[0].date, D("2026-11-24"));
  EXPECT_EQ((*slots)[0].time, Hm(8));
  EXPECT_EQ((*slots)[1].time, Hm(8, 15));
  EXPECT_EQ(
      NextFreeSlots(c, T("2026-11-23T13:00:00.000000Z"), Minutes(120), "iv", 0).status().field(),
      "n");
}

TEST(PlannerTest, CheckSeriesDatesOfAnAdjustedSeries) {
  auto dates = [](std::initializer_list<const char*> l) {
    std::vector<LocalDate> v;
    for (auto s : l) v.push_back(D(s));
    return v;
  };
  EXPECT_TRUE(CheckSeriesDates(Iv(), dates({"2026-11-23", "2026-11-25", "2026-11-27", "2026-11-30",
                                            "2026-12-02", "2026-12-04"}))
                  .ok());
  Status s = CheckSeriesDates(Iv(), dates({"2026-11-23", "2026-11-24", "2026-11-27", "2026-11-30",
                                           "2026-12-02", "2026-12-04"}));
  EXPECT_EQ(s.field(), "sessions[1].date");
  s = CheckSeriesDates(Iv(), dates({"2026-11-23", "2026-11-25", "2026-11-27", "2026-11-29",
                                    "2026-12-02", "2026-12-04"}));
  EXPECT_EQ(s.field(), "sessions[3].date");  // a 4th session in week 1
  s = CheckSeriesDates(Iv(), dates({"2026-11-23", "2026-11-25", "2026-11-27", "2026-11-30",
                                    "2026-12-02", "2026-12-14"}));
  EXPECT_EQ(s.field(), "sessions[5].date");  // outside the 21-day window
  EXPECT_EQ(CheckSeriesDates(Iv(), dates({"2026-11-23"})).field(), "sessions");
}

}  // namespace
}  // namespace kclinic::domain::schedule
