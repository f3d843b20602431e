#include "kclinic/domain/schedule/clinic.h"

#include <algorithm>

#include <date/tz.h>

#include <cstdio>
#include <set>
#include <string>

namespace kclinic::domain::schedule {

namespace {

// The zone, or nullptr when the tz database does not know it. date::locate_zone throws for an
// unknown name; the exception stays inside this file.
const date::time_zone* FindZone(std::string_view name) {
  if (name.empty() || name.size() > 64) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::string Index(std::string_view field, size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

}  // namespace

bool IsKnownTimeZone(std::string_view name) { return FindZone(name) != nullptr; }

Result<Timestamp> LocalToUtc(std::string_view time_zone, LocalDateTime local) {
  const date::time_zone* zone = FindZone(time_zone);
  if (zone == nullptr) return InvalidArgument("time_zone", "is not a known IANA time zone");
  const date::local_seconds lt{
      std::chrono::duration_cast<std::chrono::seconds>(date::local_days{
          date::year_month_day{
              date::year{int(local.date.year())}, date::month{unsigned(local.date.month())},
              date::day{unsigned(local.date.day())}}}.time_since_epoch()) +
      std::chrono::duration_cast<std::chrono::seconds>(local.time)};
  const date::local_info info = zone->get_info(lt);
  switch (info.result) {
    case date::local_info::unique:
      return Timestamp(std::chrono::duration_cast<std::chrono::microseconds>(lt.time_since_epoch() -
                                                                             info.first.offset));
    case date::local_info::ambiguous:
      // The repeated autumn hour: the earlier instant, still on the summer offset.
      return Timestamp(std::chrono::duration_cast<std::chrono::microseconds>(lt.time_since_epoch() -
                                                                             info.first.offset));
    case date::local_info::nonexistent:
    default:
      return FailedPrecondition(FormatLocalTime(local.time) + " does not exist on that day in " +
                                std::string(time_zone) + " (daylight saving time change)");
  }
}

Result<LocalDateTime> UtcToLocal(std::string_view time_zone, Timestamp t) {
  const date::time_zone* zone = FindZone(time_zone);
  if (zone == nullptr) return InvalidArgument("time_zone", "is not a known IANA time zone");
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const date::sys_seconds st{secs.time_since_epoch()};
  const auto lt = zone->to_local(st);
  const auto day = date::floor<date::days>(lt);
  const date::year_month_day ymd{day};
  LocalDateTime out;
  out.date =
      LocalDate{std::chrono::year{int(ymd.year())}, std::chrono::month{unsigned(ymd.month())},
                std::chrono::day{unsigned(ymd.day())}};
  out.time = std::chrono::floor<std::chrono::minutes>(lt - day);
  return out;
}

std::string ZoneAbbreviation(std::string_view time_zone, Timestamp t) {
  const date::time_zone* zone = FindZone(time_zone);
  if (zone == nullptr) return "";
  const date::sys_seconds st{std::chrono::floor<std::chrono::seconds>(t).time_since_epoch()};
  std::string abbrev = zone->get_info(st).abbrev;
  // Zones without a letter abbreviation give an offset ("+13"): name the zone instead.
  if (abbrev.empty() || abbrev[0] == '+' || abbrev[0] == '-') return std::string(time_zone);
  return abbrev;
}

std::optional<Opening> NextOpening(const Clinic& clinic, Timestamp now) {
  auto local = UtcToLocal(clinic.time_zone, now);
  if (!local.ok()) return std::nullopt;
  const std::chrono::sys_days today{local->date};
  for (int i = 0; i <= 60; ++i) {
    const std::chrono::sys_days day = today + std::chrono::days(i);
    const LocalDate date{day};
    if (std::find(clinic.holidays.begin(), clinic.holidays.end(), date) != clinic.holidays.end()) {
      continue;
    }
    const auto& hours = clinic.hours[std::chrono::weekday(day).c_encoding()];
    if (!hours || hours->close <= hours->open) continue;
    if (i == 0) {
      if (local->time >= hours->close) continue;  // closed for the day
      if (local->time >= hours->open) return Opening{true, date, hours->open, hours->close};
    }
    return Opening{false, date, hours->open, hours->close};
  }
  return std::nullopt;
}

std::string FormatLocalTime(LocalMinutes m) {
  char buf[16];
  const int v = static_cast<int>(m.count());
  std::snprintf(buf, sizeof buf, "%02d:%02d", v / 60, v % 60);
  return buf;
}

std::optional<LocalMinutes> ParseLocalTime(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return LocalMinutes(h * 60 + m);
}

Clinic DefaultClinic(std::string time_zone, LocalDate from, int days, int chairs, int nurses) {
  Clinic c;
  c.time_zone = std::move(time_zone);
  for (unsigned wd = 1; wd <= 5; ++wd) c.hours[wd] = OpeningHours{};
  for (int i = 1; i <= chairs; ++i) {
    c.chairs.push_back({"chair-" + std::to_string(i), "Chair " + std::to_string(i)});
  }
  const std::chrono::sys_days first{from};
  for (int d = 0; d < days; ++d) {
    const std::chrono::sys_days day = first + std::chrono::days(d);
    const auto& hours = c.hours[std::chrono::weekday(day).c_encoding()];
    if (!hours) continue;
    for (int n = 1; n <= nurses; ++n) {
      c.shifts.push_back({"nurse-" + std::to_string(n),
                          {"iv", "esketamine"},
                          std::chrono::year_month_day(day),
                          hours->open,
                          hours->close});
    }
  }
  return c;
}

Status ValidateClinic(const Clinic& c) {
  if (FindZone(c.time_zone) == nullptr) {
    return InvalidArgument("time_zone", "is not a known IANA time zone (e.g. America/New_York)");
  }
  if (c.slot_minutes < 5 || c.slot_minutes > 240 || 1440 % c.slot_minutes != 0) {
    return InvalidArgument("slot_minutes", "must be 5-240 minutes and divide a day");
  }
  for (size_t i = 0; i < c.hours.size(); ++i) {
    if (!c.hours[i]) continue;
    const auto& h = *c.hours[i];
    if (h.open.count() < 0 || h.open.count() > 1440) {
      return InvalidArgument(Index("hours", i) + ".open", "must be 00:00-24:00");
    }
    if (h.close <= h.open || h.close.count() > 1440) {
      return InvalidArgument(Index("hours", i) + ".close", "must be after open, at most 24:00");
    }
  }
  for (size_t i = 0; i < c.holidays.size(); ++i) {
    if (!c.holidays[i].ok()) return InvalidArgument(Index("holidays", i), "is not a date");
  }
  std::set<std::string, std::less<>> ids;
  for (size_t i = 0; i < c.chairs.size(); ++i) {
    if (c.chairs[i].id.empty() || c.chairs[i].id.size() > 64) {
      return InvalidArgument(Index("chairs", i) + ".id", "must be 1-64 characters");
    }
    if (!ids.insert(c.chairs[i].id).second) {
      return InvalidArgument(Index("chairs", i) + ".id", "is a duplicate");
    }
  }
  for (size_t i = 0; i < c.shifts.size(); ++i) {
    const auto& s = c.shifts[i];
    if (s.username.empty()) return InvalidArgument(Index("shifts", i) + ".username", "is required");
    if (!s.date.ok()) return InvalidArgument(Index("shifts", i) + ".date", "is not a date");
    if (s.start.count() < 0 || s.start.count() > 1440) {
      return InvalidArgument(Index("shifts", i) + ".start", "must be 00:00-24:00");
    }
    if (s.end <= s.start || s.end.count() > 1440) {
      return InvalidArgument(Index("shifts", i) + ".end", "must be after start, at most 24:00");
    }
  }
  for (size_t i = 0; i < c.busy.size(); ++i) {
    const auto& b = c.busy[i];
    if (b.end <= b.start) return InvalidArgument(Index("busy", i) + ".end", "must be after start");
    if (b.chair_id.empty() && b.staff.empty()) {
      return InvalidArgument(Index("busy", i) + ".chair_id",
                             "a chair or a staff member is required");
    }
  }
  return Status::Ok();
}

}  // namespace kclinic::domain::schedule
