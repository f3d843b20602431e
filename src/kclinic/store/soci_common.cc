#include "kclinic/store/soci_common.h"

namespace kclinic::store {

// Turns a driver exception into a Status the caller can act on. Only Internal statuses carry the
// driver's text (for the server log, never the client): a constraint message can quote the row,
// and the row is patient data.
Status FromSociException(const std::exception& e, std::string_view what) {
  std::string message = std::string(what) + ": " + e.what();
  const Status already_exists(StatusCode::kAlreadyExists,
                              "a record with the same key already exists");
  const Status breaks_rule(StatusCode::kFailedPrecondition,
                           "the change breaks a rule of the stored data");
  if (auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    int rc = s->result() & 0xff;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      return Status(StatusCode::kUnavailable, "database is busy; try again");
    }
    if (rc == SQLITE_CONSTRAINT) {
      if (std::string(e.what()).find("UNIQUE") != std::string::npos) return already_exists;
      return breaks_rule;
    }
  }
  if (auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    std::string state = p->sqlstate();
    if (state == "23505") return already_exists;
    if (state.rfind("23", 0) == 0) return breaks_rule;
    if (state == "40001" || state == "40P01") {
      return Status(StatusCode::kAborted, "a concurrent change won; try again");
    }
    if (state.rfind("08", 0) == 0 || state.rfind("57", 0) == 0) {
      return Status(StatusCode::kUnavailable, "database unavailable");
    }
  }
  return Internal(message);
}

}  // namespace kclinic::store
