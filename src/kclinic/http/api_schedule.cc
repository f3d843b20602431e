// Routes of booking (issue 6): resources, the calendar, single and series bookings, cancel and
// move with the next free slot, portal booking requests, review tasks, booster proposals and
// decisions, today's worklist and the week's utilisation. The contract is docs/api.md.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "kclinic/codec/json_read.h"
#include "kclinic/codec/schedule_json.h"
#include "kclinic/http/api.h"
#include "kclinic/http/api_util.h"
#include "kclinic/http/error.h"

namespace kclinic::http {

using domain::Permission;
using nlohmann::json;

namespace {

json OptText(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
std::string FullName(const domain::PersonName& n) { return n.given + " " + n.family; }

json AppointmentJson(const app::AppointmentView& v) {
  const auto& a = v.appointment;
  return {{"id", a.id},
          {"patient_id", a.patient_id.value()},
          {"patient_name", FullName(v.patient_name)},
          {"type", a.type_id},
          {"status", a.status},
          {"start", FormatTimestamp(a.start)},
          {"end", FormatTimestamp(a.end)},
          {"local_date", v.local_date},
          {"local_start", v.local_start},
          {"local_end", v.local_end},
          {"chair_id", a.chair_id},
          {"chair_name", v.chair_name},
          {"nurse", a.nurse},
          {"series_id", OptText(a.series_id)},
          {"reason", OptText(a.reason)}};
}

json SlotJson(const app::SlotView& v) {
  return {{"start", FormatTimestamp(v.slot.start)},
          {"end", FormatTimestamp(v.slot.end)},
          {"local_date", v.local_date},
          {"local_start", v.local_start},
          {"local_end", v.local_end},
          {"chair_id", v.slot.chair_id},
          {"chair_name", v.chair_name},
          {"nurse", v.slot.nurse}};
}

json RequestJson(const app::BookingRequestView& v) {
  const auto& r = v.request;
  json proposed = nullptr;
  if (r.proposed) proposed = json::parse(*r.proposed, nullptr, false);
  return {{"id", r.id},
          {"patient_id", r.patient_id.value()},
          {"patient_name", FullName(v.patient_name)},
          {"preferred", json::parse(r.preferred, nullptr, false)},
          {"note", OptText(r.note)},
          {"status", r.status},
          {"appointment", v.appointment ? AppointmentJson(*v.appointment) : json(nullptr)},
          {"proposed", std::move(proposed)},
          {"created_at", FormatTimestamp(r.created_at)},
          {"updated_at", FormatTimestamp(r.updated_at)}};
}

json TaskJson(const app::ReviewTaskView& v) {
  const auto& t = v.task;
  return {{"id", t.id},
          {"patient_id", t.patient_id.value()},
          {"patient_name", FullName(v.patient_name)},
          {"kind", t.kind},
          {"reason", t.reason},
          {"created_at", FormatTimestamp(t.created_at)},
          {"status", t.status},
          {"completed_at", t.completed_at ? json(FormatTimestamp(*t.completed_at)) : json(nullptr)},
          {"completed_by", OptText(t.completed_by)},
          {"note", OptText(t.note)}};
}

json DecisionJson(const domain::BoosterDecision& d) {
  return {{"id", d.id},
          {"patient_id", d.patient_id.value()},
          {"date", d.date},
          {"interval_days", d.interval_days},
          {"accepted", d.accepted},
          {"reason", OptText(d.reason)},
          {"proposed_date", OptText(d.proposed_date)},
          {"proposed_interval_days",
           d.proposed_interval_days ? json(*d.proposed_interval_days) : json(nullptr)},
          {"decided_by", d.decided_by},
          {"decided_at", FormatTimestamp(d.decided_at)}};
}

json HoursJson(const std::vector<domain::OpeningHours>& hours) {
  json list = json::array();
  for (const auto& h : hours) {
    list.push_back({{"weekday", h.weekday}, {"open", h.open}, {"close", h.close}});
  }
  return list;
}

// A required UTC instant member of `reader`.
Result<Timestamp> RequiredInstant(codec::ObjectReader& reader, std::string_view key) {
  KC_ASSIGN_OR_RETURN(auto text, reader.RequiredString(key));
  auto t = ParseTimestamp(text);
  if (!t) {
    return InvalidArgument(reader.FieldPath(key),
                           "must be a UTC timestamp like 2026-11-24T14:00:00Z");
  }
  return *t;
}

// {start, chair_id, nurse} (the rest of the object is left to the caller).
Result<app::SessionChoice> ChoiceFrom(codec::ObjectReader& reader) {
  app::SessionChoice c;
  KC_ASSIGN_OR_RETURN(c.start, RequiredInstant(reader, "start"));
  KC_ASSIGN_OR_RETURN(c.chair_id, reader.RequiredString("chair_id"));
  KC_ASSIGN_OR_RETURN(c.nurse, reader.RequiredString("nurse"));
  return c;
}

// A required array member of `body` (field `key`).
Result<const json*> RequiredArray(const json& body, const std::string& key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return InvalidArgument(key, "is required");
  if (!it->is_array()) return InvalidArgument(key, "must be an array");
  return &*it;
}

#define KC_HTTP_ASSIGN(lhs, expr)                           \
  auto KC_CONCAT(r_, __LINE__) = (expr);                    \
  if (!KC_CONCAT(r_, __LINE__).ok()) {                      \
    return ErrorResponse(KC_CONCAT(r_, __LINE__).status()); \
  }                                                         \
  lhs = std::move(*KC_CONCAT(r_, __LINE__))
#define KC_HTTP_CHECK(expr)                                                     \
  if (Status KC_CONCAT(s_, __LINE__) = (expr); !KC_CONCAT(s_, __LINE__).ok()) { \
    return ErrorResponse(KC_CONCAT(s_, __LINE__));                              \
  }

// InvalidArgument naming the first member of `body` not in `known`.
Status OnlyKeys(const json& body, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return InvalidArgument(key, "is not a known field");
    }
  }
  return Status::Ok();
}

std::optional<std::string> QueryValue(const Request& r, const std::string& key) {
  auto it = r.query.find(key);
  if (it == r.query.end()) return std::nullopt;
  return it->second;
}

}  // namespace

