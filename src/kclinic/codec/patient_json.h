// The patient record as JSON: the API shape (docs/api.md, openapi.json) and the snapshot stored
// with each version of a record.
#pragma once

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"
#include "kclinic/codec/json_writer.h"
#include "kclinic/domain/patient.h"

namespace kclinic::codec {

// The patient as the API's JSON object (compact text).
std::string PatientJson(const domain::Patient& patient);
void WritePatient(JsonWriter& out, const domain::Patient& patient);
// The editable fields alone: the snapshot stored with each version of a record.
std::string FieldsJson(const domain::PatientFields& fields);
std::string WeightJson(const domain::WeightEntry& weight);

// A registration body: the editable fields (name and birth_date required) and an optional first
// "weight": {"date", "kg"}. Strict: wrong types and unknown fields are errors naming the field.
struct Registration {
  domain::PatientFields fields;
  std::optional<std::pair<std::chrono::year_month_day, Kilograms>> weight;
  bool confirm = false;  // "confirm": store it despite the warnings the last attempt answered
};
Result<Registration> RegistrationFromJson(const nlohmann::json& body);

// A PATCH body: any subset of the editable fields (nested objects may be partial) and an optional
// "reason".
struct PatchRequest {
  domain::PatientPatch patch;
  std::optional<std::string> reason;
};
Result<PatchRequest> PatchFromJson(const nlohmann::json& body);

// POST /patients/{id}/weights: {"date", "kg", "confirm"?}.
struct WeightRequest {
  std::chrono::year_month_day date;
  Kilograms kg;
  bool confirm = false;  // store it despite an implausible BMI the last attempt answered
};
Result<WeightRequest> WeightRequestFromJson(const nlohmann::json& body);

// A weight body {"date": "YYYY-MM-DD", "kg": number}; `prefix` names it in errors.
Result<std::pair<std::chrono::year_month_day, Kilograms>> WeightFromJson(const nlohmann::json& body,
                                                                         std::string_view prefix);

// Reads back a snapshot written by FieldsToJson (lenient only about nothing: it is our own data).
Result<domain::PatientFields> FieldsFromJson(const nlohmann::json& snapshot);

}  // namespace kclinic::codec
