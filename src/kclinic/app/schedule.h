// Booking use cases (issue 6, CLINICAL.md §3): the clinic's resources, appointments (single and
// whole induction series) guarded against double booking by the database, cancel and move with
// the next free slot, portal booking requests, review tasks, booster proposals and decisions,
// today's worklist and the week's utilisation. Every read and write of patient data is audited;
// denials too. This is the service's one header; its parts are defined in clinic_config.cc,
// booking.cc, booking_requests.cc, reviews.cc and worklists.cc over schedule_support.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kclinic/app/app.h"
#include "kclinic/app/care.h"
#include "kclinic/domain/schedule/booster.h"
#include "kclinic/domain/schedule/planner.h"
#include "kclinic/domain/schedule/ports.h"
#include "kclinic/domain/schedule/protocol.h"

namespace kclinic::app {

// The appointment type a protocol's sessions are booked as.
inline constexpr std::string_view kIvInfusionType = "iv-infusion";
inline constexpr std::string_view kEsketamineType = "esketamine";

struct ScheduleResources {
  domain::ScheduleConfig config;
  std::vector<domain::OpeningHours> hours;
  std::vector<domain::Holiday> holidays;
  std::vector<domain::Chair> chairs;
  struct Staff {
    std::string username;
    std::string role;
    std::vector<std::string> qualifications;
  };
  std::vector<Staff> staff;
  std::vector<domain::AppointmentType> types;
  std::vector<domain::schedule::Protocol> protocols;  // built in, then the site's
};

// An appointment with what a screen shows beside it (local times in the clinic's zone).
struct AppointmentView {
  domain::Appointment appointment;
  domain::PersonName patient_name;
  std::string chair_name;
  std::string local_date;   // "YYYY-MM-DD"
  std::string local_start;  // "HH:MM"
  std::string local_end;    // "HH:MM"
};

// A free slot (or a proposed session) with its local time and chair name.
struct SlotView {
  domain::schedule::PlannedSession slot;
  std::string chair_name;
  std::string local_date;
  std::string local_start;
  std::string local_end;
};

struct CalendarView {
  std::string time_zone;
  std::string from, to;
  std::vector<domain::Chair> chairs;
  std::vector<domain::StaffShift> shifts;
  std::vector<AppointmentView> appointments;
};

struct SeriesProposal {
  std::string protocol;
  std::vector<SlotView> sessions;
  std::vector<std::string> bent;
  std::string explanation;
};

struct SessionChoice {
  Timestamp start;
  std::string chair_id;
  std::string nurse;
};

struct SeriesBooking {
  std::string series_id;
  std::vector<AppointmentView> appointments;
};

struct CancelResult {
  AppointmentView appointment;
  std::vector<SlotView> next_free;
};

struct PreferredDay {
  std::string date;  // local "YYYY-MM-DD"
  std::string part;  // "morning" | "afternoon" | "any"
};

struct BookingRequestView {
  domain::BookingRequest request;
  domain::PersonName patient_name;
  std::optional<AppointmentView> appointment;
};

struct ReviewTaskView {
  domain::ReviewTask task;
  domain::PersonName patient_name;
};

struct BoosterView {
  std::optional<domain::schedule::BoosterProposal> proposal;  // nullopt: no infusion yet
  std::vector<domain::schedule::Phq9Reading> phq9;
  std::vector<domain::schedule::LocalDate> infusions;
  domain::schedule::BoosterSettings settings;
  std::vector<domain::BoosterDecision> decisions;  // newest first
  // False for a role that does not see rating-scale results (the front desk): `phq9` is empty,
  // and the proposal's reason, scores, durations and prediction and the decisions' reasons are
  // left out.
  bool scale_results = true;
};

struct DueBooster {
  PatientId patient_id;
  domain::PersonName patient_name;
  std::string proposed_date;
  int interval_days = 0;
};

struct TodayWorklist {
  std::string date;
  std::vector<AppointmentView> sessions;
  std::vector<OverdueEntry> overdue;
  // nullopt for a role that does not see rating-scale results (the front desk): the tasks'
  // reasons quote them.
  std::optional<std::vector<ReviewTaskView>> review_tasks;
  std::vector<DueBooster> due_boosters;
};

struct Utilisation {
  std::string week_start;
  struct ChairUse {
    std::string chair_id, name;
    int booked_minutes = 0, open_minutes = 0;
  };
  struct StaffUse {
    std::string username;
    int booked_minutes = 0, shift_minutes = 0;
  };
  std::vector<ChairUse> chairs;
  std::vector<StaffUse> staff;
  std::vector<std::pair<std::string, int>> upcoming_boosters;  // local date, count
};

class ScheduleService {
 public:
  explicit ScheduleService(Env env) : env_(env), care_(env) {}

