// Internal to app/: the demo clinic's resources and bookings (demo_schedule.cc).
#pragma once

#include <vector>

#include "kclinic/app/app.h"

namespace kclinic::app {

// Adds the clinic's time zone, hours, holidays, chairs, nurses' qualifications and shifts, and
// books the planned sessions of the demo patients in treatment (their induction series and
// Ana Silva's booster), an open portal booking request and an open review task, inside `tx`.
// Runs after SeedDemoCare. Keeps one approved patient without bookings (see the .cc).
Status SeedDemoSchedule(const Env& env, domain::Transaction& tx,
                        const std::vector<domain::Patient>& patients, Timestamp now);

}  // namespace kclinic::app
