// Idempotency-Key on creates (issue 22 item 10): a retry with the same key gets the first answer
// and makes nothing twice, on SQLite and PostgreSQL.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "kclinic/base/crypto.h"
#include "support.h"

namespace kclinic::testing {
namespace {

using namespace std::chrono;
using nlohmann::json;
using ::testing::HasSubstr;

using IdempotencyTest = ServerTest;

json NewPatient(const std::string& family) {
  return {{"name", {{"given", "Ines"}, {"family", family}}},
          {"birth_date", "1984-02-03"},
          {"sex", "female"},
          {"contact", {{"phone", "+1 555 0150"}}},
          {"height_cm", 165},
          {"weight", {{"date", "2026-11-20"}, {"kg", 62}}}};
}

HttpResult PostWithKey(Client& c, const std::string& target, const json& body,
                       const std::string& key) {
  return c.Send(
      "POST", target, body.dump(),
      {{"Content-Type", "application/json"}, {"X-CSRF-Token", c.csrf()}, {"Idempotency-Key", key}});
}

int PatientsNamed(Client& c, const std::string& family) {
  return static_cast<int>(Member(c.Get("/api/v1/patients?q=" + family), "items").size());
}

TEST_P(IdempotencyTest, ARetryWithTheSameKeyGetsTheFirstAnswerAndMakesNoSecondRecord) {
  Client desk = LoggedIn("desk.miller");
  auto first = PostWithKey(desk, "/api/v1/patients", NewPatient("Quillfeather"), "k-0001");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.headers.contains("idempotent-replayed"));
  auto again = PostWithKey(desk, "/api/v1/patients", NewPatient("Quillfeather"), "k-0001");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers["location"], first.headers["location"]);
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  EXPECT_EQ(PatientsNamed(desk, "quillfeather"), 1);
  bool audited = false;
  const std::string made = first.json()["id"];
  for (const auto& e : Audit()) audited |= e.action == "request.replay";
  EXPECT_TRUE(audited);
  // The replay names the patient whose record it carried.
  bool named = false;
  for (const auto& e : Audit(made)) named |= e.action == "request.replay";
  EXPECT_TRUE(named);

  // The same key for another request is refused; a new key is a new request.
  auto other = PostWithKey(desk, "/api/v1/patients", NewPatient("Quillpen"), "k-0001");
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(other.json()["error"]["code"], "idempotency_key_reused");
  EXPECT_EQ(other.json()["error"]["field"], "Idempotency-Key");
  EXPECT_EQ(PatientsNamed(desk, "quillpen"), 0);
  EXPECT_EQ(PostWithKey(desk, "/api/v1/patients", NewPatient("Quillpen"), "k-0002").status, 201);

  // Keys are the account's own: another account's same key is another request.
  Client doctor = LoggedIn("dr.reyes");
  auto theirs = PostWithKey(doctor, "/api/v1/patients", NewPatient("Quillsmith"), "k-0001");
  EXPECT_EQ(theirs.status, 201) << theirs.body;

  // A malformed key names the header; nothing is made.
  auto bad = PostWithKey(desk, "/api/v1/patients", NewPatient("Quillon"), "has space");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["field"], "Idempotency-Key");
  EXPECT_EQ(PatientsNamed(desk, "quillon"), 0);

  // A refusal is an answer too (kept); after 24 hours the key is free again.
  json invalid = NewPatient("Quillby");
  invalid["birth_date"] = "not a date";
  auto refused = PostWithKey(desk, "/api/v1/patients", invalid, "k-0003");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(PostWithKey(desk, "/api/v1/patients", invalid, "k-0003").headers["idempotent-replayed"],
            "true");
  server_->clock().Advance(hours(25));
  desk = LoggedIn("desk.miller");
  EXPECT_EQ(PostWithKey(desk, "/api/v1/patients", NewPatient("Quillby"), "k-0003").status, 201);
}

// A request whose answer was never kept (the server stopped mid-way) blocks its key: the retry is
// told to check, never run a second time.
TEST_P(IdempotencyTest, AnInterruptedRequestIsNotRunAgain) {
  Client desk = LoggedIn("desk.miller");
  const std::string user = desk.Get("/api/v1/auth/me").json()["user"]["id"];
  const json body = NewPatient("Quirinal");
  {
    auto tx = server_->store().Begin(domain::TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    domain::IdempotentRequest pending;
    pending.fingerprint = "someone else's";
    pending.created_at = server_->clock().Now();
    ASSERT_TRUE((*tx)->idempotency().InsertPending(UserId(user), "k-run", pending).ok());
    // The key is taken: a second reservation is refused, not overwritten.
    EXPECT_EQ((*tx)->idempotency().InsertPending(UserId(user), "k-run", pending).code(),
              StatusCode::kAlreadyExists);
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto reused = PostWithKey(desk, "/api/v1/patients", body, "k-run");
  EXPECT_EQ(reused.status, 422);  // another request's fingerprint
  {
    auto tx = server_->store().Begin(domain::TxMode::kWrite);
    ASSERT_TRUE((*tx)->idempotency().Remove(UserId(user), "k-run").ok());
    domain::IdempotentRequest pending;
    pending.fingerprint =
        Sha256Hex("POST\n/api/v1/patients\n" + body.dump());  // as the server hashes it
    pending.created_at = server_->clock().Now();
    ASSERT_TRUE((*tx)->idempotency().InsertPending(UserId(user), "k-run", pending).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto interrupted = PostWithKey(desk, "/api/v1/patients", body, "k-run");
  EXPECT_EQ(interrupted.status, 409) << interrupted.body;
  EXPECT_EQ(interrupted.json()["error"]["code"], "idempotency_key_in_use");
  EXPECT_EQ(PatientsNamed(desk, "quirinal"), 0);
}

// Many retries of one create at once: exactly one record, and every answer is either the
// record's or "still running".
TEST_P(IdempotencyTest, ConcurrentRetriesMakeOneRecord) {
  Client desk = LoggedIn("desk.miller");
  std::atomic<int> created{0}, running{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      Client c = server_->NewClient();
      c.set_cookie(desk.cookie());
      c.set_csrf(desk.csrf());
      auto r = PostWithKey(c, "/api/v1/patients", NewPatient("Quasimodo"), "k-race");
      if (r.status == 201) {
        ++created;
      } else if (r.status == 409) {
        ++running;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_GE(created.load(), 1);
  EXPECT_EQ(created + running, 6);
  EXPECT_EQ(PatientsNamed(desk, "quasimodo"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
