#include "kclinic/base/clock.h"

#include <atomic>
#include <cstdio>

namespace kclinic {

using namespace std::chrono;

namespace {

std::atomic<int64_t> g_latest_us{0};  // the latest time Now() returned
std::atomic<bool> g_held{false};      // Now() is holding at g_latest_us
std::function<void(microseconds)>& BackwardJumpHandler() {
  static std::function<void(microseconds)> handler;
  return handler;
}

}  // namespace

Timestamp SystemClock::Now() const {
  auto reading = time_point_cast<microseconds>(system_clock::now());
  int64_t us = reading.time_since_epoch().count();
  int64_t latest = g_latest_us.load(std::memory_order_relaxed);
  while (us > latest) {
    if (g_latest_us.compare_exchange_weak(latest, us, std::memory_order_relaxed)) {
      g_held.store(false, std::memory_order_relaxed);
      return reading;
    }
  }
  if (latest - us > 1000 && !g_held.exchange(true, std::memory_order_relaxed)) {
    if (const auto& handler = BackwardJumpHandler()) handler(microseconds(latest - us));
  }
  return NotBefore(reading, Timestamp(microseconds(latest)));
}

void SystemClock::OnBackwardJump(std::function<void(microseconds)> handler) {
  BackwardJumpHandler() = std::move(handler);
}

const Clock& SystemClock::Get() {
  static const SystemClock kClock;
  return kClock;
}

Timestamp FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void FakeClock::Advance(microseconds delta) {
  std::lock_guard lock(mu_);
  now_ += delta;
}

void FakeClock::Set(Timestamp t) {
  std::lock_guard lock(mu_);
  now_ = t;
}

namespace {

// Writes `value` as exactly `width` decimal digits (zero-padded) at `out`; on every response, so
// no printf.
char* PutDigits(char* out, long long value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

char* PutDate(char* p, year_month_day d) {
  p = PutDigits(p, int(d.year()), 4);
  *p++ = '-';
  p = PutDigits(p, unsigned(d.month()), 2);
  *p++ = '-';
  return PutDigits(p, unsigned(d.day()), 2);
}

}  // namespace

std::string FormatTimestamp(Timestamp t) {
  char buf[kTimestampChars];
  return std::string(buf, FormatTimestampTo(t, buf));
}

size_t FormatTimestampTo(Timestamp t, char (&buf)[kTimestampChars]) {
  auto day = floor<days>(t);
  hh_mm_ss<microseconds> tod(t - day);
  char* p = PutDate(buf, year_month_day(day));
  *p++ = 'T';
  p = PutDigits(p, tod.hours().count(), 2);
  *p++ = ':';
  p = PutDigits(p, tod.minutes().count(), 2);
  *p++ = ':';
  p = PutDigits(p, tod.seconds().count(), 2);
  *p++ = '.';
  p = PutDigits(p, tod.subseconds().count(), 6);
  *p++ = 'Z';
  return static_cast<size_t>(p - buf);
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::optional<year_month_day> ParseDate(std::string_view text) {
  int y, m, d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!Digits(text, 0, 4, &y) || !Digits(text, 5, 2, &m) || !Digits(text, 8, 2, &d)) {
    return std::nullopt;
  }
  year_month_day ymd{year(y), month(unsigned(m)), day(unsigned(d))};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::string FormatDate(year_month_day d) {
  char buf[10];
  return std::string(buf, PutDate(buf, d));
}

year_month_day DateOf(Timestamp t) { return year_month_day(floor<days>(t)); }

std::optional<Timestamp> ParseTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS, then an optional fraction, then Z or an offset (RFC 3339 section 5.6).
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto date = ParseDate(text.substr(0, 10));
  int hh, mm, ss;
  if (!date || !Digits(text, 11, 2, &hh) || !Digits(text, 14, 2, &mm) ||
      !Digits(text, 17, 2, &ss) || hh > 23 || mm > 59 || ss > 59) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t us = 0;
  if (text[pos] == '.') {
    size_t digits = 0;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      if (digits < 6) us = us * 10 + (text[pos] - '0');
    }
    if (digits == 0 || digits > 9) return std::nullopt;
    for (; digits < 6; ++digits) us *= 10;
  }
  minutes offset{0};
  std::string_view zone = text.substr(pos);
  if (zone == "Z") {
    // UTC
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh, om;
    if (!Digits(zone, 1, 2, &oh) || !Digits(zone, 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = hours(oh) + minutes(om);
    if (zone[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  return Timestamp(sys_days(*date)) + hours(hh) + minutes(mm) + seconds(ss) + microseconds(us) -
         offset;
}

}  // namespace kclinic
