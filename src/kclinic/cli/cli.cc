#include "kclinic/cli/cli.h"

#include <signal.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kclinic/app/app.h"
#include "kclinic/app/care.h"
#include "kclinic/base/crypto.h"
#include "kclinic/cli/audit_anchor_command.h"
#include "kclinic/cli/server_tasks.h"
#include "kclinic/cli/tools.h"
#include "kclinic/domain/screening/screening.h"
#include "kclinic/http/api.h"
#include "kclinic/http/server.h"
#include "kclinic/store/soci_store.h"

namespace kclinic::cli {

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct CommonOptions {
  std::string db = "sqlite:var/kclinic.db";
  std::string listen = "127.0.0.1:8080";
  std::string web_dir;
  int workers = 4;
  bool access_log = true;
  bool secure_cookies = false;
  std::string log_level = "info";
  int demo_patients = 240;
  // Operations (issue 22): free disk kept in reserve under a SQLite database; serving a database
  // that could lose acknowledged writes only when told; who may read /metrics; how long a stop
  // waits for the requests in flight.
  int reserve_disk_mb = 100;
  bool allow_unsafe_durability = false;
  std::string metrics_token_file;
  double drain_seconds = 20;
  bool trust_forwarded_for = false;
  // Scheduled backups (issue 22 item 12) and audit anchors (item 13): cli/server_tasks.h.
  BackupTaskOptions backup;
  AnchorTaskOptions anchor;
};

void SetUpLogging(const std::string& level) {
  // JSON lines on stderr; callers log fields as `"msg":"...","key":value` and never patient data.
  auto logger = spdlog::stderr_logger_mt("kclinic");
  logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})", spdlog::pattern_time_type::utc));
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

int Fail(const Status& s) {
  nlohmann::json error = {{"code", StatusCodeName(s.code())}, {"message", s.message()}};
  if (!s.field().empty()) error["field"] = s.field();
  std::cerr << "kclinic: " << (s.field().empty() ? "" : s.field() + ": ") << s.message() << "\n";
  return s.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

std::string DefaultWebDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory("web/dist", ec)) return "web/dist";
  fs::path source = fs::path(KCLINIC_SOURCE_DIR) / "web" / "dist";
  if (fs::is_directory(source, ec)) return source.string();
  return "";
}

Result<std::unique_ptr<domain::Store>> OpenAndMigrate(const CommonOptions& o, size_t pool,
                                                      bool serving = false) {
  store::StoreOptions options{o.db, pool, /*patient_cache=*/serving};
  if (serving) {
    options.reserve_disk_bytes = static_cast<uint64_t>(o.reserve_disk_mb) << 20;
    options.check_integrity = true;
  }
  KC_ASSIGN_OR_RETURN(auto store, store::OpenStore(options));
  KC_ASSIGN_OR_RETURN(int applied, store->Migrate());
  if (applied > 0) spdlog::info(R"("msg":"migrations applied","count":{})", applied);
  return store;
}

Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument("listen", "must be HOST:PORT, like 127.0.0.1:8080");
  }
  std::string host = listen.substr(0, colon), port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return InvalidArgument("listen", "has a port that is not 0-65535");
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return std::make_pair(host, static_cast<uint16_t>(std::stoi(port)));
}

// Runs `fn` with an application environment on the database of `o` (for admin commands).
template <typename Fn>
int WithEnv(const CommonOptions& o, Fn fn) {
  auto store = OpenAndMigrate(o, 3);
  if (!store.ok()) return Fail(store.status());
  app::AuditWriter audit(**store);
  app::SettingsCache settings(**store, SystemClock::Get());
  app::Env env{**store, audit, SystemClock::Get(), settings};
  return fn(env);
}

std::string OperatorName() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user && *user ? user : "unknown");
}

