// Storage port of resources and bookings (issue 6, CLINICAL.md §3).
// Implemented once for SQLite and PostgreSQL in store/schedule_store.cc. Times are UTC instants;
// local dates ("YYYY-MM-DD") and local times ("HH:MM") are in the clinic's time zone.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kclinic/base/enum_codes.h"
#include "kclinic/domain/ports.h"

namespace kclinic::domain {

// An appointment's status. Codes: booked, cancelled, moved.
enum class AppointmentStatus { kBooked, kCancelled, kMoved };
// A portal booking request's status. Codes: open, accepted, proposed, declined.
enum class BookingRequestStatus { kOpen, kAccepted, kProposed, kDeclined };
// The review a course calls for (schedule/review.h). Codes: early_non_response, end_of_series.
enum class ReviewKind { kEarlyNonResponse, kEndOfSeries };
// A review task's status. Codes: open, completed.
enum class ReviewStatus { kOpen, kCompleted };

}  // namespace kclinic::domain

namespace kclinic {
template <>
struct EnumCodes<domain::AppointmentStatus> {
  static constexpr std::pair<domain::AppointmentStatus, std::string_view> kRows[] = {
      {domain::AppointmentStatus::kBooked, "booked"},
      {domain::AppointmentStatus::kCancelled, "cancelled"},
      {domain::AppointmentStatus::kMoved, "moved"}};
};
template <>
struct EnumCodes<domain::BookingRequestStatus> {
  static constexpr std::pair<domain::BookingRequestStatus, std::string_view> kRows[] = {
      {domain::BookingRequestStatus::kOpen, "open"},
      {domain::BookingRequestStatus::kAccepted, "accepted"},
      {domain::BookingRequestStatus::kProposed, "proposed"},
      {domain::BookingRequestStatus::kDeclined, "declined"}};
};
template <>
struct EnumCodes<domain::ReviewKind> {
  static constexpr std::pair<domain::ReviewKind, std::string_view> kRows[] = {
      {domain::ReviewKind::kEarlyNonResponse, "early_non_response"},
      {domain::ReviewKind::kEndOfSeries, "end_of_series"}};
};
template <>
struct EnumCodes<domain::ReviewStatus> {
  static constexpr std::pair<domain::ReviewStatus, std::string_view> kRows[] = {
      {domain::ReviewStatus::kOpen, "open"}, {domain::ReviewStatus::kCompleted, "completed"}};
};
}  // namespace kclinic

namespace kclinic::domain {

// The unit the slot table records occupancy in: every appointment starts on a multiple of it and
// lasts a multiple of it.
inline constexpr int kSlotUnitMinutes = 15;

struct ScheduleConfig {
  std::string time_zone = "America/New_York";
  int slot_minutes = kSlotUnitMinutes;
};

struct OpeningHours {
  int weekday = 1;    // ISO: Monday = 1 ... Sunday = 7
  std::string open;   // "HH:MM"
  std::string close;  // "HH:MM"
};

struct Holiday {
  std::string date;  // local "YYYY-MM-DD"
  std::string name;
};

struct Chair {
  std::string id;
  std::string name;
};

struct StaffShift {
  std::string id;
  std::string username;
  std::string date;   // local "YYYY-MM-DD"
  std::string start;  // local "HH:MM"
  std::string end;    // local "HH:MM"
};

struct AppointmentType {
  std::string id;  // e.g. "iv-infusion"
  std::string name;
  int minutes = 120;
  std::string qualification;  // the nurse qualification it needs ("iv" | "esketamine")
};

struct StoredProtocol {
  std::string id;
  std::string body;  // the planner codec's JSON
  Timestamp created_at;
  std::string created_by;
};

struct Appointment {
  std::string id;
  PatientId patient_id;
  std::string type_id;
  std::string chair_id;
  std::string nurse;  // username
  Timestamp start;
  Timestamp end;
  AppointmentStatus status = AppointmentStatus::kBooked;
  std::optional<std::string> series_id;
  std::optional<std::string> course_session_id;
  std::optional<std::string> reason;
  std::string created_by;
  Timestamp created_at;
};

struct BookingRequest {
  std::string id;
  PatientId patient_id;
  std::string preferred;  // JSON array [{date, part}]
  std::optional<std::string> note;
  BookingRequestStatus status = BookingRequestStatus::kOpen;
  std::optional<std::string> appointment_id;
  std::optional<std::string> proposed;  // JSON {start, chair_id, nurse, note}
  Timestamp created_at;
  std::string created_by;
  Timestamp updated_at;
  std::string updated_by;
};

struct ReviewTask {
  std::string id;
  PatientId patient_id;
  std::string course_id;
  ReviewKind kind = ReviewKind::kEarlyNonResponse;
  std::string reason;
  ReviewStatus status = ReviewStatus::kOpen;
  Timestamp created_at;
  std::optional<Timestamp> completed_at;
  std::optional<std::string> completed_by;
  std::optional<std::string> note;
};

struct BoosterDecision {
  std::string id;
  PatientId patient_id;
  std::optional<std::string> proposed_date;
  std::optional<int> proposed_interval_days;
  std::string date;  // local "YYYY-MM-DD"
  int interval_days = 0;
  bool accepted = false;
  std::optional<std::string> reason;
  std::string decided_by;
  Timestamp decided_at;
};

class ScheduleRepository {
 public:
  virtual ~ScheduleRepository() = default;

