// The kclinic program as an operator uses it: exit codes, messages that name the problem, and
// `audit verify` catching every kind of tampering on both back ends.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "kclinic/base/crypto.h"
#include "support.h"

namespace kclinic::testing {
namespace {

using ::testing::HasSubstr;

TEST(Cli, VersionAndUsageErrors) {
  auto version = RunKclinic("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("kclinic " KCLINIC_VERSION));
  EXPECT_EQ(RunKclinic("").exit_code, 2);
  EXPECT_EQ(RunKclinic("frobnicate").exit_code, 2);
  auto bad_listen = RunKclinic("serve --db sqlite:/nonexistent/x.db --listen nonsense");
  EXPECT_EQ(bad_listen.exit_code, 2);
  EXPECT_THAT(bad_listen.err, HasSubstr("listen"));
  auto bad_db = RunKclinic("migrate --db mysql://x");
  EXPECT_EQ(bad_db.exit_code, 2);
  EXPECT_THAT(bad_db.err, HasSubstr("db"));
}

// The program's malloc is mimalloc (CMakeLists.txt, docs/dependencies.md). The program checks it
// itself, asking mimalloc whether it owns a block the C library's calloc gave out, so this fails
// if the linker dropped the library or another malloc came first.
TEST(Cli, VersionNamesTheMallocInUse) {
  auto version = RunKclinic("--version");
  EXPECT_EQ(version.exit_code, 0);
#ifdef KCLINIC_MIMALLOC
  EXPECT_THAT(version.out, HasSubstr("(malloc: mimalloc 2."));
#else
  EXPECT_THAT(version.out, HasSubstr("(malloc: glibc)"));
#endif
}

// A SQLite database has one server (it caches patient records and must see every change): a
// second `serve` on the same file stops with a message saying why, while commands that do not
// serve still run beside the first.
TEST(Cli, ASecondServerOnOneSqliteDatabaseIsRefused) {
  TestDatabase db("sqlite");
  TestServer server(db);
  auto second = RunKclinic("serve --db " + db.url() + " --listen 127.0.0.1:0");
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr("another kclinic server is serving this SQLite database"));
  EXPECT_EQ(RunKclinic("audit verify --db " + db.url()).exit_code, 0);
  EXPECT_EQ(server.NewClient().Login("desk.miller", kDemoPassword).status, 200);
}

TEST(Cli, UserAddValidatesEveryFieldAndCreatesALoginThatWorks) {
  TestDatabase db("sqlite");
  std::string base = "user add --db " + db.url();
  auto no_stdin = RunKclinic(base + " --username nurse.kim --role nurse");
  EXPECT_EQ(no_stdin.exit_code, 2);
  EXPECT_THAT(no_stdin.err, HasSubstr("password-stdin"));
  auto bad_role = RunKclinic(base + " --username nurse.kim --role janitor --password-stdin",
                             "a long passphrase\n");
  EXPECT_EQ(bad_role.exit_code, 2);
  EXPECT_THAT(bad_role.err, HasSubstr("role"));
  auto short_password =
      RunKclinic(base + " --username nurse.kim --role nurse --password-stdin", "short\n");
  EXPECT_EQ(short_password.exit_code, 2);
  EXPECT_THAT(short_password.err, HasSubstr("password"));
  auto bad_name = RunKclinic(base + " --username 'Nurse Kim' --role nurse --password-stdin",
                             "a long passphrase\n");
  EXPECT_EQ(bad_name.exit_code, 2);
  EXPECT_THAT(bad_name.err, HasSubstr("username"));
  auto unlinked =
      RunKclinic(base + " --username pat --role patient --password-stdin", "a long passphrase\n");
  EXPECT_EQ(unlinked.exit_code, 2);
  EXPECT_THAT(unlinked.err, HasSubstr("patient_id"));
  auto ok = RunKclinic(base + " --username nurse.kim --role nurse --password-stdin",
                       "a long passphrase\n");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  auto again = RunKclinic(base + " --username nurse.kim --role nurse --password-stdin",
                          "a long passphrase\n");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("taken"));

  TestServer server(db, 0);
  Client c = server.NewClient();
  auto login = c.Login("nurse.kim", "a long passphrase");
  EXPECT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.json()["user"]["role"], "nurse");
}

TEST(Cli, SettingsSetIsValidatedVersionedAndAudited) {
  TestDatabase db("sqlite");
  auto out_of_range =
      RunKclinic("settings set auth.lockout_attempts 1 --reason test --db " + db.url());
  EXPECT_EQ(out_of_range.exit_code, 2);
  EXPECT_THAT(out_of_range.err, HasSubstr("value"));
  auto unknown = RunKclinic("settings set auth.nothing 3 --reason test --db " + db.url());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("key"));
  auto ok =
      RunKclinic("settings set auth.lockout_attempts 7 --reason 'board decision' --db " + db.url());
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("version 1"));
  auto list = RunKclinic("settings list --db " + db.url());
  EXPECT_THAT(list.out, HasSubstr("auth.lockout_attempts = 7"));
  auto store = db.Open();
  auto tx = store->Begin(domain::TxMode::kRead);
  auto events = (*tx)->audit().Recent(10, "").value();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].action, "settings.change");
}

