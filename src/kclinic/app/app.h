// The application layer: one function per thing a person does. Each opens a transaction, calls
// the domain, and records the audit event; it returns a value the front ends render.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kclinic/app/audit_writer.h"
#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/codec/patient_json.h"
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

// What every use case needs. All references outlive the App.
struct Env {
  domain::Store& store;
  AuditWriter& audit;
  const Clock& clock;
  SettingsCache& settings;
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

// Records that `actor` (null: anonymous) was refused `action`. Returns the audit write's status.
Status RecordDenial(const Env& env, const domain::Actor* actor, std::string action,
                    std::string patient_id, std::string reason);

// ---------------------------------------------------------------------------------------------
// Accounts and sessions

struct LoginResult {
  std::string token;  // the cookie value; only its hash is stored
  domain::Session session;
  domain::User user;
};

struct AuthContext {
  domain::Actor actor;
  domain::Session session;
  bool totp_enabled = false;
};

struct TotpEnrollment {
  std::string secret_base32;
  std::string otpauth_uri;
};

class AuthService {
 public:
  explicit AuthService(Env env) : env_(env) {}
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // Checks the password (and one-time code when enrolled) and opens a session. Unauthenticated
  // (field "totp" when the code is missing or wrong) or ResourceExhausted while locked out.
  // Every attempt is audited; site settings lock the account after repeated failures.
  Result<LoginResult> Login(std::string_view username, std::string_view password,
                            const std::optional<std::string>& totp);
  // Resolves a session cookie. Unauthenticated when unknown, revoked, idle too long or too old.
  Result<AuthContext> Authenticate(std::string_view token);
  // Ends the session of `token`.
  Status Logout(const domain::Actor& actor, std::string_view token);
  // Makes a new secret for the actor (not yet in force until confirmed).
  Result<TotpEnrollment> BeginTotp(const domain::Actor& actor);
  // Turns the second factor on when `code` matches the pending secret. InvalidArgument ("code").
  Status ConfirmTotp(const domain::Actor& actor, std::string_view code);

  // Creates an account. `by` names who did it (a username, or "cli").
  Result<domain::User> AddUser(const domain::Actor* by, std::string username, domain::Role role,
                               std::string_view password, std::optional<PatientId> patient_id);
  Result<std::vector<domain::User>> ListUsers(const domain::Actor& actor);
  // Lifts a lockout before it runs out (an administrator, after checking who is asking).
  Status Unlock(const domain::Actor* by, std::string_view username);

  // How long a resolved session is reused without reading the database again. A logout on this
  // server takes effect at once; a change made through another server (logout, role change) within
  // this time. Idle and absolute expiry are always checked against the clock.
  static constexpr std::chrono::seconds kSessionCacheTtl{2};

 private:
  struct CachedSession {
    domain::Session session;
    domain::User user;
    Timestamp loaded_at;
  };
  // The session and user for a token hash: from the cache when fresh, else from the store.
  Result<CachedSession> LoadSession(const std::string& token_hash, Timestamp now);
  void Forget(const std::string& token_hash);

  Env env_;
  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedSession> cache_;
};

// Checks a one-time code against a base32 secret at `now` (RFC 6238, 30 s steps, ±1 step).
// Returns the time step the code belongs to, or nullopt when it does not match.
std::optional<int64_t> TotpMatchStep(std::string_view secret_base32, std::string_view code,
                                     Timestamp now);
// The current code for a base32 secret (for tests and the enrolment self-check).
Result<std::string> TotpNow(std::string_view secret_base32, Timestamp now);

// ---------------------------------------------------------------------------------------------
// Patients

class PatientService {
 public:
  explicit PatientService(Env env) : env_(env) {}

  // Staff search; every patient listed is audited as read.
  Result<domain::PatientPage> Search(const domain::Actor& actor, domain::PatientQuery query);
  // Shared and immutable: a record served from the store's cache is not copied per read.
  Result<std::shared_ptr<const domain::Patient>> Get(const domain::Actor& actor,
                                                     const PatientId& id);
  Result<domain::Patient> Register(const domain::Actor& actor, codec::Registration registration);
  // Applies a correction; the old version stays in the history with who, when and why.
  Result<domain::Patient> Update(const domain::Actor& actor, const PatientId& id,
                                 const codec::PatchRequest& request);
  Result<domain::WeightEntry> AddWeight(const domain::Actor& actor, const PatientId& id,
                                        std::chrono::year_month_day date, Kilograms kg);
  Result<std::vector<domain::PatientVersion>> History(const domain::Actor& actor,
                                                      const PatientId& id);

 private:
  Env env_;
};

// ---------------------------------------------------------------------------------------------
// Site settings

// Stores a new version of one setting after checking its bounds; `by` names who changed it and
// `reason` why. Returns the new settings version.
Result<int64_t> ChangeSetting(const Env& env, const std::string& by, std::string_view key,
                              double value, std::string reason);

// ---------------------------------------------------------------------------------------------
// Audit trail

struct AuditVerification {
  int64_t events_checked = 0;
  std::optional<int64_t> first_bad_seq;  // set when the chain is broken
  std::string problem;
};

// Walks the whole trail in order and checks every link. Reading the trail is itself not audited
// (it would change what it checks).
Result<AuditVerification> VerifyAuditTrail(domain::Store& store);

Result<std::vector<domain::AuditEvent>> RecentAudit(const Env& env, const domain::Actor& actor,
                                                    int limit, const std::string& patient_id);

// ---------------------------------------------------------------------------------------------
// The demo clinic

struct DemoLogin {
  std::string username;
  std::string role;
  std::string password;
};

// Seeds a demo clinic (staff, a portal account and `patient_count` synthetic patients) when the
// database has no users. Returns the logins to print, or an empty list when it was not empty.
Result<std::vector<DemoLogin>> SeedDemo(const Env& env, int patient_count = 240);

}  // namespace kclinic::app
