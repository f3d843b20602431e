// What every use case needs: the store, the audit writer, the clock and the settings in force
// (Env), the audit event and the patient-reach check they all make, the shared approval check,
// and changing a site setting.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "kclinic/app/audit_writer.h"
#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/domain/access.h"
#include "kclinic/domain/ports.h"
#include "kclinic/domain/screening/approval.h"

namespace kclinic::app {

// The site settings, read from the store at most every `ttl` so that several servers sharing one
// database pick up a change within that time. Thread-safe.
class SettingsCache {
 public:
  SettingsCache(domain::Store& store, const Clock& clock,
                std::chrono::seconds ttl = std::chrono::seconds(30))
      : store_(store), clock_(clock), ttl_(ttl) {}
  domain::SiteSettings Get();
  void Invalidate();

 private:
  domain::Store& store_;
  const Clock& clock_;
  std::chrono::seconds ttl_;
  std::mutex mu_;  // never held across a database read: an event loop may call Get
  std::optional<domain::SiteSettings> cached_;
  Timestamp loaded_at_;
  uint64_t generation_ = 0;  // moved on by Invalidate, so a read from before it is not kept
};

class LoginThrottle;

// What every use case needs. All references outlive the App.
struct Env {
  domain::Store& store;
  AuditWriter& audit;
  const Clock& clock;
  SettingsCache& settings;
  // Failed logins and witness checks per source (app/login_throttle.h); null where there is no
  // network caller to hold back (the command line).
  LoginThrottle* throttle = nullptr;
};

// An audit event for `actor` (or an anonymous caller) at the current time.
domain::AuditEvent MakeEvent(const Env& env, const domain::Actor* actor, std::string action,
                             std::string resource, std::string outcome, std::string patient_id = {},
                             std::string detail = {});

// OK when `actor` may reach patient `id` (domain::CanReachPatient); otherwise records an audited
// denial of `action` and returns PermissionDenied.
Status CheckPatientReach(const Env& env, const domain::Actor& actor, const PatientId& id,
                         std::string_view action);

// The patient's approval for treatment at `now` (domain::screening::CurrentApproval over the
// newest intake and its decisions, read in `tx`): the one check booking a series, saving a plan
// and the session's pre-checks share.
Result<domain::screening::Approval> LoadApproval(domain::Transaction& tx, const PatientId& patient,
                                                 Timestamp now,
                                                 const domain::SiteSettings& settings);

// True when `actor`'s role reads rating-scale results (domain/access.cc, kAssessmentRead): a
// response that quotes a score (a review task's reason, a booster proposal's PHQ-9 series) is
// shaped by it. The front desk and the administrator do not.
inline bool SeesScaleResults(const domain::Actor& actor) {
  return domain::RoleHas(actor.role, domain::Permission::kAssessmentRead);
}

// Records that `actor` (null: anonymous) was refused `action`. Returns the audit write's status.
Status RecordDenial(const Env& env, const domain::Actor* actor, std::string action,
                    std::string patient_id, std::string reason);

// Stores a new version of one setting after checking its bounds; `by` names who changed it and
// `reason` why. Returns the new settings version.
Result<int64_t> ChangeSetting(const Env& env, const std::string& by, std::string_view key,
                              double value, std::string reason);

}  // namespace kclinic::app
