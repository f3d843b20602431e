// Internal to http/ and cli/: the JSON of the ledger's lots, entries, discrepancies and report
// (the CLI's `ledger report --json` prints the same document as GET /api/v1/ledger/report).
#pragma once

#include <nlohmann/json.hpp>

#include "kclinic/app/ledger.h"

namespace kclinic::http {

nlohmann::json LedgerLotJson(const app::LotView& v);
// `labels` names the entry's session by patient and day ("session": null when it names none).
nlohmann::json LedgerEntryJson(const domain::ledger::Entry& e,
                               const app::SessionLabels& labels = {});
nlohmann::json LedgerDiscrepancyJson(const app::DiscrepancyView& v);
nlohmann::json LedgerReportJson(const app::LedgerReport& r);

}  // namespace kclinic::http
