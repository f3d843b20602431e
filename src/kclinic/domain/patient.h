// The patient record: demographics, contact, escort and weight history, and the rules that say
// what a valid record is. Pure values; storage and JSON live elsewhere.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/base/strong_id.h"
#include "kclinic/base/units.h"

namespace kclinic::domain {

// Administrative sex as recorded for the chart (FHIR AdministrativeGender codes).
enum class Sex { kFemale, kMale, kOther, kUnknown };
std::string_view SexCode(Sex sex);
std::optional<Sex> ParseSex(std::string_view code);

struct PersonName {
  std::string given;
  std::string family;
  friend bool operator==(const PersonName&, const PersonName&) = default;
};

struct Contact {
  std::string phone;
  std::string email;
  std::string address;
  friend bool operator==(const Contact&, const Contact&) = default;
};

// Someone the clinic can call: an emergency contact, or the escort who takes the patient home
// after an infusion (CLINICAL.md §4: discharge only to a responsible adult).
struct RelatedPerson {
  std::string name;
  std::string phone;
  std::string relationship;
  friend bool operator==(const RelatedPerson&, const RelatedPerson&) = default;
};

// One dated body-weight measurement. Weights are never edited: a new entry supersedes an old one
// by date, and every entry stays in the history.
struct WeightEntry {
  WeightId id;
  std::chrono::year_month_day measured_on;
  Kilograms kg;
  Timestamp recorded_at;
  std::string recorded_by;  // username
};

// The fields a person edits on the patient form.
struct PatientFields {
  PersonName name;
  std::chrono::year_month_day birth_date{};
  Sex sex = Sex::kUnknown;
  Contact contact;
  std::optional<Centimeters> height_cm;
  std::vector<std::string> allergies;
  RelatedPerson emergency_contact;
  RelatedPerson escort;
  friend bool operator==(const PatientFields&, const PatientFields&) = default;
};

struct Patient {
  PatientId id;
  int version = 0;  // 1 on registration, +1 on every correction
  PatientFields fields;
  std::vector<WeightEntry> weights;  // newest measurement first
  Timestamp created_at;
  Timestamp updated_at;
};

// A partial change to PatientFields: each present member replaces that field.
struct PatientPatch {
  std::optional<std::string> given, family;
  std::optional<std::chrono::year_month_day> birth_date;
  std::optional<Sex> sex;
  std::optional<std::string> phone, email, address;
  std::optional<std::optional<Centimeters>> height_cm;  // engaged with nullopt clears it
  std::optional<std::vector<std::string>> allergies;
  std::optional<std::string> emergency_name, emergency_phone, emergency_relationship;
  std::optional<std::string> escort_name, escort_phone, escort_relationship;
};

// One stored version of a record, for the history view.
struct PatientVersion {
  int version = 0;
  Timestamp changed_at;
  std::string changed_by;  // username
  std::optional<std::string> reason;
};

// Checks every field; the error names the first bad field as a dotted path ("name.given").
// `today` bounds birth dates (no future births). Trims nothing: call NormalizeFields first.
Status ValidatePatientFields(const PatientFields& fields, std::chrono::year_month_day today);

// Trims surrounding whitespace from every text field and drops empty allergy entries.
PatientFields NormalizeFields(PatientFields fields);

// Returns `fields` with `patch` applied (not yet validated).
PatientFields ApplyPatch(PatientFields fields, const PatientPatch& patch);

// Checks a weight measurement: 0.5–650 kg, dated on or after birth and not in the future.
// Errors name `<field_prefix>.kg` or `<field_prefix>.date` ("kg"/"date" when the prefix is empty).
Status ValidateWeight(Kilograms kg, std::chrono::year_month_day measured_on,
                      std::chrono::year_month_day birth_date, std::chrono::year_month_day today,
                      std::string_view field_prefix = "weight");

// The lowercase key used for name search; ASCII letters are folded, other bytes kept.
std::string NameKey(std::string_view name);

}  // namespace kclinic::domain
