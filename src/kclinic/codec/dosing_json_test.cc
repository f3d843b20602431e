#include "kclinic/codec/dosing_json.h"

#include <gtest/gtest.h>

namespace kclinic::codec {
namespace {

namespace ds = domain::dosing;

nlohmann::json Body() {
  return {{"weight_kg", 70},  {"height_cm", 175},  {"sex", "male"},
          {"mg_per_kg", 0.5}, {"basis", "actual"}, {"concentration_mg_per_ml", 1},
          {"minutes", 40}};
}

TEST(DosingCodec, RequestErrorsNameTheField) {
  struct Case {
    std::string key;
    nlohmann::json value;  // null erases the member
    std::string field;
  };
  const Case cases[] = {
      {"weight_kg", nullptr, "weight_kg"},
      {"weight_kg", "70", "weight_kg"},
      {"sex", "other", "sex"},
      {"basis", "lean", "basis"},
      {"minutes", true, "minutes"},
      {"extra", 1, "extra"},
      {"concentration_mg_per_ml", nullptr, "concentration_mg_per_ml"},
  };
  for (const auto& c : cases) {
    auto body = Body();
    if (c.value.is_null()) {
      body.erase(c.key);
    } else {
      body[c.key] = c.value;
    }
    auto r = DoseRequestFromJson(body);
    ASSERT_FALSE(r.ok()) << c.key;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), c.field) << r.status().message();
  }
}

TEST(DosingCodec, PlanJsonHasTheCliFields) {
  auto req = DoseRequestFromJson(Body());
  ASSERT_TRUE(req.ok());
  auto plan = ds::PlanDose(*req, domain::SiteSettings());
  ASSERT_TRUE(plan.ok());
  auto j = DosePlanToJson(*plan);
  for (auto key : {"dosing_weight_kg", "dose_mg", "volume_ml", "rate_ml_per_h", "rate_mg_per_min",
                   "bmi", "ideal_body_weight_kg", "adjusted_body_weight_kg", "bmi_prompt"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_DOUBLE_EQ(j["dose_mg"].get<double>(), 35);
  EXPECT_DOUBLE_EQ(j["rate_ml_per_h"].get<double>(), 52.5);
  EXPECT_EQ(j["bmi_prompt"], false);
  EXPECT_EQ(j["basis"], "actual");
}

TEST(DosingCodec, TitrationRequestAndSuggestion) {
  auto r = TitrationRequestFromJson(nlohmann::json::parse(R"({"baseline_phq9": 20, "history": [
      {"mg_per_kg": 0.5, "minutes": 40, "phq9_after": 18},
      {"mg_per_kg": 0.5, "minutes": 40, "phq9_after": 17, "events": []}]})"));
  ASSERT_TRUE(r.ok()) << r.status().field();
  auto s = ds::SuggestTitration(r->history, r->baseline_phq9, domain::SiteSettings());
  ASSERT_TRUE(s.ok());
  auto j = TitrationSuggestionToJson(*s);
  EXPECT_EQ(j["action"], "step_up");
  EXPECT_NEAR(j["mg_per_kg"].get<double>(), 0.6, 1e-12);
  EXPECT_NEAR(j["improvement_percent"].get<double>(), 15, 1e-12);

  struct Case {
    std::string body;
    std::string field;
  };
  const Case cases[] = {
      {R"({})", "history"},
      {R"({"history": {}})", "history"},
      {R"({"history": [], "x": 1})", "x"},
      {R"({"history": [{"minutes": 40}]})", "history[0].mg_per_kg"},
      {R"({"history": [{"mg_per_kg": 0.5, "minutes": 40, "events": ["hiccups"]}]})",
       "history[0].events[0]"},
      {R"({"history": [{"mg_per_kg": 0.5, "minutes": 40, "phq9_after": "x"}]})",
       "history[0].phq9_after"},
      {R"({"history": [{"mg_per_kg": 0.5, "minutes": 40, "note": "x"}]})", "history[0].note"},
  };
  for (const auto& c : cases) {
    auto bad = TitrationRequestFromJson(nlohmann::json::parse(c.body));
    ASSERT_FALSE(bad.ok()) << c.body;
    EXPECT_EQ(bad.status().field(), c.field) << c.body;
  }
}

}  // namespace
}  // namespace kclinic::codec
