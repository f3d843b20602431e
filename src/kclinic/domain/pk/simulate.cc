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

namespace {

// (-1)^k/(k+2)! for the series of Phi2.
constexpr std::array<double, 18> kPhi2Series = [] {
  std::array<double, 18> c{};
  double factorial = 2;  // (k+2)! at k = 0
  for (int k = 0; k < 18; ++k) {
    c[k] = (k % 2 ? -1 : 1) / factorial;
    factorial *= k + 3;
  }
  return c;
}();

}  // namespace

double Phi2(double z) {
  if (z < 0.5) {
    // Σ_k (-z)^k/(k+2)! by Horner: 18 terms leave less than 0.5^18/20! of error.
    double sum = 0;
    for (int k = 17; k >= 0; --k) sum = sum * z + kPhi2Series[k];
    return sum;
  }
  return (z + std::expm1(-z)) / (z * z);
}

double Phi1FromDecay(double z, double decay) { return z > 1e-3 ? (1 - decay) / z : Phi1(z); }

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
  const int n = disposition_.exponent_count;
  for (size_t k = 0; k < times_min.size(); ++k) {
    const int s = SegmentAt(times_min[k]);
    if (s < 0) continue;  // before any input: 0
    // One step from the segment's start gives the modal states; every output is a sum of them.
    const InputSegment& segment = segments_[s];
    const double dt = times_min[k] - segment.start_min;
    std::array<double, kMaxExponents> x{};
    for (int i = 0; i < n; ++i) {
      const double z = disposition_.lambda_per_min[i] * dt;
      const double decay = std::exp(-z);
      x[i] = states_[s][i] * decay + segment.rate_mg_per_min * dt * Phi1FromDecay(z, decay);
    }
    for (int o = 0; o < disposition_.output_count; ++o) {
      const auto& c = disposition_.ng_per_ml_per_mg[o];
      double y = 0;
      for (int i = 0; i < n; ++i) y += c[i] * x[i];
      out[o][k] = y;
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
  // One point per grid time and segment start: its time, the segment in force just after it,
  // and every output just before and just after it (they differ at a bolus).
  struct ScanPoint {
    double t;
    int segment;
    std::array<double, kMaxOutputs> before, after;
  };
  std::vector<ScanPoint> points(steps + segments.size() + 2);
  size_t count = 0;
  std::array<double, kMaxExponents> x{};
  std::array<double, kMaxOutputs> area{};
  double rate = 0, t = 0;
  size_t next_segment = 0;
  int segment = -1;
  auto outputs_now = [&](std::array<double, kMaxOutputs>& y) {
    for (int o = 0; o < outputs; ++o) {
      double sum = 0;
      for (int i = 0; i < n; ++i) sum += c[o][i] * x[i];
      y[o] = sum;
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
  {
    ScanPoint& first = points[count++];
    outputs_now(first.before);
    enter_segments_at(0);
    outputs_now(first.after);
    first.t = 0;
    first.segment = segment;
  }
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
      for (int i = 0; i < n; ++i)
        a += c[o][i] * (x[i] * local.input[i] + rate * local.input_area[i]);
      area[o] += a;
    }
    for (int i = 0; i < n; ++i) x[i] = x[i] * local.decay[i] + rate * local.input[i];
    ScanPoint& point = points[count++];
    outputs_now(point.before);
    enter_segments_at(target);
    outputs_now(point.after);
    point.t = target;
    point.segment = segment;
    t = target;
    if (on_grid) ++k;
  }
  points.resize(count);

  for (int o = 0; o < outputs; ++o) {
    const Output out = static_cast<Output>(o);
    Exposure& e = result[o];
    e.auc = NgMinPerMl(area[o]);
    // Peak: the best scanned point, then each neighbouring step (smooth inside) refined.
    size_t best = 0;
    double cmax = points[0].after[o], tmax = 0;
    for (size_t p = 0; p < points.size(); ++p) {
      const double y = std::max(points[p].after[o], points[p].before[o]);
      if (y > cmax) {
        cmax = y;
        tmax = points[p].t;
        best = p;
      }
    }
    for (size_t p : {best, best + 1}) {
      if (p == 0 || p >= points.size()) continue;
      // Inside one step a single segment is in force, up to and including its right end.
      const int seg = points[p - 1].segment;
      auto [t_peak, c_peak] =
          GoldenMax([&](double time) { return trajectory.ValueInSegment(out, seg, time); },
                    points[p - 1].t, points[p].t);
      if (c_peak > cmax) {
        cmax = c_peak;
        tmax = t_peak;
      }
    }
    e.cmax = NgPerMl(cmax);
    e.tmax = Minutes(tmax);

    // Time above the threshold: whole steps above it, plus the part of each step it crosses in.
    double above = 0;
    for (size_t p = 0; p + 1 < points.size(); ++p) {
      const double a = points[p].after[o] - threshold_ng_per_ml;
      const double b = points[p + 1].before[o] - threshold_ng_per_ml;
      const double t0 = points[p].t, t1 = points[p + 1].t;
      if (a > 0 && b > 0) {
        above += t1 - t0;
      } else if ((a > 0) != (b > 0)) {
        double lo = t0, hi = t1;  // the crossing lies in (lo, hi)
        while (hi - lo > kTimeTolerance) {
          const double mid = (lo + hi) / 2;
          const bool mid_above =
              trajectory.ValueInSegment(out, points[p].segment, mid) > threshold_ng_per_ml;
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
