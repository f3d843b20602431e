// One storage conformance suite, run against every back end (SQLite and PostgreSQL).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include <thread>

#include "kclinic/app/app.h"
#include "kclinic/app/patient_fetcher.h"
#include "kclinic/base/crypto.h"
#include "kclinic/store/soci_store.h"
#include "support.h"

namespace kclinic::testing {
namespace {

using namespace std::chrono;
using domain::Patient;
using domain::TxMode;

const Timestamp kNow = Timestamp(sys_days(2026y / November / 21)) + hours(10);

Patient MakePatient(std::string given, std::string family) {
  Patient p;
  p.id = PatientId(NewId());
  p.version = 1;
  p.fields.name = {std::move(given), std::move(family)};
  p.fields.birth_date = 1980y / March / 2;
  p.fields.sex = domain::Sex::kFemale;
  p.fields.contact = {"+1 555 0100", "a@example.org", "1 Main St"};
  p.fields.height_cm = Centimeters(165);
  p.fields.allergies = {"latex", "penicillin"};
  p.fields.escort = {"Sam", "+1 555 0101", "partner"};
  p.created_at = p.updated_at = kNow;
  return p;
}

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    store_ = db_->Open();
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<domain::Transaction> Begin(TxMode mode = TxMode::kWrite) {
    auto tx = store_->Begin(mode);
    EXPECT_TRUE(tx.ok()) << tx.status().message();
    return std::move(tx).value();
  }
  void Insert(const Patient& p) {
    auto tx = Begin();
    ASSERT_TRUE(tx->patients().Insert(p, {kNow, "tester", std::nullopt}).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<domain::Store> store_;
};

TEST_P(StoreConformance, MigrationsAreIdempotentAndNamed) {
  EXPECT_EQ(store_->backend(), GetParam());
  auto again = store_->Migrate();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_TRUE(store_->Ping());
}

TEST_P(StoreConformance, PatientRoundTripsEveryField) {
  Patient p = MakePatient("Ana", "Silva");
  p.weights.push_back({WeightId(NewId()), 2026y / November / 1, Kilograms(68.5), kNow, "tester"});
  Insert(p);
  auto tx = Begin(TxMode::kRead);
  auto got = tx->patients().Get(p.id);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->fields, p.fields);
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->created_at, kNow);
  ASSERT_EQ(got->weights.size(), 1u);
  EXPECT_EQ(got->weights[0].kg, Kilograms(68.5));
  EXPECT_EQ(got->weights[0].measured_on, 2026y / November / 1);
}

TEST_P(StoreConformance, MissingPatientIsNotFound) {
  auto tx = Begin(TxMode::kRead);
  EXPECT_EQ(tx->patients().Get(PatientId(NewId())).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, UncommittedWritesRollBack) {
  Patient p = MakePatient("Rolled", "Back");
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->patients().Insert(p, {kNow, "tester", std::nullopt}).ok());
  }  // destroyed without Commit
  auto tx = Begin(TxMode::kRead);
  EXPECT_EQ(tx->patients().Get(p.id).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, UpdateKeepsHistoryAndDetectsConcurrentChange) {
  Patient p = MakePatient("Ana", "Silva");
  Insert(p);
  Patient v2 = p;
  v2.version = 2;
  v2.fields.contact.phone = "+1 555 0199";
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->patients().Update(v2, {kNow + minutes(1), "nurse", "new phone"}).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  // A second writer that also started from version 1 loses.
  Patient stale = p;
  stale.version = 2;
  stale.fields.contact.email = "other@example.org";
  {
    auto tx = Begin();
    EXPECT_EQ(tx->patients().Update(stale, {kNow, "desk", std::nullopt}).code(),
              StatusCode::kAborted);
  }
  auto tx = Begin(TxMode::kRead);
  auto got = tx->patients().Get(p.id);
  EXPECT_EQ(got->fields.contact.phone, "+1 555 0199");
  EXPECT_EQ(got->fields.contact.email, "a@example.org");
  auto history = tx->patients().History(p.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 1);
  EXPECT_FALSE((*history)[0].reason.has_value());
  EXPECT_EQ((*history)[1].changed_by, "nurse");
  EXPECT_EQ((*history)[1].reason, "new phone");
}

TEST_P(StoreConformance, SearchMatchesNamePrefixesCaseInsensitively) {
  for (auto [g, f] : std::vector<std::pair<std::string, std::string>>{{"Ana", "Silva"},
                                                                      {"Anabel", "Costa"},
                                                                      {"Ben", "Anand"},
                                                                      {"Carla", "Novak"},
                                                                      {"100%", "Literal"},
                                                                      {"x_y", "Under"}}) {
    Insert(MakePatient(g, f));
  }
  auto tx = Begin(TxMode::kRead);
  auto names = [&](std::string q) {
    auto page = tx->patients().Search({q, 100, std::nullopt});
    EXPECT_TRUE(page.ok()) << page.status().message();
    std::vector<std::string> out;
    for (auto& p : page->items) out.push_back(p.fields.name.given + " " + p.fields.name.family);
    return out;
  };
  // Ordered by family name, then given name.
  EXPECT_EQ(names("ANA"), (std::vector<std::string>{"Ben Anand", "Anabel Costa", "Ana Silva"}));
  EXPECT_EQ(names("ana s"), (std::vector<std::string>{"Ana Silva"}));
  EXPECT_EQ(names("nov"), (std::vector<std::string>{"Carla Novak"}));
  // LIKE wildcards in the query are literal characters.
  EXPECT_EQ(names("100%"), (std::vector<std::string>{"100% Literal"}));
  EXPECT_EQ(names("%"), (std::vector<std::string>{}));
  EXPECT_EQ(names("x_"), (std::vector<std::string>{"x_y Under"}));
  EXPECT_EQ(names("_"), (std::vector<std::string>{}));
  EXPECT_EQ(names("").size(), 6u);
}

TEST_P(StoreConformance, KeysetPaginationVisitsEveryPatientOnce) {
  std::set<std::string> inserted;
  for (int i = 0; i < 23; ++i) {
    Patient p = MakePatient("Given" + std::to_string(i % 3), "Same");
    inserted.insert(p.id.value());
    Insert(p);
  }
  auto tx = Begin(TxMode::kRead);
  std::set<std::string> seen;
  std::optional<PatientId> cursor;
  int pages = 0;
  do {
    auto page = tx->patients().Search({"", 5, cursor});
    ASSERT_TRUE(page.ok());
    for (auto& p : page->items) EXPECT_TRUE(seen.insert(p.id.value()).second) << "seen twice";
    cursor = page->next_cursor;
    ++pages;
  } while (cursor && pages < 10);
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(seen, inserted);
  auto bad = tx->patients().Search({"", 5, PatientId(NewId())});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "cursor");
}

