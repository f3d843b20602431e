#include "kclinic/codec/pk_json.h"

#include <gtest/gtest.h>

namespace kclinic::codec {
namespace {

namespace pk = domain::pk;

TEST(RegimenJson, ReadsBolusesAndOverlappingInfusions) {
  auto r = ParseRegimen(R"([{"start_min": 0, "bolus_mg": 10},
                            {"start_min": 0, "end_min": 40, "rate_mg_per_min": 0.6},
                            {"start_min": 20, "end_min": 60, "rate_mg_per_min": 0.3},
                            {"start_min": 5, "bolus_mg": 2, "end_min": 6, "rate_mg_per_min": 1}])");
  ASSERT_TRUE(r.ok()) << r.status().field() << ": " << r.status().message();
  ASSERT_EQ(r->entries().size(), 4u);
  EXPECT_EQ(r->entries()[0].bolus->value(), 10);
  EXPECT_FALSE(r->entries()[0].end.has_value());
  EXPECT_EQ(r->entries()[1].rate->value(), 0.6);
  EXPECT_NEAR(r->total().value(), 10 + 24 + 12 + 3, 1e-12);
}

TEST(RegimenJson, StrictErrorsNameTheField) {
  struct Case {
    std::string text, field;
  };
  const Case cases[] = {
      {"", "regimen"},
      {"[{\"start_min\": 0, ", "regimen"},                 // malformed
      {"{\"start_min\": 0, \"bolus_mg\": 1}", "regimen"},  // not an array
      {"[]", "regimen"},                                   // no entries
      {"[3]", "regimen.0"},
      {"[{\"bolus_mg\": 10}]", "regimen.0.start_min"},
      {"[{\"start_min\": \"0\", \"bolus_mg\": 10}]", "regimen.0.start_min"},
      {"[{\"start_min\": 0, \"bolus_mg\": 10, \"dose\": 3}]", "regimen.0.dose"},
      {"[{\"start_min\": 0, \"bolus_mg\": 10, \"bolus_mg\": 20}]", "regimen"},
      {"[{\"start_min\": 0, \"bolus_mg\": -10}]", "regimen.0.bolus_mg"},
      {"[{\"start_min\": -5, \"bolus_mg\": 10}]", "regimen.0.start_min"},
      {"[{\"start_min\": 0, \"bolus_mg\": 1}, {\"start_min\": 40, \"end_min\": 10, "
       "\"rate_mg_per_min\": 1}]",
       "regimen.1.end_min"},
      {"[{\"start_min\": 0, \"end_min\": 10}]", "regimen.0.rate_mg_per_min"},
      {"[{\"start_min\": 0}]", "regimen.0"},
      {"[{\"start_min\": 0, \"end_min\": 100, \"rate_mg_per_min\": 49}, "
       "{\"start_min\": 0, \"end_min\": 100, \"rate_mg_per_min\": 49}]",
       "regimen"},  // 9800 mg in total
  };
  for (const Case& tc : cases) {
    auto r = ParseRegimen(tc.text);
    ASSERT_FALSE(r.ok()) << tc.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), tc.field) << tc.text << ": " << r.status().message();
  }
}

TEST(RegimenJson, FieldsCanBeRootedElsewhere) {
  auto r = RegimenFromJson(nlohmann::json::parse(R"([{"start_min": 0, "bolus_mg": 0}])"),
                           "plan.regimen");
  EXPECT_EQ(r.status().field(), "plan.regimen.0.bolus_mg");
}

TEST(PredictionJson, HasTheShapeTheCliAndApiPromise) {
  auto regimen = pk::Regimen::ConstantInfusion(pk::Milligrams(35), pk::Minutes(40));
  std::vector<pk::Minutes> times = {pk::Minutes(0), pk::Minutes(40), pk::Minutes(120)};
  auto p = pk::Predict(pk::ModelId::kDomino, {Kilograms(70)}, *regimen, times);
  ASSERT_TRUE(p.ok());
  const auto j = PredictionToJson(*p);
  EXPECT_EQ(j["model"], "domino");
  EXPECT_EQ(j["unit"], "ng/mL");
  ASSERT_EQ(j["points"].size(), 3u);
  EXPECT_EQ(j["points"][1]["t_min"], 40);
  EXPECT_NEAR(j["points"][1]["cp"].get<double>(), 240.3596, 1e-4);
  EXPECT_TRUE(j["points"][1].contains("ce"));
  EXPECT_FALSE(j["points"][1].contains("s_norketamine"));
  EXPECT_NEAR(j["cmax"].get<double>(), 240.3596, 1e-4);
  EXPECT_NEAR(j["tmax_min"].get<double>(), 40, 1e-6);
  EXPECT_GT(j["minutes_above_100"].get<double>(), 30);
  EXPECT_GT(j["auc"].get<double>(), 0);
  EXPECT_EQ(j["effect_site"]["ke0_per_min"], 0.084);
  const std::string note = j["note"];
  EXPECT_NE(note.find("surgical patients"), std::string::npos);
  EXPECT_NE(note.find("30 %"), std::string::npos);
  // Keys in a stable order: model first.
  EXPECT_EQ(j.begin().key(), "model");
}

TEST(PredictionJson, NamesTheMetaboliteSeries) {
  auto regimen = pk::Regimen::ConstantInfusion(pk::Milligrams(35), pk::Minutes(40));
  std::vector<pk::Minutes> times = {pk::Minutes(60)};
  auto p = pk::Predict(pk::ModelId::kFantaOtto, {Kilograms(70)}, *regimen, times);
  ASSERT_TRUE(p.ok());
  const auto j = PredictionToJson(*p);
  EXPECT_GT(j["points"][0]["s_norketamine"].get<double>(), 0);
  EXPECT_TRUE(j["s_norketamine"].contains("cmax"));
  EXPECT_EQ(j["series"], "s_ketamine");
  EXPECT_NE(j["note"].get<std::string>().find("S-ketamine"), std::string::npos);
}

TEST(PopulationJson, GivesBandsPerPoint) {
  auto regimen = pk::Regimen::ConstantInfusion(pk::Milligrams(35), pk::Minutes(40));
  std::vector<pk::Minutes> times = {pk::Minutes(20), pk::Minutes(60)};
  pk::PopulationOptions o;
  o.n = 200;
  o.seed = 3;
  auto p = pk::PredictPopulation(pk::ModelId::kClements, {Kilograms(70)}, *regimen, times, o);
  ASSERT_TRUE(p.ok());
  const auto j = PopulationToJson(*p);
  EXPECT_EQ(j["n"], 200);
  EXPECT_EQ(j["seed"], 3);
  const auto& cp = j["points"][0]["cp"];
  EXPECT_LT(cp["p05"].get<double>(), cp["median"].get<double>());
  EXPECT_LT(cp["median"].get<double>(), cp["p95"].get<double>());
  EXPECT_TRUE(j["cmax"].contains("median"));
  EXPECT_EQ(j["variability"].size(), 2u);
  EXPECT_EQ(j["variability"][0]["assumed"], true);
}

TEST(PredictionJson, ThresholdKey) {
  EXPECT_EQ(MinutesAboveKey(pk::NgPerMl(100)), "minutes_above_100");
  EXPECT_EQ(MinutesAboveKey(pk::NgPerMl(62.5)), "minutes_above_62.5");
}

}  // namespace
}  // namespace kclinic::codec
