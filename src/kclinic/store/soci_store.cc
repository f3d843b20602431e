#include "kclinic/store/soci_store.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <typeindex>
#include <unordered_map>

#include "kclinic/base/non_blocking.h"
#include "kclinic/codec/patient_json.h"
#include "kclinic/domain/ledger/ports.h"
#include "kclinic/domain/schedule/ports.h"
#include "kclinic/domain/session/ports.h"
#include "kclinic/store/audit_repository.h"
#include "kclinic/store/clinical_store.h"
#include "kclinic/store/connection_pool.h"
#include "kclinic/store/patient_cache.h"
#include "kclinic/store/patients_repository.h"
#include "kclinic/store/sessions_repository.h"
#include "kclinic/store/settings_repository.h"
#include "kclinic/store/soci_common.h"
#include "kclinic/store/sqlite_checkpointer.h"
#include "kclinic/store/statement_cache.h"
#include "kclinic/store/users_repository.h"

namespace kclinic::store {

using namespace domain;
using namespace internal;

namespace {

// The transaction (one leased connection, the repositories of the five core ports, the area
// repositories made on first use) and the store.

class SociTransaction final : public Transaction {
 public:
  SociTransaction(soci::connection_pool& pool, std::vector<StatementCache>& caches, Dialect dialect,
                  Reconnector* reconnect)
      : lease_(pool, caches, reconnect),
        sql_(lease_.session()),
        patients_(sql_, lease_.cache(), records_),
        users_(sql_, lease_.cache()),
        sessions_(sql_, lease_.cache()),
        audit_(sql_, dialect, lease_.cache()),
        settings_(sql_) {}

  ~SociTransaction() override {
    if (open_) {
      try {
        RunControl<Control::kRollback>(sql_, lease_.cache());
      } catch (const std::exception&) {
        // The connection is broken; the server rolled back already.
        lease_.cache().Clear();
      }
    }
    records_.ForgetWritten();
  }

  Status Start(Dialect dialect, TxMode mode, PatientCache* records, RecentPatients* recent) {
    // The generation is read before the transaction's first statement, so a change that commits
    // after it was read moves it on and the read below cannot be cached stale.
    records_.cache = records;
    records_.recent = recent;
    if (records) {
      records_.offer = mode == TxMode::kRead;
      records_.generation = records->generation();
    }
    if (dialect == Dialect::kPostgres && mode == TxMode::kRead) return Status::Ok();  // autocommit
    return GuardCached(lease_.cache(), "begin transaction", [&]() -> Status {
      if (dialect == Dialect::kSqlite && mode == TxMode::kWrite) {
        // SQLite: a write transaction takes the write lock up front, so it never fails half-way
        // on a lock upgrade that busy_timeout cannot wait out.
        RunControl<Control::kBeginImmediate>(sql_, lease_.cache());
      } else if (dialect == Dialect::kPostgres && mode == TxMode::kSnapshot) {
        RunControl<Control::kBeginRepeatableRead>(sql_, lease_.cache());
      } else {
        RunControl<Control::kBegin>(sql_, lease_.cache());
      }
      open_ = true;
      return Status::Ok();
    });
  }

  PatientRepository& patients() override { return patients_; }
  UserRepository& users() override { return users_; }
  SessionRepository& sessions() override { return sessions_; }
  AuditRepository& audit() override { return audit_; }
  SettingsRepository& settings() override { return settings_; }
  // Made on first use: the hot patient read never pays for them.
  CareRepository& care() override {
    if (!care_) care_ = MakeCareRepository(sql_);
    return *care_;
  }
  ScreeningRepository& screening() override {
    if (!screening_) screening_ = MakeScreeningRepository(sql_);
    return *screening_;
  }
  InfusionRepository& infusions() override {
    if (!infusions_) infusions_ = MakeInfusionRepository(sql_);
    return *infusions_;
  }
  LedgerRepository& ledger() override {
    if (!ledger_) ledger_ = MakeLedgerRepository(sql_);
    return *ledger_;
  }
  ScheduleRepository& schedule() override {
    if (!schedule_) schedule_ = MakeScheduleRepository(sql_);
    return *schedule_;
  }
  domain::IdempotencyRepository& idempotency() override {
    if (!idempotency_) idempotency_ = MakeIdempotencyRepository(sql_);
    return *idempotency_;
  }

