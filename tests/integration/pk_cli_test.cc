// `kclinic pk` as a prescriber or a script uses it: the real program, its JSON and its exit codes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support.h"

namespace kclinic::testing {
namespace {

TEST(PkCommand, PredictsTheUsualInfusionAsJson) {
  auto r = RunKclinic(
      "pk --model domino --weight-kg 70 --mg-per-kg 0.5 --minutes 40 "
      "--at 10,20,40,60,80,230 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["model"], "domino");
  EXPECT_EQ(j["unit"], "ng/mL");
  ASSERT_EQ(j["points"].size(), 6u);
  EXPECT_EQ(j["points"][2]["t_min"], 40.0);
  EXPECT_NEAR(j["points"][2]["cp"].get<double>(), 240.3, 0.1);
  EXPECT_TRUE(j["points"][2].contains("ce"));
  EXPECT_NEAR(j["cmax"].get<double>(), 240.36, 0.01);
  EXPECT_NEAR(j["tmax_min"].get<double>(), 40, 1e-6);
  EXPECT_TRUE(j.contains("minutes_above_100"));
  EXPECT_TRUE(j.contains("auc"));
  EXPECT_NE(j["note"].get<std::string>().find("over-predicts"), std::string::npos);
}

TEST(PkCommand, ReadsARegimenFileAndNamesTheMetabolite) {
  TempFile regimen("pk", R"([{"start_min": 0, "bolus_mg": 10},
                      {"start_min": 0, "end_min": 40, "rate_mg_per_min": 0.6},
                      {"start_min": 20, "end_min": 60, "rate_mg_per_min": 0.3}])");
  auto r = RunKclinic("pk --model fanta-otto --weight-kg 80 --regimen " + regimen.path() +
                      " --at 0,30,90 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["points"][1]["s_norketamine"].get<double>(), 0);
  EXPECT_NEAR(j["total_dose_mg"].get<double>(), 10 + 24 + 12, 1e-9);
  EXPECT_TRUE(j.contains("s_norketamine"));
}

TEST(PkCommand, PopulationGivesMedianAndBands) {
  const std::string args =
      "pk population --model clements --weight-kg 70 --mg-per-kg 0.5 "
      "--minutes 40 --at 20,40,90 --n 300 --seed 5 --json";
  auto r = RunKclinic(args);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["n"], 300);
  const auto& cp = j["points"][1]["cp"];
  EXPECT_LT(cp["p05"].get<double>(), cp["median"].get<double>());
  EXPECT_LT(cp["median"].get<double>(), cp["p95"].get<double>());
  EXPECT_EQ(RunKclinic(args).out, r.out);  // same seed, same answer
}

TEST(PkCommand, HumanOutputShowsTheCurveAndTheNote) {
  auto r = RunKclinic("pk --model clements --weight-kg 70 --mg-per-kg 0.5 --minutes 40 --at 40");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Clements 250"), std::string::npos);
  EXPECT_NE(r.out.find("177.3"), std::string::npos);
  EXPECT_NE(r.out.find("volunteers"), std::string::npos);
}

TEST(PkCommand, InvalidInputExitsTwoNamingTheField) {
  TempFile malformed("pk", R"([{"start_min": 0, "bolus_mg": 10)");
  TempFile bad_entry("pk", R"([{"start_min": 0, "end_min": 40}])");
  TempFile unknown_key("pk", R"([{"start_min": 0, "bolus_mg": 10, "route": "iv"}])");
  const std::string dose = " --mg-per-kg 0.5 --minutes 40 --at 10";
  struct Case {
    std::string args, field;
  };
  const Case cases[] = {
      {"pk --model domino --weight-kg -70" + dose, "weight_kg"},
      {"pk --model domino --weight-kg 4000" + dose, "weight_kg"},
      {"pk --model domino --weight-kg heavy" + dose, "weight_kg"},
      {"pk --model marsh --weight-kg 70" + dose, "model"},
      {"pk --weight-kg 70" + dose, "model"},
      {"pk --model herd --weight-kg 60 --age-years 40" + dose, "age_years"},
      {"pk --model domino --weight-kg 70 --sex x" + dose, "sex"},
      {"pk --model domino --weight-kg 70 --mg-per-kg 50 --minutes 40 --at 10", "mg_per_kg"},
      {"pk --model domino --weight-kg 70 --mg-per-kg 0.5 --minutes 40 --at 10,-5", "at"},
      {"pk --model domino --weight-kg 70 --mg-per-kg 0.5 --minutes 40", "at"},
      {"pk --model domino --weight-kg 70 --regimen " + malformed.path() + " --at 10", "regimen"},
      {"pk --model domino --weight-kg 70 --regimen " + bad_entry.path() + " --at 10",
       "regimen.0.rate_mg_per_min"},
      {"pk --model domino --weight-kg 70 --regimen " + unknown_key.path() + " --at 10",
       "regimen.0.route"},
      {"pk --model domino --weight-kg 70 --regimen /nonexistent/regimen.json --at 10", "regimen"},
      {"pk population --model domino --weight-kg 70 --n 0" + dose, "n"},
      {"pk population --model domino --weight-kg 70 --seed -1" + dose, "seed"},
  };
  for (const Case& tc : cases) {
    auto r = RunKclinic(tc.args + " --json");
    EXPECT_EQ(r.exit_code, 2) << tc.args;
    auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(j.is_object()) << tc.args << ": " << r.out;
    EXPECT_EQ(j["error"]["code"], "invalid_argument") << tc.args;
    EXPECT_EQ(j["error"]["field"], tc.field) << tc.args << ": " << r.out;
    // Without --json the error goes to stderr and stdout stays empty; the exit code is the same.
    auto plain = RunKclinic(tc.args);
    EXPECT_EQ(plain.exit_code, 2) << tc.args;
    EXPECT_EQ(plain.out, "") << tc.args;
  }
}

}  // namespace
}  // namespace kclinic::testing
