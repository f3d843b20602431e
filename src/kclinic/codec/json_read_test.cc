#include "kclinic/codec/json_read.h"

#include <gtest/gtest.h>

#include "kclinic/codec/patient_json.h"
#include "kclinic/codec/request_test_util.h"

namespace kclinic::codec {
namespace {

TEST(ParseObject, RefusesANulCharacterAnywhereNamingWhere) {
  EXPECT_TRUE(ParseObject(R"({"note":"fine","items":["a","b"]})").ok());
  auto in_value = ParseObject(R"({"note":"before\u0000after"})");
  EXPECT_EQ(in_value.status().field(), "note");
  EXPECT_NE(in_value.status().message().find("NUL"), std::string::npos);
  EXPECT_EQ(ParseObject(R"({"a":{"b":["x","y\u0000"]}})").status().field(), "a.b.1");
  EXPECT_EQ(ParseObject(R"({"k\u0000":1})").status().field(), "body");
  EXPECT_EQ(ParseObject(R"({"a":{"k\u0000":1}})").status().field(), "a");
}

TEST(ParseObject, RejectsWhatIsNotOneObject) {
  EXPECT_EQ(ParseObject("").status().field(), "body");
  EXPECT_EQ(ParseObject("{").status().field(), "body");
  EXPECT_EQ(ParseObject("[]").status().field(), "body");
  EXPECT_EQ(ParseObject("{} {}").status().field(), "body");
  EXPECT_EQ(ParseObject(R"({"a":1,"a":2})").status().field(), "a");
  EXPECT_TRUE(ParseObject(R"({"a":{"b":1},"b":2})").ok());  // same key at other depths is fine
}

TEST(ObjectReader, NamesNestedFieldsInErrors) {
  auto j = ParseObject(R"({"name":{"given":3}})").value();
  auto reg = RegistrationFromJson(j);
  EXPECT_EQ(reg.status().field(), "name.given");
  auto extra = RegistrationFromJson(
      ParseObject(R"({"name":{"given":"A","family":"B","middle":"C"},"birth_date":"1990-01-01"})")
          .value());
  EXPECT_EQ(extra.status().field(), "name.middle");
}

TEST(PatchFromJson, NullClearsHeightAndEmptyObjectChangesNothing) {
  auto clear = PatchFromJson(ParseObject(R"({"height_cm":null})").value());
  ASSERT_TRUE(clear.ok());
  ASSERT_TRUE(clear->patch.height_cm.has_value());
  EXPECT_FALSE(clear->patch.height_cm->has_value());
  auto nothing = PatchFromJson(ParseObject("{}").value());
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->patch.height_cm.has_value());
  EXPECT_FALSE(nothing->patch.given.has_value());
}

TEST(FieldsJson, SnapshotRoundTrips) {
  domain::PatientFields f;
  f.name = {"Ana", "Silva"};
  f.birth_date = std::chrono::year_month_day(std::chrono::year(1984) / 3 / 2);
  f.sex = domain::Sex::kFemale;
  f.height_cm = Centimeters(165.5);
  f.allergies = {"latex"};
  f.escort = {"Sam", "+1 555 0101", "partner"};
  auto back = FieldsFromJson(nlohmann::json::parse(FieldsJson(f)));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, f);
}

TEST(DecodeOneStringRequest, RequiresTheOneMember) {
  auto r = DecodeOneStringRequest(Json::parse(R"({"reason":"escort left"})"), "reason");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "escort left");
  auto decode = [](const Json& body) { return DecodeOneStringRequest(body, "reason"); };
  ExpectRefused<std::string>(decode, {{R"({})", "reason", "is required"},
                                      {R"({"reason":2})", "reason", "must be a string"},
                                      {R"({"reason":"a","b":1})", "b", "is not a known field"}});
  EXPECT_TRUE(DecodeEmptyRequest(Json::object()).ok());
  EXPECT_EQ(DecodeEmptyRequest(Json::parse(R"({"force":true})")).field(), "force");
}

}  // namespace
}  // namespace kclinic::codec