  Status Commit() override {
    if (!open_) return Status::Ok();  // an autocommit read
    return GuardCached(lease_.cache(), "commit", [&]() -> Status {
      RunControl<Control::kCommit>(sql_, lease_.cache());
      open_ = false;
      records_.ForgetWritten();
      return Status::Ok();
    });
  }

 private:
  Lease lease_;
  soci::session& sql_;
  bool open_ = false;
  PatientCacheUse records_;  // before patients_, which holds a reference to it
  SociPatients patients_;
  SociUsers users_;
  SociSessions sessions_;
  SociAudit audit_;
  SociSettings settings_;
  std::unique_ptr<CareRepository> care_;
  std::unique_ptr<ScreeningRepository> screening_;
  std::unique_ptr<InfusionRepository> infusions_;
  std::unique_ptr<LedgerRepository> ledger_;
  std::unique_ptr<ScheduleRepository> schedule_;
  std::unique_ptr<domain::IdempotencyRepository> idempotency_;
};

// Set while this thread appends audit events (SociStore::AppendAudit), which may use the disk's
// reserve.
thread_local bool appending_audit = false;

class SociStore final : public Store {
 public:
  SociStore(Dialect dialect, size_t pool_size)
      : dialect_(dialect), pool_size_(pool_size), pool_(pool_size), caches_(pool_size) {
    if (dialect_ == Dialect::kPostgres) {
      reconnect_ = std::make_unique<Reconnector>([](soci::session& s) { PreparePostgres(s); });
    }
  }

  // What every PostgreSQL connection is set up with, when opened and when opened again.
  static void PreparePostgres(soci::session& s) {
    ExecScript(s, Dialect::kPostgres, "SET client_min_messages = warning");
  }

  // `path`: the SQLite database file (empty for PostgreSQL).
  Status Open(const std::string& connect, const std::string& path = "") {
    return Guard("open database", [&]() -> Status {
      for (size_t i = 0; i < pool_size_; ++i) {
        soci::session& s = pool_.at(i);
        if (dialect_ == Dialect::kSqlite) {
          s.open(soci::sqlite3, connect);
          // WAL lets readers run beside the writer; FULL syncs every clinical commit to disk;
          // the busy handler (WaitWhileBusy) makes writers from other threads wait instead of
          // failing.
          // No memory map (mmap_size=0): in WAL mode SQLite drops a reader's map whenever another
          // connection has committed, and the audit writer commits every millisecond or so under
          // load, so each reader re-mapped the file (mmap, munmap, a TLB shoot-down across cores)
          // about once every eight reads; plain reads through the page cache were ~9 % faster
          // (bench/README.md).
          ExecScript(s, dialect_,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                     "PRAGMA foreign_keys=ON; PRAGMA mmap_size=0;");
          auto* db = static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
          sqlite_api::sqlite3_busy_handler(db, &WaitWhileBusy, nullptr);
          // The database file grows in 4 MiB steps when a checkpoint extends it, not a page at a
          // time: fewer, larger extensions of a file that the audit trail grows all day. (Added
          // while chasing the re-maps above, which it did not stop; kept as ordinary hygiene, its
          // own speed effect unmeasured.)
          int chunk = 4 << 20;
          sqlite_api::sqlite3_file_control(db, "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
          if (!checkpointer_) checkpointer_ = std::make_unique<SqliteCheckpointer>(path);
          checkpointer_->Watch(db);
        } else {
          s.open(soci::postgresql, connect);
          PreparePostgres(s);
        }
      }
      return Status::Ok();
    });
  }

  ~SociStore() override {
    if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
  }

  // Turns on the patient cache (StoreOptions::patient_cache) once this process holds an exclusive
  // lock on the database file. flock locks are separate from the POSIX locks SQLite itself takes
  // on the same file, so the two never interfere.
  Status CachePatients(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status(StatusCode::kUnavailable, "cannot open the SQLite database file");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return FailedPrecondition(
            "another kclinic server is serving this SQLite database; one server serves a SQLite "
            "database (use PostgreSQL for several)");
      }
      return Status(StatusCode::kUnavailable, "cannot lock the SQLite database file");
    }
    lock_fd_ = fd;
    patient_cache_ = std::make_unique<PatientCache>();
    return Status::Ok();
  }

