#include "kclinic/domain/schedule/review.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "kclinic/domain/schedule/course_settings.h"

namespace kclinic::domain::schedule {
namespace {

using std::chrono::days;
using std::chrono::hours;

const Timestamp kDay0 = std::chrono::sys_days(std::chrono::year(2026) / 11 / 2) + hours(9);

// Infusions on days 0, 2, 4, ... (n of them), and a PHQ-9 baseline of 20 the day before day 0.
std::vector<Timestamp> Given(int n) {
  std::vector<Timestamp> out;
  for (int i = n - 1; i >= 0; --i) out.push_back(kDay0 + days(2 * i));  // any order
  return out;
}
std::vector<scales::Assessment> Phq9(std::vector<std::pair<int, int>> day_total) {
  std::vector<scales::Assessment> out = {{"phq9", kDay0 - days(1), 20}};
  for (auto [day, total] : day_total) out.push_back({"phq9", kDay0 + days(day) + hours(3), total});
  return out;
}

std::vector<ReviewKind> Kinds(const std::vector<DueReview>& due) {
  std::vector<ReviewKind> out;
  for (const auto& d : due) out.push_back(d.kind);
  return out;
}

TEST(ReviewTest, EarlyNonResponseAndEndOfSeries) {
  using K = ReviewKind;
  struct Case {
    const char* name;
    int given;
    std::vector<std::pair<int, int>> phq9;  // (day, total) after the baseline of 20
    std::vector<K> want;
  };
  const std::vector<Case> cases = {
      {"three infusions: too early to judge", 3, {{4, 19}}, {}},
      {"four infusions, 5 % better: review", 4, {{6, 19}}, {K::kEarlyNonResponse}},
      {"four infusions, exactly 25 % better: no review", 4, {{6, 15}}, {}},
      {"four infusions, 50 % better", 4, {{6, 10}}, {}},
      {"judged on the latest score, not the best", 4, {{2, 10}, {6, 18}}, {K::kEarlyNonResponse}},
      {"four infusions, no PHQ-9 since: nothing to judge", 4, {}, {}},
      {"six infusions: end of series", 6, {{10, 8}}, {K::kEndOfSeries}},
      {"six infusions, still not better: both",
       6,
       {{10, 19}},
       {K::kEarlyNonResponse, K::kEndOfSeries}},
  };
  const SiteSettings defaults;
  for (const auto& c : cases) {
    EXPECT_EQ(Kinds(DueReviews(Given(c.given), Phq9(c.phq9), defaults)), c.want) << c.name;
  }
}

TEST(ReviewTest, NoBaselineNoEarlyReview) {
  const std::vector<scales::Assessment> after_only = {{"phq9", kDay0 + days(7), 19}};
  EXPECT_TRUE(DueReviews(Given(4), after_only, SiteSettings()).empty());
}

TEST(ReviewTest, TheReasonSaysTheFiguresAndTheSettingsMoveTheRule) {
  auto due = DueReviews(Given(4), Phq9({{6, 19}}), SiteSettings());
  ASSERT_EQ(due.size(), 1u);
  EXPECT_NE(due[0].reason.find("PHQ-9 is 19 against a baseline of 20"), std::string::npos)
      << due[0].reason;
  EXPECT_EQ(Code(due[0].kind), "early_non_response");
  const SiteSettings later(5, {{std::string(kCourseEarlyReviewAfterSession.key), 5},
                               {std::string(kCourseInductionSessions.key), 4}});
  EXPECT_EQ(Kinds(DueReviews(Given(4), Phq9({{6, 19}}), later)),
            std::vector<ReviewKind>{ReviewKind::kEndOfSeries});
  auto end = DueReviews(Given(6), Phq9({{10, 8}}), SiteSettings());
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0].reason,
            "The induction series is complete (6 infusions given); PHQ-9 8 from 20: decide on "
            "maintenance.");
}

}  // namespace
}  // namespace kclinic::domain::schedule
