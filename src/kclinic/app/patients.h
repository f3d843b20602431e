// Patients: search, read, register, correct, weigh, and the record's history; every read and
// write audited.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "kclinic/app/env.h"
#include "kclinic/codec/patient_json.h"
#include "kclinic/domain/plausibility.h"

namespace kclinic::app {

// What registering found to confirm first: implausible figures (domain/plausibility.h) and
// records with the same name and birth date. When there is any and the request did not confirm,
// nothing is stored and `patient` is empty.
struct RegistrationOutcome {
  std::optional<domain::Patient> patient;
  std::vector<domain::PlausibilityWarning> warnings;
  std::vector<domain::Patient> duplicates;  // the records a "duplicate" warning names
};

// A new weight's implausible figures, as for registration.
struct WeightOutcome {
  std::optional<domain::WeightEntry> weight;
  std::vector<domain::PlausibilityWarning> warnings;
};

class PatientService {
 public:
  explicit PatientService(Env env) : env_(env) {}

  // Staff search; every patient listed is audited as read.
  Result<domain::PatientPage> Search(const domain::Actor& actor, domain::PatientQuery query);
  // Shared and immutable: a record served from the store's cache is not copied per read.
  Result<std::shared_ptr<const domain::Patient>> Get(const domain::Actor& actor,
                                                     const PatientId& id);
  // Stores the record unless it has warnings the request did not confirm (registration.confirm).
  Result<RegistrationOutcome> Register(const domain::Actor& actor,
                                       codec::Registration registration);
  // Applies a correction; the old version stays in the history with who, when and why.
  Result<domain::Patient> Update(const domain::Actor& actor, const PatientId& id,
                                 const codec::PatchRequest& request);
  // Stores the weight unless its BMI with the record's height is implausible and `confirm` is
  // false.
  Result<WeightOutcome> AddWeight(const domain::Actor& actor, const PatientId& id,
                                  std::chrono::year_month_day date, Kilograms kg,
                                  bool confirm = false);
  Result<std::vector<domain::PatientVersion>> History(const domain::Actor& actor,
                                                      const PatientId& id);

 private:
  Env env_;
};

}  // namespace kclinic::app
