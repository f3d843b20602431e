#include "kclinic/domain/user.h"

#include <gtest/gtest.h>

#include <string>

namespace kclinic::domain {
namespace {

// NIST SP 800-63B §5.1.1.2: at least 12 characters here, no composition rules, and nothing on a
// list of common passwords.
TEST(ValidatePassword, RefusesShortBlankRepetitiveAndCommonOnes) {
  struct Case {
    std::string password;
    std::string message;  // "" when accepted
  };
  const Case cases[] = {
      {"kclinic-demo", ""},
      {"correct horse battery staple", ""},
      {"aZ9!kq2Lm#pX", ""},
      {"short", "must be at least 12 characters"},
      {std::string(12, ' '), "must not be only spaces"},
      {"aaaaaaaaaaaa", "use at least 4 different characters"},
      {"121212121212", "use at least 4 different characters"},
      {"password1234", "is too common"},
      {"Password1234", "is too common"},
      {"letmein12345", "is too common"},
      {std::string(1025, 'x'), "must be at most 1024 characters"},
  };
  for (const auto& c : cases) {
    Status s = ValidatePassword(c.password);
    if (c.message.empty()) {
      EXPECT_TRUE(s.ok()) << c.password << ": " << s.message();
    } else {
      EXPECT_EQ(s.field(), "password") << c.password;
      EXPECT_NE(s.message().find(c.message), std::string::npos)
          << c.password << ": " << s.message();
    }
  }
}

TEST(WaitAfterFailures, DelaysDoubleThenLockAtTheSettings) {
  SiteSettings defaults;  // delay from 3, lock at 5 for 15 min
  EXPECT_FALSE(WaitAfterFailures(0, defaults));
  EXPECT_FALSE(WaitAfterFailures(2, defaults));
  auto third = WaitAfterFailures(3, defaults);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->wait, std::chrono::seconds(1));
  EXPECT_FALSE(third->locked);
  EXPECT_EQ(WaitAfterFailures(4, defaults)->wait, std::chrono::seconds(2));
  auto fifth = WaitAfterFailures(5, defaults);
  EXPECT_TRUE(fifth->locked);
  EXPECT_EQ(fifth->wait, std::chrono::minutes(15));
  // A site that locks late: the delays keep doubling, never past a lockout's length.
  SiteSettings late(2, {{std::string(kLockoutAttempts.key), 100}});
  EXPECT_EQ(WaitAfterFailures(12, late)->wait, std::chrono::seconds(512));
  EXPECT_EQ(WaitAfterFailures(60, late)->wait, std::chrono::minutes(15));
  EXPECT_FALSE(WaitAfterFailures(60, late)->locked);
}

TEST(CountAccountFailure, LocksTheAccountAtItsOwnThreshold) {
  SiteSettings defaults;  // 20 from every source
  User user;
  const Timestamp now{std::chrono::hours(1000)};
  for (int i = 1; i < 20; ++i) EXPECT_FALSE(CountAccountFailure(user, now, defaults)) << i;
  EXPECT_FALSE(user.locked_until);
  EXPECT_TRUE(CountAccountFailure(user, now, defaults));
  EXPECT_EQ(user.locked_until, now + std::chrono::minutes(15));
  EXPECT_EQ(user.failed_logins, 0);
}

}  // namespace
}  // namespace kclinic::domain
