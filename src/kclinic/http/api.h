// The HTTP API: the route table, authentication, CSRF, permission checks and the JSON mapping of
// each use case. Handlers only adapt: parse, call one app/ function, render (userver).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "kclinic/app/app.h"
#include "kclinic/app/care.h"
#include "kclinic/app/ledger.h"
#include "kclinic/app/login_throttle.h"
#include "kclinic/app/patient_fetcher.h"
#include "kclinic/app/schedule.h"
#include "kclinic/app/screening.h"
#include "kclinic/app/sessions.h"
#include "kclinic/app/task_health.h"
#include "kclinic/http/message.h"
#include "kclinic/http/metrics.h"
#include "kclinic/http/router.h"

namespace kclinic::http {

struct ApiOptions {
  // Directory of the built web app (index.html, assets/); empty: serve a short notice at "/".
  std::string web_dir;
  // Adds "Secure" to the session cookie; on when kclinic is served over HTTPS.
  bool secure_cookies = false;
  // The bearer token /metrics asks for; empty: /metrics answers loopback clients only.
  std::string metrics_token;
  // The server's scheduled backups and audit anchors (cli/server_tasks.h), when it runs them:
  // /metrics and /readyz report them. They must outlive the Api.
  const app::TaskHealth* backup_health = nullptr;
  const app::TaskHealth* anchor_health = nullptr;
};

struct RouteContext {
  const Request& request;
  std::map<std::string, std::string> params;
  std::optional<app::AuthContext> auth;  // set on every route that is not public
  std::string token;                     // the session cookie's value
  const domain::Actor& actor() const { return auth->actor; }
};

class Api {
 public:
  Api(app::Env env, ApiOptions options);

  // Answers one request: route, authenticate, check CSRF and permission, run the handler.
  // May block on the database: call it from a worker thread, after HandleInline (which alone
  // serves the web app's static files). Never throws. `counted`: false for a request already
  // answered once and counted in the metrics (a read done again; http/server.cc).
  Response Handle(const Request& request, bool counted = true);
  // Answers requests that never touch the database (static files, /healthz, /metrics) without
  // blocking; nullopt for everything else.
  std::optional<Response> HandleInline(const Request& request);
  // Answers a request to a route marked Route::try_on_loop without blocking, inside a
  // app::NonBlockingScope: its answer when everything it needed was in memory (the session,
  // and the record cached or `fetched` for this request), nullopt as soon as anything needed
  // the database or the route is not marked. On nullopt nothing was recorded; `wanted` (if
  // given) is set when all the attempt lacked so far was one patient's record, which the caller
  // may fetch (patient_fetcher) and try again with. Otherwise the caller runs Handle on a
  // worker. Either way it first drops the audit events its AuditDeferral collected during the
  // attempt. Never throws.
  std::optional<Response> HandleWithoutBlocking(
      const Request& request, std::shared_ptr<const domain::Patient> fetched = nullptr,
      std::optional<PatientId>* wanted = nullptr, bool counted = true);

  const Router& router() const { return router_; }
  app::AuditWriter& audit_writer() { return env_.audit; }
  app::PatientFetcher& patient_fetcher() { return *fetcher_; }
  Metrics& metrics() { return *metrics_; }
  // The server dropped an answer from a recent record that the audit append found changed, and
  // read the record again (kclinic_patient_reads_repeated in /metrics).
  void CountStaleRecent() { stale_recent_.fetch_add(1, std::memory_order_relaxed); }
  // From now on /readyz answers 503 "draining", so a load balancer sends no new work (the server
  // is stopping and finishes what is in flight).
  void SetDraining() { draining_.store(true, std::memory_order_relaxed); }

 private:
  // Handle without the metrics: route, authenticate, check, run (catching exceptions).
  Response Run(const Request& request, size_t* route_index);
  void AddRoutes();
  void AddCareRoutes();       // api_care.cc: scales, outcomes, courses, alerts
  void AddScreeningRoutes();  // api_screening.cc: intake, screening, dosing, PK
  void AddScheduleRoutes();   // api_schedule.cc: resources, bookings, boosters, worklists
  void AddSessionRoutes();    // api_sessions.cc: infusion/esketamine sessions, REMS forms
  void AddLedgerRoutes();     // api_ledger.cc: controlled-substance lots, entries, reports
  void AddAuditRoutes();      // api_audit.cc: the audit trail, filtered, and its CSV export
  // The audit events the query string of GET /audit (or /audit/export) selects, with the names
  // a person reads beside the ids.
  struct AuditPage {
    std::vector<domain::AuditEvent> events;
    std::optional<int64_t> next_before;
    std::string zone;
    std::map<std::string, std::string> usernames;      // by user id
    std::map<std::string, std::string> patient_names;  // by patient id, "" when unreadable
  };
  Result<AuditPage> ReadAudit(const Request& request, int default_limit, int max_limit,
                              bool exported, const domain::Actor& actor);
  void LoadWebApp();
  // The gauges of the scheduled backups and anchors (when the server runs them).
  void AddScheduledTaskGauges();
  // /readyz's "backup": {"status": "recent" | "overdue" | "none yet" | "not scheduled",
  // "last_good_at"?, "age_seconds"?, "failures"?}.
  nlohmann::json BackupReadiness() const;
  // The built web app's files; "/" is index.html. nullopt when there is no such file.
  std::optional<Response> ServeStatic(const Request& request);
  Response Dispatch(const Request& request, size_t* route_index);
  // A POST sent with an Idempotency-Key: the first answer again for a retry, or run and keep
  // the answer (api_idempotency.cc).
  Response RunIdempotent(const Route& route, RouteContext& ctx);

  // Failed logins and witness checks per client address (app/login_throttle.h), for env_.
  std::unique_ptr<app::LoginThrottle> throttle_ = std::make_unique<app::LoginThrottle>();
  app::Env env_;
  ApiOptions options_;
  app::AuthService auth_;
  app::PatientService patients_;
  app::CareService care_;
  app::ScreeningService screening_;
  app::ScheduleService schedule_;
  app::SessionService sessions_;
  app::LedgerService ledger_{env_};
  Router router_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<app::PatientFetcher> fetcher_;
  std::atomic<uint64_t> stale_recent_{0};
  std::atomic<bool> draining_{false};
  std::atomic<int64_t> last_key_prune_hour_{-1};  // api_idempotency.cc

  // The JSON of the patient records read last, by id. A record the store serves from its cache
  // is one shared object until a change evicts it, and one the PatientFetcher read is shared by
  // every request of its batch, so its JSON is built once per change (or per batch) instead of
  // once per read (the patient read is the hottest route). Keyed on the object itself (its
  // control block, held weakly), so a new version never meets the old text.
  struct PatientJsonMemo {
    std::mutex mu;
    std::unordered_map<std::string, std::pair<std::weak_ptr<const domain::Patient>, std::string>>
        by_id;
  };
  std::string PatientJsonOf(const std::shared_ptr<const domain::Patient>& patient);
  std::unique_ptr<PatientJsonMemo> patient_json_ = std::make_unique<PatientJsonMemo>();
  std::map<std::string, std::pair<std::string, std::string>> static_files_;  // path -> type, body
};

}  // namespace kclinic::http
