#include "kclinic/cli/server_tasks.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "kclinic/app/audit_anchor.h"
#include "kclinic/app/schedule.h"
#include "kclinic/cli/backup_command.h"
#include "kclinic/cli/key_file.h"
#include "kclinic/domain/schedule/clinic.h"

namespace kclinic::cli {

namespace {

namespace fs = std::filesystem;

std::string TaskQuoted(const std::string& text) { return nlohmann::json(text).dump(); }

}  // namespace

// --- the backup schedule ---

Result<BackupSchedule> ParseBackupSchedule(std::string_view text) {
  BackupSchedule out;
  if (auto local = domain::schedule::ParseLocalTime(text);
      local && text.size() == 5 && *local < std::chrono::hours(24)) {
    out.daily_at = *local;
    return out;
  }
  if (text.size() >= 2 && text.find_first_not_of("0123456789") == text.size() - 1 &&
      text.size() <= 8) {
    const int64_t n = std::stoll(std::string(text.substr(0, text.size() - 1)));
    const char unit = text.back();
    const int64_t per = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : 0;
    if (per > 0 && n >= 1 && n * per <= 7 * 24 * 3600) {
      out.interval = std::chrono::seconds(n * per);
      return out;
    }
  }
  return InvalidArgument("backup-at",
                         "must be a clinic-local time HH:MM (daily) or an interval like 30m, 6h "
                         "or 10s (1 s to 7 days)");
}

Result<Timestamp> NextBackupDue(const BackupSchedule& schedule, std::string_view time_zone,
                                Timestamp after) {
  if (!schedule.daily_at) return after + schedule.interval;
  KC_ASSIGN_OR_RETURN(domain::schedule::LocalDateTime local,
                      domain::schedule::UtcToLocal(time_zone, after));
  std::chrono::sys_days day{local.date};
  // Today's time may already have passed; two days ahead covers a time skipped tomorrow.
  for (int d = 0; d < 3; ++d) {
    domain::schedule::LocalDateTime want{std::chrono::year_month_day{day + std::chrono::days(d)},
                                         *schedule.daily_at};
    auto due = domain::schedule::LocalToUtc(time_zone, want);
    if (!due.ok() && due.status().code() == StatusCode::kFailedPrecondition) {
      want.time += std::chrono::hours(1);  // in the hour a DST change skips
      due = domain::schedule::LocalToUtc(time_zone, want);
    }
    if (!due.ok()) return due.status();
    if (*due > after) return *due;
  }
  return Internal("no backup time found in the next three days");
}

std::chrono::seconds BackupOverdueAfter(const BackupSchedule& schedule) {
  if (schedule.daily_at) return std::chrono::hours(26);
  return 2 * schedule.interval + std::chrono::minutes(1);
}

std::string BackupFileName(Timestamp t, bool with_seconds) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto day = std::chrono::floor<std::chrono::days>(secs);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{secs - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "kclinic-%04d%02u%02u-%02d%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  std::string name = buf;
  if (with_seconds) {
    std::snprintf(buf, sizeof buf, "%02d", static_cast<int>(hms.seconds().count()));
    name += buf;
  }
  return name + ".kcb";
}

std::optional<Timestamp> BackupFileTime(std::string_view name) {
  // kclinic-YYYYMMDD-HHMM[SS].kcb
  constexpr std::string_view kPrefix = "kclinic-", kSuffix = ".kcb";
  if (name.size() != 25 && name.size() != 27) return std::nullopt;
  if (name.substr(0, kPrefix.size()) != kPrefix || name.substr(name.size() - 4) != kSuffix) {
    return std::nullopt;
  }
  std::string_view body = name.substr(kPrefix.size(), name.size() - kPrefix.size() - 4);
  if (body[8] != '-') return std::nullopt;
  std::string digits = std::string(body.substr(0, 8)) + std::string(body.substr(9));
  if (digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  auto num = [&](size_t at, size_t len) { return std::stoi(digits.substr(at, len)); };
  std::chrono::year_month_day ymd{std::chrono::year(num(0, 4)),
                                  std::chrono::month(static_cast<unsigned>(num(4, 2))),
                                  std::chrono::day(static_cast<unsigned>(num(6, 2)))};
  const int hh = num(8, 2), mm = num(10, 2), ss = digits.size() == 14 ? num(12, 2) : 0;
  if (!ymd.ok() || hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  return Timestamp(std::chrono::sys_days(ymd) + std::chrono::hours(hh) + std::chrono::minutes(mm) +
                   std::chrono::seconds(ss));
}

std::vector<std::string> BackupsToPrune(const std::vector<std::string>& names, int keep) {
  std::vector<std::pair<Timestamp, std::string>> backups;
  for (const auto& n : names) {
    if (auto t = BackupFileTime(n)) backups.emplace_back(*t, n);
  }
  std::sort(backups.begin(), backups.end());
  std::vector<std::string> out;
  const size_t kept = static_cast<size_t>(std::max(keep, 0));
  for (size_t i = 0; i + kept < backups.size(); ++i) out.push_back(backups[i].second);
  return out;
}

// --- scheduled backups ---

BackupTask::BackupTask(app::Env env, BackupTaskOptions options, BackupSchedule schedule)
    : env_(env),
      options_(std::move(options)),
      schedule_(schedule),
      health_(BackupOverdueAfter(schedule)) {}

Result<std::unique_ptr<BackupTask>> BackupTask::Start(app::Env env, BackupTaskOptions options) {
  KC_ASSIGN_OR_RETURN(BackupSchedule schedule, ParseBackupSchedule(options.at));
  if (options.keep < 1) return InvalidArgument("backup-keep", "must be 1 or more");
  std::error_code ec;
  if (!fs::is_directory(options.dir, ec)) {
    return InvalidArgument("backup-dir", "names no directory");
  }
  if (::access(options.dir.c_str(), W_OK) != 0) {
    return InvalidArgument("backup-dir", "cannot be written by this user");
  }
  if (!options.key_file.empty()) {
    auto key = ReadKeyFile(options.key_file, "backup-key", 32, /*secret=*/true,
                           "a backup key (from `kclinic backup keygen`)");
    if (!key.ok()) return key.status();
  }
  std::unique_ptr<BackupTask> task(new BackupTask(env, std::move(options), schedule));
  // The newest backup already in the directory counts as the last good one: only backups that
  // verified keep their name (RunOnce).
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(task->options_.dir, ec)) {
    names.push_back(entry.path().filename().string());
  }
  std::optional<Timestamp> newest;
  for (const auto& n : names) {
    if (auto t = BackupFileTime(n); t && (!newest || *t > *newest)) newest = t;
  }
  if (newest) task->health_.Succeeded(*newest);
  task->first_ = !newest.has_value();
  BackupTask* self = task.get();
  task->task_ = std::make_unique<PeriodicTask>(
      env.clock, [self](Timestamp now) { return self->PlanNext(now); },
      [self] { self->RunOnce(); });
  return task;
}

Timestamp BackupTask::PlanNext(Timestamp now) {
  if (first_) {
    first_ = false;
    spdlog::info(R"("msg":"no backup in the backup directory yet: taking one now")");
    return now;
  }
  // A daily backup missed while the server was down is taken now; a failed one is tried again
  // within the hour rather than tomorrow.
  if (schedule_.daily_at && !last_failed_ && health_.last_success() &&
      now - *health_.last_success() > std::chrono::hours(24)) {
    spdlog::info(R"("msg":"the last good backup is more than a day old: taking one now")");
    return now;
  }
  const std::optional<Timestamp> retry =
      last_failed_ ? std::optional<Timestamp>(now + std::chrono::hours(1)) : std::nullopt;
  std::string zone = "UTC";
  if (schedule_.daily_at) {
    auto z = app::ScheduleService(env_).TimeZone();
    if (z.ok())
      zone = *z;
    else
      spdlog::warn(
          R"("msg":"cannot read the clinic's time zone; the backup time is read as UTC","error":{})",
          TaskQuoted(z.status().message()));
  }
  // An interval counts from the last good backup (also one found at start), so a restart does not
  // postpone it.
  Timestamp from = now;
  if (!schedule_.daily_at && health_.last_success() && *health_.last_success() < now) {
    from = std::max(*health_.last_success(), now - schedule_.interval);
  }
  auto due = NextBackupDue(schedule_, zone, from);
  if (!due.ok()) {
    spdlog::error(R"("msg":"cannot plan the next backup; trying again in an hour","error":{})",
                  TaskQuoted(due.status().message()));
    return now + std::chrono::hours(1);
  }
  return retry ? std::min(*retry, *due) : *due;
}

bool BackupTask::RunOnce() {
  // The backup and its check are CPU work on a machine that also answers requests: at nice 10 the
  // scheduler gives the event loops and workers the cores first (Linux: a thread's own nice value).
  thread_local const bool kNiced =
      ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10) == 0;
  (void)kNiced;
  Timestamp now = env_.clock.Now();
  std::string name = BackupFileName(now);
  std::error_code ec;
  if (fs::exists(fs::path(options_.dir) / name, ec)) name = BackupFileName(now, true);
  const std::string path = (fs::path(options_.dir) / name).string();
  auto fail = [&](const char* stage, const Status& s) {
    health_.Failed();
    last_failed_ = true;
    spdlog::error(
        R"("msg":"scheduled backup failed","stage":"{}","file":{},"code":"{}","error":{},"failures":{})",
        stage, TaskQuoted(name), StatusCodeName(s.code()), TaskQuoted(s.message()),
        health_.failures());
    return false;
  };
  auto written = WriteBackupFile(options_.db, path, options_.key_file);
  if (!written.ok()) return fail("write", written.status());
  auto verified = VerifyBackupFile(path, options_.key_file);
  if (!verified.ok()) {
    // A backup that does not verify never keeps a backup's name: it would count as a good one.
    fs::remove(path, ec);
    return fail("verify", verified.status());
  }
  health_.Succeeded(ParseTimestamp(verified->created_at).value_or(now));
  last_failed_ = false;

  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(options_.dir, ec)) {
    names.push_back(entry.path().filename().string());
  }
  int pruned = 0;
  for (const auto& old : BackupsToPrune(names, options_.keep)) {
    if (fs::remove(fs::path(options_.dir) / old, ec)) ++pruned;
    if (ec) {
      spdlog::warn(R"("msg":"cannot delete an old backup","file":{},"error":{})", TaskQuoted(old),
                   TaskQuoted(ec.message()));
    }
  }
  spdlog::info(
      R"("msg":"scheduled backup written and verified","file":{},"audit_events":{},"bytes":{},"encrypted":{},"seconds":{:.2f},"pruned":{})",
      TaskQuoted(name), verified->audit_events, written->bytes,
      written->encrypted ? "true" : "false", written->seconds, pruned);
  return true;
}

