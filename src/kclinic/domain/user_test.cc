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

}  // namespace
}  // namespace kclinic::domain