int Serve(const CommonOptions& o, bool demo, std::string_view allocator) {
  auto listen = ParseListen(o.listen);
  if (!listen.ok()) return Fail(listen.status());
  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // One connection per worker, one for the audit writer, a few for bursts. A server keeps patient
  // records in memory (on SQLite, where it then must be the database's only server).
  auto store = OpenAndMigrate(o, static_cast<size_t>(o.workers) + 4, /*serving=*/true);
  if (!store.ok()) return Fail(store.status());
  // A database that could lose an acknowledged write is served only when told (a demo's data is
  // synthetic: it is served with the warning).
  std::vector<std::string> risks = (*store)->DurabilityRisks();
  for (const auto& risk : risks) {
    spdlog::warn(R"("msg":"acknowledged writes could be lost","risk":{})",
                 nlohmann::json(risk).dump());
  }
  if (!risks.empty() && !demo && !o.allow_unsafe_durability) {
    return Fail(FailedPrecondition(
        risks.front() +
        ". kclinic does not serve clinical records from it; fix the database's settings, or "
        "pass --allow-unsafe-durability for a test database"));
  }
  std::string metrics_token;
  if (!o.metrics_token_file.empty()) {
    std::ifstream in(o.metrics_token_file);
    std::getline(in, metrics_token);
    if (!in && metrics_token.empty()) {
      return Fail(InvalidArgument("metrics-token-file", "cannot be read"));
    }
    if (metrics_token.size() < 16) {
      return Fail(
          InvalidArgument("metrics-token-file", "must hold a token of 16 characters or more"));
    }
  }
  SystemClock::OnBackwardJump([](std::chrono::microseconds by) {
    spdlog::warn(
        R"("msg":"the system clock went back; timestamps stay at the latest one until it catches up","by_ms":{})",
        by.count() / 1000);
  });
  app::AuditWriter audit(**store);
  app::SettingsCache settings(**store, SystemClock::Get());
  app::Env env{**store, audit, SystemClock::Get(), settings};

  // Before serving: a database behind its anchor log is not served unless told.
  std::unique_ptr<AnchorTask> anchors;
  if (!o.anchor.log.empty() || !o.anchor.key_file.empty()) {
    if (o.anchor.log.empty() || o.anchor.key_file.empty()) {
      return Fail(InvalidArgument(o.anchor.log.empty() ? "anchor-log" : "anchor-key",
                                  "is required with --anchor-key and --anchor-log"));
    }
    auto started = AnchorTask::Start(**store, SystemClock::Get(), o.anchor);
    if (!started.ok()) return Fail(started.status());
    anchors = std::move(started).value();
  }
  std::vector<app::DemoLogin> logins;
  if (demo) {
    auto seeded = app::SeedDemo(env, o.demo_patients);
    if (!seeded.ok()) return Fail(seeded.status());
    logins = *seeded;
  }

  std::unique_ptr<BackupTask> backups;
  if (!o.backup.dir.empty()) {
    BackupTaskOptions backup = o.backup;
    backup.db = o.db;
    auto started = BackupTask::Start(env, backup);
    if (!started.ok()) return Fail(started.status());
    backups = std::move(started).value();
  }

  std::string web_dir = o.web_dir.empty() ? DefaultWebDir() : o.web_dir;
  http::ApiOptions api_options{web_dir, o.secure_cookies, metrics_token};
  api_options.backup_health = backups ? &backups->health() : nullptr;
  api_options.anchor_health = anchors ? &anchors->health() : nullptr;
  http::Api api(env, api_options);
  http::ServerOptions server_options;
  server_options.host = listen->first;
  server_options.port = listen->second;
  server_options.worker_threads = o.workers;
  server_options.access_log = o.access_log;
  server_options.trust_forwarded_for = o.trust_forwarded_for;
  http::Server server(api, server_options);
  auto port = server.Listen();
  if (!port.ok()) return Fail(port.status());
  server.Start();

  std::string host =
      listen->first.find(':') != std::string::npos ? "[" + listen->first + "]" : listen->first;
  if (demo) {
    std::cout << "kclinic demo clinic (" << (*store)->backend() << ")\n";
    if (logins.empty()) {
      std::cout << "The database already had accounts; the demo logins are unchanged:\n";
      logins = {{"admin", "admin", "kclinic-demo"},
                {"dr.reyes", "prescriber", "kclinic-demo"},
                {"nurse.okafor", "nurse", "kclinic-demo"},
                {"desk.miller", "front_desk", "kclinic-demo"},
                {"ana.silva", "patient", "kclinic-demo"}};
    } else {
      std::cout << "Demo logins (synthetic data only):\n";
    }
    for (const auto& l : logins) {
      std::cout << "  " << l.username
                << std::string(18 - std::min<size_t>(17, l.username.size()), ' ') << l.role
                << std::string(13 - std::min<size_t>(12, l.role.size()), ' ')
                << "password: " << l.password << "\n";
    }
  }
  std::cout << "listening on http://" << host << ":" << *port << std::endl;
  spdlog::info(R"("msg":"serving","backend":"{}","port":{},"web_app":{},"malloc":{})",
               (*store)->backend(), *port, web_dir.empty() ? "false" : "true",
               nlohmann::json(std::string(allocator)).dump());

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info(
      R"("msg":"stopping: no new connections; finishing the requests in flight","signal":{})", sig);
  // A backup in progress ends first (it reads the database the drain leaves open).
  if (backups) backups->Stop();
  auto drain = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(o.drain_seconds));
  size_t abandoned = server.Drain(drain);
  if (abandoned > 0) {
    spdlog::warn(R"("msg":"stop deadline passed with requests in flight","requests":{})",
                 abandoned);
  }
  server.Stop();
  // Every audit event is written now: the last anchor covers them all.
  if (anchors) anchors->Stop();
  spdlog::info(R"("msg":"stopped")");
  return 0;
}

