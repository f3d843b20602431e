// Test support: real databases (a temp SQLite file, or a fresh database on the throwaway
// PostgreSQL cluster that scripts/test starts and names in KCLINIC_TEST_PG_URL), an in-process
// server on a free loopback port, and a small HTTP client with a cookie jar.
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "kclinic/app/app.h"
#include "kclinic/domain/ports.h"
#include "kclinic/http/api.h"
#include "kclinic/http/server.h"

namespace kclinic::testing {

// A database that exists for one test and is removed afterwards. It starts as a copy of a
// template migrated once per test run (support.cc): on PostgreSQL the database is created from it
// here; a SQLite file is copied from it when Open() first opens the database, so a command run on
// url() before any Open() (the CLI tests) still meets an empty file and migrates it itself.
class TestDatabase {
 public:
  // backend: "sqlite" or "postgresql". Fails the test (ADD_FAILURE) if PostgreSQL is asked for
  // and KCLINIC_TEST_PG_URL is not set.
  explicit TestDatabase(const std::string& backend);
  ~TestDatabase();
  const std::string& url() const { return url_; }
  const std::string& backend() const { return backend_; }
  // The SQLite database file ("" for PostgreSQL).
  const std::string& path() const { return path_; }
  // Opens and migrates a store on this database (nothing is left to apply to a template's copy).
  // patient_cache as a server opens it (StoreOptions::patient_cache).
  std::unique_ptr<domain::Store> Open(size_t pool_size = 8, bool patient_cache = false) const;
  // Runs raw SQL (one or more statements) outside kclinic, as an attacker with database access.
  // Returns "" on success, else the database's error message.
  std::string Exec(const std::string& sql) const;

 private:
  std::string backend_;
  std::string url_;
  std::string path_;     // sqlite
  std::string db_name_;  // postgresql
};

// The backends every conformance suite runs against.
inline const char* const kBackends[] = {"sqlite", "postgresql"};

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lowercase names; Set-Cookie joined with "\n"
  nlohmann::json json() const;
};

// The member `key` of a response's JSON body, by value: a range-for over `r.json()["k"]` would
// iterate a destroyed temporary.
inline nlohmann::json Member(const HttpResult& r, const char* key) { return r.json()[key]; }

// A PHQ-9 submission ({"instrument", "items"}) with the given total spread over items 1-8, three
// points at a time, and item 9 (suicidal ideation) as given.
inline nlohmann::json Phq9(int total, int item9 = 0) {
  nlohmann::json items = nlohmann::json::array();
  int rest = total - item9;
  for (int i = 0; i < 8; ++i) {
    int v = std::min(3, std::max(0, rest));
    items.push_back(v);
    rest -= v;
  }
  items.push_back(item9);
  return {{"instrument", "phq9"}, {"items", items}};
}

// A client for one user: keeps the session cookie and the CSRF token from login.
class Client {
 public:
  explicit Client(uint16_t port) : port_(port) {}
  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = "", std::map<std::string, std::string> headers = {});
  HttpResult Get(const std::string& target) { return Send("GET", target); }
  // JSON body with the CSRF header (when logged in).
  HttpResult Post(const std::string& target, const nlohmann::json& body);
  HttpResult Patch(const std::string& target, const nlohmann::json& body);
  // Logs in; returns the response. Keeps cookie and csrf_token on success.
  HttpResult Login(const std::string& username, const std::string& password,
                   const std::optional<std::string>& totp = std::nullopt);
  const std::string& csrf() const { return csrf_; }
  const std::string& cookie() const { return cookie_; }
  void set_cookie(std::string c) { cookie_ = std::move(c); }
  void set_csrf(std::string c) { csrf_ = std::move(c); }

 private:
  uint16_t port_;
  std::string cookie_;
  std::string csrf_;
};

// The whole server in-process, on a free loopback port, with a fake clock.
class TestServer {
 public:
  // Seeds the demo clinic with `demo_patients` patients (0: no demo, empty database).
  explicit TestServer(const TestDatabase& db, int demo_patients = 12, bool access_log = false,
                      std::chrono::steady_clock::duration idle_timeout = std::chrono::seconds(60));
  ~TestServer();
  uint16_t port() const { return port_; }
  Client NewClient() const { return Client(port_); }
  FakeClock& clock() { return clock_; }
  domain::Store& store() { return *store_; }
  app::Env env() { return {*store_, *audit_, clock_, *settings_}; }
  app::SettingsCache& settings() { return *settings_; }
  http::Api& api() { return *api_; }
  // The id of the demo patient linked to the portal account ana.silva.
  std::string ana_id();
  // Any other patient's id.
  std::string other_patient_id();

 private:
  FakeClock clock_;
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<app::AuditWriter> audit_;
  std::unique_ptr<app::SettingsCache> settings_;
  std::unique_ptr<http::Api> api_;
  std::unique_ptr<http::Server> server_;
  uint16_t port_ = 0;
};

inline constexpr const char* kDemoPassword = "kclinic-demo";

// A demo server on one back end (the test's parameter: "sqlite" or "postgresql") for each test.
class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  // A client logged in as `username` with the demo password.
  Client LoggedIn(const std::string& username);
  // The newest audit events, only those of `patient_id` when it is set.
  std::vector<domain::AuditEvent> Audit(const std::string& patient_id = "");
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<TestServer> server_;
};

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs the built program (KCLINIC_BINARY) with `args` (shell words, never user input) and `input`
// on stdin; captures stdout and stderr apart.
RunResult RunKclinic(const std::string& args, const std::string& input = "");

// A file in the temp directory holding `content` for one test (an input for a CLI command), named
// kclinic-PREFIX-PID-N.json; removed when it goes out of scope.
class TempFile {
 public:
  TempFile(const std::string& prefix, const std::string& content);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace kclinic::testing
