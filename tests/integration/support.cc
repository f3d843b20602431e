#include "support.h"

#include <utility>

#include <gtest/gtest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "kclinic/base/crypto.h"
#include "kclinic/store/soci_store.h"

namespace kclinic::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

namespace {

std::string PgAdminUrl() {
  const char* url = std::getenv("KCLINIC_TEST_PG_URL");
  return url ? url : "";
}

std::string WithDatabase(const std::string& url, const std::string& db) {
  auto slash = url.rfind('/');
  return url.substr(0, slash + 1) + db;
}

// Templates: migrating a database costs a few transactions (on SQLite each one synced to disk, on
// PostgreSQL each DDL statement a catalog change), and nearly every test wants a migrated one. So
// one database per back end is migrated once per test run, by the first test that needs it, and
// every test starts from a copy of it. The template's name carries a hash of the migrations, so a
// changed migration never meets a template made from the old one.

// FNV-1a over the back end's migrations: their numbers, names and SQL.
std::string MigrationsKey(std::string_view backend) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;  // a separator, so "ab"+"c" and "a"+"bc" differ
  };
  mix(backend);
  for (const store::Migration& m : store::MigrationsFor(backend)) {
    mix(std::to_string(m.number));
    mix(m.name);
    mix(m.sql);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// Migrates a fresh store at `url`; false (and a test failure) when that fails.
bool MigrateFresh(const std::string& url) {
  auto store = store::OpenStore({url, 1, false});
  if (!store.ok()) {
    ADD_FAILURE() << "cannot open the template database: " << store.status().message();
    return false;
  }
  auto migrated = (*store)->Migrate();
  EXPECT_TRUE(migrated.ok()) << "migrating the template database: " << migrated.status().message();
  return migrated.ok();
}

// Where the SQLite template lives: KCLINIC_TEST_TEMPLATE_DIR (scripts/test sets its own work
// directory, removed after the run), else the temp directory.
std::filesystem::path TemplateDir() {
  const char* dir = std::getenv("KCLINIC_TEST_TEMPLATE_DIR");
  return dir && *dir ? std::filesystem::path(dir) : std::filesystem::temp_directory_path();
}

// The migrated SQLite file to copy ("" when it cannot be made). Tests run in parallel processes:
// each builds its own candidate and renames it into place, which is atomic, so a test copies
// either no template or a whole one.
const std::string& SqliteTemplate() {
  static const std::string path = []() -> std::string {
    namespace fs = std::filesystem;
    fs::path dir = TemplateDir();
    fs::path final_path = dir / ("kclinic-test-template-" + MigrationsKey("sqlite") + ".db");
    if (fs::exists(final_path)) return final_path.string();
    fs::path tmp = dir / ("kclinic-test-template-" + NewId() + ".tmp");
    bool ok = MigrateFresh("sqlite:" + tmp.string());
    // The store is closed: its last connection checkpointed the WAL into the file.
    for (const char* suffix : {"-wal", "-shm"}) fs::remove(tmp.string() + suffix);
    if (!ok) {
      fs::remove(tmp);
      return "";
    }
    fs::rename(tmp, final_path);
    return final_path.string();
  }();
  return path;
}

// The migrated PostgreSQL database to create test databases from ("" when it cannot be made).
// Made under an advisory lock, by one test of the run, under a temporary name that is renamed
// once migrated, so no test ever copies a half-migrated template.
const std::string& PgTemplate(soci::session& admin) {
  static const std::string name = [&]() -> std::string {
    const std::string final_name = "kclinic_template_" + MigrationsKey("postgresql");
    constexpr int64_t kLock = 20261121;
    try {
      admin << "SELECT pg_advisory_lock(" + std::to_string(kLock) + ")";
      int exists = 0;
      admin << "SELECT COUNT(*) FROM pg_database WHERE datname = :n", soci::use(final_name, "n"),
          soci::into(exists);
      bool ok = true;
      if (exists == 0) {
        const std::string tmp = "kclinic_template_tmp_" + NewId();
        admin << "CREATE DATABASE " + tmp;
        ok = MigrateFresh(WithDatabase(PgAdminUrl(), tmp));
        // The store's connections are closed; PostgreSQL waits for their backends to end.
        if (ok) admin << "ALTER DATABASE " + tmp + " RENAME TO " + final_name;
      }
      admin << "SELECT pg_advisory_unlock(" + std::to_string(kLock) + ")";
      return ok ? final_name : "";
    } catch (const std::exception& e) {
      ADD_FAILURE() << "could not make the PostgreSQL template database: " << e.what();
      return "";
    }
  }();
  return name;
}

}  // namespace

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
  EXPECT_TRUE(InitCrypto().ok());
  if (backend == "sqlite") {
    path_ = (std::filesystem::temp_directory_path() / ("kclinic-test-" + NewId() + ".db")).string();
    url_ = "sqlite:" + path_;
    return;
  }
  std::string admin = PgAdminUrl();
  if (admin.empty()) {
    ADD_FAILURE() << "KCLINIC_TEST_PG_URL is not set: run the tests with `make test`, which "
                     "starts a throwaway PostgreSQL cluster";
    return;
  }
  soci::session admin_session(soci::postgresql, store::PostgresConnectString(admin).value());
  const std::string& tmpl = PgTemplate(admin_session);
  if (tmpl.empty()) return;
  db_name_ = "t_" + NewId();
  admin_session << "CREATE DATABASE " + db_name_ + " TEMPLATE " + tmpl;
  url_ = WithDatabase(admin, db_name_);
}

