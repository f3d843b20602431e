// Storage port of resources and bookings (issue 6).
// Implemented once for SQLite and PostgreSQL in store/schedule_store.cc.
#pragma once

#include "kclinic/domain/ports.h"

namespace kclinic::domain {

class ScheduleRepository {
 public:
  virtual ~ScheduleRepository() = default;
};

}  // namespace kclinic::domain
