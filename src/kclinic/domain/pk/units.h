// Units of the PK engine as types (STYLE.md: units in types, not comments). Inside the solver the
// numbers are plain doubles whose names carry the unit; these types are what the public API
// takes and returns.
#pragma once

#include "kclinic/base/units.h"

namespace kclinic {

// The tags follow base/units.h's `Quantity<struct NameTag>` convention, so that if base/ gains one
// of these units its alias and the one below name the very same type.
struct NgPerMlTag;
struct NgMinPerMlTag;
struct LitersTag;
struct LitersPerMinTag;
struct PerMinuteTag;

namespace domain::pk {

using ::kclinic::MgPerMin;                       // infusion rate
using ::kclinic::Milligrams;                     // drug mass
using ::kclinic::Minutes;                        // time since the start of the regimen
using NgPerMl = Quantity<NgPerMlTag>;            // concentration (= µg/L)
using NgMinPerMl = Quantity<NgMinPerMlTag>;      // area under a concentration curve
using Liters = Quantity<LitersTag>;              // volume of distribution
using LitersPerMin = Quantity<LitersPerMinTag>;  // clearance
using PerMinute = Quantity<PerMinuteTag>;        // first-order rate constant

}  // namespace domain::pk
}  // namespace kclinic
