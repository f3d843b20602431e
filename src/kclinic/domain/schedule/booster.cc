#include "kclinic/domain/schedule/booster.h"

#include "kclinic/domain/schedule/course_settings.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <string>

namespace kclinic::domain::schedule {

namespace {

using std::chrono::sys_days;

int Day(LocalDate d) { return static_cast<int>(sys_days(d).time_since_epoch().count()); }
LocalDate FromDay(int n) { return LocalDate(sys_days(std::chrono::days(n))); }

std::string Days(int n) { return std::to_string(n) + (n == 1 ? " day" : " days"); }

// The Kaplan-Meier median of (time, event) pairs: the first event time at which the estimated
// share still in benefit drops to 0.5 or below; nullopt when it never does (too much censoring).
std::optional<int> KaplanMeierMedian(const std::vector<BenefitDuration>& durations) {
  std::map<int, std::pair<int, int>> at;  // time -> (events, censored)
  for (const auto& d : durations) {
    auto& e = at[d.observed_days];
    (d.censored ? e.second : e.first) += 1;
  }
  int at_risk = static_cast<int>(durations.size());
  double survival = 1.0;
  for (const auto& [t, counts] : at) {
    if (counts.first > 0 && at_risk > 0) {
      survival *= 1.0 - static_cast<double>(counts.first) / at_risk;
      if (survival <= 0.5 + 1e-12) return t;
    }
    at_risk -= counts.first + counts.second;
  }
  return std::nullopt;
}

}  // namespace

BoosterSettings BoosterSettingsFrom(const SiteSettings& s) {
  auto i = [&](const SettingDefinition& key) { return static_cast<int>(s.Get(key)); };
  BoosterSettings b;
  b.relapse_phq9 = i(kBoosterRelapsePhq9);
  b.relapse_rise = i(kBoosterRelapseRise);
  b.min_interval_days = i(kBoosterMinIntervalDays);
  b.max_interval_days = i(kBoosterMaxIntervalDays);
  b.margin_days = i(kBoosterMarginDays);
  b.stable_intervals = i(kBoosterStableIntervals);
  b.lengthen_step_days = i(kBoosterLengthenStepDays);
  b.shorten_step_days = i(kBoosterShortenStepDays);
  b.prior_benefit_days = i(kBoosterPriorBenefitDays);
  return b;
}

std::string_view BoosterRuleName(BoosterRule rule) {
  switch (rule) {
    case BoosterRule::kPrior:
      return "prior";
    case BoosterRule::kEstimate:
      return "estimate";
    case BoosterRule::kLengthen:
      return "lengthen";
    case BoosterRule::kShorten:
      return "shorten";
  }
  return "estimate";
}

Result<BoosterProposal> PlanBooster(const BoosterHistory& history, const BoosterSettings& s) {
  if (s.min_interval_days < 1 || s.max_interval_days < s.min_interval_days) {
    return InvalidArgument("min_interval_days", "must be at least 1 and at most max_interval_days");
  }
  if (s.margin_days < 0) return InvalidArgument("margin_days", "must not be negative");
  if (s.stable_intervals < 1) return InvalidArgument("stable_intervals", "must be at least 1");
  if (history.infusions.empty()) return InvalidArgument("infusions", "at least one is required");
  for (size_t i = 0; i < history.infusions.size(); ++i) {
    if (!history.infusions[i].ok()) {
      return InvalidArgument("infusions[" + std::to_string(i) + "]", "is not a date");
    }
  }
  for (size_t i = 0; i < history.phq9.size(); ++i) {
    const auto f = "phq9[" + std::to_string(i) + "]";
    if (!history.phq9[i].date.ok()) return InvalidArgument(f + ".date", "is not a date");
    if (history.phq9[i].score < 0 || history.phq9[i].score > 27) {
      return InvalidArgument(f + ".score", "must be 0-27");
    }
  }
  std::vector<int> inf;
  for (const auto& d : history.infusions) inf.push_back(Day(d));
  std::sort(inf.begin(), inf.end());
  inf.erase(std::unique(inf.begin(), inf.end()), inf.end());
  if (history.induction_sessions < 0 || history.induction_sessions > static_cast<int>(inf.size())) {
    return InvalidArgument("induction_sessions", "must be 0..the number of infusions");
  }
  std::vector<std::pair<int, int>> phq;  // (day, score), by day
  for (const auto& r : history.phq9) phq.emplace_back(Day(r.date), r.score);
  std::stable_sort(phq.begin(), phq.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  // The induction series: given, or the leading infusions each < 7 days after the one before
  // (CLINICAL.md §3: 2-3 a week).
  size_t induction = static_cast<size_t>(history.induction_sessions);
  if (induction == 0) {
    induction = 1;
    while (induction < inf.size() && inf[induction] - inf[induction - 1] < 7) ++induction;
  }
  const int induction_end = inf[induction - 1];

  BoosterProposal out;
  out.method =
      "Kaplan-Meier median of per-interval time to PHQ-9 relapse (censored at the next "
      "infusion), minus a margin; lengthen after stability, shorten after early relapse";
  // The post-induction score: the first PHQ-9 in the two weeks after the last induction infusion.
  for (const auto& [day, score] : phq) {
    if (day > induction_end && day <= induction_end + 14) {
      out.post_induction_score = score;
      break;
    }
  }
  // CLINICAL.md §3 [R]: relapse = PHQ-9 >= 10, or >= 5 above the post-induction score.
  if (!out.post_induction_score) {
    out.threshold = s.relapse_phq9;
  } else if (*out.post_induction_score < s.relapse_phq9) {
    out.threshold = std::min(s.relapse_phq9, *out.post_induction_score + s.relapse_rise);
  } else {
    out.threshold = *out.post_induction_score + s.relapse_rise;  // never responded below 10
  }

  // One duration per interval from the last induction infusion on. A closed interval ends at the
  // next infusion (a reading on that day is the pre-infusion one and counts); the last one is
  // open until the last reading. Censored at the last reading inside the interval; an interval
  // with no reading after its infusion says nothing and is left out.
  int open_relapse_day = -1;
  for (size_t i = induction - 1; i < inf.size(); ++i) {
    const int start = inf[i];
    const bool open = i + 1 == inf.size();
    const int end = open ? (phq.empty() ? start : std::max(start, phq.back().first)) : inf[i + 1];
    BenefitDuration d;
    d.infusion_date = FromDay(start);
    int last_seen = -1;
    for (const auto& [day, score] : phq) {
      if (day <= start || day > end) continue;
      if (score >= out.threshold) {
        d.benefit_days = day - start;
        break;
      }
      last_seen = day;
    }
    if (d.benefit_days) {
      d.observed_days = *d.benefit_days;
      if (open) open_relapse_day = start + *d.benefit_days;
    } else if (last_seen >= 0) {
      d.censored = true;
      d.observed_days = last_seen - start;
    } else {
      continue;
    }
    out.durations.push_back(d);
  }

  const int last = inf.back();
  const auto median = KaplanMeierMedian(out.durations);
  const int events = static_cast<int>(std::count_if(out.durations.begin(), out.durations.end(),
                                                    [](const auto& d) { return !d.censored; }));
  const int censored = static_cast<int>(out.durations.size()) - events;
  std::string why;
  if (median) {
    out.estimate_days = *median;
    out.predicted_relapse_date = FromDay(last + *median);
    out.rule = BoosterRule::kEstimate;
    why = "benefit lasted a median of " + Days(*median) + " (Kaplan-Meier over " +
          std::to_string(out.durations.size()) + " intervals: " + std::to_string(events) +
          " relapses, " + std::to_string(censored) + " still well at the next infusion)";
  } else {
    // No median yet (no relapse, or too few): benefit lasted at least the longest followed
    // interval; below the population prior that says less than the prior itself.
    int longest = 0;
    for (const auto& d : out.durations) longest = std::max(longest, d.observed_days);
    if (longest > s.prior_benefit_days) {
      out.estimate_days = longest;
      out.rule = BoosterRule::kEstimate;
      why = "benefit has lasted at least " + Days(longest) +
            " (too few relapses for a median: " + std::to_string(events) + " of " +
            std::to_string(out.durations.size()) + " intervals)";
    } else {
      out.estimate_days = s.prior_benefit_days;
      out.predicted_relapse_date = FromDay(last + s.prior_benefit_days);
      out.rule = BoosterRule::kPrior;
      why = "no relapse has been seen in " + Days(longest) +
            " followed, so the population median of " + Days(s.prior_benefit_days) +
            " to relapse (Murrough 2013) stands in";
    }
  }
  int interval = *out.estimate_days - s.margin_days;
  std::string sentence =
      why + "; booking " + Days(s.margin_days) + " before that gives " + Days(interval);

  // The most recent followed interval decides lengthen / shorten.
  std::vector<int> closed_lengths;  // lengths of closed intervals, aligned with durations
  for (const auto& d : out.durations) {
    const auto it = std::find(inf.begin(), inf.end(), Day(d.infusion_date));
    closed_lengths.push_back(it + 1 == inf.end() ? -1 : *(it + 1) - *it);
  }
  if (!out.durations.empty()) {
    const auto& recent = out.durations.back();
    const int recent_len = closed_lengths.back();
    // Early relapse: the most recent interval relapsed before its booster came (or, for the open
    // interval, before the interval used last time ran out).
    const bool after_booster = inf.size() >= 2 && inf.size() - 1 >= induction;
    const int compare_len = recent_len >= 0
                                ? recent_len
                                : (after_booster ? inf.back() - inf[inf.size() - 2] : interval);
    if (!recent.censored && *recent.benefit_days <= compare_len) {
      const int shortened = std::min(
          {interval, compare_len - s.shorten_step_days, *recent.benefit_days - s.margin_days});
      out.rule = BoosterRule::kShorten;
      interval = shortened;
      sentence = "PHQ-9 reached " + std::to_string(out.threshold) + " or more " +
                 Days(*recent.benefit_days) + " after the infusion of " +
                 FormatDate(recent.infusion_date) + ", within its " + Days(compare_len) +
                 " interval, so the interval shortens to " + Days(interval) + " (" + why + ")";
    } else {
      // A stable stretch: the last stable_intervals closed intervals all censored, and no
      // relapse in the open one.
      int stable = 0;
      for (size_t k = out.durations.size(); k-- > 0;) {
        if (closed_lengths[k] < 0) {
          if (!out.durations[k].censored) break;
          continue;
        }
        if (!out.durations[k].censored) break;
        ++stable;
      }
      const int last_len = inf.size() >= 2 ? inf.back() - inf[inf.size() - 2] : 0;
      if (stable >= s.stable_intervals && last_len > 0) {
        const int lengthened = std::max(interval, last_len + s.lengthen_step_days);
        out.rule = BoosterRule::kLengthen;
        interval = lengthened;
        sentence = "No relapse (PHQ-9 below " + std::to_string(out.threshold) + ") in the last " +
                   std::to_string(stable) + " intervals, so the " + Days(last_len) +
                   " interval lengthens to " + Days(interval) + " (" + why + ")";
      }
    }
  }
  const int clamped = std::clamp(interval, s.min_interval_days, s.max_interval_days);
  if (clamped != interval) {
    sentence += ", kept within the site's " + std::to_string(s.min_interval_days) + "-" +
                Days(s.max_interval_days) + " bounds at " + Days(clamped);
  }
  out.interval_days = clamped;
  out.next_booster_date = FromDay(last + clamped);
  if (open_relapse_day >= 0) {
    sentence += "; the patient has already relapsed since the last infusion (" +
                FormatDate(FromDay(open_relapse_day)) + "), so book as soon as possible";
  }
  sentence[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sentence[0])));
  out.reason = sentence + ": next booster " + FormatDate(out.next_booster_date) + ", " +
               Days(clamped) + " after the infusion of " + FormatDate(FromDay(last)) + ".";
  return out;
}

}  // namespace kclinic::domain::schedule
