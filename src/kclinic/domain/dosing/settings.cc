#include "kclinic/domain/settings.h"

namespace kclinic::domain {

std::span<const SettingDefinition> DosingSettingDefinitions() { return {}; }

}  // namespace kclinic::domain
