#include "kclinic/codec/auth_request.h"

#include <gtest/gtest.h>

#include "kclinic/codec/request_test_util.h"

namespace kclinic::codec {
namespace {

using nlohmann::json;

TEST(DecodeLoginRequest, ReadsCredentials) {
  auto r = DecodeLoginRequest(json::parse(R"({"username":"a","password":"p","totp":"123456"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->username, "a");
  EXPECT_EQ(r->password, "p");
  EXPECT_EQ(r->totp, "123456");
  ExpectRefused<LoginRequest>(
      DecodeLoginRequest,
      {{R"({"password":"p"})", "username", "is required"},
       {R"({"username":"a"})", "password", "is required"},
       {R"({"username":"a","password":"p","totp":123456})", "totp", "must be a string"},
       {R"({"username":"a","password":"p","remember":true})", "remember", "is not a known field"}});
}

TEST(DecodeUserCreateRequest, ParsesTheRole) {
  auto r = DecodeUserCreateRequest(json::parse(
      R"({"username":"pat","role":"patient","password":"pw","patient_id":"0123456789abcdef0123456789abcdef"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->role, domain::Role::kPatient);
  EXPECT_EQ(r->patient_id, PatientId("0123456789abcdef0123456789abcdef"));
  ExpectRefused<UserCreateRequest>(
      DecodeUserCreateRequest, {{R"({"role":"nurse","password":"p"})", "username", "is required"},
                                {R"({"username":"u","password":"p"})", "role", "is required"},
                                {R"({"username":"u","role":"nurse"})", "password", "is required"},
                                {R"({"username":"u","role":"nurse","password":"p","patient_id":1})",
                                 "patient_id", "must be a string"},
                                {R"({"username":"u","role":"doctor","password":"p"})", "role",
                                 "must be one of admin, prescriber, nurse, front_desk, patient"},
                                // Unknown members are named before an unknown role.
                                {R"({"username":"u","role":"doctor","password":"p","email":"e"})",
                                 "email", "is not a known field"}});
}

}  // namespace
}  // namespace kclinic::codec
