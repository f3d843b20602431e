#include "kclinic/domain/plausibility.h"

#include <cmath>
#include <cstdio>

namespace kclinic::domain {

namespace {

constexpr std::string_view kPragmatic =
    "CLINICAL.md §9: a pragmatic range for adults, not from a source; outside it the figure is "
    "confirmed before it is stored";

std::string OneDecimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s(buf);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

}  // namespace

const SettingDefinition kPlausibleHeightMinCm{
    "plausibility.height_min_cm", 120, 50, 200, "cm", kPragmatic};
const SettingDefinition kPlausibleHeightMaxCm{
    "plausibility.height_max_cm", 230, 150, 272, "cm", kPragmatic};
const SettingDefinition kPlausibleBmiMin{"plausibility.bmi_min", 12, 5, 25, "kg/m²", kPragmatic};
const SettingDefinition kPlausibleBmiMax{"plausibility.bmi_max", 80, 35, 200, "kg/m²", kPragmatic};

namespace {
const SettingDefinition* const kPlausibilityDefinitions[] = {
    &kPlausibleHeightMinCm, &kPlausibleHeightMaxCm, &kPlausibleBmiMin, &kPlausibleBmiMax};
}  // namespace

std::span<const SettingDefinition* const> PlausibilitySettingDefinitions() {
  return kPlausibilityDefinitions;
}

double BodyMassIndex(Kilograms weight, Centimeters height) {
  const double m = height.value() / 100;
  return weight.value() / (m * m);
}

std::vector<PlausibilityWarning> PlausibilityWarnings(std::optional<Centimeters> height,
                                                      std::optional<Kilograms> weight,
                                                      const SiteSettings& settings,
                                                      const std::string& weight_field) {
  std::vector<PlausibilityWarning> out;
  if (height) {
    const double lo = settings.Get(kPlausibleHeightMinCm), hi = settings.Get(kPlausibleHeightMaxCm);
    if (height->value() < lo || height->value() > hi) {
      out.push_back({"height", "height_cm",
                     "A height of " + OneDecimal(height->value()) + " cm is outside " +
                         OneDecimal(lo) + "-" + OneDecimal(hi) +
                         " cm, the range expected for an adult: check it"});
    }
  }
  if (height && weight && height->value() > 0) {
    const double bmi = BodyMassIndex(*weight, *height);
    const double lo = settings.Get(kPlausibleBmiMin), hi = settings.Get(kPlausibleBmiMax);
    if (bmi < lo || bmi > hi) {
      out.push_back({"bmi", weight_field,
                     OneDecimal(weight->value()) + " kg at " + OneDecimal(height->value()) +
                         " cm is a BMI of " + OneDecimal(bmi) + ", outside " + OneDecimal(lo) +
                         "-" + OneDecimal(hi) + ": check the weight and the height"});
    }
  }
  return out;
}

}  // namespace kclinic::domain
