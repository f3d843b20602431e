// Keys of the ledger's site settings (defined with their citations in settings.cc).
#pragma once

#include <string_view>

namespace kclinic::domain::ledger {

inline constexpr std::string_view kLossReportBusinessDays = "ledger.loss_report_business_days";
inline constexpr std::string_view kRetentionYears = "ledger.retention_years";

}  // namespace kclinic::domain::ledger