  std::shared_ptr<const Patient> CachedPatient(const PatientId& id) override {
    return patient_cache_ ? patient_cache_->Find(id.value()) : nullptr;
  }
  bool caches_patients() const override { return patient_cache_ != nullptr; }

  // PostgreSQL with StoreOptions::patient_cache: keeps the records it reads, to be confirmed.
  void KeepRecentPatients() { recent_ = std::make_unique<RecentPatients>(); }
  RecentRecord RecentPatient(const PatientId& id) override {
    return recent_ ? recent_->Find(id.value()) : RecentRecord{};
  }

  Result<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
    if (RefuseBlocking()) {
      return Status(StatusCode::kUnavailable, "the database is not used on the event loop");
    }
    if (mode == TxMode::kWrite && !appending_audit) KC_RETURN_IF_ERROR(CheckReserve(false));
    try {
      auto tx = std::make_unique<SociTransaction>(pool_, caches_, dialect_, reconnect_.get());
      KC_RETURN_IF_ERROR(tx->Start(dialect_, mode, patient_cache_.get(), recent_.get()));
      return std::unique_ptr<Transaction>(std::move(tx));
    } catch (const std::exception& e) {
      return FromSociException(e, "begin transaction");
    }
  }

  // PostgreSQL: one statement in autocommit, from the head this store's last append left (no
  // BEGIN, lock or COMMIT round trips; AppendChainedStatement). When there is no such guess, or
  // another server or a transaction's own append has moved the head since (then nothing was
  // written), the events go in through the locked transaction instead (Store::AppendAudit:
  // SELECT ... FOR UPDATE on the head). Re-reading the head and trying without the lock again
  // could starve: a server whose guess is right needs one round trip per append and would win
  // every race against one that needs two. The lock queues them, so each append makes progress.
  // SQLite: the transaction as always (no round trips to save; BEGIN IMMEDIATE serialises).
  Status AppendAudit(std::vector<AuditEvent>& events) override {
    if (dialect_ != Dialect::kPostgres) {
      // The audit trail may use the disk's reserve (CheckReserve): reads stay possible.
      appending_audit = true;
      Status s = Store::AppendAudit(events);
      appending_audit = false;
      return s;
    }
    if (events.empty()) return Status::Ok();
    if (RefuseBlocking()) {
      return Status(StatusCode::kUnavailable, "the database is not used on the event loop");
    }
    std::lock_guard lock(head_mu_);
    if (head_ && events.size() <= kMaxAuditRows) {  // one statement, so all or nothing
      const long long seq = head_->first;
      const std::string hash = std::move(head_->second);
      head_.reset();  // until an append says where the head is
      try {
        Lease lease(pool_, caches_, reconnect_.get());
        Result<bool> stored =
            GuardCached(lease.cache(), "append audit events", [&]() -> Result<bool> {
              ChainFrom(events, seq, hash);
              return lease.cache()
                  .Get<AppendChainedStatement>(lease.session(), static_cast<int>(events.size()))
                  .Run(events, 0, seq, hash);
            });
        if (!stored.ok()) return stored.status();
        if (*stored) {
          head_ = std::make_pair(static_cast<long long>(events.back().seq), events.back().hash);
          ConfirmServed(events);
          return Status::Ok();
        }
      } catch (const std::exception& e) {  // leasing a connection
        return FromSociException(e, "append audit events");
      }
    }
    KC_RETURN_IF_ERROR(Store::AppendAudit(events));
    head_ = std::make_pair(static_cast<long long>(events.back().seq), events.back().hash);
    ConfirmServed(events);
    return Status::Ok();
  }

