#include "kclinic/domain/scales/outcomes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kclinic/domain/scales/scale_settings.h"

namespace kclinic::domain::scales {
namespace {

using std::chrono::days;
using std::chrono::hours;

// Day 0 of the synthetic course: the first infusion, Monday 2026-01-05 10:00 UTC.
Timestamp Day(int day, int hour = 10) {
  return Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 1 / 5)) + days(day) +
         hours(hour);
}

// Induction: six infusions in 12 days, then a booster on day 28.
std::vector<Timestamp> Sessions() {
  return {Day(7), Day(0), Day(2), Day(4), Day(9), Day(11), Day(28)};  // any order
}

// A hand-computed PHQ-9 course. Baseline 20 (day -1). Response = total <= 10 (50 %);
// remission = total <= 4.
std::vector<Assessment> Phq9Course() {
  return {
      {"phq9", Day(-7), 22},     // screening: pre-course, not the baseline
      {"phq9", Day(-1), 20},     // baseline: the last before the first session
      {"phq9", Day(2, 9), 14},   // -6, -30 %: no response
      {"phq9", Day(4, 9), 10},   // -10, -50 %: first response, 3 d 23 h after day 0
      {"phq9", Day(9, 9), 4},    // remission
      {"phq9", Day(16, 9), 12},  // -40 %: response lost (relapse onset)
      {"phq9", Day(18, 9), 13},  // 2 days later: too close to confirm
      {"phq9", Day(23, 9), 14},  // 7 days after onset: relapse confirmed
  };
}

TEST(ScaleOutcomes, HandComputedCourse) {
  auto sessions = Sessions();
  auto assessments = Phq9Course();
  assessments.push_back({"cssrs-screener", Day(-1), 0});  // not an outcome measure: ignored
  auto r = ComputeCourseOutcome(sessions, assessments, OutcomeSettings{});
  ASSERT_TRUE(r.ok()) << r.status().field() << ": " << r.status().message();
  EXPECT_EQ(r->first_session_at, Day(0));
  ASSERT_EQ(r->instruments.size(), 1u);
  const InstrumentOutcome* phq = r->Find("phq9");
  ASSERT_NE(phq, nullptr);
  EXPECT_EQ(r->Find("cssrs-screener"), nullptr);
  EXPECT_EQ(phq->baseline, 20);
  EXPECT_EQ(phq->baseline_at, Day(-1));

  struct Row {
    bool baseline, pre_course;
    std::optional<int> change;
    std::optional<double> percent;
    bool response, remission, onset, confirmed;
  };
  const Row expected[] = {
      {false, true, std::nullopt, std::nullopt, false, false, false, false},
      {true, true, std::nullopt, std::nullopt, false, false, false, false},
      {false, false, -6, -30.0, false, false, false, false},
      {false, false, -10, -50.0, true, false, false, false},
      {false, false, -16, -80.0, true, true, false, false},
      {false, false, -8, -40.0, false, false, true, false},
      {false, false, -7, -35.0, false, false, false, false},
      {false, false, -6, -30.0, false, false, false, true},
  };
  ASSERT_EQ(phq->assessments.size(), std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    SCOPED_TRACE(i);
    const auto& a = phq->assessments[i];
    const auto& e = expected[i];
    EXPECT_EQ(a.is_baseline, e.baseline);
    EXPECT_EQ(a.pre_course, e.pre_course);
    EXPECT_EQ(a.change_points, e.change);
    ASSERT_EQ(a.change_percent.has_value(), e.percent.has_value());
    if (e.percent) {
      EXPECT_NEAR(*a.change_percent, *e.percent, 1e-9);
    }
    EXPECT_EQ(a.response, e.response);
    EXPECT_EQ(a.remission, e.remission);
    EXPECT_EQ(a.relapse_onset, e.onset);
    EXPECT_EQ(a.relapse_confirmed, e.confirmed);
  }
  EXPECT_EQ(phq->first_response_at, Day(4, 9));
  ASSERT_TRUE(phq->days_to_first_response.has_value());
  EXPECT_NEAR(*phq->days_to_first_response, 3.0 + 23.0 / 24.0, 1e-9);
  EXPECT_EQ(phq->sessions_to_first_response, 2);  // days 0 and 2; day 4's is after 09:00
  EXPECT_EQ(phq->first_remission_at, Day(9, 9));
  ASSERT_EQ(phq->relapses.size(), 1u);
  EXPECT_EQ(phq->relapses[0].onset_at, Day(16, 9));
  EXPECT_EQ(phq->relapses[0].confirmed_at, Day(23, 9));
  EXPECT_EQ(phq->status, CourseStatus::kRelapse);
}

