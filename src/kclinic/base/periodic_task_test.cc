#include "kclinic/base/periodic_task.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <utility>

namespace kclinic {
namespace {

TEST(PeriodicTask, RunsAgainWhenDueAndStopsWithoutAnotherRun) {
  std::mutex mu;
  std::condition_variable cv;
  int runs = 0;
  std::vector<Timestamp> asked;
  PeriodicTask task(
      SystemClock::Get(),
      [&](Timestamp now) {
        std::lock_guard lock(mu);
        asked.push_back(now);
        return now + std::chrono::milliseconds(2);
      },
      [&] {
        std::lock_guard lock(mu);
        ++runs;
        cv.notify_all();
      });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return runs >= 3; }));
  }
  task.Stop();
  std::lock_guard lock(mu);
  const int at_stop = runs;
  EXPECT_EQ(task.runs(), static_cast<uint64_t>(at_stop));
  // The planner is asked once at start and once after every run.
  EXPECT_EQ(asked.size(), static_cast<size_t>(at_stop) + 1);
  task.Stop();  // idempotent
  EXPECT_EQ(runs, at_stop);
}

TEST(PeriodicTask, StopDoesNotWaitForARunDueLater) {
  std::atomic<int> runs{0};
  auto started = std::chrono::steady_clock::now();
  {
    PeriodicTask task(
        SystemClock::Get(), [](Timestamp now) { return now + std::chrono::hours(24); },
        [&] { ++runs; }, std::chrono::hours(1));
  }
  EXPECT_EQ(runs.load(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(PeriodicTask, AWallClockSetForwardMakesTheRunDueAtTheNextRecheck) {
  // Due a day from the fake clock's start: the wait is cut into 1 ms slices, so moving the clock
  // past the due time starts the run although the steady clock barely moved.
  const Timestamp start(std::chrono::seconds(1'800'000'000));
  FakeClock clock(start);
  std::mutex mu;
  std::condition_variable cv;
  int runs = 0;
  PeriodicTask task(
      clock,
      [start, first = true](Timestamp) mutable {
        // Fixed times, not relative to the clock: the test may move it before the thread asks.
        bool was_first = std::exchange(first, false);
        return start + std::chrono::hours(was_first ? 24 : 1000);
      },
      [&] {
        std::lock_guard lock(mu);
        ++runs;
        cv.notify_all();
      },
      std::chrono::milliseconds(1));
  clock.Advance(std::chrono::hours(25));
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return runs == 1; }));
}

TEST(PeriodicTask, AThrowingRunDoesNotEndTheSchedule) {
  std::atomic<int> runs{0};
  PeriodicTask task(
      SystemClock::Get(), [](Timestamp now) { return now; },
      [&] {
        ++runs;
        throw std::runtime_error("boom");
      });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (runs.load() < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_GE(runs.load(), 3);
}

}  // namespace
}  // namespace kclinic
