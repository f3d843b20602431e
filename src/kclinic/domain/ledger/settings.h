// Keys of the ledger's site settings (defined with their citations in settings.cc).
#pragma once

#include <string_view>

#include "kclinic/domain/settings.h"

namespace kclinic::domain::ledger {

extern const SettingDefinition kLossReportBusinessDays;  // "ledger.loss_report_business_days"
extern const SettingDefinition kRetentionYears;          // "ledger.retention_years"

}  // namespace kclinic::domain::ledger
