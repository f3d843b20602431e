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

// One site setting, declared once as a named constant beside the rules that read it (Abseil's
// ABSL_FLAG: the declaration carries type, default, bounds and help). Code reads a setting only
// through its definition, SiteSettings::Get(kSetting), so a misspelt or undeclared setting does
// not compile; the stored overrides are keyed by `key`.
struct SettingDefinition {
  std::string_view key;
  double default_value;
  double min_value;
  double max_value;
  std::string_view unit;
  std::string_view citation;  // why the default is what it is

  // The key, where a setting is named in words (a message, the settings list, a decision's record
  // of the settings it used).
  constexpr operator std::string_view() const {
    return key;
  }  // NOLINT(google-explicit-constructor)
};

// Every known setting: the platform's own, then each clinical area's.
std::span<const SettingDefinition* const> SettingDefinitions();

// Each clinical area keeps its cited settings beside its rules; SettingDefinitions() joins them.
std::span<const SettingDefinition* const> PlausibilitySettingDefinitions();  // plausibility.h
std::span<const SettingDefinition* const> MeasurementSettingDefinitions();   // domain/scales/
std::span<const SettingDefinition* const> ScreeningSettingDefinitions();     // domain/screening/
std::span<const SettingDefinition* const> DosingSettingDefinitions();        // domain/dosing/
std::span<const SettingDefinition* const> LedgerSettingDefinitions();        // domain/ledger/
std::span<const SettingDefinition* const> SessionSettingDefinitions();       // domain/session/
std::span<const SettingDefinition* const> CourseSettingDefinitions();        // domain/schedule/
const SettingDefinition* FindSetting(std::string_view key);

// Checks that `key` is known and `value` within its bounds; the error names "value" or "key".
Status ValidateSetting(std::string_view key, double value);

// Checks the catalogue once at start-up (and in a unit test): every key declared once, each
// default within its bounds and cited, and each of `required_keys` (keys composed from data, such
// as a drug's minimum adequate dose) declared. Internal naming the key when not.
Status CheckSettingCatalog(std::span<const std::string> required_keys);

// The settings in force: stored overrides on top of the defaults.
class SiteSettings {
 public:
  SiteSettings() = default;
  SiteSettings(int64_t version, std::map<std::string, double, std::less<>> overrides)
      : version_(version), overrides_(std::move(overrides)) {}
  // The version of the newest stored change (0: all defaults).
  int64_t version() const { return version_; }
  // The value in force for a declared setting. There is deliberately no Get(string): a setting
  // is read through its definition (a typo does not compile).
  double Get(const SettingDefinition& setting) const;
  // The value in force for a key composed from data ("screening.trd.min_dose_mg." + drug), or
  // nullopt when no such setting is declared; CheckSettingCatalog proves at start-up that every
  // key the rules can compose is declared.
  std::optional<double> Find(std::string_view key) const;

 private:
  int64_t version_ = 0;
  std::map<std::string, double, std::less<>> overrides_;
};

extern const SettingDefinition kSessionIdleMinutes;      // "session.idle_timeout_minutes"
extern const SettingDefinition kSessionAbsoluteHours;    // "session.absolute_expiry_hours"
extern const SettingDefinition kLockoutAttempts;         // "auth.lockout_attempts"
extern const SettingDefinition kLockoutMinutes;          // "auth.lockout_minutes"
extern const SettingDefinition kAccountLockoutAttempts;  // "auth.account_lockout_attempts"
extern const SettingDefinition kLoginDelayAfter;         // "auth.delay_after_failures"

// Decimals a person reads a dose, a volume and a pump rate to, on every screen, print and
// message (the stored figures stay exact).
extern const SettingDefinition kDisplayDoseMgDecimals;    // "display.dose_mg_decimals"
extern const SettingDefinition kDisplayVolumeMlDecimals;  // "display.volume_ml_decimals"
extern const SettingDefinition kDisplayRateDecimals;      // "display.rate_ml_per_h_decimals"

}  // namespace kclinic::domain