TestDatabase::~TestDatabase() {
  if (!path_.empty()) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  if (!db_name_.empty()) {
    try {
      soci::session admin_session(soci::postgresql,
                                  store::PostgresConnectString(PgAdminUrl()).value());
      admin_session << "DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)";
    } catch (const std::exception& e) {
      ADD_FAILURE() << "could not drop test database: " << e.what();
    }
  }
}

std::unique_ptr<domain::Store> TestDatabase::Open(size_t pool_size, bool patient_cache) const {
  // A SQLite database nothing has opened yet starts as a copy of the migrated template.
  if (!path_.empty() && !std::filesystem::exists(path_)) {
    const std::string& tmpl = SqliteTemplate();
    if (tmpl.empty()) return nullptr;
    std::filesystem::copy_file(tmpl, path_);
  }
  auto store = store::OpenStore({url_, pool_size, patient_cache});
  if (!store.ok()) {
    ADD_FAILURE() << "cannot open " << backend_ << ": " << store.status().message();
    return nullptr;
  }
  auto migrated = (*store)->Migrate();
  EXPECT_TRUE(migrated.ok()) << migrated.status().message();
  return std::move(store).value();
}

std::string TestDatabase::Exec(const std::string& sql) const {
  if (backend_ == "sqlite") {
    soci::session s(soci::sqlite3, "db=" + path_);
    auto* be = static_cast<soci::sqlite3_session_backend*>(s.get_backend());
    char* err = nullptr;
    int rc = sqlite_api::sqlite3_exec(be->conn_, sql.c_str(), nullptr, nullptr, &err);
    std::string message = rc == SQLITE_OK ? "" : (err ? err : "error");
    sqlite_api::sqlite3_free(err);
    return message;
  }
  {
    soci::session s(soci::postgresql, store::PostgresConnectString(url_).value());
    auto* be = static_cast<soci::postgresql_session_backend*>(s.get_backend());
    PGresult* res = PQexec(be->conn_, sql.c_str());
    auto st = PQresultStatus(res);
    std::string message = PQresultErrorMessage(res);
    PQclear(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? "" : message;
  }
}

nlohmann::json HttpResult::json() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << body;
  return j;
}

HttpResult Client::Send(const std::string& method, const std::string& target,
                        const std::string& body, std::map<std::string, std::string> headers) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port_});
  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
  req.set(bhttp::field::host, "127.0.0.1");
  if (!cookie_.empty()) req.set(bhttp::field::cookie, "kclinic_session=" + cookie_);
  for (auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  // A server may answer (413) and close before a big body is fully sent: read the answer anyway.
  boost::system::error_code write_ec;
  bhttp::write(socket, req, write_ec);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 << 20);
  if (method == "HEAD") parser.skip(true);
  bhttp::read(socket, buffer, parser);
  auto& res = parser.get();
  HttpResult out;
  out.status = res.result_int();
  out.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (out.headers.count(name)) {
      out.headers[name] += "\n" + std::string(f.value());
    } else {
      out.headers[name] = std::string(f.value());
    }
  }
  // Keep the cookie jar current.
  if (auto it = out.headers.find("set-cookie"); it != out.headers.end()) {
    const std::string& c = it->second;
    const std::string prefix = "kclinic_session=";
    if (c.rfind(prefix, 0) == 0) cookie_ = c.substr(prefix.size(), c.find(';') - prefix.size());
  }
  boost::system::error_code ec;
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return out;
}

