// Patients: search, read, register, correct, weigh, and the record's history; every read and
// write audited.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "kclinic/app/env.h"
#include "kclinic/codec/patient_json.h"

namespace kclinic::app {

class PatientService {
 public:
  explicit PatientService(Env env) : env_(env) {}

  // Staff search; every patient listed is audited as read.
  Result<domain::PatientPage> Search(const domain::Actor& actor, domain::PatientQuery query);
  // Shared and immutable: a record served from the store's cache is not copied per read.
  Result<std::shared_ptr<const domain::Patient>> Get(const domain::Actor& actor,
                                                     const PatientId& id);
  Result<domain::Patient> Register(const domain::Actor& actor, codec::Registration registration);
  // Applies a correction; the old version stays in the history with who, when and why.
  Result<domain::Patient> Update(const domain::Actor& actor, const PatientId& id,
                                 const codec::PatchRequest& request);
  Result<domain::WeightEntry> AddWeight(const domain::Actor& actor, const PatientId& id,
                                        std::chrono::year_month_day date, Kilograms kg);
  Result<std::vector<domain::PatientVersion>> History(const domain::Actor& actor,
                                                      const PatientId& id);

 private:
  Env env_;
};

}  // namespace kclinic::app
