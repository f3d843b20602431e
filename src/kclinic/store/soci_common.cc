#include "kclinic/store/soci_common.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "kclinic/store/connection_pool.h"

namespace kclinic::store {

namespace {

// The cause of a database fault, for the server log: SQLite's result code name or PostgreSQL's
// SQLSTATE, never the driver's message (a constraint message can quote the row).
std::string FaultCause(const std::exception& e) {
  if (auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    return std::string("sqlite ") + sqlite_api::sqlite3_errstr(s->result());
  }
  if (auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    std::string state = p->sqlstate();
    state.erase(std::remove(state.begin(), state.end(), ' '), state.end());
    state.erase(std::remove(state.begin(), state.end(), '\0'), state.end());
    return state.empty() ? "postgresql connection lost" : "postgresql sqlstate " + state;
  }
  if (dynamic_cast<const internal::DatabaseUnavailable*>(&e)) return e.what();
  return "driver error";
}

Status Unavailable(std::string_view what, const std::exception& e, std::string message) {
  spdlog::warn(R"("msg":"database unavailable","operation":{},"cause":{})",
               nlohmann::json(std::string(what)).dump(), nlohmann::json(FaultCause(e)).dump());
  return Status(StatusCode::kUnavailable, std::move(message));
}

}  // namespace

// Turns a driver exception into a Status the caller can act on. Only Internal statuses carry the
// driver's text (for the server log, never the client): a constraint message can quote the row,
// and the row is patient data. A fault of the database itself (a lost connection, a full disk, a
// read-only or damaged file) is Unavailable, answered 503 with Retry-After, and its cause is
// logged here.
Status FromSociException(const std::exception& e, std::string_view what) {
  const Status already_exists(StatusCode::kAlreadyExists,
                              "a record with the same key already exists");
  const Status breaks_rule(StatusCode::kFailedPrecondition,
                           "the change breaks a rule of the stored data");
  if (dynamic_cast<const internal::DatabaseUnavailable*>(&e)) {
    return Unavailable(what, e, "database unavailable; try again");
  }
  if (auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    switch (s->result() & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return Unavailable(what, e, "database is busy; try again");
      case SQLITE_CONSTRAINT:
        if (std::string(e.what()).find("UNIQUE") != std::string::npos) return already_exists;
        return breaks_rule;
      case SQLITE_FULL:
        return Unavailable(what, e, "the disk holding the database is full; nothing was saved");
      case SQLITE_READONLY:
        return Unavailable(what, e, "the database cannot be written just now; nothing was saved");
      case SQLITE_IOERR:
      case SQLITE_CANTOPEN:
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
      case SQLITE_PROTOCOL:
        return Unavailable(what, e, "the database cannot be read or written just now");
      default:
        break;
    }
  }
  if (auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    std::string state = p->sqlstate();  // blank when libpq itself failed
    state.erase(std::remove(state.begin(), state.end(), ' '), state.end());
    state.erase(std::remove(state.begin(), state.end(), '\0'), state.end());
    if (state == "23505") return already_exists;
    if (state.rfind("23", 0) == 0) return breaks_rule;
    if (state == "40001" || state == "40P01") {
      return Status(StatusCode::kAborted, "a concurrent change won; try again");
    }
    // No SQLSTATE: an error of libpq itself (the connection was lost); 08: connection exception;
    // 57: operator intervention (a restart); 53: insufficient resources (disk full, too many
    // connections); 25006: a read-only (standby) server.
    if (state.empty() || state.rfind("08", 0) == 0 || state.rfind("57", 0) == 0) {
      return Unavailable(what, e, "database unavailable; try again");
    }
    if (state.rfind("53", 0) == 0 || state == "25006") {
      return Unavailable(what, e, "the database cannot take writes just now; nothing was saved");
    }
  }
  // The cause before the first colon: the server log keeps it (http/error.cc), not what follows.
  return Internal(std::string(what) + " (" + FaultCause(e) + "): " + e.what());
}

namespace internal {

void Reconnector::Ensure(soci::session& s, StatementCache& cache) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(s.get_backend());
  PGconn* conn = backend ? backend->conn_ : nullptr;
  if (conn && PQstatus(conn) == CONNECTION_OK) {
    // Reads what the server sent while the connection was idle: a closed connection (the
    // server's goodbye, then end of file) turns CONNECTION_BAD here instead of failing the
    // transaction's first statement.
    PQconsumeInput(conn);
    if (PQstatus(conn) == CONNECTION_OK) return;
  }
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (now < next_try_) throw DatabaseUnavailable("postgresql unreachable; waiting to reconnect");
  cache.Clear();  // its statements were prepared on the closed connection
  try {
    s.reconnect();
    after_open_(s);
  } catch (const std::exception& e) {
    ++failed_in_a_row_;
    failed_.fetch_add(1, std::memory_order_relaxed);
    auto delay = std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(100LL << std::min(failed_in_a_row_ - 1, 6)),
        std::chrono::seconds(5));
    next_try_ = now + delay;
    // libpq's message names the host and port that refused (never the password).
    std::string message = e.what();
    message = message.substr(0, message.find('\n'));
    spdlog::warn(R"("msg":"database reconnect failed","tries":{},"retry_in_ms":{},"cause":{})",
                 failed_in_a_row_, delay.count(), nlohmann::json(message).dump());
    throw DatabaseUnavailable("postgresql unreachable; reconnecting");
  }
  reconnects_.fetch_add(1, std::memory_order_relaxed);
  spdlog::info(R"("msg":"database connection reopened","failed_tries_before":{})",
               failed_in_a_row_);
  failed_in_a_row_ = 0;
}

}  // namespace internal

}  // namespace kclinic::store
