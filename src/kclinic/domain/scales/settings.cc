#include "kclinic/domain/settings.h"

namespace kclinic::domain {

std::span<const SettingDefinition> MeasurementSettingDefinitions() { return {}; }

}  // namespace kclinic::domain