struct StatusCase {
  std::string name;
  std::vector<std::pair<int, int>> after;  // (day, total) appended to the course up to day 9
  CourseStatus status;
  size_t relapses;
};

// Status at the latest assessment, and the relapse window's edges (5..15 days).
TEST(ScaleOutcomes, StatusAndRelapseWindowEdges) {
  const StatusCase cases[] = {
      {"in remission", {}, CourseStatus::kRemission, 0},
      {"responder", {{12, 8}}, CourseStatus::kResponder, 0},
      {"one bad week is not a relapse", {{16, 12}}, CourseStatus::kNotResponding, 0},
      {"exactly 5 days apart", {{16, 12}, {21, 12}}, CourseStatus::kRelapse, 1},
      {"4 days apart", {{16, 12}, {20, 12}}, CourseStatus::kNotResponding, 0},
      {"exactly 15 days apart", {{16, 12}, {31, 12}}, CourseStatus::kRelapse, 1},
      {"16 days apart", {{16, 12}, {32, 12}}, CourseStatus::kNotResponding, 0},
      {"a well week in between resets",
       {{16, 12}, {19, 9}, {22, 12}},
       CourseStatus::kNotResponding,
       0},
      {"regained after relapse", {{16, 12}, {23, 12}, {30, 9}}, CourseStatus::kResponder, 1},
      {"remission after relapse", {{16, 12}, {23, 12}, {30, 3}}, CourseStatus::kRemission, 1},
      {"a second relapse",
       {{16, 12}, {23, 12}, {30, 9}, {37, 15}, {44, 15}},
       CourseStatus::kRelapse,
       2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<Assessment> a = {
        {"phq9", Day(-1), 20}, {"phq9", Day(4, 9), 10}, {"phq9", Day(9, 9), 4}};
    for (auto [day, total] : c.after) a.push_back({"phq9", Day(day, 9), total});
    auto sessions = Sessions();
    auto r = ComputeCourseOutcome(sessions, a, OutcomeSettings{});
    ASSERT_TRUE(r.ok());
    const auto* phq = r->Find("phq9");
    ASSERT_NE(phq, nullptr);
    EXPECT_EQ(phq->status, c.status);
    EXPECT_EQ(phq->relapses.size(), c.relapses);
  }
}

TEST(ScaleOutcomes, NoRelapseWithoutAnEarlierResponse) {
  std::vector<Assessment> a = {{"phq9", Day(-1), 20}, {"phq9", Day(4), 16}, {"phq9", Day(11), 17}};
  auto sessions = Sessions();
  auto r = ComputeCourseOutcome(sessions, a, OutcomeSettings{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->Find("phq9")->relapses.empty());
  EXPECT_EQ(r->Find("phq9")->status, CourseStatus::kNotResponding);
  EXPECT_FALSE(r->Find("phq9")->first_response_at.has_value());
}

TEST(ScaleOutcomes, NoBaselineAndBaselineEdges) {
  auto sessions = Sessions();
  // Only assessments after the first session: no baseline, no change.
  std::vector<Assessment> late = {{"phq9", Day(1), 12}, {"phq9", Day(5), 3}};
  auto r = ComputeCourseOutcome(sessions, late, OutcomeSettings{});
  ASSERT_TRUE(r.ok());
  const auto* phq = r->Find("phq9");
  EXPECT_EQ(phq->status, CourseStatus::kNoBaseline);
  EXPECT_FALSE(phq->baseline.has_value());
  EXPECT_FALSE(phq->assessments[1].change_points.has_value());
  EXPECT_FALSE(phq->assessments[1].remission);

  // No sessions yet: nothing is a baseline.
  std::vector<Timestamp> none;
  auto unscheduled = ComputeCourseOutcome(none, late, OutcomeSettings{});
  ASSERT_TRUE(unscheduled.ok());
  EXPECT_EQ(unscheduled->Find("phq9")->status, CourseStatus::kNoBaseline);
  EXPECT_FALSE(unscheduled->first_session_at.has_value());

  // Taken at the very start time: still the baseline. Baseline only: not responding yet.
  std::vector<Assessment> at_start = {{"phq9", Day(0), 18}};
  auto only = ComputeCourseOutcome(sessions, at_start, OutcomeSettings{});
  EXPECT_EQ(only->Find("phq9")->baseline, 18);
  EXPECT_EQ(only->Find("phq9")->status, CourseStatus::kNotResponding);

  // Baseline 0: no percentage and no response, but remission still applies.
  std::vector<Assessment> zero = {{"phq9", Day(-1), 0}, {"phq9", Day(3), 2}};
  auto z = ComputeCourseOutcome(sessions, zero, OutcomeSettings{});
  const auto& point = z->Find("phq9")->assessments[1];
  EXPECT_EQ(point.change_points, 2);
  EXPECT_FALSE(point.change_percent.has_value());
  EXPECT_FALSE(point.response);
  EXPECT_TRUE(point.remission);
  EXPECT_EQ(z->Find("phq9")->status, CourseStatus::kRemission);
}

TEST(ScaleOutcomes, PerInstrumentThresholdsAndSettings) {
  auto sessions = Sessions();
  std::vector<Assessment> a = {
      {"gad7", Day(-1), 16},      {"gad7", Day(5), 8},    // -50 %: response; GAD-7 has no remission
      {"madrs", Day(-1), 30},     {"madrs", Day(5), 10},  // remission <= 10
      {"qids-sr16", Day(-1), 16}, {"qids-sr16", Day(5), 6},  // -62.5 %, remission needs <= 5
      {"hamd17", Day(-1), 20},    {"hamd17", Day(5), 7},     // remission <= 7
      {"cadss", Day(1), 30},      {"bprs", Day(1), 20},      // ignored
  };
  auto r = ComputeCourseOutcome(sessions, a, OutcomeSettings{});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->instruments.size(), 4u);
  EXPECT_EQ(r->instruments[0].instrument, "gad7");  // Instruments() order
  EXPECT_EQ(r->Find("gad7")->status, CourseStatus::kResponder);
  EXPECT_EQ(r->Find("madrs")->status, CourseStatus::kRemission);
  EXPECT_EQ(r->Find("qids-sr16")->status, CourseStatus::kResponder);
  EXPECT_EQ(r->Find("hamd17")->status, CourseStatus::kRemission);
  EXPECT_EQ(r->Find("cadss"), nullptr);

  // A site that calls 30 % a response (outcomes.response_reduction_percent).
  OutcomeSettings lenient;
  lenient.response_reduction_percent = 30;
  auto course = Phq9Course();
  auto l = ComputeCourseOutcome(sessions, course, lenient);
  EXPECT_EQ(l->Find("phq9")->first_response_at, Day(2, 9));
  EXPECT_EQ(l->Find("phq9")->sessions_to_first_response, 1);
  // Day 16 (-40 %) and day 23 (-30 %) are responses at 30 %: no relapse.
  EXPECT_TRUE(l->Find("phq9")->relapses.empty());

  // A wider minimum gap (outcomes.relapse_min_days = 8) cannot confirm day 16 -> 23.
  OutcomeSettings wider;
  wider.relapse_min_days = 8;
  auto w = ComputeCourseOutcome(sessions, course, wider);
  EXPECT_TRUE(w->Find("phq9")->relapses.empty());
  EXPECT_EQ(w->Find("phq9")->status, CourseStatus::kNotResponding);
}

TEST(ScaleOutcomes, ErrorsNameTheField) {
  auto sessions = Sessions();
  struct Case {
    std::vector<Assessment> assessments;
    OutcomeSettings settings;
    std::string field;
  };
  OutcomeSettings inverted;
  inverted.relapse_min_days = 16;
  const Case cases[] = {
      {{{"phq9", Day(-1), 20}, {"bdi2", Day(1), 10}}, {}, "assessments[1].instrument"},
      {{{"phq9", Day(-1), 28}}, {}, "assessments[0].total"},
      {{{"phq9", Day(-1), -1}}, {}, "assessments[0].total"},
      {{{"bprs", Day(-1), 17}}, {}, "assessments[0].total"},
      {{}, inverted, "settings.relapse_min_days"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field);
    auto r = ComputeCourseOutcome(sessions, c.assessments, c.settings);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), c.field);
  }
}

TEST(ScaleOutcomes, SettingsFromSite) {
  OutcomeSettings d = OutcomeSettingsFrom(SiteSettings());
  EXPECT_EQ(d.response_reduction_percent, 50);
  EXPECT_EQ(d.relapse_min_days, 5);
  EXPECT_EQ(d.relapse_max_days, 15);
  OutcomeSettings s = OutcomeSettingsFrom(SiteSettings(4, {{std::string(kRelapseMaxDays), 21}}));
  EXPECT_EQ(s.relapse_max_days, 21);
  EXPECT_EQ(CourseStatusName(CourseStatus::kNoBaseline), "no_baseline");
  EXPECT_EQ(CourseStatusName(CourseStatus::kNotResponding), "not_responding");
}

}  // namespace
}  // namespace kclinic::domain::scales