  // For the events whose read was answered from a recent record (served_rev): served_stale when
  // that is no longer the patient's revision, or when the check itself failed (the server then
  // reads the record again, so a failed check costs a read, never a stale answer). The check is
  // its own statement, after the events are stored: its snapshot is taken after every request of
  // the batch arrived, so a confirmed record was current at a moment between the request and its
  // answer, as a read of the database would have been.
  void ConfirmServed(std::vector<AuditEvent>& events) {
    std::string ids;
    for (const AuditEvent& e : events) {
      if (e.served_rev != 0) AppendArrayElement(ids, e.patient_id);
    }
    if (ids.empty()) return;
    ids += '}';
    std::unordered_map<std::string, long long> current;
    Status checked = [&]() -> Status {
      try {
        Lease lease(pool_, caches_, reconnect_.get());
        return GuardCached(lease.cache(), "check patient revisions", [&]() -> Status {
          auto& q = lease.cache().Get<PatientRevsStatement>(lease.session());
          q.key = std::move(ids);
          q.st.execute();
          while (q.st.fetch()) current[q.id] = q.rev;
          return Status::Ok();
        });
      } catch (const std::exception& e) {  // leasing a connection
        return FromSociException(e, "check patient revisions");
      }
    }();
    for (AuditEvent& e : events) {
      if (e.served_rev == 0) continue;
      auto it = current.find(e.patient_id);
      e.served_stale = !checked.ok() || it == current.end() || it->second != e.served_rev;
    }
  }

  Result<int> Migrate() override {
    return Guard("migrate", [&]() -> Result<int> {
      Lease lease(pool_, caches_, reconnect_.get());
      soci::session& sql = lease.session();
      ExecScript(sql, dialect_,
                 "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                 "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
      int applied = 0;
      for (const Migration& m : MigrationsFor(backend())) {
        // Each migration and its record commit together; a second server racing to apply the
        // same one fails on the primary key and rolls back.
        InScriptTransaction(sql, dialect_, [&] {
          int done = 0;
          int number = m.number;
          sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v",
              soci::use(number, "v"), soci::into(done);
          if (done == 0) {
            ExecScript(sql, dialect_, m.sql);
            std::string name = m.name, at = FormatTimestamp(SystemClock::Get().Now());
            sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)",
                soci::use(number, "v"), soci::use(name, "n"), soci::use(at, "a");
            ++applied;
          }
        });
      }
      return applied;
    });
  }

  std::string_view backend() const override {
    return dialect_ == Dialect::kSqlite ? "sqlite" : "postgresql";
  }

  // SQLite: the path of the database file; the reserve of free disk space below which writes are
  // refused.
  void WatchDisk(std::string path, uint64_t reserve_bytes) {
    path_ = std::move(path);
    reserve_ = reserve_bytes;
  }

  // Unavailable while the disk holding the SQLite database has less free space than the reserve.
  // The free space is looked at (statvfs) at most once a second, or now when `fresh`.
  Status CheckReserve(bool fresh) {
    if (reserve_ == 0 || path_.empty()) return Status::Ok();
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    if (fresh || now - free_checked_at_.load(std::memory_order_relaxed) > 1'000'000'000) {
      struct statvfs fs {};
      auto dir = std::filesystem::absolute(path_).parent_path();
      if (::statvfs(dir.c_str(), &fs) == 0) {
        free_bytes_.store(static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize,
                          std::memory_order_relaxed);
      }
      free_checked_at_.store(now, std::memory_order_relaxed);
    }
    uint64_t free = free_bytes_.load(std::memory_order_relaxed);
    bool low = free < reserve_;
    if (low != low_disk_.exchange(low)) {
      if (low) {
        spdlog::error(
            R"("msg":"disk almost full; writes refused until space is freed","free_mb":{},"reserve_mb":{})",
            free >> 20, reserve_ >> 20);
      } else {
        spdlog::info(R"("msg":"disk space above the reserve again; writes accepted","free_mb":{})",
                     free >> 20);
      }
    }
    if (!low) return Status::Ok();
    refused_low_disk_.fetch_add(1, std::memory_order_relaxed);
    return Status(StatusCode::kUnavailable, "the disk holding the database is almost full (" +
                                                std::to_string(free >> 20) + " MB free, " +
                                                std::to_string(reserve_ >> 20) +
                                                " MB kept in reserve); nothing was saved");
  }

  Status CheckWritable() override {
    KC_RETURN_IF_ERROR(CheckReserve(true));
    return Guard("check that a write commits", [&]() -> Status {
      Lease lease(pool_, caches_, reconnect_.get());
      soci::session& sql = lease.session();
      std::string at = FormatTimestamp(SystemClock::Get().Now());
      InScriptTransaction(sql, dialect_, [&] {
        sql << "INSERT INTO readiness_checks (id, checked_at) VALUES (1, :a) "
               "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
            soci::use(at, "a");
      });
      return Status::Ok();
    });
  }