void BackupTask::Stop() {
  if (task_) task_->Stop();
}

// --- audit anchors ---

Status AppendAnchorLine(const std::string& path, const std::string& line) {
  std::error_code ec;
  const bool existed = fs::exists(path, ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("open the anchor log " + path);
  // One write: appends from several processes (servers sharing a PostgreSQL) do not interleave.
  Status s = WriteAll(fd, line + "\n");
  if (s.ok() && ::fsync(fd) != 0) s = Errno("fsync the anchor log");
  ::close(fd);
  if (s.ok() && !existed) s = SyncParentDir(path);
  return s;
}

Result<std::vector<std::string>> ReadAnchorLog(const std::string& path) {
  std::vector<std::string> lines;
  std::error_code ec;
  if (!fs::exists(path, ec)) return lines;
  std::ifstream in(path);
  if (!in) return Errno("read the anchor log " + path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

AnchorTask::AnchorTask(domain::Store& store, const Clock& clock, AnchorTaskOptions options,
                       SigningKey key)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      key_(std::move(key)),
      health_(std::chrono::seconds(2 * options_.interval_seconds + 60)) {}

Result<std::unique_ptr<AnchorTask>> AnchorTask::Start(domain::Store& store, const Clock& clock,
                                                      AnchorTaskOptions options) {
  if (options.interval_seconds < 1) {
    return InvalidArgument("anchor-interval-seconds", "must be 1 or more");
  }
  KC_ASSIGN_OR_RETURN(std::string seed,
                      ReadKeyFile(options.key_file, "anchor-key", kSigningSeedBytes,
                                  /*secret=*/true, "an anchor key (from `kclinic audit keygen`)"));
  KC_ASSIGN_OR_RETURN(SigningKey key, SigningKey::FromSeed(seed));
  auto lines = ReadAnchorLog(options.log);
  if (!lines.ok()) return InvalidArgument("anchor-log", lines.status().message());

  // The last anchor this key signed that verifies; lines that do not are for `audit verify
  // --anchors` to report, and are named in the log here.
  std::optional<app::AuditAnchor> last;
  int bad = 0;
  for (const auto& line : *lines) {
    if (line.empty()) continue;
    auto anchor = app::ParseAnchorLine(line);
    if (!anchor.ok() || !app::AnchorSignatureValid(*anchor, key.public_key())) {
      ++bad;
      continue;
    }
    last = *anchor;
  }
  if (bad > 0) {
    spdlog::warn(
        R"("msg":"the anchor log has lines that are not anchors signed by this key; run kclinic audit verify --anchors","lines":{})",
        bad);
  }
  bool after_rollback = false;
  if (last) {
    KC_ASSIGN_OR_RETURN(app::AnchorStanding standing, app::CompareWithAnchor(store, *last));
    if (!standing.consistent()) {
      std::string what = standing.events_missing > 0
                             ? "the anchor log's last anchor records " + std::to_string(last->seq) +
                                   " audit events and the database holds " +
                                   std::to_string(standing.database_seq) + ": " +
                                   std::to_string(standing.events_missing) + " events are missing"
                             : "the anchor log's last anchor records event " +
                                   std::to_string(last->seq) +
                                   " and the database holds a different one there";
      spdlog::error(
          R"("msg":"the database is behind the audit anchor log: rolled back or cut short","anchored_seq":{},"database_seq":{},"events_missing":{},"accepted":{})",
          last->seq, standing.database_seq, standing.events_missing,
          options.accept_rollback ? "true" : "false");
      if (!options.accept_rollback) {
        return FailedPrecondition(
            what +
            " (the database was rolled back to an older copy, or events were cut off the end of "
            "its audit trail). Check it with `kclinic audit verify --anchors`; to serve it anyway "
            "(a restore you chose), pass --anchor-accept-rollback");
      }
      after_rollback = true;
    }
  }
  std::unique_ptr<AnchorTask> task(new AnchorTask(store, clock, std::move(options), key));
  if (last && !after_rollback) {
    task->last_seq_ = last->seq;
    task->last_hash_ = last->head_hash;
  }
  if (!task->AnchorNow(after_rollback)) {
    return InvalidArgument("anchor-log", "cannot be appended to (see the log)");
  }
  AnchorTask* self = task.get();
  const auto interval = std::chrono::seconds(task->options_.interval_seconds);
  task->task_ = std::make_unique<PeriodicTask>(
      clock, [interval](Timestamp now) { return now + interval; }, [self] { self->AnchorNow(); });
  spdlog::info(R"("msg":"audit anchors on","key_id":"{}","interval_s":{})",
               SigningKeyId(task->key_.public_key()), task->options_.interval_seconds);
  return task;
}

bool AnchorTask::AnchorNow(bool after_rollback) {
  auto anchor = app::AnchorHead(store_, key_, clock_, after_rollback);
  if (!anchor.ok()) {
    health_.Failed();
    spdlog::error(R"("msg":"cannot read the audit head to anchor it","error":{})",
                  TaskQuoted(anchor.status().message()));
    return false;
  }
  if (anchor->seq == last_seq_ && anchor->head_hash == last_hash_) {
    health_.Succeeded(anchor->at);  // still anchored: nothing new to sign
    return true;
  }
  if (Status s = AppendAnchorLine(options_.log, app::FormatAnchorLine(*anchor)); !s.ok()) {
    health_.Failed();
    spdlog::error(R"("msg":"cannot append to the anchor log","error":{})", TaskQuoted(s.message()));
    return false;
  }
  last_seq_ = anchor->seq;
  last_hash_ = anchor->head_hash;
  health_.Succeeded(anchor->at);
  spdlog::debug(R"("msg":"audit head anchored","seq":{})", anchor->seq);
  return true;
}

void AnchorTask::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (task_) task_->Stop();
  if (AnchorNow()) {
    spdlog::info(R"("msg":"audit head anchored at stop","seq":{})", last_seq_);
  }
}

}  // namespace kclinic::cli
