#include "kclinic/domain/pk/domino_batch.h"

#include <algorithm>
#include <cmath>

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
  const unsigned workers = WorkerCount(n, options.threads, 4096);
  std::vector<std::vector<double>> sums(workers, std::vector<double>(points, 0.0));
  const double* bolus = input.bolus_mg_per_kg.data();
  const double* rate = input.rate_mg_per_kg_per_min.data();

  ParallelFor(n, workers, [&](size_t begin, size_t end, unsigned worker) {
    double* sum = sums[worker].data();
    for (size_t i = begin; i < end; ++i) {
      const BatchPatient& patient = patients[i];
      const double w = patient.weight_kg;
      const double v1 = v1_per_kg * w * std::exp(patient.eta_v1);
      const double k10 = cl_per_kg * w * std::exp(patient.eta_cl) / v1;
      const double k12 = q2_per_kg * w / v1, k13 = q3_per_kg * w / v1;
      const auto l = ThreeCompartmentExponents(k10, k12, k13, k21, k31);
      // Per exponent, in ng/mL: p = unit-bolus coefficient × weight (doses are per kg);
      // decay, input (p·h·Phi1) and input area (p·h²·Phi2) for one grid step.
      double p[3], decay[3], step_in[3], area_in[3], area_state[3];
      for (int a = 0; a < 3; ++a) {
        const int b = (a + 1) % 3, d = (a + 2) % 3;
        p[a] = 1000 * w * (k21 - l[a]) * (k31 - l[a]) / (v1 * (l[b] - l[a]) * (l[d] - l[a]));
        const double z = l[a] * h;
        decay[a] = std::exp(-z);
        area_state[a] = h * Phi1(z);
        step_in[a] = p[a] * area_state[a];
        area_in[a] = p[a] * h * h * Phi2(z);
      }
      double s0 = bolus[0] * p[0], s1 = bolus[0] * p[1], s2 = bolus[0] * p[2];
      double cp = s0 + s1 + s2, cmax = cp, area = 0;
      size_t kmax = 0;
      double* out = options.cp_ng_per_ml.empty() ? nullptr : options.cp_ng_per_ml.data() + i * points;
      if (out) out[0] = cp;
      sum[0] += cp;
      for (size_t k = 1; k < points; ++k) {
        const double r = rate[k - 1];
        area += s0 * area_state[0] + s1 * area_state[1] + s2 * area_state[2] +
                r * (area_in[0] + area_in[1] + area_in[2]);
        const double b = bolus[k];
        s0 = s0 * decay[0] + r * step_in[0] + b * p[0];
        s1 = s1 * decay[1] + r * step_in[1] + b * p[1];
        s2 = s2 * decay[2] + r * step_in[2] + b * p[2];
        cp = s0 + s1 + s2;
        if (cp > cmax) {
          cmax = cp;
          kmax = k;
        }
        sum[k] += cp;
        if (out) out[k] = cp;
      }
      result.patients[i] = {cmax, kmax * h, area};
    }
  });

  result.mean_cp_ng_per_ml.assign(points, 0);
  for (const auto& partial : sums) {
    for (size_t k = 0; k < points; ++k) result.mean_cp_ng_per_ml[k] += partial[k];
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
