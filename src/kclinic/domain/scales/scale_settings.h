// Keys of the site settings that rating scales, outcomes, questionnaire schedules and
// suicidal-ideation alerts use. Their defaults, bounds and citations are the rows of
// MeasurementSettingDefinitions() (settings.cc beside this file); read them with
// domain::SiteSettings::Get(key).
#pragma once

#include <string_view>

#include "kclinic/domain/settings.h"

namespace kclinic::domain::scales {

// 0/1: report a prorated total when a few scored items are unanswered (CLINICAL.md §5).
extern const SettingDefinition kProrateEnabled;  // "scales.prorate_enabled"
// Items: the most scored items that may be missing for a prorated total.
extern const SettingDefinition kProrateMaxMissingItems;  // "scales.prorate_max_missing_items"
// BPRS score (1-7): a positive-subscale item at or above it raises the `positive_symptoms` flag.
extern const SettingDefinition kBprsPositiveItemThreshold;  // "scales.bprs_positive_item_threshold"
// %: reduction from the course baseline that counts as response (CLINICAL.md §6).
extern const SettingDefinition kResponseReductionPercent;  // "outcomes.response_reduction_percent"
// Days: the two assessments that confirm a relapse are at least / at most this far apart.
extern const SettingDefinition kRelapseMinDays;  // "outcomes.relapse_min_days"
extern const SettingDefinition kRelapseMaxDays;  // "outcomes.relapse_max_days"
// Hours before a session in which its PHQ-9 / GAD-7 may be answered.
extern const SettingDefinition kBeforeSessionHours;  // "schedule.before_session_hours"
// Days between questionnaires during maintenance.
extern const SettingDefinition kMaintenanceIntervalDays;  // "schedule.maintenance_interval_days"
// Days of daily reminders after a missed questionnaire.
extern const SettingDefinition kReminderDays;  // "schedule.reminder_days"
// Minutes after which an unacknowledged suicidal-ideation alert escalates (used by app/).
extern const SettingDefinition kAlertEscalateAfterMinutes;  // "alerts.escalate_after_minutes"

// Days: how far back staff may date a paper questionnaire they enter (CheckAdministeredAt).
extern const SettingDefinition kBackdateMaxDays;  // "scales.backdate_max_days"

}  // namespace kclinic::domain::scales
