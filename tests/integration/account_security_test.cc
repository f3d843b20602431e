// Account security (issue 22 items 2 and 5): failed logins held back per address so that no one
// can lock an account for everyone from one place; changes to one's own credentials ask for the
// password again and end the other sessions; an administrator unlocks and resets a lost second
// factor, with a reason.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "kclinic/app/auth.h"
#include "kclinic/app/login_throttle.h"
#include "support.h"

namespace kclinic::testing {
namespace {

using namespace std::chrono;
using nlohmann::json;
using ::testing::HasSubstr;

using AccountSecurityTest = ServerTest;

// The answer to a login from `source`, as status and message.
std::pair<StatusCode, std::string> Answer(app::AuthService& auth, const std::string& username,
                                          const std::string& password, const std::string& source,
                                          seconds* retry_after = nullptr) {
  auto r = auth.Login(username, password, std::nullopt, source, retry_after);
  if (r.ok()) return {StatusCode::kOk, ""};
  return {r.status().code(), r.status().message()};
}

// Before: six bad logins from anywhere locked the account for everyone, so anyone who knew a
// username could keep its owner out. Now the address guessing is locked out; the owner, from her
// own desk, logs in.
TEST_P(AccountSecurityTest, OneAddressCannotLockTheOwnerOut) {
  app::LoginThrottle throttle;
  app::Env env = server_->env();
  env.throttle = &throttle;
  app::AuthService auth(env);
  const std::string attacker = "203.0.113.9", owner = "192.0.2.10";
  for (int failures = 0; failures < 5;) {
    seconds wait{0};
    auto [code, message] = Answer(auth, "nurse.okafor", "wrong-password-1", attacker, &wait);
    if (code == StatusCode::kUnauthenticated) {
      ++failures;
    } else {
      ASSERT_EQ(code, StatusCode::kResourceExhausted) << message;
      EXPECT_THAT(message, HasSubstr("wait"));
      server_->clock().Advance(wait);
    }
  }
  auto [locked, message] = Answer(auth, "nurse.okafor", kDemoPassword, attacker);
  EXPECT_EQ(locked, StatusCode::kResourceExhausted);
  EXPECT_THAT(message, HasSubstr("locked"));
  EXPECT_EQ(Answer(auth, "nurse.okafor", kDemoPassword, owner).first, StatusCode::kOk);
  // The owner's success does not lift the attacker's lockout.
  EXPECT_EQ(Answer(auth, "nurse.okafor", kDemoPassword, attacker).first,
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(throttle.LockedUsernames(server_->clock().Now()).contains("nurse.okafor"));
}

// Guessing spread over many addresses still ends: the account's own count, from every address,
// locks it for everyone at auth.account_lockout_attempts (20), and an unknown username answers
// exactly the same.
TEST_P(AccountSecurityTest, GuessingFromManyAddressesLocksTheAccountAndUnknownNamesAlike) {
  app::LoginThrottle throttle;
  app::Env env = server_->env();
  env.throttle = &throttle;
  app::AuthService auth(env);
  auto spread = [&](const std::string& username) {
    std::vector<std::pair<StatusCode, std::string>> answers;
    for (int i = 0; i < 21; ++i) {
      // Ten addresses, two failures each: none of them is ever delayed.
      answers.push_back(
          Answer(auth, username, "wrong-password-1", "198.51.100." + std::to_string(i % 10 + 1)));
    }
    answers.push_back(Answer(auth, username, kDemoPassword, "192.0.2.99"));
    return answers;
  };
  auto known = spread("desk.miller");
  auto unknown = spread("desk.nobody");
  EXPECT_EQ(known.size(), unknown.size());
  for (size_t i = 0; i < known.size(); ++i) EXPECT_EQ(known[i].first, unknown[i].first) << i;
  EXPECT_EQ(known[19].first, StatusCode::kUnauthenticated);    // the 20th failure locks...
  EXPECT_EQ(known[20].first, StatusCode::kResourceExhausted);  // ...and from then on: locked
  EXPECT_EQ(known.back().first, StatusCode::kResourceExhausted);
  EXPECT_THAT(known.back().second, HasSubstr("ask an administrator"));
}

TEST_P(AccountSecurityTest, AnAdministratorUnlocksWithAReasonThatTheAuditKeeps) {
  Client c = server_->NewClient();
  for (int failures = 0; failures < 5;) {
    auto r = c.Login("dr.reyes", "wrong-password-1");
    if (r.status == 401) {
      ++failures;
    } else {
      server_->clock().Advance(seconds(std::stoi(r.headers["retry-after"])));
    }
  }
  ASSERT_EQ(c.Login("dr.reyes", kDemoPassword).status, 429);
  Client admin = LoggedIn("admin");
  std::string id;
  for (const auto& u : Member(admin.Get("/api/v1/users"), "items")) {
    if (u["username"] == "dr.reyes") {
      id = u["id"];
      EXPECT_EQ(u["locked"], true);  // this address is locked out of her account
    }
  }
  ASSERT_FALSE(id.empty());
  // Authorised before validated: a nurse is refused (and audited) whatever the body.
  Client nurse = LoggedIn("nurse.okafor");
  EXPECT_EQ(nurse.Post("/api/v1/users/" + id + "/unlock", json::object()).status, 403);
  auto blank = admin.Post("/api/v1/users/" + id + "/unlock", {{"reason", "   "}});
  EXPECT_EQ(blank.status, 400);
  EXPECT_EQ(blank.json()["error"]["field"], "reason");
  EXPECT_EQ(
      admin.Post("/api/v1/users/" + std::string(32, 'a') + "/unlock", {{"reason", "x"}}).status,
      404);
  auto unlocked = admin.Post("/api/v1/users/" + id + "/unlock",
                             {{"reason", "called from room 3; knew her badge number"}});
  EXPECT_EQ(unlocked.status, 204) << unlocked.body;
  EXPECT_EQ(c.Login("dr.reyes", kDemoPassword).status, 200);
  bool audited = false;
  for (const auto& e : Audit()) {
    audited |= e.action == "user.unlock" && e.detail.find("room 3") != std::string::npos;
  }
  EXPECT_TRUE(audited);
}

// Before: a stolen session could bind its own second factor (no password asked) and there was no
// way back; the owner was locked out for good.
TEST_P(AccountSecurityTest, TheSecondFactorAsksForThePasswordEndsOtherSessionsAndCanBeUndone) {
  Client mine = LoggedIn("nurse.okafor");
  Client other = LoggedIn("nurse.okafor");  // her other device (or a thief's)
  auto missing = mine.Post("/api/v1/auth/totp/enroll", json::object());
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json()["error"]["field"], "password");
  auto wrong = mine.Post("/api/v1/auth/totp/enroll", {{"password", "not-her-password"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.json()["error"]["field"], "password");
  auto enrol = mine.Post("/api/v1/auth/totp/enroll", {{"password", kDemoPassword}});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  const std::string secret = enrol.json()["secret"];
  auto code_at = [&](seconds later) {
    return app::TotpNow(secret, server_->clock().Now() + later).value();
  };
  EXPECT_EQ(other.Get("/api/v1/auth/me").status, 200);
  ASSERT_EQ(mine.Post("/api/v1/auth/totp/confirm", {{"code", code_at(seconds(0))}}).status, 204);
  server_->clock().Advance(app::AuthService::kSessionCacheTtl);
  EXPECT_EQ(other.Get("/api/v1/auth/me").status, 401);  // logged in without the factor: ended
  EXPECT_EQ(mine.Get("/api/v1/auth/me").status, 200);
  // The wrong password counted as a failed login.
  bool counted = false;
  for (const auto& e : Audit())
    counted |= e.action == "auth.reauthenticate" && e.outcome == "failure";
  EXPECT_TRUE(counted);

  // Off again: password and a fresh code (the confirming one is used).
  auto used = mine.Post("/api/v1/auth/totp/remove",
                        {{"password", kDemoPassword}, {"code", code_at(seconds(0))}});
  EXPECT_EQ(used.status, 400);
  EXPECT_EQ(used.json()["error"]["field"], "code");
  auto removed = mine.Post("/api/v1/auth/totp/remove",
                           {{"password", kDemoPassword}, {"code", code_at(seconds(30))}});
  EXPECT_EQ(removed.status, 204) << removed.body;
  EXPECT_EQ(mine.Get("/api/v1/auth/me").json()["user"]["totp_enabled"], false);
  EXPECT_EQ(server_->NewClient().Login("nurse.okafor", kDemoPassword).status, 200);
}

TEST_P(AccountSecurityTest, SheChangesHerOwnPasswordAfterTheCurrentOne) {
  Client mine = LoggedIn("desk.miller");
  Client other = LoggedIn("desk.miller");
  const std::string next = "a quiet harbour at dawn";
  auto wrong = mine.Post("/api/v1/auth/password",
                         {{"current_password", "not-the-password"}, {"new_password", next}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.json()["error"]["field"], "current_password");
  auto common = mine.Post("/api/v1/auth/password",
                          {{"current_password", kDemoPassword}, {"new_password", "password1234"}});
  EXPECT_EQ(common.status, 400);
  EXPECT_EQ(common.json()["error"]["field"], "new_password");
  auto same = mine.Post("/api/v1/auth/password",
                        {{"current_password", kDemoPassword}, {"new_password", kDemoPassword}});
  EXPECT_EQ(same.status, 400);
  EXPECT_EQ(same.json()["error"]["field"], "new_password");
  auto changed = mine.Post("/api/v1/auth/password",
                           {{"current_password", kDemoPassword}, {"new_password", next}});
  EXPECT_EQ(changed.status, 204) << changed.body;
  server_->clock().Advance(app::AuthService::kSessionCacheTtl);
  EXPECT_EQ(mine.Get("/api/v1/auth/me").status, 200);
  EXPECT_EQ(other.Get("/api/v1/auth/me").status, 401);
  EXPECT_EQ(server_->NewClient().Login("desk.miller", kDemoPassword).status, 401);
  EXPECT_EQ(server_->NewClient().Login("desk.miller", next).status, 200);
}

// A lost phone: the administrator turns the factor off with a reason and every session of the
// account ends; the owner logs in with her password and sets up the new phone.
TEST_P(AccountSecurityTest, AnAdministratorResetsALostSecondFactor) {
  Client mine = LoggedIn("dr.reyes");
  auto enrol = mine.Post("/api/v1/auth/totp/enroll", {{"password", kDemoPassword}});
  ASSERT_EQ(enrol.status, 200);
  const std::string secret = enrol.json()["secret"];
  ASSERT_EQ(mine.Post("/api/v1/auth/totp/confirm",
                      {{"code", app::TotpNow(secret, server_->clock().Now()).value()}})
                .status,
            204);
  Client admin = LoggedIn("admin");
  std::string id;
  for (const auto& u : Member(admin.Get("/api/v1/users"), "items")) {
    if (u["username"] == "dr.reyes") id = u["id"];
  }
  Client desk = LoggedIn("desk.miller");
  EXPECT_EQ(desk.Post("/api/v1/users/" + id + "/totp/reset", {{"reason", "x"}}).status, 403);
  EXPECT_EQ(admin.Post("/api/v1/users/" + id + "/totp/reset", {{"reason", ""}}).status, 400);
  auto reset = admin.Post("/api/v1/users/" + id + "/totp/reset",
                          {{"reason", "phone lost; checked her staff card at the desk"}});
  EXPECT_EQ(reset.status, 204) << reset.body;
  server_->clock().Advance(app::AuthService::kSessionCacheTtl);
  EXPECT_EQ(mine.Get("/api/v1/auth/me").status, 401);
  auto back = server_->NewClient().Login("dr.reyes", kDemoPassword);
  EXPECT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json()["user"]["totp_enabled"], false);
  EXPECT_EQ(admin.Post("/api/v1/users/" + id + "/totp/reset", {{"reason", "again"}}).status, 412);
  bool audited = false;
  for (const auto& e : Audit()) {
    audited |= e.action == "user.totp_reset" && e.detail.find("phone lost") != std::string::npos;
  }
  EXPECT_TRUE(audited);
}

// The audit trail as the administrator reviews it: filtered by person, action, patient and the
// clinic's days, paged, and exported as CSV; each read is itself audited.
TEST_P(AccountSecurityTest, TheAuditTrailFiltersPagesAndExports) {
  const std::string ana = server_->ana_id();
  Client doctor = LoggedIn("dr.reyes");
  ASSERT_EQ(doctor.Get("/api/v1/patients/" + ana).status, 200);
  server_->NewClient().Login("desk.miller", "wrong-password-1");
  Client admin = LoggedIn("admin");

  auto by_doctor = admin.Get("/api/v1/audit?actor=dr.reyes&patient_id=" + ana);
  ASSERT_EQ(by_doctor.status, 200) << by_doctor.body;
  const json items = by_doctor.json()["items"];
  ASSERT_FALSE(items.empty());
  for (const auto& e : items) {
    EXPECT_EQ(e["actor"], "dr.reyes");
    EXPECT_EQ(e["patient_id"], ana);
    EXPECT_EQ(e["patient_name"], "Ana Silva");
  }
  auto logins = admin.Get("/api/v1/audit?action=auth.login&limit=1000");
  for (const auto& e : Member(logins, "items")) {
    EXPECT_EQ(e["action"].get<std::string>().rfind("auth.login", 0), 0u);
  }
  bool failed_login = false;
  for (const auto& e : Member(logins, "items")) failed_login |= e["outcome"] == "failure";
  EXPECT_TRUE(failed_login);

  // Pages: two at a time, no event twice, each older than the last.
  auto first = admin.Get("/api/v1/audit?limit=2");
  ASSERT_EQ(Member(first, "items").size(), 2u);
  const int64_t cursor = first.json()["next_before"];
  auto second = admin.Get("/api/v1/audit?limit=2&before=" + std::to_string(cursor));
  ASSERT_EQ(second.status, 200);
  EXPECT_LT(Member(second, "items")[0]["seq"].get<int64_t>(), cursor);

  // The clinic's days: the test clock's day has events, the day before has none.
  EXPECT_FALSE(Member(admin.Get("/api/v1/audit?from=2026-11-20&to=2026-11-21"), "items").empty());
  EXPECT_TRUE(Member(admin.Get("/api/v1/audit?from=2026-11-01&to=2026-11-10"), "items").empty());

  // Bad filters name themselves.
  for (const auto& [query, field] :
       std::vector<std::pair<std::string, std::string>>{{"actor=nobody.here", "actor"},
                                                        {"action=DROP%20TABLE", "action"},
                                                        {"from=yesterday", "from"},
                                                        {"from=2026-11-21&to=2026-11-01", "to"},
                                                        {"before=-3", "before"},
                                                        {"colour=blue", "colour"}}) {
    auto r = admin.Get("/api/v1/audit?" + query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.json()["error"]["field"], field) << query;
  }
  // Not for other roles.
  EXPECT_EQ(doctor.Get("/api/v1/audit/export").status, 403);

  auto csv = admin.Get("/api/v1/audit/export?patient_id=" + ana);
  ASSERT_EQ(csv.status, 200);
  EXPECT_THAT(csv.headers["content-type"], HasSubstr("text/csv"));
  EXPECT_THAT(csv.headers["content-disposition"], HasSubstr("attachment"));
  EXPECT_EQ(csv.body.rfind("seq,time_utc,time_clinic,user,role,action,", 0), 0u);
  EXPECT_THAT(csv.body, HasSubstr("Ana Silva"));
  EXPECT_THAT(csv.body, HasSubstr("EST"));  // the clinic's time, in its zone
  bool exported = false;
  for (const auto& e : Audit()) exported |= e.action == "audit.export";
  EXPECT_TRUE(exported);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountSecurityTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
