#include "kclinic/domain/pk/simulate.h"

#include <algorithm>
#include <cmath>

namespace kclinic::domain::pk {

namespace {

constexpr double kTimeTolerance = 1e-7;  // minutes (6 ms); refinement stops here

// Per exponent over one step of length dt: exp(-λdt), dt·Phi1(λdt), dt²·Phi2(λdt).
struct StepFactors {
  std::array<double, kMaxExponents> decay{}, input{}, input_area{};
};

// Phi1(z) given exp(-z): above z = 1e-3, 1 - exp(-z) loses at most eps/z ≈ 2e-13 relative, and
// saves an expm1 call on the hot paths.
inline double Phi1FromDecay(double z, double decay) {
  return z > 1e-3 ? (1 - decay) / z : Phi1(z);
}

StepFactors Factors(const Disposition& d, double dt) {
  StepFactors f;
  for (int i = 0; i < d.exponent_count; ++i) {
    const double z = d.lambda_per_min[i] * dt;
    f.decay[i] = std::exp(-z);
    f.input[i] = dt * Phi1FromDecay(z, f.decay[i]);
    f.input_area[i] = dt * dt * Phi2(z);
  }
  return f;
}

// Golden-section search for the maximum of f on [a, b] (f unimodal there).
template <typename F>
std::pair<double, double> GoldenMax(F f, double a, double b) {
  const double r = (std::sqrt(5.0) - 1) / 2;
  double c = b - r * (b - a), d = a + r * (b - a);
  double fc = f(c), fd = f(d);
  while (b - a > kTimeTolerance) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return fc >= fd ? std::pair{c, fc} : std::pair{d, fd};
}

}  // namespace

double Phi1(double z) {
  if (z == 0) return 1;
  return -std::expm1(-z) / z;
}

double Phi2(double z) {
  if (z < 0.5) {
    // Σ_k (-z)^k/(k+2)!: 20 terms leave less than 0.5^20/22! of error.
    double sum = 0, term = 1.0 / 2;  // k = 0
    for (int k = 0; k < 20; ++k) {
      sum += term;
      term *= -z / (k + 3);
    }
    return sum;
  }
  return (z + std::expm1(-z)) / (z * z);
}

Trajectory::Trajectory(const Disposition& disposition, std::span<const InputSegment> segments)
    : disposition_(disposition), segments_(segments.begin(), segments.end()) {
  const int n = disposition_.exponent_count;
  states_.resize(segments_.size());
  std::array<double, kMaxExponents> x{};
  for (size_t s = 0; s < segments_.size(); ++s) {
    if (s > 0) {
      const InputSegment& prev = segments_[s - 1];
      const StepFactors f = Factors(disposition_, segments_[s].start_min - prev.start_min);
      for (int i = 0; i < n; ++i) x[i] = x[i] * f.decay[i] + prev.rate_mg_per_min * f.input[i];
    }
    for (int i = 0; i < n; ++i) x[i] += segments_[s].bolus_mg;
    states_[s] = x;
  }
}

int Trajectory::SegmentAt(double t_min) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), t_min,
                             [](double t, const InputSegment& s) { return t < s.start_min; });
  return static_cast<int>(it - segments_.begin()) - 1;
}

double Trajectory::ValueInSegment(Output o, int segment, double t_min) const {
  if (segment < 0) return 0;
  const InputSegment& s = segments_[segment];
  const double dt = t_min - s.start_min;
  const auto& c = disposition_.ng_per_ml_per_mg[static_cast<int>(o)];
  const auto& x = states_[segment];
  double y = 0;
  for (int i = 0; i < disposition_.exponent_count; ++i) {
    const double z = disposition_.lambda_per_min[i] * dt;
    const double decay = std::exp(-z);
    y += c[i] * (x[i] * decay + s.rate_mg_per_min * dt * Phi1FromDecay(z, decay));
  }
  return y;
}

double Trajectory::Value(Output o, double t_min) const {
  return ValueInSegment(o, SegmentAt(t_min), t_min);
}

double Trajectory::ValueBefore(Output o, double t_min) const {
  auto it = std::lower_bound(segments_.begin(), segments_.end(), t_min,
                             [](const InputSegment& s, double t) { return s.start_min < t; });
  return ValueInSegment(o, static_cast<int>(it - segments_.begin()) - 1, t_min);
}

std::vector<std::vector<double>> Trajectory::Sample(std::span<const double> times_min) const {
  std::vector<std::vector<double>> out(disposition_.output_count,
                                       std::vector<double>(times_min.size()));
  for (size_t k = 0; k < times_min.size(); ++k) {
    const int s = SegmentAt(times_min[k]);
    for (int o = 0; o < disposition_.output_count; ++o) {
      out[o][k] = ValueInSegment(static_cast<Output>(o), s, times_min[k]);
    }
  }
  return out;
}

double Trajectory::Area(Output o, double t_end_min) const {
  const auto& c = disposition_.ng_per_ml_per_mg[static_cast<int>(o)];
  double area = 0;
  for (size_t s = 0; s < segments_.size() && segments_[s].start_min < t_end_min; ++s) {
    const double end =
        s + 1 < segments_.size() ? std::min(segments_[s + 1].start_min, t_end_min) : t_end_min;
    const StepFactors f = Factors(disposition_, end - segments_[s].start_min);
    for (int i = 0; i < disposition_.exponent_count; ++i) {
      area += c[i] * (states_[s][i] * f.input[i] + segments_[s].rate_mg_per_min * f.input_area[i]);
    }
  }
  return area;
}