TEST(Cli, SiteTextIsVersionedAndValidated) {
  TestDatabase db("sqlite");
  auto unknown = RunKclinic("settings text motd --value hi --reason test --db " + db.url());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("key"));
  auto empty =
      RunKclinic("settings text crisis_resources --value '' --reason test --db " + db.url());
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_THAT(empty.err, HasSubstr("value"));
  auto first = RunKclinic(
      "settings text crisis_resources --value-stdin --reason 'local line' --db " + db.url(),
      "Call 555-0100 any time.\n");
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("version 1"));
  auto second = RunKclinic(
      "settings text crisis_resources --value 'Call 555-0111.' --reason 'new number' --db " +
      db.url());
  EXPECT_THAT(second.out, HasSubstr("version 2"));
  auto store = db.Open();
  auto tx = store->Begin(domain::TxMode::kRead);
  EXPECT_EQ((*tx)->care().GetText("crisis_resources")->value, "Call 555-0111.");
}

TEST(Cli, UnlockLiftsALockout) {
  TestDatabase db("sqlite");
  {
    // Twenty failures lock the account for everyone (auth.account_lockout_attempts), waiting out
    // the delays and lockouts this one address meets on the way.
    TestServer server(db);
    Client c = server.NewClient();
    for (int failures = 0; failures < 20;) {
      auto r = c.Login("desk.miller", "wrong-password-1");
      if (r.status == 401) {
        ++failures;
        continue;
      }
      ASSERT_EQ(r.status, 429) << r.body;
      server.clock().Advance(std::chrono::seconds(std::stoi(r.headers["retry-after"])));
    }
  }
  {
    // A server that never met this address: the account itself is locked.
    TestServer other(db, 0);
    EXPECT_EQ(other.NewClient().Login("desk.miller", kDemoPassword).status, 429);
  }
  EXPECT_EQ(RunKclinic("user unlock --username nobody --db " + db.url()).exit_code, 2);
  auto unlocked = RunKclinic("user unlock --username desk.miller --db " + db.url());
  EXPECT_EQ(unlocked.exit_code, 0) << unlocked.err;
  TestServer server(db, 0);
  EXPECT_EQ(server.NewClient().Login("desk.miller", kDemoPassword).status, 200);
}

// ---------------------------------------------------------------------------------------------
// audit verify, on both back ends, against each way of altering the trail.

struct Tampering {
  std::string name;
  std::string sqlite_sql, postgres_sql;
  int64_t first_bad_seq;
};

class AuditVerifyCli : public ::testing::TestWithParam<std::string> {};

TEST_P(AuditVerifyCli, NamesTheFirstBadEventForEveryKindOfTampering) {
  const std::string drop_sqlite =
      "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; ";
  const std::string drop_pg = "DROP TRIGGER audit_events_no_change ON audit_events; ";
  const std::vector<Tampering> cases = {
      {"edited", drop_sqlite + "UPDATE audit_events SET detail = 'nothing to see' WHERE seq = 3",
       drop_pg + "UPDATE audit_events SET detail = 'nothing to see' WHERE seq = 3", 3},
      {"deleted", drop_sqlite + "DELETE FROM audit_events WHERE seq = 4",
       drop_pg + "DELETE FROM audit_events WHERE seq = 4", 5},
      {"reordered",
       drop_sqlite +
           "UPDATE audit_events SET seq = -1 WHERE seq = 2; UPDATE audit_events SET seq = 2 "
           "WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = -1",
       drop_pg + "UPDATE audit_events SET seq = -1 WHERE seq = 2; UPDATE audit_events SET seq = 2 "
                 "WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = -1",
       2},
      {"truncated",
       drop_sqlite + "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)",
       drop_pg + "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)", -1},
  };
  for (const Tampering& t : cases) {
    if (t.sqlite_sql.empty()) continue;
    SCOPED_TRACE(t.name);
    TestDatabase db(GetParam());
    int64_t events = 0;
    {
      TestServer server(db);
      Client desk = server.NewClient();
      ASSERT_EQ(desk.Login("desk.miller", kDemoPassword).status, 200);
      desk.Get("/api/v1/patients?limit=3");
      desk.Get("/api/v1/patients/" + server.other_patient_id());
      auto tx = server.store().Begin(domain::TxMode::kRead);
      events = (*tx)->audit().Head().value().first;
    }
    ASSERT_GE(events, 6);
    auto clean = RunKclinic("audit verify --json --db '" + db.url() + "'");
    ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
    auto clean_json = nlohmann::json::parse(clean.out);
    EXPECT_EQ(clean_json["ok"], true);
    EXPECT_EQ(clean_json["events_checked"], events);

    ASSERT_EQ(db.Exec(GetParam() == "sqlite" ? t.sqlite_sql : t.postgres_sql), "");
    auto broken = RunKclinic("audit verify --json --db '" + db.url() + "'");
    EXPECT_EQ(broken.exit_code, 1) << broken.out;
    auto j = nlohmann::json::parse(broken.out);
    EXPECT_EQ(j["ok"], false);
    int64_t expected = t.first_bad_seq > 0 ? t.first_bad_seq : events;
    EXPECT_EQ(j["first_bad_seq"], expected) << j.dump();
    EXPECT_FALSE(j["problem"].get<std::string>().empty());
    auto human = RunKclinic("audit verify --db '" + db.url() + "'");
    EXPECT_THAT(human.out, HasSubstr("BROKEN at event " + std::to_string(expected)));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditVerifyCli,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
