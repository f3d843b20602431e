// Time comes in through a Clock so that tests can move it (Abseil's Clock). Times are UTC; a
// Timestamp is microseconds since the Unix epoch.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace kclinic {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current time. Thread-safe.
  virtual Timestamp Now() const = 0;
};

// The wall clock.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
  // Returns a process-wide instance.
  static const Clock& Get();
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_(start) {}
  Timestamp Now() const override;
  void Advance(std::chrono::microseconds delta);
  void Set(Timestamp t);

 private:
  mutable std::mutex mu_;
  Timestamp now_;
};

// Formats as "2026-11-21T23:26:04.123456Z": fixed width, so text order is time order.
std::string FormatTimestamp(Timestamp t);
// The same text, written into `out` without allocating; returns its length (kTimestampChars).
constexpr size_t kTimestampChars = 27;
size_t FormatTimestampTo(Timestamp t, char (&out)[kTimestampChars]);
// Parses an RFC 3339 instant: the format above, or with 0-9 fraction digits (more than 6 are
// truncated) and "Z" or a "+HH:MM"/"-HH:MM" offset, so that API callers may send
// "2026-11-21T09:00:00Z" or "2026-11-21T04:00:00-05:00". nullopt on anything else.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

// Parses a calendar date "YYYY-MM-DD" that exists (no Feb 30); nullopt otherwise.
std::optional<std::chrono::year_month_day> ParseDate(std::string_view text);
std::string FormatDate(std::chrono::year_month_day d);
// The UTC calendar date of `t`.
std::chrono::year_month_day DateOf(Timestamp t);

}  // namespace kclinic
