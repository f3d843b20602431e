// For tests: gtest names a setting by its key in a failure message (found by argument-dependent
// lookup). Kept out of settings.h so that the header most of the program includes stays lean.
#pragma once

#include <ostream>

#include "kclinic/domain/settings.h"

namespace kclinic::domain {

inline std::ostream& operator<<(std::ostream& os, const SettingDefinition& setting) {
  return os << setting.key;
}

}  // namespace kclinic::domain