  // Resources (no patient data; not audited as patient reads).
  Result<ScheduleResources> Resources(const domain::Actor& actor);
  // The clinic's IANA time zone ("America/Chicago"): every clinic date and time is shown in it.
  Result<std::string> TimeZone();
  // Replaces the week's hours (weekday 1..7, "HH:MM"), and the time zone when set. Fields
  // "time_zone", "hours[i].weekday|open|close".
  // Replaces the week's opening hours. An empty week closes the clinic on every day: it is
  // stored only when `confirm`; otherwise nothing changes and the answer is the warning to show
  // (nullopt: saved).
  Result<std::optional<domain::PlausibilityWarning>> SetHours(
      const domain::Actor& actor, std::optional<std::string> time_zone,
      std::vector<domain::OpeningHours> hours, bool confirm = false);
  Status AddHoliday(const domain::Actor& actor, domain::Holiday holiday);
  Result<domain::Chair> AddChair(const domain::Actor& actor, std::string name);
  Result<domain::StaffShift> AddShift(const domain::Actor& actor, domain::StaffShift shift);
  Status SetQualifications(const domain::Actor& actor, const std::string& username,
                           std::vector<std::string> qualifications);
  Result<domain::schedule::Protocol> AddProtocol(const domain::Actor& actor,
                                                 const nlohmann::json& body);

  // Local dates [from, to] (at most 31 days; fields "from", "to"); from defaults to today
  // (local), to to from + 6 days.
  Result<CalendarView> Calendar(const domain::Actor& actor, std::string from, std::string to);

  // The earliest valid series of `protocol` from local `start` for an approved patient
  // (FailedPrecondition otherwise).
  Result<SeriesProposal> ProposeSeries(const domain::Actor& actor, const PatientId& patient,
                                       const std::string& protocol, const std::string& start);
  // Books a whole series, all or nothing. Each session is checked against the hard rules again;
  // AlreadyExists (field "sessions[i]") names a clash.
  Result<SeriesBooking> BookSeries(const domain::Actor& actor, const PatientId& patient,
                                   const std::string& protocol,
                                   const std::vector<SessionChoice>& sessions);
  // Books one appointment. AlreadyExists names the clash ("chair 'Chair 2' is booked ...").
  Result<AppointmentView> Book(const domain::Actor& actor, const PatientId& patient,
                               const std::string& type, const SessionChoice& choice);
  Result<std::vector<AppointmentView>> PatientAppointments(const domain::Actor& actor,
                                                           const PatientId& patient);
  Result<CancelResult> Cancel(const domain::Actor& actor, const std::string& appointment_id,
                              std::string reason);
  Result<AppointmentView> Move(const domain::Actor& actor, const std::string& appointment_id,
                               const SessionChoice& to, std::string reason);
  Result<std::vector<SlotView>> NextFree(const domain::Actor& actor,
                                         const std::string& appointment_id);

  Result<BookingRequestView> RequestBooking(const domain::Actor& actor, const PatientId& patient,
                                            std::vector<PreferredDay> preferred,
                                            std::optional<std::string> note);
  // Staff: every request with `status` (all when unset); a patient: her own.
  Result<std::vector<BookingRequestView>> BookingRequests(const domain::Actor& actor,
                                                          std::optional<std::string> status);
  Result<BookingRequestView> AcceptRequest(const domain::Actor& actor,
                                           const std::string& request_id,
                                           const SessionChoice& choice);
  Result<BookingRequestView> ProposeForRequest(const domain::Actor& actor,
                                               const std::string& request_id,
                                               const SessionChoice& choice,
                                               std::optional<std::string> note);
  Result<BookingRequestView> RespondToProposal(const domain::Actor& actor,
                                               const std::string& request_id, bool accept);

  // Open (or all) review tasks; creates the due ones first (idempotently).
  Result<std::vector<ReviewTaskView>> ReviewTasks(const domain::Actor& actor,
                                                  std::optional<std::string> status);
  Result<ReviewTaskView> CompleteReviewTask(const domain::Actor& actor, const std::string& task_id,
                                            std::string note);

  Result<BoosterView> BoosterProposal(const domain::Actor& actor, const PatientId& patient);
  Result<domain::BoosterDecision> DecideBooster(const domain::Actor& actor,
                                                const PatientId& patient, const std::string& date,
                                                int interval_days, bool accepted,
                                                std::optional<std::string> reason);

  Result<TodayWorklist> Today(const domain::Actor& actor);
  // The week (Monday..Sunday) containing local `week` (default: today).
  Result<Utilisation> WeekUtilisation(const domain::Actor& actor, std::string week);

 private:
  Env env_;
  CareService care_;
};

}  // namespace kclinic::app