std::array<Exposure, kMaxOutputs> MeasureExposures(const Trajectory& trajectory, double t_end_min,
                                                   double threshold_ng_per_ml) {
  const Disposition& d = trajectory.disposition();
  const int n = d.exponent_count, outputs = d.output_count;
  const auto& c = d.ng_per_ml_per_mg;
  const std::span<const InputSegment> segments = trajectory.segments();
  std::array<Exposure, kMaxOutputs> result{};
  if (!(t_end_min > 0)) {
    for (int o = 0; o < outputs; ++o) {
      result[o].cmax = NgPerMl(trajectory.Value(static_cast<Output>(o), 0));
    }
    return result;
  }

  // The scan: a uniform grid merged with the segment starts, advanced by the step recursion
  // with the grid step's factors computed once. One pass serves every output, since they are
  // all linear in the same modal states.
  const int steps = std::clamp(static_cast<int>(std::ceil(t_end_min / 0.5)), 512, 8192);
  const double h = t_end_min / steps;
  const StepFactors grid = Factors(d, h);
  const size_t capacity = steps + segments.size() + 2;
  std::vector<double> times;
  std::vector<int> segment_after;  // segment in force just after each point
  std::array<std::vector<double>, kMaxOutputs> before, after;
  times.reserve(capacity);
  segment_after.reserve(capacity);
  for (int o = 0; o < outputs; ++o) {
    before[o].reserve(capacity);
    after[o].reserve(capacity);
  }
  std::array<double, kMaxExponents> x{};
  std::array<double, kMaxOutputs> area{};
  double rate = 0, t = 0;
  size_t next_segment = 0;
  int segment = -1;
  auto record = [&](std::array<std::vector<double>, kMaxOutputs>& into) {
    for (int o = 0; o < outputs; ++o) {
      double y = 0;
      for (int i = 0; i < n; ++i) y += c[o][i] * x[i];
      into[o].push_back(y);
    }
  };
  auto enter_segments_at = [&](double time) {
    while (next_segment < segments.size() &&
           segments[next_segment].start_min <= time + kTimeTolerance) {
      for (int i = 0; i < n; ++i) x[i] += segments[next_segment].bolus_mg;
      rate = segments[next_segment].rate_mg_per_min;
      segment = static_cast<int>(next_segment++);
    }
  };
  record(before);
  enter_segments_at(0);
  record(after);
  times.push_back(0);
  segment_after.push_back(segment);
  int k = 0;
  while (t < t_end_min) {
    double target = std::min(t_end_min, (k + 1) * h);
    bool on_grid = true;
    if (next_segment < segments.size() &&
        segments[next_segment].start_min < target - kTimeTolerance) {
      target = segments[next_segment].start_min;
      on_grid = false;
    }
    const double dt = target - t;
    const StepFactors local = on_grid && std::abs(dt - h) <= 1e-12 * h ? grid : Factors(d, dt);
    for (int o = 0; o < outputs; ++o) {
      double a = 0;
      for (int i = 0; i < n; ++i) a += c[o][i] * (x[i] * local.input[i] + rate * local.input_area[i]);
      area[o] += a;
    }
    for (int i = 0; i < n; ++i) x[i] = x[i] * local.decay[i] + rate * local.input[i];
    record(before);
    enter_segments_at(target);
    record(after);
    times.push_back(target);
    segment_after.push_back(segment);
    t = target;
    if (on_grid) ++k;
  }

  for (int o = 0; o < outputs; ++o) {
    const Output out = static_cast<Output>(o);
    Exposure& e = result[o];
    e.auc = NgMinPerMl(area[o]);
    // Peak: the best scanned point, then each neighbouring step (smooth inside) refined.
    size_t best = 0;
    double cmax = after[o][0], tmax = 0;
    for (size_t p = 0; p < times.size(); ++p) {
      const double y = std::max(after[o][p], before[o][p]);
      if (y > cmax) {
        cmax = y;
        tmax = times[p];
        best = p;
      }
    }
    for (size_t p : {best, best + 1}) {
      if (p == 0 || p >= times.size()) continue;
      // Inside one step a single segment is in force, up to and including its right end.
      const int seg = segment_after[p - 1];
      auto [t_peak, c_peak] =
          GoldenMax([&](double time) { return trajectory.ValueInSegment(out, seg, time); },
                    times[p - 1], times[p]);
      if (c_peak > cmax) {
        cmax = c_peak;
        tmax = t_peak;
      }
    }
    e.cmax = NgPerMl(cmax);
    e.tmax = Minutes(tmax);

    // Time above the threshold: whole steps above it, plus the part of each step it crosses in.
    double above = 0;
    for (size_t p = 0; p + 1 < times.size(); ++p) {
      const double a = after[o][p] - threshold_ng_per_ml;
      const double b = before[o][p + 1] - threshold_ng_per_ml;
      const double t0 = times[p], t1 = times[p + 1];
      if (a > 0 && b > 0) {
        above += t1 - t0;
      } else if ((a > 0) != (b > 0)) {
        double lo = t0, hi = t1;  // the crossing lies in (lo, hi)
        while (hi - lo > kTimeTolerance) {
          const double mid = (lo + hi) / 2;
          const bool mid_above =
              trajectory.ValueInSegment(out, segment_after[p], mid) > threshold_ng_per_ml;
          if (mid_above == (a > 0)) {
            lo = mid;
          } else {
            hi = mid;
          }
        }
        above += a > 0 ? (lo + hi) / 2 - t0 : t1 - (lo + hi) / 2;
      }
    }
    e.above_threshold = Minutes(above);
  }
  return result;
}

}  // namespace kclinic::domain::pk
