// The cited settings of the course planners (issue 6, CLINICAL.md §3): booster timing and the
// early review of an induction series.
#include "kclinic/domain/schedule/course_settings.h"

namespace kclinic::domain {

const SettingDefinition schedule::kBoosterRelapsePhq9{
    "booster.relapse_phq9",
    10,
    5,
    27,
    "PHQ-9 total",
    "CLINICAL.md §3 [R]: suggested relapse trigger PHQ-9 >= 10"};
const SettingDefinition schedule::kBoosterRelapseRise{
    "booster.relapse_rise",
    5,
    1,
    27,
    "PHQ-9 points above the post-induction score",
    "CLINICAL.md §3 [R]: or >= 5 points above the post-induction score (5 = the PHQ-9's "
    "minimal clinically important difference)"};
const SettingDefinition schedule::kBoosterMinIntervalDays{
    "booster.min_interval_days",
    7,
    1,
    90,
    "days",
    "CLINICAL.md §3: maintenance no more often than weekly (Phillips 2019 weekly maintenance; "
    "esketamine label weeks 5-8 weekly)"};
const SettingDefinition schedule::kBoosterMaxIntervalDays{
    "booster.max_interval_days",
    56,
    14,
    180,
    "days",
    "CLINICAL.md §3 [R]: practice tapers to monthly; site bound of 8 weeks so that a stable "
    "patient is still seen"};
const SettingDefinition schedule::kBoosterMarginDays{
    "booster.margin_days",
    3,
    0,
    21,
    "days before the predicted relapse",
    "[R] site choice: weekly PHQ-9 finds a relapse up to 6 days late, so book a few days ahead "
    "of the estimated loss of benefit"};
const SettingDefinition schedule::kBoosterStableIntervals{
    "booster.stable_intervals",
    2,
    1,
    10,
    "consecutive intervals without relapse",
    "CLINICAL.md §3 [R]: lengthen after a stable stretch (taper weekly -> every 2 weeks -> "
    "monthly)"};
const SettingDefinition schedule::kBoosterLengthenStepDays{
    "booster.lengthen_step_days",
    7,
    1,
    28,
    "days",
    "CLINICAL.md §3 [R]: the taper steps by 1-2 weeks"};
const SettingDefinition schedule::kBoosterShortenStepDays{
    "booster.shorten_step_days",
    7,
    1,
    28,
    "days",
    "CLINICAL.md §3 [R]: boosters are triggered by symptom return; after an early relapse come "
    "back a week sooner"};
const SettingDefinition schedule::kBoosterPriorBenefitDays{
    "booster.prior_benefit_days",
    18,
    7,
    60,
    "days",
    "CLINICAL.md §3: Murrough 2013, median 18 days to relapse after the last infusion among "
    "responders (the estimate before a patient's own relapse has been seen)"};
const SettingDefinition schedule::kCourseEarlyReviewAfterSession{
    "course.early_review_after_session",
    4,
    2,
    6,
    "infusions",
    "CLINICAL.md §3: a trend is expected by infusion 2-4 (Phillips 2019 median 3 to response); "
    "flag non-improvement after infusion 4"};
const SettingDefinition schedule::kCourseEarlyReviewMinImprovementPct{
    "course.early_review_min_improvement_pct",
    25,
    0,
    100,
    "% PHQ-9 drop from baseline",
    "CLINICAL.md §3 and issue 6: review after the fourth infusion without at least a 25 % "
    "improvement"};
const SettingDefinition schedule::kCourseInductionSessions{
    "course.induction_sessions",
    6,
    2,
    12,
    "infusions",
    "CLINICAL.md §3: induction is 6 infusions over 2-3 weeks (Murrough 2013, Singh 2016, "
    "Anand 2023, Oliver 2022); the end-of-series review comes after this many"};
const SettingDefinition schedule::kBoosterDueWithinDays{
    "booster.due_within_days",
    7,
    1,
    28,
    "days",
    "Site practice [R]: a proposed booster shows as due on the worklist this many days ahead, "
    "so the front desk can book it before the predicted relapse (CLINICAL.md §3)"};

namespace {

const SettingDefinition* const kCourseDefinitions[] = {
    &schedule::kBoosterRelapsePhq9,
    &schedule::kBoosterRelapseRise,
    &schedule::kBoosterMinIntervalDays,
    &schedule::kBoosterMaxIntervalDays,
    &schedule::kBoosterMarginDays,
    &schedule::kBoosterStableIntervals,
    &schedule::kBoosterLengthenStepDays,
    &schedule::kBoosterShortenStepDays,
    &schedule::kBoosterPriorBenefitDays,
    &schedule::kCourseEarlyReviewAfterSession,
    &schedule::kCourseEarlyReviewMinImprovementPct,
    &schedule::kCourseInductionSessions,
    &schedule::kBoosterDueWithinDays,
};

}  // namespace

std::span<const SettingDefinition* const> CourseSettingDefinitions() { return kCourseDefinitions; }

}  // namespace kclinic::domain
