// Accounts and login sessions as stored values, and the rules for usernames and passwords.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/base/strong_id.h"
#include "kclinic/domain/access.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain {

struct User {
  UserId id;
  std::string username;
  Role role = Role::kPatient;
  std::string password_hash;            // Argon2id, libsodium encoded form
  std::optional<PatientId> patient_id;  // set exactly when role == kPatient
  std::string totp_secret;              // base32; empty when never enrolled
  bool totp_enabled = false;
  int failed_logins = 0;  // consecutive failures since the last success or lock
  std::optional<Timestamp> locked_until;
  Timestamp created_at;
  int64_t totp_last_step = 0;  // the last 30 s step whose code was accepted (no replays)
};

// A login session. The cookie carries a random token; only its SHA-256 is stored.
struct Session {
  std::string token_hash;
  UserId user_id;
  std::string csrf_token;
  Timestamp created_at;
  Timestamp last_seen_at;
  bool revoked = false;
};

// Usernames: 3–64 characters of a-z, 0-9, '.', '_', '-'.
Status ValidateUsername(std::string_view username);
// Passwords: at least 12 characters, at most 1024 (NIST SP 800-63B §5.1.1.2 sets 8 as the floor
// and asks for long passphrases to be allowed).
Status ValidatePassword(std::string_view password);
// A patient account links one patient record; a staff account links none.
Status ValidateAccountLink(Role role, const std::optional<PatientId>& patient_id);

// How failed logins are answered (NIST SP 800-63B-3 §5.2.2 rate limiting; CIS Controls v8 4.10).
// Two counts, so that no one can lock an account for everyone from one address:
//  * per source (an address, or the colleague asking a witness check) and username, in memory:
//    from auth.delay_after_failures on, the source waits before its next try (1 s, doubling),
//    and at auth.lockout_attempts it is locked out of that username for auth.lockout_minutes;
//  * per account, from every source, stored: at auth.account_lockout_attempts the account is
//    locked for auth.lockout_minutes (guessing spread over many addresses).
struct LoginWait {
  std::chrono::seconds wait{0};
  bool locked = false;  // a lockout, not a short delay
};
// What one source must wait after `failures` consecutive failures on one username; nullopt when
// it may try again at once.
std::optional<LoginWait> WaitAfterFailures(int failures, const SiteSettings& settings);
// Counts one failed check of `user`'s password or code, from any source; locks the account at
// auth.account_lockout_attempts (then counting starts again). True when it locked.
bool CountAccountFailure(User& user, Timestamp now, const SiteSettings& settings);

}  // namespace kclinic::domain
