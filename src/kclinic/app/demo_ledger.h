// Internal to app/: the demo clinic's controlled-substance ledger (demo_ledger.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kclinic/app/app.h"

namespace kclinic::app {

// The demo lots' numbers, stable so that other demo seeders (the session demo) can find them.
inline constexpr std::string_view kDemoLotNumbers[] = {"KET-24-1187", "KET-25-0412"};

// Receives two lots of ketamine 500 mg/10 mL vials from a supplier with a valid DEA number, takes
// the initial inventory count, and records draw/administer/waste for a few past sessions of the
// demo `patients`, inside `tx`. Call after the users exist and before the session demo.
Status SeedDemoLedger(const Env& env, domain::Transaction& tx,
                      const std::vector<domain::Patient>& patients, Timestamp now);

// The ids of the demo lots in kDemoLotNumbers order (those that exist).
Result<std::vector<std::string>> DemoLotIds(domain::Transaction& tx);

}  // namespace kclinic::app
