// No double booking under load (issue 6): 200 real HTTP clients on their own threads, released
// together, try to book the same chair, nurse and time. Exactly one gets 201, the other 199 get
// 409 naming the clash, none a 5xx; the database holds one booking. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "support.h"

namespace kclinic::testing {
namespace {

using nlohmann::json;

using BookingConcurrencyTest = ServerTest;

TEST_P(BookingConcurrencyTest, TwoHundredSimultaneousAttemptsYieldExactlyOneBooking) {
  constexpr int kAttempts = 200;
  Client desk = LoggedIn("desk.miller");
  const std::string ana = server_->ana_id();
  // A free chair, nurse and time: the first session the planner proposes from Dec 1.
  auto proposal = desk.Post("/api/v1/patients/" + ana + "/series/proposal",
                            {{"protocol", "iv-standard"}, {"start", "2026-12-01"}});
  ASSERT_EQ(proposal.status, 200) << proposal.body;
  const json slot = proposal.json()["sessions"][0];
  const json body = {{"type", "iv-infusion"},
                     {"start", slot["start"]},
                     {"chair_id", slot["chair_id"]},
                     {"nurse", slot["nurse"]}};

  // Each thread has its own client (its own connection) sharing the desk's session.
  std::mutex mu;
  std::condition_variable cv;
  bool go = false;
  std::atomic<int> ready{0};
  std::vector<HttpResult> results(kAttempts);
  std::vector<std::thread> threads;
  threads.reserve(kAttempts);
  for (int i = 0; i < kAttempts; ++i) {
    threads.emplace_back([&, i] {
      Client c = server_->NewClient();
      c.set_cookie(desk.cookie());
      c.set_csrf(desk.csrf());
      {
        std::unique_lock lock(mu);
        ++ready;
        cv.notify_all();
        cv.wait(lock, [&] { return go; });
      }
      results[static_cast<size_t>(i)] = c.Post("/api/v1/patients/" + ana + "/appointments", body);
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return ready == kAttempts; });
    go = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();

  std::map<int, int> by_status;
  for (const auto& r : results) ++by_status[r.status];
  EXPECT_EQ(by_status[201], 1);
  EXPECT_EQ(by_status[409], kAttempts - 1);
  EXPECT_EQ(by_status.size(), 2u) << "no other answer, and never a 5xx";
  for (const auto& r : results) {
    if (r.status != 409) continue;
    EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("is booked"), std::string::npos)
        << r.body;
  }

  // The database holds one booking of that chair at that time.
  auto cal = desk.Get("/api/v1/schedule/calendar?from=" + slot["local_date"].get<std::string>() +
                      "&to=" + slot["local_date"].get<std::string>());
  ASSERT_EQ(cal.status, 200) << cal.body;
  int same = 0;
  for (const auto& a : Member(cal, "appointments")) {
    same += a["chair_id"] == slot["chair_id"] && a["start"] == slot["start"];
  }
  EXPECT_EQ(same, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, BookingConcurrencyTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
