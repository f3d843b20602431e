// Keys of the site settings that rating scales, outcomes, questionnaire schedules and
// suicidal-ideation alerts use. Their defaults, bounds and citations are the rows of
// MeasurementSettingDefinitions() (settings.cc beside this file); read them with
// domain::SiteSettings::Get(key).
#pragma once

#include <string_view>

namespace kclinic::domain::scales {

// 0/1: report a prorated total when a few scored items are unanswered (CLINICAL.md §5).
inline constexpr std::string_view kProrateEnabled = "scales.prorate_enabled";
// Items: the most scored items that may be missing for a prorated total.
inline constexpr std::string_view kProrateMaxMissingItems = "scales.prorate_max_missing_items";
// BPRS score (1-7): a positive-subscale item at or above it raises the `positive_symptoms` flag.
inline constexpr std::string_view kBprsPositiveItemThreshold =
    "scales.bprs_positive_item_threshold";
// %: reduction from the course baseline that counts as response (CLINICAL.md §6).
inline constexpr std::string_view kResponseReductionPercent = "outcomes.response_reduction_percent";
// Days: the two assessments that confirm a relapse are at least / at most this far apart.
inline constexpr std::string_view kRelapseMinDays = "outcomes.relapse_min_days";
inline constexpr std::string_view kRelapseMaxDays = "outcomes.relapse_max_days";
// Hours before a session in which its PHQ-9 / GAD-7 may be answered.
inline constexpr std::string_view kBeforeSessionHours = "schedule.before_session_hours";
// Days between questionnaires during maintenance.
inline constexpr std::string_view kMaintenanceIntervalDays = "schedule.maintenance_interval_days";
// Days of daily reminders after a missed questionnaire.
inline constexpr std::string_view kReminderDays = "schedule.reminder_days";
// Minutes after which an unacknowledged suicidal-ideation alert escalates (used by app/).
inline constexpr std::string_view kAlertEscalateAfterMinutes = "alerts.escalate_after_minutes";

}  // namespace kclinic::domain::scales
