#include "kclinic/http/metrics.h"

#include <cstdio>

namespace kclinic::http {

Metrics::Metrics(std::vector<std::string> route_names)
    : routes_(std::move(route_names)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>((routes_.size() + 1) * 5)) {}

void Metrics::Record(size_t route_index, int http_status, std::chrono::nanoseconds elapsed) {
  size_t cls = std::min(std::max(http_status / 100, 1), 5) - 1;
  if (route_index > routes_.size()) route_index = routes_.size();
  counts_[route_index * 5 + cls].fetch_add(1, std::memory_order_relaxed);
  double seconds = std::chrono::duration<double>(elapsed).count();
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  buckets_[b].fetch_add(1, std::memory_order_relaxed);
  total_ns_.fetch_add(static_cast<uint64_t>(elapsed.count()), std::memory_order_relaxed);
  total_count_.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> value) {
  gauges_.push_back({std::move(name), std::move(help), std::move(value)});
}

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP kclinic_http_requests_total HTTP requests answered, by route and status class.\n";
  out += "# TYPE kclinic_http_requests_total counter\n";
  for (size_t r = 0; r <= routes_.size(); ++r) {
    for (size_t c = 0; c < 5; ++c) {
      uint64_t n = counts_[r * 5 + c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "kclinic_http_requests_total{route=\"" +
             (r < routes_.size() ? routes_[r] : std::string("unmatched")) + "\",status=\"" +
             std::to_string(c + 1) + "xx\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP kclinic_http_request_duration_seconds Time from request read to response ready.\n";
  out += "# TYPE kclinic_http_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  char buf[64];
  for (size_t b = 0; b <= kBuckets.size(); ++b) {
    cumulative += buckets_[b].load(std::memory_order_relaxed);
    if (b < kBuckets.size()) {
      std::snprintf(buf, sizeof buf, "%g", kBuckets[b]);
    } else {
      std::snprintf(buf, sizeof buf, "+Inf");
    }
    out += "kclinic_http_request_duration_seconds_bucket{le=\"" + std::string(buf) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  std::snprintf(buf, sizeof buf, "%.9f", total_ns_.load() / 1e9);
  out += "kclinic_http_request_duration_seconds_sum " + std::string(buf) + "\n";
  out +=
      "kclinic_http_request_duration_seconds_count " + std::to_string(total_count_.load()) + "\n";
  for (const Gauge& g : gauges_) {
    std::snprintf(buf, sizeof buf, "%.17g", g.value());
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " gauge\n" + g.name + " " +
           buf + "\n";
  }
  return out;
}

}  // namespace kclinic::http
