#include "kclinic/domain/user.h"

#include <algorithm>
#include <set>

#include "kclinic/base/crypto.h"

namespace kclinic::domain {

Status ValidateUsername(std::string_view username) {
  if (username.size() < 3 || username.size() > 64) {
    return InvalidArgument("username", "must be 3 to 64 characters");
  }
  for (char c : username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return InvalidArgument("username", "may contain only a-z, 0-9, '.', '_' and '-'");
    }
  }
  return Status::Ok();
}

Status ValidatePassword(std::string_view password) {
  if (password.size() < 12) return InvalidArgument("password", "must be at least 12 characters");
  if (password.size() > 1024) return InvalidArgument("password", "must be at most 1024 characters");
  // NIST SP 800-63B §5.1.1.2: no composition rules, but refuse what is easily guessed.
  std::set<char> distinct(password.begin(), password.end());
  distinct.erase(' ');
  if (distinct.empty()) return InvalidArgument("password", "must not be only spaces");
  if (distinct.size() < 4) {
    return InvalidArgument("password", "is too easy to guess: use at least 4 different characters");
  }
  if (IsCommonPassword(password)) {
    return InvalidArgument("password",
                           "is too common: it is on a list of passwords attackers try first; "
                           "a few unrelated words make a strong one");
  }
  return Status::Ok();
}

Status ValidateAccountLink(Role role, const std::optional<PatientId>& patient_id) {
  if (role == Role::kPatient && !patient_id) {
    return InvalidArgument("patient_id", "is required for a patient account");
  }
  if (role != Role::kPatient && patient_id) {
    return InvalidArgument("patient_id", "is only for patient accounts");
  }
  return Status::Ok();
}

std::optional<LoginWait> WaitAfterFailures(int failures, const SiteSettings& settings) {
  const auto lock_at = static_cast<int>(settings.Get(kLockoutAttempts));
  const auto delay_from = static_cast<int>(settings.Get(kLoginDelayAfter));
  const std::chrono::seconds lock_for{static_cast<int64_t>(settings.Get(kLockoutMinutes)) * 60};
  if (failures >= lock_at) return LoginWait{lock_for, true};
  if (failures < delay_from) return std::nullopt;
  // 1 s after the first counted failure, doubling; never longer than a lockout.
  const int doublings = std::min(failures - delay_from, 30);
  return LoginWait{std::min(std::chrono::seconds(int64_t{1} << doublings), lock_for), false};
}

bool CountAccountFailure(User& user, Timestamp now, const SiteSettings& settings) {
  user.failed_logins += 1;
  if (user.failed_logins < settings.Get(kAccountLockoutAttempts)) return false;
  user.locked_until =
      now + std::chrono::minutes(static_cast<int64_t>(settings.Get(kLockoutMinutes)));
  user.failed_logins = 0;
  return true;
}

}  // namespace kclinic::domain
