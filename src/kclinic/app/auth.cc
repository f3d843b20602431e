#include "kclinic/app/auth.h"

#include <liboath/oath.h>

#include <algorithm>
#include <mutex>

#include "kclinic/app/login_throttle.h"
#include "kclinic/base/crypto.h"

namespace kclinic::app {

using domain::Actor;
using domain::Role;
using domain::Session;
using domain::User;
using namespace std::chrono;

namespace {

void InitOath() {
  static std::once_flag once;
  std::call_once(once, [] { oath_init(); });
}

Result<std::string> DecodeSecret(std::string_view secret_base32) {
  InitOath();
  char* raw = nullptr;
  size_t len = 0;
  std::string in(secret_base32);
  if (oath_base32_decode(in.c_str(), in.size(), &raw, &len) != OATH_OK) {
    return InvalidArgument("secret", "is not base32");
  }
  std::string out(raw, len);
  free(raw);
  return out;
}

}  // namespace

const std::string& DummyPasswordHash() {
  static const std::string kHash = HashPassword("kclinic-dummy-password").value();
  return kHash;
}

Result<std::string> TotpNow(std::string_view secret_base32, Timestamp now) {
  KC_ASSIGN_OR_RETURN(std::string secret, DecodeSecret(secret_base32));
  char otp[10] = {};
  time_t t = duration_cast<seconds>(now.time_since_epoch()).count();
  if (oath_totp_generate(secret.data(), secret.size(), t, OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
                         OATH_TOTP_DEFAULT_START_TIME, 6, otp) != OATH_OK) {
    return Internal("cannot compute a one-time code");
  }
  return std::string(otp);
}

std::optional<int64_t> TotpMatchStep(std::string_view secret_base32, std::string_view code,
                                     Timestamp now) {
  if (code.size() != 6) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  auto secret = DecodeSecret(secret_base32);
  if (!secret.ok()) return std::nullopt;
  std::string otp(code);
  time_t t = duration_cast<seconds>(now.time_since_epoch()).count();
  int position = 0;
  uint64_t counter = 0;
  // A window of one step either side absorbs clock drift between phone and server (RFC 6238 §6).
  if (oath_totp_validate3(secret->data(), secret->size(), t, OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
                          OATH_TOTP_DEFAULT_START_TIME, 1, &position, &counter, otp.c_str()) < 0) {
    return std::nullopt;
  }
  return static_cast<int64_t>(counter);
}

namespace {

// The answer to a source that must wait or is locked out, or to a locked account: the same words
// whichever it is and whether or not the username exists.
Status WaitAnswer(Timestamp until, bool locked, Timestamp now, std::chrono::seconds* retry_after) {
  const seconds left = std::max(seconds(1), ceil<seconds>(until - now));
  if (retry_after) *retry_after = left;
  if (!locked) {
    return Status(
        StatusCode::kResourceExhausted,
        "too many failed logins; wait " + std::to_string(left.count()) + " s and try again");
  }
  return Status(StatusCode::kResourceExhausted,
                "account locked after too many failed logins; try again in " +
                    std::to_string(ceil<minutes>(left).count()) + " min or ask an administrator");
}

}  // namespace

Result<LoginResult> AuthService::Login(std::string_view username, std::string_view password,
                                       const std::optional<std::string>& totp,
                                       std::string_view source, std::chrono::seconds* retry_after) {
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();
  auto audit_failure = [&](const User* user, std::string detail) {
    Actor actor;
    if (user) actor = {user->id, user->username, user->role, user->patient_id};
    return env_.audit.Append(
        MakeEvent(env_, user ? &actor : nullptr, "auth.login", "session", "failure", "", detail));
  };
  // The source's failures on this username count toward its own delays and lockout.
  auto source_failed = [&]() {
    if (env_.throttle) (void)env_.throttle->Failed(source, username, now, settings);
  };
  // A source that must wait is answered before anything is checked: no password is tried and
  // nothing else counts.
  if (env_.throttle) {
    if (auto wait = env_.throttle->Check(source, username, now)) {
      KC_RETURN_IF_ERROR(audit_failure(
          nullptr, wait->locked ? "locked out for this source" : "too soon after failures"));
      return WaitAnswer(wait->until, wait->locked, now, retry_after);
    }
  }

  // The password check (Argon2id, tens of ms) runs outside any transaction: a write transaction
  // held across it would stall every other writer, the audit writer included.
  auto found = [&]() -> Result<User> {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    return tx->users().GetByUsername(username);
  }();
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    if (auto until = UnknownUsernameLocked(username, now, settings, false)) {
      KC_RETURN_IF_ERROR(audit_failure(nullptr, "unknown username, locked"));
      return WaitAnswer(*until, true, now, retry_after);
    }
    (void)VerifyPassword(DummyPasswordHash(), password);
    (void)UnknownUsernameLocked(username, now, settings, true);
    source_failed();
    KC_RETURN_IF_ERROR(audit_failure(nullptr, "unknown username"));
    return Unauthenticated("wrong username or password");
  }
  User user = std::move(found).value();
  if (user.locked_until && *user.locked_until > now) {
    KC_RETURN_IF_ERROR(audit_failure(&user, "account locked"));
    return WaitAnswer(*user.locked_until, true, now, retry_after);
  }