HttpResult Client::Post(const std::string& target, const nlohmann::json& body) {
  return Send("POST", target, body.dump(),
              {{"Content-Type", "application/json"}, {"X-CSRF-Token", csrf_}});
}

HttpResult Client::Patch(const std::string& target, const nlohmann::json& body) {
  return Send("PATCH", target, body.dump(),
              {{"Content-Type", "application/json"}, {"X-CSRF-Token", csrf_}});
}

HttpResult Client::Login(const std::string& username, const std::string& password,
                         const std::optional<std::string>& totp) {
  nlohmann::json body = {{"username", username}, {"password", password}};
  if (totp) body["totp"] = *totp;
  HttpResult r =
      Send("POST", "/api/v1/auth/login", body.dump(), {{"Content-Type", "application/json"}});
  if (r.status == 200) csrf_ = r.json()["csrf_token"].get<std::string>();
  return r;
}

TestServer::TestServer(const TestDatabase& db, int demo_patients, bool access_log,
                       std::chrono::steady_clock::duration idle_timeout)
    : clock_(Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 11 / 21)) +
             std::chrono::hours(9)) {
  store_ = db.Open(8, /*patient_cache=*/true);  // as `kclinic serve` opens it
  if (!store_) return;
  audit_ = std::make_unique<app::AuditWriter>(*store_);
  settings_ = std::make_unique<app::SettingsCache>(*store_, clock_);
  if (demo_patients > 0) {
    auto seeded = app::SeedDemo(env(), demo_patients);
    EXPECT_TRUE(seeded.ok()) << seeded.status().message();
  }
  api_ = std::make_unique<http::Api>(env(), http::ApiOptions{});
  http::ServerOptions options;
  options.port = 0;
  options.io_threads = 2;  // more than one event loop, as on the 2-core machines kclinic runs on
  options.worker_threads = 4;
  options.access_log = access_log;
  options.idle_timeout = idle_timeout;
  server_ = std::make_unique<http::Server>(*api_, options);
  auto port = server_->Listen();
  EXPECT_TRUE(port.ok()) << port.status().message();
  port_ = port.ok() ? *port : 0;
  server_->Start();
}

TestServer::~TestServer() {
  if (server_) server_->Stop();
  server_.reset();
  api_.reset();
  audit_.reset();
}

std::string TestServer::ana_id() {
  auto tx = store_->Begin(domain::TxMode::kRead);
  auto user = (*tx)->users().GetByUsername("ana.silva");
  EXPECT_TRUE(user.ok());
  return user.ok() && user->patient_id ? user->patient_id->value() : "";
}

std::string TestServer::other_patient_id() {
  std::string ana = ana_id();
  auto tx = store_->Begin(domain::TxMode::kRead);
  auto page = (*tx)->patients().Search({"", 5, std::nullopt});
  for (const auto& p : page->items) {
    if (p.id.value() != ana) return p.id.value();
  }
  ADD_FAILURE() << "no other patient";
  return "";
}

void ServerTest::SetUp() {
  db_ = std::make_unique<TestDatabase>(GetParam());
  server_ = std::make_unique<TestServer>(*db_);
  ASSERT_NE(server_->port(), 0);
}

Client ServerTest::LoggedIn(const std::string& username) {
  Client c = server_->NewClient();
  auto r = c.Login(username, kDemoPassword);
  EXPECT_EQ(r.status, 200) << r.body;
  return c;
}

std::vector<domain::AuditEvent> ServerTest::Audit(const std::string& patient_id) {
  auto tx = server_->store().Begin(domain::TxMode::kRead);
  return (*tx)->audit().Recent(1000, patient_id).value();
}

RunResult RunKclinic(const std::string& args, const std::string& input) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kclinic-cli-" + NewId());
  fs::create_directories(dir);
  { std::ofstream(dir / "in") << input; }
  std::string cmd = std::string(KCLINIC_BINARY) + " " + args + " <" + (dir / "in").string() + " >" +
                    (dir / "out").string() + " 2>" + (dir / "err").string();
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  fs::remove_all(dir);
  return r;
}

TempFile::TempFile(const std::string& prefix, const std::string& content) {
  static std::atomic<int> counter{0};
  path_ = (std::filesystem::temp_directory_path() /
           ("kclinic-" + prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++) +
            ".json"))
              .string();
  std::ofstream(path_) << content;
}

TempFile::~TempFile() { std::filesystem::remove(path_); }

}  // namespace kclinic::testing
