// Request counters and a latency histogram in the Prometheus text format. Lock-free on the hot
// path: one atomic per (route, status class) and per histogram bucket.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kclinic/base/histogram.h"

namespace kclinic::http {

class Metrics {
 public:
  // `route_names` are the route labels ("GET /api/v1/patients/{id}"); index routes.size() is
  // used for requests that matched no route.
  explicit Metrics(std::vector<std::string> route_names);

  void Record(size_t route_index, int http_status, std::chrono::nanoseconds elapsed);
  // Extra gauges appended to the output, evaluated at scrape time.
  void AddGauge(std::string name, std::string help, std::function<double()> value);
  // A histogram kept elsewhere (it must outlive this), rendered after the gauges.
  void AddHistogram(std::string name, std::string help, const DurationHistogram* histogram);
  std::string Render() const;
  size_t unmatched_index() const { return routes_.size(); }

 private:
  struct Gauge {
    std::string name, help;
    std::function<double()> value;
  };
  struct Histogram {
    std::string name, help;
    const DurationHistogram* histogram;
  };
  std::vector<std::string> routes_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // (routes_+1) x 5 status classes
  DurationHistogram durations_{
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
  std::vector<Gauge> gauges_;
  std::vector<Histogram> histograms_;
};

}  // namespace kclinic::http
