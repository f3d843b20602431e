#include "kclinic/codec/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace kclinic::codec {
namespace {

TEST(JsonWriter, NestsAndSeparates) {
  JsonWriter w;
  w.BeginObject().Key("a").Integer(1).Key("b").BeginArray().String("x").Null().Bool(true);
  w.BeginObject().EndObject().EndArray().Key("c").Number(68.5).EndObject();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",null,true,{}],"c":68.5})");
}

TEST(JsonWriter, EscapesWhatJsonRequiresAndKeepsUtf8) {
  std::string tricky = "quote\" back\\ nl\n tab\t bell\x07 del\x7f é 漢";
  JsonWriter w;
  w.BeginObject().Key("s").String(tricky).EndObject();
  auto parsed = nlohmann::json::parse(w.str());  // a real parser agrees
  EXPECT_EQ(parsed["s"], tricky);
  EXPECT_NE(w.str().find("\\u0007"), std::string::npos);
  EXPECT_NE(w.str().find("é 漢"), std::string::npos);
}

TEST(JsonWriter, NumbersRoundTripAndNonFiniteIsNull) {
  for (double d : {0.0, 70.0, 68.5, 0.1, 1e-7, 123456789.125}) {
    JsonWriter w;
    w.Number(d);
    EXPECT_EQ(nlohmann::json::parse(w.str()).get<double>(), d) << w.str();
  }
  JsonWriter w;
  w.BeginArray().Number(std::nan("")).Number(INFINITY).EndArray();
  EXPECT_EQ(w.str(), "[null,null]");
}

}  // namespace
}  // namespace kclinic::codec
