// Backups at the database level (issue 22 item 12): a consistent snapshot of a kclinic database
// into one SQLite file of the SQLite schema (the payload of a backup), the checks of such a file,
// and restoring one into an empty database of either back end. The payload is portable: a
// snapshot of PostgreSQL restores into SQLite and the other way round. Packaging the payload
// (manifest, checksum, encryption) is the caller's (cli/backup_command.cc).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kclinic/base/status.h"

namespace kclinic::store {

struct TableRows {
  std::string table;
  int64_t rows = 0;
};

// What a snapshot holds, read from the snapshot itself (so it describes exactly that state).
struct SnapshotSummary {
  std::string source_backend;     // "sqlite" or "postgresql" (SnapshotToSqlite only)
  int schema_version = 0;         // the highest migration applied
  std::vector<TableRows> tables;  // every table that holds data, by name; no schema_migrations
  int64_t audit_seq = 0;          // the audit chain head
  std::string audit_hash;
  // The rows of `table`, or -1 when the snapshot has no such table.
  int64_t RowsOf(std::string_view table) const;
};

// Writes a consistent snapshot of the kclinic database at `url` (sqlite:PATH or postgresql://)
// into a new SQLite file at `path`, while other processes keep writing the database. SQLite:
// SQLite's online backup API in one step (one read transaction). PostgreSQL: one REPEATABLE READ
// READ ONLY transaction reads every table into a SQLite database migrated to the same schema
// version. InvalidArgument (field "db") for a bad URL or a missing SQLite file; Unavailable when
// the database cannot be reached; FailedPrecondition when it is not a kclinic database, or holds
// a table or column the SQLite schema lacks (nothing is left out silently).
Result<SnapshotSummary> SnapshotToSqlite(const std::string& url, const std::string& path);

// Checks the snapshot file at `path`: PRAGMA integrity_check and foreign_key_check; then
// summarises it. FailedPrecondition naming the problem when a check fails.
Result<SnapshotSummary> InspectSnapshot(const std::string& path);

// Restores the snapshot file at `path` (a scratch copy, already checked, which this migrates in
// place) into the database at `url`: refuses a target that holds data (FailedPrecondition naming
// the first table with rows; nothing changed), migrates the snapshot and the target to this
// program's schema, copies every table in one transaction, sets PostgreSQL sequences past the
// restored values, and compares every table's rows with the snapshot's. Returns the target's
// summary as committed. `scratch_dir` is a private directory for a freshly migrated database
// (what "empty" means: the rows the migrations themselves insert). FailedPrecondition when the
// snapshot's schema is newer than this program's.
Result<SnapshotSummary> RestoreSnapshot(const std::string& path, const std::string& url,
                                        const std::string& scratch_dir);

// The highest migration this program knows for SQLite (a payload's schema).
int LatestSqliteSchema();

}  // namespace kclinic::store
