#include "kclinic/domain/schedule/booster.h"

#include <gtest/gtest.h>

namespace kclinic::domain::schedule {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// Day n of a made-up course; day 0 = Monday 2026-01-05.
LocalDate Day(int n) { return LocalDate(sys_days(*ParseDate("2026-01-05")) + days(n)); }

BoosterHistory History(std::vector<int> boosters, std::vector<std::pair<int, int>> phq) {
  BoosterHistory h;
  for (int d : {0, 2, 4, 7, 9, 11}) h.infusions.push_back(Day(d));  // the induction series
  for (int d : boosters) h.infusions.push_back(Day(d));
  for (auto [d, score] : phq) h.phq9.push_back({Day(d), score});
  return h;
}

TEST(BoosterTest, InvalidInputNamesTheField) {
  EXPECT_EQ(PlanBooster({}, {}).status().field(), "infusions");
  auto h = History({}, {{12, 30}});
  EXPECT_EQ(PlanBooster(h, {}).status().field(), "phq9[0].score");
  BoosterSettings s;
  s.min_interval_days = 60;
  EXPECT_EQ(PlanBooster(History({}, {}), s).status().field(), "min_interval_days");
  h = History({}, {});
  h.induction_sessions = 9;
  EXPECT_EQ(PlanBooster(h, {}).status().field(), "induction_sessions");
}

TEST(BoosterTest, PriorBeforeAnyRelapseIsSeen) {
  auto p = PlanBooster(History({}, {{12, 5}}), {});
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->rule, BoosterRule::kPrior);
  EXPECT_EQ(p->estimate_days, 18);  // Murrough 2013
  EXPECT_EQ(p->interval_days, 15);  // minus the 3-day margin
  EXPECT_EQ(p->next_booster_date, Day(26));
  EXPECT_EQ(p->predicted_relapse_date, Day(29));
  EXPECT_NE(p->reason.find("Murrough 2013"), std::string::npos) << p->reason;
}

TEST(BoosterTest, ThresholdIsTenOrFiveAboveThePostInductionScore) {
  EXPECT_EQ(PlanBooster(History({}, {{12, 4}}), {})->threshold, 9);
  EXPECT_EQ(PlanBooster(History({}, {{12, 7}}), {})->threshold, 10);
  EXPECT_EQ(PlanBooster(History({}, {{12, 12}}), {})->threshold, 17);  // non-responder: rise
  EXPECT_EQ(PlanBooster(History({}, {}), {})->threshold, 10);
  EXPECT_EQ(PlanBooster(History({}, {{12, 4}}), {})->post_induction_score, 4);
  // Post-induction score 4, threshold 9: a 9 is a relapse though below 10.
  auto p = PlanBooster(History({39}, {{12, 4}, {19, 4}, {26, 9}}), {});
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->durations.size(), 1u);
  EXPECT_EQ(p->durations[0].benefit_days, 15);
}

TEST(BoosterTest, DurationsObservedAndCensored) {
  auto p = PlanBooster(History({36, 58, 77}, {{12, 5},
                                              {19, 5},
                                              {26, 6},
                                              {31, 11},  // relapse 20 days after day 11
                                              {43, 5},
                                              {50, 5},
                                              {58, 12},  // pre-infusion reading: 22 days
                                              {65, 5},
                                              {72, 5},
                                              {77, 6}}),  // well at the booster: censored 19
                       {});
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->durations.size(), 3u);  // no reading after day 77 yet: the open one says nothing
  EXPECT_EQ(p->durations[0].infusion_date, Day(11));
  EXPECT_EQ(p->durations[0].benefit_days, 20);
  EXPECT_FALSE(p->durations[0].censored);
  EXPECT_EQ(p->durations[1].benefit_days, 22);
  EXPECT_FALSE(p->durations[2].benefit_days.has_value());
  EXPECT_TRUE(p->durations[2].censored);
  EXPECT_EQ(p->durations[2].observed_days, 19);
  // Kaplan-Meier: 19 censored leaves 2 at risk; the relapse at 20 halves survival: median 20.
  EXPECT_EQ(p->rule, BoosterRule::kEstimate);
  EXPECT_EQ(p->estimate_days, 20);
  EXPECT_EQ(p->interval_days, 17);
  EXPECT_EQ(p->next_booster_date, Day(94));
  EXPECT_EQ(p->predicted_relapse_date, Day(97));
  EXPECT_NE(p->reason.find("median of 20 days"), std::string::npos) << p->reason;
}

