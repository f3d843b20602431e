#include "kclinic/domain/schedule/booster_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <vector>

namespace kclinic::domain::schedule {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr int kInduction[] = {0, 2, 4, 7, 9, 11};  // CLINICAL.md §3: 6 in 12 days
const LocalDate kDay0{std::chrono::year{2026}, std::chrono::January, std::chrono::day{5}};

LocalDate DayDate(int n) { return LocalDate(sys_days(kDay0) + days(n)); }

struct Patient {
  std::vector<double> durations;  // benefit days after infusion k (pre-drawn)
  std::vector<double> noise;      // reading noise per day
};

Patient Draw(const CohortSpec& spec, std::mt19937_64& rng) {
  std::normal_distribution<double> z(0, 1);
  Patient p;
  const double dp = spec.median_days * std::exp(spec.between_sd_log * z(rng));
  // More infusions than any strategy can give in `days` (at most one a day).
  p.durations.resize(spec.days + 8);
  for (auto& d : p.durations) d = dp * std::exp(spec.within_sd_log * z(rng));
  p.noise.resize(spec.days + 1);
  for (auto& n : p.noise) n = spec.noise_sd * z(rng);
  return p;
}

}  // namespace

CohortResult SimulateCohort(const CohortSpec& spec, BoosterStrategy strategy,
                            int fixed_interval_days, const BoosterSettings& settings) {
  std::mt19937_64 rng(spec.seed);
  CohortResult out;
  out.patients = spec.patients;
  int64_t interval_sum = 0;
  int64_t interval_count = 0;
  int relapsed_patients = 0;
  for (int i = 0; i < spec.patients; ++i) {
    const Patient p = Draw(spec, rng);
    std::vector<int> infusions(std::begin(kInduction), std::end(kInduction));
    const int induction_end = infusions.back();
    BoosterHistory history;
    for (int d : infusions) history.infusions.push_back(DayDate(d));
    // The state on day `day`: relapsed once the benefit of the latest infusion has run out.
    auto relapsed = [&](int day) {
      const auto it = std::upper_bound(infusions.begin(), infusions.end(), day);
      const int last = *(it - 1);
      const size_t k = static_cast<size_t>(it - infusions.begin()) - 1;
      return day - last >= p.durations[k];
    };
    auto reading = [&](int day) {
      const double mean = relapsed(day) ? spec.relapse_score : spec.well_score;
      return static_cast<int>(std::clamp(std::lround(mean + p.noise[day]), 0L, 27L));
    };
    auto next_booster = [&]() -> int {
      if (strategy == BoosterStrategy::kFixed) return infusions.back() + fixed_interval_days;
      auto proposal = PlanBooster(history, settings);
      if (!proposal.ok()) return infusions.back() + fixed_interval_days;
      return infusions.back() + proposal->interval_days;
    };
    int next = next_booster();
    int days_above = 0;
    int next_weekly = induction_end + 1;
    for (int day = induction_end + 1; day <= spec.days; ++day) {
      if (day == next) {
        // The pre-infusion questionnaire, then the booster.
        history.phq9.push_back({DayDate(day), reading(day)});
        if (day == next_weekly) next_weekly += 7;
        interval_sum += day - infusions.back();
        ++interval_count;
        infusions.push_back(day);
        history.infusions.push_back(DayDate(day));
        ++out.boosters;
        next = next_booster();
      } else if (day == next_weekly) {
        history.phq9.push_back({DayDate(day), reading(day)});
        next_weekly += 7;
      }
      if (relapsed(day)) ++days_above;
    }
    out.days_above += days_above;
    if (days_above > 0) ++relapsed_patients;
  }
  out.days_above_per_booster =
      out.boosters == 0 ? 0 : static_cast<double>(out.days_above) / out.boosters;
  out.mean_interval_days =
      interval_count == 0 ? 0 : static_cast<double>(interval_sum) / interval_count;
  out.patients_with_relapse_share =
      spec.patients == 0 ? 0 : static_cast<double>(relapsed_patients) / spec.patients;
  return out;
}

}  // namespace kclinic::domain::schedule
