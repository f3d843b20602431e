#include "kclinic/domain/settings.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kclinic::domain {
namespace {

TEST(Settings, EveryDefinitionHasACitationAndADefaultWithinBounds) {
  for (const auto& d : SettingDefinitions()) {
    EXPECT_FALSE(d.citation.empty()) << d.key;
    EXPECT_TRUE(ValidateSetting(d.key, d.default_value).ok()) << d.key;
  }
}

TEST(Settings, DefaultsAreTheIssuesNumbers) {
  SiteSettings s;
  EXPECT_EQ(s.Get(kSessionIdleMinutes), 15);
  EXPECT_EQ(s.Get(kSessionAbsoluteHours), 12);
  EXPECT_EQ(s.Get(kLockoutAttempts), 5);
  EXPECT_EQ(s.Get(kLockoutMinutes), 15);
}

TEST(Settings, ValidationNamesKeyOrValue) {
  EXPECT_EQ(ValidateSetting("no.such", 1).field(), "key");
  EXPECT_EQ(ValidateSetting(kSessionIdleMinutes, 0).field(), "value");
  EXPECT_EQ(ValidateSetting(kSessionIdleMinutes, 241).field(), "value");
  EXPECT_EQ(ValidateSetting(kSessionIdleMinutes, std::nan("")).field(), "value");
  EXPECT_TRUE(ValidateSetting(kSessionIdleMinutes, 240).ok());
}

TEST(Settings, OverridesWinOverDefaults) {
  SiteSettings s(3, {{std::string(kLockoutAttempts), 8}});
  EXPECT_EQ(s.version(), 3);
  EXPECT_EQ(s.Get(kLockoutAttempts), 8);
  EXPECT_EQ(s.Get(kLockoutMinutes), 15);
}

}  // namespace
}  // namespace kclinic::domain
