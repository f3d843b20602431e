// Populations: the spread of predicted concentrations for a patient with given covariates, from
// the inter-individual variability of the model (log-normal, PK.md §2.6), as a median and a
// 5-95 % band per time point. Randomness comes in as a seed, never from a global generator:
// the same seed gives the same answer on any machine and with any number of threads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/domain/pk/model.h"
#include "kclinic/domain/pk/predict.h"
#include "kclinic/domain/pk/regimen.h"

namespace kclinic::domain::pk {

// A small deterministic normal generator: SplitMix64 (Steele, Lea & Flood 2014) for uniforms and
// Box-Muller for normals, so streams are identical across standard libraries (std::
// normal_distribution is not). Stream `stream` of `seed` is independent of every other stream.
class NormalSource {
 public:
  NormalSource(uint64_t seed, uint64_t stream);
  double Uniform();  // in (0, 1)
  double Normal();   // N(0, 1)

 private:
  uint64_t NextBits();
  uint64_t state_;
  // The second draw of a Box-Muller pair. A flag, not std::optional: GCC's -Wmaybe-uninitialized
  // misreads an optional<double> inlined into a loop (a false positive at -O2).
  double spare_ = 0;
  bool has_spare_ = false;
};

// Bounds: n × number of times is capped so that the working set stays under ~200 MB.
inline constexpr int kMaxPopulation = 100000;
inline constexpr double kMaxPopulationCells = 25e6;

struct PopulationOptions {
  int n = 1000;
  uint64_t seed = 1;
  unsigned threads = 0;  // 0: one per hardware thread, fewer for small n
  PredictOptions predict;
};

// Quantiles of one quantity across the population (R's type 7: linear between order statistics).
struct Quantiles {
  double p05 = 0, median = 0, p95 = 0;
};

struct PopulationSeries {
  std::string_view name;
  std::vector<Quantiles> values;  // ng/mL, one per requested time
  Quantiles cmax;                 // ng/mL
  Quantiles tmax;                 // min
  Quantiles above_threshold;      // min
  Quantiles auc;                  // ng·min/mL
};

struct PopulationPrediction {
  ModelId model = ModelId::kDomino;
  std::vector<Minutes> times;
  int n = 0;
  uint64_t seed = 0;
  PopulationSeries plasma;
  PopulationSeries effect_site;
  std::optional<PopulationSeries> metabolite;
  std::span<const VariabilityTerm> variability;  // what was sampled and where it comes from
  PerMinute ke0;
  NgPerMl threshold;
  Minutes horizon;
};

// Samples `options.n` virtual patients with the covariates given: patient i draws its etas from
// NormalSource(seed, i), one per Variability(model) term in order, and is predicted exactly.
// Work is split across std::thread workers; the result does not depend on how many.
// Errors: as Predict; InvalidArgument "n" unless 1..kMaxPopulation and n × times <=
// kMaxPopulationCells.
Result<PopulationPrediction> PredictPopulation(ModelId model, const Covariates& covariates,
                                               const Regimen& regimen,
                                               std::span<const Minutes> times,
                                               const PopulationOptions& options);

// R type-7 quantile of `values` at probability `p` (0..1). Reorders `values`. Empty: 0.
double Quantile(std::span<double> values, double p);

}  // namespace kclinic::domain::pk
