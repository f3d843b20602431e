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

}  // namespace kclinic