  bool password_ok = VerifyPassword(user.password_hash, password);
  bool needs_code = password_ok && user.totp_enabled && (!totp || totp->empty());
  std::optional<int64_t> code_step;
  if (user.totp_enabled && totp) code_step = TotpMatchStep(user.totp_secret, *totp, now);
  if (needs_code) {
    // Not a failure: the password was right and the second step is still to come.
    KC_RETURN_IF_ERROR(audit_failure(&user, "one-time code required"));
    return Unauthenticated("enter the one-time code from your authenticator app", "totp");
  }
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  {
    // Count from the stored value, not the one read before the slow check: concurrent failures
    // must all count.
    KC_ASSIGN_OR_RETURN(User fresh, tx->users().GetById(user.id));
    user.failed_logins = fresh.failed_logins;
    user.locked_until = fresh.locked_until;
    user.totp_last_step = fresh.totp_last_step;
  }
  // RFC 6238 §5.2: a code is accepted once; a replayed or older step counts as wrong.
  bool code_ok = !user.totp_enabled || (code_step && *code_step > user.totp_last_step);
  if (!password_ok || !code_ok) {
    const bool lock = domain::CountAccountFailure(user, now, settings);
    KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(user));
    KC_RETURN_IF_ERROR(tx->Commit());
    tx.reset();
    source_failed();
    KC_RETURN_IF_ERROR(
        audit_failure(&user, std::string(password_ok ? "wrong one-time code" : "wrong password") +
                                 (lock ? "; account locked" : "")));
    if (password_ok) return Unauthenticated("the one-time code is wrong or expired", "totp");
    return Unauthenticated("wrong username or password");
  }

  user.failed_logins = 0;
  user.locked_until.reset();
  if (code_step) user.totp_last_step = *code_step;
  KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(user));
  LoginResult result;
  result.token = RandomToken(32);
  result.session = Session{Sha256Hex(result.token), user.id, RandomToken(32), now, now, false};
  KC_RETURN_IF_ERROR(tx->sessions().Insert(result.session));
  Actor actor{user.id, user.username, user.role, user.patient_id};
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "auth.login", "session", "success")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  if (env_.throttle) env_.throttle->Succeeded(source, username);
  result.user = std::move(user);
  return result;
}

std::optional<Timestamp> AuthService::UnknownUsernameLocked(std::string_view username,
                                                            Timestamp now,
                                                            const domain::SiteSettings& settings,
                                                            bool count_failure) {
  std::lock_guard lock(unknown_mu_);
  std::string key(username);
  auto it = unknown_.find(key);
  if (it != unknown_.end() && it->second.locked_until) {
    if (*it->second.locked_until > now) return it->second.locked_until;
    it->second = {};  // the lock ran out: counting starts again, as for a real account
  }
  if (!count_failure) return std::nullopt;
  if (it == unknown_.end()) {
    if (unknown_.size() >= kMaxUnknownUsernames) {
      std::erase_if(unknown_, [&](const auto& e) {
        return !e.second.locked_until || *e.second.locked_until <= now;
      });
      if (unknown_.size() >= kMaxUnknownUsernames) unknown_.clear();
    }
    it = unknown_.emplace(std::move(key), UnknownUsername{}).first;
  }
  // As domain::CountAccountFailure for an account that exists.
  if (++it->second.failed_logins >= settings.Get(domain::kAccountLockoutAttempts)) {
    it->second.locked_until =
        now + minutes(static_cast<int64_t>(settings.Get(domain::kLockoutMinutes)));
    it->second.failed_logins = 0;
  }
  return std::nullopt;
}

