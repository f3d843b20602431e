// The sample patient the micro benchmarks render and store: a full record with three weights,
// each with its own id (the store's key), as a clinician's typical patient.
#pragma once

#include <string>

#include "kclinic/domain/patient.h"

namespace kclinic::bench {

inline domain::Patient SamplePatient() {
  using namespace std::chrono;
  domain::Patient p;
  p.id = PatientId("0123456789abcdef0123456789abcdef");
  p.version = 3;
  p.fields.name = {"Ana", "Silva"};
  p.fields.birth_date = 1984y / March / 2;
  p.fields.sex = domain::Sex::kFemale;
  p.fields.contact = {"+1 555 0100 1000", "ana.silva0@example.org", "10 Demo Street, Springfield"};
  p.fields.height_cm = Centimeters(165);
  p.fields.allergies = {"penicillin"};
  p.fields.emergency_contact = {"Sam Silva", "+1 555 0199 2000", "partner"};
  p.fields.escort = p.fields.emergency_contact;
  Timestamp now = Timestamp(sys_days(2026y / November / 21)) + hours(9);
  p.created_at = p.updated_at = now;
  for (int w = 0; w < 3; ++w) {
    p.weights.push_back({WeightId("fedcba9876543210fedcba987654321" + std::to_string(w)),
                         year_month_day(sys_days(2026y / November / 20) - days(30 * w)),
                         Kilograms(68.5 + w * 0.4), now, "desk.miller"});
  }
  return p;
}

}  // namespace kclinic::bench
