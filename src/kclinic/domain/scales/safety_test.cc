#include "kclinic/domain/scales/safety.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "kclinic/domain/scales/scale_settings.h"

namespace kclinic::domain::scales {
namespace {

TEST(SafetyTest, WhichFlagsAlertAndWhichShowCrisisResources) {
  struct Case {
    Flag flag;
    bool alert, crisis;
  };
  const std::vector<Case> cases = {
      {Flag::kSuicidalIdeation, true, true},
      {Flag::kSuicideRiskModerate, true, true},
      {Flag::kSuicideRiskHigh, true, true},
      {Flag::kPositiveSymptoms, true, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RaisesAlert(c.flag), c.alert) << FlagName(c.flag);
    EXPECT_EQ(ShowsCrisisResources(c.flag), c.crisis) << FlagName(c.flag);
  }
}

TEST(SafetyTest, OneAlertPerFlagAndCrisisWhenAnyIsSuicideRelated) {
  EXPECT_TRUE(SafetyResponseFor({}).alerts.empty());
  EXPECT_FALSE(SafetyResponseFor({}).crisis_resources);
  const std::vector<Flag> bprs = {Flag::kPositiveSymptoms};
  EXPECT_EQ(SafetyResponseFor(bprs).alerts, bprs);
  EXPECT_FALSE(SafetyResponseFor(bprs).crisis_resources);
  const std::vector<Flag> both = {Flag::kSuicidalIdeation, Flag::kSuicideRiskHigh};
  EXPECT_EQ(SafetyResponseFor(both).alerts, both);
  EXPECT_TRUE(SafetyResponseFor(both).crisis_resources);
}

TEST(SafetyTest, AnUnacknowledgedAlertEscalatesAfterTheSiteSetting) {
  const Timestamp t0 = std::chrono::sys_days(std::chrono::year(2026) / 12 / 7);
  using std::chrono::minutes;
  const SiteSettings defaults;  // 60 min
  EXPECT_FALSE(IsEscalated(t0, false, t0 + minutes(59), defaults));
  EXPECT_TRUE(IsEscalated(t0, false, t0 + minutes(60), defaults));
  EXPECT_FALSE(IsEscalated(t0, true, t0 + minutes(600), defaults));
  const SiteSettings quick(2, {{std::string(kAlertEscalateAfterMinutes.key), 15}});
  EXPECT_TRUE(IsEscalated(t0, false, t0 + minutes(15), quick));
}

}  // namespace
}  // namespace kclinic::domain::scales
