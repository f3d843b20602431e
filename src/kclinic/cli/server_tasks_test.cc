#include "kclinic/cli/server_tasks.h"

#include <gtest/gtest.h>

namespace kclinic::cli {
namespace {

Timestamp Utc(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {
  return Timestamp(std::chrono::sys_days(std::chrono::year(y) / m / d) + std::chrono::hours(hh) +
                   std::chrono::minutes(mm) + std::chrono::seconds(ss));
}

TEST(BackupSchedule, ParsesALocalTimeOrAnInterval) {
  auto daily = ParseBackupSchedule("02:30");
  ASSERT_TRUE(daily.ok());
  EXPECT_EQ(daily->daily_at, std::chrono::minutes(150));
  struct Case {
    const char* text;
    int64_t seconds;
  };
  for (const Case& c : {Case{"10s", 10}, Case{"30m", 1800}, Case{"6h", 21600}, Case{"1s", 1},
                        Case{"168h", 604800}}) {
    auto s = ParseBackupSchedule(c.text);
    ASSERT_TRUE(s.ok()) << c.text;
    EXPECT_FALSE(s->daily_at) << c.text;
    EXPECT_EQ(s->interval.count(), c.seconds) << c.text;
  }
  for (const char* bad :
       {"", "2:30", "24:00", "25:00", "0s", "169h", "10", "10d", "s", "-5m", "1.5h", "99999999s"}) {
    auto s = ParseBackupSchedule(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().field(), "backup-at") << bad;
  }
}

TEST(BackupSchedule, TheNextDailyTimeIsInTheClinicsZoneAcrossDaylightSaving) {
  auto at = ParseBackupSchedule("02:30").value();
  // New York, winter (UTC-5): 02:30 local is 07:30 UTC.
  EXPECT_EQ(NextBackupDue(at, "America/New_York", Utc(2026, 1, 10, 6, 0)).value(),
            Utc(2026, 1, 10, 7, 30));
  EXPECT_EQ(NextBackupDue(at, "America/New_York", Utc(2026, 1, 10, 7, 30)).value(),
            Utc(2026, 1, 11, 7, 30));  // strictly after
  // 8 March 2026: 02:00-03:00 does not exist; the backup moves an hour on, to 03:30 EDT.
  EXPECT_EQ(NextBackupDue(at, "America/New_York", Utc(2026, 3, 8, 5, 0)).value(),
            Utc(2026, 3, 8, 7, 30));
  // Summer (UTC-4).
  EXPECT_EQ(NextBackupDue(at, "America/New_York", Utc(2026, 7, 1, 12, 0)).value(),
            Utc(2026, 7, 2, 6, 30));
  EXPECT_FALSE(NextBackupDue(at, "Mars/Olympus", Utc(2026, 7, 1, 12, 0)).ok());
  auto every = ParseBackupSchedule("30m").value();
  EXPECT_EQ(NextBackupDue(every, "Mars/Olympus", Utc(2026, 7, 1, 12, 0)).value(),
            Utc(2026, 7, 1, 12, 30));
  EXPECT_EQ(BackupOverdueAfter(at), std::chrono::hours(26));
  EXPECT_EQ(BackupOverdueAfter(every), std::chrono::seconds(3660));
}

TEST(BackupFiles, NamesCarryTheUtcTimeAndReadBack) {
  Timestamp t = Utc(2026, 12, 7, 23, 4, 59) + std::chrono::microseconds(123);
  EXPECT_EQ(BackupFileName(t), "kclinic-20261207-2304.kcb");
  EXPECT_EQ(BackupFileName(t, true), "kclinic-20261207-230459.kcb");
  EXPECT_EQ(BackupFileTime("kclinic-20261207-2304.kcb"), Utc(2026, 12, 7, 23, 4));
  EXPECT_EQ(BackupFileTime("kclinic-20261207-230459.kcb"), Utc(2026, 12, 7, 23, 4, 59));
  for (const char* other : {"kclinic-20261207-2304.kcb.tmp", "kclinic-20261307-2304.kcb",
                            "kclinic-20261207-2504.kcb", "kclinic-2026120-72304.kcb", "notes.txt",
                            "kclinic-2026120x-2304.kcb", "kclinic-20261207-23045.kcb"}) {
    EXPECT_EQ(BackupFileTime(other), std::nullopt) << other;
  }
}

TEST(BackupFiles, PruningKeepsTheNewestByTimeAndTouchesNothingElse) {
  std::vector<std::string> names = {"kclinic-20261207-2305.kcb",     "kclinic-20261207-230459.kcb",
                                    "kclinic-20261206-2300.kcb",     "kclinic-20261207-2304.kcb",
                                    "kclinic-20261207-2305.kcb.tmp", "README"};
  EXPECT_EQ(BackupsToPrune(names, 2),
            (std::vector<std::string>{"kclinic-20261206-2300.kcb", "kclinic-20261207-2304.kcb"}));
  EXPECT_TRUE(BackupsToPrune(names, 4).empty());
  EXPECT_TRUE(BackupsToPrune(names, 10).empty());
}

}  // namespace
}  // namespace kclinic::cli
