// The controlled-substance ledger's site settings, each with its source (CLINICAL.md §7, DEA
// Practitioner's Manual).
#include "kclinic/domain/ledger/settings.h"

#include "kclinic/domain/settings.h"

namespace kclinic::domain {

const SettingDefinition ledger::kLossReportBusinessDays{
    "ledger.loss_report_business_days",
    1,
    1,
    5,
    "business days",
    "CLINICAL.md §7 [V, DEA Practitioner's Manual; 21 CFR 1301.76(b)]: theft or significant loss "
    "reported to the DEA within 1 business day of discovery (Form 106 within 45 days)"};
const SettingDefinition ledger::kRetentionYears{
    "ledger.retention_years",
    2,
    2,
    50,
    "years",
    "CLINICAL.md §7 [V, DEA Practitioner's Manual; 21 CFR 1304.04(a)]: records kept at least 2 "
    "years (some states 5); kclinic never deletes ledger entries, this is the minimum shown"};

namespace {

const SettingDefinition* const kLedgerDefinitions[] = {
    &ledger::kLossReportBusinessDays,
    &ledger::kRetentionYears,
};

}  // namespace

std::span<const SettingDefinition* const> LedgerSettingDefinitions() { return kLedgerDefinitions; }

}  // namespace kclinic::domain
