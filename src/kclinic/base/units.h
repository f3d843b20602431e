// Physical quantities as types so that units live in the type system, not in comments (STYLE.md).
// Convert at the edges, once.
#pragma once

#include <compare>

namespace kclinic {

template <typename Tag>
class Quantity {
 public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(double value) : value_(value) {}
  constexpr double value() const { return value_; }
  friend constexpr auto operator<=>(Quantity, Quantity) = default;

 private:
  double value_ = 0;
};

using Kilograms = Quantity<struct KilogramsTag>;
using Centimeters = Quantity<struct CentimetersTag>;

// Dosing and infusion quantities (domain/dosing/). Each names its unit; arithmetic happens on
// value() inside the function that owns the formula.
using Milligrams = Quantity<struct MilligramsTag>;
using MgPerKg = Quantity<struct MgPerKgTag>;
using MgPerMl = Quantity<struct MgPerMlTag>;
using Milliliters = Quantity<struct MillilitersTag>;
using MlPerHour = Quantity<struct MlPerHourTag>;
using MgPerMin = Quantity<struct MgPerMinTag>;
using Minutes = Quantity<struct MinutesTag>;
// Body-mass index, kg/m².
using KgPerM2 = Quantity<struct KgPerM2Tag>;
// Blood pressure, mmHg.
using MmHg = Quantity<struct MmHgTag>;
// Heart rate, beats per minute.
using BeatsPerMinute = Quantity<struct BeatsPerMinuteTag>;

}  // namespace kclinic