TEST_P(StoreConformance, UsersAreUniqueAndPatientAccountsLinkOneRecord) {
  Patient p = MakePatient("Ana", "Silva");
  Insert(p);
  domain::User staff{UserId(NewId()), "nurse.kim", domain::Role::kNurse, "hash", std::nullopt, "",
                     false,           0,           std::nullopt,         kNow};
  domain::User portal{UserId(NewId()), "ana", domain::Role::kPatient, "hash", p.id, "",
                      false,           0,     std::nullopt,           kNow};
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->users().Insert(staff).ok());
    ASSERT_TRUE(tx->users().Insert(portal).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  {
    auto tx = Begin();
    domain::User dup = staff;
    dup.id = UserId(NewId());
    Status s = tx->users().Insert(dup);
    EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
    EXPECT_EQ(s.field(), "username");
  }
  {
    auto tx = Begin();
    domain::User second = portal;
    second.id = UserId(NewId());
    second.username = "ana2";
    Status s = tx->users().Insert(second);
    EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
    EXPECT_EQ(s.field(), "patient_id");
  }
  {
    // The schema itself refuses a patient account without a record (not only the code).
    auto tx = Begin();
    domain::User unlinked = portal;
    unlinked.id = UserId(NewId());
    unlinked.username = "ghost";
    unlinked.patient_id.reset();
    EXPECT_FALSE(tx->users().Insert(unlinked).ok());
  }
  auto tx = Begin();
  auto got = tx->users().GetByUsername("ana");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->patient_id, p.id);
  got->failed_logins = 3;
  got->locked_until = kNow + minutes(15);
  got->totp_secret = "ABCDEF";
  ASSERT_TRUE(tx->users().UpdateCredentials(*got).ok());
  auto again = tx->users().GetById(got->id);
  EXPECT_EQ(again->failed_logins, 3);
  EXPECT_EQ(again->locked_until, kNow + minutes(15));
  EXPECT_EQ(again->totp_secret, "ABCDEF");
  EXPECT_EQ(tx->users().Count().value(), 2);
}

TEST_P(StoreConformance, SessionsStoreOnlyTheTokenHash) {
  domain::User u{UserId(NewId()), "desk", domain::Role::kFrontDesk, "h", std::nullopt, "", false, 0,
                 std::nullopt,    kNow};
  auto tx = Begin();
  ASSERT_TRUE(tx->users().Insert(u).ok());
  std::string token = RandomToken();
  domain::Session s{Sha256Hex(token), u.id, "csrf", kNow, kNow, false};
  ASSERT_TRUE(tx->sessions().Insert(s).ok());
  EXPECT_EQ(tx->sessions().Get(token).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(tx->sessions().Touch(s.token_hash, kNow + minutes(5)).ok());
  ASSERT_TRUE(tx->sessions().Revoke(s.token_hash).ok());
  auto got = tx->sessions().Get(s.token_hash);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->last_seen_at, kNow + minutes(5));
  EXPECT_TRUE(got->revoked);
}

domain::AuditEvent Event(std::string action) {
  domain::AuditEvent e;
  e.at = kNow;
  e.actor_id = NewId();
  e.actor_role = "nurse";
  e.action = std::move(action);
  e.resource = "patient";
  e.outcome = "success";
  return e;
}

TEST_P(StoreConformance, AuditAppendsChainAndRefusesChanges) {
  {
    auto tx = Begin();
    std::vector<domain::AuditEvent> events{Event("a"), Event("b"), Event("c")};
    ASSERT_TRUE(tx->audit().Append(events).ok());
    EXPECT_EQ(events[0].seq, 1);
    EXPECT_EQ(events[0].prev_hash, domain::kGenesisHash);
    EXPECT_EQ(events[2].prev_hash, events[1].hash);
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto verified = app::VerifyAuditTrail(*store_);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->events_checked, 3);
  EXPECT_FALSE(verified->first_bad_seq.has_value());
  {
    auto tx = Begin();
    auto head = tx->audit().Head();
    EXPECT_EQ(head->first, 3);
    auto recent = tx->audit().Recent(2, "");
    ASSERT_EQ(recent->size(), 2u);
    EXPECT_EQ((*recent)[0].action, "c");
  }
}