  std::vector<std::string> DurabilityRisks() override {
    std::vector<std::string> risks;
    Status read = Guard("read the durability settings", [&]() -> Status {
      Lease lease(pool_, caches_, reconnect_.get());
      soci::session& sql = lease.session();
      if (dialect_ == Dialect::kPostgres) {
        std::string fsync, sync_commit, full_pages;
        sql << "SELECT current_setting('fsync'), current_setting('synchronous_commit'), "
               "current_setting('full_page_writes')",
            soci::into(fsync), soci::into(sync_commit), soci::into(full_pages);
        if (fsync == "off") {
          risks.push_back(
              "PostgreSQL runs with fsync=off: a crash of its machine can lose acknowledged "
              "writes and damage the database");
        }
        if (sync_commit == "off") {
          risks.push_back(
              "PostgreSQL runs with synchronous_commit=off: a crash of the database server can "
              "lose the last acknowledged writes");
        }
        if (full_pages == "off") {
          risks.push_back(
              "PostgreSQL runs with full_page_writes=off: a crash can leave torn pages");
        }
        return Status::Ok();
      }
      int synchronous = 0;
      sql << "PRAGMA synchronous", soci::into(synchronous);
      if (synchronous < 2) {
        risks.push_back("SQLite runs with synchronous below FULL: a power cut can lose commits");
      }
      struct statfs fs {};
      auto dir = std::filesystem::absolute(path_).parent_path();
      constexpr long kTmpfs = 0x01021994, kRamfs = 0x858458f6;
      if (::statfs(dir.c_str(), &fs) == 0 &&
          (static_cast<long>(fs.f_type) == kTmpfs || static_cast<long>(fs.f_type) == kRamfs)) {
        risks.push_back(
            "the SQLite database is on a RAM disk (tmpfs): a restart of the machine loses it");
      }
      return Status::Ok();
    });
    if (!read.ok()) risks.push_back("the database's durability settings could not be read");
    return risks;
  }

  FaultCounters fault_counters() const override {
    FaultCounters c;
    if (reconnect_) {
      c.reconnects = reconnect_->reconnects();
      c.reconnect_failures = reconnect_->failed_tries();
    }
    c.writes_refused_low_disk = refused_low_disk_.load(std::memory_order_relaxed);
    return c;
  }

  bool Ping() override {
    try {
      Lease lease(pool_, caches_, reconnect_.get());
      int one = 0;
      lease.session() << "SELECT 1", soci::into(one);
      return one == 1;
    } catch (const std::exception&) {
      return false;
    }
  }

 private:
  Dialect dialect_;
  size_t pool_size_;
  // SQLite only. Declared before the pool, so it outlives the connections whose WAL hook calls it.
  std::unique_ptr<SqliteCheckpointer> checkpointer_;
  soci::connection_pool pool_;
  // One per pooled connection, indexed like the pool; declared after it, so destroyed first
  // (statements must go before their sessions).
  std::vector<StatementCache> caches_;
  std::unique_ptr<PatientCache> patient_cache_;  // null unless CachePatients succeeded
  std::unique_ptr<RecentPatients> recent_;       // null unless KeepRecentPatients
  // PostgreSQL: the audit chain head as this store's last AppendAudit left it (seq, hash), or
  // unknown. Only a guess: an append from it stores anything only if it is still the head.
  std::mutex head_mu_;
  std::optional<std::pair<long long, std::string>> head_;
  int lock_fd_ = -1;
  std::unique_ptr<Reconnector> reconnect_;  // PostgreSQL only
  // SQLite: the database file and the disk reserve (WatchDisk, CheckReserve).
  std::string path_;
  uint64_t reserve_ = 0;
  std::atomic<int64_t> free_checked_at_{0};  // steady clock, ns
  std::atomic<uint64_t> free_bytes_{UINT64_MAX};
  std::atomic<bool> low_disk_{false};
  std::atomic<int64_t> refused_low_disk_{0};
};

}  // namespace

void ConfigureSqliteOnce();

