#include "kclinic/domain/audit.h"

#include <charconv>

#include "kclinic/base/clock.h"
#include "kclinic/base/crypto.h"

namespace kclinic::domain {

namespace {

void Put(std::string& out, std::string_view field) {
  char digits[20];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, field.size());
  out.append(digits, end);
  out += ':';
  out += field;
  out += '\n';
}

}  // namespace

std::string AuditEventHash(const AuditEvent& e) {
  // The writer hashes every event of every batch; one buffer per thread, reused, spares it the
  // allocations.
  thread_local std::string canonical;
  canonical.clear();
  char seq[20];
  auto [seq_end, ec] = std::to_chars(seq, seq + sizeof seq, e.seq);
  char at[kTimestampChars];
  Put(canonical, "kclinic-audit-v1");
  Put(canonical, std::string_view(seq, static_cast<size_t>(seq_end - seq)));
  Put(canonical, std::string_view(at, FormatTimestampTo(e.at, at)));
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
