// Accounts and login sessions as stored values, and the rules for usernames and passwords.
#pragma once

#include <optional>
#include <string>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/base/strong_id.h"
#include "kclinic/domain/access.h"

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

}  // namespace kclinic::domain
