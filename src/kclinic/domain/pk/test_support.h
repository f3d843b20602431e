// Internal to the PK tests: the small builders every one of them uses.
#pragma once

#include <initializer_list>
#include <optional>
#include <vector>

#include "kclinic/domain/pk/regimen.h"

namespace kclinic::domain::pk::test {

// Sample times in minutes.
inline std::vector<Minutes> Times(std::initializer_list<double> t) {
  std::vector<Minutes> out;
  for (double x : t) out.push_back(Minutes(x));
  return out;
}

// The usual induction infusion: 0.5 mg/kg over 40 min at 70 kg.
inline Regimen UsualInfusion() {
  return Regimen::ConstantInfusion(Milligrams(35), Minutes(40)).value();
}

// A bolus of `mg` at minute `t`.
inline DoseEntry Bolus(double t, double mg) {
  return {Minutes(t), Milligrams(mg), std::nullopt, std::nullopt};
}

// An infusion of `rate` mg/min from minute `start` to minute `end`.
inline DoseEntry Infusion(double start, double end, double rate) {
  return {Minutes(start), std::nullopt, Minutes(end), MgPerMin(rate)};
}

}  // namespace kclinic::domain::pk::test
