// Storage port of infusion and esketamine sessions (issue 5).
// Implemented once for SQLite and PostgreSQL in store/infusion_store.cc.
#pragma once

#include "kclinic/domain/ports.h"

namespace kclinic::domain {

class InfusionRepository {
 public:
  virtual ~InfusionRepository() = default;
};

}  // namespace kclinic::domain
