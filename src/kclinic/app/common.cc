#include "kclinic/app/env.h"

namespace kclinic::app {

domain::SiteSettings SettingsCache::Get() {
  const Timestamp now = clock_.Now();
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    if (cached_ && now - loaded_at_ <= ttl_ && now >= loaded_at_) return *cached_;
    generation = generation_;
  }
  // The read runs outside the lock, so that an event loop answering from memory never waits on
  // a worker's database read (http/server.cc).
  std::optional<domain::SiteSettings> fresh;
  if (auto tx = store_.Begin(domain::TxMode::kRead); tx.ok()) {
    if (auto current = (*tx)->settings().Current(); current.ok()) fresh = std::move(*current);
  }
  std::lock_guard lock(mu_);
  if (fresh && generation == generation_) {
    cached_ = std::move(fresh);
    loaded_at_ = now;
  } else if (fresh) {
    return *fresh;  // newer than what the cache may keep, but not older than the caller's call
  }
  // On a read failure keep what we had (or the defaults): settings are never less safe than
  // the cited defaults.
  if (!cached_) return domain::SiteSettings();
  return *cached_;
}

void SettingsCache::Invalidate() {
  std::lock_guard lock(mu_);
  cached_.reset();
  ++generation_;
}

domain::AuditEvent MakeEvent(const Env& env, const domain::Actor* actor, std::string action,
                             std::string resource, std::string outcome, std::string patient_id,
                             std::string detail) {
  domain::AuditEvent e;
  e.at = env.clock.Now();
  e.actor_id = actor ? actor->user_id.value() : "";
  e.actor_role = actor ? std::string(domain::RoleName(actor->role)) : "anonymous";
  e.action = std::move(action);
  e.resource = std::move(resource);
  e.outcome = std::move(outcome);
  e.patient_id = std::move(patient_id);
  e.detail = std::move(detail);
  return e;
}

Result<domain::screening::Approval> LoadApproval(domain::Transaction& tx, const PatientId& patient,
                                                 Timestamp now,
                                                 const domain::SiteSettings& settings) {
  std::optional<std::string> latest_id;
  auto latest = tx.screening().LatestIntake(patient);
  if (latest.ok()) {
    latest_id = latest->id;
  } else if (latest.status().code() != StatusCode::kNotFound) {
    return latest.status();
  }
  std::vector<domain::ScreeningDecisionRecord> decisions;
  if (latest_id) {
    KC_ASSIGN_OR_RETURN(decisions, tx.screening().Decisions(patient));
  }
  return domain::screening::CurrentApproval(latest_id, decisions, now, settings);
}

Result<int64_t> ChangeSetting(const Env& env, const std::string& by, std::string_view key,
                              double value, std::string reason) {
  KC_RETURN_IF_ERROR(domain::ValidateSetting(key, value));
  if (reason.empty()) return InvalidArgument("reason", "is required: say why the setting changes");
  KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(int64_t version,
                      tx->settings().Set(key, value, {env.clock.Now(), by, std::move(reason)}));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env, nullptr, "settings.change", "settings", "success", "",
                std::string(key) + " version=" + std::to_string(version))};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  env.settings.Invalidate();
  return version;
}

Status CheckPatientReach(const Env& env, const domain::Actor& actor, const PatientId& id,
                         std::string_view action) {
  if (domain::CanReachPatient(actor, id)) return Status::Ok();
  KC_RETURN_IF_ERROR(
      RecordDenial(env, &actor, std::string(action), id.value(), "not the linked patient"));
  return PermissionDenied("you may only see your own record");
}

Status RecordDenial(const Env& env, const domain::Actor* actor, std::string action,
                    std::string patient_id, std::string reason) {
  return env.audit.Append(MakeEvent(env, actor, std::move(action), "access", "denied",
                                    std::move(patient_id), std::move(reason)));
}

}  // namespace kclinic::app
