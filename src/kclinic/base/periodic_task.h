// A task that runs again and again on a thread of its own, off the event loops and the worker
// pool: the server's scheduled backups and the audit chain's anchors (cli/server_tasks.h). When
// it is next due is asked of a planner each time, so a schedule may be an interval or a local
// time of day; the wall clock is looked at again at least every `recheck`, so a clock that is set
// or a machine that slept does not postpone a run by the whole wait.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "kclinic/base/clock.h"

namespace kclinic {

class PeriodicTask {
 public:
  // When the task is next due, given the time now (at start, and after each run ends).
  using Planner = std::function<Timestamp(Timestamp now)>;

  // Starts the thread; the first run is at planner(clock.Now()). `clock` must outlive the task.
  // `run` must not throw (an exception is caught and the schedule goes on).
  PeriodicTask(const Clock& clock, Planner planner, std::function<void()> run,
               std::chrono::milliseconds recheck = std::chrono::seconds(1));
  // Stop().
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Wakes the thread, waits for a run in progress to end, and joins; no run starts after it.
  // Thread-safe; idempotent.
  void Stop();
  // Runs that have ended.
  uint64_t runs() const;

 private:
  void Loop();

  const Clock& clock_;
  Planner planner_;
  std::function<void()> run_;
  std::chrono::milliseconds recheck_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  uint64_t runs_ = 0;
  std::mutex join_mu_;
  std::thread thread_;  // last: starts in the constructor, once every member above exists
};

}  // namespace kclinic
