// The controlled-substance ledger (CLINICAL.md §7, issue 5) on SQLite and PostgreSQL: receipts,
// counts that open a discrepancy with its 1-business-day deadline, witnessed adjustments, the
// session draw/administer/waste functions inside a caller's transaction, the database's refusal
// to change or overdraw entries, concurrent draws that cannot overdraw a lot, and the CLI report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "kclinic/app/auth.h"
#include "kclinic/app/ledger.h"
#include "kclinic/domain/ledger/ports.h"
#include "support.h"

namespace kclinic::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// Valid DEA check digit: (1+3+5) + 2*(2+4+6) = 33 -> 3.
const json kReceipt = {{"supplier",
                        {{"name", "Henry Schein"},
                         {"address", "135 Duryea Rd, Melville NY"},
                         {"dea_number", "AB1234563"}}},
                       {"product", "ketamine hydrochloride injection"},
                       {"lot_number", "TEST-LOT-1"},
                       {"expiry", "2027-06-30"},
                       {"vial_count", 2},
                       {"strength_mg_per_ml", 50},
                       {"vial_volume_ml", 10}};  // 2 x 500 mg = 1000 mg

class LedgerTest : public ServerTest {
 protected:
  std::string Receive(Client& c, json body = kReceipt) {
    auto r = c.Post("/api/v1/ledger/receipts", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }
  json LotDetail(Client& c, const std::string& id) {
    auto r = c.Get("/api/v1/ledger/lots/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  // Checks the chain of a lot: seq 1..n, each balance_after the derived sum so far.
  void ExpectChainDerived(const json& lot) {
    double sum = 0;
    int64_t seq = 0;
    for (const auto& e : lot["entries"]) {
      const std::string kind = e["kind"];
      const double a = e["amount_mg"];
      if (kind == "receipt" || kind == "return" || kind == "adjustment") sum += a;
      if (kind == "draw" || kind == "transfer_out") sum -= a;
      EXPECT_EQ(e["seq"], ++seq);
      EXPECT_NEAR(e["balance_after_mg"].get<double>(), sum, 1e-6) << e.dump();
    }
    EXPECT_NEAR(lot["balance_mg"].get<double>(), sum, 1e-6);
  }
  domain::Actor ActorOf(const std::string& username) {
    auto tx = server_->store().Begin(domain::TxMode::kRead);
    auto u = (*tx)->users().GetByUsername(username).value();
    return {u.id, u.username, u.role, u.patient_id};
  }
};

TEST_P(LedgerTest, ReceiveListAndDetail) {
  Client admin = LoggedIn("admin");
  const std::string id = Receive(admin);
  auto lots = admin.Get("/api/v1/ledger/lots");
  ASSERT_EQ(lots.status, 200);
  bool found = false;
  const json lots_json = lots.json();
  for (const auto& l : lots_json["lots"]) {
    if (l["id"] != id) continue;
    found = true;
    EXPECT_EQ(l["balance_mg"], 1000);
    EXPECT_EQ(l["balance_ml"], 20);
    EXPECT_EQ(l["expired"], false);
    EXPECT_EQ(l["supplier"]["dea_number"], "AB1234563");
    EXPECT_EQ(l["vials_received"], 2);
  }
  EXPECT_TRUE(found);
  json lot = LotDetail(admin, id);
  ASSERT_EQ(lot["entries"].size(), 1u);
  EXPECT_EQ(lot["entries"][0]["kind"], "receipt");
  ExpectChainDerived(lot);
  // A nurse reads the ledger but may not receive vials.
  Client nurse = LoggedIn("nurse.okafor");
  EXPECT_EQ(nurse.Get("/api/v1/ledger/lots/" + id).status, 200);
  EXPECT_EQ(nurse.Post("/api/v1/ledger/receipts", kReceipt).status, 403);
}

TEST_P(LedgerTest, BadReceiptsNameTheFieldAndStoreNothing) {
  Client admin = LoggedIn("admin");
  const size_t before = admin.Get("/api/v1/ledger/lots").json()["lots"].size();
  struct Case {
    std::string field;
    json body;
  };
  std::vector<Case> cases;
  json bad = kReceipt;
  bad["supplier"]["dea_number"] = "AB1234564";  // wrong check digit
  cases.push_back({"supplier.dea_number", bad});
  bad = kReceipt;
  bad["expiry"] = "2027-13-01";
  cases.push_back({"expiry", bad});
  bad = kReceipt;
  bad["expiry"] = "2026-01-01";  // already expired (the test clock is 2026-11-21)
  cases.push_back({"expiry", bad});
  bad = kReceipt;
  bad["vial_count"] = 0;
  cases.push_back({"vial_count", bad});
  bad = kReceipt;
  bad["strength_mg_per_ml"] = -5;
  cases.push_back({"strength_mg_per_ml", bad});
  bad = kReceipt;
  bad.erase("lot_number");
  cases.push_back({"lot_number", bad});
  bad = kReceipt;
  bad["colour"] = "blue";
  cases.push_back({"colour", bad});
  for (const auto& c : cases) {
    auto r = admin.Post("/api/v1/ledger/receipts", c.body);
    EXPECT_EQ(r.status, 400) << c.field << " " << r.body;
    EXPECT_EQ(r.json()["error"].value("field", ""), c.field) << r.body;
  }
  EXPECT_EQ(admin.Get("/api/v1/ledger/lots").json()["lots"].size(), before);
}

TEST_P(LedgerTest, CountWithDiscrepancyHasOneBusinessDayDeadline) {
  Client admin = LoggedIn("admin");
  const std::string id = Receive(admin);
  auto same = admin.Post("/api/v1/ledger/counts", {{"lot_id", id}, {"counted_mg", 1000}});
  ASSERT_EQ(same.status, 201) << same.body;
  EXPECT_TRUE(same.json()["discrepancy"].is_null());
  auto off = admin.Post("/api/v1/ledger/counts",
                        {{"lot_id", id}, {"counted_mg", 950}, {"note", "one vial short"}});
  ASSERT_EQ(off.status, 201) << off.body;
  json j = off.json();
  EXPECT_EQ(j["expected_mg"], 1000);
  EXPECT_EQ(j["counted_mg"], 950);
  EXPECT_EQ(j["discrepancy_mg"], -50);
  ASSERT_TRUE(j["discrepancy"].is_object());
  // The test clock is Saturday 2026-11-21 09:00 UTC: 1 business day later is Monday.
  EXPECT_EQ(j["discrepancy"]["report_due"], "2026-11-23T09:00:00.000000Z");
  EXPECT_EQ(j["discrepancy"]["overdue"], false);
  const std::string did = j["discrepancy"]["id"];
  // A count moves no stock.
  EXPECT_EQ(LotDetail(admin, id)["balance_mg"], 1000);

  server_->clock().Advance(std::chrono::hours(49));  // Monday 10:00
  admin = LoggedIn("admin");                         // the session expired meanwhile
  auto list = admin.Get("/api/v1/ledger/discrepancies");
  ASSERT_EQ(list.status, 200);
  bool overdue = false;
  const json list_json = list.json();
  for (const auto& d : list_json["discrepancies"]) {
    if (d["id"] == did) overdue = d["overdue"];
  }
  EXPECT_TRUE(overdue);

  EXPECT_EQ(admin.Post("/api/v1/ledger/discrepancies/" + did + "/resolve", json::object()).status,
            400);
  auto resolved = admin.Post(
      "/api/v1/ledger/discrepancies/" + did + "/resolve",
      {{"resolution", "vial broken in transit; DEA 106 filed"}, {"reported_to_dea", true}});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(resolved.json()["status"], "resolved");
  EXPECT_EQ(resolved.json()["overdue"], false);
  auto again = admin.Post("/api/v1/ledger/discrepancies/" + did + "/resolve",
                          {{"resolution", "again"}, {"reported_to_dea", false}});
  EXPECT_EQ(again.status, 412) << again.body;
}

// Before: a prescriber could guess a colleague's password without limit through the witness
// check, telling a right one (412, the impossible amount) from a wrong one (400), and the
// colleague's account never locked.
TEST_P(LedgerTest, TheWitnessCheckIsNoPasswordOracle) {
  Client dr = LoggedIn("dr.reyes");
  const std::string id = Receive(dr);
  json body = {{"lot_id", id},
               {"amount_mg", -100000},  // impossible: more than the lot holds
               {"reason", "probe"},
               {"witness_username", "nurse.okafor"},
               {"witness_password", "guess-1"}};
  auto first = dr.Post("/api/v1/ledger/adjustments", body);
  EXPECT_EQ(first.status, 400) << first.body;
  const json refusal = first.json()["error"];
  // Each wrong guess counts as a failed login: from the third the asker waits (1 s, 2 s) and
  // the fifth locks her out of this witness (auth.delay_after_failures, auth.lockout_attempts).
  // A guess sent too soon is refused unchecked, with the same answer.
  for (int i = 2; i <= 5; ++i) {
    body["witness_password"] = "guess-" + std::to_string(i);
    auto r = dr.Post("/api/v1/ledger/adjustments", body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.json()["error"], refusal);
    server_->clock().Advance(std::chrono::seconds(4));
  }
  // Locked out now: the right password is answered exactly as a wrong one, not with the 412 of
  // the impossible amount behind it.
  body["witness_password"] = kDemoPassword;
  auto right = dr.Post("/api/v1/ledger/adjustments", body);
  EXPECT_EQ(right.status, 400) << right.body;
  EXPECT_EQ(right.json()["error"], refusal);
  // The colleague guessing is held back, not the witness: she still logs in (only failures from
  // every source together, auth.account_lockout_attempts, lock her account).
  auto login = server_->NewClient().Post(
      "/api/v1/auth/login", {{"username", "nurse.okafor"}, {"password", kDemoPassword}});
  EXPECT_EQ(login.status, 200) << login.body;
  // An unknown witness: the same answer.
  body["witness_username"] = "nobody.here";
  EXPECT_EQ(dr.Post("/api/v1/ledger/adjustments", body).json()["error"], refusal);
  int failures = 0;
  for (const auto& e : Audit()) failures += e.action == "ledger.witness" && e.outcome == "failure";
  EXPECT_EQ(failures, 7);
  // The lockout ran its course: the right password passes the check again (and the impossible
  // amount is refused for what it is).
  server_->clock().Advance(std::chrono::minutes(16));
  dr = LoggedIn("dr.reyes");
  body["witness_username"] = "nurse.okafor";
  EXPECT_EQ(dr.Post("/api/v1/ledger/adjustments", body).status, 412);
  EXPECT_EQ(LotDetail(dr, id)["entries"].size(), 1u);  // nothing stored
}

// A witness with a second factor confirms with her one-time code too.
TEST_P(LedgerTest, AWitnessWithASecondFactorGivesHerCode) {
  Client okafor = LoggedIn("nurse.okafor");
  auto enrol = okafor.Post("/api/v1/auth/totp/enroll", {{"password", kDemoPassword}});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  const std::string secret = enrol.json()["secret"];
  auto code_now = [&] { return app::TotpNow(secret, server_->clock().Now()).value(); };
  ASSERT_EQ(okafor.Post("/api/v1/auth/totp/confirm", {{"code", code_now()}}).status, 204);
  server_->clock().Advance(std::chrono::seconds(30));  // a code is accepted once: the next step's

  Client dr = LoggedIn("dr.reyes");
  const std::string id = Receive(dr);
  json body = {{"lot_id", id},
               {"amount_mg", -10},
               {"reason", "spill"},
               {"witness_username", "nurse.okafor"},
               {"witness_password", kDemoPassword}};
  auto no_code = dr.Post("/api/v1/ledger/adjustments", body);
  EXPECT_EQ(no_code.status, 400) << no_code.body;
  EXPECT_EQ(no_code.json()["error"]["field"], "witness_password");
  body["witness_code"] = code_now() == "000000" ? "111111" : "000000";
  EXPECT_EQ(dr.Post("/api/v1/ledger/adjustments", body).status, 400);
  body["witness_code"] = code_now();
  auto ok = dr.Post("/api/v1/ledger/adjustments", body);
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.json()["witness"], "nurse.okafor");
  // Replayed: refused (RFC 6238 §5.2).
  EXPECT_EQ(dr.Post("/api/v1/ledger/adjustments", body).status, 400);
}

TEST_P(LedgerTest, AdjustmentNeedsAnotherStaffWitnessWithTheirPassword) {
  Client admin = LoggedIn("dr.reyes");
  const std::string id = Receive(admin);
  json body = {{"lot_id", id},
               {"amount_mg", -10},
               {"reason", "spill"},
               {"witness_username", "nurse.okafor"},
               {"witness_password", "wrong-password"}};
  auto wrong = admin.Post("/api/v1/ledger/adjustments", body);
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(wrong.json()["error"]["field"], "witness_password");
  EXPECT_THAT(wrong.json()["error"]["message"].get<std::string>(),
              HasSubstr("the witness's username, password or one-time code is wrong"));
  body["witness_username"] = "nobody.here";
  auto unknown = admin.Post("/api/v1/ledger/adjustments", body);
  EXPECT_EQ(unknown.json()["error"]["message"], wrong.json()["error"]["message"]);
  body["witness_username"] = "desk.miller";  // front desk is no witness
  body["witness_password"] = kDemoPassword;
  EXPECT_EQ(admin.Post("/api/v1/ledger/adjustments", body).status, 400);
  body["witness_username"] = "dr.reyes";  // not oneself
  EXPECT_EQ(admin.Post("/api/v1/ledger/adjustments", body).json()["error"]["field"],
            "witness_username");
  int failures = 0;
  for (const auto& e : Audit()) failures += e.action == "ledger.witness" && e.outcome == "failure";
  EXPECT_GE(failures, 3);
  EXPECT_EQ(LotDetail(admin, id)["entries"].size(), 1u);  // nothing stored

  body["witness_username"] = "nurse.okafor";
  auto ok = admin.Post("/api/v1/ledger/adjustments", body);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.json()["witness"], "nurse.okafor");
  EXPECT_EQ(ok.json()["balance_after_mg"], 990);
  body["amount_mg"] = -5000;
  auto over = admin.Post("/api/v1/ledger/adjustments", body);
  EXPECT_EQ(over.status, 412);
  EXPECT_EQ(over.json()["error"]["field"], "amount_mg");
  ExpectChainDerived(LotDetail(admin, id));
}

TEST_P(LedgerTest, TransfersCannotOverdraw) {
  Client admin = LoggedIn("admin");
  const std::string id = Receive(admin);
  auto r = admin.Post("/api/v1/ledger/transfers", {{"lot_id", id},
                                                   {"amount_mg", 1000.5},
                                                   {"to", "reverse distributor"},
                                                   {"reason", "expiring"}});
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_EQ(r.json()["error"]["message"], "amount_mg: exceeds the lot's balance of 1000 mg");
  r = admin.Post(
      "/api/v1/ledger/transfers",
      {{"lot_id", id}, {"amount_mg", 400}, {"to", "reverse distributor"}, {"reason", "expiring"}});
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(LotDetail(admin, id)["balance_mg"], 600);
  EXPECT_EQ(admin.Get("/api/v1/ledger/lots/" + std::string(32, 'a')).status, 404);
}

TEST_P(LedgerTest, SessionDrawAdministerWasteInsideTheCallersTransaction) {
  Client admin = LoggedIn("admin");
  const std::string id = Receive(admin);
  const PatientId patient(server_->ana_id());
  const domain::Actor nurse = ActorOf("nurse.okafor");
  app::Env env = server_->env();
  const std::string session = std::string(31, '0') + "1";
  // The witness is checked before the caller's transaction, in its own (app/ledger.h).
  auto bad_witness = app::CheckWitness(env, nurse, "nurse.lindqvist", "nope", "");
  EXPECT_EQ(bad_witness.status().field(), "witness_password");
  auto witness = app::CheckWitness(env, nurse, "nurse.lindqvist", kDemoPassword, "");
  ASSERT_TRUE(witness.ok()) << witness.status().message();
  {
    auto tx = server_->store().Begin(domain::TxMode::kWrite).value();
    auto draw = app::LedgerDraw(env, *tx, nurse, id, Milligrams(35), session, patient);
    ASSERT_TRUE(draw.ok()) << draw.status().message();
    EXPECT_EQ(draw->kind, domain::ledger::EntryKind::kDraw);
    EXPECT_DOUBLE_EQ(draw->amount_ml.value(), 0.7);
    auto given = app::LedgerAdminister(env, *tx, nurse, id, Milligrams(30), session, patient);
    ASSERT_TRUE(given.ok()) << given.status().message();
    // More than the session has left to account for (5 mg).
    auto too_much =
        app::LedgerWaste(env, *tx, nurse, id, Milligrams(6), session, patient, "nurse.lindqvist");
    EXPECT_EQ(too_much.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(too_much.status().field(), "amount_mg");
    auto waste = app::LedgerWaste(env, *tx, nurse, id, Milligrams(5), session, patient, *witness);
    ASSERT_TRUE(waste.ok()) << waste.status().message();
    auto entries = app::LedgerForSession(env, *tx, nurse, session);
    ASSERT_TRUE(entries.ok());
    EXPECT_EQ(entries->size(), 3u);
    ASSERT_TRUE(tx->Commit().ok());
  }
  {
    // Overdraw and a rolled-back draw leave nothing behind.
    auto tx = server_->store().Begin(domain::TxMode::kWrite).value();
    auto over = app::LedgerDraw(env, *tx, nurse, id, Milligrams(966), session, patient);
    EXPECT_EQ(over.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(over.status().message(), "amount_mg: exceeds the lot's balance of 965 mg");
    ASSERT_TRUE(app::LedgerDraw(env, *tx, nurse, id, Milligrams(100), session, patient).ok());
  }  // rolled back
  const domain::Actor desk = ActorOf("desk.miller");
  {
    auto tx = server_->store().Begin(domain::TxMode::kWrite).value();
    EXPECT_EQ(app::LedgerDraw(env, *tx, desk, id, Milligrams(1), session, patient).status().code(),
              StatusCode::kPermissionDenied);
  }
  json lot = LotDetail(admin, id);
  EXPECT_EQ(lot["balance_mg"], 965);
  EXPECT_EQ(lot["entries"].size(), 4u);
  ExpectChainDerived(lot);
  // The patient's data was read and written under audit.
  std::set<std::string> actions;
  for (const auto& e : Audit(patient.value())) actions.insert(e.action);
  EXPECT_TRUE(actions.count("ledger.draw"));
  EXPECT_TRUE(actions.count("ledger.waste"));
  EXPECT_TRUE(actions.count("ledger.lot.read"));

  auto report = admin.Get("/api/v1/ledger/report?from=2026-11-01&to=2026-11-30");
  ASSERT_EQ(report.status, 200) << report.body;
  bool reconciled = false;
  const json report_json = report.json();
  for (const auto& l : report_json["lots"]) {
    if (l["lot"]["id"] != id) continue;
    EXPECT_EQ(l["opening_balance_mg"], 0);
    EXPECT_EQ(l["closing_balance_mg"], 965);
    EXPECT_EQ(l["totals"]["drawn_mg"], 35);
    EXPECT_EQ(l["totals"]["administered_mg"], 30);
    EXPECT_EQ(l["totals"]["wasted_mg"], 5);
    ASSERT_EQ(l["sessions"].size(), 1u);
    reconciled = l["sessions"][0]["reconciles"];
  }
  EXPECT_TRUE(reconciled);
  EXPECT_EQ(admin.Get("/api/v1/ledger/report?from=2026-11-30&to=2026-11-01").status, 400);
  EXPECT_EQ(
      admin.Get("/api/v1/ledger/report?from=yesterday&to=2026-11-01").json()["error"]["field"],
      "from");
}

TEST_P(LedgerTest, TheDatabaseRefusesChangesAndOverdraws) {
  Client admin = LoggedIn("admin");
  const std::string id = Receive(admin);
  EXPECT_NE(db_->Exec("UPDATE ledger_entries SET amount_mg = 1 WHERE lot_id = '" + id + "'"), "");
  EXPECT_NE(db_->Exec("DELETE FROM ledger_entries WHERE lot_id = '" + id + "'"), "");
  EXPECT_NE(db_->Exec("DELETE FROM ledger_lots WHERE id = '" + id + "'"), "");
  // A second entry with the same seq, and one whose balance goes below zero.
  const std::string insert =
      "INSERT INTO ledger_entries (id, lot_id, seq, kind, amount_mg, amount_ml, at, by_user, "
      "balance_after_mg) VALUES ";
  EXPECT_NE(db_->Exec(insert + "('" + std::string(32, 'b') + "', '" + id +
                      "', 1, 'transfer_out', 10, 0.2, '2026-11-21T09:00:00.000000Z', 'x', 990)"),
            "");
  EXPECT_NE(db_->Exec(insert + "('" + std::string(32, 'c') + "', '" + id +
                      "', 2, 'transfer_out', 2000, 40, '2026-11-21T09:00:00.000000Z', 'x', -1000)"),
            "");
  json lot = LotDetail(admin, id);
  EXPECT_EQ(lot["entries"].size(), 1u);
  EXPECT_EQ(lot["balance_mg"], 1000);
}

// Two (here: eight) nurses drawing from the same lot at the same moment cannot overdraw it: each
// draw runs in its own write transaction on its own connection, as the session backend's do.
TEST_P(LedgerTest, ConcurrentDrawsCannotOverdraw) {
  Client admin = LoggedIn("admin");
  json small = kReceipt;
  small["vial_count"] = 1;
  small["strength_mg_per_ml"] = 10;  // one 100 mg vial
  const std::string id = Receive(admin, small);
  const PatientId patient(server_->ana_id());
  const domain::Actor nurse = ActorOf("nurse.okafor");
  app::Env env = server_->env();
  constexpr int kThreads = 8;
  std::atomic<int> drawn{0}, refused{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      const std::string session = std::string(31, '0') + std::to_string(t);
      for (int attempt = 0; attempt < 20; ++attempt) {
        auto tx = server_->store().Begin(domain::TxMode::kWrite);
        if (!tx.ok()) {
          if (tx.status().code() == StatusCode::kUnavailable ||
              tx.status().code() == StatusCode::kAborted) {
            continue;
          }
          ++other;
          return;
        }
        auto e = app::LedgerDraw(env, **tx, nurse, id, Milligrams(30), session, patient);
        Status s = e.ok() ? (*tx)->Commit() : e.status();
        if (s.ok()) {
          ++drawn;
          return;
        }
        if (s.code() == StatusCode::kFailedPrecondition) {
          ++refused;
          return;
        }
        if (s.code() == StatusCode::kAborted || s.code() == StatusCode::kUnavailable) continue;
        ++other;
        ADD_FAILURE() << s.message();
        return;
      }
      ++other;
    });
  }
  go = true;
  for (auto& th : threads) th.join();
  EXPECT_EQ(drawn.load(), 3);  // 3 x 30 mg of 100 mg
  EXPECT_EQ(refused.load(), kThreads - 3);
  EXPECT_EQ(other.load(), 0);
  json lot = LotDetail(admin, id);
  EXPECT_EQ(lot["balance_mg"], 10);
  EXPECT_EQ(lot["entries"].size(), 4u);
  ExpectChainDerived(lot);
}

// The same over HTTP: many clients transfer out of one lot at once.
TEST_P(LedgerTest, ConcurrentHttpTransfersCannotOverdraw) {
  Client admin = LoggedIn("admin");
  json small = kReceipt;
  small["vial_count"] = 1;
  small["strength_mg_per_ml"] = 10;
  const std::string id = Receive(admin, small);
  constexpr int kClients = 10;
  std::vector<Client> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(LoggedIn(i % 2 ? "admin" : "dr.reyes"));
  std::atomic<int> created{0}, refused{0}, conflicts{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      auto r = clients[i].Post(
          "/api/v1/ledger/transfers",
          {{"lot_id", id}, {"amount_mg", 25}, {"to", "clinic B"}, {"reason", "shortage"}});
      if (r.status == 201) {
        ++created;
      } else if (r.status == 412) {
        ++refused;
      } else if (r.status == 409) {
        ++conflicts;  // a clear "try again" after the retries
      } else {
        ++other;
      }
    });
  }
  go = true;
  for (auto& th : threads) th.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_LE(created.load(), 4);
  EXPECT_EQ(created.load() + refused.load() + conflicts.load(), kClients);
  json lot = LotDetail(admin, id);
  EXPECT_GE(lot["balance_mg"].get<double>(), 0);
  EXPECT_EQ(lot["balance_mg"].get<double>(), 100 - 25 * created.load());
  ExpectChainDerived(lot);
}