int Migrate(const CommonOptions& o) {
  auto store = store::OpenStore({o.db, 2});
  if (!store.ok()) return Fail(store.status());
  auto applied = (*store)->Migrate();
  if (!applied.ok()) return Fail(applied.status());
  std::cout << "applied " << *applied << " migration(s); the " << (*store)->backend()
            << " database is up to date\n";
  return 0;
}

int AddUser(const CommonOptions& o, const std::string& username, const std::string& role_name,
            bool password_stdin, const std::string& patient_id) {
  if (!password_stdin) {
    return Fail(InvalidArgument("password-stdin",
                                "is required: pipe the password on stdin, so "
                                "it never shows in the process list"));
  }
  auto role = domain::ParseRole(role_name);
  if (!role) {
    return Fail(
        InvalidArgument("role", "must be one of admin, prescriber, nurse, front_desk, patient"));
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return WithEnv(o, [&](app::Env& env) {
    app::AuthService auth(env);
    std::optional<PatientId> pid;
    if (!patient_id.empty()) pid = PatientId(patient_id);
    auto user = auth.AddUser(nullptr, username, *role, password, pid);
    if (!user.ok()) return Fail(user.status());
    std::cout << "created " << role_name << " account " << user->username << "\n";
    return 0;
  });
}

int SettingsList(const CommonOptions& o) {
  return WithEnv(o, [](app::Env& env) {
    domain::SiteSettings s = env.settings.Get();
    std::cout << "site settings version " << s.version() << "\n";
    for (const domain::SettingDefinition* d : domain::SettingDefinitions()) {
      std::cout << "  " << d->key << " = " << s.Get(*d) << " " << d->unit << " (default "
                << d->default_value << "; " << d->min_value << "-" << d->max_value << ")\n      "
                << d->citation << "\n";
    }
    return 0;
  });
}

int SettingsSet(const CommonOptions& o, const std::string& key, const std::string& value,
                const std::string& reason) {
  char* end = nullptr;
  double v = std::strtod(value.c_str(), &end);
  if (value.empty() || !end || *end != '\0')
    return Fail(InvalidArgument("value", "is not a number"));
  return WithEnv(o, [&](app::Env& env) {
    auto version = app::ChangeSetting(env, OperatorName(), key, v, reason);
    if (!version.ok()) return Fail(version.status());
    std::cout << key << " = " << v << " (site settings version " << *version << ")\n";
    return 0;
  });
}

int SettingsText(const CommonOptions& o, const std::string& key, bool from_stdin, std::string value,
                 const std::string& reason) {
  if (from_stdin) {
    value.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  }
  return WithEnv(o, [&](app::Env& env) {
    auto version = app::CareService::SetSiteText(env, OperatorName(), key, value, reason);
    if (!version.ok()) return Fail(version.status());
    std::cout << key << " stored (version " << *version << ")\n";
    return 0;
  });
}

int UserUnlock(const CommonOptions& o, const std::string& username) {
  return WithEnv(o, [&](app::Env& env) {
    app::AuthService auth(env);
    Status s = auth.Unlock(nullptr, username);
    if (!s.ok()) return Fail(s);
    std::cout << "unlocked " << username << "\n";
    return 0;
  });
}

int AuditVerify(const CommonOptions& o, bool as_json) {
  auto store = store::OpenStore({o.db, 2});
  if (!store.ok()) return Fail(store.status());
  auto result = app::VerifyAuditTrail(**store);
  if (!result.ok()) return Fail(result.status());
  bool ok = !result->first_bad_seq;
  if (as_json) {
    nlohmann::json j = {{"ok", ok}, {"events_checked", result->events_checked}};
    if (!ok) {
      j["first_bad_seq"] = *result->first_bad_seq;
      j["problem"] = result->problem;
    }
    std::cout << j.dump() << "\n";
  } else if (ok) {
    std::cout << "audit trail intact: " << result->events_checked << " events verified\n";
  } else {
    std::cout << "audit trail BROKEN at event " << *result->first_bad_seq << ": " << result->problem
              << " (" << result->events_checked << " events before it verified)\n";
  }
  return ok ? 0 : kExitFailure;
}

int DbCheck(const CommonOptions& o, bool full) {
  if (o.db.rfind("sqlite:", 0) != 0) {
    std::cout << "PostgreSQL checks its own pages (initdb --data-checksums) and reports damage "
                 "in its log; nothing to check here\n";
    return 0;
  }
  auto problems = store::CheckSqliteIntegrity(o.db, full);
  if (!problems.ok()) return Fail(problems.status());
  if (problems->empty()) {
    std::cout << "database sound (" << (full ? "integrity_check" : "quick_check") << ": ok)\n";
    return 0;
  }
  std::cout << "database DAMAGED: " << problems->size() << " problem(s) found; restore the last "
            << "good backup\n";
  for (const auto& p : *problems) std::cout << "  " << p << "\n";
  return kExitFailure;
}

}  // namespace

