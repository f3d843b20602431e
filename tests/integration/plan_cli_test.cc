// `kclinic plan induction | booster` as the front desk or a script uses it: the real program, its
// JSON and its exit codes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "kclinic/base/clock.h"
#include "support.h"

namespace kclinic::testing {
namespace {

int DaysBetween(const std::string& a, const std::string& b) {
  return static_cast<int>(
      (std::chrono::sys_days(*ParseDate(b)) - std::chrono::sys_days(*ParseDate(a))).count());
}

TEST(PlanCommand, InductionSeriesAsJson) {
  auto r = RunKclinic("plan induction --protocol iv-standard --start 2026-11-23 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["sessions"].size(), 6u);
  EXPECT_EQ(j["sessions"][0]["date"], "2026-11-23");
  EXPECT_EQ(j["sessions"][0]["time"], "08:00");
  EXPECT_EQ(j["sessions"][0]["start"], "2026-11-23T13:00:00.000000Z");  // 08:00 EST
  EXPECT_TRUE(j["bent"].is_array());
  // The protocol's rules: never consecutive days, at most 3 a week, all within 21 days.
  const auto& s = j["sessions"];
  for (size_t i = 1; i < s.size(); ++i) {
    EXPECT_GE(DaysBetween(s[i - 1]["date"], s[i]["date"]), 2);
  }
  EXPECT_LT(DaysBetween(s[0]["date"], s[5]["date"]), 21);
}

TEST(PlanCommand, TimeZoneAndText) {
  auto r = RunKclinic(
      "plan induction --protocol iv-twice-weekly --start 2026-11-23 --tz Europe/Zurich --json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sessions"][0]["start"], "2026-11-23T07:00:00.000000Z");  // 08:00 CET
  auto text = RunKclinic("plan induction --start 2026-11-23");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("2026-11-25 08:00"), std::string::npos) << text.out;
}

TEST(PlanCommand, BadFlagsNameTheProblem) {
  auto r = RunKclinic("plan induction --protocol nope --start 2026-11-23 --json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["field"], "protocol");
  r = RunKclinic("plan induction --start 2026-02-30");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("start"), std::string::npos) << r.err;
  r = RunKclinic("plan induction --start 2026-11-23 --tz Mars/Base --json");
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["field"], "tz");
  r = RunKclinic("plan booster --history /nonexistent/h.json --json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["field"], "history");
  TempFile bad("plan",
               R"({"infusions": ["2026-01-05"], "phq9": [{"date": "2026-01-06", "score": 40}]})");
  r = RunKclinic("plan booster --history " + bad.path() + " --json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["field"], "phq9[0].score");
  TempFile not_json("plan", "infusions: yes");
  r = RunKclinic("plan booster --history " + not_json.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("history"), std::string::npos);
  EXPECT_NE(RunKclinic("plan").exit_code, 0);
}

TEST(PlanCommand, BoosterFromAHistoryFile) {
  // Induction 2026-01-05..16; booster 25 days later; PHQ-9 crossed 10 twenty days after each
  // infusion in the first two intervals, and held in the third.
  TempFile history("plan", R"({
    "infusions": ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14",
                  "2026-01-16", "2026-02-10", "2026-03-04", "2026-03-23"],
    "phq9": [{"date": "2026-01-17", "score": 5}, {"date": "2026-01-24", "score": 5},
             {"date": "2026-01-31", "score": 6}, {"date": "2026-02-05", "score": 11},
             {"date": "2026-02-17", "score": 5}, {"date": "2026-02-24", "score": 5},
             {"date": "2026-03-04", "score": 12}, {"date": "2026-03-11", "score": 5},
             {"date": "2026-03-18", "score": 5}, {"date": "2026-03-23", "score": 6}]
  })");
  auto r = RunKclinic("plan booster --history " + history.path() + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["interval_days"], 17);  // Kaplan-Meier median 20 days - 3 days margin
  EXPECT_EQ(j["next_booster_date"], "2026-04-09");
  EXPECT_EQ(j["rule"], "estimate");
  EXPECT_EQ(j["threshold"], 10);
  ASSERT_EQ(j["durations"].size(), 3u);
  EXPECT_EQ(j["durations"][0]["benefit_days"], 20);
  EXPECT_TRUE(j["durations"][2]["benefit_days"].is_null());
  EXPECT_EQ(j["durations"][2]["censored"], true);
  EXPECT_NE(j["reason"].get<std::string>().find("20 days"), std::string::npos);
  auto text = RunKclinic("plan booster --history " + history.path());
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("2026-04-09"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace kclinic::testing
