// How a task the server runs on a schedule is doing (scheduled backups, audit anchors;
// cli/server_tasks.h), for /metrics and /readyz to report. Thread-safe: the task's thread records,
// request threads read.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "kclinic/base/clock.h"

namespace kclinic::app {

class TaskHealth {
 public:
  // `overdue_after`: with no success for this long, the task is late (what /readyz says).
  explicit TaskHealth(std::chrono::seconds overdue_after) : overdue_after_(overdue_after) {}

  // A run succeeded; `at` is when what it made is from (a backup's start, an anchor's time).
  void Succeeded(Timestamp at) {
    last_success_us_.store(at.time_since_epoch().count(), std::memory_order_relaxed);
    successes_.fetch_add(1, std::memory_order_relaxed);
  }
  void Failed() { failures_.fetch_add(1, std::memory_order_relaxed); }

  // The last success (this run, or one found on disk at start); nullopt when none.
  std::optional<Timestamp> last_success() const {
    int64_t us = last_success_us_.load(std::memory_order_relaxed);
    if (us == kNone) return std::nullopt;
    return Timestamp(std::chrono::microseconds(us));
  }
  uint64_t successes() const { return successes_.load(std::memory_order_relaxed); }
  uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }
  std::chrono::seconds overdue_after() const { return overdue_after_; }

 private:
  static constexpr int64_t kNone = INT64_MIN;
  const std::chrono::seconds overdue_after_;
  std::atomic<int64_t> last_success_us_{kNone};
  std::atomic<uint64_t> successes_{0}, failures_{0};
};

}  // namespace kclinic::app
