#include "kclinic/domain/ports.h"

#include <set>

namespace kclinic::domain {

Result<std::vector<Patient>> PatientRepository::GetMany(const std::vector<PatientId>& ids) {
  std::vector<Patient> found;
  std::set<PatientId> seen;
  for (const PatientId& id : ids) {
    if (!seen.insert(id).second) continue;
    auto p = Get(id);
    if (p.ok()) {
      found.push_back(std::move(p).value());
    } else if (p.status().code() != StatusCode::kNotFound) {
      return p.status();
    }
  }
  return found;
}

Status Store::AppendAudit(std::vector<AuditEvent>& events) {
  KC_ASSIGN_OR_RETURN(auto tx, Begin(TxMode::kWrite));
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  for (AuditEvent& e : events) e.served_stale = e.served_rev != 0;  // nothing to check with
  return Status::Ok();
}

}  // namespace kclinic::domain
