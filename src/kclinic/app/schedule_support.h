// What the files of the ScheduleService share (internal to app/; schedule.h is the service's
// header): the clinic as the planner sees it, a clash as a person reads it, the views of
// appointments and slots, the booking of one appointment inside a write transaction, and the
// patient's course history for the review and booster rules. A helper only one file needs stays
// file-local there.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kclinic/app/env.h"
#include "kclinic/app/schedule.h"
#include "kclinic/domain/schedule/booster.h"
#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/domain/schedule/planner.h"
#include "kclinic/domain/schedule/ports.h"

namespace kclinic::app::schedule_support {

// `text` as a local date "YYYY-MM-DD"; InvalidArgument on `field` otherwise.
Result<domain::schedule::LocalDate> ParseLocalDate(const std::string& field,
                                                   const std::string& text);

// Today in the clinic's time zone (read in a transaction of its own).
Result<domain::schedule::LocalDate> LocalToday(const Env& env);

// The clinic's time zone, hours, holidays, chairs and shifts on local dates [from, to], and what
// is booked around them, as the planner sees it.
struct ClinicData {
  domain::ScheduleConfig config;
  domain::schedule::Clinic clinic;
  std::map<std::string, std::string> chair_names;
  std::map<std::string, std::vector<std::string>> qualifications;
  std::vector<domain::StaffShift> shifts;
  std::vector<domain::OpeningHours> hours;
};

// Reads ClinicData for local dates [from, to] in `tx` (shifts a day wider, bookings wider still).
Result<ClinicData> LoadClinic(domain::Transaction& tx, domain::schedule::LocalDate from,
                              domain::schedule::LocalDate to);

// The clash with a booked appointment as a person reads it (AlreadyExists on `field`); no
// patient data.
Status ClashStatus(const ClinicData& d, const domain::Appointment& clash,
                   const std::string& chair_id, const std::string& field);

// A planned session (or free slot) with its chair name and local date and times.
SlotView ToSlot(const ClinicData& d, const domain::schedule::PlannedSession& s);

// Views of appointments: patient names read in `tx`, local times in `tz`.
Result<std::vector<AppointmentView>> Views(domain::Transaction& tx, const std::string& tz,
                                           const std::map<std::string, std::string>& chair_names,
                                           std::vector<domain::Appointment> list);

// `text` without trailing white space; InvalidArgument on `field` when empty (saying `why` it is
// required) or longer than `max` characters.
Result<std::string> RequireText(const std::string& field, std::string text, size_t max,
                                const std::string& why);

// The local date range the clinic must be loaded for to check appointments starting at `starts`.
std::pair<domain::schedule::LocalDate, domain::schedule::LocalDate> DateRange(
    const std::string& tz, const std::vector<Timestamp>& starts);

// The booking of one appointment inside a write transaction: the checks of the request, the
// clash with what is booked (named), the clinic's hard rules, then the insert whose slot units
// are the database's guarantee. `field` prefixes error fields ("sessions[2]." or "").
struct BookingStep {
  const Env& env;
  domain::Transaction& tx;
  ClinicData& data;
  domain::schedule::CapacityIndex& capacity;
};

// Books one appointment of `type` for `patient` at `c` in `step` (see BookingStep). With a
// `course`, a planned course session is inserted too; `reuse_session` keeps a moved
// appointment's session instead. A lost race is AlreadyExists "clash" (see NameLostRace).
Result<domain::Appointment> BookOne(BookingStep& step, const PatientId& patient,
                                    const domain::AppointmentType& type, const SessionChoice& c,
                                    const std::optional<std::string>& series_id,
                                    const domain::Course* course, const domain::Actor& actor,
                                    const std::string& field,
                                    const std::optional<std::string>& reuse_session = {});

// After a lost race: the clash as a person reads it, read afresh; any other `s` unchanged.
Status NameLostRace(const Env& env, const Status& s, const SessionChoice& c, int minutes_long);

// The appointment type `id`; InvalidArgument on `field` when there is none.
Result<domain::AppointmentType> FindType(domain::Transaction& tx, const std::string& id,
                                         const std::string& field);

// The patient's history for the booster planner: given infusions and PHQ-9 totals, local dates.
struct PatientHistory {
  std::vector<domain::Course> courses;
  std::vector<domain::CourseSession> sessions;
  std::vector<domain::AssessmentRecord> assessments;
};

// Reads the patient's courses, course sessions and assessments in `tx`.
Result<PatientHistory> LoadHistory(domain::Transaction& tx, const PatientId& patient);

// The given infusions and PHQ-9 totals of `h` on local dates in `tz`, as the booster planner
// takes them.
domain::schedule::BoosterHistory ToBoosterHistory(const PatientHistory& h, const std::string& tz);

}  // namespace kclinic::app::schedule_support
