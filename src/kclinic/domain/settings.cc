#include "kclinic/domain/settings.h"

#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace kclinic::domain {

const SettingDefinition kSessionIdleMinutes{
    "session.idle_timeout_minutes",
    15,
    1,
    240,
    "min",
    "45 CFR 164.312(a)(2)(iii) automatic logoff (addressable); 15 min on shared clinic "
    "workstations, stricter than NIST SP 800-63B-3 §4.2.3 (AAL2: 30 min inactivity)"};
const SettingDefinition kSessionAbsoluteHours{
    "session.absolute_expiry_hours",
    12,
    1,
    24,
    "h",
    "NIST SP 800-63B-3 §4.2.3: AAL2 reauthentication at least once per 12 hours"};
const SettingDefinition kLockoutAttempts{
    "auth.lockout_attempts",
    5,
    3,
    100,
    "consecutive failed logins",
    "NIST SP 800-63B-3 §5.2.2 rate limiting (at most 100 consecutive failures); 5 as in "
    "CIS Controls v8 safeguard 4.10 account lockout"};
const SettingDefinition kLockoutMinutes{
    "auth.lockout_minutes",
    15,
    1,
    1440,
    "min",
    "CIS Controls v8 safeguard 4.10: lock for at least 15 minutes"};
const SettingDefinition kAccountLockoutAttempts{
    "auth.account_lockout_attempts",
    20,
    5,
    100,
    "consecutive failed logins",
    "NIST SP 800-63B-3 §5.2.2: at most 100 consecutive failures on one account; counted from "
    "every address, so that guessing spread over many cannot go on, while one address alone "
    "(auth.lockout_attempts) cannot lock the account for everyone"};
const SettingDefinition kLoginDelayAfter{
    "auth.delay_after_failures",
    3,
    1,
    100,
    "consecutive failed logins",
    "NIST SP 800-63B-3 §5.2.2 lets a verifier make a claimant wait after failures; from this "
    "many on, each further try from the same address waits 1 s, then 2 s, 4 s ..."};

const SettingDefinition kDisplayDoseMgDecimals{
    "display.dose_mg_decimals",
    1,
    0,
    2,
    "decimals",
    "ISMP 2015, guidelines for safe electronic communication of medication information: doses "
    "rounded to a measurable amount, no trailing zeros; 0.1 mg for a ketamine dose"};
const SettingDefinition kDisplayVolumeMlDecimals{
    "display.volume_ml_decimals",
    1,
    0,
    2,
    "decimals",
    "ISMP 2015: a volume to what the syringe measures; 10 mL syringes are graduated to 0.2 mL, "
    "1-3 mL syringes to 0.1 or 0.01 mL"};
const SettingDefinition kDisplayRateDecimals{
    "display.rate_ml_per_h_decimals",
    1,
    0,
    2,
    "decimals",
    "ISMP 2020, guidelines for optimizing safe implementation of smart infusion pumps: rates are "
    "programmed to 0.1 mL/h"};

namespace {

const SettingDefinition* const kAccessDefinitions[] = {
    &kSessionIdleMinutes,    &kSessionAbsoluteHours,    &kLockoutAttempts,
    &kLockoutMinutes,        &kAccountLockoutAttempts,  &kLoginDelayAfter,
    &kDisplayDoseMgDecimals, &kDisplayVolumeMlDecimals, &kDisplayRateDecimals,
};

}  // namespace

std::span<const SettingDefinition* const> SettingDefinitions() {
  static const std::vector<const SettingDefinition*> kAll = [] {
    std::vector<const SettingDefinition*> v(std::begin(kAccessDefinitions),
                                            std::end(kAccessDefinitions));
    for (auto area :
         {PlausibilitySettingDefinitions(), MeasurementSettingDefinitions(),
          ScreeningSettingDefinitions(), DosingSettingDefinitions(), LedgerSettingDefinitions(),
          SessionSettingDefinitions(), CourseSettingDefinitions()}) {
      v.insert(v.end(), area.begin(), area.end());
    }
    return v;
  }();
  return kAll;
}

const SettingDefinition* FindSetting(std::string_view key) {
  for (const SettingDefinition* d : SettingDefinitions()) {
    if (d->key == key) return d;
  }
  return nullptr;
}

Status ValidateSetting(std::string_view key, double value) {
  const SettingDefinition* def = FindSetting(key);
  if (!def) return InvalidArgument("key", "is not a known setting");
  if (!std::isfinite(value) || value < def->min_value || value > def->max_value) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "must be between %g and %g %s", def->min_value, def->max_value,
                  std::string(def->unit).c_str());
    return InvalidArgument("value", buf);
  }
  return Status::Ok();
}

Status CheckSettingCatalog(std::span<const std::string> required_keys) {
  std::set<std::string_view> seen;
  for (const SettingDefinition* d : SettingDefinitions()) {
    if (d->key.empty()) return Internal("a setting is declared without a key");
    if (!seen.insert(d->key).second) {
      return Internal("setting " + std::string(d->key) + " is declared twice");
    }
    if (!(d->min_value <= d->default_value && d->default_value <= d->max_value)) {
      return Internal("setting " + std::string(d->key) + " has its default outside its bounds");
    }
    if (d->citation.empty()) {
      return Internal("setting " + std::string(d->key) + " cites no source");
    }
  }
  for (const std::string& key : required_keys) {
    if (!seen.contains(key)) return Internal("setting " + key + " is read but not declared");
  }
  return Status::Ok();
}

double SiteSettings::Get(const SettingDefinition& setting) const {
  if (auto it = overrides_.find(setting.key); it != overrides_.end()) return it->second;
  return setting.default_value;
}

std::optional<double> SiteSettings::Find(std::string_view key) const {
  const SettingDefinition* def = FindSetting(key);
  if (!def) return std::nullopt;
  return Get(*def);
}

}  // namespace kclinic::domain
