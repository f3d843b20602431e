#include "kclinic/domain/plausibility.h"

#include <gtest/gtest.h>

namespace kclinic::domain {
namespace {

std::vector<std::string> Codes(const std::vector<PlausibilityWarning>& w) {
  std::vector<std::string> out;
  for (const auto& x : w) out.push_back(x.code);
  return out;
}

TEST(Plausibility, Table) {
  using V = std::vector<std::string>;
  struct Case {
    std::optional<double> cm, kg;
    V codes;
  };
  const Case cases[] = {
      {165, 70, {}},            // BMI 25.7
      {std::nullopt, 640, {}},  // no height: no BMI (the dose calculation's bounds still apply)
      {120, 40, {}},            // the height range's ends are plausible
      {230, 110, {}},
      {119.9, 40, {"height"}},
      {30, std::nullopt, {"height"}},
      {150, 640, {"bmi"}},  // BMI 284
      {150, 180, {}},       // BMI 80.0: the end of the range
      {150, 181, {"bmi"}},
      {180, 38, {"bmi"}},  // BMI 11.7
      {30, 70, {"height", "bmi"}},
  };
  for (const auto& c : cases) {
    auto w = PlausibilityWarnings(c.cm ? std::optional(Centimeters(*c.cm)) : std::nullopt,
                                  c.kg ? std::optional(Kilograms(*c.kg)) : std::nullopt,
                                  SiteSettings(), "weight.kg");
    EXPECT_EQ(Codes(w), c.codes) << c.cm.value_or(-1) << " cm, " << c.kg.value_or(-1) << " kg";
  }
}

TEST(Plausibility, MessagesNameTheFigureAndTheRange) {
  auto w = PlausibilityWarnings(Centimeters(150), Kilograms(640), SiteSettings(), "weight.kg");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].field, "weight.kg");
  EXPECT_EQ(w[0].message,
            "640 kg at 150 cm is a BMI of 284.4, outside 12-80: check the weight and the height");
  w = PlausibilityWarnings(Centimeters(30), std::nullopt, SiteSettings(), "kg");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].field, "height_cm");
  EXPECT_EQ(w[0].message,
            "A height of 30 cm is outside 120-230 cm, the range expected for an adult: check it");
}

TEST(Plausibility, TheRangesAreSiteSettings) {
  SiteSettings wide(
      3, {{std::string(kPlausibleBmiMax), 120}, {std::string(kPlausibleHeightMinCm), 100}});
  EXPECT_TRUE(PlausibilityWarnings(Centimeters(110), Kilograms(100), wide, "kg").empty());
  EXPECT_EQ(Codes(PlausibilityWarnings(Centimeters(110), Kilograms(100), SiteSettings(), "kg")),
            (std::vector<std::string>{"height", "bmi"}));
  for (const SettingDefinition* d : PlausibilitySettingDefinitions()) {
    EXPECT_EQ(FindSetting(d->key), d) << d->key;
    EXPECT_FALSE(d->citation.empty());
  }
}

}  // namespace
}  // namespace kclinic::domain
