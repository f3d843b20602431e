// JSON for the domain's coded enums (base/enum_codes.h): an enum is written as its code, never as
// a number (the build defines JSON_DISABLE_ENUM_SERIALIZATION, so an enum without codes does not
// compile into JSON). Include it where records with statuses are rendered.
#pragma once

#include <string>

#include "kclinic/base/enum_codes.h"

namespace kclinic::domain {

// Found by argument-dependent lookup from nlohmann::json for every coded enum of domain/.
template <typename Json, CodedEnum E>
void to_json(Json& j, E e) {
  j = std::string(Code(e));
}

}  // namespace kclinic::domain
