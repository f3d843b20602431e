// The audit trail's events and its hash chain. Each event's hash covers its own fields and the
// hash of the event before it, so editing, deleting or reordering any stored event breaks the
// chain at that point (45 CFR 164.312(b) audit controls, 164.312(c)(1) integrity).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kclinic/base/clock.h"

namespace kclinic::domain {

struct AuditEvent {
  int64_t seq = 0;  // 1, 2, 3, ... assigned when appended
  Timestamp at;
  std::string actor_id;    // user id, empty for an anonymous caller
  std::string actor_role;  // role name, or "anonymous"
  std::string action;      // "patient.read", "auth.login", ...
  std::string patient_id;  // the patient whose data was touched, or empty
  std::string resource;    // what was touched: "patient", "patient/weights", "user", ...
  std::string outcome;     // "success", "denied", "failure", "error"
  std::string detail;      // no patient data: a reason code or a username attempt's outcome
  std::string prev_hash;   // hash of event seq-1; kGenesisHash for seq 1
  std::string hash;
  // Not stored or hashed. served_rev: the read this event records was answered from a record the
  // server read earlier (Store::RecentPatient), at this revision; the store's AppendAudit then
  // checks it is still the current one and sets served_stale when it is not (or cannot say), and
  // the server reads the record again before it answers.
  int64_t served_rev = 0;
  bool served_stale = false;
};

// The prev_hash of the first event.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// SHA-256 (hex) over an unambiguous, length-prefixed encoding of every field but `hash`.
std::string AuditEventHash(const AuditEvent& event);

// Checks events one at a time, in stored order.
class AuditChainVerifier {
 public:
  // Returns a description of what is wrong with `event` given the events fed before it, or
  // nullopt when it continues the chain correctly.
  std::optional<std::string> Feed(const AuditEvent& event);
  int64_t events_checked() const { return checked_; }
  const std::string& last_hash() const { return last_hash_; }

 private:
  int64_t checked_ = 0;
  int64_t last_seq_ = 0;
  std::string last_hash_{kGenesisHash};
};

}  // namespace kclinic::domain
