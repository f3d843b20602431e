// Storage port of the controlled-substance ledger (issue 5).
// Implemented once for SQLite and PostgreSQL in store/ledger_store.cc.
#pragma once

#include "kclinic/domain/ports.h"

namespace kclinic::domain {

class LedgerRepository {
 public:
  virtual ~LedgerRepository() = default;
};

}  // namespace kclinic::domain
