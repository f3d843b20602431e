// Time comes in through a Clock so that tests can move it (Abseil's Clock). Times are UTC; a
// Timestamp is microseconds since the Unix epoch.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
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

// The wall clock, never running backwards: when the system clock is set back (a wrong NTP step,
// an operator), Now() stays at the latest time it returned until the clock passes it again, so
// the audit trail and every record keep their order; `OnBackwardJump` hears of each jump.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
  // Returns a process-wide instance.
  static const Clock& Get();
  // Called (on the thread that noticed) when the clock is found set back by more than 1 ms, once
  // per jump. Set it before threads start; not thread-safe against Now().
  static void OnBackwardJump(std::function<void(std::chrono::microseconds by)> handler);
  // The wall clock's reading, held at `latest` when it is behind it (the rule of Now(), testable).
  static Timestamp NotBefore(Timestamp reading, Timestamp latest) {
    return reading < latest ? latest : reading;
  }
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
