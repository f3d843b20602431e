// Series and booster planner benchmarks (bench/README.md, "Course planners").
//
// BM_PlanMonth: 1,000 patients' iv-standard induction series planned one after the other into
// one month of a clinic sized so that the month fills up (Mon-Fri 08:00-18:00, 120-minute
// appointments, 50 chairs and 50 IV nurses: 250 appointments a day, 5,750 in the 23 weekdays of
// December 2026 against 6,000 sessions asked for); first days spread over the first three weeks.
// Each planned series is added to the capacity index before the next patient is planned, as the
// booking screen does. The reference, in the same run, is the same planner over the same
// clinic answering "is this chair / nurse free?" by scanning every busy interval
// (Lookup::kLinearScan) instead of the per-resource ordered index; both must plan the same
// sessions. Counters: planned (series that fit), failed (no valid series: the month was full),
// sessions.
//
// BM_BoosterCohort: the booster planner evaluation (1,000 synthetic patients, one year) for fixed
// 28- and 30-day boosters and the planner; counters are the figures bench/README.md quotes.
#include <benchmark/benchmark.h>

#include <chrono>

#include "kclinic/domain/schedule/booster_eval.h"
#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/domain/schedule/planner.h"
#include "kclinic/domain/schedule/protocol.h"

namespace kclinic {
namespace {

namespace sc = domain::schedule;

const sc::LocalDate kMonth{std::chrono::year{2026}, std::chrono::December, std::chrono::day{1}};

void BM_PlanMonth(benchmark::State& state) {
  const int patients = static_cast<int>(state.range(0));
  const auto lookup = state.range(1) == 0 ? sc::Lookup::kIndexed : sc::Lookup::kLinearScan;
  const sc::Protocol& protocol = *sc::FindBuiltinProtocol("iv-standard");
  // Staffed for the month only: a series that would spill into January does not fit.
  const sc::Clinic clinic = sc::DefaultClinic("America/New_York", kMonth, 31, 50, 50);
  int planned = 0;
  int failed = 0;
  int64_t sessions = 0;
  for (auto _ : state) {
    auto index = sc::CapacityIndex::Build(clinic, lookup);
    planned = failed = 0;
    sessions = 0;
    for (int i = 0; i < patients; ++i) {
      const sc::LocalDate start(std::chrono::sys_days(kMonth) + std::chrono::days(i % 21));
      sc::PlanOptions options;
      options.search_days = 7;
      auto plan = sc::PlanSeries(protocol, *index, start, options);
      if (!plan.ok()) {
        ++failed;
        continue;
      }
      ++planned;
      sessions += static_cast<int64_t>(plan->sessions.size());
      index->Add(*plan);
    }
  }
  state.counters["planned"] = planned;
  state.counters["failed"] = failed;
  state.counters["sessions"] = static_cast<double>(sessions);
  state.counters["per_patient_us"] = benchmark::Counter(
      static_cast<double>(patients),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_PlanMonth)
    ->ArgNames({"patients", "linear_scan"})
    ->Args({1000, 0})
    ->Args({1000, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(1);

void BM_BoosterCohort(benchmark::State& state) {
  sc::CohortSpec spec;
  spec.patients = 1000;
  const int fixed = static_cast<int>(state.range(0));
  const auto strategy = fixed == 0 ? sc::BoosterStrategy::kPlanner : sc::BoosterStrategy::kFixed;
  sc::CohortResult r;
  for (auto _ : state) r = sc::SimulateCohort(spec, strategy, fixed == 0 ? 28 : fixed);
  state.counters["boosters"] = static_cast<double>(r.boosters);
  state.counters["days_above"] = static_cast<double>(r.days_above);
  state.counters["above_per_booster"] = r.days_above_per_booster;
  state.counters["mean_interval"] = r.mean_interval_days;
  state.counters["relapsed_share"] = r.patients_with_relapse_share;
}
// 28 and 30: fixed monthly boosters; 0: the planner.
BENCHMARK(BM_BoosterCohort)
    ->ArgName("fixed_days")
    ->Arg(28)
    ->Arg(30)
    ->Arg(0)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kclinic
