// The fast path for many virtual patients on one uniform time grid with the Domino model: the
// benchmark's 1,000,000 patients × 241 points. Exact like Predict (the same closed form), but
// specialised: per patient the cubic is solved once and exp(-λ·dt) is computed once for the grid
// step, after which every step is three multiply-adds (PK.md §2.3). Threads split the patients.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/domain/pk/regimen.h"
#include "kclinic/domain/pk/units.h"

namespace kclinic::domain::pk {

// One virtual patient: body weight and the random effects of Variability(ModelId::kDomino)
// (V1, then CL), applied as exp(eta).
struct BatchPatient {
  double weight_kg = 70;
  double eta_v1 = 0;
  double eta_cl = 0;
};

// t_k = k·step for k = 0..points-1.
struct UniformGrid {
  Minutes step{1};
  int points = 241;
};

// Per patient, over the grid: the highest grid value and its time, and the exact area from 0 to
// the last grid point.
struct PatientSummary {
  double cmax_ng_per_ml = 0;
  double tmax_min = 0;
  double auc_ng_min_per_ml = 0;
};

struct BatchOptions {
  unsigned threads = 0;  // 0: one per hardware thread
  // When not empty: receives every plasma concentration, patient-major (patients × points),
  // ng/mL. Must then hold exactly that many values.
  std::span<double> cp_ng_per_ml;
};

struct DominoBatchResult {
  std::vector<PatientSummary> patients;
  std::vector<double> mean_cp_ng_per_ml;  // per grid point, across patients
};

// Simulates every patient under `regimen_per_kg` (doses in mg/kg and rates in mg/kg/min, scaled
// by each patient's weight). InvalidArgument: "patients" empty or with a weight outside
// 1-300 kg or a non-finite eta; "grid" with step <= 0 or fewer than 2 / more than 100000
// points; "regimen" when a dose starts or stops between grid points; "cp_ng_per_ml" when the
// output span has the wrong size.
Result<DominoBatchResult> SimulateDominoBatch(std::span<const BatchPatient> patients,
                                              const Regimen& regimen_per_kg, UniformGrid grid,
                                              const BatchOptions& options = {});

// `n` patients for the benchmark: weight log-normal with median `median_weight_kg` and
// log-scale SD `weight_sd_log`, clamped to 30-250 kg; etas from Variability(kDomino). Patient i
// draws from NormalSource(seed, i), weight first.
std::vector<BatchPatient> SampleDominoPatients(size_t n, uint64_t seed, double median_weight_kg,
                                               double weight_sd_log);

}  // namespace kclinic::domain::pk
