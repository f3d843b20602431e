// `kclinic score` run as a program: exit codes, JSON output and errors that name the item.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support.h"

namespace kclinic::testing {
namespace {

TEST(ScaleCli, ScoresAsJson) {
  auto r = RunKclinic("score phq9 --items 1,1,1,1,1,1,1,1,2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["instrument"], "phq9");
  EXPECT_EQ(j["total"], 10);
  EXPECT_EQ(j["severity"], "moderate");
  EXPECT_EQ(j["flags"], nlohmann::json::array({"suicidal_ideation"}));
  EXPECT_EQ(j["prorated"], false);
}

TEST(ScaleCli, ReadableLine) {
  auto r = RunKclinic("score gad7 --items 3,3,3,3,3,0,0");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("GAD-7 total 15/21: severe"), std::string::npos) << r.out;
}

TEST(ScaleCli, ProrateFlag) {
  auto off = RunKclinic("score phq9 --items 1,1,,1,1,1,1,1,0 --json");
  EXPECT_EQ(off.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(off.out)["error"]["field"], "item_3");
  auto on = RunKclinic("score phq9 --items 1,1,,1,1,1,1,1,0 --json --prorate");
  ASSERT_EQ(on.exit_code, 0) << on.out;
  auto j = nlohmann::json::parse(on.out);
  EXPECT_EQ(j["prorated"], true);
  EXPECT_EQ(j["total"], 8);  // 7 * 9 / 8 = 7.875
}

TEST(ScaleCli, InvalidInputExits2NamingTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {"score phq9 --items 1,1,4,1,1,1,1,1,0 --json", "item_3"},
      {"score phq9 --items 1,x --json", "item_2"},
      {"score phq9 --items 0,0,0,0,0,0,0,0,0,0,0 --json", "item_11"},
      {"score cssrs-screener --items 0,0,1,,,0 --json", "item_3"},
      {"score bdi2 --items 1 --json", "instrument"},
      {"score --items 1 --json", "instrument"},
      {"score phq9 --json", "items"},
  };
  for (const auto& [args, field] : cases) {
    SCOPED_TRACE(args);
    auto r = RunKclinic(args);
    EXPECT_EQ(r.exit_code, 2);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.out;
    EXPECT_EQ(j["error"]["code"], "invalid_argument");
    EXPECT_EQ(j["error"]["field"], field);
  }
  auto plain = RunKclinic("score phq9 --items 1,1,4");
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_NE(plain.err.find("item_3"), std::string::npos) << plain.err;
}

TEST(ScaleCli, ListsInstruments) {
  auto r = RunKclinic("score --list --json");
  ASSERT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 8u);
  EXPECT_EQ(j[3]["id"], "qids-sr16");
  EXPECT_EQ(j[3]["licence"], "score_entry");
}

}  // namespace
}  // namespace kclinic::testing
