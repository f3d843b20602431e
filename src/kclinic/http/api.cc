#include "kclinic/http/api.h"

#include <spdlog/spdlog.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "kclinic/base/crypto.h"
#include "kclinic/base/embedded.h"
#include "kclinic/codec/auth_request.h"
#include "kclinic/codec/json_read.h"
#include "kclinic/codec/patient_json.h"
#include "kclinic/http/api_util.h"
#include "kclinic/http/error.h"

namespace kclinic::http {

using domain::Permission;
using nlohmann::json;

namespace {
// An attempt on the event loop that was refused the database (app::NonBlockingScope) is thrown
// away with its answer (Api::HandleWithoutBlocking): the answer is not worth building. For the
// places such an attempt can fail: authentication and the patient read.
Response ErrorOrDropped(const Status& status) {
  if (app::NonBlockingScope::Refused()) return Response{};
  return ErrorResponse(status);
}

}  // namespace

// 409 confirmation_required: what to confirm before resending with "confirm": true. A duplicate
// names the records it matched (id, name, birth date), so that the person can open one instead.
Response ConfirmationRequired(const std::vector<domain::PlausibilityWarning>& warnings,
                              const std::vector<domain::Patient>& duplicates) {
  json list = json::array();
  for (const auto& w : warnings) {
    json item = {{"code", w.code}, {"field", w.field}, {"message", w.message}};
    if (w.code == "duplicate") {
      json matches = json::array();
      for (const auto& d : duplicates) {
        matches.push_back(
            {{"id", d.id.value()},
             {"name", {{"given", d.fields.name.given}, {"family", d.fields.name.family}}},
             {"birth_date", FormatDate(d.fields.birth_date)}});
      }
      item["matches"] = std::move(matches);
    }
    list.push_back(std::move(item));
  }
  const std::string first = warnings.empty() ? std::string() : warnings.front().field;
  Response r =
      ErrorResponse(409, "confirmation_required",
                    "check the figures below, then send again with \"confirm\": true", first);
  json body = json::parse(r.body);
  body["warnings"] = std::move(list);
  r.body = body.dump();
  return r;
}

Response JsonResponse(int status, const json& body) {
  Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

Response JsonText(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// Checks that only `allowed` query parameters are present.
Status CheckQuery(const Request& r, std::initializer_list<std::string_view> allowed) {
  if (!r.query_error.empty()) return InvalidArgument("query", r.query_error);
  for (const auto& [key, value] : r.query) {
    bool known = false;
    for (auto a : allowed) known = known || a == key;
    if (!known) return InvalidArgument(key, "is not a known query parameter");
  }
  return Status::Ok();
}

Result<int> IntParam(const Request& r, const std::string& key, int fallback, int lo, int hi) {
  auto it = r.query.find(key);
  if (it == r.query.end() || it->second.empty()) return fallback;
  const std::string& s = it->second;
  if (s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument(
        key, "must be a whole number between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  int v = std::stoi(s);
  if (v < lo || v > hi) {
    return InvalidArgument(key,
                           "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  return v;
}

Result<PatientId> PatientIdParam(const RouteContext& ctx) {
  const std::string& raw = ctx.params.at("id");
  if (!IsWellFormedId(raw)) return InvalidArgument("id", "is not a patient id (32 hex digits)");
  return PatientId(raw);
}

// The JSON body of a state-changing request. UnsupportedMediaType is answered as 415 by caller.
Result<json> Body(const Request& r) { return codec::ParseObject(r.body); }

Response OrderedJsonResponse(int status, const nlohmann::ordered_json& body) {
  Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

Result<std::string> IdParam(const RouteContext& ctx, const std::string& name) {
  const std::string& raw = ctx.params.at(name);
  if (!IsWellFormedId(raw)) return InvalidArgument(name, "is not an id (32 hex digits)");
  return raw;
}

namespace {

constexpr std::string_view kSessionCookie = "kclinic_session";

json UserJson(const domain::Actor& actor, bool totp_enabled) {
  return {{"id", actor.user_id.value()},
          {"username", actor.username},
          {"role", domain::RoleName(actor.role)},
          {"patient_id", actor.patient_id ? json(actor.patient_id->value()) : json(nullptr)},
          {"totp_enabled", totp_enabled}};
}

std::string SessionCookie(const std::string& token, int64_t max_age_seconds, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + token +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_seconds);
  if (secure) c += "; Secure";
  return c;
}

std::string ContentTypeFor(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool IsStateChanging(std::string_view method) {
  return method == "POST" || method == "PATCH" || method == "PUT" || method == "DELETE";
}

std::string_view OpenApiDocument() {
  for (const auto& f : EmbeddedFiles()) {
    if (f.path == "http/openapi.json") return f.content;
  }
  return "{}";
}

}  // namespace

Api::Api(app::Env env, ApiOptions options)
    : env_([&] {
        env.throttle = throttle_.get();
        return env;
      }()),
      options_(std::move(options)),
      auth_(env_),
      patients_(env_),
      care_(env_),
      screening_(env_),
      schedule_(env_),
      sessions_(env_) {
  AddRoutes();
  std::vector<std::string> names;
  for (const Route& r : router_.routes()) names.push_back(r.method + " " + r.pattern);
  metrics_ = std::make_unique<Metrics>(std::move(names));
  metrics_->AddGauge("kclinic_audit_events_committed", "Audit events made durable since start.",
                     [this] { return static_cast<double>(env_.audit.events_committed()); });
  metrics_->AddGauge("kclinic_audit_batches_committed", "Audit group commits since start.",
                     [this] { return static_cast<double>(env_.audit.batches_committed()); });
  metrics_->AddHistogram("kclinic_audit_commit_duration_seconds",
                         "Time to make one batch of audit events durable (insert, commit and sync "
                         "to disk, retries included); answers that read or change patient data "
                         "wait for it.",
                         &env_.audit.commit_durations());
  // One thread: the requests that arrive while it reads share its next read. A second thread
  // halved the batches and cost more than it saved (bench/README.md).
  fetcher_ = std::make_unique<app::PatientFetcher>(env_.store, 1);
  metrics_->AddGauge("kclinic_patient_fetches", "Patient reads requested from the event loops.",
                     [this] { return static_cast<double>(fetcher_->fetches()); });
  metrics_->AddGauge("kclinic_patient_fetch_reads",
                     "Records read from the database for them (requests for one patient that "
                     "arrive together share one read).",
                     [this] { return static_cast<double>(fetcher_->reads()); });
  metrics_->AddGauge("kclinic_patient_reads_repeated",
                     "Patient reads answered from a record kept from an earlier read, whose "
                     "answer was dropped and read again because the record had changed since.",
                     [this] { return static_cast<double>(stale_recent_.load()); });
  metrics_->AddGauge(
      "kclinic_database_reconnects",
      "Database connections opened again after the database closed them (a "
      "restart, a failover).",
      [this] { return static_cast<double>(env_.store.fault_counters().reconnects); });
  metrics_->AddGauge(
      "kclinic_database_reconnect_failures",
      "Tries to reopen a database connection that failed (the database still down).",
      [this] { return static_cast<double>(env_.store.fault_counters().reconnect_failures); });
  metrics_->AddGauge(
      "kclinic_writes_refused_low_disk",
      "Write transactions refused because the database's disk was below its free-space reserve.",
      [this] { return static_cast<double>(env_.store.fault_counters().writes_refused_low_disk); });
  AddScheduledTaskGauges();
  LoadWebApp();
}

void Api::AddScheduledTaskGauges() {
  if (const app::TaskHealth* backups = options_.backup_health) {
    // +Inf while there is no good backup at all, so an alert on the age fires.
    metrics_->AddGauge("kclinic_backup_last_good_age_seconds",
                       "Seconds since the last scheduled backup that verified was taken (+Inf: "
                       "none yet).",
                       [this, backups] {
                         auto at = backups->last_success();
                         if (!at) return std::numeric_limits<double>::infinity();
                         return std::chrono::duration<double>(env_.clock.Now() - *at).count();
                       });
    metrics_->AddGauge("kclinic_backup_failures",
                       "Scheduled backups that failed to be written or to verify since start.",
                       [backups] { return static_cast<double>(backups->failures()); });
  }
  if (const app::TaskHealth* anchors = options_.anchor_health) {
    metrics_->AddGauge("kclinic_audit_anchor_failures",
                       "Times the audit chain's head could not be signed into the anchor log "
                       "since start.",
                       [anchors] { return static_cast<double>(anchors->failures()); });
  }
}

nlohmann::json Api::BackupReadiness() const {
  const app::TaskHealth* backups = options_.backup_health;
  if (!backups) return {{"status", "not scheduled"}};
  nlohmann::json out = {{"failures", backups->failures()}};
  auto at = backups->last_success();
  if (!at) {
    out["status"] = "none yet";
    return out;
  }
  auto age = std::chrono::duration_cast<std::chrono::seconds>(env_.clock.Now() - *at);
  out["status"] = age > backups->overdue_after() ? "overdue" : "recent";
  out["last_good_at"] = FormatTimestamp(*at);
  out["age_seconds"] = age.count();
  return out;
}

void Api::LoadWebApp() {
  namespace fs = std::filesystem;
  if (options_.web_dir.empty()) return;
  std::error_code ec;
  fs::path root(options_.web_dir);
  if (!fs::is_directory(root, ec)) {
    spdlog::warn(R"("msg":"web app directory not found; serving the API only")");
    return;
  }
  for (auto it = fs::recursive_directory_iterator(root, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec || !it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string rel = "/" + fs::relative(it->path(), root).generic_string();
    static_files_[rel] = {ContentTypeFor(it->path()), std::move(body)};
  }
}

std::optional<Response> Api::HandleInline(const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  if (request.path == "/healthz" || request.path == "/metrics" ||
      request.path == "/api/v1/openapi.json") {
    // Public routes that touch no database: answered on the event loop, without a worker hop.
    return Handle(request);
  }
  if (request.path.rfind("/api/", 0) == 0 || request.path == "/readyz") return std::nullopt;
  auto start = std::chrono::steady_clock::now();
  auto response = ServeStatic(request);
  if (response) {
    metrics_->Record(metrics_->unmatched_index(), response->status,
                     std::chrono::steady_clock::now() - start);
  }
  return response;
}

std::optional<Response> Api::ServeStatic(const Request& request) {
  std::string path = request.path == "/" ? "/index.html" : request.path;
  auto it = static_files_.find(path);
  if (it == static_files_.end()) {
    if (request.path == "/") {
      Response r;
      r.content_type = "text/html; charset=utf-8";
      r.body =
          "<!doctype html><title>kclinic</title><p>The web app is not built. Run "
          "<code>make build</code>; the API is at /api/v1/.</p>";
      return r;
    }
    return std::nullopt;
  }
  Response r;
  r.content_type = it->second.first;
  r.body = it->second.second;
  // Hashed asset names never change content; index.html must always be fetched fresh.
  r.headers.emplace_back("Cache-Control", path.rfind("/assets/", 0) == 0
                                              ? "public, max-age=31536000, immutable"
                                              : "no-cache");
  return r;
}

Response Api::Handle(const Request& request, bool counted) {
  auto start = std::chrono::steady_clock::now();
  size_t route_index = metrics_->unmatched_index();
  Response response = Run(request, &route_index);
  if (counted) {
    metrics_->Record(route_index, response.status, std::chrono::steady_clock::now() - start);
  }
  return response;
}

std::optional<Response> Api::HandleWithoutBlocking(const Request& request,
                                                   std::shared_ptr<const domain::Patient> fetched,
                                                   std::optional<PatientId>* wanted, bool counted) {
  auto start = std::chrono::steady_clock::now();
  size_t route_index = metrics_->unmatched_index();
  std::optional<Response> response;
  {
    app::NonBlockingScope scope(std::move(fetched));
    response = Run(request, &route_index);
    if (scope.refused()) {
      if (wanted) *wanted = scope.wanted_patient();
      return std::nullopt;
    }
  }
  if (counted) {
    metrics_->Record(route_index, response->status, std::chrono::steady_clock::now() - start);
  }
  return response;
}

Response Api::Run(const Request& request, size_t* route_index) {
  Response response;
  try {
    // Static files never get here: HandleInline serves them on the event loop.
    response = Dispatch(request, route_index);
  } catch (const std::exception& e) {
    // The last-resort handler: our bug, never the caller's. The message may hold data; log only
    // the route.
    spdlog::error(
        R"("msg":"unhandled exception","route":{},"what_type":"{}")",
        json(*route_index < router_.routes().size() ? router_.routes()[*route_index].pattern
                                                    : std::string("unmatched"))
            .dump(),
        typeid(e).name());
    response = ErrorResponse(Internal("unhandled exception"));
  }
  if (*route_index < router_.routes().size()) {
    response.route = router_.routes()[*route_index].pattern;
  }
  return response;
}

Response Api::Dispatch(const Request& request, size_t* route_index) {
  RouteMatch match = router_.Find(request.method, request.path);
  if (!match.route) {
    if (match.path_known) {
      Response r = ErrorResponse(405, "method_not_allowed",
                                 request.method + " is not allowed here; use " + match.allow);
      r.headers.emplace_back("Allow", match.allow);
      return r;
    }
    return ErrorResponse(404, "not_found", "no such route");
  }
  const Route& route = *match.route;
  *route_index = static_cast<size_t>(&route - router_.routes().data());
  // On the event loop only the routes marked for it are tried (HandleWithoutBlocking).
  if (!route.try_on_loop && app::NonBlockingScope::Refuse()) return Response{};
  RouteContext ctx{request, std::move(match.params), std::nullopt, {}};
  const std::string action(domain::PermissionName(route.permission));

  if (route.permission != Permission::kPublic) {
    ctx.token = request.Cookie(kSessionCookie);
    auto auth = auth_.Authenticate(ctx.token);
    if (!auth.ok()) {
      if (auth.status().code() != StatusCode::kUnauthenticated)
        return ErrorOrDropped(auth.status());
      Status audited = app::RecordDenial(env_, nullptr, action, "", "no valid session");
      if (!audited.ok()) return ErrorOrDropped(audited);
      return ErrorResponse(auth.status());
    }
    ctx.auth = std::move(auth).value();
    // CSRF: the token from login must come back in a header on every state-changing request; a
    // cross-site form cannot read it (OWASP CSRF cheat sheet, synchronizer token pattern).
    if (IsStateChanging(request.method) &&
        !ConstantTimeEquals(request.Header("x-csrf-token"), ctx.auth->session.csrf_token)) {
      Status audited =
          app::RecordDenial(env_, &ctx.actor(), action, "", "missing or wrong CSRF token");
      if (!audited.ok()) return ErrorOrDropped(audited);
      return ErrorResponse(403, "permission_denied",
                           "missing or wrong X-CSRF-Token header; reload the page", "X-CSRF-Token");
    }
    if (!domain::RoleHas(ctx.actor().role, route.permission)) {
      auto pid = ctx.params.count("id") ? ctx.params.at("id") : std::string();
      if (!IsWellFormedId(pid)) pid.clear();
      Status audited = app::RecordDenial(env_, &ctx.actor(), action, pid,
                                         "role " + std::string(domain::RoleName(ctx.actor().role)));
      if (!audited.ok()) return ErrorOrDropped(audited);
      return ErrorResponse(403, "permission_denied", "your role may not do this (" + action + ")");
    }
    // A patient reaches only her own record: another record is refused, and the refusal
    // audited, before anything of the request is read, so that a probe learns nothing from how
    // its body or query would have been checked (authorise, then validate).
    if (ctx.actor().role == domain::Role::kPatient &&
        route.pattern.starts_with("/api/v1/patients/{id}")) {
      auto it = ctx.params.find("id");
      if (it != ctx.params.end() && IsWellFormedId(it->second)) {
        Status reach = app::CheckPatientReach(env_, ctx.actor(), PatientId(it->second), action);
        if (!reach.ok()) return ErrorOrDropped(reach);
      }
    }
  }
  if (IsStateChanging(request.method) && !request.body.empty()) {
    const std::string& type = request.Header("content-type");
    if (!IsJsonMediaType(type)) {
      return ErrorResponse(415, "unsupported_media_type", "send the body as application/json",
                           "Content-Type");
    }
  }
  if (request.method == "POST" && ctx.auth && request.headers.contains("idempotency-key")) {
    return RunIdempotent(route, ctx);
  }
  return RunHandler(route, ctx);
}

std::string Api::PatientJsonOf(const std::shared_ptr<const domain::Patient>& patient) {
  PatientJsonMemo& memo = *patient_json_;
  {
    std::lock_guard lock(memo.mu);
    auto it = memo.by_id.find(patient->id.value());
    if (it != memo.by_id.end() && !it->second.first.owner_before(patient) &&
        !patient.owner_before(it->second.first)) {
      return it->second.second;
    }
  }
  std::string text = codec::PatientJson(*patient);
  std::lock_guard lock(memo.mu);
  if (memo.by_id.size() >= domain::kPatientRecordsKept) memo.by_id.clear();
  memo.by_id[patient->id.value()] = {patient, text};
  return text;
}

void Api::AddRoutes() {
  AddCareRoutes();
  AddScreeningRoutes();
  AddScheduleRoutes();
  AddSessionRoutes();
  AddLedgerRoutes();

  // Health and readiness.
  router_.Add({"GET", "/healthz", Permission::kPublic, [](RouteContext&) {
                 return JsonResponse(200, {{"status", "ok"}});
               }});
  // Ready means a write can commit now (a small write is committed each time, and SQLite's disk
  // has free space above the reserve), not only that the database answers a read.
  router_.Add({"GET", "/readyz", Permission::kPublic, [this](RouteContext&) {
                 nlohmann::json body = {{"backend", env_.store.backend()}};
                 if (draining_.load(std::memory_order_relaxed)) {
                   body["status"] = "draining";
                   body["reason"] = "the server is stopping; it finishes what is in flight";
                   return JsonResponse(503, body);
                 }
                 Status writable = env_.store.CheckWritable();
                 body["status"] = writable.ok() ? "ready" : "database unavailable";
                 // Said, never failed on: an old backup does not make the server unable to serve.
                 body["backup"] = BackupReadiness();
                 if (!writable.ok()) body["reason"] = writable.message();
                 Response r = JsonResponse(writable.ok() ? 200 : 503, body);
                 if (!writable.ok()) r.headers.emplace_back("Retry-After", "5");
                 return r;
               }});
  // Metrics name routes and counts, never data, but they tell an outsider how busy the clinic is:
  // loopback clients only (Prometheus on the machine, or through the proxy's own rules), or any
  // client with the configured bearer token.
  router_.Add(
      {"GET", "/metrics", Permission::kPublic, [this](RouteContext& ctx) -> Result<Response> {
         if (!options_.metrics_token.empty()) {
           const std::string& given = ctx.request.Header("authorization");
           std::string expected = "Bearer " + options_.metrics_token;
           if (!ConstantTimeEquals(given, expected)) {
             Response r =
                 ErrorResponse(401, "unauthenticated", "/metrics needs the metrics bearer token");
             r.headers.emplace_back("WWW-Authenticate", "Bearer");
             return r;
           }
         } else if (!ctx.request.from_loopback) {
           return ErrorResponse(403, "permission_denied",
                                "/metrics answers clients on this machine only (or set "
                                "a metrics token)");
         }
         Response r;
         r.content_type = "text/plain; version=0.0.4";
         r.body = metrics_->Render();
         return r;
       }});
  router_.Add({"GET", "/api/v1/openapi.json", Permission::kPublic, [](RouteContext&) {
                 Response r;
                 r.body = std::string(OpenApiDocument());
                 return r;
               }});

  // Sessions.
  router_.Add(
      {"POST", "/api/v1/auth/login", Permission::kPublic,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
         KC_ASSIGN_OR_RETURN(auto r, codec::DecodeLoginRequest(body));
         std::chrono::seconds retry_after{0};
         auto login =
             auth_.Login(r.username, r.password, r.totp, ctx.request.source_address, &retry_after);
         if (!login.ok()) {
           Response refused = ErrorResponse(login.status());
           if (retry_after.count() > 0) {
             refused.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
           }
           return refused;
         }
         domain::Actor actor{login->user.id, login->user.username, login->user.role,
                             login->user.patient_id};
         Response resp = JsonResponse(200, {{"csrf_token", login->session.csrf_token},
                                            {"user", UserJson(actor, login->user.totp_enabled)}});
         int64_t max_age =
             static_cast<int64_t>(env_.settings.Get().Get(domain::kSessionAbsoluteHours) * 3600);
         resp.headers.emplace_back("Set-Cookie",
                                   SessionCookie(login->token, max_age, options_.secure_cookies));
         return resp;
       }});
  router_.Add({"GET", "/api/v1/auth/me", Permission::kOwnAccount,
               [this](RouteContext& ctx) -> Result<Response> {
                 // The caller's permission codes, so the browser app shows what the role may do
                 // without a copy of the table in domain/access.cc.
                 json permissions = json::array();
                 for (Permission p : domain::PermissionsOf(ctx.actor().role)) {
                   permissions.push_back(domain::PermissionName(p));
                 }
                 // How every role reads clinic figures: dates and times in the clinic's zone,
                 // doses, volumes and rates to the site's decimals.
                 KC_ASSIGN_OR_RETURN(std::string zone, schedule_.TimeZone());
                 const domain::SiteSettings settings = env_.settings.Get();
                 auto decimals = [&](const domain::SettingDefinition& d) {
                   return static_cast<int>(std::lround(settings.Get(d)));
                 };
                 json clinic = {{"time_zone", zone},
                                {"decimals",
                                 {{"dose_mg", decimals(domain::kDisplayDoseMgDecimals)},
                                  {"volume_ml", decimals(domain::kDisplayVolumeMlDecimals)},
                                  {"rate_ml_per_h", decimals(domain::kDisplayRateDecimals)}}}};
                 return JsonResponse(200, {{"csrf_token", ctx.auth->session.csrf_token},
                                           {"user", UserJson(ctx.actor(), ctx.auth->totp_enabled)},
                                           {"permissions", std::move(permissions)},
                                           {"clinic", std::move(clinic)}});
               }});
  router_.Add({"POST", "/api/v1/auth/logout", Permission::kOwnAccount,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(auth_.Logout(ctx.actor(), ctx.token));
                 Response r;
                 r.status = 204;
                 r.headers.emplace_back("Set-Cookie",
                                        SessionCookie("", 0, options_.secure_cookies));
                 return r;
               }});
  // The account's own credentials: each asks for the password again and ends the other sessions.
  auto no_content = [] {
    Response r;
    r.status = 204;
    return r;
  };
  router_.Add(
      {"POST", "/api/v1/auth/totp/enroll", Permission::kOwnAccount,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
         KC_ASSIGN_OR_RETURN(auto password, codec::DecodeOneStringRequest(body, "password"));
         KC_ASSIGN_OR_RETURN(auto e,
                             auth_.BeginTotp(ctx.actor(), password, ctx.request.source_address));
         return JsonResponse(200, {{"secret", e.secret_base32}, {"otpauth_uri", e.otpauth_uri}});
       }});
  router_.Add({"POST", "/api/v1/auth/totp/confirm", Permission::kOwnAccount,
               [this, no_content](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto code, codec::DecodeOneStringRequest(body, "code"));
                 KC_RETURN_IF_ERROR(auth_.ConfirmTotp(ctx.actor(), code, ctx.token));
                 return no_content();
               }});
  router_.Add(
      {"POST", "/api/v1/auth/totp/remove", Permission::kOwnAccount,
       [this, no_content](RouteContext& ctx) -> Result<Response> {
         KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
         KC_ASSIGN_OR_RETURN(auto v, codec::DecodeStringsRequest(body, {"password", "code"}));
         KC_RETURN_IF_ERROR(
             auth_.RemoveTotp(ctx.actor(), v[0], v[1], ctx.request.source_address, ctx.token));
         return no_content();
       }});
  router_.Add({"POST", "/api/v1/auth/password", Permission::kOwnAccount,
               [this, no_content](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto v, codec::DecodeStringsRequest(
                                                 body, {"current_password", "new_password"}));
                 KC_RETURN_IF_ERROR(auth_.ChangePassword(ctx.actor(), v[0], v[1],
                                                         ctx.request.source_address, ctx.token));
                 return no_content();
               }});

  // Patients.
  router_.Add({"GET", "/api/v1/patients", Permission::kPatientSearch,
               [this](RouteContext& ctx) -> Result<Response> {
                 const Request& req = ctx.request;
                 KC_RETURN_IF_ERROR(CheckQuery(req, {"q", "limit", "cursor"}));
                 domain::PatientQuery q;
                 KC_ASSIGN_OR_RETURN(q.limit, IntParam(req, "limit", 20, 1, 100));
                 if (auto it = req.query.find("q"); it != req.query.end())
                   q.name_prefix = it->second;
                 if (auto it = req.query.find("cursor");
                     it != req.query.end() && !it->second.empty()) {
                   if (!IsWellFormedId(it->second)) {
                     return InvalidArgument("cursor", "is not a cursor from a previous page");
                   }
                   q.after = PatientId(it->second);
                 }
                 KC_ASSIGN_OR_RETURN(auto page, patients_.Search(ctx.actor(), q));
                 codec::JsonWriter w;
                 w.BeginObject().Key("items").BeginArray();
                 for (const auto& p : page.items) codec::WritePatient(w, p);
                 w.EndArray().Key("next_cursor");
                 if (page.next_cursor) {
                   w.String(page.next_cursor->value());
                 } else {
                   w.Null();
                 }
                 w.EndObject();
                 return JsonText(200, w.Take());
               }});
  router_.Add({"POST", "/api/v1/patients", Permission::kPatientCreate,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto reg, codec::RegistrationFromJson(body));
                 KC_ASSIGN_OR_RETURN(auto out, patients_.Register(ctx.actor(), std::move(reg)));
                 if (!out.patient) return ConfirmationRequired(out.warnings, out.duplicates);
                 Response r = JsonText(201, codec::PatientJson(*out.patient));
                 r.headers.emplace_back("Location", "/api/v1/patients/" + out.patient->id.value());
                 return r;
               }});
  router_.Add({"GET", "/api/v1/patients/{id}", Permission::kPatientRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 // Not KC_ASSIGN_OR_RETURN: an attempt on the loop that was refused the database
                 // is dropped, not answered with an error.
                 auto p = patients_.Get(ctx.actor(), id);
                 if (!p.ok()) return ErrorOrDropped(p.status());
                 return JsonText(200, PatientJsonOf(*p));
               },
               // Tried on the loop: from the store's cache (SQLite), or with the record fetched
               // for it (Server: PatientFetcher) when the cache did not have it or the store
               // does not cache (PostgreSQL).
               /*try_on_loop=*/true});
  router_.Add({"PATCH", "/api/v1/patients/{id}", Permission::kPatientUpdate,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto patch, codec::PatchFromJson(body));
                 KC_ASSIGN_OR_RETURN(auto p, patients_.Update(ctx.actor(), id, patch));
                 return JsonText(200, codec::PatientJson(p));
               }});
  router_.Add({"POST", "/api/v1/patients/{id}/weights", Permission::kPatientUpdate,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto w, codec::WeightRequestFromJson(body));
                 KC_ASSIGN_OR_RETURN(auto out,
                                     patients_.AddWeight(ctx.actor(), id, w.date, w.kg, w.confirm));
                 if (!out.weight) return ConfirmationRequired(out.warnings, {});
                 return JsonText(201, codec::WeightJson(*out.weight));
               }});
  router_.Add({"GET", "/api/v1/patients/{id}/history", Permission::kPatientRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto history, patients_.History(ctx.actor(), id));
                 json items = json::array();
                 for (const auto& v : history) {
                   items.push_back({{"version", v.version},
                                    {"changed_at", FormatTimestamp(v.changed_at)},
                                    {"changed_by", v.changed_by},
                                    {"reason", v.reason ? json(*v.reason) : json(nullptr)}});
                 }
                 return JsonResponse(200, {{"items", std::move(items)}});
               }});

  // Accounts.
  router_.Add({"GET", "/api/v1/users", Permission::kUserManage,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto users, auth_.ListUsers(ctx.actor()));
                 json items = json::array();
                 const Timestamp now = env_.clock.Now();
                 const std::set<std::string> locked_out = throttle_->LockedUsernames(now);
                 for (const auto& u : users) {
                   domain::Actor a{u.id, u.username, u.role, u.patient_id};
                   json j = UserJson(a, u.totp_enabled);
                   j["locked"] =
                       (u.locked_until && *u.locked_until > now) || locked_out.contains(u.username);
                   items.push_back(std::move(j));
                 }
                 return JsonResponse(200, {{"items", std::move(items)}});
               }});
  router_.Add({"POST", "/api/v1/users", Permission::kUserManage,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeUserCreateRequest(body));
                 KC_ASSIGN_OR_RETURN(auto user, auth_.AddUser(&ctx.actor(), r.username, r.role,
                                                              r.password, r.patient_id));
                 domain::Actor a{user.id, user.username, user.role, user.patient_id};
                 return JsonResponse(201, UserJson(a, false));
               }});

  router_.Add({"POST", "/api/v1/users/{id}/unlock", Permission::kUserManage,
               [this, no_content](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto reason, codec::DecodeOneStringRequest(body, "reason"));
                 KC_RETURN_IF_ERROR(auth_.UnlockById(ctx.actor(), UserId(id), reason));
                 return no_content();
               }});
  router_.Add({"POST", "/api/v1/users/{id}/totp/reset", Permission::kUserManage,
               [this, no_content](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto reason, codec::DecodeOneStringRequest(body, "reason"));
                 KC_RETURN_IF_ERROR(auth_.ResetSecondFactor(ctx.actor(), UserId(id), reason));
                 return no_content();
               }});

  // Audit trail and settings.
  AddAuditRoutes();
  router_.Add({"GET", "/api/v1/settings", Permission::kSettingsRead, [this](RouteContext& ctx) {
                 domain::SiteSettings s = env_.settings.Get();
                 json items = json::array();
                 for (const domain::SettingDefinition* d : domain::SettingDefinitions()) {
                   items.push_back({{"key", d->key},
                                    {"value", s.Get(*d)},
                                    {"default", d->default_value},
                                    {"min", d->min_value},
                                    {"max", d->max_value},
                                    {"unit", d->unit},
                                    {"citation", d->citation}});
                 }
                 return JsonResponse(200, {{"version", s.version()}, {"items", std::move(items)}});
               }});
}

}  // namespace kclinic::http
