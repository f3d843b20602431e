// Faults (issue 22, items 6-9 and 11): a PostgreSQL restart costs the requests caught in it a 503,
// not the server; readiness means a write can commit; a disk below its reserve refuses writes but
// keeps records readable; a damaged SQLite file and a database that could lose acknowledged writes
// are not served; /metrics is not public.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "kclinic/base/crypto.h"
#include "kclinic/http/api.h"
#include "kclinic/store/soci_store.h"
#include "support.h"

namespace kclinic::testing {
namespace {

using ::testing::HasSubstr;

std::string FaultsShell(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// A PostgreSQL cluster of its own (scripts/pg), so that restarting it disturbs no other test.
class FaultsOwnPostgres {
 public:
  FaultsOwnPostgres() {
    dir_ = (std::filesystem::temp_directory_path() / ("kc-pg-" + NewId().substr(0, 8))).string();
    url_ = FaultsShell("bash " KCLINIC_SOURCE_DIR "/scripts/pg start " + dir_);
  }
  ~FaultsOwnPostgres() { FaultsShell("bash " KCLINIC_SOURCE_DIR "/scripts/pg stop " + dir_); }
  const std::string& url() const { return url_; }
  // pg_ctl restart, fast mode: the server ends every session, as an operator's restart does.
  bool Restart() {
    std::string as = ::geteuid() == 0 ? "runuser -u postgres -- " : "";
    return std::system((as + "/usr/lib/postgresql/15/bin/pg_ctl -D " + dir_ +
                        "/data -m fast -w -t 30 restart > /dev/null 2>&1")
                           .c_str()) == 0;
  }

 private:
  std::string dir_, url_;
};

TEST(Faults, APostgresRestartCostsAFewRequestsA503AndNeverTheServer) {
  FaultsOwnPostgres pg;  // a cluster of its own: it needs no KCLINIC_TEST_PG_URL
  ASSERT_THAT(pg.url(), HasSubstr("postgresql://"));
  auto opened = store::OpenStore({pg.url(), 3});
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  auto& store = **opened;
  ASSERT_TRUE(store.Migrate().ok());
  ASSERT_TRUE(store.CheckWritable().ok());
  ASSERT_TRUE(pg.Restart());

  // Every pooled connection was closed by the restart. Each request is answered: ready or 503
  // (Unavailable), never a 500; within seconds every connection works again.
  int unavailable = 0, ok = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (ok < 10 && std::chrono::steady_clock::now() < until) {
    Status s = store.CheckWritable();
    if (s.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.message();
      ++unavailable;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_EQ(ok, 10) << "still failing after 20 s (" << unavailable << " refusals)";
  EXPECT_GE(store.fault_counters().reconnects, 1);
  auto tx = store.Begin(domain::TxMode::kWrite);
  ASSERT_TRUE(tx.ok()) << tx.status().message();
  EXPECT_TRUE((*tx)->Commit().ok());
}

TEST(Faults, AServerOnAPostgresThatCanLoseWritesIsRefusedUnlessTold) {
  // The test cluster runs with fsync and synchronous_commit off (scripts/pg).
  TestDatabase db("postgresql");
  auto store = db.Open(2);
  auto risks = store->DurabilityRisks();
  EXPECT_THAT(::testing::PrintToString(risks), HasSubstr("fsync=off"));
  EXPECT_THAT(::testing::PrintToString(risks), HasSubstr("synchronous_commit=off"));
  auto refused = RunKclinic("serve --db " + db.url() + " --listen 127.0.0.1:0");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("fsync=off"));
  EXPECT_THAT(refused.err, HasSubstr("--allow-unsafe-durability"));
}

TEST(Faults, ADamagedSqliteDatabaseIsNotServedAndDbCheckSaysSo) {
  TempFile file("faults-damaged", "");
  std::string url = "sqlite:" + file.path() + ".db";
  ASSERT_EQ(RunKclinic("migrate --db " + url).exit_code, 0);
  EXPECT_EQ(RunKclinic("db check --db " + url).exit_code, 0);
  {
    // Garbage over the third page and on: the schema's tables and indexes.
    std::fstream f(file.path() + ".db", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(2 * 4096);
    std::string garbage(8 * 4096, '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  auto check = RunKclinic("db check --full --db " + url);
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_THAT(check.out, HasSubstr("DAMAGED"));
  auto serve = RunKclinic("serve --allow-unsafe-durability --listen 127.0.0.1:0 --db " + url);
  EXPECT_EQ(serve.exit_code, 1);
  EXPECT_THAT(serve.err, HasSubstr("damaged"));
  std::filesystem::remove(file.path() + ".db");
}

TEST(Faults, BelowTheDiskReserveWritesAre503ButRecordsStayReadable) {
  TestDatabase db("sqlite");
  db.Open(2).reset();  // the migrated copy of the template
  // A reserve larger than any disk: the disk is "almost full".
  auto opened = store::OpenStore({db.url(), 2, false, uint64_t{1} << 60});
  ASSERT_TRUE(opened.ok());
  auto& store = **opened;
  Status ready = store.CheckWritable();
  EXPECT_EQ(ready.code(), StatusCode::kUnavailable);
  EXPECT_THAT(ready.message(), HasSubstr("almost full"));
  auto write = store.Begin(domain::TxMode::kWrite);
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(store.Begin(domain::TxMode::kRead).ok());
  // The audit trail may use the reserve, so that a read can still be recorded.
  domain::AuditEvent e;
  e.at = SystemClock::Get().Now();
  e.actor_role = "anonymous";
  e.action = "faults.test";
  e.resource = "test";
  e.outcome = "success";
  std::vector<domain::AuditEvent> events{e};
  EXPECT_TRUE(store.AppendAudit(events).ok());
  EXPECT_GE(store.fault_counters().writes_refused_low_disk, 1);

  auto normal = store::OpenStore({db.url(), 2, false, 0});
  ASSERT_TRUE(normal.ok());
  EXPECT_TRUE((*normal)->CheckWritable().ok());
}

TEST(Faults, ReadyzCommitsAWriteAndAReadOnlyDatabaseIsNotReady) {
  TestDatabase db("sqlite");
  TestServer server(db);
  auto ready = server.NewClient().Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json()["status"], "ready");
  // Another connection holds the write lock: no write can commit, and /readyz says so (after
  // its wait) instead of answering ready from a read.
  auto other = store::OpenStore({db.url(), 2});
  ASSERT_TRUE(other.ok());
  auto held = (*other)->Begin(domain::TxMode::kWrite);
  ASSERT_TRUE(held.ok());
  auto blocked = server.NewClient().Get("/readyz");
  EXPECT_EQ(blocked.status, 503);
  EXPECT_EQ(blocked.json()["status"], "database unavailable");
  held->reset();
  EXPECT_EQ(server.NewClient().Get("/readyz").status, 200);
}

TEST(Faults, MetricsAnswerLoopbackOrTheTokenOnly) {
  TestDatabase db("sqlite");
  TestServer server(db, 0);
  EXPECT_EQ(server.NewClient().Get("/metrics").status, 200);  // the test client is on loopback

  http::Request remote;
  remote.method = "GET";
  remote.target = remote.path = "/metrics";
  remote.from_loopback = false;
  EXPECT_EQ(server.api().Handle(remote).status, 403);

  http::Api with_token(server.env(), {"", false, "metrics-token-0123456789"});
  http::Request asked = remote;
  EXPECT_EQ(with_token.Handle(asked).status, 401);
  asked.headers["authorization"] = "Bearer wrong-token-0123456789";
  EXPECT_EQ(with_token.Handle(asked).status, 401);
  asked.headers["authorization"] = "Bearer metrics-token-0123456789";
  auto r = with_token.Handle(asked);
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("kclinic_database_reconnects"));
}

}  // namespace
}  // namespace kclinic::testing
