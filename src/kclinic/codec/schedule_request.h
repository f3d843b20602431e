// The request bodies of the booking routes (issue 6, docs/api.md "Schedule"): opening hours,
// holidays, shifts, qualifications, series and single bookings, cancel and move, portal booking
// requests and booster decisions. Decoded strictly: one type per field, unknown members
// rejected, every error an InvalidArgument naming the field (array elements as "hours[2]",
// their members as "hours[2].open"). Instants are ISO UTC ("2026-11-24T14:00:00Z"); local dates
// "YYYY-MM-DD" and times "HH:MM" are checked by the use case. Bodies with one string member
// (chair "name", cancel "reason", review task "note") use DecodeOneStringRequest (json_read.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/domain/schedule/ports.h"

namespace kclinic::codec {

// A chosen slot: {"start" (UTC instant), "chair_id", "nurse"}, all required.
struct SlotChoice {
  Timestamp start;
  std::string chair_id;
  std::string nurse;
};

// PUT /schedule/hours: {"time_zone"? (IANA name), "hours": [{"weekday" (ISO 1-7), "open",
// "close"}]}.
struct OpeningHoursRequest {
  std::optional<std::string> time_zone;  // absent: unchanged
  std::vector<domain::OpeningHours> hours;
  bool confirm = false;  // "confirm": true, to close the clinic on every day
};
Result<OpeningHoursRequest> DecodeOpeningHoursRequest(const nlohmann::json& body);

// POST /schedule/holidays: {"date", "name"}.
Result<domain::Holiday> DecodeHolidayRequest(const nlohmann::json& body);

// POST /schedule/shifts: {"username", "date", "start", "end"} (the id is left empty).
Result<domain::StaffShift> DecodeShiftRequest(const nlohmann::json& body);

// PUT /schedule/staff/{username}/qualifications: {"qualifications": ["iv", ...]}.
Result<std::vector<std::string>> DecodeQualificationsRequest(const nlohmann::json& body);

// POST /patients/{id}/series/proposal: {"protocol", "start" (local date)}.
struct SeriesProposalRequest {
  std::string protocol;
  std::string start;
};
Result<SeriesProposalRequest> DecodeSeriesProposalRequest(const nlohmann::json& body);

// POST /patients/{id}/series: {"protocol", "sessions": [SlotChoice, ...]}.
struct SeriesBookingRequest {
  std::string protocol;
  std::vector<SlotChoice> sessions;
};
Result<SeriesBookingRequest> DecodeSeriesBookingRequest(const nlohmann::json& body);

// POST /patients/{id}/appointments: {"type", "start", "chair_id", "nurse"}.
struct AppointmentRequest {
  std::string type;
  SlotChoice slot;
};
Result<AppointmentRequest> DecodeAppointmentRequest(const nlohmann::json& body);

// POST /appointments/{id}/move: {"start", "chair_id", "nurse", "reason"}.
struct AppointmentMoveRequest {
  SlotChoice slot;
  std::string reason;
};
Result<AppointmentMoveRequest> DecodeAppointmentMoveRequest(const nlohmann::json& body);

// POST /patients/{id}/booking-requests: {"preferred": [{"date", "part"? ("any" when
// absent)}], "note"?}.
struct PreferredDayRequest {
  std::string date;  // local YYYY-MM-DD
  std::string part;  // morning | afternoon | any; checked by the use case
};
struct BookingRequestRequest {
  std::vector<PreferredDayRequest> preferred;
  std::optional<std::string> note;
};
Result<BookingRequestRequest> DecodeBookingRequestRequest(const nlohmann::json& body);

// POST /booking-requests/{id}/accept: {"start", "chair_id", "nurse"}.
Result<SlotChoice> DecodeSlotChoiceRequest(const nlohmann::json& body);

// POST /booking-requests/{id}/propose: {"start", "chair_id", "nurse", "note"?}.
struct BookingProposalRequest {
  SlotChoice slot;
  std::optional<std::string> note;
};
Result<BookingProposalRequest> DecodeBookingProposalRequest(const nlohmann::json& body);

// POST /portal/booking-requests/{id}/respond: {"accept": true | false}.
Result<bool> DecodeProposalResponseRequest(const nlohmann::json& body);

// POST /patients/{id}/booster-decisions: {"date", "interval_days" (1-365), "accepted",
// "reason"?}.
struct BoosterDecisionRequest {
  std::string date;
  int interval_days = 0;
  bool accepted = false;
  std::optional<std::string> reason;
};
Result<BoosterDecisionRequest> DecodeBoosterDecisionRequest(const nlohmann::json& body);

}  // namespace kclinic::codec
