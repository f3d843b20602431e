#include "kclinic/domain/audit.h"

#include "kclinic/base/crypto.h"

namespace kclinic::domain {

namespace {

void Put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += '\n';
}

}  // namespace

std::string AuditEventHash(const AuditEvent& e) {
  std::string canonical;
  canonical.reserve(256);
  Put(canonical, "kclinic-audit-v1");
  Put(canonical, std::to_string(e.seq));
  Put(canonical, FormatTimestamp(e.at));
  Put(canonical, e.actor_id);
  Put(canonical, e.actor_role);
  Put(canonical, e.action);
  Put(canonical, e.patient_id);
  Put(canonical, e.resource);
  Put(canonical, e.outcome);
  Put(canonical, e.detail);
  Put(canonical, e.prev_hash);
  return Sha256Hex(canonical);
}

std::optional<std::string> AuditChainVerifier::Feed(const AuditEvent& e) {
  if (e.seq != last_seq_ + 1) {
    return "sequence jumps from " + std::to_string(last_seq_) + " to " + std::to_string(e.seq) +
           " (an event was deleted or reordered)";
  }
  if (e.prev_hash != last_hash_) {
    return "does not link to the event before it (an event was deleted, inserted or reordered)";
  }
  if (AuditEventHash(e) != e.hash) {
    return "its contents do not match its hash (the event was edited)";
  }
  ++checked_;
  last_seq_ = e.seq;
  last_hash_ = e.hash;
  return std::nullopt;
}

}  // namespace kclinic::domain