void Api::AddScheduleRoutes() {
  // ---- resources ------------------------------------------------------------------------------
  router_.Add(
      {"GET", "/api/v1/schedule/resources", Permission::kScheduleRead, [this](RouteContext& ctx) {
         KC_HTTP_CHECK(CheckQuery(ctx.request, {}));
         KC_HTTP_ASSIGN(auto r, schedule_.Resources(ctx.actor()));
         json holidays = json::array(), chairs = json::array(), staff = json::array(),
              types = json::array(), protocols = json::array();
         for (const auto& h : r.holidays) {
           holidays.push_back({{"date", h.date}, {"name", h.name}});
         }
         for (const auto& c : r.chairs) chairs.push_back({{"id", c.id}, {"name", c.name}});
         for (const auto& s : r.staff) {
           staff.push_back(
               {{"username", s.username}, {"role", s.role}, {"qualifications", s.qualifications}});
         }
         for (const auto& t : r.types) {
           types.push_back({{"id", t.id},
                            {"name", t.name},
                            {"minutes", t.minutes},
                            {"qualification", t.qualification}});
         }
         for (const auto& p : r.protocols) {
           protocols.push_back(json::parse(codec::ProtocolToJson(p).dump()));
         }
         return JsonResponse(200, {{"time_zone", r.config.time_zone},
                                   {"slot_minutes", r.config.slot_minutes},
                                   {"hours", HoursJson(r.hours)},
                                   {"holidays", std::move(holidays)},
                                   {"chairs", std::move(chairs)},
                                   {"staff", std::move(staff)},
                                   {"appointment_types", std::move(types)},
                                   {"protocols", std::move(protocols)}});
       }});

  router_.Add(
      {"PUT", "/api/v1/schedule/hours", Permission::kResourceManage, [this](RouteContext& ctx) {
         KC_HTTP_ASSIGN(auto body, Body(ctx.request));
         KC_HTTP_CHECK(OnlyKeys(body, {"time_zone", "hours"}));
         codec::ObjectReader reader(body, "");
         KC_HTTP_ASSIGN(auto tz, reader.String("time_zone"));
         KC_HTTP_ASSIGN(const json* list, RequiredArray(body, "hours"));
         std::vector<domain::OpeningHours> hours;
         for (size_t i = 0; i < list->size(); ++i) {
           const std::string path = "hours[" + std::to_string(i) + "]";
           if (!(*list)[i].is_object()) {
             return ErrorResponse(InvalidArgument(path, "must be an object"));
           }
           codec::ObjectReader h((*list)[i], path);
           KC_HTTP_ASSIGN(auto weekday, h.Integer("weekday"));
           if (!weekday) {
             return ErrorResponse(InvalidArgument(path + ".weekday", "is required"));
           }
           KC_HTTP_ASSIGN(auto open, h.RequiredString("open"));
           KC_HTTP_ASSIGN(auto close, h.RequiredString("close"));
           KC_HTTP_CHECK(h.Finish());
           hours.push_back({static_cast<int>(*weekday), open, close});
         }
         KC_HTTP_CHECK(schedule_.SetHours(ctx.actor(), tz, std::move(hours)));
         return JsonResponse(200, {{"time_zone", tz ? json(*tz) : json(nullptr)}, {"saved", true}});
       }});

  router_.Add(
      {"POST", "/api/v1/schedule/holidays", Permission::kResourceManage, [this](RouteContext& ctx) {
         KC_HTTP_ASSIGN(auto body, Body(ctx.request));
         codec::ObjectReader reader(body, "");
         KC_HTTP_ASSIGN(auto date, reader.RequiredString("date"));
         KC_HTTP_ASSIGN(auto name, reader.RequiredString("name"));
         KC_HTTP_CHECK(reader.Finish());
         KC_HTTP_CHECK(schedule_.AddHoliday(ctx.actor(), {date, name}));
         return JsonResponse(201, {{"date", date}, {"name", name}});
       }});

  router_.Add(
      {"POST", "/api/v1/schedule/chairs", Permission::kResourceManage, [this](RouteContext& ctx) {
         KC_HTTP_ASSIGN(auto body, Body(ctx.request));
         codec::ObjectReader reader(body, "");
         KC_HTTP_ASSIGN(auto name, reader.RequiredString("name"));
         KC_HTTP_CHECK(reader.Finish());
         KC_HTTP_ASSIGN(auto c, schedule_.AddChair(ctx.actor(), name));
         return JsonResponse(201, {{"id", c.id}, {"name", c.name}});
       }});

  router_.Add(
      {"POST", "/api/v1/schedule/shifts", Permission::kResourceManage, [this](RouteContext& ctx) {
         KC_HTTP_ASSIGN(auto body, Body(ctx.request));
         codec::ObjectReader reader(body, "");
         domain::StaffShift s;
         KC_HTTP_ASSIGN(s.username, reader.RequiredString("username"));
         KC_HTTP_ASSIGN(s.date, reader.RequiredString("date"));
         KC_HTTP_ASSIGN(s.start, reader.RequiredString("start"));
         KC_HTTP_ASSIGN(s.end, reader.RequiredString("end"));
         KC_HTTP_CHECK(reader.Finish());
         KC_HTTP_ASSIGN(auto saved, schedule_.AddShift(ctx.actor(), s));
         return JsonResponse(201, {{"id", saved.id},
                                   {"username", saved.username},
                                   {"date", saved.date},
                                   {"start", saved.start},
                                   {"end", saved.end}});
       }});

  router_.Add({"PUT", "/api/v1/schedule/staff/{username}/qualifications",
               Permission::kResourceManage, [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto list, reader.StringArray("qualifications"));
                 if (!list) {
                   return ErrorResponse(InvalidArgument("qualifications", "is required"));
                 }
                 KC_HTTP_CHECK(reader.Finish());
                 const std::string username = ctx.params["username"];
                 KC_HTTP_CHECK(schedule_.SetQualifications(ctx.actor(), username, *list));
                 return JsonResponse(200, {{"username", username}, {"qualifications", *list}});
               }});

  router_.Add({"POST", "/api/v1/schedule/protocols", Permission::kResourceManage,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 KC_HTTP_ASSIGN(auto p, schedule_.AddProtocol(ctx.actor(), body));
                 return JsonResponse(201, json::parse(codec::ProtocolToJson(p).dump()));
               }});

  // ---- calendar and appointments ----------------------------------------------------------------
  router_.Add(
      {"GET", "/api/v1/schedule/calendar", Permission::kScheduleRead, [this](RouteContext& ctx) {
         KC_HTTP_CHECK(CheckQuery(ctx.request, {"from", "to"}));
         auto from = QueryValue(ctx.request, "from"), to = QueryValue(ctx.request, "to");
         KC_HTTP_ASSIGN(auto v,
                        schedule_.Calendar(ctx.actor(), from.value_or(""), to.value_or("")));
         json chairs = json::array(), shifts = json::array(), list = json::array();
         for (const auto& c : v.chairs) chairs.push_back({{"id", c.id}, {"name", c.name}});
         for (const auto& s : v.shifts) {
           shifts.push_back(
               {{"username", s.username}, {"date", s.date}, {"start", s.start}, {"end", s.end}});
         }
         for (const auto& a : v.appointments) list.push_back(AppointmentJson(a));
         return JsonResponse(200, {{"time_zone", v.time_zone},
                                   {"from", v.from},
                                   {"to", v.to},
                                   {"chairs", std::move(chairs)},
                                   {"shifts", std::move(shifts)},
                                   {"appointments", std::move(list)}});
       }});

  router_.Add({"POST", "/api/v1/patients/{id}/series/proposal", Permission::kScheduleWrite,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, PatientIdParam(ctx));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto protocol, reader.RequiredString("protocol"));
                 KC_HTTP_ASSIGN(auto start, reader.RequiredString("start"));
                 KC_HTTP_CHECK(reader.Finish());
                 KC_HTTP_ASSIGN(auto p, schedule_.ProposeSeries(ctx.actor(), id, protocol, start));
                 json sessions = json::array();
                 for (const auto& s : p.sessions) sessions.push_back(SlotJson(s));
                 return JsonResponse(200, {{"protocol", p.protocol},
                                           {"sessions", std::move(sessions)},
                                           {"bent", p.bent},
                                           {"explanation", p.explanation}});
               }});

  router_.Add({"POST", "/api/v1/patients/{id}/series", Permission::kScheduleWrite,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, PatientIdParam(ctx));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_CHECK(OnlyKeys(body, {"protocol", "sessions"}));
                 KC_HTTP_ASSIGN(auto protocol, reader.RequiredString("protocol"));
                 KC_HTTP_ASSIGN(const json* list, RequiredArray(body, "sessions"));
                 std::vector<app::SessionChoice> sessions;
                 for (size_t i = 0; i < list->size(); ++i) {
                   const std::string path = "sessions[" + std::to_string(i) + "]";
                   if (!(*list)[i].is_object()) {
                     return ErrorResponse(InvalidArgument(path, "must be an object"));
                   }
                   codec::ObjectReader s((*list)[i], path);
                   KC_HTTP_ASSIGN(auto c, ChoiceFrom(s));
                   KC_HTTP_CHECK(s.Finish());
                   sessions.push_back(std::move(c));
                 }
                 KC_HTTP_ASSIGN(auto b, schedule_.BookSeries(ctx.actor(), id, protocol, sessions));
                 json appointments = json::array();
                 for (const auto& a : b.appointments) appointments.push_back(AppointmentJson(a));
                 return JsonResponse(
                     201, {{"series_id", b.series_id}, {"appointments", std::move(appointments)}});
               }});

  router_.Add({"POST", "/api/v1/patients/{id}/appointments", Permission::kScheduleWrite,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, PatientIdParam(ctx));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto type, reader.RequiredString("type"));
                 KC_HTTP_ASSIGN(auto choice, ChoiceFrom(reader));
                 KC_HTTP_CHECK(reader.Finish());
                 KC_HTTP_ASSIGN(auto a, schedule_.Book(ctx.actor(), id, type, choice));
                 return JsonResponse(201, AppointmentJson(a));
               }});

  auto list_appointments = [this](RouteContext& ctx, const PatientId& id) {
    KC_HTTP_ASSIGN(auto list, schedule_.PatientAppointments(ctx.actor(), id));
    json out = json::array();
    for (const auto& a : list) out.push_back(AppointmentJson(a));
    return JsonResponse(200, {{"appointments", std::move(out)}});
  };
  router_.Add({"GET", "/api/v1/patients/{id}/appointments", Permission::kScheduleRead,
               [list_appointments](RouteContext& ctx) {
                 KC_HTTP_CHECK(CheckQuery(ctx.request, {}));
                 KC_HTTP_ASSIGN(auto id, PatientIdParam(ctx));
                 return list_appointments(ctx, id);
               }});
  // The patient's own appointments (a route names one permission: this is the portal's).
  router_.Add({"GET", "/api/v1/portal/appointments", Permission::kBookingRequest,
               [list_appointments](RouteContext& ctx) {
                 KC_HTTP_CHECK(CheckQuery(ctx.request, {}));
                 if (!ctx.actor().patient_id) {
                   return ErrorResponse(PermissionDenied("no patient record is linked"));
                 }
                 return list_appointments(ctx, *ctx.actor().patient_id);
               }});

  router_.Add({"POST", "/api/v1/appointments/{appointment_id}/cancel", Permission::kScheduleWrite,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, IdParam(ctx, "appointment_id"));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto reason, reader.RequiredString("reason"));
                 KC_HTTP_CHECK(reader.Finish());
                 KC_HTTP_ASSIGN(auto c, schedule_.Cancel(ctx.actor(), id, reason));
                 json next = json::array();
                 for (const auto& s : c.next_free) next.push_back(SlotJson(s));
                 return JsonResponse(200, {{"appointment", AppointmentJson(c.appointment)},
                                           {"next_free", std::move(next)}});
               }});

  router_.Add({"POST", "/api/v1/appointments/{appointment_id}/move", Permission::kScheduleWrite,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, IdParam(ctx, "appointment_id"));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto choice, ChoiceFrom(reader));
                 KC_HTTP_ASSIGN(auto reason, reader.RequiredString("reason"));
                 KC_HTTP_CHECK(reader.Finish());
                 KC_HTTP_ASSIGN(auto a, schedule_.Move(ctx.actor(), id, choice, reason));
                 return JsonResponse(200, AppointmentJson(a));
               }});

  router_.Add({"GET", "/api/v1/appointments/{appointment_id}/next-free", Permission::kScheduleRead,
               [this](RouteContext& ctx) {
                 KC_HTTP_CHECK(CheckQuery(ctx.request, {}));
                 KC_HTTP_ASSIGN(auto id, IdParam(ctx, "appointment_id"));
                 KC_HTTP_ASSIGN(auto slots, schedule_.NextFree(ctx.actor(), id));
                 json list = json::array();
                 for (const auto& s : slots) list.push_back(SlotJson(s));
                 return JsonResponse(200, {{"slots", std::move(list)}});
               }});

  // ---- portal booking requests ------------------------------------------------------------------
  router_.Add({"POST", "/api/v1/patients/{id}/booking-requests", Permission::kBookingRequest,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, PatientIdParam(ctx));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 KC_HTTP_CHECK(OnlyKeys(body, {"preferred", "note"}));
                 KC_HTTP_ASSIGN(const json* list, RequiredArray(body, "preferred"));
                 std::vector<app::PreferredDay> preferred;
                 for (size_t i = 0; i < list->size(); ++i) {
                   const std::string path = "preferred[" + std::to_string(i) + "]";
                   if (!(*list)[i].is_object()) {
                     return ErrorResponse(InvalidArgument(path, "must be an object"));
                   }
                   codec::ObjectReader p((*list)[i], path);
                   KC_HTTP_ASSIGN(auto date, p.RequiredString("date"));
                   KC_HTTP_ASSIGN(auto part, p.String("part"));
                   KC_HTTP_CHECK(p.Finish());
                   preferred.push_back({date, part.value_or("any")});
                 }
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto note, reader.String("note"));
                 KC_HTTP_ASSIGN(
                     auto r, schedule_.RequestBooking(ctx.actor(), id, std::move(preferred), note));
                 return JsonResponse(201, RequestJson(r));
               }});

  auto list_requests = [this](RouteContext& ctx) {
    KC_HTTP_CHECK(CheckQuery(ctx.request, {"status"}));
    KC_HTTP_ASSIGN(auto list,
                   schedule_.BookingRequests(ctx.actor(), QueryValue(ctx.request, "status")));
    json out = json::array();
    for (const auto& r : list) out.push_back(RequestJson(r));
    return JsonResponse(200, {{"requests", std::move(out)}});
  };
  router_.Add(
      {"GET", "/api/v1/portal/booking-requests", Permission::kBookingRequest, list_requests});
  router_.Add({"GET", "/api/v1/booking-requests", Permission::kScheduleRead, list_requests});

  router_.Add({"POST", "/api/v1/booking-requests/{request_id}/accept", Permission::kScheduleWrite,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, IdParam(ctx, "request_id"));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto choice, ChoiceFrom(reader));
                 KC_HTTP_CHECK(reader.Finish());
                 KC_HTTP_ASSIGN(auto r, schedule_.AcceptRequest(ctx.actor(), id, choice));
                 return JsonResponse(200, RequestJson(r));
               }});

  router_.Add({"POST", "/api/v1/booking-requests/{request_id}/propose", Permission::kScheduleWrite,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, IdParam(ctx, "request_id"));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto choice, ChoiceFrom(reader));
                 KC_HTTP_ASSIGN(auto note, reader.String("note"));
                 KC_HTTP_CHECK(reader.Finish());
                 KC_HTTP_ASSIGN(auto r, schedule_.ProposeForRequest(ctx.actor(), id, choice, note));
                 return JsonResponse(200, RequestJson(r));
               }});

  router_.Add({"POST", "/api/v1/portal/booking-requests/{request_id}/respond",
               Permission::kBookingRequest, [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, IdParam(ctx, "request_id"));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto accept, reader.Bool("accept"));
                 if (!accept) return ErrorResponse(InvalidArgument("accept", "is required"));
                 KC_HTTP_CHECK(reader.Finish());
                 KC_HTTP_ASSIGN(auto r, schedule_.RespondToProposal(ctx.actor(), id, *accept));
                 return JsonResponse(200, RequestJson(r));
               }});

  // ---- review tasks, boosters, worklist, utilisation --------------------------------------------
  router_.Add({"GET", "/api/v1/review-tasks", Permission::kWorklistRead, [this](RouteContext& ctx) {
                 KC_HTTP_CHECK(CheckQuery(ctx.request, {"status"}));
                 auto status = QueryValue(ctx.request, "status");
                 if (status && *status == "all") status.reset();
                 KC_HTTP_ASSIGN(auto tasks, schedule_.ReviewTasks(ctx.actor(), status));
                 json list = json::array();
                 for (const auto& t : tasks) list.push_back(TaskJson(t));
                 return JsonResponse(200, {{"tasks", std::move(list)}});
               }});

  router_.Add({"POST", "/api/v1/review-tasks/{task_id}/complete", Permission::kBoosterDecide,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, IdParam(ctx, "task_id"));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto note, reader.RequiredString("note"));
                 KC_HTTP_CHECK(reader.Finish());
                 KC_HTTP_ASSIGN(auto t, schedule_.CompleteReviewTask(ctx.actor(), id, note));
                 return JsonResponse(200, TaskJson(t));
               }});

  router_.Add({"GET", "/api/v1/patients/{id}/booster-proposal", Permission::kScheduleRead,
               [this](RouteContext& ctx) {
                 KC_HTTP_CHECK(CheckQuery(ctx.request, {}));
                 KC_HTTP_ASSIGN(auto id, PatientIdParam(ctx));
                 KC_HTTP_ASSIGN(auto v, schedule_.BoosterProposal(ctx.actor(), id));
                 json out = v.proposal
                                ? json::parse(codec::BoosterProposalToJson(*v.proposal).dump())
                                : json::object();
                 if (!v.proposal) {
                   out["next_booster_date"] = nullptr;
                   out["interval_days"] = nullptr;
                   out["reason"] =
                       "No infusion has been given yet: there is nothing to time a "
                       "booster from.";
                 }
                 json phq = json::array(), infusions = json::array(), decisions = json::array();
                 for (const auto& p : v.phq9) {
                   phq.push_back({{"date", FormatDate(p.date)}, {"total", p.score}});
                 }
                 for (const auto& d : v.infusions) infusions.push_back(FormatDate(d));
                 for (const auto& d : v.decisions) decisions.push_back(DecisionJson(d));
                 out["phq9"] = std::move(phq);
                 out["infusions"] = std::move(infusions);
                 out["threshold"] = v.proposal ? v.proposal->threshold : v.settings.relapse_phq9;
                 out["bounds"] = {{"min", v.settings.min_interval_days},
                                  {"max", v.settings.max_interval_days}};
                 out["decisions"] = std::move(decisions);
                 return JsonResponse(200, out);
               }});

  router_.Add({"POST", "/api/v1/patients/{id}/booster-decisions", Permission::kBoosterDecide,
               [this](RouteContext& ctx) {
                 KC_HTTP_ASSIGN(auto id, PatientIdParam(ctx));
                 KC_HTTP_ASSIGN(auto body, Body(ctx.request));
                 codec::ObjectReader reader(body, "");
                 KC_HTTP_ASSIGN(auto date, reader.RequiredString("date"));
                 KC_HTTP_ASSIGN(auto interval, reader.Integer("interval_days"));
                 if (!interval) {
                   return ErrorResponse(InvalidArgument("interval_days", "is required"));
                 }
                 KC_HTTP_ASSIGN(auto accepted, reader.Bool("accepted"));
                 if (!accepted) return ErrorResponse(InvalidArgument("accepted", "is required"));
                 KC_HTTP_ASSIGN(auto reason, reader.String("reason"));
                 KC_HTTP_CHECK(reader.Finish());
                 if (*interval < 1 || *interval > 365) {
                   return ErrorResponse(InvalidArgument("interval_days", "must be 1..365"));
                 }
                 KC_HTTP_ASSIGN(auto d, schedule_.DecideBooster(ctx.actor(), id, date,
                                                                static_cast<int>(*interval),
                                                                *accepted, reason));
                 return JsonResponse(201, DecisionJson(d));
               }});

  router_.Add(
      {"GET", "/api/v1/worklists/today", Permission::kWorklistRead, [this](RouteContext& ctx) {
         KC_HTTP_CHECK(CheckQuery(ctx.request, {}));
         KC_HTTP_ASSIGN(auto w, schedule_.Today(ctx.actor()));
         json sessions = json::array(), overdue = json::array(), tasks = json::array(),
              boosters = json::array();
         for (const auto& a : w.sessions) sessions.push_back(AppointmentJson(a));
         for (const auto& e : w.overdue) {
           overdue.push_back(
               {{"instrument", e.due.instrument},
                {"reason", domain::scales::DueReasonName(e.due.reason)},
                {"opens_at", FormatTimestamp(e.due.opens_at)},
                {"due_at", FormatTimestamp(e.due.due_at)},
                {"overdue", e.due.overdue},
                {"reminder", e.due.reminder},
                {"patient",
                 {{"id", e.patient_id.value()},
                  {"name",
                   {{"given", e.patient_name.given}, {"family", e.patient_name.family}}}}}});
         }
         for (const auto& t : w.review_tasks) tasks.push_back(TaskJson(t));
         for (const auto& b : w.due_boosters) {
           boosters.push_back({{"patient_id", b.patient_id.value()},
                               {"patient_name", FullName(b.patient_name)},
                               {"proposed_date", b.proposed_date},
                               {"interval_days", b.interval_days}});
         }
         return JsonResponse(200, {{"date", w.date},
                                   {"sessions", std::move(sessions)},
                                   {"overdue_questionnaires", std::move(overdue)},
                                   {"review_tasks", std::move(tasks)},
                                   {"due_boosters", std::move(boosters)}});
       }});

  router_.Add({"GET", "/api/v1/schedule/utilisation", Permission::kUtilisationRead,
               [this](RouteContext& ctx) {
                 KC_HTTP_CHECK(CheckQuery(ctx.request, {"week"}));
                 auto week = QueryValue(ctx.request, "week");
                 KC_HTTP_ASSIGN(auto u, schedule_.WeekUtilisation(ctx.actor(), week.value_or("")));
                 json chairs = json::array(), staff = json::array(), boosters = json::array();
                 auto ratio = [](int booked, int open) {
                   return open > 0 ? static_cast<double>(booked) / open : 0.0;
                 };
                 for (const auto& c : u.chairs) {
                   chairs.push_back({{"chair_id", c.chair_id},
                                     {"name", c.name},
                                     {"booked_minutes", c.booked_minutes},
                                     {"open_minutes", c.open_minutes},
                                     {"ratio", ratio(c.booked_minutes, c.open_minutes)}});
                 }
                 for (const auto& s : u.staff) {
                   staff.push_back({{"username", s.username},
                                    {"booked_minutes", s.booked_minutes},
                                    {"shift_minutes", s.shift_minutes},
                                    {"ratio", ratio(s.booked_minutes, s.shift_minutes)}});
                 }
                 for (const auto& [date, n] : u.upcoming_boosters) {
                   boosters.push_back({{"date", date}, {"count", n}});
                 }
                 return JsonResponse(200, {{"week_start", u.week_start},
                                           {"chairs", std::move(chairs)},
                                           {"staff", std::move(staff)},
                                           {"upcoming_boosters", std::move(boosters)}});
               }});
}

}  // namespace kclinic::http
