// A backup file (format 1, backup_command.cc) written and checked, for the `backup` commands and
// the server's scheduled backups (server_tasks.h).
#pragma once

#include <cstdint>
#include <string>

#include "kclinic/base/status.h"
#include "kclinic/store/backup.h"

namespace kclinic::cli {

struct BackupFileWritten {
  store::SnapshotSummary summary;
  uint64_t bytes = 0;  // the whole file
  bool encrypted = false;
  double seconds = 0;
};
// Writes a backup of the database at `db` to `to` (FILE.tmp, synced, renamed), encrypted with the
// key in `key_file` when it is not empty. InvalidArgument (field "to") when `to` exists, (field
// "key-file") for a bad key file; the snapshot's errors (store/backup.h); Unavailable when a file
// cannot be written.
Result<BackupFileWritten> WriteBackupFile(const std::string& db, const std::string& to,
                                          const std::string& key_file);

struct BackupFileVerified {
  int64_t audit_events = 0;  // the backup's audit chain, verified link by link
  int64_t patients = 0;
  std::string created_at;  // the manifest's timestamp text
};
// Checks the backup at `path` end to end as `backup verify` does (manifest, checksum, decryption
// with `key_file` when encrypted, SQLite's checks, counts, the audit chain). FailedPrecondition
// saying what is damaged; InvalidArgument (field "file" or "key-file") for a missing file or a
// key that is missing or not needed.
Result<BackupFileVerified> VerifyBackupFile(const std::string& path, const std::string& key_file);

}  // namespace kclinic::cli
