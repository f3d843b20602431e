// Internal to store/: what every SOCI repository of soci_store.cc uses: the SQL dialect, timestamp
// text, row counts, multi-statement scripts through the driver's own API, and PostgreSQL array
// literals.
#pragma once

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/domain/ports.h"
#include "kclinic/store/clinical_store.h"

namespace kclinic::store::internal {

using namespace domain;

enum class Dialect { kSqlite, kPostgres };

// The number of rows in `table` (a fixed name in the code, never input).
inline Result<int64_t> CountRows(soci::session& sql, const char* table) {
  long long n = 0;
  sql << "SELECT COUNT(*) FROM " << table, soci::into(n);
  return static_cast<int64_t>(n);
}

// Executes a multi-statement SQL script through the driver's own API (SOCI runs one statement).
inline void ExecScript(soci::session& sql, Dialect dialect, const std::string& script) {
  if (dialect == Dialect::kSqlite) {
    auto* be = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    char* err = nullptr;
    int rc = sqlite_api::sqlite3_exec(be->conn_, script.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string message = err ? err : "unknown error";
      sqlite_api::sqlite3_free(err);
      // With its result code, so that FromSociException tells a full disk from a broken rule.
      throw soci::sqlite3_soci_error("sqlite: " + message, rc);
    }
  } else {
    auto* be = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
    PGresult* res = PQexec(be->conn_, script.c_str());
    ExecStatusType st = PQresultStatus(res);
    std::string message = res ? PQresultErrorMessage(res) : PQerrorMessage(be->conn_);
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";  // none: libpq's own error (a lost connection)
    PQclear(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      throw soci::postgresql_soci_error("postgresql: " + message,
                                        sqlstate.size() == 5 ? sqlstate.c_str() : "     ");
    }
  }
}

// Runs `f` on `sql` between BEGIN (IMMEDIATE on SQLite: the write lock up front) and COMMIT, for
// the few writes outside a Transaction (migrations, the readiness write); rolls back and rethrows
// when `f` or the COMMIT throws.
template <typename F>
void InScriptTransaction(soci::session& sql, Dialect dialect, F&& f) {
  ExecScript(sql, dialect, dialect == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  try {
    f();
    ExecScript(sql, dialect, "COMMIT");
  } catch (...) {
    try {
      ExecScript(sql, dialect, "ROLLBACK");
    } catch (...) {  // the connection is gone; the server rolled back already
    }
    throw;
  }
}

// Appends `value` to `array`, a PostgreSQL array literal being built, as one double-quoted
// element; inside the quotes a backslash makes the next character literal (PostgreSQL 15 manual,
// 8.15.6 "Array Input and Output Syntax").
inline void AppendArrayElement(std::string& array, std::string_view value) {
  array += array.empty() ? "{\"" : ",\"";
  for (char c : value) {
    if (c == '"' || c == '\\') array += '\\';
    array += c;
  }
  array += '"';
}

// The comma-separated names of a column list, trimmed.
inline std::vector<std::string_view> SplitColumns(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view c = list.substr(0, comma);
    while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
    out.push_back(c);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace kclinic::store::internal
