#include "kclinic/domain/pk/domino_batch.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kclinic/domain/pk/disposition.h"
#include "kclinic/domain/pk/model.h"
#include "kclinic/domain/pk/parallel.h"
#include "kclinic/domain/pk/population.h"
#include "kclinic/domain/pk/simulate.h"

namespace kclinic::domain::pk {

namespace {

// The input on the grid, per kg: bolus at t_k and rate over [t_k, t_k+1).
struct GridInput {
  std::vector<double> bolus_mg_per_kg, rate_mg_per_kg_per_min;
};

Result<GridInput> InputOnGrid(const Regimen& regimen, UniformGrid grid) {
  const double h = grid.step.value();
  GridInput in;
  in.bolus_mg_per_kg.assign(grid.points, 0);
  in.rate_mg_per_kg_per_min.assign(grid.points, 0);
  const auto& segments = regimen.segments();
  for (size_t s = 0; s < segments.size(); ++s) {
    const double k_real = segments[s].start_min / h;
    const double k = std::round(k_real);
    if (std::abs(k_real - k) > 1e-9 * std::max(1.0, k)) {
      return InvalidArgument("regimen", "must start and stop doses only at grid times");
    }
    if (k >= grid.points) break;
    const int first = static_cast<int>(k);
    const int last = s + 1 < segments.size()
                         ? static_cast<int>(std::min<double>(
                               grid.points, std::round(segments[s + 1].start_min / h)))
                         : grid.points;
    in.bolus_mg_per_kg[first] += segments[s].bolus_mg;
    for (int j = first; j < last; ++j) in.rate_mg_per_kg_per_min[j] = segments[s].rate_mg_per_min;
  }
  return in;
}

// Patients run in blocks of kLanes, one per SIMD lane: the per-patient set-up (cubic, exp) is
// scalar, the step recursion is vector arithmetic across the block.
constexpr int kLanes = 8;

// Per exponent a and lane l, in ng/mL: p (unit-bolus coefficient × weight, as doses are per kg),
// and for one grid step of length h: exp(-λh), p·h·Phi1(λh), h·Phi1(λh), p·h²·Phi2(λh).
struct BlockSetup {
  alignas(64) double p[3][kLanes];
  alignas(64) double decay[3][kLanes];
  alignas(64) double step_in[3][kLanes];
  alignas(64) double area_state[3][kLanes];
  alignas(64) double area_in[3][kLanes];
};

// Per lane results of a block.
struct BlockResult {
  alignas(64) double cmax[kLanes];
  alignas(64) double kmax[kLanes];
  alignas(64) double area[kLanes];
};

// The step recursion of PK.md §2.3 for one block: s ← s·exp(-λh) + R·p·h·Phi1 + B·p per exponent,
// Cp = Σ s. Adds each Cp into sums[k·kLanes + lane]; writes rows[lane][k] when rows[lane].
// Compiled for AVX-512, AVX2+FMA and the baseline, picked at load time.
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void StepBlock(
    const BlockSetup& setup, const double* bolus, const double* rate, size_t points, double* sums,
    double* const* rows, BlockResult& result) {
  typedef double Lanes __attribute__((vector_size(kLanes * sizeof(double))));
  Lanes p[3], decay[3], step_in[3], area_state[3], area_in[3], s[3];
  for (int a = 0; a < 3; ++a) {
    std::memcpy(&p[a], setup.p[a], sizeof(Lanes));
    std::memcpy(&decay[a], setup.decay[a], sizeof(Lanes));
    std::memcpy(&step_in[a], setup.step_in[a], sizeof(Lanes));
    std::memcpy(&area_state[a], setup.area_state[a], sizeof(Lanes));
    std::memcpy(&area_in[a], setup.area_in[a], sizeof(Lanes));
    s[a] = bolus[0] * p[a];
  }
  const Lanes zero = {};
  Lanes cp = s[0] + s[1] + s[2], cmax = cp, kmax = zero, area = zero;
  Lanes sum;
  std::memcpy(&sum, sums, sizeof sum);
  sum += cp;
  std::memcpy(sums, &sum, sizeof sum);
  for (int l = 0; l < kLanes; ++l) {
    if (rows[l]) rows[l][0] = cp[l];
  }
  bool any_rows = false;
  for (int l = 0; l < kLanes; ++l) any_rows = any_rows || rows[l];
  for (size_t k = 1; k < points; ++k) {
    const double r = rate[k - 1], b = bolus[k];
    area += s[0] * area_state[0] + s[1] * area_state[1] + s[2] * area_state[2] +
            r * (area_in[0] + area_in[1] + area_in[2]);
    for (int a = 0; a < 3; ++a) s[a] = s[a] * decay[a] + r * step_in[a] + b * p[a];
    cp = s[0] + s[1] + s[2];
    const auto higher = cp > cmax;
    cmax = higher ? cp : cmax;
    kmax = higher ? zero + static_cast<double>(k) : kmax;
    std::memcpy(&sum, sums + k * kLanes, sizeof sum);
    sum += cp;
    std::memcpy(sums + k * kLanes, &sum, sizeof sum);
    if (any_rows) {
      for (int l = 0; l < kLanes; ++l) {
        if (rows[l]) rows[l][k] = cp[l];
      }
    }
  }
  std::memcpy(result.cmax, &cmax, sizeof cmax);
  std::memcpy(result.kmax, &kmax, sizeof kmax);
  std::memcpy(result.area, &area, sizeof area);
}

}  // namespace

Result<DominoBatchResult> SimulateDominoBatch(std::span<const BatchPatient> patients,
                                              const Regimen& regimen_per_kg, UniformGrid grid,
                                              const BatchOptions& options) {
  if (patients.empty()) return InvalidArgument("patients", "needs at least one patient");
  for (const BatchPatient& p : patients) {
    if (!std::isfinite(p.weight_kg) || p.weight_kg < kMinWeightKg || p.weight_kg > kMaxWeightKg) {
      return InvalidArgument("patients", "has a weight outside 1-300 kg");
    }
    if (!std::isfinite(p.eta_v1) || !std::isfinite(p.eta_cl)) {
      return InvalidArgument("patients", "has a random effect that is not a finite number");
    }
  }
  const double h = grid.step.value();
  if (!std::isfinite(h) || h <= 0 || grid.points < 2 || grid.points > 100000) {
    return InvalidArgument("grid", "needs a positive step and 2-100000 points");
  }
  const size_t n = patients.size(), points = static_cast<size_t>(grid.points);
  if (!options.cp_ng_per_ml.empty() && options.cp_ng_per_ml.size() != n * points) {
    return InvalidArgument("cp_ng_per_ml", "must hold patients × points values");
  }
  KC_ASSIGN_OR_RETURN(const GridInput input, InputOnGrid(regimen_per_kg, grid));
  // Domino per kg (BuildModelParameters is linear in weight for this model).
  KC_ASSIGN_OR_RETURN(const ModelParameters per_kg,
                      BuildModelParameters(ModelId::kDomino, {Kilograms(1)}));
  const Compartments& c = per_kg.parent;
  const double v1_per_kg = c.v1.value(), cl_per_kg = c.cl.value();
  const double q2_per_kg = c.q2.value(), q3_per_kg = c.q3.value();
  const double k21 = c.q2.value() / c.v2.value(), k31 = c.q3.value() / c.v3.value();

  DominoBatchResult result;
  result.patients.resize(n);
  const size_t blocks = (n + kLanes - 1) / kLanes;
  const unsigned workers = WorkerCount(blocks, options.threads, 512);
  // Per worker, per grid point and lane: the sum of Cp, reduced at the end.
  std::vector<std::vector<double>> sums(workers, std::vector<double>(points * kLanes, 0.0));
  const double* bolus = input.bolus_mg_per_kg.data();
  const double* rate = input.rate_mg_per_kg_per_min.data();

  ParallelFor(blocks, workers, [&](size_t first_block, size_t end_block, unsigned worker) {
    BlockSetup setup;
    BlockResult block;
    double* rows[kLanes];
    for (size_t blk = first_block; blk < end_block; ++blk) {
      const size_t first = blk * kLanes;
      for (int lane = 0; lane < kLanes; ++lane) {
        // A short last block repeats its last patient in the spare lanes and discards them.
        const size_t i = std::min(first + lane, n - 1);
        const bool real = first + lane < n;
        rows[lane] = real && !options.cp_ng_per_ml.empty()
                         ? options.cp_ng_per_ml.data() + i * points
                         : nullptr;
        const BatchPatient& patient = patients[i];
        const double w = patient.weight_kg;
        const double v1 = v1_per_kg * w * std::exp(patient.eta_v1);
        const double k10 = cl_per_kg * w * std::exp(patient.eta_cl) / v1;
        const double k12 = q2_per_kg * w / v1, k13 = q3_per_kg * w / v1;
        const auto l = ThreeCompartmentExponents(k10, k12, k13, k21, k31);
        for (int a = 0; a < 3; ++a) {
          const int b = (a + 1) % 3, d = (a + 2) % 3;
          const double p =
              1000 * w * (k21 - l[a]) * (k31 - l[a]) / (v1 * (l[b] - l[a]) * (l[d] - l[a]));
          const double z = l[a] * h, decay = std::exp(-z);
          const double phi1 = Phi1FromDecay(z, decay);
          setup.p[a][lane] = real ? p : 0;  // spare lanes add nothing to the sums
          setup.decay[a][lane] = decay;
          setup.area_state[a][lane] = h * phi1;
          setup.step_in[a][lane] = setup.p[a][lane] * h * phi1;
          setup.area_in[a][lane] = setup.p[a][lane] * h * h * Phi2(z);
        }
      }
      StepBlock(setup, bolus, rate, points, sums[worker].data(), rows, block);
      for (int lane = 0; lane < kLanes && first + lane < n; ++lane) {
        result.patients[first + lane] = {block.cmax[lane], block.kmax[lane] * h, block.area[lane]};
      }
    }
  });

  result.mean_cp_ng_per_ml.assign(points, 0);
  for (const auto& partial : sums) {
    for (size_t k = 0; k < points; ++k) {
      for (int lane = 0; lane < kLanes; ++lane) {
        result.mean_cp_ng_per_ml[k] += partial[k * kLanes + lane];
      }
    }
  }
  for (double& m : result.mean_cp_ng_per_ml) m /= n;
  return result;
}

std::vector<BatchPatient> SampleDominoPatients(size_t n, uint64_t seed, double median_weight_kg,
                                               double weight_sd_log) {
  const auto terms = Variability(ModelId::kDomino);  // V1, then CL
  const double sd_v1 = std::sqrt(terms[0].omega_squared), sd_cl = std::sqrt(terms[1].omega_squared);
  std::vector<BatchPatient> patients(n);
  ParallelFor(n, WorkerCount(n, 0, 65536), [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) {
      NormalSource normal(seed, i);
      const double w = median_weight_kg * std::exp(weight_sd_log * normal.Normal());
      patients[i].weight_kg = std::clamp(w, 30.0, 250.0);
      patients[i].eta_v1 = sd_v1 * normal.Normal();
      patients[i].eta_cl = sd_cl * normal.Normal();
    }
  });
  return patients;
}

}  // namespace kclinic::domain::pk
