// Routes of the audit trail for whoever holds audit.read (the administrator): the events a filter
// selects, a page at a time, and the same as a CSV file to file or hand to an auditor.
#include <nlohmann/json.hpp>

#include "kclinic/app/audit.h"
#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/http/api.h"
#include "kclinic/http/api_util.h"

namespace kclinic::http {

using domain::Permission;
using nlohmann::json;

namespace {

// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; a leading
// = + - @ gets a ' so that a spreadsheet does not run it as a formula (OWASP CSV injection).
std::string AuditCsvField(std::string_view v) {
  std::string s(v);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s.insert(0, "'");
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string AuditParam(const Request& r, const std::string& key) {
  auto it = r.query.find(key);
  return it == r.query.end() ? std::string() : it->second;
}

}  // namespace

// The filters of GET /audit and /audit/export from the query string. Dates are the clinic's
// calendar days ("from" and "to" both included).
Result<Api::AuditPage> Api::ReadAudit(const Request& req, int default_limit, int max_limit,
                                      bool exported, const domain::Actor& actor) {
  KC_RETURN_IF_ERROR(
      CheckQuery(req, {"limit", "patient_id", "actor", "action", "from", "to", "before"}));
  domain::AuditQuery q;
  KC_ASSIGN_OR_RETURN(q.limit, IntParam(req, "limit", default_limit, 1, max_limit));
  q.patient_id = AuditParam(req, "patient_id");
  q.action_prefix = AuditParam(req, "action");
  for (char c : q.action_prefix) {
    if (!((c >= 'a' && c <= 'z') || c == '.' || c == '_')) {
      return InvalidArgument("action",
                             "is an action code or its start, like ledger. or auth.login");
    }
  }
  if (std::string before = AuditParam(req, "before"); !before.empty()) {
    try {
      size_t used = 0;
      q.before_seq = std::stoll(before, &used);
      if (used != before.size() || q.before_seq < 1) throw std::invalid_argument("before");
    } catch (const std::exception&) {
      return InvalidArgument("before", "is not a cursor from a previous page");
    }
  }
  KC_ASSIGN_OR_RETURN(std::string zone, schedule_.TimeZone());
  auto day_start = [&](const std::string& key, int add_days) -> Result<std::optional<Timestamp>> {
    std::string text = AuditParam(req, key);
    if (text.empty()) return std::optional<Timestamp>();
    auto date = ParseDate(text);
    if (!date) return InvalidArgument(key, "is not a date (YYYY-MM-DD)");
    domain::schedule::LocalDateTime local{
        std::chrono::year_month_day(std::chrono::sys_days(*date) + std::chrono::days(add_days)),
        std::chrono::minutes(0)};
    KC_ASSIGN_OR_RETURN(Timestamp t, domain::schedule::LocalToUtc(zone, local));
    return std::optional<Timestamp>(t);
  };
  KC_ASSIGN_OR_RETURN(q.from, day_start("from", 0));
  KC_ASSIGN_OR_RETURN(q.to, day_start("to", 1));
  if (q.from && q.to && *q.from >= *q.to) return InvalidArgument("to", "is before from");

  AuditPage page;
  page.zone = zone;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    KC_ASSIGN_OR_RETURN(auto users, tx->users().List());
    for (const auto& u : users) page.usernames[u.id.value()] = u.username;
    if (std::string name = AuditParam(req, "actor"); !name.empty()) {
      for (const auto& u : users) {
        if (u.username == name) q.actor_id = u.id.value();
      }
      if (q.actor_id.empty()) return InvalidArgument("actor", "no account has this username");
    }
  }
  std::string filters;
  for (const char* key : {"actor", "action", "from", "to"}) {
    if (std::string v = AuditParam(req, key); !v.empty()) {
      filters += (filters.empty() ? "" : "; ") + std::string(key) + "=" + v;
    }
  }
  KC_ASSIGN_OR_RETURN(page.events, app::QueryAudit(env_, actor, q, exported, filters));
  if (static_cast<int>(page.events.size()) == q.limit) page.next_before = page.events.back().seq;
  // The names of the page's patients (at most one read per patient on the page).
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    for (const auto& e : page.events) {
      if (e.patient_id.empty() || page.patient_names.contains(e.patient_id)) continue;
      auto p = tx->patients().Get(PatientId(e.patient_id));
      page.patient_names[e.patient_id] =
          p.ok() ? p->fields.name.given + " " + p->fields.name.family : std::string();
    }
  }
  return page;
}

void Api::AddAuditRoutes() {
  router_.Add(
      {"GET", "/api/v1/audit", Permission::kAuditRead,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_ASSIGN_OR_RETURN(auto page, ReadAudit(ctx.request, 100, 1000, false, ctx.actor()));
         json items = json::array();
         for (const auto& e : page.events) {
           auto name = page.usernames.find(e.actor_id);
           items.push_back(
               {{"seq", e.seq},
                {"at", FormatTimestamp(e.at)},
                {"actor_id", e.actor_id},
                {"actor", name == page.usernames.end() ? json(nullptr) : json(name->second)},
                {"actor_role", e.actor_role},
                {"action", e.action},
                {"patient_id", e.patient_id},
                {"patient_name",
                 e.patient_id.empty() ? json(nullptr) : json(page.patient_names[e.patient_id])},
                {"resource", e.resource},
                {"outcome", e.outcome},
                {"detail", e.detail},
                {"hash", e.hash}});
         }
         return JsonResponse(
             200, {{"items", std::move(items)},
                   {"next_before", page.next_before ? json(*page.next_before) : json(nullptr)}});
       }});
  router_.Add(
      {"GET", "/api/v1/audit/export", Permission::kAuditRead,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_ASSIGN_OR_RETURN(auto page, ReadAudit(ctx.request, 10000, 10000, true, ctx.actor()));
         std::string csv =
             "seq,time_utc,time_clinic,user,role,action,outcome,patient_id,patient,resource,"
             "detail\r\n";
         for (const auto& e : page.events) {
           std::string local;
           if (auto l = domain::schedule::UtcToLocal(page.zone, e.at); l.ok()) {
             local = FormatDate(l->date) + " " + domain::schedule::FormatLocalTime(l->time) + " " +
                     domain::schedule::ZoneAbbreviation(page.zone, e.at);
           }
           auto name = page.usernames.find(e.actor_id);
           const std::string user = name == page.usernames.end() ? "" : name->second;
           const std::string patient = e.patient_id.empty() ? "" : page.patient_names[e.patient_id];
           for (const std::string& f :
                {std::to_string(e.seq), FormatTimestamp(e.at), local, user, e.actor_role, e.action,
                 e.outcome, e.patient_id, patient, e.resource}) {
             csv += AuditCsvField(f);
             csv += ',';
           }
           csv += AuditCsvField(e.detail);
           csv += "\r\n";
         }
         Response r;
         r.content_type = "text/csv; charset=utf-8";
         r.body = std::move(csv);
         r.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"kclinic-audit.csv\"");
         r.headers.emplace_back("Cache-Control", "no-store");
         return r;
       }});
}

}  // namespace kclinic::http
