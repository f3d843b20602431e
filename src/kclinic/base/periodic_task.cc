#include "kclinic/base/periodic_task.h"

#include <algorithm>

namespace kclinic {

PeriodicTask::PeriodicTask(const Clock& clock, Planner planner, std::function<void()> run,
                           std::chrono::milliseconds recheck)
    : clock_(clock),
      planner_(std::move(planner)),
      run_(std::move(run)),
      recheck_(std::max(recheck, std::chrono::milliseconds(1))),
      thread_([this] { Loop(); }) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  std::lock_guard join(join_mu_);
  if (thread_.joinable()) thread_.join();
}

uint64_t PeriodicTask::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void PeriodicTask::Loop() {
  Timestamp due = planner_(clock_.Now());
  for (;;) {
    {
      std::unique_lock lock(mu_);
      for (;;) {
        if (stopping_) return;
        Timestamp now = clock_.Now();
        if (now >= due) break;
        // The wait is measured on the steady clock, the due time on the wall clock: wait no
        // longer than `recheck` before comparing them again.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - now) +
                    std::chrono::milliseconds(1);
        cv_.wait_for(lock, std::min(left, recheck_));
      }
    }
    try {
      run_();
    } catch (...) {
      // The task reports its own outcome; a throw must not end the schedule or the process.
    }
    {
      std::lock_guard lock(mu_);
      ++runs_;
    }
    due = planner_(clock_.Now());
  }
}

}  // namespace kclinic
