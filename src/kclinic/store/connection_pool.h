// Internal to store/: leasing a pooled connection with its statement cache, transaction control
// statements, and the busy handler every pooled SQLite connection waits with.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kclinic/store/statement_cache.h"

namespace kclinic::store::internal {

// Transaction control, prepared once per connection like the hot queries (a one-off BEGIN and
// COMMIT were 12% of a patient read's CPU).
enum class Control { kBegin, kBeginImmediate, kBeginRepeatableRead, kCommit, kRollback };
template <Control kWhat>
struct ControlStatement {
  static const char* Sql() {
    switch (kWhat) {
      case Control::kBegin:
        return "BEGIN";
      case Control::kBeginImmediate:
        return "BEGIN IMMEDIATE";
      case Control::kBeginRepeatableRead:
        return "BEGIN ISOLATION LEVEL REPEATABLE READ";
      case Control::kCommit:
        return "COMMIT";
      case Control::kRollback:
        return "ROLLBACK";
    }
    return "";
  }
  soci::statement st;
  explicit ControlStatement(soci::session& sql) : st((sql.prepare << Sql())) {}
};

template <Control kWhat>
void RunControl(soci::session& sql, StatementCache& cache) {
  cache.Get<ControlStatement<kWhat>>(sql).st.execute(true);
}

// Thrown when a pooled connection is down and cannot be opened again just now; FromSociException
// answers it Unavailable (503 with Retry-After), never Internal.
class DatabaseUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// PostgreSQL: opens again a pooled connection that the server has closed (a restart, a failover,
// a terminated backend), so that a restart of the database costs the requests caught in it a 503,
// not the server. Checked on every lease: a recv() that finds nothing on a healthy connection
// (PQconsumeInput), and on a closed one a reconnect. Failed tries back off (0.1 s doubling to
// 5 s, shared by the pool), so a database that is down is not hammered by every request; those
// requests are answered 503 at once. Thread-safe.
class Reconnector {
 public:
  // `after_open` runs on each reopened connection (the session settings a fresh one needs).
  explicit Reconnector(std::function<void(soci::session&)> after_open)
      : after_open_(std::move(after_open)) {}
  // Returns when `s` is connected; else throws DatabaseUnavailable.
  void Ensure(soci::session& s, StatementCache& cache);
  int64_t reconnects() const { return reconnects_.load(std::memory_order_relaxed); }
  int64_t failed_tries() const { return failed_.load(std::memory_order_relaxed); }

 private:
  std::function<void(soci::session&)> after_open_;
  std::mutex mu_;  // taken only when a connection is down
  std::chrono::steady_clock::time_point next_try_{};
  int failed_in_a_row_ = 0;
  std::atomic<int64_t> reconnects_{0};
  std::atomic<int64_t> failed_{0};
};

// Leases one pooled connection (and its statement cache) for the lifetime of a transaction,
// connected (`reconnect`, when given, opens it again if the server closed it).
class Lease {
 public:
  Lease(soci::connection_pool& pool, std::vector<StatementCache>& caches,
        Reconnector* reconnect = nullptr)
      : pool_(pool), caches_(caches), pos_(pool.lease()) {
    if (!reconnect) return;
    try {
      reconnect->Ensure(pool_.at(pos_), caches_[pos_]);
    } catch (...) {
      pool_.give_back(pos_);
      throw;
    }
  }
  ~Lease() { pool_.give_back(pos_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  soci::session& session() { return pool_.at(pos_); }
  StatementCache& cache() { return caches_[pos_]; }

 private:
  soci::connection_pool& pool_;
  std::vector<StatementCache>& caches_;
  size_t pos_;
};

// The busy handler of every pooled SQLite connection: up to 10 s in all, like
// `PRAGMA busy_timeout=10000`, but in short steps. SQLite's own handler sleeps 1, 2, 5, 10, 15,
// 20, 25 ... ms between tries, so the audit writer, meeting the checkpointer's write lock (held
// for a RESTART's last frames and its sync: a few milliseconds on a slow disk), slept on for up
// to 78 ms after the lock was free, and the SQLite read's p99 went from ~5 ms to 83 ms in such
// runs (bench/README.md). Here: every 100 µs for the first 100 ms, then every 2 ms.
inline int WaitWhileBusy(void* /*unused*/, int tries) {
  constexpr int kShortTries = 1000;                 // x 100 µs = 0.1 s
  constexpr int kLongTries = (10'000 - 100) / 2;    // x 2 ms = 9.9 s
  if (tries >= kShortTries + kLongTries) return 0;  // SQLITE_BUSY to the caller
  std::this_thread::sleep_for(tries < kShortTries ? std::chrono::microseconds(100)
                                                  : std::chrono::microseconds(2000));
  return 1;
}

}  // namespace kclinic::store::internal
