#include "kclinic/base/histogram.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace kclinic {
namespace {

using namespace std::chrono;

TEST(DurationHistogram, RendersCumulativeBucketsWithBoundsInclusive) {
  DurationHistogram h({0.001, 0.01, 0.1});
  h.Record(microseconds(500));  // <= 0.001
  h.Record(milliseconds(1));    // exactly on a bound: counted in it (`le`)
  h.Record(milliseconds(5));    // <= 0.01
  h.Record(milliseconds(250));  // above the last bound: +Inf only
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.Render("x_seconds", "What x is."),
            "# HELP x_seconds What x is.\n"
            "# TYPE x_seconds histogram\n"
            "x_seconds_bucket{le=\"0.001\"} 2\n"
            "x_seconds_bucket{le=\"0.01\"} 3\n"
            "x_seconds_bucket{le=\"0.1\"} 3\n"
            "x_seconds_bucket{le=\"+Inf\"} 4\n"
            "x_seconds_sum 0.256500000\n"
            "x_seconds_count 4\n");
}

TEST(DurationHistogram, CountsEverySampleFromManyThreads) {
  DurationHistogram h({0.001});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < 10000; ++i) h.Record(t % 2 == 0 ? microseconds(10) : milliseconds(2));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(h.count(), 40000u);
  const std::string text = h.Render("y", "y.");
  EXPECT_NE(text.find("y_bucket{le=\"0.001\"} 20000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("y_bucket{le=\"+Inf\"} 40000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("y_sum 40.200000000\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace kclinic
