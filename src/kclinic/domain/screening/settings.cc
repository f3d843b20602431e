#include "kclinic/domain/settings.h"

namespace kclinic::domain {

std::span<const SettingDefinition> ScreeningSettingDefinitions() { return {}; }

}  // namespace kclinic::domain