TEST_P(StoreConformance, LargeBatchesAreStoredWholeAndInOrder) {
  // A batch goes in statements of at most 64 rows, one prepared statement per row count: 130 is
  // two full statements and one of 2; 64 and 65 sit on the boundary; the second batch of 37
  // reuses the statement the first one prepared (its bound rows must be overwritten, not
  // appended to).
  const std::vector<int> sizes{37, 37, 64, 65, 130, 1};
  std::vector<domain::AuditEvent> all;
  int n = 0;
  for (int size : sizes) {
    std::vector<domain::AuditEvent> events;
    for (int i = 0; i < size; ++i) events.push_back(Event("batch." + std::to_string(n++)));
    auto tx = Begin();
    ASSERT_TRUE(tx->audit().Append(events).ok()) << "batch of " << size;
    ASSERT_TRUE(tx->Commit().ok());
    all.insert(all.end(), events.begin(), events.end());
  }
  auto tx = Begin(TxMode::kRead);
  auto stored = tx->audit().Scan(0, 1000);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ((*stored)[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ((*stored)[i].action, "batch." + std::to_string(i));
    EXPECT_EQ((*stored)[i].hash, all[i].hash);
    EXPECT_EQ((*stored)[i].at, kNow);
  }
  auto verified = app::VerifyAuditTrail(*store_);
  EXPECT_EQ(verified->events_checked, static_cast<int64_t>(all.size()));
  EXPECT_FALSE(verified->first_bad_seq.has_value()) << verified->problem;
}

TEST_P(StoreConformance, AuditTriggersRefuseUpdateAndDelete) {
  {
    auto tx = Begin();
    std::vector<domain::AuditEvent> events{Event("a")};
    ASSERT_TRUE(tx->audit().Append(events).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  // The database itself refuses to edit or delete an event.
  EXPECT_THAT(db_->Exec("UPDATE audit_events SET action = 'x' WHERE seq = 1"),
              ::testing::HasSubstr("append-only"));
  EXPECT_THAT(db_->Exec("DELETE FROM audit_events WHERE seq = 1"),
              ::testing::HasSubstr("append-only"));
  EXPECT_TRUE(app::VerifyAuditTrail(*store_).value().first_bad_seq == std::nullopt);
}

TEST_P(StoreConformance, ConcurrentAppendsKeepOneUnbrokenChain) {
  constexpr int kThreads = 4, kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        auto tx = store_->Begin(TxMode::kWrite);
        if (!tx.ok()) {
          ++failures;
          continue;
        }
        std::vector<domain::AuditEvent> events{Event("x"), Event("y")};
        if (!(*tx)->audit().Append(events).ok() || !(*tx)->Commit().ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto verified = app::VerifyAuditTrail(*store_);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->events_checked, kThreads * kPerThread * 2);
  EXPECT_FALSE(verified->first_bad_seq.has_value()) << verified->problem;
}

// Store::AppendAudit, the audit writer's path. On PostgreSQL it appends from the head the store
// last wrote, without a lock, and only while that is still the head (AppendChainedStatement);
// here a second store on the same database (another server) and a transaction's own append move
// the head in between, so the first store's guess is stale twice and must start again from the
// real head: every event lands once, in order, in one unbroken chain.
TEST_P(StoreConformance, AppendAuditStartsAgainWhenAnotherAppendMovedTheHead) {
  auto other = db_->Open();
  ASSERT_NE(other, nullptr);
  std::vector<std::string> order;
  auto append = [&](domain::Store& store, std::vector<std::string> actions) {
    std::vector<domain::AuditEvent> events;
    for (auto& a : actions) {
      order.push_back(a);
      events.push_back(Event(std::move(a)));
    }
    Status s = store.AppendAudit(events);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(events.back().seq, static_cast<int64_t>(order.size()));
  };
  append(*store_, {"a1", "a2"});
  append(*store_, {"a3"});  // from the head its last append left
  append(*other, {"b1"});   // the first store's head is now stale
  append(*store_, {"a4", "a5", "a6"});
  {
    auto tx = Begin();
    std::vector<domain::AuditEvent> events{Event("t1")};
    order.push_back("t1");
    ASSERT_TRUE(tx->audit().Append(events).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  append(*store_, {"a7"});
  append(*other, {"b2", "b3"});
  auto tx = Begin(TxMode::kRead);
  auto stored = tx->audit().Scan(0, 100);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ((*stored)[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ((*stored)[i].action, order[i]);
  }
  auto verified = app::VerifyAuditTrail(*store_);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->events_checked, static_cast<int64_t>(order.size()));
  EXPECT_FALSE(verified->first_bad_seq.has_value()) << verified->problem;
}

// Text that SQL, array or CSV syntax gives a meaning to (quotes, backslashes, commas, braces, the
// word NULL, empty strings, spaces, line breaks) must come back exactly through AppendAudit, or
// the stored hashes would not verify.
TEST_P(StoreConformance, AppendAuditStoresEveryCharacterAsGiven) {
  const std::vector<std::string> texts{"",
                                       "NULL",
                                       "null",
                                       " lead and trail ",
                                       "a,b",
                                       "{x}",
                                       "\"quoted\"",
                                       "back\\slash",
                                       "\\\"",
                                       "}{,\"\\",
                                       "tab\there",
                                       "line\nbreak",
                                       "Zoë — ケタミン",
                                       "'single'"};
  std::vector<domain::AuditEvent> events;
  for (const std::string& t : texts) {
    domain::AuditEvent e = Event("odd." + t);
    e.detail = t;
    e.patient_id = t;
    e.resource = t + "/r";
    events.push_back(std::move(e));
  }
  ASSERT_TRUE(store_->AppendAudit(events).ok());
  auto tx = Begin(TxMode::kRead);
  auto stored = tx->audit().Scan(0, 100);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ((*stored)[i].detail, texts[i]);
    EXPECT_EQ((*stored)[i].patient_id, texts[i]);
    EXPECT_EQ((*stored)[i].resource, texts[i] + "/r");
    EXPECT_EQ((*stored)[i].action, "odd." + texts[i]);
    EXPECT_EQ((*stored)[i].hash, events[i].hash);
    EXPECT_EQ((*stored)[i].at, kNow);
  }
  auto verified = app::VerifyAuditTrail(*store_);
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->first_bad_seq.has_value()) << verified->problem;
}

// Two stores (two servers) appending at once through AppendAudit, each with its own guess of the
// head. On PostgreSQL the loser of a race writes nothing and goes in through the locked
// transaction, so every append succeeds at its first call: a loser that only re-read the head
// and tried again would keep losing to the store whose guess is right (it needs one round trip
// to the other's two), and this test failed that way.
TEST_P(StoreConformance, ConcurrentAppendAuditFromTwoStoresKeepsOneChain) {
  auto other = db_->Open();
  ASSERT_NE(other, nullptr);
  constexpr int kPerThread = 100;
  std::mutex mu;
  int failures = 0;
  std::string first_failure;
  std::vector<std::thread> threads;
  for (domain::Store* store : {store_.get(), other.get()}) {
    threads.emplace_back([&, store] {
      for (int i = 0; i < kPerThread; ++i) {
        std::vector<domain::AuditEvent> events{Event("x"), Event("y"), Event("z")};
        Status s = store->AppendAudit(events);
        if (!s.ok()) {
          std::lock_guard lock(mu);
          if (failures++ == 0) first_failure = s.message();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0) << first_failure;
  auto verified = app::VerifyAuditTrail(*store_);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->events_checked, 2 * kPerThread * 3);
  EXPECT_FALSE(verified->first_bad_seq.has_value()) << verified->problem;
}

TEST_P(StoreConformance, SettingsAreVersionedRows) {
  auto tx = Begin();
  auto initial = tx->settings().Current();
  ASSERT_TRUE(initial.ok());
  EXPECT_EQ(initial->version(), 0);
  EXPECT_EQ(initial->Get(domain::kSessionIdleMinutes), 15);
  ASSERT_EQ(tx->settings().Set(domain::kSessionIdleMinutes, 10, {kNow, "admin", "policy"}).value(),
            1);
  ASSERT_EQ(tx->settings().Set(domain::kLockoutAttempts, 6, {kNow, "admin", std::nullopt}).value(),
            2);
  ASSERT_EQ(tx->settings().Set(domain::kSessionIdleMinutes, 12, {kNow, "admin", "revert"}).value(),
            3);
  auto current = tx->settings().Current();
  EXPECT_EQ(current->version(), 3);
  EXPECT_EQ(current->Get(domain::kSessionIdleMinutes), 12);
  EXPECT_EQ(current->Get(domain::kLockoutAttempts), 6);
  EXPECT_EQ(current->Get(domain::kLockoutMinutes), 15);
  EXPECT_EQ(tx->settings().History()->size(), 3u);
}

// A snapshot transaction sees one state of the database for all its reads, even when another
// transaction commits in between (what the outcome and overview reads rely on).
TEST_P(StoreConformance, SnapshotReadsAgreeWithEachOther) {
  Insert(MakePatient("Ana", "Silva"));
  auto snapshot = Begin(TxMode::kSnapshot);
  ASSERT_EQ(snapshot->patients().Count().value(), 1);
  Insert(MakePatient("Ben", "Okafor"));
  EXPECT_EQ(snapshot->patients().Count().value(), 1);
  ASSERT_TRUE(snapshot->Commit().ok());
  EXPECT_EQ(Begin(TxMode::kRead)->patients().Count().value(), 2);
}

TEST_P(StoreConformance, AssessmentsRoundTripAndAreImmutable) {
  Patient p = MakePatient("Ana", "Silva");
  Insert(p);
  domain::AssessmentRecord a;
  a.id = NewId();
  a.patient_id = p.id;
  a.instrument = "phq9";
  a.administered_at = kNow - hours(1);
  a.items = {1, 2, 3, 0, 1, 2, 0, 1, 1, std::nullopt};
  a.total = 11;
  a.severity = "moderate";
  a.flags = {"suicidal_ideation"};
  a.source = "portal";
  a.entered_by = "ana.silva";
  a.entered_at = kNow;
  domain::AssessmentRecord incomplete = a;
  incomplete.id = NewId();
  incomplete.total.reset();
  incomplete.flags.clear();
  incomplete.severity.clear();
  incomplete.administered_at = kNow;
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->care().InsertAssessment(a).ok());
    ASSERT_TRUE(tx->care().InsertAssessment(incomplete).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto tx = Begin(TxMode::kRead);
  auto got = tx->care().Assessments(p.id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].items, a.items);
  EXPECT_EQ((*got)[0].total, 11);
  EXPECT_EQ((*got)[0].flags, a.flags);
  EXPECT_EQ((*got)[0].administered_at, a.administered_at);
  EXPECT_FALSE((*got)[1].total.has_value());
  EXPECT_TRUE((*got)[1].flags.empty());
  tx.reset();
  // Clinical rows are never edited, even by someone with database access.
  EXPECT_NE(db_->Exec("UPDATE assessments SET total = 0"), "");
  auto after = Begin(TxMode::kRead)->care().Assessments(p.id);
  EXPECT_EQ((*after)[0].total, 11);
}

TEST_P(StoreConformance, AlertsAreAcknowledgedOnce) {
  Patient p = MakePatient("Ana", "Silva");
  Insert(p);
  domain::Alert alert{NewId(), p.id,         std::nullopt, "suicidal_ideation", "dr.reyes",
                      kNow,    std::nullopt, std::nullopt, std::nullopt};
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->care().InsertAlert(alert).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  {
    auto tx = Begin(TxMode::kRead);
    auto open = tx->care().Alerts(false, 10);
    ASSERT_EQ(open->size(), 1u);
    EXPECT_FALSE((*open)[0].acknowledged_at.has_value());
  }
  {
    auto tx = Begin();
    ASSERT_TRUE(
        tx->care().AcknowledgeAlert(alert.id, kNow + minutes(5), "dr.reyes", "called").ok());
    EXPECT_EQ(tx->care().AcknowledgeAlert(alert.id, kNow + minutes(6), "dr.tanaka", "x").code(),
              StatusCode::kAborted);
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto tx = Begin(TxMode::kRead);
  EXPECT_TRUE(tx->care().Alerts(false, 10)->empty());
  auto all = tx->care().Alerts(true, 10);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].acknowledged_by, "dr.reyes");
  EXPECT_EQ((*all)[0].action, "called");
  EXPECT_EQ(tx->care().GetAlert(NewId()).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, CoursesSessionsAndTexts) {
  Patient p = MakePatient("Ana", "Silva");
  Insert(p);
  {
    auto tx = Begin();
    domain::User reyes;
    reyes.id = UserId(NewId());
    reyes.username = "dr.reyes";
    reyes.role = domain::Role::kPrescriber;
    reyes.password_hash = "x";
    reyes.created_at = kNow;
    ASSERT_TRUE(tx->users().Insert(reyes).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  domain::Course c{NewId(),    p.id, "iv_ketamine", domain::CoursePhase::kInduction,
                   "dr.reyes", kNow, kNow,          "dr.reyes"};
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->care().InsertCourse(c).ok());
    for (int d : {2, 0, 4}) {
      ASSERT_TRUE(tx->care()
                      .InsertSession({NewId(), c.id, kNow + days(d),
                                      domain::CourseSessionStatus::kGiven, kNow, "nurse"})
                      .ok());
    }
    // A course names a real account as its primary clinician.
    domain::Course orphan = c;
    orphan.id = NewId();
    orphan.primary_clinician = "nobody";
    EXPECT_FALSE(tx->care().InsertCourse(orphan).ok());
  }
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->care().InsertCourse(c).ok());
    ASSERT_TRUE(tx->care()
                    .InsertSession({NewId(), c.id, kNow + days(2),
                                    domain::CourseSessionStatus::kGiven, kNow, "n"})
                    .ok());
    ASSERT_TRUE(
        tx->care()
            .InsertSession({NewId(), c.id, kNow, domain::CourseSessionStatus::kGiven, kNow, "n"})
            .ok());
    // A status outside the enum (written as no code) is refused by the schema.
    EXPECT_FALSE(tx->care()
                     .InsertSession({NewId(), c.id, kNow,
                                     static_cast<domain::CourseSessionStatus>(99), kNow, "n"})
                     .ok());
  }
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->care().InsertCourse(c).ok());
    ASSERT_TRUE(tx->care()
                    .InsertSession({NewId(), c.id, kNow + days(2),
                                    domain::CourseSessionStatus::kGiven, kNow, "n"})
                    .ok());
    ASSERT_TRUE(
        tx->care()
            .InsertSession({NewId(), c.id, kNow, domain::CourseSessionStatus::kPlanned, kNow, "n"})
            .ok());
    ASSERT_TRUE(tx->care().UpdateCoursePhase(c.id, domain::CoursePhase::kMaintenance).ok());
    EXPECT_EQ(tx->care().UpdateCoursePhase(NewId(), domain::CoursePhase::kEnded).code(),
              StatusCode::kNotFound);
    ASSERT_TRUE(tx->care().InsertText({"crisis_resources", 1, "one", kNow, "admin", "r"}).ok());
    ASSERT_TRUE(tx->care().InsertText({"crisis_resources", 2, "two", kNow, "admin", "r"}).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  {
    // (A failed statement ends a PostgreSQL transaction, so the clash gets its own.)
    auto tx = Begin();
    EXPECT_EQ(tx->care().InsertText({"crisis_resources", 2, "dup", kNow, "admin", "r"}).code(),
              StatusCode::kAlreadyExists);
  }
  auto tx = Begin(TxMode::kRead);
  auto sessions = tx->care().Sessions(p.id);
  ASSERT_EQ(sessions->size(), 2u);
  EXPECT_EQ(Code((*sessions)[0].status), "planned");  // time order
  EXPECT_EQ(Code(tx->care().GetCourse(c.id)->phase), "maintenance");
  EXPECT_EQ(tx->care().PatientsInTreatment()->size(), 1u);
  EXPECT_EQ(tx->care().GetText("crisis_resources")->value, "two");
  EXPECT_EQ(tx->care().GetText("other").status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, IntakeVersionsDecisionsAndPlans) {
  Patient p = MakePatient("Ana", "Silva");
  Insert(p);
  domain::IntakeRecord first{NewId(), p.id, 0, R"({"sex":"female"})", kNow, "dr.reyes"};
  domain::IntakeRecord second{NewId(),           p.id,      0, R"({"sex":"female","age_years":40})",
                              kNow + minutes(1), "dr.reyes"};
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->screening().InsertIntake(first).ok());
    ASSERT_TRUE(tx->screening().InsertIntake(second).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(second.version, 2);
  domain::ScreeningDecisionRecord d{NewId(),
                                    p.id,
                                    second.id,
                                    domain::ScreeningDecision::kApprove,
                                    "ok",
                                    "1",
                                    3,
                                    R"({"findings":[]})",
                                    kNow + minutes(2),
                                    "dr.reyes"};
  domain::InfusionPlanRecord plan{NewId(),           p.id,       d.id, R"({"dose":{}})", 3,
                                  kNow + minutes(3), "dr.reyes", {}};
  // Typed figures (issue 20): what is set comes back exactly, what is not comes back empty.
  plan.dose.dose = Milligrams(35.75);
  plan.dose.weight_basis = "adjusted";
  plan.dose.dosing_weight = Kilograms(62.723456789);
  plan.dose.rate = MlPerHour(1.0 / 3.0);
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->screening().InsertDecision(d).ok());
    ASSERT_TRUE(tx->screening().InsertPlan(plan).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto tx = Begin(TxMode::kRead);
  EXPECT_EQ(tx->screening().LatestIntake(p.id)->id, second.id);
  EXPECT_EQ(tx->screening().GetIntake(first.id)->body, first.body);
  auto decisions = tx->screening().Decisions(p.id);
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_EQ((*decisions)[0].settings_version, 3);
  EXPECT_EQ((*decisions)[0].findings, d.findings);
  EXPECT_EQ(tx->screening().Plans(p.id)->front().body, plan.body);
  const domain::PlannedDose got = tx->screening().Plans(p.id)->front().dose;
  EXPECT_EQ(got.dose, plan.dose.dose);
  EXPECT_EQ(got.weight_basis, plan.dose.weight_basis);
  EXPECT_EQ(got.dosing_weight, plan.dose.dosing_weight);
  EXPECT_EQ(got.rate, plan.dose.rate);
  EXPECT_EQ(got.mg_per_kg, std::nullopt);
  EXPECT_EQ(got.actual_weight, std::nullopt);
  EXPECT_EQ(got.minutes, std::nullopt);
  tx.reset();
  EXPECT_NE(db_->Exec("UPDATE screening_decisions SET decision = 'decline'"), "");
  EXPECT_NE(db_->Exec("UPDATE intakes SET body = '{}'"), "");
}

// The patient cache a server's store keeps (StoreOptions::patient_cache): on SQLite a committed
// read is served from memory until a commit changes the patient; PostgreSQL, shared by several
// servers, never caches.
TEST_P(StoreConformance, PatientCacheNeverOutlivesACommittedChange) {
  store_.reset();
  store_ = db_->Open(8, /*patient_cache=*/true);
  ASSERT_NE(store_, nullptr);
  const bool caches = GetParam() == "sqlite";
  EXPECT_EQ(store_->caches_patients(), caches);
  Patient p = MakePatient("Ana", "Silva");
  Insert(p);
  EXPECT_EQ(store_->CachedPatient(p.id), nullptr) << "a write alone caches nothing";
  auto read = [&] {
    auto tx = Begin(TxMode::kRead);
    auto got = tx->patients().Get(p.id);
    EXPECT_TRUE(got.ok()) << got.status().message();
    return std::move(got).value();
  };
  read();
  auto cached = store_->CachedPatient(p.id);
  ASSERT_EQ(cached != nullptr, caches);
  if (!caches) return;
  EXPECT_EQ(cached->fields, p.fields);
  EXPECT_EQ(cached->version, 1);

  // A read inside a write transaction is not offered (it could see its own uncommitted change).
  p.version = 2;
  p.fields.allergies = {"latex"};
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->patients().Get(p.id).ok());
    ASSERT_TRUE(tx->patients().Update(p, {kNow, "tester", "allergy corrected"}).ok());
    EXPECT_EQ(store_->CachedPatient(p.id)->version, 1) << "uncommitted: the cache still holds v1";
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(store_->CachedPatient(p.id), nullptr) << "the committed update evicts the patient";
  EXPECT_EQ(read().version, 2);
  EXPECT_EQ(store_->CachedPatient(p.id)->fields.allergies, p.fields.allergies);

  // A weight is part of the record too.
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->patients()
                    .AddWeight(p.id, {WeightId(NewId()), 2026y / November / 20, Kilograms(70.2),
                                      kNow, "tester"})
                    .ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(store_->CachedPatient(p.id), nullptr);
  EXPECT_EQ(read().weights.size(), 1u);
  ASSERT_NE(store_->CachedPatient(p.id), nullptr);
  EXPECT_EQ(store_->CachedPatient(p.id)->weights.size(), 1u);

  // A read transaction that began before a change committed does not cache what it reads, even
  // when it reads after the commit: it cannot tell which side of the change its snapshot is on.
  auto early = Begin(TxMode::kRead);
  p.version = 3;
  p.fields.allergies = {"latex", "ketorolac"};
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->patients().Update(p, {kNow, "tester", std::nullopt}).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  ASSERT_TRUE(early->patients().Get(p.id).ok());
  early.reset();
  EXPECT_EQ(store_->CachedPatient(p.id), nullptr);
  EXPECT_EQ(read().version, 3);
  EXPECT_EQ(store_->CachedPatient(p.id)->version, 3);

  // A rolled-back change leaves the stored record as it was, and the cache agrees.
  {
    auto tx = Begin();
    Patient changed = p;
    changed.version = 4;
    changed.fields.allergies.clear();
    ASSERT_TRUE(tx->patients().Update(changed, {kNow, "tester", std::nullopt}).ok());
  }
  EXPECT_EQ(read().version, 3);
  EXPECT_EQ(store_->CachedPatient(p.id)->version, 3);

  // A read transaction that writes (SQLite lets a deferred BEGIN) offers nothing it reads after
  // its own change: that is not committed.
  {
    auto tx = Begin(TxMode::kRead);
    Patient changed = p;
    changed.version = 4;
    changed.fields.allergies = {"none known"};
    ASSERT_TRUE(tx->patients().Update(changed, {kNow, "tester", std::nullopt}).ok());
    ASSERT_EQ(tx->patients().Get(p.id)->version, 4);
    EXPECT_EQ(store_->CachedPatient(p.id)->version, 3) << "an uncommitted version was cached";
  }
  EXPECT_EQ(read().version, 3);
}

// A PostgreSQL store keeps the records it reads with their revision (Store::RecentPatient); the
// append of a read's audit event (served_rev) confirms the record is still current or marks it
// stale. Every change counts, made by this store, another server, or plain SQL, including a
// weight; a rolled-back change does not. SQLite's cache is exact instead and keeps none of these.
TEST_P(StoreConformance, RecentPatientsAreConfirmedByTheAuditAppend) {
  store_.reset();
  store_ = db_->Open(8, /*patient_cache=*/true);
  ASSERT_NE(store_, nullptr);
  auto other = db_->Open();  // another server on the same database
  ASSERT_NE(other, nullptr);
  Patient p = MakePatient("Ana", "Silva");
  Patient q = MakePatient("Bea", "Costa");
  Insert(p);
  Insert(q);
  auto read = [&](const Patient& who) {
    auto tx = Begin(TxMode::kRead);
    auto got = tx->patients().Get(who.id);
    EXPECT_TRUE(got.ok()) << got.status().message();
    return std::move(got).value();
  };
  // Appends one read event per (patient, revision) in one batch; returns which were stale.
  auto confirm = [&](domain::Store& store, std::vector<std::pair<PatientId, int64_t>> served) {
    std::vector<domain::AuditEvent> events;
    for (auto& [id, rev] : served) {
      domain::AuditEvent e = Event("patient.read");
      e.patient_id = id.value();
      e.served_rev = rev;
      events.push_back(std::move(e));
    }
    events.push_back(Event("not.a.served.read"));
    Status s = store.AppendAudit(events);
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_FALSE(events.back().served_stale) << "an event without served_rev is never stale";
    std::vector<bool> stale;
    for (size_t i = 0; i + 1 < events.size(); ++i) stale.push_back(events[i].served_stale);
    return stale;
  };
  read(p);
  read(q);
  auto recent = store_->RecentPatient(p.id);
  if (GetParam() == "sqlite") {
    EXPECT_EQ(recent.record, nullptr) << "SQLite caches exactly (CachedPatient) instead";
    EXPECT_EQ(confirm(*store_, {{p.id, 1}}), std::vector<bool>{true}) << "it cannot confirm";
    return;
  }
  ASSERT_NE(recent.record, nullptr);
  EXPECT_EQ(recent.record->fields, p.fields);
  const int64_t p1 = recent.rev, q1 = store_->RecentPatient(q.id).rev;
  EXPECT_NE(p1, 0);
  EXPECT_NE(q1, p1);
  EXPECT_EQ(store_->CachedPatient(p.id), nullptr) << "nothing served unconfirmed";
  EXPECT_EQ(confirm(*store_, {{p.id, p1}, {q.id, q1}}), (std::vector<bool>{false, false}));
  EXPECT_EQ(store_->RecentPatient(p.id).record, recent.record) << "the same record is kept";

  // Another server changes p: p's revision is stale, q's still current, in one batch.
  p.version = 2;
  p.fields.allergies = {"latex"};
  {
    auto tx = other->Begin(TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->patients().Update(p, {kNow, "tester", std::nullopt}).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  EXPECT_EQ(confirm(*store_, {{p.id, p1}, {q.id, q1}}), (std::vector<bool>{true, false}));
  EXPECT_EQ(read(p).version, 2);
  const int64_t p2 = store_->RecentPatient(p.id).rev;
  EXPECT_NE(p2, p1);
  EXPECT_EQ(store_->RecentPatient(p.id).record->fields.allergies, p.fields.allergies);
  EXPECT_EQ(confirm(*store_, {{p.id, p2}}), std::vector<bool>{false});

  // A weight added by the other server is a change of the record too.
  {
    auto tx = other->Begin(TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)
                    ->patients()
                    .AddWeight(p.id, {WeightId(NewId()), 2026y / November / 20, Kilograms(70.2),
                                      kNow, "tester"})
                    .ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  EXPECT_EQ(confirm(*store_, {{p.id, p2}}), std::vector<bool>{true});
  EXPECT_EQ(read(p).weights.size(), 1u);
  const int64_t p3 = store_->RecentPatient(p.id).rev;

  // A change the other server rolls back changes nothing.
  {
    auto tx = other->Begin(TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    Patient changed = p;
    changed.version = 3;
    changed.fields.allergies.clear();
    ASSERT_TRUE((*tx)->patients().Update(changed, {kNow, "tester", std::nullopt}).ok());
  }
  EXPECT_EQ(confirm(*store_, {{p.id, p3}}), std::vector<bool>{false});

  // Plain SQL from outside kclinic is seen too (the revision is kept by triggers).
  ASSERT_EQ(
      db_->Exec("UPDATE patients SET phone = '+1 555 0199' WHERE id = '" + p.id.value() + "'"), "");
  EXPECT_EQ(confirm(*store_, {{p.id, p3}}), std::vector<bool>{true});
  ASSERT_EQ(db_->Exec("DELETE FROM patient_weights WHERE patient_id = '" + p.id.value() + "'"), "");
  Patient now = read(p);
  EXPECT_TRUE(now.weights.empty());
  EXPECT_EQ(now.fields.contact.phone, "+1 555 0199");
  const int64_t p4 = store_->RecentPatient(p.id).rev;
  EXPECT_NE(p4, p3);

  // The check runs whichever way the events go in: after another server's append (the store's
  // head is stale, so the locked transaction), and in a batch over 64 events.
  {
    std::vector<domain::AuditEvent> events{Event("b1")};
    ASSERT_TRUE(other->AppendAudit(events).ok());
  }
  EXPECT_EQ(confirm(*store_, {{p.id, p3}, {p.id, p4}}), (std::vector<bool>{true, false}));
  std::vector<std::pair<PatientId, int64_t>> many(70, {q.id, q1});
  many.push_back({p.id, p3});
  auto stale = confirm(*store_, many);
  EXPECT_EQ(std::count(stale.begin(), stale.end(), true), 1);
  EXPECT_TRUE(stale.back());

  // This store's own change forgets its record; the next read keeps the new one.
  {
    auto tx = Begin();
    Patient changed = read(p);
    changed.version = 3;
    changed.fields.allergies = {"ketorolac"};
    ASSERT_TRUE(tx->patients().Update(changed, {kNow, "tester", std::nullopt}).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(store_->RecentPatient(p.id).record, nullptr);
  EXPECT_EQ(read(p).fields.allergies, std::vector<std::string>{"ketorolac"});
  EXPECT_EQ(confirm(*store_, {{p.id, store_->RecentPatient(p.id).rev}}), std::vector<bool>{false});

  auto verified = app::VerifyAuditTrail(*store_);
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->first_bad_seq.has_value()) << verified->problem;
}

// One server serves a SQLite database with a patient cache: a second is refused, naming why, and
// may serve once the first has closed. Commands that keep no cache may open the file meanwhile.
TEST_P(StoreConformance, OnlyOneCachingStorePerSqliteDatabase) {
  if (GetParam() != "sqlite") {
    // Several servers share a PostgreSQL database; none caches, so none locks.
    auto other = store::OpenStore({db_->url(), 2, /*patient_cache=*/true});
    ASSERT_TRUE(other.ok()) << other.status().message();
    return;
  }
  store_.reset();
  store_ = db_->Open(4, /*patient_cache=*/true);
  ASSERT_NE(store_, nullptr);
  auto second = store::OpenStore({db_->url(), 2, /*patient_cache=*/true});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), ::testing::HasSubstr("another kclinic server"));
  auto plain = store::OpenStore({db_->url(), 2});
  EXPECT_TRUE(plain.ok()) << plain.status().message();
  store_.reset();
  auto after = store::OpenStore({db_->url(), 2, /*patient_cache=*/true});
  EXPECT_TRUE(after.ok()) << after.status().message();
}

// SQLite's WAL is checkpointed by the store's own thread (SqliteCheckpointer), not inside the
// commit that crosses 1000 pages; the WAL must still be copied back and restarted, or it would
// grow with every commit. Writes ~24 MB of audit events with a short pause between commits, as a
// server's audit writer does, and checks that the WAL file stayed a fraction of that.
TEST_P(StoreConformance, SqliteWalIsCheckpointedAndReusedUnderSteadyCommits) {
  if (GetParam() != "sqlite") return;  // PostgreSQL checkpoints its own WAL
  const std::string wal = db_->path() + "-wal";
  uintmax_t largest = 0;
  std::string detail(300, 'x');  // about the size of a real event's fields
  for (int batch = 0; batch < 240; ++batch) {
    std::vector<domain::AuditEvent> events;
    for (int i = 0; i < 256; ++i) {
      events.push_back(Event("wal.test"));
      events.back().detail = detail;
    }
    auto tx = Begin();
    ASSERT_TRUE(tx->audit().Append(events).ok());
    ASSERT_TRUE(tx->Commit().ok());
    std::error_code ec;
    largest = std::max(largest, std::filesystem::file_size(wal, ec));
    std::this_thread::sleep_for(microseconds(500));
  }
  EXPECT_GT(largest, 4u << 20) << "the test must write past the 1000-page mark";
  EXPECT_LT(largest, 14u << 20) << "the WAL was not checkpointed and restarted";
  auto verified = app::VerifyAuditTrail(*store_);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->events_checked, 240 * 256);
  EXPECT_FALSE(verified->first_bad_seq.has_value()) << verified->problem;
}

// Another connection holds SQLite's write lock for 300 ms (as the checkpointer briefly does, or a
// second process would): the store's writer waits it out, past the busy handler's 100 ms of short
// tries, and commits once the lock is free rather than failing.
TEST_P(StoreConformance, SqliteWriterWaitsOutAnotherConnectionsWriteLock) {
  if (GetParam() != "sqlite") return;  // PostgreSQL writers wait on row locks, not a busy handler
  sqlite_api::sqlite3* other = nullptr;
  ASSERT_EQ(sqlite_api::sqlite3_open(db_->path().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite_api::sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  std::atomic<bool> released{false};
  std::thread holder([&] {
    std::this_thread::sleep_for(milliseconds(300));
    released = true;
    sqlite_api::sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  std::vector<domain::AuditEvent> events{Event("after.the.lock")};
  auto tx = store_->Begin(TxMode::kWrite);
  const bool began = tx.ok();
  const bool after_release = released.load();
  Status appended = began ? (*tx)->audit().Append(events) : tx.status();
  if (appended.ok()) appended = (*tx)->Commit();
  holder.join();
  sqlite_api::sqlite3_close(other);
  ASSERT_TRUE(began) << tx.status().message();
  EXPECT_TRUE(after_release) << "the write transaction began while the other held the lock";
  EXPECT_TRUE(appended.ok()) << appended.message();
  EXPECT_EQ(app::VerifyAuditTrail(*store_).value().events_checked, 1);
}

// Inside a NonBlockingScope the store refuses to begin a transaction, and the scope knows.
TEST_P(StoreConformance, NonBlockingScopeRefusesTransactions) {
  {
    app::NonBlockingScope scope;
    auto tx = store_->Begin(TxMode::kRead);
    EXPECT_FALSE(tx.ok());
    EXPECT_EQ(tx.status().code(), StatusCode::kUnavailable);
    EXPECT_TRUE(scope.refused());
  }
  auto tx = store_->Begin(TxMode::kRead);
  EXPECT_TRUE(tx.ok()) << tx.status().message();
}

TEST_P(StoreConformance, GetManyReadsTheExistingPatientsWithTheirWeights) {
  Patient ana = MakePatient("Ana", "Silva");
  ana.weights.push_back({WeightId(NewId()), 2026y / October / 1, Kilograms(70), kNow, "tester"});
  ana.weights.push_back({WeightId(NewId()), 2026y / November / 1, Kilograms(68.5), kNow, "tester"});
  Patient bea = MakePatient("Bea", "Costa");
  Patient cid = MakePatient("Cid", "Moreno");
  Insert(ana);
  Insert(bea);
  Insert(cid);
  auto tx = Begin(TxMode::kRead);
  // An id with an array literal's metacharacters is only an id that does not exist.
  auto got = tx->patients().GetMany({bea.id, PatientId("x\"},{\\"), ana.id, bea.id});
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->size(), 2u) << "the missing id is left out, Bea read once, Cid not asked for";
  std::map<std::string, Patient> by_id;
  for (auto& p : *got) by_id.emplace(p.id.value(), p);
  ASSERT_EQ(by_id.count(ana.id.value()), 1u);
  ASSERT_EQ(by_id.count(bea.id.value()), 1u);
  EXPECT_EQ(by_id.at(bea.id.value()).fields, bea.fields);
  const Patient& a = by_id.at(ana.id.value());
  EXPECT_EQ(a.fields, ana.fields);
  ASSERT_EQ(a.weights.size(), 2u);
  EXPECT_EQ(a.weights[0].kg, Kilograms(68.5)) << "newest first";
  EXPECT_EQ(a.weights[1].kg, Kilograms(70));
  auto none = tx->patients().GetMany({PatientId(NewId()), PatientId(NewId())});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// The fetcher behind the event loops' patient reads (app/patient_fetcher.h): the requests queued
// while it reads share its next read transaction, each distinct patient read once, and a fetch
// queued after a commit sees that commit.
TEST_P(StoreConformance, PatientFetcherReadsEachPatientOnceABatchAndSeesCommittedChanges) {
  Patient ana = MakePatient("Ana", "Silva");
  Patient bea = MakePatient("Bea", "Costa");
  Insert(ana);
  Insert(bea);
  app::PatientFetcher fetcher(*store_, 1, /*held=*/true);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Result<std::shared_ptr<const Patient>>> got;
  auto fetch = [&](const PatientId& id) {
    fetcher.Fetch(id, [&](Result<std::shared_ptr<const Patient>> r) {
      std::lock_guard lock(mu);
      got.push_back(std::move(r));
      cv.notify_all();
    });
  };
  auto wait_for = [&](size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, seconds(30), [&] { return got.size() >= n; });
  };
  for (int i = 0; i < 5; ++i) fetch(ana.id);
  for (int i = 0; i < 3; ++i) fetch(bea.id);
  const PatientId missing(NewId());
  fetch(missing);
  EXPECT_EQ(fetcher.fetches(), 0u) << "held: nothing is read yet";
  fetcher.Release();
  ASSERT_TRUE(wait_for(9));
  EXPECT_EQ(fetcher.batches(), 1u);
  EXPECT_EQ(fetcher.reads(), 3u) << "one read per distinct patient";
  EXPECT_EQ(fetcher.fetches(), 9u);
  int anas = 0, beas = 0, not_found = 0;
  std::set<const Patient*> objects;
  for (const auto& r : got) {
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
      ++not_found;
      continue;
    }
    objects.insert(r->get());
    if ((*r)->id == ana.id) {
      ++anas;
      EXPECT_EQ((*r)->fields, ana.fields);
    } else if ((*r)->id == bea.id) {
      ++beas;
      EXPECT_EQ((*r)->fields, bea.fields);
    }
  }
  EXPECT_EQ(anas, 5);
  EXPECT_EQ(beas, 3);
  EXPECT_EQ(not_found, 1);
  EXPECT_EQ(objects.size(), 2u) << "the requests for one patient share one record";

  // A fetch queued after a commit sees it.
  ana.version = 2;
  ana.fields.allergies = {"latex"};
  {
    auto tx = Begin();
    ASSERT_TRUE(tx->patients().Update(ana, {kNow, "tester", "allergy corrected"}).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  fetch(ana.id);
  ASSERT_TRUE(wait_for(10));
  ASSERT_TRUE(got.back().ok()) << got.back().status().message();
  EXPECT_EQ((*got.back())->version, 2);
  EXPECT_EQ((*got.back())->fields.allergies, std::vector<std::string>{"latex"});
}

TEST_P(StoreConformance, NonBlockingScopeHandsOutOnlyItsFetchedRecord) {
  Patient ana = MakePatient("Ana", "Silva");
  auto fetched = std::make_shared<const Patient>(ana);
  EXPECT_EQ(app::NonBlockingScope::FetchedOrWant(ana.id), nullptr) << "no scope";
  {
    app::NonBlockingScope scope(fetched);
    EXPECT_EQ(app::NonBlockingScope::FetchedOrWant(ana.id), fetched);
    EXPECT_FALSE(scope.refused());
    const PatientId other(NewId());
    EXPECT_EQ(app::NonBlockingScope::FetchedOrWant(other), nullptr);
    EXPECT_TRUE(scope.refused());
    EXPECT_EQ(scope.wanted_patient(), other);
  }
  {
    // Something else needed the database first: the attempt wants more than one record, so no
    // patient is named (the server runs it on a worker instead).
    app::NonBlockingScope scope;
    EXPECT_FALSE(store_->Begin(TxMode::kRead).ok());
    EXPECT_EQ(app::NonBlockingScope::FetchedOrWant(ana.id), nullptr);
    EXPECT_TRUE(scope.refused());
    EXPECT_FALSE(scope.wanted_patient().has_value());
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
