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
  durations_.Record(elapsed);
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> value) {
  gauges_.push_back({std::move(name), std::move(help), std::move(value)});
}

void Metrics::AddHistogram(std::string name, std::string help, const DurationHistogram* histogram) {
  histograms_.push_back({std::move(name), std::move(help), histogram});
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
  out += durations_.Render("kclinic_http_request_duration_seconds",
                           "Time from request read to response ready.");
  char buf[64];
  for (const Gauge& g : gauges_) {
    std::snprintf(buf, sizeof buf, "%.17g", g.value());
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " gauge\n" + g.name + " " +
           buf + "\n";
  }
  for (const Histogram& h : histograms_) out += h.histogram->Render(h.name, h.help);
  return out;
}

}  // namespace kclinic::http
