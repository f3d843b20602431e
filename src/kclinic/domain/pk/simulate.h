// The exact piecewise solution (PK.md §2.3). With the disposition written as Σ c_oi·exp(-λi·t),
// one "modal" state x_i per exponent carries the whole history:
//   over a step of length dt at constant rate R (mg/min), after a bolus B (mg) at its start,
//   x_i ← x_i·exp(-λi·dt) + B + R·(1 - exp(-λi·dt))/λi,      y_o = Σ_i c_oi·x_i.
// This is exact for any mix of boluses and infusions; there is no integration error and no step
// size. A bolus at time t counts at t (concentrations are right-continuous).
#pragma once

#include <span>
#include <vector>

#include "kclinic/domain/pk/disposition.h"
#include "kclinic/domain/pk/regimen.h"

namespace kclinic::domain::pk {

// (1 - exp(-z))/z and (z - 1 + exp(-z))/z², accurate for small z too: the factors of one step,
// R·dt·Phi1(λ·dt) for the input and R·dt²·Phi2(λ·dt) for its integral.
double Phi1(double z);
double Phi2(double z);
// Phi1(z) from exp(-z) already at hand: above z = 1e-3, 1 - exp(-z) loses at most eps/z ≈ 2e-13
// relative, and it saves an expm1 call on the hot paths.
double Phi1FromDecay(double z, double decay);

// One patient's solution under one regimen: the modal states at the start of every input
// segment, from which any time is one step away. Cheap to copy; thread-compatible.
class Trajectory {
 public:
  Trajectory(const Disposition& disposition, std::span<const InputSegment> segments);

  const Disposition& disposition() const { return disposition_; }
  int output_count() const { return disposition_.output_count; }

  // Output `o` at time `t_min` (>= 0); a bolus at exactly t_min is included.
  double Value(Output o, double t_min) const;
  // The limit from the left at `t_min` (excludes a bolus given at exactly t_min).
  double ValueBefore(Output o, double t_min) const;

  // Output `o` at `t_min` from the state of segment `segment` (an index into segments(); -1 for
  // before the first, giving 0), whether or not that segment is still in force at t_min.
  double ValueInSegment(Output o, int segment, double t_min) const;

  // Every output at each of `times_min` (any order, each >= 0), by the step recursion over the
  // sorted times. Result: [output][time index], ng/mL.
  std::vector<std::vector<double>> Sample(std::span<const double> times_min) const;

  // The exact area under output `o` from 0 to `t_end_min`, ng·min/mL.
  double Area(Output o, double t_end_min) const;

  // The input segments (starts sorted), as given.
  std::span<const InputSegment> segments() const { return segments_; }

 private:
  // Index of the segment in force at t (the last with start <= t), or -1 before the first.
  int SegmentAt(double t_min) const;

  Disposition disposition_;
  std::vector<InputSegment> segments_;
  // states_[s][i]: x_i just after the bolus at the start of segment s.
  std::vector<std::array<double, kMaxExponents>> states_;
};

// Peak, time of peak, time above a threshold and area of one output over [0, t_end].
struct Exposure {
  NgPerMl cmax;
  Minutes tmax;
  Minutes above_threshold;
  NgMinPerMl auc;
};

// Exposure of every output over [0, t_end_min], indexed by Output. The curve is scanned once on
// a grid of 512-8192 steps (at most 0.5 min apart up to 68 h) that includes every segment start;
// the best grid point is refined by golden-section search within its two neighbouring steps and
// every threshold crossing by bisection, both to 1e-7 min. A peak or a crossing that begins and
// ends within one grid step is not seen. The area is exact. A peak at a bolus is the value just
// after it.
std::array<Exposure, kMaxOutputs> MeasureExposures(const Trajectory& trajectory, double t_end_min,
                                                   double threshold_ng_per_ml);

}  // namespace kclinic::domain::pk