TEST(BoosterTest, LengthensAfterAStableStretch) {
  std::vector<std::pair<int, int>> phq;
  for (int d : {12, 19, 26, 32, 39, 46, 53, 60, 67, 74}) phq.push_back({d, 5});
  auto p = PlanBooster(History({32, 53, 74}, phq), {});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rule, BoosterRule::kLengthen);
  EXPECT_EQ(p->estimate_days, 21);  // at least 21 days (no relapse: no median)
  EXPECT_EQ(p->interval_days, 28);  // 21 + 7
  EXPECT_EQ(p->next_booster_date, Day(102));
  EXPECT_NE(p->reason.find("lengthens to 28 days"), std::string::npos) << p->reason;
  // One stable interval is not a stretch (stable_intervals 2).
  BoosterSettings s;
  s.stable_intervals = 4;
  EXPECT_EQ(PlanBooster(History({32, 53, 74}, phq), s)->rule, BoosterRule::kEstimate);
}

TEST(BoosterTest, ClampedToSiteBounds) {
  std::vector<std::pair<int, int>> phq{{12, 5}};
  for (int d = 19; d <= 11 + 3 * 56; d += 7) phq.push_back({d, 5});
  auto p = PlanBooster(History({67, 123, 179}, phq), {});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rule, BoosterRule::kLengthen);
  EXPECT_EQ(p->interval_days, 56);
  EXPECT_NE(p->reason.find("7-56 days bounds"), std::string::npos) << p->reason;
  BoosterSettings s;
  s.margin_days = 20;  // 18 - 20 < 7
  p = PlanBooster(History({}, {{12, 5}}), s);
  EXPECT_EQ(p->interval_days, 7);
}

TEST(BoosterTest, ShortensAfterAnEarlyRelapse) {
  // Booster 28 days after induction, but PHQ-9 was 12 on day 32, 21 days after day 11.
  auto p = PlanBooster(History({39}, {{12, 5}, {19, 5}, {26, 5}, {32, 12}, {39, 13}}), {});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rule, BoosterRule::kShorten);
  EXPECT_EQ(p->interval_days, 18);  // min(21 - 3 margin, 28 - 7 step)
  EXPECT_NE(p->reason.find("within its 28 days interval"), std::string::npos) << p->reason;
  // A longer stretch that relapsed late: the step binds.
  p = PlanBooster(History({46, 81}, {{12, 5}, {46, 6}, {60, 5}, {81, 14}}), {});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rule, BoosterRule::kShorten);
  // Durations: 35 censored and 35 observed; at 35 one of two at risk relapses: S = 0.5, median
  // 35; min(35 - 3 margin, 35 - 7 step, 35 - 3) = 28.
  EXPECT_EQ(p->interval_days, 28);
}

TEST(BoosterTest, AlreadyRelapsedSinceTheLastInfusion) {
  auto p = PlanBooster(History({}, {{12, 5}, {25, 14}}), {});
  ASSERT_TRUE(p.ok());
  EXPECT_NE(p->reason.find("already relapsed"), std::string::npos) << p->reason;
  ASSERT_EQ(p->durations.size(), 1u);
  EXPECT_EQ(p->durations[0].benefit_days, 14);
}

TEST(BoosterTest, ExplicitInductionCount) {
  // Inferred: the six infusions < 7 days apart are the induction; the post-induction score is
  // the first reading after day 11 (8 on day 12), so the threshold is 10.
  BoosterHistory h = History({}, {{5, 3}, {12, 8}});
  EXPECT_EQ(PlanBooster(h, {})->threshold, 10);
  // Told that only three were the induction: the reading on day 5 (3) is post-induction.
  h.induction_sessions = 3;
  auto p = PlanBooster(h, {});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->post_induction_score, 3);
  EXPECT_EQ(p->threshold, 8);
}

}  // namespace
}  // namespace kclinic::domain::schedule