Result<AuthContext> AuthService::Authenticate(std::string_view token) {
  if (token.empty() || token.size() > 100) return Unauthenticated("not logged in");
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();
  const std::string hash = Sha256Hex(token);
  KC_ASSIGN_OR_RETURN(CachedSession loaded, LoadSession(hash, now));
  Session& session = loaded.session;
  const User& user = loaded.user;
  if (session.revoked) return Unauthenticated("your session has ended; log in again");
  // 45 CFR 164.312(a)(2)(iii) automatic logoff; settings session.idle_timeout_minutes and
  // session.absolute_expiry_hours.
  auto idle = minutes(static_cast<int64_t>(settings.Get(domain::kSessionIdleMinutes)));
  auto absolute = hours(static_cast<int64_t>(settings.Get(domain::kSessionAbsoluteHours)));
  if (now - session.last_seen_at > idle || now - session.created_at > absolute) {
    Forget(hash);
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
    KC_RETURN_IF_ERROR(tx->sessions().Revoke(hash));
    KC_RETURN_IF_ERROR(tx->Commit());
    return Unauthenticated("your session has expired; log in again");
  }
  // Refreshing last_seen at most once a minute keeps a read from costing a write.
  if (now - session.last_seen_at > minutes(1)) {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
    KC_RETURN_IF_ERROR(tx->sessions().Touch(hash, now));
    KC_RETURN_IF_ERROR(tx->Commit());
    session.last_seen_at = now;
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(hash); it != cache_.end()) it->second.session.last_seen_at = now;
  }
  AuthContext ctx;
  ctx.actor = {user.id, user.username, user.role, user.patient_id};
  ctx.session = std::move(session);
  ctx.totp_enabled = user.totp_enabled;
  return ctx;
}

Result<AuthService::CachedSession> AuthService::LoadSession(const std::string& hash,
                                                            Timestamp now) {
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(hash); it != cache_.end()) {
      if (now >= it->second.loaded_at && now - it->second.loaded_at < kSessionCacheTtl) {
        return it->second;
      }
      cache_.erase(it);
    }
  }
  CachedSession loaded;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    auto found = tx->sessions().Get(hash);
    if (!found.ok()) {
      if (found.status().code() == StatusCode::kNotFound) return Unauthenticated("not logged in");
      return found.status();
    }
    loaded.session = std::move(found).value();
    KC_ASSIGN_OR_RETURN(loaded.user, tx->users().GetById(loaded.session.user_id));
  }
  loaded.loaded_at = now;
  std::lock_guard lock(cache_mu_);
  if (cache_.size() >= 10000) cache_.clear();  // bounded; a miss only costs one read
  cache_[hash] = loaded;
  return loaded;
}

void AuthService::Forget(const std::string& hash) {
  std::lock_guard lock(cache_mu_);
  cache_.erase(hash);
}

Status AuthService::Logout(const Actor& actor, std::string_view token) {
  Forget(Sha256Hex(token));
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_RETURN_IF_ERROR(tx->sessions().Revoke(Sha256Hex(token)));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "auth.logout", "session", "success")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  return tx->Commit();
}

void AuthService::ForgetUser(const UserId& user) {
  std::lock_guard lock(cache_mu_);
  std::erase_if(cache_, [&](const auto& e) { return e.second.user.id == user; });
}

Status AuthService::EndOtherSessions(domain::Transaction& tx, const UserId& user,
                                     std::string_view keep_token) {
  KC_RETURN_IF_ERROR(
      tx.sessions().RevokeAllOf(user, keep_token.empty() ? "" : Sha256Hex(keep_token)));
  // Other servers see the change within AuthService::kSessionCacheTtl.
  ForgetUser(user);
  return Status::Ok();
}

Status AuthService::Reauthenticate(const Actor& actor, std::string_view password,
                                   std::string_view field, std::string_view source, User& user) {
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();
  auto refuse = [&](std::string detail, Status answer) -> Status {
    KC_RETURN_IF_ERROR(env_.audit.Append(
        MakeEvent(env_, &actor, "auth.reauthenticate", "user", "failure", "", std::move(detail))));
    return answer;
  };
  if (env_.throttle) {
    if (auto wait = env_.throttle->Check(source, actor.username, now)) {
      return refuse("too soon after failures", WaitAnswer(wait->until, wait->locked, now, nullptr));
    }
  }
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    KC_ASSIGN_OR_RETURN(user, tx->users().GetById(actor.user_id));
  }
  if (VerifyPassword(user.password_hash, password)) return Status::Ok();
  // A wrong password here counts as a failed login: a stolen session must not become a way to
  // guess the password without limit.
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(User fresh, tx->users().GetById(actor.user_id));
  const bool lock = domain::CountAccountFailure(fresh, now, settings);
  KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(fresh));
  KC_RETURN_IF_ERROR(tx->Commit());
  if (env_.throttle) (void)env_.throttle->Failed(source, actor.username, now, settings);
  return refuse(std::string("wrong password") + (lock ? "; account locked" : ""),
                InvalidArgument(std::string(field), "is not this account's password"));
}

