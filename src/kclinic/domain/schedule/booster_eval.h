// Evaluation of the booster planner on synthetic cohorts whose relapse intervals are known
// (issue 6: "compared with fixed monthly boosters, it gives fewer days above the relapse threshold
// per booster given"). Used by bench/booster_bench.cc and booster_eval_test.cc. Seeded, so a run
// is reproducible; pure otherwise.
//
// The model: after each infusion patient p stays well for D days and then relapses until the
// next infusion. D = D_p * exp(N(0, within_sd_log)) per infusion, with D_p log-normal around
// median_days (log-SD between_sd_log) per patient. PHQ-9 is measured weekly from the day after
// induction and before each infusion: a well patient scores well_score + N(0, noise_sd), a
// relapsed one relapse_score + N(0, noise_sd), rounded and kept in 0..27. A day "above the
// relapse threshold" is a day in the relapsed state (the truth, not the noisy reading).
#pragma once

#include <cstdint>
#include <string>

#include "kclinic/domain/schedule/booster.h"

namespace kclinic::domain::schedule {

struct CohortSpec {
  uint64_t seed = 20261122;
  int patients = 1000;
  int days = 365;  // simulated from the first induction infusion
  double median_days = 25;
  double between_sd_log = 0.35;
  double within_sd_log = 0.15;
  double well_score = 5;
  double relapse_score = 15;
  double noise_sd = 1.5;
};

enum class BoosterStrategy {
  kFixed,    // a booster every fixed_interval_days after the last induction infusion
  kPlanner,  // PlanBooster re-planned after each booster from the history so far
};

struct CohortResult {
  int patients = 0;
  int64_t boosters = 0;    // infusions after the induction series
  int64_t days_above = 0;  // days in relapse after the end of the induction
  double days_above_per_booster = 0;
  double mean_interval_days = 0;           // between consecutive boosters
  double patients_with_relapse_share = 0;  // share with at least one relapsed day
};

// Simulates the cohort under one strategy. The same seed gives every strategy the same patients
// and the same noise draws per day.
CohortResult SimulateCohort(const CohortSpec& spec, BoosterStrategy strategy,
                            int fixed_interval_days = 28, const BoosterSettings& settings = {});

}  // namespace kclinic::domain::schedule
