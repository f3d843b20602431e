#include "kclinic/domain/user.h"

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

}  // namespace kclinic::domain