int Main(int argc, char** argv, std::string_view allocator) {
  if (!InitCrypto().ok()) {
    std::cerr << "kclinic: libsodium failed to initialise\n";
    return kExitFailure;
  }
  // Every setting a rule reads is declared with its bounds and citation; keys the screening rules
  // compose from data are proved declared here, before anything reads one.
  if (Status s = domain::CheckSettingCatalog(domain::screening::ComposedSettingKeys()); !s.ok()) {
    std::cerr << "kclinic: " << s.message() << "\n";
    return kExitFailure;
  }
  CLI::App cli{"kclinic: the IV ketamine therapy program for treatment-resistant depression"};
  cli.require_subcommand(0, 1);
  cli.set_version_flag("--version", std::string("kclinic ") + KCLINIC_VERSION +
                                        " (malloc: " + std::string(allocator) + ")");
  CommonOptions o;

  auto add_db = [&](CLI::App* sub) {
    sub->add_option("--db", o.db, "sqlite:PATH or postgresql://USER@HOST:PORT/DB")
        ->envname("KCLINIC_DB")
        ->capture_default_str();
    sub->add_option("--log-level", o.log_level, "trace, debug, info, warn, error")
        ->envname("KCLINIC_LOG_LEVEL")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  };
  auto add_server = [&](CLI::App* sub) {
    add_db(sub);
    sub->add_option("--listen", o.listen, "HOST:PORT to serve on (port 0: any free port)")
        ->envname("KCLINIC_LISTEN")
        ->capture_default_str();
    sub->add_option("--web", o.web_dir, "directory of the built web app (default: web/dist)")
        ->envname("KCLINIC_WEB_DIR");
    sub->add_option("--workers", o.workers, "threads for database work")
        ->envname("KCLINIC_WORKERS")
        ->check(CLI::Range(1, 512))
        ->capture_default_str();
    sub->add_option("--access-log", o.access_log, "log one line per request (true/false)")
        ->envname("KCLINIC_ACCESS_LOG")
        ->capture_default_str();
    sub->add_option("--secure-cookies", o.secure_cookies, "mark the session cookie Secure (HTTPS)")
        ->envname("KCLINIC_SECURE_COOKIES");
    sub->add_option("--reserve-disk-mb", o.reserve_disk_mb,
                    "SQLite: refuse writes while the database's disk has less free space (MB)")
        ->envname("KCLINIC_RESERVE_DISK_MB")
        ->check(CLI::Range(0, 1'000'000))
        ->capture_default_str();
    sub->add_flag("--allow-unsafe-durability", o.allow_unsafe_durability,
                  "serve a database that could lose acknowledged writes (fsync or "
                  "synchronous_commit off, a RAM disk): for tests only")
        ->envname("KCLINIC_ALLOW_UNSAFE_DURABILITY");
    sub->add_option("--metrics-token-file", o.metrics_token_file,
                    "a file holding the bearer token /metrics asks for (default: /metrics "
                    "answers loopback clients only)")
        ->envname("KCLINIC_METRICS_TOKEN_FILE");
    sub->add_flag("--trust-forwarded-for", o.trust_forwarded_for,
                  "behind a reverse proxy on this machine: X-Forwarded-For names the client "
                  "(failed logins are held back per client; /metrics then needs its token)")
        ->envname("KCLINIC_TRUST_FORWARDED_FOR");
    sub->add_option("--drain-seconds", o.drain_seconds,
                    "on SIGTERM, how long to wait for the requests in flight")
        ->envname("KCLINIC_DRAIN_SECONDS")
        ->check(CLI::Range(0.0, 600.0))
        ->capture_default_str();
    sub->add_option("--backup-dir", o.backup.dir,
                    "take scheduled backups into this directory (kclinic-YYYYMMDD-HHMM.kcb)")
        ->envname("KCLINIC_BACKUP_DIR");
    sub->add_option("--backup-at", o.backup.at,
                    "when: a clinic-local time HH:MM (daily) or an interval (30m, 6h)")
        ->envname("KCLINIC_BACKUP_AT")
        ->capture_default_str();
    sub->add_option("--backup-keep", o.backup.keep, "how many good scheduled backups to keep")
        ->envname("KCLINIC_BACKUP_KEEP")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    sub->add_option("--backup-key", o.backup.key_file,
                    "encrypt scheduled backups with this key (backup keygen)")
        ->envname("KCLINIC_BACKUP_KEY");
    sub->add_option("--anchor-key", o.anchor.key_file,
                    "sign the audit chain's head with this key (audit keygen)")
        ->envname("KCLINIC_ANCHOR_KEY");
    sub->add_option("--anchor-log", o.anchor.log,
                    "append the signed heads to this file, kept apart from the database")
        ->envname("KCLINIC_ANCHOR_LOG");
    sub->add_option("--anchor-interval-seconds", o.anchor.interval_seconds,
                    "how often to sign the head while it moves")
        ->envname("KCLINIC_ANCHOR_INTERVAL_SECONDS")
        ->check(CLI::Range(1, 86400))
        ->capture_default_str();
    sub->add_flag("--anchor-accept-rollback", o.anchor.accept_rollback,
                  "serve a database that is behind the anchor log (a restore you chose)")
        ->envname("KCLINIC_ANCHOR_ACCEPT_ROLLBACK");
  };

  CLI::App* serve = cli.add_subcommand("serve", "serve the clinic over HTTP");
  add_server(serve);
  CLI::App* demo =
      cli.add_subcommand("demo", "seed a demo clinic if the database is empty, then serve");
  add_server(demo);
  demo->add_option("--patients", o.demo_patients, "synthetic patients to create")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  CLI::App* migrate = cli.add_subcommand("migrate", "apply database migrations");
  add_db(migrate);

  CLI::App* user = cli.add_subcommand("user", "manage accounts");
  user->require_subcommand(1);
  CLI::App* user_add = user->add_subcommand("add", "create an account");
  std::string username, role, patient_id;
  bool password_stdin = false;
  add_db(user_add);
  user_add->add_option("--username", username, "3-64 of a-z 0-9 . _ -")->required();
  user_add->add_option("--role", role, "admin, prescriber, nurse, front_desk or patient")
      ->required();
  user_add->add_flag("--password-stdin", password_stdin, "read the password from stdin");
  user_add->add_option("--patient-id", patient_id, "the patient record a patient account opens");

  CLI::App* user_unlock = user->add_subcommand("unlock", "lift a login lockout now");
  add_db(user_unlock);
  std::string unlock_username;
  user_unlock->add_option("--username", unlock_username, "the locked account")->required();

  CLI::App* settings = cli.add_subcommand("settings", "the site settings (versioned, cited)");
  settings->require_subcommand(1);
  CLI::App* settings_list = settings->add_subcommand("list", "show every setting in force");
  add_db(settings_list);
  CLI::App* settings_set = settings->add_subcommand("set", "store a new version of one setting");
  add_db(settings_set);
  std::string setting_key, setting_value, setting_reason;
  settings_set->add_option("key", setting_key, "e.g. session.idle_timeout_minutes")->required();
  settings_set->add_option("value", setting_value, "the new value")->required();
  settings_set->add_option("--reason", setting_reason, "why it changes (stored with it)")
      ->required();

  CLI::App* settings_text =
      settings->add_subcommand("text", "store a new version of a site text (crisis_resources)");
  add_db(settings_text);
  std::string text_key, text_value;
  bool text_stdin = false;
  settings_text->add_option("key", text_key, "crisis_resources")->required();
  settings_text->add_option("--value", text_value, "the new text");
  settings_text->add_flag("--value-stdin", text_stdin, "read the text from stdin");
  settings_text->add_option("--reason", setting_reason, "why it changes (stored with it)")
      ->required();

  CLI::App* audit = cli.add_subcommand("audit", "the audit trail");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand("verify", "check the hash chain of the whole trail");
  bool verify_json = false;
  add_db(verify);
  verify->add_flag("--json", verify_json, "print the result as JSON");
  std::string verify_anchors, verify_public_key;
  verify->add_option("--anchors", verify_anchors,
                     "also check the trail against this anchor log (signed heads)");
  verify->add_option("--public-key", verify_public_key,
                     "the anchors' public key (audit keygen wrote it to KEY.pub)");
  CLI::App* audit_keygen =
      audit->add_subcommand("keygen", "write a fresh key for signing the audit chain's head");
  std::string keygen_to;
  audit_keygen->add_option("--to", keygen_to, "the secret key file to write (mode 0600)")
      ->required();

  CLI::App* db_cmd = cli.add_subcommand("db", "the database file");
  db_cmd->require_subcommand(1);
  CLI::App* db_check =
      db_cmd->add_subcommand("check", "check a SQLite database file for damage (read only)");
  bool check_full = false;
  add_db(db_check);
  db_check->add_flag("--full", check_full,
                     "run integrity_check (every index against its table), not quick_check");

  std::vector<ToolRunner> tools = {AddScoreCommand(cli), AddDoseCommand(cli), AddPkCommands(cli),
                                   AddScreenCommand(cli)};
  tools.push_back(AddLedgerCommand(cli));
  tools.push_back(AddBackupCommands(cli));
  tools.push_back(AddPlanCommands(cli));

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = cli.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  if (cli.get_subcommands().empty()) {
    std::cerr << cli.help();
    return kExitUsage;
  }
  for (const auto& tool : tools) {
    if (auto code = tool()) return *code;
  }
  SetUpLogging(o.log_level);
  if (serve->parsed()) return Serve(o, false, allocator);
  if (demo->parsed()) return Serve(o, true, allocator);
  if (migrate->parsed()) return Migrate(o);
  if (user_add->parsed()) return AddUser(o, username, role, password_stdin, patient_id);
  if (user_unlock->parsed()) return UserUnlock(o, unlock_username);
  if (settings_list->parsed()) return SettingsList(o);
  if (settings_set->parsed()) return SettingsSet(o, setting_key, setting_value, setting_reason);
  if (settings_text->parsed()) {
    return SettingsText(o, text_key, text_stdin, text_value, setting_reason);
  }
  if (audit_keygen->parsed()) return AuditKeygen(keygen_to);
  if (verify->parsed() && !verify_anchors.empty()) {
    return AuditVerifyAnchors(o.db, verify_anchors, verify_public_key, verify_json);
  }
  if (verify->parsed() && !verify_public_key.empty()) {
    return Fail(InvalidArgument("public-key", "is only used with --anchors"));
  }
  if (verify->parsed()) return AuditVerify(o, verify_json);
  if (db_check->parsed()) return DbCheck(o, check_full);
  std::cerr << cli.help();
  return kExitUsage;
}

}  // namespace kclinic::cli
