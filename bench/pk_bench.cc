// PK engine benchmarks (bench/README.md, "PK engine"). The headline is BM_PkDominoBatch/1000000:
// 1,000,000 virtual Domino patients × 241 time points (0-240 min), 0.5 mg/kg over 40 min,
// weights log-normal (median 80 kg, log-SD 0.2) and the model's variability on V1 and CL, solved
// exactly by the step recursion on both cores. Sampling the patients is set-up, not timed.
// bench/pk/run times R's deSolve on the first 200 of the same patients in the same run.
//
// With KCLINIC_PK_BENCH_DIR set, the batch benchmarks write DIR/patients.csv (the first 200
// patients) and DIR/ours.csv (their concentrations at the 241 points) for bench/pk/run to compare.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kclinic/domain/pk/domino_batch.h"
#include "kclinic/domain/pk/population.h"
#include "kclinic/domain/pk/predict.h"

namespace kclinic {
namespace {

namespace pk = domain::pk;

constexpr uint64_t kSeed = 20240521;
constexpr double kMedianWeightKg = 80, kWeightSdLog = 0.2;
constexpr int kPoints = 241;
constexpr size_t kComparedPatients = 200;

pk::Regimen HalfMgPerKgOver40Min() {
  return pk::Regimen::ConstantInfusion(pk::Milligrams(0.5), pk::Minutes(40)).value();
}

// Writes the first patients and our answer for them, once per process.
void WriteComparison(const std::vector<pk::BatchPatient>& patients) {
  static bool written = false;
  const char* dir = std::getenv("KCLINIC_PK_BENCH_DIR");
  if (written || !dir) return;
  written = true;
  const size_t n = std::min(patients.size(), kComparedPatients);
  std::vector<double> cp(n * kPoints);
  pk::BatchOptions options;
  options.cp_ng_per_ml = cp;
  auto result = pk::SimulateDominoBatch(std::span(patients).first(n), HalfMgPerKgOver40Min(),
                                        {pk::Minutes(1), kPoints}, options);
  if (!result.ok()) return;
  FILE* f = std::fopen((std::string(dir) + "/patients.csv").c_str(), "w");
  if (!f) return;
  std::fprintf(f, "weight_kg,eta_v1,eta_cl\n");
  for (size_t i = 0; i < n; ++i) {
    std::fprintf(f, "%.17g,%.17g,%.17g\n", patients[i].weight_kg, patients[i].eta_v1,
                 patients[i].eta_cl);
  }
  std::fclose(f);
  f = std::fopen((std::string(dir) + "/ours.csv").c_str(), "w");
  if (!f) return;
  for (size_t i = 0; i < n; ++i) {
    for (int k = 0; k < kPoints; ++k) {
      std::fprintf(f, "%.17g%c", cp[i * kPoints + k], k + 1 < kPoints ? ',' : '\n');
    }
  }
  std::fclose(f);
}

void BM_PkDominoBatch(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<pk::BatchPatient> patients =
      pk::SampleDominoPatients(n, kSeed, kMedianWeightKg, kWeightSdLog);
  WriteComparison(patients);
  const pk::Regimen regimen = HalfMgPerKgOver40Min();
  double checksum = 0;
  for (auto _ : state) {
    auto result = pk::SimulateDominoBatch(patients, regimen, {pk::Minutes(1), kPoints});
    if (!result.ok()) {
      state.SkipWithError(result.status().message().c_str());
      return;
    }
    checksum += result->mean_cp_ng_per_ml[40];
    benchmark::DoNotOptimize(result->patients.data());
  }
  benchmark::DoNotOptimize(checksum);
  state.counters["patients"] = static_cast<double>(n);
  state.counters["points"] = kPoints;
  state.counters["ns_per_patient"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate |
                                                     benchmark::Counter::kInvert);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * n);
}
BENCHMARK(BM_PkDominoBatch)
    ->Arg(10000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

// One patient through the public API: 241 points, plasma and effect site, exposures.
void BM_PkPredictOnePatient(benchmark::State& state) {
  const pk::ModelId model = static_cast<pk::ModelId>(state.range(0));
  std::vector<pk::Minutes> times;
  for (int k = 0; k < kPoints; ++k) times.push_back(pk::Minutes(k));
  const pk::Regimen regimen = HalfMgPerKgOver40Min().Scaled(70);
  pk::Covariates covariates{Kilograms(70)};
  for (auto _ : state) {
    auto p = pk::Predict(model, covariates, regimen, times);
    benchmark::DoNotOptimize(p.ok());
  }
  state.SetLabel(std::string(pk::ModelCode(model)));
}
BENCHMARK(BM_PkPredictOnePatient)
    ->Arg(static_cast<int>(pk::ModelId::kDomino))
    ->Arg(static_cast<int>(pk::ModelId::kFantaOtto))
    ->Unit(benchmark::kMicrosecond);

// A population band for the UI: 1000 patients, 121 points, both cores.
void BM_PkPopulation(benchmark::State& state) {
  std::vector<pk::Minutes> times;
  for (int k = 0; k <= 240; k += 2) times.push_back(pk::Minutes(k));
  const pk::Regimen regimen = HalfMgPerKgOver40Min().Scaled(70);
  pk::PopulationOptions options;
  options.n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto p = pk::PredictPopulation(pk::ModelId::kDomino, {Kilograms(70)}, regimen, times, options);
    benchmark::DoNotOptimize(p.ok());
  }
}
BENCHMARK(BM_PkPopulation)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace kclinic
