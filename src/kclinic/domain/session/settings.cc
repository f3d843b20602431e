// The cited settings of infusion and esketamine sessions. Keys are in session_settings.h.
#include "kclinic/domain/session/session_settings.h"

namespace kclinic::domain {

const SettingDefinition session::kScreeningValidDays{
    "session.screening_valid_days",
    365,
    7,
    730,
    "days",
    "Site rule (CLINICAL.md §1 pre-treatment evaluation sets no period): a screening approval "
    "older than a year is repeated before the next infusion"};
const SettingDefinition session::kConsentValidDays{
    "session.consent_valid_days",
    365,
    7,
    730,
    "days",
    "Site rule (CLINICAL.md §1: informed consent for off-label use; no period is cited): consent "
    "is renewed yearly"};
const SettingDefinition session::kDeferSbpMmHg{
    "session.defer_sbp_mmhg",
    160,
    130,
    200,
    "mmHg",
    "CLINICAL.md §4: defer if pre-infusion BP >= 160/100 (range used 140/90-160/100) [R]"};
const SettingDefinition session::kDeferDbpMmHg{
    "session.defer_dbp_mmhg",
    100,
    80,
    120,
    "mmHg",
    "CLINICAL.md §4: defer if pre-infusion BP >= 160/100 (range used 140/90-160/100) [R]"};
const SettingDefinition session::kVitalsIntervalInfusionMin{
    "session.vitals_interval_infusion_min",
    10,
    1,
    30,
    "min",
    "CLINICAL.md §4: BP every 10 min during infusion (Emory, Riva-Posse 2018) [V]"};
const SettingDefinition session::kVitalsIntervalRecoveryMin{
    "session.vitals_interval_recovery_min",
    15,
    1,
    60,
    "min",
    "CLINICAL.md §4: BP every 15 min after the infusion (Emory, Riva-Posse 2018) [V]"};
const SettingDefinition session::kAlertSbpMmHg{
    "session.alert_sbp_mmhg",
    180,
    140,
    220,
    "mmHg",
    "CLINICAL.md §4: pause and re-check if SBP >= 180 or DBP >= 110 during infusion [R]"};
const SettingDefinition session::kAlertDbpMmHg{
    "session.alert_dbp_mmhg",
    110,
    90,
    130,
    "mmHg",
    "CLINICAL.md §4: pause and re-check if SBP >= 180 or DBP >= 110 during infusion [R]"};
const SettingDefinition session::kAlarmSpo2Percent{
    "session.alarm_spo2_percent", 92, 85, 98, "%", "CLINICAL.md §4: SpO2 < 92 % alarm [R]"};
const SettingDefinition session::kAlertHrHighBpm{
    "session.alert_hr_high_bpm",
    120,
    90,
    180,
    "beats/min",
    "Practice [R] (CLINICAL.md §4 lists HR monitoring without a number): tachycardia >= 120"};
const SettingDefinition session::kAlertHrLowBpm{
    "session.alert_hr_low_bpm",
    50,
    30,
    60,
    "beats/min",
    "Practice [R] (CLINICAL.md §4 lists HR monitoring without a number): bradycardia <= 50"};
const SettingDefinition session::kAlertRrLow{
    "session.alert_rr_low_per_min",
    10,
    6,
    14,
    "breaths/min",
    "Practice [R] (CLINICAL.md §4 lists RR monitoring; respiratory depression on the Spravato "
    "label [V]): RR < 10"};
const SettingDefinition session::kDischargeBpDeltaMmHg{
    "session.discharge_bp_delta_mmhg",
    20,
    5,
    60,
    "mmHg",
    "CLINICAL.md §4: discharge when BP/HR are near baseline; 20 mmHg is a site choice [R]"};
const SettingDefinition session::kObservationMinIv{
    "session.observation_min_iv",
    60,
    15,
    240,
    "min",
    "CLINICAL.md §4: observation typically >= 60 min after IV [practice]"};
const SettingDefinition session::kEsketamineMonitoringMin{
    "session.esketamine_monitoring_min",
    120,
    120,
    480,
    "min",
    "CLINICAL.md §4 and the Spravato label/REMS: monitor >= 2 h after the first device [V]"};
const SettingDefinition session::kEsketamineDeviceIntervalMin{
    "session.esketamine_device_interval_min",
    5,
    5,
    15,
    "min",
    "CLINICAL.md §3: 28 mg devices, 5 min apart (Spravato label) [V]"};
const SettingDefinition session::kEsketamineBpCheckMin{
    "session.esketamine_bp_check_min",
    40,
    30,
    60,
    "min",
    "Spravato label: BP before dosing, about 40 min after dosing and before discharge [V]"};
const SettingDefinition session::kPregnancyTestMinAge{
    "session.pregnancy_test_min_age",
    12,
    8,
    20,
    "years",
    "CLINICAL.md §1: pregnancy test where applicable; site rule for 'applicable': female 12-55"};
const SettingDefinition session::kPregnancyTestMaxAge{
    "session.pregnancy_test_max_age",
    55,
    40,
    65,
    "years",
    "CLINICAL.md §1: pregnancy test where applicable; site rule for 'applicable': female 12-55"};
const SettingDefinition session::kRemsSubmissionDays{
    "rems.submission_days",
    7,
    1,
    7,
    "days",
    "CLINICAL.md §4: the Spravato REMS Patient Monitoring Form is due within 7 days of every "
    "session [V]"};
const SettingDefinition session::kDrawMarginPercent{
    "session.draw_margin_percent",
    25,
    0,
    100,
    "% of the planned dose",
    "[R] site choice: room to round a draw up to the syringe's graduations; every milligram "
    "drawn and not given is wasted with a witness and recorded (21 CFR 1304.22(c))"};
const SettingDefinition session::kEarlyStopMinutes{
    "session.early_stop_minutes",
    2,
    0,
    30,
    "min",
    "[R] site choice: an infusion ended before its planned duration (Murrough 2013: 40 min) "
    "gives less than the planned dose, which the record must explain"};

namespace {

const SettingDefinition* const kSessionDefinitions[] = {
    &session::kScreeningValidDays,
    &session::kConsentValidDays,
    &session::kDeferSbpMmHg,
    &session::kDeferDbpMmHg,
    &session::kVitalsIntervalInfusionMin,
    &session::kVitalsIntervalRecoveryMin,
    &session::kAlertSbpMmHg,
    &session::kAlertDbpMmHg,
    &session::kAlarmSpo2Percent,
    &session::kAlertHrHighBpm,
    &session::kAlertHrLowBpm,
    &session::kAlertRrLow,
    &session::kDischargeBpDeltaMmHg,
    &session::kObservationMinIv,
    &session::kEsketamineMonitoringMin,
    &session::kEsketamineDeviceIntervalMin,
    &session::kEsketamineBpCheckMin,
    &session::kPregnancyTestMinAge,
    &session::kPregnancyTestMaxAge,
    &session::kRemsSubmissionDays,
    &session::kDrawMarginPercent,
    &session::kEarlyStopMinutes,
};

}  // namespace

std::span<const SettingDefinition* const> SessionSettingDefinitions() {
  return kSessionDefinitions;
}

}  // namespace kclinic::domain