Result<std::vector<std::string>> CheckSqliteIntegrity(const std::string& url, bool full) {
  if (url.rfind("sqlite:", 0) != 0) return InvalidArgument("db", "is not a sqlite: database");
  std::string path = url.substr(7);
  if (!std::filesystem::exists(path)) return InvalidArgument("db", "names no file: " + path);
  ConfigureSqliteOnce();
  sqlite_api::sqlite3* db = nullptr;
  int rc = sqlite_api::sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::vector<std::string> problems;
  if (rc == SQLITE_OK) {
    sqlite_api::sqlite3_stmt* st = nullptr;
    rc = sqlite_api::sqlite3_prepare_v2(
        db, full ? "PRAGMA integrity_check(100)" : "PRAGMA quick_check(100)", -1, &st, nullptr);
    while (rc == SQLITE_OK && (rc = sqlite_api::sqlite3_step(st)) == SQLITE_ROW) {
      const auto* text = sqlite_api::sqlite3_column_text(st, 0);
      std::string line = text ? reinterpret_cast<const char*>(text) : "";
      if (line != "ok") problems.push_back(line);
      rc = SQLITE_OK;
    }
    sqlite_api::sqlite3_finalize(st);
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  if (rc != SQLITE_OK) problems.push_back(sqlite_api::sqlite3_errstr(rc));
  sqlite_api::sqlite3_close(db);
  return problems;
}

// SOCI's own connect-string parsing mangles libpq URLs, so libpq parses the URL and SOCI gets
// the equivalent keyword=value string.
Result<std::string> PostgresConnectString(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
  if (!options) {
    if (err) PQfreemem(err);
    return InvalidArgument("db", "is not a valid postgresql:// URL");
  }
  std::string out;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string value;
    for (const char* c = o->val; *c; ++c) {
      if (*c == '\\' || *c == '\'') value += '\\';
      value += *c;
    }
    out += std::string(o->keyword) + "='" + value + "' ";
  }
  PQconninfoFree(options);
  return out;
}

// Each pooled connection is used by one thread at a time, so SQLite's own per-call mutexes and
// its memory statistics (a global mutex per allocation) are pure overhead here. sqlite3_config
// only works before SQLite initialises, so this runs once, before the first connection.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

Result<std::unique_ptr<domain::Store>> OpenStore(const StoreOptions& options) {
  const std::string& url = options.url;
  size_t pool = std::max<size_t>(options.pool_size, 2);
  if (url.rfind("sqlite:", 0) == 0) {
    ConfigureSqliteOnce();
    std::string path = url.substr(7);
    if (path.empty())
      return InvalidArgument("db", "sqlite: needs a file path, like sqlite:var/kclinic.db");
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    auto store = std::make_unique<SociStore>(Dialect::kSqlite, pool);
    Status s = store->Open("db=" + path + " timeout=10", path);
    if (!s.ok())
      return Status(StatusCode::kUnavailable, "cannot open the SQLite database: " + s.message());
    store->WatchDisk(path, options.reserve_disk_bytes);
    if (options.check_integrity) {
      KC_ASSIGN_OR_RETURN(auto problems, CheckSqliteIntegrity(url, /*full=*/false));
      if (!problems.empty()) {
        return FailedPrecondition(
            "the SQLite database is damaged (quick_check: " + problems.front() +
            "); it is not served. Restore the last good backup (kclinic restore), or run "
            "`kclinic db check --full` to see every problem");
      }
    }
    if (options.patient_cache) KC_RETURN_IF_ERROR(store->CachePatients(path));
    return std::unique_ptr<domain::Store>(std::move(store));
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    KC_ASSIGN_OR_RETURN(std::string connect, PostgresConnectString(url));
    auto store = std::make_unique<SociStore>(Dialect::kPostgres, pool);
    Status s = store->Open(connect);
    if (!s.ok()) {
      // The driver's message may echo the URL with its password: say only what failed.
      return Status(StatusCode::kUnavailable, "cannot connect to the PostgreSQL database");
    }
    if (options.patient_cache) store->KeepRecentPatients();
    return std::unique_ptr<domain::Store>(std::move(store));
  }
  return InvalidArgument("db", "must start with sqlite: or postgresql://");
}

}  // namespace kclinic::store
