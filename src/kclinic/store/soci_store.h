// The one storage implementation, through SOCI, for both back ends: SQLite (embedded default:
// WAL, synchronous=FULL, foreign keys on, busy timeout) and PostgreSQL 15. Queries are shared;
// the few dialect differences (locking the audit chain head, BEGIN IMMEDIATE) are explicit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/domain/ports.h"

namespace kclinic::store {

struct StoreOptions {
  // "sqlite:PATH" or a libpq URL "postgresql://user@host:port/db".
  std::string url = "sqlite:var/kclinic.db";
  // Connections kept open; each transaction holds one for its lifetime.
  size_t pool_size = 8;
  // Keep patient records in memory between reads. SQLite: an exact cache (CachedPatient). Such a
  // store must see every write to its patients, so OpenStore then takes an exclusive lock on the
  // database file for the store's lifetime and a second store asking for the cache on the same
  // file is refused (FailedPrecondition): on SQLite one server serves a database. PostgreSQL,
  // where other servers write the same database: the records read, each with its revision, to be
  // confirmed by the audit append before an answer from one leaves (RecentPatient). `kclinic
  // serve` and `kclinic demo` ask for it; the other commands leave it off.
  bool patient_cache = false;
  // SQLite: writes are refused (Unavailable) while the disk holding the database has less free
  // space than this, so a full disk never half-writes a clinical record; the audit trail may still
  // use the reserve, so that records stay readable. 0: no reserve.
  uint64_t reserve_disk_bytes = 0;
  // SQLite: run `PRAGMA quick_check` on open and refuse a damaged database (FailedPrecondition).
  bool check_integrity = false;
};

// Opens the database named by options.url and returns the store. InvalidArgument (field "db")
// for a URL of an unknown scheme; Unavailable when the database cannot be opened or reached.
Result<std::unique_ptr<domain::Store>> OpenStore(const StoreOptions& options);

// SQLite's `PRAGMA integrity_check` (full) or `quick_check` on the database of `url`: the problems
// it reports, empty when the file is sound. InvalidArgument for a URL that is not sqlite:.
Result<std::vector<std::string>> CheckSqliteIntegrity(const std::string& url, bool full);

// The libpq keyword=value connect string for a postgresql:// URL (SOCI's own parser mangles URLs).
// InvalidArgument (field "db") when libpq cannot parse it.
Result<std::string> PostgresConnectString(const std::string& url);

// The numbered migrations of one back end, in order, as embedded at build time.
struct Migration {
  int number;
  std::string name;
  std::string sql;
};
std::vector<Migration> MigrationsFor(std::string_view backend);

}  // namespace kclinic::store
