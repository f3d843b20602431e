#include "kclinic/base/clock.h"

#include <gtest/gtest.h>

namespace kclinic {
namespace {

using namespace std::chrono;

TEST(Timestamp, FormatsFixedWidthUtcAndParsesBack) {
  Timestamp t = Timestamp(sys_days(2026y / November / 21)) + hours(23) + minutes(26) + seconds(4) +
                microseconds(123456);
  EXPECT_EQ(FormatTimestamp(t), "2026-11-21T23:26:04.123456Z");
  EXPECT_EQ(ParseTimestamp("2026-11-21T23:26:04.123456Z"), t);
}

TEST(Timestamp, AcceptsRfc3339FractionsAndOffsets) {
  Timestamp nine = Timestamp(sys_days(2026y / November / 21)) + hours(9);
  EXPECT_EQ(ParseTimestamp("2026-11-21T09:00:00Z"), nine);
  EXPECT_EQ(ParseTimestamp("2026-11-21T09:00:00.5Z"), nine + milliseconds(500));
  EXPECT_EQ(ParseTimestamp("2026-11-21T09:00:00.123456789Z"), nine + microseconds(123456));
  EXPECT_EQ(ParseTimestamp("2026-11-21T04:00:00-05:00"), nine);
  EXPECT_EQ(ParseTimestamp("2026-11-21T10:30:00+01:30"), nine);
  EXPECT_EQ(ParseTimestamp("2026-11-20T23:00:00-10:00"), nine);
}

TEST(Timestamp, RejectsMalformedText) {
  for (const char* bad :
       {"", "2026-11-21", "2026-11-21T23:26:04", "2026-11-21T24:00:00.000000Z",
        "2026-02-30T00:00:00.000000Z", "2026-11-21 23:26:04.123456Z", "2026-11-21T09:00:00.Z",
        "2026-11-21T09:00:00.1234567890Z", "2026-11-21T09:00:00+0500", "2026-11-21T09:00:00+24:00",
        "2026-11-21T09:00:00Zjunk", "2026-11-21T09:00:00z"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

TEST(Date, ParsesOnlyRealCalendarDates) {
  EXPECT_TRUE(ParseDate("2024-02-29").has_value());
  EXPECT_FALSE(ParseDate("2023-02-29").has_value());
  EXPECT_FALSE(ParseDate("2023-13-01").has_value());
  EXPECT_FALSE(ParseDate("2023-1-01").has_value());
  EXPECT_FALSE(ParseDate("abcd-ef-gh").has_value());
  EXPECT_EQ(FormatDate(*ParseDate("1984-03-02")), "1984-03-02");
}

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(Timestamp(sys_days(2026y / January / 1)));
  Timestamp t0 = clock.Now();
  EXPECT_EQ(clock.Now(), t0);
  clock.Advance(minutes(16));
  EXPECT_EQ(clock.Now() - t0, minutes(16));
}

}  // namespace
}  // namespace kclinic
