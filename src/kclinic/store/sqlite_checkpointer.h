// Internal to store/: the SQLite WAL checkpointer thread.
#pragma once

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "kclinic/store/soci_common.h"

namespace kclinic::store::internal {

// Checkpoints the SQLite WAL on its own thread and connection, so that no commit waits for one.
// SQLite's automatic checkpoint (at 1000 WAL pages) runs inside the commit that crosses the mark:
// it copies the WAL into the database file and syncs it before that commit returns. Under the
// audit writer's load that was one commit in a few hundred, each holding every request waiting on
// it for milliseconds, which is where the patient read's p99 went (bench/README.md). The pooled
// connections report their WAL size after each commit (a WAL hook, which replaces the automatic
// checkpoint) and this thread runs a PASSIVE checkpoint, which never blocks readers or the writer.
class SqliteCheckpointer {
 public:
  // Same threshold as SQLite's automatic checkpoint (SQLITE_DEFAULT_WAL_AUTOCHECKPOINT).
  static constexpr int kWalPages = 1000;

  explicit SqliteCheckpointer(const std::string& path) {
    if (sqlite_api::sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) !=
        SQLITE_OK) {
      std::string message = db_ ? sqlite_api::sqlite3_errmsg(db_) : "out of memory";
      sqlite_api::sqlite3_close(db_);
      throw std::runtime_error("cannot open the checkpoint connection: " + message);
    }
    // A connection finds out that the database is in WAL mode only when it first reads it;
    // until then a checkpoint through it does nothing.
    sqlite_api::sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    thread_ = std::thread([this] { Run(); });
  }
  ~SqliteCheckpointer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
    sqlite_api::sqlite3_close(db_);
  }
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

  // Installs the WAL hook on a pooled connection.
  void Watch(sqlite_api::sqlite3* db) { sqlite_api::sqlite3_wal_hook(db, &OnCommit, this); }

 private:
  static int OnCommit(void* self, sqlite_api::sqlite3* /*db*/, const char* /*name*/, int pages) {
    if (pages >= kWalPages) {
      auto* me = static_cast<SqliteCheckpointer*>(self);
      {
        std::lock_guard lock(me->mu_);
        me->wanted_ = true;
      }
      me->cv_.notify_one();
    }
    return SQLITE_OK;
  }

  void Run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return wanted_ || stopping_; });
      if (stopping_) return;
      wanted_ = false;
      lock.unlock();
      // PASSIVE copies what is committed without taking the write lock, but under a steady
      // stream of commits it never catches up, and the WAL restarts from its beginning only once
      // every frame is copied. So a RESTART follows: it holds the write lock only for the few
      // frames committed meanwhile and the database sync, and without a busy handler it gives up
      // at once (SQLITE_BUSY) when a write is under way, to be tried after a later commit.
      sqlite_api::sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                            nullptr);
      sqlite_api::sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr,
                                            nullptr);
      lock.lock();
    }
  }

  sqlite_api::sqlite3* db_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kclinic::store::internal