Result<TotpEnrollment> AuthService::BeginTotp(const Actor& actor, std::string_view password,
                                              std::string_view source) {
  InitOath();
  User checked;
  KC_RETURN_IF_ERROR(Reauthenticate(actor, password, "password", source, checked));
  std::string raw = RandomBytes(20);  // 160 bits, as RFC 4226 §4 recommends
  char* encoded = nullptr;
  size_t len = 0;
  if (oath_base32_encode(raw.data(), raw.size(), &encoded, &len) != OATH_OK) {
    return Internal("cannot encode a secret");
  }
  std::string secret(encoded, len);
  free(encoded);
  while (!secret.empty() && secret.back() == '=') secret.pop_back();

  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(User user, tx->users().GetById(actor.user_id));
  if (user.totp_enabled) {
    return FailedPrecondition(
        "a second factor is already on for this account; turn it off first to set up another");
  }
  user.totp_secret = secret;
  KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(user));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "auth.totp_enroll", "user", "success")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return TotpEnrollment{secret, "otpauth://totp/kclinic:" + user.username + "?secret=" + secret +
                                    "&issuer=kclinic&algorithm=SHA1&digits=6&period=30"};
}

Status AuthService::ConfirmTotp(const Actor& actor, std::string_view code, std::string_view token) {
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(User user, tx->users().GetById(actor.user_id));
  if (user.totp_enabled) return FailedPrecondition("the second factor is already on");
  if (user.totp_secret.empty()) return FailedPrecondition("start enrolment first");
  auto step = TotpMatchStep(user.totp_secret, code, env_.clock.Now());
  if (!step) {
    return InvalidArgument("code", "does not match; check the time on your phone and try again");
  }
  user.totp_enabled = true;
  user.totp_last_step = *step;
  KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(user));
  // Whoever else holds a session of this account logged in without the new factor.
  KC_RETURN_IF_ERROR(EndOtherSessions(*tx, user.id, token));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "auth.totp_confirm", "user", "success")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  return tx->Commit();
}

Status AuthService::RemoveTotp(const Actor& actor, std::string_view password, std::string_view code,
                               std::string_view source, std::string_view token) {
  User checked;
  KC_RETURN_IF_ERROR(Reauthenticate(actor, password, "password", source, checked));
  if (!checked.totp_enabled) return FailedPrecondition("two-step login is not on");
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(User user, tx->users().GetById(actor.user_id));
  // RFC 6238 §5.2: the code is accepted once, as at login.
  auto step = TotpMatchStep(user.totp_secret, code, env_.clock.Now());
  if (!step || *step <= user.totp_last_step) {
    tx.reset();
    KC_RETURN_IF_ERROR(env_.audit.Append(
        MakeEvent(env_, &actor, "auth.totp_remove", "user", "failure", "", "wrong one-time code")));
    return InvalidArgument("code", "is wrong or expired");
  }
  user.totp_enabled = false;
  user.totp_secret.clear();
  user.totp_last_step = *step;
  KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(user));
  KC_RETURN_IF_ERROR(EndOtherSessions(*tx, user.id, token));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "auth.totp_remove", "user", "success")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  return tx->Commit();
}

Status AuthService::ChangePassword(const Actor& actor, std::string_view current_password,
                                   std::string_view new_password, std::string_view source,
                                   std::string_view token) {
  if (Status valid = domain::ValidatePassword(new_password); !valid.ok()) {
    return InvalidArgument("new_password", valid.message());
  }
  User checked;
  KC_RETURN_IF_ERROR(Reauthenticate(actor, current_password, "current_password", source, checked));
  if (VerifyPassword(checked.password_hash, new_password)) {
    return InvalidArgument("new_password", "is the password in use now; choose a new one");
  }
  KC_ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password));
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(User user, tx->users().GetById(actor.user_id));
  user.password_hash = std::move(hash);
  KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(user));
  KC_RETURN_IF_ERROR(EndOtherSessions(*tx, user.id, token));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "auth.password_change", "user", "success")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  return tx->Commit();
}

