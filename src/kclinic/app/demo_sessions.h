// Internal to app/: the demo clinic's infusion and esketamine sessions (demo_sessions.cc).
#pragma once

#include <vector>

#include "kclinic/app/app.h"

namespace kclinic::app {

// Adds today's sessions (the clock's date, UTC) and a few past ones for the demo `patients`
// inside `tx`; call after the care and ledger demos (it needs saved plans and the demo lots).
//
// Stable for browser tests (see the report of issue 5): among patients in treatment with a saved
// plan, ordered as the demo made them and skipping Ana Silva (the portal login),
//   * the first is the IV e2e patient: escort named, fresh PHQ-9, session today 13:00 "scheduled";
//   * the second is the esketamine e2e patient: likewise, esketamine 56 mg today 14:00 "scheduled";
//   * the third has an IV session running (vitals, 40 mg drawn from demo lot KET-24-1187);
//   * Ana Silva has an IV session checked in;
// and the first screening candidate (not in treatment) has an esketamine session in monitoring
// (pre-checks overridden) with an incomplete REMS form. Past esketamine sessions of the e2e
// esketamine patient are signed, two with complete REMS forms and one (6 days ago) pending.
Status SeedDemoSessions(const Env& env, domain::Transaction& tx,
                        const std::vector<domain::Patient>& patients, Timestamp now);

}  // namespace kclinic::app
