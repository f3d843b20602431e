// The cited settings of measurement-based care: scoring, outcomes, questionnaire schedules and
// suicidal-ideation alert escalation. Keys are in scale_settings.h.
#include "kclinic/domain/settings.h"
#include "kclinic/domain/scales/scale_settings.h"

namespace kclinic::domain {

const SettingDefinition scales::kProrateEnabled{
    "scales.prorate_enabled",
    0,
    0,
    1,
    "0/1",
    "CLINICAL.md §5: a total only when every scored item is answered unless the site enables "
    "prorating, and then it is labelled prorated; off by default"};
const SettingDefinition scales::kProrateMaxMissingItems{
    "scales.prorate_max_missing_items",
    1,
    0,
    3,
    "items",
    "Site choice (CLINICAL.md §5 sets no limit); 1 keeps a prorated PHQ-9/GAD-7 within one "
    "item's mean of the full score. Suicidality items are never prorated whatever this says"};
const SettingDefinition scales::kBprsPositiveItemThreshold{
    "scales.bprs_positive_item_threshold",
    4,
    2,
    7,
    "BPRS item score (1-7)",
    "CLINICAL.md §5: new positive symptoms -> alert; 4 = 'moderate' on the BPRS anchors "
    "(Overall & Gorham 1962), positive subscale as in Krystal et al. 1994"};
const SettingDefinition scales::kResponseReductionPercent{
    "outcomes.response_reduction_percent",
    50,
    25,
    90,
    "% reduction from baseline",
    "CLINICAL.md §6: response = at least 50 % reduction from the course baseline on the primary "
    "scale"};
const SettingDefinition scales::kRelapseMinDays{
    "outcomes.relapse_min_days",
    5,
    1,
    30,
    "days",
    "CLINICAL.md §6, SUSTAIN-1 (Daly et al., JAMA Psychiatry 2019): loss of response on two "
    "consecutive assessments 5-15 days apart"};
const SettingDefinition scales::kRelapseMaxDays{
    "outcomes.relapse_max_days",
    15,
    2,
    60,
    "days",
    "CLINICAL.md §6, SUSTAIN-1 (Daly et al., JAMA Psychiatry 2019): loss of response on two "
    "consecutive assessments 5-15 days apart"};
const SettingDefinition scales::kBeforeSessionHours{
    "schedule.before_session_hours",
    72,
    1,
    168,
    "h",
    "Issue 3: PHQ-9 and GAD-7 due before each session; the PHQ-9/GAD-7 recall period is 2 weeks "
    "(Kroenke 2001, Spitzer 2006), so answers up to 3 days old still describe the pre-session "
    "state"};
const SettingDefinition scales::kMaintenanceIntervalDays{
    "schedule.maintenance_interval_days",
    7,
    1,
    28,
    "days",
    "Issue 3: weekly questionnaires during maintenance (measurement-based care)"};
const SettingDefinition scales::kReminderDays{
    "schedule.reminder_days",
    3,
    0,
    14,
    "days",
    "Issue 3: after a missed questionnaire, a reminder each day for 3 days"};
const SettingDefinition scales::kAlertEscalateAfterMinutes{
    "alerts.escalate_after_minutes",
    60,
    5,
    1440,
    "min",
    "Issue 3: an unacknowledged suicidal-ideation alert escalates after a configurable time. "
    "60 min is a site choice within the same clinic shift; the Joint Commission's NPSG "
    "15.01.01 (reduce the risk for suicide) expects written follow-up of positive screens "
    "but sets no minute figure"};

const SettingDefinition scales::kBackdateMaxDays{
    "scales.backdate_max_days",
    14,
    0,
    90,
    "days",
    "The PHQ-9 and GAD-7 ask about the last 2 weeks (Kroenke 2001; Spitzer 2006): a paper form "
    "entered later than that describes a period the chart would misplace"};

namespace {

const SettingDefinition* const kMeasurementDefinitions[] = {
    &scales::kProrateEnabled,
    &scales::kProrateMaxMissingItems,
    &scales::kBprsPositiveItemThreshold,
    &scales::kResponseReductionPercent,
    &scales::kRelapseMinDays,
    &scales::kRelapseMaxDays,
    &scales::kBeforeSessionHours,
    &scales::kMaintenanceIntervalDays,
    &scales::kReminderDays,
    &scales::kAlertEscalateAfterMinutes,
    &scales::kBackdateMaxDays,
};

}  // namespace

std::span<const SettingDefinition* const> MeasurementSettingDefinitions() {
  return kMeasurementDefinitions;
}

}  // namespace kclinic::domain