Result<User> AuthService::AddUser(const Actor* by, std::string username, Role role,
                                  std::string_view password, std::optional<PatientId> patient_id) {
  KC_RETURN_IF_ERROR(domain::ValidateUsername(username));
  KC_RETURN_IF_ERROR(domain::ValidatePassword(password));
  KC_RETURN_IF_ERROR(domain::ValidateAccountLink(role, patient_id));
  if (patient_id && !IsWellFormedId(patient_id->value())) {
    return InvalidArgument("patient_id", "is not a patient id (32 hex digits)");
  }
  User user;
  user.id = UserId(NewId());
  user.username = std::move(username);
  user.role = role;
  KC_ASSIGN_OR_RETURN(user.password_hash, HashPassword(password));
  user.patient_id = std::move(patient_id);
  user.created_at = env_.clock.Now();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  if (user.patient_id) {
    auto patient = tx->patients().Get(*user.patient_id);
    if (!patient.ok()) {
      if (patient.status().code() == StatusCode::kNotFound) {
        return InvalidArgument("patient_id", "does not name a patient");
      }
      return patient.status();
    }
  }
  KC_RETURN_IF_ERROR(tx->users().Insert(user));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, by, "user.create", "user", "success",
                                                   user.patient_id ? user.patient_id->value() : "",
                                                   "role=" + std::string(domain::RoleName(role)))};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return user;
}

Status AuthService::Unlock(const Actor* by, std::string_view username, std::string_view reason) {
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  auto user = tx->users().GetByUsername(username);
  if (!user.ok()) {
    if (user.status().code() == StatusCode::kNotFound) {
      return InvalidArgument("username", "no account has this username");
    }
    return user.status();
  }
  user->failed_logins = 0;
  user->locked_until.reset();
  KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(*user));
  std::string detail = "user=" + user->id.value();
  if (!reason.empty()) detail += "; reason=" + std::string(reason);
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, by, "user.unlock", "user", "success",
                user->patient_id ? user->patient_id->value() : "", std::move(detail))};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  if (env_.throttle) env_.throttle->Clear(user->username);
  {
    std::lock_guard lock(unknown_mu_);
    unknown_.erase(std::string(username));
  }
  return Status::Ok();
}

namespace {

// An administrator's change to someone else's account: allowed, and why, or the field to fix.
Status CheckAdminChange(const Actor& by, std::string_view reason) {
  if (!domain::RoleHas(by.role, domain::Permission::kUserManage)) {
    return PermissionDenied("your role may not manage accounts");
  }
  if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return InvalidArgument("reason", "is required: say who asked and how you checked");
  }
  if (reason.size() > 500) return InvalidArgument("reason", "must be at most 500 characters");
  return Status::Ok();
}

}  // namespace

Status AuthService::UnlockById(const Actor& by, const UserId& id, std::string_view reason) {
  KC_RETURN_IF_ERROR(CheckAdminChange(by, reason));
  std::string username;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    auto user = tx->users().GetById(id);
    if (!user.ok()) {
      if (user.status().code() == StatusCode::kNotFound) return NotFound("no such account");
      return user.status();
    }
    username = user->username;
  }
  return Unlock(&by, username, reason);
}

Status AuthService::ResetSecondFactor(const Actor& by, const UserId& id, std::string_view reason) {
  KC_RETURN_IF_ERROR(CheckAdminChange(by, reason));
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  auto user = tx->users().GetById(id);
  if (!user.ok()) {
    if (user.status().code() == StatusCode::kNotFound) return NotFound("no such account");
    return user.status();
  }
  if (!user->totp_enabled && user->totp_secret.empty()) {
    return FailedPrecondition("this account has no second factor to reset");
  }
  user->totp_enabled = false;
  user->totp_secret.clear();
  KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(*user));
  // Every session ends: the owner logs in again with her password and sets up her new phone.
  KC_RETURN_IF_ERROR(EndOtherSessions(*tx, user->id, ""));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &by, "user.totp_reset", "user", "success",
                user->patient_id ? user->patient_id->value() : "",
                "user=" + user->id.value() + "; reason=" + std::string(reason))};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  return tx->Commit();
}

Result<std::vector<User>> AuthService::ListUsers(const Actor& actor) {
  std::vector<User> users;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    KC_ASSIGN_OR_RETURN(users, tx->users().List());
  }
  KC_RETURN_IF_ERROR(env_.audit.Append(MakeEvent(env_, &actor, "user.list", "user", "success")));
  return users;
}

}  // namespace kclinic::app
