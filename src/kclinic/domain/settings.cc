#include "kclinic/domain/settings.h"

#include <cmath>
#include <vector>

namespace kclinic::domain {

namespace {

const SettingDefinition kDefinitions[] = {
    {kSessionIdleMinutes, 15, 1, 240, "min",
     "45 CFR 164.312(a)(2)(iii) automatic logoff (addressable); 15 min on shared clinic "
     "workstations, stricter than NIST SP 800-63B-3 §4.2.3 (AAL2: 30 min inactivity)"},
    {kSessionAbsoluteHours, 12, 1, 24, "h",
     "NIST SP 800-63B-3 §4.2.3: AAL2 reauthentication at least once per 12 hours"},
    {kLockoutAttempts, 5, 3, 100, "consecutive failed logins",
     "NIST SP 800-63B-3 §5.2.2 rate limiting (at most 100 consecutive failures); 5 as in "
     "CIS Controls v8 safeguard 4.10 account lockout"},
    {kLockoutMinutes, 15, 1, 1440, "min",
     "CIS Controls v8 safeguard 4.10: lock for at least 15 minutes"},
};

}  // namespace

std::span<const SettingDefinition> SettingDefinitions() {
  static const std::vector<SettingDefinition> kAll = [] {
    std::vector<SettingDefinition> v(std::begin(kDefinitions), std::end(kDefinitions));
    for (auto area : {MeasurementSettingDefinitions(), ScreeningSettingDefinitions(),
                      DosingSettingDefinitions(), LedgerSettingDefinitions(),
                      SessionSettingDefinitions(), CourseSettingDefinitions()}) {
      v.insert(v.end(), area.begin(), area.end());
    }
    return v;
  }();
  return kAll;
}

const SettingDefinition* FindSetting(std::string_view key) {
  for (const auto& d : SettingDefinitions()) {
    if (d.key == key) return &d;
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

double SiteSettings::Get(std::string_view key) const {
  if (auto it = overrides_.find(key); it != overrides_.end()) return it->second;
  const SettingDefinition* def = FindSetting(key);
  return def ? def->default_value : 0;
}

}  // namespace kclinic::domain
