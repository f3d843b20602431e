#include "kclinic/domain/ports.h"

#include <set>

namespace kclinic::domain {

namespace {
thread_local NonBlockingScope* current_scope = nullptr;
}  // namespace

NonBlockingScope::NonBlockingScope(std::shared_ptr<const Patient> fetched)
    : fetched_(std::move(fetched)) {
  current_scope = this;
}
NonBlockingScope::~NonBlockingScope() { current_scope = nullptr; }

bool NonBlockingScope::Refuse() {
  if (current_scope == nullptr) return false;
  current_scope->refused_ = true;
  return true;
}

bool NonBlockingScope::Refused() { return current_scope != nullptr && current_scope->refused_; }

std::shared_ptr<const Patient> NonBlockingScope::FetchedOrWant(const PatientId& id) {
  NonBlockingScope* scope = current_scope;
  if (scope == nullptr) return nullptr;
  if (scope->fetched_ && scope->fetched_->id == id) return scope->fetched_;
  if (!scope->refused_) scope->wanted_ = id;
  scope->refused_ = true;
  return nullptr;
}

bool NonBlockingScope::FirstAttempt() {
  return current_scope != nullptr && !current_scope->refused_ && !current_scope->fetched_;
}

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