TEST_P(LedgerTest, InventoryAtCloseOfBusiness) {
  Client admin = LoggedIn("admin");
  const std::string id = Receive(admin);
  auto inv = admin.Get("/api/v1/ledger/inventory?kind=initial&at=2026-11-21&time=close");
  ASSERT_EQ(inv.status, 200) << inv.body;
  bool found = false;
  const json inv_json = inv.json();
  for (const auto& l : inv_json["lots"]) {
    if (l["lot"]["id"] != id) continue;
    found = true;
    EXPECT_EQ(l["balance_mg"], 1000);
    EXPECT_EQ(l["full_vials"], 2);
  }
  EXPECT_TRUE(found);
  // At the opening of business on the day it arrived, the lot was not yet there.
  auto opening = admin.Get("/api/v1/ledger/inventory?kind=initial&at=2026-11-21&time=opening");
  const json opening_json = opening.json();
  for (const auto& l : opening_json["lots"]) EXPECT_NE(l["lot"]["id"], id);
  EXPECT_EQ(admin.Get("/api/v1/ledger/inventory?kind=monthly").json()["error"]["field"], "kind");
  EXPECT_EQ(LoggedIn("nurse.okafor").Get("/api/v1/ledger/inventory").status, 403);

  // The clinic's day, not UTC's: vials received at 9 PM in New York (02:00 UTC the next day) are
  // on that day's close-of-business inventory.
  server_->clock().Advance(std::chrono::hours(17));  // 2026-11-22 02:00 UTC, Nov 21 21:00 EST
  admin = LoggedIn("admin");
  const std::string evening = Receive(admin);
  auto late = admin.Get("/api/v1/ledger/inventory?kind=initial&at=2026-11-21&time=close");
  ASSERT_EQ(late.status, 200) << late.body;
  bool evening_found = false;
  for (const auto& l : Member(late, "lots")) evening_found |= l["lot"]["id"] == evening;
  EXPECT_TRUE(evening_found);
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

TEST(LedgerCli, ReportJsonTextAndBadDates) {
  TestDatabase db("sqlite");
  {
    TestServer server(db);
    Client admin = server.NewClient();
    ASSERT_EQ(admin.Login("admin", kDemoPassword).status, 200);
    ASSERT_EQ(admin.Post("/api/v1/ledger/receipts", kReceipt).status, 201);
  }
  auto r = RunKclinic("ledger report --from 2026-01-01 --to 2030-12-31 --json --db " + db.url());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["from"], "2026-01-01");
  bool found = false;
  for (const auto& l : j["lots"]) {
    if (l["lot"]["lot_number"] != "TEST-LOT-1") continue;
    found = true;
    EXPECT_EQ(l["closing_balance_mg"], 1000);
    EXPECT_EQ(l["entries"][0]["kind"], "receipt");
    EXPECT_EQ(l["entries"][0]["balance_after_mg"], 1000);
  }
  EXPECT_TRUE(found);
  auto text = RunKclinic("ledger report --from 2026-01-01 --to 2030-12-31 --db " + db.url());
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Lot TEST-LOT-1"));
  EXPECT_THAT(text.out, HasSubstr("closing balance 1000 mg"));
  auto bad = RunKclinic("ledger report --from 2026-02-30 --to 2026-03-01 --db " + db.url());
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("--from"));
  auto bad_to = RunKclinic("ledger report --from 2026-02-01 --to soon --json --db " + db.url());
  EXPECT_NE(bad_to.exit_code, 0);
  EXPECT_THAT(bad_to.out + bad_to.err, HasSubstr("--to"));
}

}  // namespace
}  // namespace kclinic::testing
