#include "kclinic/base/histogram.h"

#include <algorithm>
#include <cstdio>

namespace kclinic {

DurationHistogram::DurationHistogram(std::vector<double> bounds_seconds)
    : bounds_(std::move(bounds_seconds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void DurationHistogram::Record(std::chrono::nanoseconds elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  // The first bound not below the value: Prometheus buckets are `le`, less than or equal.
  const size_t b = std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin();
  buckets_[b].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<uint64_t>(std::max<int64_t>(elapsed.count(), 0)),
                    std::memory_order_relaxed);
}

uint64_t DurationHistogram::count() const {
  uint64_t n = 0;
  for (size_t b = 0; b <= bounds_.size(); ++b) n += buckets_[b].load(std::memory_order_relaxed);
  return n;
}

std::string DurationHistogram::Render(std::string_view name, std::string_view help) const {
  const std::string n(name);
  std::string out = "# HELP " + n + " " + std::string(help) + "\n# TYPE " + n + " histogram\n";
  uint64_t cumulative = 0;
  char buf[64];
  for (size_t b = 0; b <= bounds_.size(); ++b) {
    cumulative += buckets_[b].load(std::memory_order_relaxed);
    if (b < bounds_.size()) {
      std::snprintf(buf, sizeof buf, "%g", bounds_[b]);
    } else {
      std::snprintf(buf, sizeof buf, "+Inf");
    }
    out += n + "_bucket{le=\"" + buf + "\"} " + std::to_string(cumulative) + "\n";
  }
  std::snprintf(buf, sizeof buf, "%.9f", sum_ns_.load(std::memory_order_relaxed) / 1e9);
  out += n + "_sum " + buf + "\n";
  out += n + "_count " + std::to_string(cumulative) + "\n";  // the +Inf bucket
  return out;
}

}  // namespace kclinic
