// A histogram of durations in the Prometheus text format: fixed bucket bounds, one atomic counter
// per bucket, so recording from any thread takes no lock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kclinic {

class DurationHistogram {
 public:
  // `bounds_seconds`: the buckets' upper bounds, ascending; a bucket for everything above the last
  // one (+Inf) is added.
  explicit DurationHistogram(std::vector<double> bounds_seconds);
  DurationHistogram(const DurationHistogram&) = delete;
  DurationHistogram& operator=(const DurationHistogram&) = delete;

  void Record(std::chrono::nanoseconds elapsed);
  // Samples recorded: the sum of the buckets, so `_count` always equals the +Inf bucket.
  uint64_t count() const;

  // The `# HELP`, `# TYPE`, cumulative `_bucket{le="..."}`, `_sum` and `_count` lines.
  std::string Render(std::string_view name, std::string_view help) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<uint64_t> sum_ns_{0};
};

}  // namespace kclinic
