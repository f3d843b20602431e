// Internal to http/ and cli/: the JSON of the ledger's lots, entries, discrepancies and report
// (the CLI's `ledger report --json` prints the same document as GET /api/v1/ledger/report).
#pragma once

#include <nlohmann/json.hpp>

#include "kclinic/app/ledger.h"

namespace kclinic::http {

nlohmann::json LedgerLotJson(const app::LotView& v);
nlohmann::json LedgerEntryJson(const domain::ledger::Entry& e);
nlohmann::json LedgerDiscrepancyJson(const app::DiscrepancyView& v);
nlohmann::json LedgerReportJson(const app::LedgerReport& r);

}  // namespace kclinic::http
