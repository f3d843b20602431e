// Internal to app/: the demo clinic's treatment and screening data (demo_care.cc).
#pragma once

#include <vector>

#include "kclinic/app/app.h"

namespace kclinic::app {

// Adds courses, sessions, assessments, alerts, intakes and decisions for the demo `patients`
// (the first is Ana Silva, the portal login) inside `tx`.
Status SeedDemoCare(const Env& env, domain::Transaction& tx,
                    const std::vector<domain::Patient>& patients, Timestamp now);

}  // namespace kclinic::app
