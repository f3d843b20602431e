// The HTTP API end to end: a real server on a loopback port, real databases, a real client.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "kclinic/app/app.h"
#include "kclinic/base/crypto.h"
#include "support.h"

namespace kclinic::testing {
namespace {

using namespace std::chrono;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

const json kNewPatient = {
    {"name", {{"given", "Maren"}, {"family", "Holloway"}}},
    {"birth_date", "1979-06-14"},
    {"sex", "female"},
    {"contact",
     {{"phone", "+1 555 0142"}, {"email", "maren@example.org"}, {"address", "9 Elm Rd"}}},
    {"height_cm", 170},
    {"allergies", {"latex"}},
    {"emergency_contact",
     {{"name", "Ola Holloway"}, {"phone", "+1 555 0143"}, {"relationship", "sister"}}},
    {"escort", {{"name", "Ola Holloway"}, {"phone", "+1 555 0143"}, {"relationship", "sister"}}},
    {"weight", {{"date", "2026-11-20"}, {"kg", 71.5}}},
};

// Each test gets a demo server on SQLite or PostgreSQL (support.h).
using ApiTest = ServerTest;

TEST_P(ApiTest, FrontDeskRegistersFindsAndEditsAPatientThatAPrescriberThenSees) {
  Client desk = LoggedIn("desk.miller");
  auto created = desk.Post("/api/v1/patients", kNewPatient);
  ASSERT_EQ(created.status, 201) << created.body;
  json p = created.json();
  std::string id = p["id"];
  EXPECT_EQ(created.headers["location"], "/api/v1/patients/" + id);
  EXPECT_EQ(p["version"], 1);
  EXPECT_EQ(p["name"]["family"], "Holloway");
  EXPECT_EQ(p["weights"][0]["kg"], 71.5);

  auto found = desk.Get("/api/v1/patients?q=hollo");
  ASSERT_EQ(found.status, 200);
  ASSERT_EQ(found.json()["items"].size(), 1u);
  EXPECT_EQ(found.json()["items"][0]["id"], id);

  auto edited = desk.Patch("/api/v1/patients/" + id,
                           {{"contact", {{"phone", "+1 555 0177"}}},
                            {"escort", {{"name", "Per Holloway"}, {"relationship", "brother"}}},
                            {"reason", "new mobile; brother escorts from now on"}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["version"], 2);
  EXPECT_EQ(edited.json()["contact"]["email"], "maren@example.org");  // untouched field kept

  auto weight =
      desk.Post("/api/v1/patients/" + id + "/weights", {{"date", "2026-11-21"}, {"kg", 70.9}});
  ASSERT_EQ(weight.status, 201) << weight.body;

  Client doctor = LoggedIn("dr.reyes");
  auto seen = doctor.Get("/api/v1/patients/" + id);
  ASSERT_EQ(seen.status, 200);
  json s = seen.json();
  EXPECT_EQ(s["contact"]["phone"], "+1 555 0177");
  EXPECT_EQ(s["escort"]["name"], "Per Holloway");
  EXPECT_EQ(s["escort"]["phone"], "+1 555 0143");
  ASSERT_EQ(s["weights"].size(), 2u);
  EXPECT_EQ(s["weights"][0]["kg"], 70.9);  // newest first

  auto history = doctor.Get("/api/v1/patients/" + id + "/history");
  ASSERT_EQ(history.status, 200);
  json items = history.json()["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1]["changed_by"], "desk.miller");
  EXPECT_EQ(items[1]["reason"], "new mobile; brother escorts from now on");

  // Every read and write of her data is in the trail, attributed.
  std::multiset<std::string> actions;
  for (const auto& e : Audit(id)) actions.insert(e.action + "/" + e.actor_role);
  EXPECT_EQ(actions.count("patient.create/front_desk"), 1u);
  EXPECT_EQ(actions.count("patient.list/front_desk"), 1u);
  EXPECT_EQ(actions.count("patient.update/front_desk"), 1u);
  EXPECT_EQ(actions.count("patient.weight_add/front_desk"), 1u);
  EXPECT_EQ(actions.count("patient.read/prescriber"), 1u);
  EXPECT_EQ(actions.count("patient.history/prescriber"), 1u);
}

TEST_P(ApiTest, PortalPatientSeesOnlyHerself) {
  Client ana = LoggedIn("ana.silva");
  std::string own = server_->ana_id(), other = server_->other_patient_id();
  auto me = ana.Get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["user"]["patient_id"], own);
  EXPECT_EQ(ana.Get("/api/v1/patients/" + own).status, 200);
  EXPECT_EQ(ana.Get("/api/v1/patients/" + own + "/history").status, 200);
  auto denied = ana.Get("/api/v1/patients/" + other);
  EXPECT_EQ(denied.status, 403);
  EXPECT_THAT(denied.body, Not(HasSubstr("given")));  // nothing of the record leaks
  EXPECT_EQ(ana.Get("/api/v1/patients/" + other + "/history").status, 403);
  EXPECT_EQ(ana.Get("/api/v1/patients").status, 403);
  EXPECT_EQ(ana.Patch("/api/v1/patients/" + own, {{"contact", {{"phone", "1234"}}}}).status, 403);
  bool denial_audited = false;
  for (const auto& e : Audit(other)) {
    denial_audited |=
        e.action == "patient.read" && e.outcome == "denied" && e.actor_role == "patient";
  }
  EXPECT_TRUE(denial_audited);
}

// `GET /auth/me` lists the caller's permission codes from the one table in domain/access.cc, so
// the browser app decides what to show from them instead of keeping a copy of the roles.
TEST_P(ApiTest, MeListsTheCallersPermissions) {
  auto permissions = [&](const std::string& user) {
    auto me = LoggedIn(user).Get("/api/v1/auth/me");
    EXPECT_EQ(me.status, 200) << user;
    std::set<std::string> out;
    const nlohmann::json body = me.json();  // kept: a range over a temporary's member dangles
    for (const auto& p : body["permissions"]) out.insert(p.get<std::string>());
    return out;
  };
  std::set<std::string> nurse = permissions("nurse.okafor");
  EXPECT_TRUE(nurse.count("session.write"));
  EXPECT_TRUE(nurse.count("ledger.read"));
  EXPECT_FALSE(nurse.count("settings.read"));
  EXPECT_FALSE(nurse.count("session.sign"));
  EXPECT_FALSE(nurse.count("alert.manage"));
  std::set<std::string> prescriber = permissions("dr.reyes");
  EXPECT_TRUE(prescriber.count("settings.read"));
  EXPECT_TRUE(prescriber.count("session.sign"));
  EXPECT_TRUE(prescriber.count("alert.manage"));
  EXPECT_FALSE(prescriber.count("user.manage"));
  std::set<std::string> patient = permissions("ana.silva");
  EXPECT_TRUE(patient.count("booking.request"));
  EXPECT_FALSE(patient.count("patient.search"));
  EXPECT_FALSE(patient.count("session.read"));
}

// The patient read is tried on the event loop first and, when it needs the database (a record
// not yet in memory, a session to refresh), run again on a worker. Either way each read is
// answered, audited and counted exactly once, and a change is seen by the next read.
TEST_P(ApiTest, PatientReadsFromMemoryOrDatabaseAreAuditedAndCountedOnce) {
  Client nurse = LoggedIn("nurse.okafor");
  std::string id = server_->other_patient_id();
  auto reads_counted = [&] {
    std::string metrics = nurse.Get("/metrics").body;
    std::string key =
        R"(kclinic_http_requests_total{route="GET /api/v1/patients/{id}",status="2xx"} )";
    auto at = metrics.find(key);
    return at == std::string::npos ? 0L : std::stol(metrics.substr(at + key.size()));
  };
  auto fetches = [&] {
    std::string metrics = nurse.Get("/metrics").body;
    std::string key = "\nkclinic_patient_fetches ";
    auto at = metrics.find(key);
    return at == std::string::npos ? -1L : std::stol(metrics.substr(at + key.size()));
  };
  const bool caches = GetParam() == "sqlite";
  // Any request run on a worker loads the session into memory, so the loop can authenticate.
  ASSERT_EQ(nurse.Get("/api/v1/patients?limit=1").status, 200);
  EXPECT_EQ(server_->store().CachedPatient(PatientId(id)), nullptr);
  size_t audited = Audit(id).size();
  long counted = reads_counted();
  long fetched = fetches();
  ASSERT_GE(fetched, 0) << "kclinic_patient_fetches is in /metrics";

  for (int i = 0; i < 3; ++i) {
    auto read = nurse.Get("/api/v1/patients/" + id);
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(read.json()["id"], id);
    EXPECT_EQ(server_->store().CachedPatient(PatientId(id)) != nullptr, caches);
  }
  EXPECT_EQ(Audit(id).size(), audited + 3);
  EXPECT_EQ(reads_counted(), counted + 3);
  // Answered on the loop with a fetched record only the first time (a cache miss); then from
  // the SQLite store's cache, or on PostgreSQL from the record kept with its revision, which the
  // audit append confirmed each time (TwoServers.* makes changes meanwhile).
  EXPECT_EQ(fetches(), fetched + 1);
  EXPECT_EQ(server_->store().RecentPatient(PatientId(id)).record != nullptr, !caches);

  // Past a minute the session's last-seen time is written: the attempt on the loop is refused
  // and the worker's run answers, still once.
  server_->clock().Advance(minutes(2));
  ASSERT_EQ(nurse.Get("/api/v1/patients/" + id).status, 200);
  EXPECT_EQ(Audit(id).size(), audited + 4);
  EXPECT_EQ(reads_counted(), counted + 4);

  Client desk = LoggedIn("desk.miller");
  auto before = nurse.Get("/api/v1/patients/" + id).json();
  auto edited = desk.Patch("/api/v1/patients/" + id,
                           {{"allergies", {"latex", "sulfa"}}, {"reason", "reported at intake"}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  auto after = nurse.Get("/api/v1/patients/" + id).json();
  EXPECT_EQ(after["version"], before["version"].get<int>() + 1);
  EXPECT_EQ(after["allergies"], json({"latex", "sulfa"}));
  auto weighed =
      desk.Post("/api/v1/patients/" + id + "/weights", {{"date", "2026-11-21"}, {"kg", 63.4}});
  ASSERT_EQ(weighed.status, 201) << weighed.body;
  EXPECT_EQ(nurse.Get("/api/v1/patients/" + id).json()["weights"][0]["kg"], 63.4);

  // A missing record is audited as a failed read, from the loop or not.
  std::string missing = NewId();
  EXPECT_EQ(nurse.Get("/api/v1/patients/" + missing).status, 404);
  EXPECT_EQ(Audit(missing).size(), 1u);
}

TEST_P(ApiTest, EveryReadIsAuditedBeforeTheAnswer) {
  Client nurse = LoggedIn("nurse.okafor");
  std::string id = server_->other_patient_id();
  size_t before = Audit(id).size();
  ASSERT_EQ(nurse.Get("/api/v1/patients/" + id).status, 200);
  auto after = Audit(id);
  ASSERT_EQ(after.size(), before + 1);
  EXPECT_EQ(after[0].action, "patient.read");
  EXPECT_EQ(after[0].outcome, "success");
  EXPECT_EQ(after[0].actor_role, "nurse");
  // A page of search results audits each patient listed.
  auto all_before = Audit().size();
  auto page = nurse.Get("/api/v1/patients?limit=5");
  ASSERT_EQ(page.json()["items"].size(), 5u);
  EXPECT_EQ(Audit().size(), all_before + 5);
}

// Every audit batch is timed: an answer waits for its batch to be durable, so a slow disk shows
// in kclinic_audit_commit_duration_seconds before anywhere else (docs/operations.md).
TEST_P(ApiTest, EveryAuditBatchIsTimedInMetrics) {
  Client nurse = LoggedIn("nurse.okafor");
  auto scrape = [&] {
    server_->api().audit_writer().Drain();
    std::map<std::string, double> values;
    std::istringstream lines(nurse.Get("/metrics").body);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line[0] == '#') continue;
      auto space = line.rfind(' ');
      values[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return values;
  };
  const std::string h = "kclinic_audit_commit_duration_seconds";
  auto before = scrape();
  ASSERT_TRUE(before.count(h + "_count")) << "the histogram is in /metrics";
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(nurse.Get("/api/v1/patients/" + server_->other_patient_id()).status, 200);
  }
  auto after = scrape();
  const double batches = after["kclinic_audit_batches_committed"];
  EXPECT_GE(batches, before["kclinic_audit_batches_committed"] + 1);
  // One sample per batch (none failed here), every one in a bucket, and some time taken.
  EXPECT_EQ(after[h + "_count"], batches);
  EXPECT_EQ(after[h + "_bucket{le=\"+Inf\"}"], batches);
  EXPECT_GT(after[h + "_sum"], before[h + "_sum"]);
  double previous = 0;
  for (const char* le : {"0.0001", "0.001", "0.01", "0.1", "1", "10", "+Inf"}) {
    const std::string bucket = h + "_bucket{le=\"" + le + "\"}";
    ASSERT_TRUE(after.count(bucket)) << bucket;
    EXPECT_GE(after[bucket], previous) << "cumulative at " << le;
    previous = after[bucket];
  }
}

TEST_P(ApiTest, PaginationWalksTheWholeListWithOpaqueCursors) {
  Client desk = LoggedIn("desk.miller");
  std::set<std::string> ids;
  std::string cursor;
  int pages = 0;
  for (;;) {
    auto r = desk.Get("/api/v1/patients?limit=5" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    json page = r.json();
    for (auto& p : page["items"]) EXPECT_TRUE(ids.insert(p["id"]).second);
    ++pages;
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"];
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(ids.size(), 12u);
  EXPECT_EQ(pages, 3);
}

TEST_P(ApiTest, StateChangesNeedTheCsrfToken) {
  Client desk = LoggedIn("desk.miller");
  std::string body = kNewPatient.dump();
  auto without =
      desk.Send("POST", "/api/v1/patients", body, {{"Content-Type", "application/json"}});
  EXPECT_EQ(without.status, 403);
  EXPECT_EQ(without.json()["error"]["field"], "X-CSRF-Token");
  auto wrong = desk.Send("POST", "/api/v1/patients", body,
                         {{"Content-Type", "application/json"}, {"X-CSRF-Token", "forged"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(desk.Post("/api/v1/patients", kNewPatient).status, 201);
}

TEST_P(ApiTest, SessionCookieIsHttpOnlyStrictAndTheTokenIsNeverInTheBody) {
  Client c = server_->NewClient();
  auto r = c.Login("dr.reyes", kDemoPassword);
  ASSERT_EQ(r.status, 200);
  const std::string& cookie = r.headers["set-cookie"];
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(cookie, HasSubstr("Path=/"));
  EXPECT_THAT(r.body, Not(HasSubstr(c.cookie())));
  EXPECT_EQ(r.json()["user"]["role"], "prescriber");
}

TEST_P(ApiTest, LogoutEndsTheSession) {
  Client c = LoggedIn("nurse.okafor");
  std::string old = c.cookie();
  auto out = c.Post("/api/v1/auth/logout", json::object());
  EXPECT_EQ(out.status, 204);
  EXPECT_THAT(out.headers["set-cookie"], HasSubstr("Max-Age=0"));
  c.set_cookie(old);
  EXPECT_EQ(c.Get("/api/v1/auth/me").status, 401);
}

// NIST SP 800-63B §5.2.2: from the third consecutive failure an address waits before its next
// try (1 s, then 2 s: 429 with Retry-After, nothing checked), and the fifth locks it out of the
// username for 15 minutes.
TEST_P(ApiTest, FailedLoginsFromOneAddressAreDelayedThenLockedOutForFifteenMinutes) {
  Client c = server_->NewClient();
  int failures = 0;  // audited failures
  for (int i = 0; i < 3; ++i, ++failures) {
    auto r = c.Login("nurse.okafor", "wrong-password-123");
    EXPECT_EQ(r.status, 401) << i;
    EXPECT_EQ(r.json()["error"]["code"], "unauthenticated");
  }
  for (int wait : {1, 2}) {
    auto early = c.Login("nurse.okafor", kDemoPassword);  // even the right password waits
    ++failures;
    EXPECT_EQ(early.status, 429) << early.body;
    EXPECT_EQ(early.headers["retry-after"], std::to_string(wait));
    EXPECT_THAT(early.json()["error"]["message"].get<std::string>(), HasSubstr("wait"));
    server_->clock().Advance(seconds(wait));
    EXPECT_EQ(c.Login("nurse.okafor", "wrong-password-123").status, 401);
    ++failures;
  }
  auto locked = c.Login("nurse.okafor", kDemoPassword);
  ++failures;
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_THAT(locked.json()["error"]["message"].get<std::string>(), HasSubstr("locked"));
  EXPECT_GE(std::stoi(locked.headers["retry-after"]), 14 * 60);
  server_->clock().Advance(minutes(14));
  EXPECT_EQ(c.Login("nurse.okafor", kDemoPassword).status, 429);
  ++failures;
  server_->clock().Advance(minutes(2));
  EXPECT_EQ(c.Login("nurse.okafor", kDemoPassword).status, 200);
  // Unknown usernames answer exactly like wrong passwords.
  auto unknown = c.Login("nobody.here", kDemoPassword);
  ++failures;
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.json()["error"]["message"], "wrong username or password");
  int audited = 0;
  for (const auto& e : Audit()) audited += e.action == "auth.login" && e.outcome == "failure";
  EXPECT_EQ(audited, failures);
}

// Before: six bad logins ended in 429 "account locked" for an existing user and in 401 forever
// for a made-up one, which told which usernames exist. Delays and locks included, the answers
// are the same.
TEST_P(ApiTest, AnUnknownUsernameLocksLikeAKnownOne) {
  Client c = server_->NewClient();
  auto answers = [&](const std::string& username) {
    std::vector<std::tuple<int, std::string, std::string>> out;
    for (int i = 0; i < 8; ++i) {
      auto r = c.Login(username, "wrong-password-123");
      out.emplace_back(r.status, r.json()["error"]["message"].get<std::string>(),
                       r.headers["retry-after"]);
      // Wait out a short delay, not a lockout.
      if (r.status == 429 && std::stoi(r.headers["retry-after"]) < 60) {
        server_->clock().Advance(seconds(std::stoi(r.headers["retry-after"])));
      }
    }
    return out;
  };
  auto known = answers("nurse.okafor");
  auto unknown = answers("nurse.nobody");
  EXPECT_EQ(known, unknown);
  EXPECT_EQ(std::get<0>(known[2]), 401);
  EXPECT_EQ(std::get<0>(known[3]), 429);  // the third failure's delay
  EXPECT_THAT(std::get<1>(known.back()), HasSubstr("locked"));
  // Both locks run out together.
  server_->clock().Advance(minutes(16));
  EXPECT_EQ(c.Login("nurse.nobody", "wrong-password-123").status, 401);
  EXPECT_EQ(c.Login("nurse.okafor", kDemoPassword).status, 200);
}

TEST_P(ApiTest, IdleAndAbsoluteSessionExpiry) {
  Client c = LoggedIn("desk.miller");
  server_->clock().Advance(minutes(14));
  EXPECT_EQ(c.Get("/api/v1/auth/me").status, 200);
  server_->clock().Advance(minutes(14));  // 28 min since login, 14 since last use
  EXPECT_EQ(c.Get("/api/v1/auth/me").status, 200);
  server_->clock().Advance(minutes(16));
  auto expired = c.Get("/api/v1/auth/me");
  EXPECT_EQ(expired.status, 401);
  EXPECT_THAT(expired.json()["error"]["message"].get<std::string>(), HasSubstr("expired"));

  Client busy = LoggedIn("desk.miller");
  for (int i = 0; i < 12 * 6 - 1; ++i) {
    server_->clock().Advance(minutes(10));
    ASSERT_EQ(busy.Get("/api/v1/auth/me").status, 200) << "after " << (i + 1) * 10 << " min";
  }
  server_->clock().Advance(minutes(11));  // past 12 h of continuous use
  EXPECT_EQ(busy.Get("/api/v1/auth/me").status, 401);
}

TEST_P(ApiTest, IdleTimeoutIsASiteSetting) {
  {
    auto tx = server_->store().Begin(domain::TxMode::kWrite);
    ASSERT_TRUE((*tx)
                    ->settings()
                    .Set(domain::kSessionIdleMinutes, 5,
                         {server_->clock().Now(), "admin", "shared workstation"})
                    .ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  server_->settings().Invalidate();
  Client c = LoggedIn("desk.miller");
  server_->clock().Advance(minutes(6));
  EXPECT_EQ(c.Get("/api/v1/auth/me").status, 401);
  Client admin = LoggedIn("admin");
  auto settings = admin.Get("/api/v1/settings");
  ASSERT_EQ(settings.status, 200);
  EXPECT_EQ(settings.json()["version"], 1);
  bool found = false;
  json body = settings.json();
  for (auto& s : body["items"]) {
    if (s["key"] == "session.idle_timeout_minutes") {
      found = true;
      EXPECT_EQ(s["value"], 5);
      EXPECT_THAT(s["citation"].get<std::string>(), HasSubstr("164.312"));
    }
  }
  EXPECT_TRUE(found);
}

TEST_P(ApiTest, TotpSecondFactorEnrolsAndIsRequiredAtLogin) {
  Client c = LoggedIn("dr.reyes");
  auto enrol = c.Post("/api/v1/auth/totp/enroll", {{"password", kDemoPassword}});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  std::string secret = enrol.json()["secret"];
  EXPECT_THAT(enrol.json()["otpauth_uri"].get<std::string>(), HasSubstr("secret=" + secret));
  auto wrong = c.Post("/api/v1/auth/totp/confirm", {{"code", "000000"}});
  if (app::TotpNow(secret, server_->clock().Now()).value() != "000000") {
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(wrong.json()["error"]["field"], "code");
  }
  std::string code = app::TotpNow(secret, server_->clock().Now()).value();
  ASSERT_EQ(c.Post("/api/v1/auth/totp/confirm", {{"code", code}}).status, 204);
  EXPECT_EQ(c.Get("/api/v1/auth/me").json()["user"]["totp_enabled"], true);

  Client again = server_->NewClient();
  // The enrolment code cannot be replayed to log in.
  auto replayed = again.Login("dr.reyes", kDemoPassword, code);
  EXPECT_EQ(replayed.status, 401);
  EXPECT_EQ(replayed.json()["error"]["field"], "totp");
  auto needs = again.Login("dr.reyes", kDemoPassword);
  EXPECT_EQ(needs.status, 401);
  EXPECT_EQ(needs.json()["error"]["field"], "totp");
  server_->clock().Advance(seconds(95));  // the old code is now more than one step old
  auto stale = again.Login("dr.reyes", kDemoPassword, code);
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(stale.json()["error"]["field"], "totp");
  std::string fresh = app::TotpNow(secret, server_->clock().Now()).value();
  EXPECT_EQ(again.Login("dr.reyes", kDemoPassword, fresh).status, 200);
  // ... and a code that logged in once does not log in again.
  EXPECT_EQ(server_->NewClient().Login("dr.reyes", kDemoPassword, fresh).status, 401);
  // A wrong password with a right code is still a wrong password.
  EXPECT_EQ(server_->NewClient().Login("dr.reyes", "not-the-password", fresh).status, 401);
}

TEST_P(ApiTest, ConcurrentAuditedReadsAllSucceedAndKeepTheChain) {
  Client doctor = LoggedIn("dr.reyes");
  std::string id = server_->other_patient_id();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      Client c = server_->NewClient();
      c.set_cookie(doctor.cookie());
      for (int i = 0; i < 20; ++i) ok += c.Get("/api/v1/patients/" + id).status == 200;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 120);
  auto verified = app::VerifyAuditTrail(server_->store());
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->first_bad_seq.has_value()) << verified->problem;
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

// ---------------------------------------------------------------------------------------------
// Bad input: a clear 4xx naming the problem, nothing stored changes, the server stays up.

struct BadRequest {
  std::string name, method, target, body, content_type;
  int status;
  std::string code, field;
};

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new TestDatabase("sqlite");
    server_ = new TestServer(*db_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete db_;
  }
  static TestDatabase* db_;
  static TestServer* server_;
};
TestDatabase* BadInputTest::db_ = nullptr;
TestServer* BadInputTest::server_ = nullptr;

TEST_F(BadInputTest, EveryBadRequestNamesTheProblemAndChangesNothing) {
  Client desk = server_->NewClient();
  ASSERT_EQ(desk.Login("desk.miller", kDemoPassword).status, 200);
  std::string id = server_->other_patient_id();
  std::string before = desk.Get("/api/v1/patients/" + id).body;
  std::string list_before = desk.Get("/api/v1/patients?limit=100").body;
  json ok = kNewPatient;
  auto with = [&](const std::string& key, json value) {
    json j = ok;
    j[key] = std::move(value);
    return j.dump();
  };
  const std::string json_type = "application/json";
  const std::string pts = "/api/v1/patients";
  std::vector<BadRequest> cases = {
      {"malformed json", "POST", pts, "{\"name\":", json_type, 400, "invalid_argument", "body"},
      {"not an object", "POST", pts, "[1,2]", json_type, 400, "invalid_argument", "body"},
      {"empty body", "POST", pts, "", json_type, 400, "invalid_argument", "body"},
      {"wrong type", "POST", pts, with("name", {{"given", 7}, {"family", "X"}}), json_type, 400,
       "invalid_argument", "name.given"},
      {"unknown field", "POST", pts, with("shoe_size", 41), json_type, 400, "invalid_argument",
       "shoe_size"},
      {"unknown nested field", "POST", pts, with("escort", {{"nickname", "x"}}), json_type, 400,
       "invalid_argument", "escort.nickname"},
      {"missing family", "POST", pts, with("name", {{"given", "Solo"}}), json_type, 400,
       "invalid_argument", "name.family"},
      {"blank family", "POST", pts, with("name", {{"given", "A"}, {"family", "   "}}), json_type,
       400, "invalid_argument", "name.family"},
      {"impossible date", "POST", pts, with("birth_date", "1990-02-30"), json_type, 400,
       "invalid_argument", "birth_date"},
      {"future birth", "POST", pts, with("birth_date", "2030-01-01"), json_type, 400,
       "invalid_argument", "birth_date"},
      {"bad sex", "POST", pts, with("sex", "f"), json_type, 400, "invalid_argument", "sex"},
      {"absurd height", "POST", pts, with("height_cm", 1700), json_type, 400, "invalid_argument",
       "height_cm"},
      {"absurd weight", "POST", pts, with("weight", {{"date", "2026-11-01"}, {"kg", -3}}),
       json_type, 400, "invalid_argument", "weight.kg"},
      {"bad email", "POST", pts, with("contact", {{"email", "nope"}}), json_type, 400,
       "invalid_argument", "contact.email"},
      {"bad phone", "POST", pts, with("contact", {{"phone", "call me"}}), json_type, 400,
       "invalid_argument", "contact.phone"},
      {"allergy not string", "POST", pts, with("allergies", {"latex", 3}), json_type, 400,
       "invalid_argument", "allergies.1"},
      {"duplicate key", "POST", pts,
       R"({"name":{"given":"A","family":"B"},"birth_date":"1990-01-01","name":{"given":"C","family":"D"}})",
       json_type, 400, "invalid_argument", "name"},
      {"not json content type", "POST", pts, ok.dump(), "text/plain", 415, "unsupported_media_type",
       "Content-Type"},
      {"body over 1 MiB", "POST", pts, std::string(1100000, ' '), json_type, 413,
       "payload_too_large", "body"},
      {"patch unknown field", "PATCH", pts + "/" + id, R"({"id":"x"})", json_type, 400,
       "invalid_argument", "id"},
      {"patch bad nested type", "PATCH", pts + "/" + id, R"({"contact":"phone"})", json_type, 400,
       "invalid_argument", "contact"},
      {"patch clears family", "PATCH", pts + "/" + id, R"({"name":{"family":""}})", json_type, 400,
       "invalid_argument", "name.family"},
      {"weight in future", "POST", pts + "/" + id + "/weights", R"({"date":"2031-01-01","kg":70})",
       json_type, 400, "invalid_argument", "date"},
      {"weight too light", "POST", pts + "/" + id + "/weights", R"({"date":"2026-01-01","kg":0.1})",
       json_type, 400, "invalid_argument", "kg"},
      {"weight missing kg", "POST", pts + "/" + id + "/weights", R"({"date":"2026-01-01"})",
       json_type, 400, "invalid_argument", "kg"},
      {"bad id", "GET", pts + "/not-an-id", "", "", 400, "invalid_argument", "id"},
      {"bad id patch", "PATCH", pts + "/ZZZ", R"({"sex":"male"})", json_type, 400,
       "invalid_argument", "id"},
      {"unknown id", "GET", pts + "/" + NewId(), "", "", 404, "not_found", ""},
      {"limit zero", "GET", pts + "?limit=0", "", "", 400, "invalid_argument", "limit"},
      {"limit text", "GET", pts + "?limit=ten", "", "", 400, "invalid_argument", "limit"},
      {"limit huge", "GET", pts + "?limit=99999999999", "", "", 400, "invalid_argument", "limit"},
      {"unknown query", "GET", pts + "?sort=name", "", "", 400, "invalid_argument", "sort"},
      {"repeated query", "GET", pts + "?q=a&q=b", "", "", 400, "invalid_argument", "query"},
      {"bad escape", "GET", pts + "?q=%zz", "", "", 400, "invalid_argument", "query"},
      {"bad cursor", "GET", pts + "?cursor=abc", "", "", 400, "invalid_argument", "cursor"},
      {"stale cursor", "GET", pts + "?cursor=" + NewId(), "", "", 400, "invalid_argument",
       "cursor"},
      {"unknown route", "GET", "/api/v1/nothing", "", "", 404, "not_found", ""},
      {"wrong method", "DELETE", pts + "/" + id, "", "", 405, "method_not_allowed", ""},
      {"trailing slash", "GET", pts + "/", "", "", 404, "not_found", ""},
  };
  for (const BadRequest& c : cases) {
    std::map<std::string, std::string> headers = {{"X-CSRF-Token", desk.csrf()}};
    if (!c.content_type.empty()) headers["Content-Type"] = c.content_type;
    auto r = desk.Send(c.method, c.target, c.body, headers);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    json j = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << c.name << ": " << r.body;
    EXPECT_EQ(j["error"]["code"], c.code) << c.name;
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty()) << c.name;
    if (!c.field.empty()) {
      EXPECT_EQ(j["error"].value("field", ""), c.field) << c.name;
    }
  }
  auto wrong_method = desk.Send("DELETE", pts + "/" + id);
  EXPECT_EQ(wrong_method.headers["allow"], "GET, PATCH");

  // Raw malformed HTTP is answered, not crashed on.
  {
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    asio::write(s, asio::buffer(std::string("THIS IS NOT HTTP\r\n\r\n")));
    std::string reply(1024, '\0');
    boost::system::error_code ec;
    size_t n = s.read_some(asio::buffer(reply), ec);
    EXPECT_THAT(reply.substr(0, n), HasSubstr("400"));
  }

  // Nothing stored changed, and the server still answers.
  EXPECT_EQ(desk.Get("/api/v1/patients/" + id).body, before);
  EXPECT_EQ(desk.Get("/api/v1/patients?limit=100").body, list_before);
  EXPECT_EQ(desk.Get("/healthz").status, 200);
}

// ---------------------------------------------------------------------------------------------
// Every route x role combination, against an expected table written out here independently of
// the permission table in the code.

struct Expectation {
  std::string method, pattern;
  std::set<std::string> allowed;  // roles; "public" means no session needed
};

const std::set<std::string> kStaff = {"admin", "prescriber", "nurse", "front_desk"};
const std::set<std::string> kEveryone = {"admin", "prescriber", "nurse", "front_desk", "patient"};

const std::vector<Expectation> kExpected = {
    {"GET", "/healthz", {"public"}},
    {"GET", "/readyz", {"public"}},
    {"GET", "/metrics", {"public"}},
    {"GET", "/api/v1/openapi.json", {"public"}},
    {"POST", "/api/v1/auth/login", {"public"}},
    {"GET", "/api/v1/auth/me", kEveryone},
    {"POST", "/api/v1/auth/totp/enroll", kEveryone},
    {"POST", "/api/v1/auth/totp/confirm", kEveryone},
    {"GET", "/api/v1/patients", kStaff},
    {"POST", "/api/v1/patients", {"admin", "prescriber", "front_desk"}},
    {"GET", "/api/v1/patients/{id}", kEveryone},
    {"PATCH", "/api/v1/patients/{id}", kStaff},
    {"POST", "/api/v1/patients/{id}/weights", kStaff},
    {"GET", "/api/v1/patients/{id}/history", kEveryone},
    {"GET", "/api/v1/users", {"admin"}},
    {"POST", "/api/v1/users", {"admin"}},
    {"GET", "/api/v1/audit", {"admin"}},
    {"GET", "/api/v1/settings", {"admin", "prescriber"}},
    // Measurement-based care.
    {"GET", "/api/v1/instruments", kEveryone},
    {"POST", "/api/v1/patients/{id}/assessments", {"prescriber", "nurse", "patient"}},
    {"GET", "/api/v1/patients/{id}/outcomes", {"prescriber", "nurse", "patient"}},
    {"GET", "/api/v1/patients/{id}/questionnaires", {"prescriber", "nurse", "patient"}},
    {"GET", "/api/v1/questionnaires/overdue", {"prescriber", "nurse", "front_desk"}},
    {"GET", "/api/v1/alerts", {"prescriber"}},
    {"POST", "/api/v1/alerts/{alert_id}/acknowledge", {"prescriber"}},
    {"POST", "/api/v1/patients/{id}/courses", {"prescriber", "nurse"}},
    {"PATCH", "/api/v1/courses/{course_id}", {"prescriber", "nurse"}},
    {"POST", "/api/v1/courses/{course_id}/sessions", {"prescriber", "nurse"}},
    {"GET", "/api/v1/site/crisis-resources", kEveryone},
    // Screening and dosing.
    {"GET", "/api/v1/screening/vocabulary", {"prescriber", "nurse"}},
    {"POST", "/api/v1/patients/{id}/intakes", {"prescriber"}},
    {"GET", "/api/v1/patients/{id}/screening", {"prescriber", "nurse"}},
    {"POST", "/api/v1/patients/{id}/screening/decisions", {"prescriber"}},
    {"POST", "/api/v1/patients/{id}/infusion-plans/preview", {"prescriber"}},
    {"POST", "/api/v1/patients/{id}/infusion-plans", {"prescriber"}},
    {"GET", "/api/v1/patients/{id}/titration", {"prescriber", "nurse"}},
    // Booking (issue 6).
    {"GET", "/api/v1/schedule/resources", {"prescriber", "nurse", "front_desk"}},
    {"PUT", "/api/v1/schedule/hours", {"admin"}},
    {"POST", "/api/v1/schedule/holidays", {"admin"}},
    {"POST", "/api/v1/schedule/chairs", {"admin"}},
    {"POST", "/api/v1/schedule/shifts", {"admin"}},
    {"PUT", "/api/v1/schedule/staff/{username}/qualifications", {"admin"}},
    {"POST", "/api/v1/schedule/protocols", {"admin"}},
    {"GET", "/api/v1/schedule/calendar", {"prescriber", "nurse", "front_desk"}},
    {"POST", "/api/v1/patients/{id}/series/proposal", {"prescriber", "nurse", "front_desk"}},
    {"POST", "/api/v1/patients/{id}/series", {"prescriber", "nurse", "front_desk"}},
    {"POST", "/api/v1/patients/{id}/appointments", {"prescriber", "nurse", "front_desk"}},
    {"GET", "/api/v1/patients/{id}/appointments", {"prescriber", "nurse", "front_desk"}},
    {"GET", "/api/v1/portal/appointments", {"patient"}},
    {"POST", "/api/v1/appointments/{appointment_id}/cancel", {"prescriber", "nurse", "front_desk"}},
    {"POST", "/api/v1/appointments/{appointment_id}/move", {"prescriber", "nurse", "front_desk"}},
    {"GET",
     "/api/v1/appointments/{appointment_id}/next-free",
     {"prescriber", "nurse", "front_desk"}},
    {"POST", "/api/v1/patients/{id}/booking-requests", {"patient"}},
    {"GET", "/api/v1/portal/booking-requests", {"patient"}},
    {"GET", "/api/v1/booking-requests", {"prescriber", "nurse", "front_desk"}},
    {"POST", "/api/v1/booking-requests/{request_id}/accept", {"prescriber", "nurse", "front_desk"}},
    {"POST",
     "/api/v1/booking-requests/{request_id}/propose",
     {"prescriber", "nurse", "front_desk"}},
    {"POST", "/api/v1/portal/booking-requests/{request_id}/respond", {"patient"}},
    // Not the front desk (review_task.read): a task's reason quotes rating-scale results.
    {"GET", "/api/v1/review-tasks", {"prescriber", "nurse"}},
    {"POST", "/api/v1/review-tasks/{task_id}/complete", {"prescriber"}},
    {"GET", "/api/v1/patients/{id}/booster-proposal", {"prescriber", "nurse", "front_desk"}},
    {"POST", "/api/v1/patients/{id}/booster-decisions", {"prescriber"}},
    {"GET", "/api/v1/worklists/today", {"prescriber", "nurse", "front_desk"}},
    {"GET", "/api/v1/schedule/utilisation", {"admin", "prescriber"}},
    // The controlled-substance ledger (issue 5).
    {"GET", "/api/v1/ledger/lots", {"admin", "prescriber", "nurse"}},
    {"POST", "/api/v1/ledger/receipts", {"admin", "prescriber"}},
    {"GET", "/api/v1/ledger/lots/{lot_id}", {"admin", "prescriber", "nurse"}},
    {"POST", "/api/v1/ledger/counts", {"admin", "prescriber"}},
    {"POST", "/api/v1/ledger/adjustments", {"admin", "prescriber"}},
    {"POST", "/api/v1/ledger/transfers", {"admin", "prescriber"}},
    {"GET", "/api/v1/ledger/discrepancies", {"admin", "prescriber", "nurse"}},
    {"POST", "/api/v1/ledger/discrepancies/{discrepancy_id}/resolve", {"admin", "prescriber"}},
    {"GET", "/api/v1/ledger/report", {"admin", "prescriber", "nurse"}},
    {"GET", "/api/v1/ledger/inventory", {"admin", "prescriber"}},
    // Infusion and esketamine sessions, REMS forms (issue 5).
    {"GET", "/api/v1/infusion-sessions", {"prescriber", "nurse"}},
    {"POST", "/api/v1/patients/{id}/infusion-sessions", {"prescriber", "nurse"}},
    {"GET", "/api/v1/infusion-sessions/{session_id}", {"prescriber", "nurse"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/transitions", {"prescriber", "nurse"}},
    {"PUT", "/api/v1/infusion-sessions/{session_id}/prechecks", {"prescriber", "nurse"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/override", {"prescriber"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/rate", {"prescriber", "nurse"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/vitals", {"prescriber", "nurse"}},
    {"POST",
     "/api/v1/infusion-sessions/{session_id}/alerts/{alert_id}/action",
     {"prescriber", "nurse"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/side-effects", {"prescriber", "nurse"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/scores", {"prescriber", "nurse"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/draws", {"prescriber", "nurse"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/waste", {"prescriber", "nurse"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/devices", {"prescriber", "nurse"}},
    {"PUT", "/api/v1/infusion-sessions/{session_id}/discharge", {"prescriber", "nurse"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/sign", {"prescriber"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/addenda", {"prescriber", "nurse"}},
    {"PUT", "/api/v1/infusion-sessions/{session_id}/rems", {"prescriber", "nurse"}},
    {"POST", "/api/v1/infusion-sessions/{session_id}/rems/complete", {"prescriber", "nurse"}},
    {"GET", "/api/v1/rems/pending", {"prescriber", "nurse"}},
    {"POST", "/api/v1/auth/logout", kEveryone},  // last: it ends the session
};

TEST(RouteAccess, EveryRouteAndRoleIsAllowedOrDeniedAsExpected) {
  TestDatabase db("sqlite");
  TestServer server(db);
  // The table above covers exactly the routes the server has.
  std::set<std::string> served, expected;
  for (const auto& r : server.api().router().routes()) served.insert(r.method + " " + r.pattern);
  for (const auto& e : kExpected) expected.insert(e.method + " " + e.pattern);
  ASSERT_EQ(served, expected) << "add the new route to kExpected with the roles it allows";

  const std::map<std::string, std::string> users = {{"admin", "admin"},
                                                    {"prescriber", "dr.reyes"},
                                                    {"nurse", "nurse.okafor"},
                                                    {"front_desk", "desk.miller"},
                                                    {"patient", "ana.silva"}};
  const std::string ana = server.ana_id();
  for (const auto& [role, username] : users) {
    Client c = server.NewClient();
    ASSERT_EQ(c.Login(username, kDemoPassword).status, 200);
    for (const auto& e : kExpected) {
      std::string target = e.pattern;
      if (auto pos = target.find("{id}"); pos != std::string::npos) target.replace(pos, 4, ana);
      auto r = c.Send(e.method, target, e.method == "GET" ? "" : "{}",
                      {{"Content-Type", "application/json"}, {"X-CSRF-Token", c.csrf()}});
      bool allowed = e.allowed.count("public") || e.allowed.count(role);
      if (allowed) {
        EXPECT_NE(r.status, 403) << role << " " << e.method << " " << e.pattern << ": " << r.body;
        EXPECT_NE(r.status, 401) << role << " " << e.method << " " << e.pattern;
        EXPECT_LT(r.status, 500) << role << " " << e.method << " " << e.pattern << ": " << r.body;
      } else {
        EXPECT_EQ(r.status, 403) << role << " " << e.method << " " << e.pattern << ": " << r.body;
      }
    }
  }
  // Without a session, every non-public route answers 401, and the refusal is audited.
  Client anonymous = server.NewClient();
  for (const auto& e : kExpected) {
    if (e.allowed.count("public")) continue;
    std::string target = e.pattern;
    if (auto pos = target.find("{id}"); pos != std::string::npos) target.replace(pos, 4, ana);
    EXPECT_EQ(anonymous.Send(e.method, target, "{}", {{"Content-Type", "application/json"}}).status,
              401)
        << e.method << " " << e.pattern;
  }
  auto tx = server.store().Begin(domain::TxMode::kRead);
  int anonymous_denials = 0;
  for (const auto& ev : (*tx)->audit().Recent(1000, "").value()) {
    anonymous_denials += ev.actor_role == "anonymous" && ev.outcome == "denied";
  }
  int non_public = 0;
  for (const auto& e : kExpected) non_public += !e.allowed.count("public");
  EXPECT_EQ(anonymous_denials, non_public);
}

// ---------------------------------------------------------------------------------------------
// Logs never carry patient data.

TEST(Logging, AccessLogHasRoutesButNoPatientData) {
  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  {
    TestDatabase db("sqlite");
    TestServer server(db, 12, /*access_log=*/true);
    Client desk = server.NewClient();
    ASSERT_EQ(desk.Login("desk.miller", kDemoPassword).status, 200);
    json p = kNewPatient;
    p["name"] = {{"given", "Zebedee"}, {"family", "Quartermaine"}};
    auto created = desk.Post("/api/v1/patients", p);
    ASSERT_EQ(created.status, 201);
    std::string id = created.json()["id"];
    desk.Get("/api/v1/patients?q=Zebedee");
    desk.Get("/api/v1/patients/" + id);
    desk.Patch("/api/v1/patients/" + id, {{"contact", {{"phone", "+1 555 0999"}}}});
    desk.Post("/api/v1/patients", {{"name", {{"given", "Zebedee"}}}});  // a validation error
    std::string log = captured.str();
    EXPECT_THAT(log, HasSubstr("/api/v1/patients/{id}"));
    for (const std::string& secret :
         {std::string("Zebedee"), std::string("Quartermaine"), id, std::string("555 0999"),
          std::string("1979-06-14"), std::string("maren@example.org"), desk.cookie()}) {
      EXPECT_THAT(log, Not(HasSubstr(secret))) << "log leaks " << secret;
    }
  }
  spdlog::set_default_logger(previous);
}

// ---------------------------------------------------------------------------------------------
// Several servers on one PostgreSQL database: a server answers a patient read from the record it
// read before only once the database confirms it is current (Store::RecentPatient), so a change
// made through another server is in the very next read.

TEST(TwoServers, AReadOnOneServerShowsEveryChangeMadeThroughTheOther) {
  TestDatabase db("postgresql");
  TestServer a(db);
  TestServer b(db, /*demo_patients=*/0);
  ASSERT_NE(a.port(), 0);
  ASSERT_NE(b.port(), 0);
  Client doctor = a.NewClient();
  ASSERT_EQ(doctor.Login("dr.reyes", kDemoPassword).status, 200);
  Client desk = b.NewClient();
  ASSERT_EQ(desk.Login("desk.miller", kDemoPassword).status, 200);
  const std::string id = a.other_patient_id();
  const std::string path = "/api/v1/patients/" + id;
  auto metric = [&](const std::string& name) {
    auto r = a.NewClient().Get("/metrics");
    EXPECT_EQ(r.status, 200);
    std::istringstream lines(r.body);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
    }
    ADD_FAILURE() << "no " << name << " in /metrics";
    return -1.0;
  };

  auto read_events = [&] {
    a.api().audit_writer().Drain();
    auto tx = a.store().Begin(domain::TxMode::kRead);
    EXPECT_TRUE(tx.ok());
    auto events = (*tx)->audit().Recent(1000, id);
    EXPECT_TRUE(events.ok());
    return std::count_if(events->begin(), events->end(),
                         [](const domain::AuditEvent& e) { return e.action == "patient.read"; });
  };
  const auto events_before = read_events();

  const std::string answered =
      R"(kclinic_http_requests_total{route="GET /api/v1/patients/{id}",status="2xx"})";
  auto first = doctor.Get(path);
  ASSERT_EQ(first.status, 200) << first.body;
  const double reads = metric("kclinic_patient_fetch_reads");
  const double answered_first = metric(answered);
  auto second = doctor.Get(path);
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(metric("kclinic_patient_fetch_reads"), reads) << "answered from the kept record";
  EXPECT_EQ(metric("kclinic_patient_reads_repeated"), 0);

  auto edited = desk.Patch(path, {{"contact", {{"phone", "+1 555 0188"}}}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  auto third = doctor.Get(path);
  ASSERT_EQ(third.status, 200);
  EXPECT_EQ(third.json()["contact"]["phone"], "+1 555 0188");
  EXPECT_EQ(third.json()["version"], edited.json()["version"]);
  EXPECT_EQ(metric("kclinic_patient_reads_repeated"), 1);

  const size_t weights = third.json()["weights"].size();
  auto weighed = desk.Post(path + "/weights", {{"date", "2026-11-21"}, {"kg", 66.6}});
  ASSERT_EQ(weighed.status, 201) << weighed.body;
  auto fourth = doctor.Get(path);
  ASSERT_EQ(fourth.status, 200);
  ASSERT_EQ(fourth.json()["weights"].size(), weights + 1);
  EXPECT_EQ(fourth.json()["weights"][0]["kg"], 66.6);
  EXPECT_EQ(metric("kclinic_patient_reads_repeated"), 2);

  const double reads_after = metric("kclinic_patient_fetch_reads");
  auto fifth = doctor.Get(path);
  EXPECT_EQ(fifth.body, fourth.body);
  EXPECT_EQ(metric("kclinic_patient_fetch_reads"), reads_after);
  EXPECT_EQ(metric("kclinic_patient_reads_repeated"), 2);

  // Five reads answered and counted once each; the two answered again were audited twice (each
  // attempt was a read).
  EXPECT_EQ(metric(answered) - answered_first, 4);
  EXPECT_EQ(read_events() - events_before, 7);
  auto verified = app::VerifyAuditTrail(a.store());
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->first_bad_seq.has_value()) << verified->problem;
}

}  // namespace
}  // namespace kclinic::testing
