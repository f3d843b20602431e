// The fault suite under load (issue 22, "How we will know"): the real program serving creates
// from three clients is killed with SIGKILL, or stopped with SIGTERM, and started again; the
// clients retry what they did not get an answer to with the same Idempotency-Key. Counted: the
// acknowledged creates that are missing afterwards (must be 0), the records made twice (0), the
// requests that a SIGTERM cut off (0: it drains) and the time to ready again. On SQLite and
// PostgreSQL. The figures go to the test's output (docs/operations.md quotes them).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support.h"

namespace kclinic::testing {
namespace {

using namespace std::chrono;
using nlohmann::json;

uint16_t LoadFreePort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// `kclinic serve` as its own process.
class ServedProgram {
 public:
  ServedProgram(const std::string& db_url, uint16_t port) : db_url_(db_url), port_(port) {}
  ~ServedProgram() {
    if (pid_ > 0) Signal(SIGKILL);
  }
  // Starts the program (after `wrapper`, a shell prefix that ends in "exec ..."; its log to
  // `log`); returns how long until /readyz said ready (or -1 s on a timeout).
  duration<double> Start(const std::string& wrapper = "exec ",
                         const std::string& log = "/dev/null") {
    const auto started = steady_clock::now();
    pid_ = ::fork();
    if (pid_ == 0) {
      // The test databases are on a RAM disk or a cluster without fsync: this suite kills the
      // program, not the machine, so nothing acknowledged may be lost even so.
      std::string cmd = wrapper + std::string(KCLINIC_BINARY) + " serve --db '" + db_url_ +
                        "' --listen 127.0.0.1:" + std::to_string(port_) +
                        " --allow-unsafe-durability --access-log false --drain-seconds 10 "
                        ">/dev/null 2>>" +
                        log;
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    while (steady_clock::now() - started < seconds(30)) {
      try {
        if (Client(port_).Get("/readyz").status == 200) return steady_clock::now() - started;
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
    return duration<double>(-1);
  }
  void Signal(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  std::string db_url_;
  uint16_t port_;
  pid_t pid_ = -1;
};

// A family name of letters only for client `t`'s `i`-th create.
std::string LoadFamily(int t, int i) {
  std::string s = "Loadtest";
  s += static_cast<char>('a' + t);
  for (int n = i, k = 0; k < 4; ++k, n /= 26) s += static_cast<char>('a' + n % 26);
  return s;
}

struct LoadOutcome {
  int acknowledged = 0;
  int lost = 0;         // acknowledged, then missing
  int duplicated = 0;   // made more than once
  int interrupted = 0;  // 409: cut off before the answer was kept
  int unexpected = 0;   // any other answer
  double ready_again_s = -1;
};

LoadOutcome RunLoadAndStop(const std::string& backend, int sig) {
  TestDatabase db(backend);
  { TestServer seed(db, 2); }  // the demo clinic's accounts
  const uint16_t port = LoadFreePort();
  ServedProgram program(db.url(), port);
  EXPECT_GT(program.Start().count(), 0);
  Client desk(port);
  EXPECT_EQ(desk.Login("desk.miller", kDemoPassword).status, 200);

  constexpr int kClients = 3;
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> acknowledged, interrupted;
  std::atomic<int> unexpected{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      Client c(port);
      c.set_cookie(desk.cookie());
      c.set_csrf(desk.csrf());
      for (int i = 0; !stop; ++i) {
        const std::string family = LoadFamily(t, i);
        json body = {{"name", {{"given", "Ada"}, {"family", family}}},
                     {"birth_date", "1980-01-0" + std::to_string(1 + t)},
                     {"sex", "female"},
                     {"height_cm", 160},
                     {"weight", {{"date", "2026-11-20"}, {"kg", 60}}}};
        const std::string key = "load-" + std::to_string(t) + "-" + std::to_string(i);
        // The same request with the same key until it has an answer (the server may be down).
        for (auto deadline = steady_clock::now() + seconds(60); steady_clock::now() < deadline;) {
          HttpResult r;
          try {
            r = c.Send("POST", "/api/v1/patients", body.dump(),
                       {{"Content-Type", "application/json"},
                        {"X-CSRF-Token", c.csrf()},
                        {"Idempotency-Key", key}});
          } catch (const std::exception&) {
            std::this_thread::sleep_for(milliseconds(20));
            continue;
          }
          if (r.status == 503) {
            std::this_thread::sleep_for(milliseconds(20));
            continue;
          }
          std::lock_guard lock(mu);
          if (r.status == 201) {
            acknowledged.push_back(family);
          } else if (r.status == 409) {
            interrupted.push_back(family);
          } else {
            ++unexpected;
            ADD_FAILURE() << r.status << " " << r.body;
          }
          break;
        }
      }
    });
  }
  std::this_thread::sleep_for(milliseconds(1000));
  program.Signal(sig);
  LoadOutcome out;
  out.ready_again_s = program.Start().count();
  std::this_thread::sleep_for(milliseconds(500));
  stop = true;
  for (auto& th : clients) th.join();

  auto count = [&](const std::string& family) {
    return static_cast<int>(Member(desk.Get("/api/v1/patients?q=" + family), "items").size());
  };
  out.acknowledged = static_cast<int>(acknowledged.size());
  for (const auto& f : acknowledged) {
    int n = count(f);
    out.lost += n == 0;
    out.duplicated += n > 1;
  }
  for (const auto& f : interrupted) out.duplicated += count(f) > 1;
  out.interrupted = static_cast<int>(interrupted.size());
  out.unexpected = unexpected;
  std::printf(
      "[ figures  ] %s %s: %d acknowledged, %d lost, %d made twice, %d cut off, ready "
      "again in %.2f s\n",
      backend.c_str(), sig == SIGKILL ? "SIGKILL" : "SIGTERM", out.acknowledged, out.lost,
      out.duplicated, out.interrupted, out.ready_again_s);
  return out;
}

class FaultLoadTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FaultLoadTest, KilledUnderLoadNothingAcknowledgedIsLostAndNothingIsMadeTwice) {
  LoadOutcome out = RunLoadAndStop(GetParam(), SIGKILL);
  EXPECT_GT(out.acknowledged, 10);
  EXPECT_EQ(out.lost, 0);
  EXPECT_EQ(out.duplicated, 0);
  EXPECT_EQ(out.unexpected, 0);
  EXPECT_GT(out.ready_again_s, 0);
  // A request cut off after its key was taken is answered 409 on retry (the client checks),
  // never run twice; there are at most as many as there were clients.
  EXPECT_LE(out.interrupted, 3);
}

TEST_P(FaultLoadTest, StoppedUnderLoadEveryRequestInFlightIsAnswered) {
  LoadOutcome out = RunLoadAndStop(GetParam(), SIGTERM);
  EXPECT_GT(out.acknowledged, 10);
  EXPECT_EQ(out.lost, 0);
  EXPECT_EQ(out.duplicated, 0);
  EXPECT_EQ(out.unexpected, 0);
  EXPECT_EQ(out.interrupted, 0);  // the drain finished and kept every answer
  EXPECT_GT(out.ready_again_s, 0);
}

// The disk fills up under load: a file size limit (RLIMIT_FSIZE, as a full disk answers a write:
// short, then refused) on the program's files, without root to mount a small disk. Every create
// is answered 201 or 503 (never 500) with the cause logged, and once there is room again (the
// program started without the limit) every acknowledged create is there.
TEST(FaultLoad, ADiskFullUnderLoadIs503AndLosesNothingAcknowledged) {
  TestDatabase db("sqlite");
  { TestServer seed(db, 2); }
  const uint16_t port = LoadFreePort();
  TempFile log("fault-disk-full", "");
  ServedProgram program(db.url(), port);
  // SIGXFSZ ignored (inherited across exec): a write past the limit then fails with EFBIG.
  ASSERT_GT(program.Start("trap '' XFSZ; exec prlimit --fsize=524288 ", log.path()).count(), 0);
  Client desk(port);
  ASSERT_EQ(desk.Login("desk.miller", kDemoPassword).status, 200);
  std::vector<std::string> acknowledged;
  int refused = 0, other = 0;
  for (int i = 0; i < 3000 && refused < 20; ++i) {
    const std::string family = LoadFamily(7, i);
    json body = {{"name", {{"given", "Ada"}, {"family", family}}},
                 {"birth_date", "1980-02-01"},
                 {"sex", "female"},
                 {"height_cm", 160},
                 {"weight", {{"date", "2026-11-20"}, {"kg", 60}}}};
    auto r = desk.Post("/api/v1/patients", body);
    if (r.status == 201) {
      acknowledged.push_back(family);
    } else if (r.status == 503) {
      ++refused;
      EXPECT_TRUE(r.headers.contains("retry-after"));
    } else {
      ++other;
      ADD_FAILURE() << r.status << " " << r.body;
    }
  }
  EXPECT_GT(acknowledged.size(), 5u);
  EXPECT_GE(refused, 20) << "the file size limit was never reached";
  EXPECT_EQ(other, 0);
  // (/readyz may still say ready here: its one-row write can fit where a patient's record does
  // not. A real disk is watched through statvfs and the reserve, which a file size limit does
  // not show: Faults.BelowTheDiskReserveWritesAre503ButRecordsStayReadable.)
  program.Signal(SIGTERM);
  std::string logged;
  {
    std::ifstream in(log.path());
    logged.assign(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_THAT(logged, ::testing::HasSubstr("database unavailable"));
  EXPECT_THAT(logged, ::testing::Not(::testing::HasSubstr("Ada")));  // no patient data in the log

  ASSERT_GT(program.Start().count(), 0);  // room again
  int missing = 0;
  for (const auto& f : acknowledged) {
    missing += Member(desk.Get("/api/v1/patients?q=" + f), "items").size() != 1;
  }
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(desk.Post("/api/v1/patients", {{"name", {{"given", "Ada"}, {"family", "Afterwards"}}},
                                           {"birth_date", "1980-02-01"},
                                           {"sex", "female"},
                                           {"height_cm", 160},
                                           {"weight", {{"date", "2026-11-20"}, {"kg", 60}}}})
                .status,
            201);
  std::printf(
      "[ figures  ] sqlite disk full: %zu acknowledged before it filled, %d answered 503, "
      "%d missing afterwards\n",
      acknowledged.size(), refused, missing);
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultLoadTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
