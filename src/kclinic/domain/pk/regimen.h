// A dosing regimen: any number of IV boluses and constant-rate infusions, overlapping allowed,
// and the piecewise-constant input it amounts to. Times are minutes from the start of the
// regimen.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/domain/pk/units.h"

namespace kclinic::domain::pk {

// One line of a regimen: a bolus at `start`, an infusion from `start` to `end` at `rate`, or
// both (a loading bolus at the start of an infusion). Mirrors the regimen JSON
// {"start_min", "bolus_mg", "end_min", "rate_mg_per_min"}.
struct DoseEntry {
  Minutes start;
  std::optional<Milligrams> bolus;
  std::optional<Minutes> end;
  std::optional<MgPerMin> rate;
};

// Plausibility bounds: beyond them an entry is a typo, not a ketamine regimen. They are not site
// dose caps (those live in domain/dosing).
inline constexpr double kMaxRegimenMinutes = 7 * 24 * 60;  // one week
inline constexpr double kMaxBolusMg = 1000;
inline constexpr double kMaxRateMgPerMin = 50;  // 3 g/h
inline constexpr double kMaxTotalMg = 5000;
inline constexpr size_t kMaxEntries = 1000;

// From `start` on, `bolus_mg` is given at once and `rate_mg_per_min` runs until the next
// segment's start (the last segment runs for ever, normally at rate 0).
struct InputSegment {
  double start_min = 0;
  double bolus_mg = 0;
  double rate_mg_per_min = 0;
};

// A validated regimen. Immutable.
class Regimen {
 public:
  // Validates `entries`. InvalidArgument naming the field as "regimen.<index>.<key>":
  // start_min negative or beyond a week; bolus_mg not positive or above kMaxBolusMg;
  // end_min without rate_mg_per_min or the reverse; end_min not after start_min or beyond a
  // week; rate_mg_per_min not positive or above kMaxRateMgPerMin; an entry with neither a bolus
  // nor an infusion. "regimen" when there are no entries, more than kMaxEntries, or the total
  // exceeds kMaxTotalMg. Every number must be finite.
  static Result<Regimen> Create(std::vector<DoseEntry> entries);

  // `total` given evenly over `duration` from time 0: the usual 0.5 mg/kg over 40 min.
  // Validated like Create, with "dose_mg" and "minutes" as the fields.
  static Result<Regimen> ConstantInfusion(Milligrams total, Minutes duration);

  const std::vector<DoseEntry>& entries() const { return entries_; }
  Milligrams total() const { return Milligrams(total_mg_); }

  // The input as segments sorted by start, one per time at which anything starts or stops; the
  // first starts at the earliest such time. Overlapping infusions add up. A rate is the exact sum
  // of the infusions running (no running sum), so that it is exactly 0 when none runs.
  const std::vector<InputSegment>& segments() const { return segments_; }

  // The same regimen with every dose and rate multiplied by `factor` (e.g. a weight in kg for a
  // regimen written per kg). Not re-validated.
  Regimen Scaled(double factor) const;

 private:
  Regimen() = default;
  std::vector<DoseEntry> entries_;
  std::vector<InputSegment> segments_;
  double total_mg_ = 0;
};

}  // namespace kclinic::domain::pk
