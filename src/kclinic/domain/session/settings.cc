// The cited settings of infusion and esketamine sessions. Keys are in session_settings.h.
#include "kclinic/domain/session/session_settings.h"

namespace kclinic::domain {

namespace {

using namespace session;  // NOLINT(google-build-using-namespace): the key constants

const SettingDefinition kDefinitions[] = {
    {kScreeningValidDays, 365, 7, 730, "days",
     "Site rule (CLINICAL.md §1 pre-treatment evaluation sets no period): a screening approval "
     "older than a year is repeated before the next infusion"},
    {kConsentValidDays, 365, 7, 730, "days",
     "Site rule (CLINICAL.md §1: informed consent for off-label use; no period is cited): consent "
     "is renewed yearly"},
    {kDeferSbpMmHg, 160, 130, 200, "mmHg",
     "CLINICAL.md §4: defer if pre-infusion BP >= 160/100 (range used 140/90-160/100) [R]"},
    {kDeferDbpMmHg, 100, 80, 120, "mmHg",
     "CLINICAL.md §4: defer if pre-infusion BP >= 160/100 (range used 140/90-160/100) [R]"},
    {kVitalsIntervalInfusionMin, 10, 1, 30, "min",
     "CLINICAL.md §4: BP every 10 min during infusion (Emory, Riva-Posse 2018) [V]"},
    {kVitalsIntervalRecoveryMin, 15, 1, 60, "min",
     "CLINICAL.md §4: BP every 15 min after the infusion (Emory, Riva-Posse 2018) [V]"},
    {kAlertSbpMmHg, 180, 140, 220, "mmHg",
     "CLINICAL.md §4: pause and re-check if SBP >= 180 or DBP >= 110 during infusion [R]"},
    {kAlertDbpMmHg, 110, 90, 130, "mmHg",
     "CLINICAL.md §4: pause and re-check if SBP >= 180 or DBP >= 110 during infusion [R]"},
    {kAlarmSpo2Percent, 92, 85, 98, "%", "CLINICAL.md §4: SpO2 < 92 % alarm [R]"},
    {kAlertHrHighBpm, 120, 90, 180, "beats/min",
     "Practice [R] (CLINICAL.md §4 lists HR monitoring without a number): tachycardia >= 120"},
    {kAlertHrLowBpm, 50, 30, 60, "beats/min",
     "Practice [R] (CLINICAL.md §4 lists HR monitoring without a number): bradycardia <= 50"},
    {kAlertRrLow, 10, 6, 14, "breaths/min",
     "Practice [R] (CLINICAL.md §4 lists RR monitoring; respiratory depression on the Spravato "
     "label [V]): RR < 10"},
    {kDischargeBpDeltaMmHg, 20, 5, 60, "mmHg",
     "CLINICAL.md §4: discharge when BP/HR are near baseline; 20 mmHg is a site choice [R]"},
    {kObservationMinIv, 60, 15, 240, "min",
     "CLINICAL.md §4: observation typically >= 60 min after IV [practice]"},
    {kEsketamineMonitoringMin, 120, 120, 480, "min",
     "CLINICAL.md §4 and the Spravato label/REMS: monitor >= 2 h after the first device [V]"},
    {kEsketamineDeviceIntervalMin, 5, 5, 15, "min",
     "CLINICAL.md §3: 28 mg devices, 5 min apart (Spravato label) [V]"},
    {kEsketamineBpCheckMin, 40, 30, 60, "min",
     "Spravato label: BP before dosing, about 40 min after dosing and before discharge [V]"},
    {kPregnancyTestMinAge, 12, 8, 20, "years",
     "CLINICAL.md §1: pregnancy test where applicable; site rule for 'applicable': female 12-55"},
    {kPregnancyTestMaxAge, 55, 40, 65, "years",
     "CLINICAL.md §1: pregnancy test where applicable; site rule for 'applicable': female 12-55"},
    {kRemsSubmissionDays, 7, 1, 7, "days",
     "CLINICAL.md §4: the Spravato REMS Patient Monitoring Form is due within 7 days of every "
     "session [V]"},
};

}  // namespace

std::span<const SettingDefinition> SessionSettingDefinitions() { return kDefinitions; }

}  // namespace kclinic::domain
