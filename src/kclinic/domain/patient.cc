#include "kclinic/domain/patient.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace kclinic::domain {

using namespace std::chrono;

std::string_view SexCode(Sex sex) {
  switch (sex) {
    case Sex::kFemale:
      return "female";
    case Sex::kMale:
      return "male";
    case Sex::kOther:
      return "other";
    case Sex::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<Sex> ParseSex(std::string_view code) {
  for (Sex s : {Sex::kFemale, Sex::kMale, Sex::kOther, Sex::kUnknown}) {
    if (SexCode(s) == code) return s;
  }
  return std::nullopt;
}

namespace {

constexpr size_t kMaxName = 100;
constexpr size_t kMaxPhone = 40;
constexpr size_t kMaxEmail = 254;
constexpr size_t kMaxAddress = 500;
constexpr size_t kMaxRelationship = 50;
constexpr size_t kMaxAllergies = 50;
constexpr size_t kMaxAllergy = 100;
// Plausible human extremes, so that a typo (cm for m, lb for kg) is caught at entry.
constexpr double kMinHeightCm = 30, kMaxHeightCm = 272;
constexpr double kMinWeightKg = 0.5, kMaxWeightKg = 650;

std::string Trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

bool HasControlChars(std::string_view s, bool allow_newline) {
  return std::any_of(s.begin(), s.end(), [&](unsigned char c) {
    return (c < 0x20 && !(allow_newline && (c == '\n' || c == '\r'))) || c == 0x7f;
  });
}

// Characters, not bytes: UTF-8 continuation bytes do not count.
size_t CharCount(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

Status CheckText(std::string_view field, std::string_view value, size_t max, bool required,
                 bool allow_newline = false) {
  if (required && value.empty()) return InvalidArgument(std::string(field), "is required");
  if (CharCount(value) > max) {
    return InvalidArgument(std::string(field),
                           "must be at most " + std::to_string(max) + " characters");
  }
  if (HasControlChars(value, allow_newline)) {
    return InvalidArgument(std::string(field), "contains control characters");
  }
  return Status::Ok();
}

Status CheckPhone(std::string_view field, std::string_view phone) {
  KC_RETURN_IF_ERROR(CheckText(field, phone, kMaxPhone, false));
  int digits = 0;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (!std::strchr(" +-().", c)) {
      return InvalidArgument(std::string(field), "may contain only digits, spaces and + - ( ) .");
    }
  }
  if (!phone.empty() && digits < 3) {
    return InvalidArgument(std::string(field), "must contain at least 3 digits");
  }
  return Status::Ok();
}

Status CheckEmail(std::string_view field, std::string_view email) {
  KC_RETURN_IF_ERROR(CheckText(field, email, kMaxEmail, false));
  if (email.empty()) return Status::Ok();
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string_view::npos ||
      email.find('.', at) == std::string_view::npos || email.find(' ') != std::string_view::npos) {
    return InvalidArgument(std::string(field), "is not an email address like name@example.org");
  }
  return Status::Ok();
}

Status CheckRelated(std::string_view parent, const RelatedPerson& p) {
  std::string prefix(parent);
  KC_RETURN_IF_ERROR(CheckText(prefix + ".name", p.name, kMaxName, false));
  KC_RETURN_IF_ERROR(CheckPhone(prefix + ".phone", p.phone));
  KC_RETURN_IF_ERROR(CheckText(prefix + ".relationship", p.relationship, kMaxRelationship, false));
  if (p.name.empty() && (!p.phone.empty() || !p.relationship.empty())) {
    return InvalidArgument(prefix + ".name", "is required when a phone or relationship is given");
  }
  return Status::Ok();
}

}  // namespace

PatientFields NormalizeFields(PatientFields f) {
  for (std::string* s :
       {&f.name.given, &f.name.family, &f.contact.phone, &f.contact.email, &f.contact.address,
        &f.emergency_contact.name, &f.emergency_contact.phone, &f.emergency_contact.relationship,
        &f.escort.name, &f.escort.phone, &f.escort.relationship}) {
    *s = Trim(std::move(*s));
  }
  std::vector<std::string> allergies;
  for (auto& a : f.allergies) {
    std::string t = Trim(a);
    if (!t.empty() && std::find(allergies.begin(), allergies.end(), t) == allergies.end()) {
      allergies.push_back(std::move(t));
    }
  }
  f.allergies = std::move(allergies);
  return f;
}

Status ValidatePatientFields(const PatientFields& f, year_month_day today) {
  KC_RETURN_IF_ERROR(CheckText("name.given", f.name.given, kMaxName, true));
  KC_RETURN_IF_ERROR(CheckText("name.family", f.name.family, kMaxName, true));
  if (!f.birth_date.ok()) return InvalidArgument("birth_date", "is not a calendar date");
  if (sys_days(f.birth_date) > sys_days(today)) {
    return InvalidArgument("birth_date", "is in the future");
  }
  if (f.birth_date.year() < year(1900)) {
    return InvalidArgument("birth_date", "is before 1900");
  }
  KC_RETURN_IF_ERROR(CheckPhone("contact.phone", f.contact.phone));
  KC_RETURN_IF_ERROR(CheckEmail("contact.email", f.contact.email));
  KC_RETURN_IF_ERROR(CheckText("contact.address", f.contact.address, kMaxAddress, false, true));
  if (f.height_cm) {
    double h = f.height_cm->value();
    if (!(h >= kMinHeightCm && h <= kMaxHeightCm)) {
      return InvalidArgument("height_cm", "must be between 30 and 272 cm");
    }
  }
  if (f.allergies.size() > kMaxAllergies) {
    return InvalidArgument("allergies", "may list at most 50 entries");
  }
  for (size_t i = 0; i < f.allergies.size(); ++i) {
    KC_RETURN_IF_ERROR(
        CheckText("allergies." + std::to_string(i), f.allergies[i], kMaxAllergy, true));
  }
  KC_RETURN_IF_ERROR(CheckRelated("emergency_contact", f.emergency_contact));
  KC_RETURN_IF_ERROR(CheckRelated("escort", f.escort));
  return Status::Ok();
}

PatientFields ApplyPatch(PatientFields f, const PatientPatch& p) {
  auto set = [](auto& dst, const auto& src) {
    if (src) dst = *src;
  };
  set(f.name.given, p.given);
  set(f.name.family, p.family);
  set(f.birth_date, p.birth_date);
  set(f.sex, p.sex);
  set(f.contact.phone, p.phone);
  set(f.contact.email, p.email);
  set(f.contact.address, p.address);
  set(f.height_cm, p.height_cm);
  set(f.allergies, p.allergies);
  set(f.emergency_contact.name, p.emergency_name);
  set(f.emergency_contact.phone, p.emergency_phone);
  set(f.emergency_contact.relationship, p.emergency_relationship);
  set(f.escort.name, p.escort_name);
  set(f.escort.phone, p.escort_phone);
  set(f.escort.relationship, p.escort_relationship);
  return f;
}

Status ValidateWeight(Kilograms kg, year_month_day measured_on, year_month_day birth_date,
                      year_month_day today, std::string_view field_prefix) {
  std::string prefix = field_prefix.empty() ? "" : std::string(field_prefix) + ".";
  if (!(kg.value() >= kMinWeightKg && kg.value() <= kMaxWeightKg)) {
    return InvalidArgument(prefix + "kg", "must be between 0.5 and 650 kg");
  }
  if (!measured_on.ok()) return InvalidArgument(prefix + "date", "is not a calendar date");
  if (sys_days(measured_on) > sys_days(today)) {
    return InvalidArgument(prefix + "date", "is in the future");
  }
  if (birth_date.ok() && sys_days(measured_on) < sys_days(birth_date)) {
    return InvalidArgument(prefix + "date", "is before the patient's birth date");
  }
  return Status::Ok();
}

std::string NameKey(std::string_view name) {
  std::string key(name);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

}  // namespace kclinic::domain
