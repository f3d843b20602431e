// The audit trail: verify the hash chain, and the newest events for an administrator.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kclinic/app/env.h"

namespace kclinic::app {

struct AuditVerification {
  int64_t events_checked = 0;
  std::optional<int64_t> first_bad_seq;  // set when the chain is broken
  std::string problem;
};

// Walks the whole trail in order and checks every link. Reading the trail is itself not audited
// (it would change what it checks). `on_event`, when given, sees each event that continues the
// chain, in order (the anchors' check, app/audit_anchor.h, compares some of them on the same pass).
Result<AuditVerification> VerifyAuditTrail(
    domain::Store& store, const std::function<void(const domain::AuditEvent&)>& on_event = nullptr);

Result<std::vector<domain::AuditEvent>> RecentAudit(const Env& env, const domain::Actor& actor,
                                                    int limit, const std::string& patient_id);

// The events `query` selects, newest first; the read is audited ("audit.read", or "audit.export"
// when `exported`, with `filters` as the caller wrote them and the row count in the detail).
Result<std::vector<domain::AuditEvent>> QueryAudit(const Env& env, const domain::Actor& actor,
                                                   const domain::AuditQuery& query, bool exported,
                                                   std::string filters);

}  // namespace kclinic::app
