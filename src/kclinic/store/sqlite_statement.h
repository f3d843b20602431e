// Internal to store/: statements prepared through SQLite's C API, for the hot paths that bypass
// SOCI (the patient read, the audit insert).
#pragma once

#include <string>

#include "kclinic/store/soci_common.h"

namespace kclinic::store::internal {

// A statement prepared once through SQLite's C API on a pooled connection and kept, for the hot
// paths that bypass SOCI (SqliteGetPatientStatement, InsertAuditStatement). Errors throw what
// SOCI's sqlite3 back end throws, with SQLite's result code, so GuardCached maps a busy database
// as it does for SOCI.
class SqliteStatement {
 public:
  SqliteStatement(soci::session& sql, const std::string& text)
      : db_(static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_) {
    Check(sqlite_api::sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                         SQLITE_PREPARE_PERSISTENT, &st_, nullptr));
  }
  ~SqliteStatement() { sqlite_api::sqlite3_finalize(st_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  sqlite_api::sqlite3_stmt* get() const { return st_; }

  // Throws unless `rc` is `expected`.
  void Check(int rc, int expected = SQLITE_OK) const {
    if (rc != expected) throw soci::sqlite3_soci_error(sqlite_api::sqlite3_errmsg(db_), rc);
  }

  // Resets the statement and clears its bindings when it goes out of scope, on every exit: the
  // statement then holds no read snapshot, and no binding into memory the caller may free.
  struct Reset {
    sqlite_api::sqlite3_stmt* st;
    ~Reset() {
      sqlite_api::sqlite3_reset(st);
      sqlite_api::sqlite3_clear_bindings(st);
    }
  };
  [[nodiscard]] Reset ResetOnExit() const { return Reset{st_}; }

 private:
  sqlite_api::sqlite3* db_;
  sqlite_api::sqlite3_stmt* st_ = nullptr;
};

}  // namespace kclinic::store::internal
