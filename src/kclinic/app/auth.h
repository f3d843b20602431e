// Accounts and sessions: log in (with the second factor), resolve a session cookie, log out,
// enrol TOTP, add and unlock accounts.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kclinic/app/env.h"

namespace kclinic::app {

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
  // (field "totp" when the code is missing or wrong) or ResourceExhausted while `source` (the
  // client's address) must wait or is locked out of `username`, or the account is locked
  // (domain::WaitAfterFailures, CountAccountFailure); `retry_after` (if given) is then set to
  // how long. Every attempt is audited. The answers are the same whether or not the username
  // exists.
  Result<LoginResult> Login(std::string_view username, std::string_view password,
                            const std::optional<std::string>& totp, std::string_view source = {},
                            std::chrono::seconds* retry_after = nullptr);
  // Resolves a session cookie. Unauthenticated when unknown, revoked, idle too long or too old.
  Result<AuthContext> Authenticate(std::string_view token);
  // Ends the session of `token`.
  Status Logout(const domain::Actor& actor, std::string_view token);

  // Changes to the account's own credentials ask for its password again (a stolen session alone
  // cannot bind a second factor or take the account over): a wrong one is InvalidArgument
  // ("password" or "current_password") and counts toward the lockouts as a failed login; and
  // each ends the account's other sessions (`token`: the caller's, which stays open).
  //
  // Makes a new secret for the actor (not yet in force until confirmed).
  Result<TotpEnrollment> BeginTotp(const domain::Actor& actor, std::string_view password,
                                   std::string_view source);
  // Turns the second factor on when `code` matches the pending secret. InvalidArgument ("code").
  Status ConfirmTotp(const domain::Actor& actor, std::string_view code, std::string_view token);
  // Turns the second factor off (then it can be set up again, with a new phone).
  Status RemoveTotp(const domain::Actor& actor, std::string_view password, std::string_view code,
                    std::string_view source, std::string_view token);
  // The actor's own password, after the current one (InvalidArgument "current_password").
  Status ChangePassword(const domain::Actor& actor, std::string_view current_password,
                        std::string_view new_password, std::string_view source,
                        std::string_view token);

  // Creates an account. `by` names who did it (a username, or "cli").
  Result<domain::User> AddUser(const domain::Actor* by, std::string username, domain::Role role,
                               std::string_view password, std::optional<PatientId> patient_id);
  Result<std::vector<domain::User>> ListUsers(const domain::Actor& actor);
  // Lifts a lockout before it runs out (an administrator, after checking who is asking): the
  // account's and every source's.
  Status Unlock(const domain::Actor* by, std::string_view username, std::string_view reason = {});
  Status UnlockById(const domain::Actor& by, const UserId& id, std::string_view reason);
  // Turns off someone's second factor (a lost phone), ends all her sessions; `reason` is stored
  // in the audit trail. InvalidArgument ("reason") when blank.
  Status ResetSecondFactor(const domain::Actor& by, const UserId& id, std::string_view reason);

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
  void ForgetUser(const UserId& user);
  // Checks the actor's password again before a change to her credentials (see BeginTotp).
  Status Reauthenticate(const domain::Actor& actor, std::string_view password,
                        std::string_view field, std::string_view source, domain::User& user);
  // Ends the user's sessions but the one of `keep_token` (empty: all) and forgets them here.
  Status EndOtherSessions(domain::Transaction& tx, const UserId& user, std::string_view keep_token);

  // Failed logins for a username that does not exist, counted as for one that does, so that the
  // answers (401 then 429 "account locked") do not tell which usernames exist. In memory: a
  // username no one has is not worth a row. Bounded (kMaxUnknownUsernames); expired entries are
  // dropped first.
  struct UnknownUsername {
    int failed_logins = 0;
    std::optional<Timestamp> locked_until;
  };
  static constexpr size_t kMaxUnknownUsernames = 10000;
  // The lock's end when `username` is locked at `now`; otherwise counts one more failure (locking
  // at the site's threshold) and returns nullopt.
  std::optional<Timestamp> UnknownUsernameLocked(std::string_view username, Timestamp now,
                                                 const domain::SiteSettings& settings,
                                                 bool count_failure);

  Env env_;
  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedSession> cache_;
  std::mutex unknown_mu_;
  std::unordered_map<std::string, UnknownUsername> unknown_;
};

// Checks a one-time code against a base32 secret at `now` (RFC 6238, 30 s steps, ±1 step).
// Returns the time step the code belongs to, or nullopt when it does not match.
std::optional<int64_t> TotpMatchStep(std::string_view secret_base32, std::string_view code,
                                     Timestamp now);
// The current code for a base32 secret (for tests and the enrolment self-check).
Result<std::string> TotpNow(std::string_view secret_base32, Timestamp now);

// A password hash to verify against when there is no account to check (an unknown username, a
// witness that does not exist), so that a miss takes as long as a wrong password and does not
// reveal which usernames exist.
const std::string& DummyPasswordHash();

}  // namespace kclinic::app
