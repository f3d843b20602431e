// Figures a person can mistype that are possible but implausible for an adult patient (CLINICAL.md
// §9): a height of 30 cm, 640 kg at 150 cm. Registration and a new weight store them only once the
// person entering them confirms; the dose calculation has its own hard bounds (dosing.h), which
// screening applies too.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kclinic/base/units.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain {

// The plausible ranges, site settings (pragmatic, not from a source: their citations say so).
extern const SettingDefinition kPlausibleHeightMinCm;  // "plausibility.height_min_cm"
extern const SettingDefinition kPlausibleHeightMaxCm;  // "plausibility.height_max_cm"
extern const SettingDefinition kPlausibleBmiMin;       // "plausibility.bmi_min"
extern const SettingDefinition kPlausibleBmiMax;       // "plausibility.bmi_max"
std::span<const SettingDefinition* const> PlausibilitySettingDefinitions();

// One figure to confirm before it is stored. Codes: height, bmi, duplicate (the last is the
// caller's: a record with the same name and birth date).
struct PlausibilityWarning {
  std::string code;
  std::string field;    // the request field at fault ("height_cm", "weight.kg")
  std::string message;  // for the person entering it, in words
  friend bool operator==(const PlausibilityWarning&, const PlausibilityWarning&) = default;
};

// Body mass index, kg/m².
double BodyMassIndex(Kilograms weight, Centimeters height);

// The warnings for a height and a weight (either may be absent: the BMI needs both).
// `weight_field` names the weight in the request ("weight.kg" at registration, "kg" for a new
// weight).
std::vector<PlausibilityWarning> PlausibilityWarnings(std::optional<Centimeters> height,
                                                      std::optional<Kilograms> weight,
                                                      const SiteSettings& settings,
                                                      const std::string& weight_field);

}  // namespace kclinic::domain
