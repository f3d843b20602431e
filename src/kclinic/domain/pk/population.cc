#include "kclinic/domain/pk/population.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "kclinic/domain/pk/parallel.h"

namespace kclinic::domain::pk {

namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

Quantiles QuantilesOf(std::span<double> values) {
  return {Quantile(values, 0.05), Quantile(values, 0.5), Quantile(values, 0.95)};
}

// Per output: patient-major values [patient][time] and per-patient exposure.
struct OutputStore {
  std::vector<double> values;
  std::vector<double> cmax, tmax, above, auc;
};

}  // namespace

NormalSource::NormalSource(uint64_t seed, uint64_t stream)
    : state_(Mix(seed ^ Mix((stream + 1) * kGolden))) {}

uint64_t NormalSource::NextBits() {
  state_ += kGolden;
  return Mix(state_);
}

double NormalSource::Uniform() { return (static_cast<double>(NextBits() >> 11) + 0.5) * 0x1p-53; }

double NormalSource::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double r = std::sqrt(-2 * std::log(Uniform()));
  const double theta = 2 * std::numbers::pi * Uniform();
  spare_ = r * std::sin(theta);
  has_spare_ = true;
  return r * std::cos(theta);
}

double Quantile(std::span<double> values, double p) {
  if (values.empty()) return 0;
  const double h = (values.size() - 1) * p;
  const size_t lo = static_cast<size_t>(std::floor(h));
  std::nth_element(values.begin(), values.begin() + lo, values.end());
  const double x_lo = values[lo];
  if (lo + 1 >= values.size()) return x_lo;
  const double x_hi = *std::min_element(values.begin() + lo + 1, values.end());
  return x_lo + (h - lo) * (x_hi - x_lo);
}

Result<PopulationPrediction> PredictPopulation(ModelId model, const Covariates& covariates,
                                               const Regimen& regimen,
                                               std::span<const Minutes> times,
                                               const PopulationOptions& options) {
  KC_ASSIGN_OR_RETURN(ModelParameters typical, BuildModelParameters(model, covariates));
  if (regimen.total().value() > kMaxTotalMgPerKg * covariates.weight.value()) {
    return InvalidArgument("regimen", "gives more than 60 mg/kg in total; check the doses");
  }
  KC_RETURN_IF_ERROR(ValidateTimes(times));
  KC_RETURN_IF_ERROR(ValidateOptions(options.predict));
  if (options.n < 1 || options.n > kMaxPopulation) {
    return InvalidArgument("n", "must be 1-100000 virtual patients");
  }
  const size_t n = options.n, nt = times.size();
  if (static_cast<double>(n) * nt > kMaxPopulationCells) {
    return InvalidArgument("n", "times the number of times must be at most 25 million");
  }

  std::vector<double> t(nt);
  for (size_t k = 0; k < nt; ++k) t[k] = times[k].value();
  const double horizon = *std::max_element(t.begin(), t.end());
  const double threshold = options.predict.threshold.value();
  const std::span<const VariabilityTerm> terms = Variability(model);
  const int outputs = typical.metabolite ? 3 : 2;

  std::vector<OutputStore> store(outputs);
  for (auto& s : store) {
    s.values.resize(n * nt);
    s.cmax.resize(n);
    s.tmax.resize(n);
    s.above.resize(n);
    s.auc.resize(n);
  }
  const unsigned workers = WorkerCount(n, options.threads, 64);
  std::vector<Status> failures(workers);
  ParallelFor(n, workers, [&](size_t begin, size_t end, unsigned worker) {
    std::vector<double> etas(terms.size());
    for (size_t i = begin; i < end; ++i) {
      NormalSource normal(options.seed, i);
      for (size_t e = 0; e < terms.size(); ++e) {
        etas[e] = std::sqrt(terms[e].omega_squared) * normal.Normal();
      }
      const ModelParameters individual = ApplyRandomEffects(typical, etas);
      auto disposition = BuildDisposition(individual, options.predict.ke0);
      if (!disposition.ok()) {
        failures[worker] = disposition.status();
        return;
      }
      const Trajectory trajectory(*disposition, regimen.segments());
      const auto sampled = trajectory.Sample(t);
      const auto exposures = MeasureExposures(trajectory, horizon, threshold);
      for (int o = 0; o < outputs; ++o) {
        OutputStore& s = store[o];
        std::transform(sampled[o].begin(), sampled[o].end(), s.values.begin() + i * nt,
                       [](double v) { return std::max(0.0, v); });
        const Exposure& e = exposures[o];
        s.cmax[i] = e.cmax.value();
        s.tmax[i] = e.tmax.value();
        s.above[i] = e.above_threshold.value();
        s.auc[i] = e.auc.value();
      }
    }
  });
  for (const Status& s : failures) {
    if (!s.ok()) return s;
  }

  const ModelInfo& info = DescribeModel(model);
  const std::array<std::string_view, 3> names = {info.parent_series, "effect_site",
                                                 info.metabolite_series};
  std::vector<PopulationSeries> series(outputs);
  for (int o = 0; o < outputs; ++o) {
    OutputStore& s = store[o];
    PopulationSeries& out = series[o];
    out.name = names[o];
    out.values.resize(nt);
    const unsigned time_workers = WorkerCount(nt, options.threads, 8);
    ParallelFor(nt, time_workers, [&](size_t begin, size_t end, unsigned) {
      std::vector<double> column(n);
      for (size_t k = begin; k < end; ++k) {
        for (size_t i = 0; i < n; ++i) column[i] = s.values[i * nt + k];
        out.values[k] = QuantilesOf(column);
      }
    });
    out.cmax = QuantilesOf(s.cmax);
    out.tmax = QuantilesOf(s.tmax);
    out.above_threshold = QuantilesOf(s.above);
    out.auc = QuantilesOf(s.auc);
  }

  PopulationPrediction p;
  p.model = model;
  p.times.assign(times.begin(), times.end());
  p.n = options.n;
  p.seed = options.seed;
  p.plasma = std::move(series[0]);
  p.effect_site = std::move(series[1]);
  if (outputs == 3) p.metabolite = std::move(series[2]);
  p.variability = terms;
  p.ke0 = options.predict.ke0;
  p.threshold = options.predict.threshold;
  p.horizon = Minutes(horizon);
  return p;
}

}  // namespace kclinic::domain::pk
