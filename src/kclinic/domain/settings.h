// Site settings: every threshold the clinic may change, with its default, bounds and the source
// that justifies the default. Settings are versioned rows in storage; a decision records the
// version it used.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "kclinic/base/status.h"

namespace kclinic::domain {

struct SettingDefinition {
  std::string_view key;
  double default_value;
  double min_value;
  double max_value;
  std::string_view unit;
  std::string_view citation;  // why the default is what it is
};

// Every known setting: the platform's own, then each clinical area's.
std::span<const SettingDefinition> SettingDefinitions();

// Each clinical area keeps its cited settings beside its rules; SettingDefinitions() joins them.
std::span<const SettingDefinition> MeasurementSettingDefinitions();  // domain/scales/
std::span<const SettingDefinition> ScreeningSettingDefinitions();    // domain/screening/
std::span<const SettingDefinition> DosingSettingDefinitions();       // domain/dosing/
std::span<const SettingDefinition> LedgerSettingDefinitions();       // domain/ledger/
std::span<const SettingDefinition> SessionSettingDefinitions();      // domain/session/
std::span<const SettingDefinition> CourseSettingDefinitions();       // domain/schedule/
const SettingDefinition* FindSetting(std::string_view key);

// Checks that `key` is known and `value` within its bounds; the error names "value" or "key".
Status ValidateSetting(std::string_view key, double value);

// The settings in force: stored overrides on top of the defaults.
class SiteSettings {
 public:
  SiteSettings() = default;
  SiteSettings(int64_t version, std::map<std::string, double, std::less<>> overrides)
      : version_(version), overrides_(std::move(overrides)) {}
  // The version of the newest stored change (0: all defaults).
  int64_t version() const { return version_; }
  // The value in force for a known key. Unknown keys are a programming error and return 0.
  double Get(std::string_view key) const;

 private:
  int64_t version_ = 0;
  std::map<std::string, double, std::less<>> overrides_;
};

inline constexpr std::string_view kSessionIdleMinutes = "session.idle_timeout_minutes";
inline constexpr std::string_view kSessionAbsoluteHours = "session.absolute_expiry_hours";
inline constexpr std::string_view kLockoutAttempts = "auth.lockout_attempts";
inline constexpr std::string_view kLockoutMinutes = "auth.lockout_minutes";

}  // namespace kclinic::domain
