// Test-only: the table runner the request codecs' tests share (*_request_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"

namespace kclinic::codec {

// One bad body and the error it must get: the field named and the message, exactly as the API
// answers them (the API tests in tests/integration/ pin the same ones end to end).
struct BadCase {
  std::string body;
  std::string field;
  std::string message;
};

// Decodes every case's body with `decode` and checks it is refused with InvalidArgument naming
// the case's field, with the case's message.
template <typename T>
void ExpectRefused(const std::function<Result<T>(const nlohmann::json&)>& decode,
                   const std::vector<BadCase>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    auto got = decode(nlohmann::json::parse(c.body));
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(got.status().field(), c.field);
    EXPECT_EQ(got.status().message(), c.message);
  }
}

}  // namespace kclinic::codec
