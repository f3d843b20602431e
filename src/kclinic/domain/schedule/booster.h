// The booster planner (issue 6, CLINICAL.md §3): when should this patient's next maintenance
// infusion be, read from how long her benefit has lasted after past infusions.
//
// Method (time-to-event per inter-infusion interval, Kaplan-Meier; CLINICAL.md §3):
//  1. Relapse threshold: PHQ-9 >= relapse_phq9 (10) or >= relapse_rise (5) points above the
//     post-induction score (the first PHQ-9 after the last induction infusion) [R]; for a patient
//     whose post-induction score is already >= relapse_phq9, only the rise counts.
//  2. For each interval from an infusion (the last induction infusion and every booster) to the
//     next, the benefit duration is the number of days to the first PHQ-9 at or above the
//     threshold (an observed relapse), or, when the next infusion came first, the interval length
//     (censored: the benefit lasted at least that long). The interval after the last infusion is
//     open: censored at the last reading, or observed if it already relapsed.
//  3. Estimate = the Kaplan-Meier median of these durations (robust to one odd interval, and
//     honest about censoring). Without a median (no relapse yet, or too few), the larger of the
//     longest followed duration (benefit lasted at least that long) and the population prior,
//     Murrough 2013's median 18 days to relapse after the last infusion.
//  4. Interval = estimate - margin_days; then lengthen by lengthen_step_days after
//     stable_intervals consecutive censored intervals (a stable stretch), or shorten by
//     shorten_step_days (and to at most relapse day - margin) after a relapse earlier than the
//     interval before it; clamped to [min_interval_days, max_interval_days] (site bounds).
//  5. Next booster = last infusion + interval.
// Pure: dates are local calendar dates; no clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain::schedule {

struct Phq9Reading {
  LocalDate date;
  int score = 0;  // 0..27
};

struct BoosterHistory {
  std::vector<LocalDate> infusions;  // induction and boosters, any order
  std::vector<Phq9Reading> phq9;     // any order
  // How many of the first infusions were the induction series; 0 = infer it (the leading
  // infusions each less than 7 days after the one before).
  int induction_sessions = 0;
};

struct BoosterSettings {
  int relapse_phq9 = 10;        // booster.relapse_phq9
  int relapse_rise = 5;         // booster.relapse_rise
  int min_interval_days = 7;    // booster.min_interval_days
  int max_interval_days = 56;   // booster.max_interval_days
  int margin_days = 3;          // booster.margin_days
  int stable_intervals = 2;     // booster.stable_intervals
  int lengthen_step_days = 7;   // booster.lengthen_step_days
  int shorten_step_days = 7;    // booster.shorten_step_days
  int prior_benefit_days = 18;  // booster.prior_benefit_days (Murrough 2013)
};
// The settings in force at a site.
BoosterSettings BoosterSettingsFrom(const SiteSettings& settings);

// One interval's benefit duration.
struct BenefitDuration {
  LocalDate infusion_date;
  std::optional<int> benefit_days;  // days to the first PHQ-9 at or above the threshold
  bool censored = false;            // no relapse seen before the next infusion / last reading
  int observed_days = 0;            // benefit_days, or how long it was followed when censored
};

enum class BoosterRule { kPrior, kEstimate, kLengthen, kShorten };
// "prior", "estimate", "lengthen", "shorten".
std::string_view BoosterRuleName(BoosterRule rule);

struct BoosterProposal {
  LocalDate next_booster_date;
  int interval_days = 0;
  std::string reason;  // one plain sentence with the numbers
  BoosterRule rule = BoosterRule::kEstimate;
  std::vector<BenefitDuration> durations;
  std::optional<LocalDate> predicted_relapse_date;  // last infusion + estimate
  std::optional<int> estimate_days;                 // benefit estimate (KM median or fallback)
  int threshold = 10;                               // the PHQ-9 relapse threshold used
  std::optional<int> post_induction_score;
  std::string method;  // a short name of the method, for display
};

// InvalidArgument naming the field ("infusions", "phq9[2].score", "min_interval_days") when
// there is no infusion, a score is outside 0..27, or the settings are inconsistent.
Result<BoosterProposal> PlanBooster(const BoosterHistory& history, const BoosterSettings& settings);

}  // namespace kclinic::domain::schedule
