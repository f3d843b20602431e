#include "kclinic/domain/screening/approval.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "kclinic/domain/session/session_settings.h"

namespace kclinic::domain::screening {
namespace {

using std::chrono::days;

const Timestamp kNow =
    std::chrono::sys_days(std::chrono::year(2026) / 12 / 7) + std::chrono::hours(9);

ScreeningDecisionRecord DecisionOn(std::string intake, std::string_view decision, Timestamp at) {
  ScreeningDecisionRecord d;
  d.id = intake + "-" + std::string(decision);
  d.intake_id = std::move(intake);
  d.decision = *ParseCode<ScreeningDecision>(decision);
  d.decided_at = at;
  return d;
}

TEST(ApprovalTest, TheNewestDecisionOnTheNewestIntakeDecides) {
  struct Case {
    const char* name;
    std::optional<std::string> latest_intake;
    std::vector<ScreeningDecisionRecord> newest_first;
    ApprovalState want;
  };
  const std::vector<Case> cases = {
      {"no intake", std::nullopt, {}, ApprovalState::kNoDecision},
      {"intake, no decision", "i2", {}, ApprovalState::kNoDecision},
      {"approved an older intake only",
       "i2",
       {DecisionOn("i1", "approve", kNow - days(3))},
       ApprovalState::kNoDecision},
      {"approved", "i2", {DecisionOn("i2", "approve", kNow - days(3))}, ApprovalState::kCurrent},
      {"overridden", "i2", {DecisionOn("i2", "override", kNow - days(3))}, ApprovalState::kCurrent},
      {"declined", "i2", {DecisionOn("i2", "decline", kNow - days(3))}, ApprovalState::kDeclined},
      {"approved after a decline",
       "i2",
       {DecisionOn("i2", "approve", kNow - days(1)), DecisionOn("i2", "decline", kNow - days(3))},
       ApprovalState::kCurrent},
      {"declined after an approval",
       "i2",
       {DecisionOn("i2", "decline", kNow - days(1)), DecisionOn("i2", "approve", kNow - days(3))},
       ApprovalState::kDeclined},
      {"an older intake's approval does not carry over",
       "i2",
       {DecisionOn("i1", "approve", kNow - days(1)), DecisionOn("i2", "decline", kNow - days(3))},
       ApprovalState::kDeclined},
      {"365 days old: still current",
       "i2",
       {DecisionOn("i2", "approve", kNow - days(365))},
       ApprovalState::kCurrent},
      {"366 days old: expired",
       "i2",
       {DecisionOn("i2", "approve", kNow - days(366))},
       ApprovalState::kExpired},
  };
  const SiteSettings defaults;
  for (const auto& c : cases) {
    Approval a = CurrentApproval(c.latest_intake, c.newest_first, kNow, defaults);
    EXPECT_EQ(a.state, c.want) << c.name;
    EXPECT_EQ(IsCurrentApproval(a), c.want == ApprovalState::kCurrent) << c.name;
    EXPECT_EQ(ApprovalRefusal(a).empty(), c.want == ApprovalState::kCurrent) << c.name;
  }
}

TEST(ApprovalTest, ExpiryFollowsTheSiteSetting) {
  const std::vector<ScreeningDecisionRecord> decisions = {
      DecisionOn("i", "approve", kNow - days(40))};
  const SiteSettings month(3, {{std::string(session::kScreeningValidDays.key), 30}});
  Approval a = CurrentApproval("i", decisions, kNow, month);
  EXPECT_EQ(a.state, ApprovalState::kExpired);
  ASSERT_TRUE(a.valid_until);
  EXPECT_EQ(*a.valid_until, kNow - days(10));
  EXPECT_NE(ApprovalRefusal(a).find("no longer current"), std::string::npos) << ApprovalRefusal(a);
  EXPECT_EQ(CurrentApproval("i", decisions, kNow, SiteSettings()).state, ApprovalState::kCurrent);
}

TEST(ApprovalTest, JudgeDecisionIsTheSameRule) {
  const SiteSettings defaults;
  using D = ScreeningDecision;
  EXPECT_EQ(JudgeDecision(D::kDecline, kNow, kNow, defaults), ApprovalState::kDeclined);
  EXPECT_EQ(JudgeDecision(D::kApprove, kNow - days(10), kNow, defaults), ApprovalState::kCurrent);
  EXPECT_EQ(JudgeDecision(D::kOverride, kNow - days(400), kNow, defaults), ApprovalState::kExpired);
}

}  // namespace
}  // namespace kclinic::domain::screening
