// Storage port of the controlled-substance ledger (issue 5).
// Implemented once for SQLite and PostgreSQL in store/ledger_store.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/domain/ledger/ledger.h"
#include "kclinic/domain/ports.h"

namespace kclinic::domain {

class LedgerRepository {
 public:
  virtual ~LedgerRepository() = default;

  virtual Status InsertLot(const ledger::Lot& lot) = 0;
  virtual Result<std::vector<ledger::Lot>> Lots() = 0;
  virtual Result<std::optional<ledger::Lot>> FindLot(std::string_view id) = 0;
  // Takes the lot's append lock for the rest of the (write) transaction: SELECT ... FOR UPDATE on
  // PostgreSQL; SQLite's write transaction already holds the database's write lock. Returns the
  // lot, or nullopt when it does not exist.
  virtual Result<std::optional<ledger::Lot>> LockLot(std::string_view id) = 0;
  // The newest entry of a lot (highest seq), nullopt when it has none.
  virtual Result<std::optional<ledger::Entry>> LastEntry(std::string_view lot_id) = 0;
  // Appends an entry (seq and balance_after already chained). AlreadyExists when another
  // transaction appended the same seq first; InvalidArgument-like constraint failures when the
  // balance would go negative.
  virtual Status InsertEntry(const ledger::Entry& entry) = 0;
  // Entries of a lot in seq order.
  virtual Result<std::vector<ledger::Entry>> Entries(std::string_view lot_id) = 0;
  // Every entry of every lot, by lot then seq.
  virtual Result<std::vector<ledger::Entry>> AllEntries() = 0;
  virtual Result<std::vector<ledger::Entry>> SessionEntries(std::string_view session_id) = 0;

  virtual Status InsertDiscrepancy(const ledger::Discrepancy& d) = 0;
  // Newest first.
  virtual Result<std::vector<ledger::Discrepancy>> Discrepancies() = 0;
  virtual Result<std::optional<ledger::Discrepancy>> FindDiscrepancy(std::string_view id) = 0;
  // Closes an open discrepancy. FailedPrecondition when it was already resolved.
  virtual Status ResolveDiscrepancy(std::string_view id, Timestamp at, std::string_view by,
                                    std::string_view resolution, bool reported_to_dea) = 0;
};

}  // namespace kclinic::domain