  // The clinic's time zone and slot length (defaults when never set).
  virtual Result<ScheduleConfig> Config() = 0;
  virtual Status SetConfig(const ScheduleConfig& config) = 0;
  // Opening hours by weekday (closed days are absent), Monday first.
  virtual Result<std::vector<OpeningHours>> Hours() = 0;
  // Replaces the whole week's hours.
  virtual Status ReplaceHours(const std::vector<OpeningHours>& hours) = 0;
  virtual Result<std::vector<Holiday>> Holidays() = 0;
  // AlreadyExists when the date already is a holiday.
  virtual Status InsertHoliday(const Holiday& holiday) = 0;
  virtual Result<std::vector<Chair>> Chairs() = 0;
  // AlreadyExists when the name is taken.
  virtual Status InsertChair(const Chair& chair, Timestamp at) = 0;
  // username → qualifications.
  virtual Result<std::map<std::string, std::vector<std::string>>> Qualifications() = 0;
  virtual Status SetQualifications(const std::string& username,
                                   const std::vector<std::string>& qualifications) = 0;
  // Shifts on local dates in [from, to], by date then start.
  virtual Result<std::vector<StaffShift>> Shifts(const std::string& from,
                                                 const std::string& to) = 0;
  // AlreadyExists when that person already has a shift starting then.
  virtual Status InsertShift(const StaffShift& shift) = 0;
  virtual Result<std::vector<AppointmentType>> AppointmentTypes() = 0;
  virtual Status InsertAppointmentType(const AppointmentType& type) = 0;
  virtual Result<std::vector<StoredProtocol>> Protocols() = 0;
  // AlreadyExists when the id is taken.
  virtual Status InsertProtocol(const StoredProtocol& protocol) = 0;

  // Stores a booked appointment and the slot units its chair and nurse occupy. AlreadyExists when
  // a unit is taken (a clash: the transaction must be abandoned).
  virtual Status InsertAppointment(const Appointment& appointment) = 0;
  virtual Result<Appointment> GetAppointment(std::string_view id) = 0;
  // Booked appointments overlapping [from, to), by start.
  virtual Result<std::vector<Appointment>> Booked(Timestamp from, Timestamp to) = 0;
  // All of a patient's appointments (every status), by start.
  virtual Result<std::vector<Appointment>> PatientAppointments(const PatientId& patient) = 0;
  // A booked appointment of `chair_id` or of `nurse` overlapping [from, to), if any.
  virtual Result<std::optional<Appointment>> FindClash(const std::string& chair_id,
                                                       const std::string& nurse, Timestamp from,
                                                       Timestamp to) = 0;
  // Marks a booked appointment cancelled or moved with the reason and frees its units.
  // NotFound when absent; FailedPrecondition when it is not booked.
  virtual Status CloseAppointment(std::string_view id, AppointmentStatus status,
                                  const std::string& reason) = 0;

  virtual Status InsertBookingRequest(const BookingRequest& request) = 0;
  virtual Result<BookingRequest> GetBookingRequest(std::string_view id) = 0;
  // Newest first; only those with `status` / of `patient` when set.
  virtual Result<std::vector<BookingRequest>> BookingRequests(
      const std::optional<BookingRequestStatus>& status,
      const std::optional<PatientId>& patient) = 0;
  // Writes status, appointment_id, proposed, updated_at and updated_by.
  virtual Status UpdateBookingRequest(const BookingRequest& request) = 0;

  // Inserts the task unless the course already has one of that kind; true when inserted.
  virtual Result<bool> InsertReviewTask(const ReviewTask& task) = 0;
  virtual Result<ReviewTask> GetReviewTask(std::string_view id) = 0;
  // Oldest first; only those with `status` when set.
  virtual Result<std::vector<ReviewTask>> ReviewTasks(
      const std::optional<ReviewStatus>& status) = 0;
  // Aborted when someone completed it first.
  virtual Status CompleteReviewTask(std::string_view id, Timestamp at, const std::string& by,
                                    const std::string& note) = 0;

  virtual Status InsertBoosterDecision(const BoosterDecision& decision) = 0;
  // Newest first.
  virtual Result<std::vector<BoosterDecision>> BoosterDecisions(const PatientId& patient) = 0;
};

}  // namespace kclinic::domain
