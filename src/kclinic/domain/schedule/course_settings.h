// The cited settings of the course planners (CLINICAL.md §3): booster timing, the early review of
// an induction series and the end-of-series review. Defaults, bounds and citations are in
// settings.cc beside this file; read them with domain::SiteSettings::Get(setting).
#pragma once

#include "kclinic/domain/settings.h"

namespace kclinic::domain::schedule {

// Booster planning (booster.h, BoosterSettingsFrom).
extern const SettingDefinition kBoosterRelapsePhq9;
extern const SettingDefinition kBoosterRelapseRise;
extern const SettingDefinition kBoosterMinIntervalDays;
extern const SettingDefinition kBoosterMaxIntervalDays;
extern const SettingDefinition kBoosterMarginDays;
extern const SettingDefinition kBoosterStableIntervals;
extern const SettingDefinition kBoosterLengthenStepDays;
extern const SettingDefinition kBoosterShortenStepDays;
extern const SettingDefinition kBoosterPriorBenefitDays;
// Days ahead that a proposed booster shows as due on the worklist.
extern const SettingDefinition kBoosterDueWithinDays;
// The early non-response review: after this infusion of a series, a PHQ-9 improvement from the
// baseline under the percentage raises a review. Deliberately a setting of its own, apart from
// dosing.titration.min_improvement_percent: both default to CLINICAL.md's "< 25 % PHQ-9 drop =
// no meaningful improvement", but one decides whether a prescriber reviews the whole course and
// the other whether the next dose steps up, and a site may well want to review sooner than it
// raises a dose.
extern const SettingDefinition kCourseEarlyReviewAfterSession;
extern const SettingDefinition kCourseEarlyReviewMinImprovementPct;
// Infusions in an induction series; the end-of-series review comes after this many.
extern const SettingDefinition kCourseInductionSessions;

}  // namespace kclinic::domain::schedule
