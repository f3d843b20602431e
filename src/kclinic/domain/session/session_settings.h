// Keys of the site settings of infusion and esketamine sessions (CLINICAL.md §4). Their defaults,
// bounds and citations are the rows of SessionSettingDefinitions() (settings.cc beside this file);
// read them with domain::SiteSettings::Get(key).
#pragma once

#include <string_view>

#include "kclinic/domain/settings.h"

namespace kclinic::domain::session {

// Days: the newest screening approval is current for this long.
extern const SettingDefinition kScreeningValidDays;  // "session.screening_valid_days"
// Days: informed consent (the intake checklist's informed_consent) is current for this long.
extern const SettingDefinition kConsentValidDays;  // "session.consent_valid_days"
// mmHg: a baseline at or above either defers the infusion.
extern const SettingDefinition kDeferSbpMmHg;  // "session.defer_sbp_mmhg"
extern const SettingDefinition kDeferDbpMmHg;  // "session.defer_dbp_mmhg"
// Minutes between vitals during the infusion, and after it (stopped, recovery, monitoring).
extern const SettingDefinition
    kVitalsIntervalInfusionMin;  // "session.vitals_interval_infusion_min"
extern const SettingDefinition
    kVitalsIntervalRecoveryMin;  // "session.vitals_interval_recovery_min"
// mmHg: during the infusion, SBP or DBP at or above these raises "pause and re-check".
extern const SettingDefinition kAlertSbpMmHg;  // "session.alert_sbp_mmhg"
extern const SettingDefinition kAlertDbpMmHg;  // "session.alert_dbp_mmhg"
// %: SpO2 below this raises the oxygen alarm.
extern const SettingDefinition kAlarmSpo2Percent;  // "session.alarm_spo2_percent"
// beats/min: HR at or above the high, or at or below the low value, raises an alert.
extern const SettingDefinition kAlertHrHighBpm;  // "session.alert_hr_high_bpm"
extern const SettingDefinition kAlertHrLowBpm;   // "session.alert_hr_low_bpm"
// breaths/min: RR below this raises an alert.
extern const SettingDefinition kAlertRrLow;  // "session.alert_rr_low_per_min"
// mmHg: at discharge the last SBP is "near baseline" within this many mmHg.
extern const SettingDefinition kDischargeBpDeltaMmHg;  // "session.discharge_bp_delta_mmhg"
// Minutes of observation after an IV infusion stops before discharge.
extern const SettingDefinition kObservationMinIv;  // "session.observation_min_iv"
// Minutes of monitoring from the first esketamine device before discharge.
extern const SettingDefinition kEsketamineMonitoringMin;  // "session.esketamine_monitoring_min"
// Minutes between two esketamine devices, at least.
extern const SettingDefinition
    kEsketamineDeviceIntervalMin;  // "session.esketamine_device_interval_min"
// Minutes after the first device at which the mid-session BP is due.
extern const SettingDefinition kEsketamineBpCheckMin;  // "session.esketamine_bp_check_min"
// Age in years, inclusive: a pregnancy test applies to female patients of these ages.
extern const SettingDefinition kPregnancyTestMinAge;  // "session.pregnancy_test_min_age"
extern const SettingDefinition kPregnancyTestMaxAge;  // "session.pregnancy_test_max_age"
// Days after the session within which its REMS Patient Monitoring Form is due.
extern const SettingDefinition kRemsSubmissionDays;  // "rems.submission_days"
// %: how far above the plan's dose the draws of a session may go before a prescriber must give
// a reason (rounding up to a syringe's graduations; the rest is wasted with a witness).
extern const SettingDefinition kDrawMarginPercent;  // "session.draw_margin_percent"
// Minutes: an infusion stopped more than this before its planned duration needs a reason.
extern const SettingDefinition kEarlyStopMinutes;  // "session.early_stop_minutes"

}  // namespace kclinic::domain::session
