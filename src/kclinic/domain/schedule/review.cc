#include "kclinic/domain/schedule/review.h"

#include <algorithm>
#include <cstdio>

#include "kclinic/domain/schedule/course_settings.h"

namespace kclinic::domain::schedule {

std::vector<DueReview> DueReviews(std::span<const Timestamp> given_any_order,
                                  std::span<const scales::Assessment> phq9,
                                  const SiteSettings& settings) {
  std::vector<DueReview> out;
  std::vector<Timestamp> given(given_any_order.begin(), given_any_order.end());
  std::sort(given.begin(), given.end());
  const int after = static_cast<int>(settings.Get(kCourseEarlyReviewAfterSession));
  const double min_pct = settings.Get(kCourseEarlyReviewMinImprovementPct);
  auto outcome = scales::ComputeCourseOutcome(given, phq9, scales::OutcomeSettingsFrom(settings));
  const scales::InstrumentOutcome* phq = outcome.ok() ? outcome->Find("phq9") : nullptr;
  if (after > 0 && static_cast<int>(given.size()) >= after && phq && phq->baseline) {
    // The latest PHQ-9 after the first infusion, judged against the baseline.
    const scales::AssessmentOutcome* latest = nullptr;
    for (const auto& p : phq->assessments) {
      if (!p.pre_course && p.change_percent) latest = &p;
    }
    if (latest) {
      const double improvement = -*latest->change_percent;
      if (improvement < min_pct) {
        char text[320];
        std::snprintf(text, sizeof text,
                      "After infusion %d the PHQ-9 is %d against a baseline of %d: %.0f %% "
                      "improvement, less than the %.0f %% expected by now (CLINICAL.md §3); "
                      "review the plan.",
                      after, latest->total, *phq->baseline, improvement, min_pct);
        out.push_back({ReviewKind::kEarlyNonResponse, text});
      }
    }
  }
  const int induction_sessions = static_cast<int>(settings.Get(kCourseInductionSessions));
  if (static_cast<int>(given.size()) >= induction_sessions) {
    std::string text =
        "The induction series is complete (" + std::to_string(given.size()) + " infusions given)";
    if (phq && phq->baseline && !phq->assessments.empty() &&
        phq->assessments.back().change_percent) {
      text += "; PHQ-9 " + std::to_string(phq->assessments.back().total) + " from " +
              std::to_string(*phq->baseline);
    }
    text += ": decide on maintenance.";
    out.push_back({ReviewKind::kEndOfSeries, text});
  }
  return out;
}

}  // namespace kclinic::domain::schedule
