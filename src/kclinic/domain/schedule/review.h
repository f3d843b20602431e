// The reviews an induction series calls for (CLINICAL.md §3): the early non-response review (too
// little PHQ-9 improvement by infusion course.early_review_after_session) and the end-of-series
// review (course.induction_sessions infusions given: decide on maintenance).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/domain/scales/outcomes.h"
#include "kclinic/domain/schedule/ports.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain::schedule {

using domain::ReviewKind;  // schedule/ports.h, with its codes

struct DueReview {
  ReviewKind kind;
  std::string reason;  // in words, for the prescriber's task list
};

// The reviews due for a course whose given infusions are `given` (any order) and whose patient
// has the PHQ-9 totals `phq9` (instrument "phq9", any order; baseline and after-infusion scores
// are told apart by ComputeCourseOutcome), under `settings`:
//  - early_non_response: at least course.early_review_after_session infusions given, a baseline,
//    and the latest PHQ-9 after the first infusion improved less than
//    course.early_review_min_improvement_pct on it;
//  - end_of_series: at least course.induction_sessions infusions given.
// A caller stores each kind once per course.
std::vector<DueReview> DueReviews(std::span<const Timestamp> given,
                                  std::span<const scales::Assessment> phq9,
                                  const SiteSettings& settings);

}  // namespace kclinic::domain::schedule
