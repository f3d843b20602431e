// What the server does on a schedule beside serving (issue 22 items 12 and 13), each on a
// PeriodicTask of its own (base/periodic_task.h), never on an event loop or a worker:
//
//   * scheduled backups: a backup file (backup_command.h) written into a directory at a local
//     time of day or every so often, checked end to end, the newest N good ones kept;
//   * audit anchors: the audit chain's head signed and appended to a log outside the database
//     (app/audit_anchor.h), and the log's last anchor checked against the database before the
//     server serves it.
//
// Both log their outcome (no patient data) and keep an app::TaskHealth for /metrics and /readyz.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/app/env.h"
#include "kclinic/app/task_health.h"
#include "kclinic/base/periodic_task.h"
#include "kclinic/base/signing.h"

namespace kclinic::cli {

// When backups are taken: daily at a clinic-local time, or every `interval`.
struct BackupSchedule {
  std::optional<std::chrono::minutes> daily_at;  // minutes after local midnight
  std::chrono::seconds interval{0};              // when not daily
};
// "HH:MM" (daily, clinic-local time) or an interval "N" + s, m or h ("30m", "6h", "10s").
// InvalidArgument (field "backup-at") otherwise, or for an interval under 1 s or over 7 days.
Result<BackupSchedule> ParseBackupSchedule(std::string_view text);
// The first time a backup is due strictly after `after`: the next HH:MM in `time_zone` (a time
// that does not exist on a day, skipped at a DST change, moves to an hour later), or
// after + interval. InvalidArgument for an unknown zone.
Result<Timestamp> NextBackupDue(const BackupSchedule& schedule, std::string_view time_zone,
                                Timestamp after);
// How long after a backup the next one is late: a day and two hours for a daily one, two
// intervals and a minute otherwise.
std::chrono::seconds BackupOverdueAfter(const BackupSchedule& schedule);

// The file name of a backup taken at `t` (UTC, so names sort by time whatever the zone):
// "kclinic-YYYYMMDD-HHMM.kcb", or "kclinic-YYYYMMDD-HHMMSS.kcb" `with_seconds`.
std::string BackupFileName(Timestamp t, bool with_seconds = false);
// The time in such a name; nullopt for any other name.
std::optional<Timestamp> BackupFileTime(std::string_view name);
// Of `names` (file names in the backup directory), the backups to delete so that the newest
// `keep` remain, oldest first; names that are not backups are never listed.
std::vector<std::string> BackupsToPrune(const std::vector<std::string>& names, int keep);

struct BackupTaskOptions {
  std::string db;            // the database URL
  std::string dir;           // where the backups are written
  std::string at = "02:00";  // ParseBackupSchedule
  int keep = 7;              // good backups kept
  std::string key_file;      // encrypt with this key (backup keygen); empty: not encrypted
};

// Scheduled backups. One runs at once when the directory holds no backup, or (daily) when its
// newest is more than a day old; a failed one is tried again within the hour.
class BackupTask {
 public:
  // Checks the options (InvalidArgument naming the flag: backup-dir, backup-at, backup-keep,
  // backup-key) and starts the thread. `env` must outlive the task (the clinic's time zone is read
  // through it before each wait).
  static Result<std::unique_ptr<BackupTask>> Start(app::Env env, BackupTaskOptions options);
  // Waits for a backup in progress to end and stops. Idempotent.
  void Stop();
  const app::TaskHealth& health() const { return health_; }
  // One backup now, as the schedule runs it (write, verify, prune, log); true on success.
  bool RunOnce();

 private:
  BackupTask(app::Env env, BackupTaskOptions options, BackupSchedule schedule);
  Timestamp PlanNext(Timestamp now);

  app::Env env_;
  BackupTaskOptions options_;
  BackupSchedule schedule_;
  app::TaskHealth health_;
  bool first_ = true;
  bool last_failed_ = false;  // the last run failed: try again within the hour
  std::unique_ptr<PeriodicTask> task_;
};

struct AnchorTaskOptions {
  std::string key_file;  // the Ed25519 seed (audit keygen)
  std::string log;       // the anchor log, appended to
  int interval_seconds = 300;
  // Serve although the log's last anchor is ahead of the database (a restore the operator chose);
  // the next anchor is marked after_rollback.
  bool accept_rollback = false;
};

// Audit anchors: one when the server starts, one every interval while the head moves, one at a
// clean stop.
class AnchorTask {
 public:
  // Reads the key (InvalidArgument, field "anchor-key"), checks the log's last anchor against the
  // database (FailedPrecondition, saying how many events are missing, when the database is
  // behind it and `accept_rollback` is not set), appends the first anchor (InvalidArgument, field
  // "anchor-log", when the log cannot be written) and starts the thread. `store` and `clock` must
  // outlive the task.
  static Result<std::unique_ptr<AnchorTask>> Start(domain::Store& store, const Clock& clock,
                                                   AnchorTaskOptions options);
  // Stops the thread and signs the head once more. Call once nothing writes audit events any more
  // (after the server stopped). Idempotent.
  void Stop();
  const app::TaskHealth& health() const { return health_; }

 private:
  AnchorTask(domain::Store& store, const Clock& clock, AnchorTaskOptions options, SigningKey key);
  // Signs the head and appends it unless it is the last one written; false on failure (logged).
  bool AnchorNow(bool after_rollback = false);

  domain::Store& store_;
  const Clock& clock_;
  AnchorTaskOptions options_;
  SigningKey key_;
  app::TaskHealth health_;
  int64_t last_seq_ = -1;
  std::string last_hash_;
  bool stopped_ = false;
  std::unique_ptr<PeriodicTask> task_;
};

// Appends `line` and a newline to the anchor log at `path` (created mode 0644), synced.
Status AppendAnchorLine(const std::string& path, const std::string& line);
// The anchor log's lines; an empty list when the file does not exist. Unavailable when it cannot
// be read.
Result<std::vector<std::string>> ReadAnchorLog(const std::string& path);

}  // namespace kclinic::cli
