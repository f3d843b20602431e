// The esketamine REMS Patient Monitoring Form (CLINICAL.md §4, Spravato REMS [V]) as structured
// data: what the session fills in by itself, what the nurse enters, which fields are missing, and
// its 7-day submission deadline (rems.submission_days). Pure: no I/O, no clock.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kclinic/domain/patient.h"
#include "kclinic/domain/session/session.h"

namespace kclinic::domain::session {

struct RemsForm {
  // Filled from the record and the session.
  std::string patient_name;
  std::chrono::year_month_day birth_date{};
  std::optional<bool> first_treatment;
  std::chrono::year_month_day session_date{};
  std::optional<int> dose_mg;  // sum of the devices given
  std::optional<Timestamp> first_device_at, monitoring_end_at;
  std::optional<int> total_monitoring_min;
  std::optional<BpReading> bp_before, bp_40_min, bp_end;
  std::optional<bool> vitals_acceptable_before, vitals_acceptable_end;
  std::optional<bool> sedation_observed, dissociation_observed, respiratory_depression_observed;
  // Entered by the nurse (lot_number prefilled from a draw when there is one).
  RemsEntry entry;
  // Deadline and status.
  std::chrono::year_month_day due_date{};
  bool overdue = false;
  bool complete = false;
  std::vector<std::string> missing;  // dotted field names, in form order
  std::optional<Timestamp> completed_at;
  std::string completed_by;
};

// Builds the form of an esketamine session. `first_treatment`: no earlier esketamine session of
// the patient reached dosing. `prefill` supplies nurse fields not yet entered (e.g. concomitant
// medicines from the intake's list); what the nurse entered wins. `today` decides overdue.
RemsForm BuildRemsForm(const Session& s, const PersonName& name,
                       std::chrono::year_month_day birth_date, bool first_treatment,
                       const RemsEntry& prefill, std::chrono::year_month_day today,
                       const SiteSettings& settings);

}  // namespace kclinic::domain::session
