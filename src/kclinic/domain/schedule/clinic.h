// The clinic as the planners see it (issue 6): its time zone, opening hours, holidays, chairs,
// staff shifts and what is already booked. Everything that is "a day" or "clinic hours" is local
// to the clinic's IANA time zone (Howard Hinnant's `date` tz over the system tz database,
// /usr/share/zoneinfo); every instant is UTC (Timestamp).
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"

namespace kclinic::domain::schedule {

// A calendar date in the clinic's time zone.
using LocalDate = std::chrono::year_month_day;
// A wall-clock time in the clinic's time zone, as minutes since local midnight (0..1440).
using LocalMinutes = std::chrono::minutes;

// Opening hours of one weekday, local wall-clock [open, close).
struct OpeningHours {
  LocalMinutes open{8 * 60};
  LocalMinutes close{18 * 60};
};

struct Chair {
  std::string id;  // unique within the clinic
  std::string name;
};

// One nurse's shift on one local date, [start, end) local wall-clock.
struct StaffShift {
  std::string username;
  std::vector<std::string> qualifications;  // e.g. {"iv", "esketamine"}
  LocalDate date;
  LocalMinutes start{8 * 60};
  LocalMinutes end{18 * 60};
};

// Something already booked: it occupies `chair_id` (if not empty) and `staff` (if not empty)
// over [start, end).
struct BusyInterval {
  std::string chair_id;
  std::string staff;
  Timestamp start;
  Timestamp end;
};

struct Clinic {
  std::string time_zone = "America/New_York";  // IANA name
  // Indexed by weekday, 0 = Sunday .. 6 = Saturday (std::chrono::weekday::c_encoding());
  // nullopt = closed that day.
  std::array<std::optional<OpeningHours>, 7> hours;
  std::vector<LocalDate> holidays;  // closed all day
  int slot_minutes = 15;            // appointments start on multiples of this, local time
  std::vector<Chair> chairs;
  std::vector<StaffShift> shifts;
  std::vector<BusyInterval> busy;
};

// The clinic of `kclinic plan induction`: Mon-Fri 08:00-18:00, no holidays, 15-minute slots,
// chairs "chair-1".."chair-<chairs>", nurses "nurse-1".."nurse-<nurses>" qualified {"iv",
// "esketamine"} on shift 08:00-18:00 every open day from `from` for `days` days, nothing booked.
Clinic DefaultClinic(std::string time_zone, LocalDate from, int days, int chairs = 4,
                     int nurses = 2);

// InvalidArgument naming the field ("time_zone", "hours[1].close", "chairs[0].id",
// "shifts[3].end", "slot_minutes", ...): unknown time zone, open >= close, duplicate chair ids,
// a busy interval that ends before it starts...
Status ValidateClinic(const Clinic& clinic);

// True when `name` is a time zone in the system tz database.
bool IsKnownTimeZone(std::string_view name);

// A local wall-clock time.
struct LocalDateTime {
  LocalDate date;
  LocalMinutes time{0};
};

// The UTC instant of a local wall-clock time in `time_zone`. InvalidArgument (field
// "time_zone") for an unknown zone; FailedPrecondition when the local time does not exist (it
// falls in the hour skipped at a DST change). An ambiguous local time (the repeated hour in
// autumn) resolves to the earlier instant.
Result<Timestamp> LocalToUtc(std::string_view time_zone, LocalDateTime local);

// The local wall-clock time of `t` in `time_zone` (truncated to the minute). InvalidArgument
// for an unknown zone.
Result<LocalDateTime> UtcToLocal(std::string_view time_zone, Timestamp t);

// The zone's abbreviation at `t` ("EST", "EDT"), for a time a person reads; the zone's name when
// it has none, or "" for an unknown zone.
std::string ZoneAbbreviation(std::string_view time_zone, Timestamp t);

// When the clinic is next open at or after `now`: `open_now` when `now` falls in today's hours
// (then `date`/`open` are today's), else the next open day's opening, looking at most 60 days
// ahead; nullopt when it opens on none of them (no hours set). What a patient is told about who
// will see a safety alert, and when, is worded from it.
struct Opening {
  bool open_now = false;
  LocalDate date;
  LocalMinutes open{0}, close{0};
};
std::optional<Opening> NextOpening(const Clinic& clinic, Timestamp now);

// "HH:MM" for minutes since midnight; ParseLocalTime accepts "HH:MM" (00:00..24:00).
std::string FormatLocalTime(LocalMinutes m);
std::optional<LocalMinutes> ParseLocalTime(std::string_view text);

}  // namespace kclinic::domain::schedule
