#include "kclinic/domain/settings.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace kclinic::domain {
namespace {

TEST(Settings, EveryDefinitionHasACitationAndADefaultWithinBounds) {
  for (const SettingDefinition* d : SettingDefinitions()) {
    EXPECT_FALSE(d->citation.empty()) << d->key;
    EXPECT_TRUE(ValidateSetting(d->key, d->default_value).ok()) << d->key;
  }
}

// A setting is read through its declaration only: SiteSettings has no Get for a string, so a
// misspelt or undeclared key does not compile. These assertions are checked by the compiler.
template <typename Key>
concept ReadableBy = requires(const SiteSettings& s, Key key) {
  s.Get(key);
};
static_assert(ReadableBy<const SettingDefinition&>);
static_assert(!ReadableBy<std::string_view>);
static_assert(!ReadableBy<const char*>);
static_assert(!ReadableBy<std::string>);

TEST(Settings, KeysComposedFromDataAreFoundOnlyWhenDeclared) {
  SiteSettings s(2, {{std::string(kLockoutMinutes.key), 30}});
  EXPECT_EQ(s.Find("auth.lockout_minutes"), 30);
  EXPECT_EQ(s.Find("auth.lockout_attempts"), 5);
  EXPECT_EQ(s.Find("auth.lockout_minute"), std::nullopt);
  EXPECT_EQ(s.Find(""), std::nullopt);
}

TEST(Settings, TheCatalogueCheckNamesAnUndeclaredKey) {
  EXPECT_TRUE(CheckSettingCatalog({}).ok());
  const std::vector<std::string> required = {"auth.lockout_minutes", "course.early_review_after"};
  Status s = CheckSettingCatalog(required);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_NE(s.message().find("course.early_review_after"), std::string::npos) << s.message();
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
