// Routes of booking (issue 6): resources, the calendar, single and series bookings, cancel and
// move with the next free slot, portal booking requests, review tasks, booster proposals and
// decisions, today's worklist and the week's utilisation. The contract is docs/api.md.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "kclinic/codec/json_read.h"
#include "kclinic/codec/schedule_json.h"
#include "kclinic/codec/schedule_request.h"
#include "kclinic/http/api.h"
#include "kclinic/http/api_util.h"

namespace kclinic::http {

using domain::Permission;
using nlohmann::json;

namespace {

json OptText(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

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

// The app's slot choice from the decoded one.
app::SessionChoice Choice(codec::SlotChoice c) {
  return {c.start, std::move(c.chair_id), std::move(c.nurse)};
}

std::optional<std::string> QueryValue(const Request& r, const std::string& key) {
  auto it = r.query.find(key);
  if (it == r.query.end()) return std::nullopt;
  return it->second;
}

}  // namespace

void Api::AddScheduleRoutes() {
  // ---- resources ------------------------------------------------------------------------------
  router_.Add({"GET", "/api/v1/schedule/resources", Permission::kScheduleRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto r, schedule_.Resources(ctx.actor()));
                 json holidays = json::array(), chairs = json::array(), staff = json::array(),
                      types = json::array(), protocols = json::array();
                 for (const auto& h : r.holidays) {
                   holidays.push_back({{"date", h.date}, {"name", h.name}});
                 }
                 for (const auto& c : r.chairs) chairs.push_back({{"id", c.id}, {"name", c.name}});
                 for (const auto& s : r.staff) {
                   staff.push_back({{"username", s.username},
                                    {"role", s.role},
                                    {"qualifications", s.qualifications}});
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
      {"PUT", "/api/v1/schedule/hours", Permission::kResourceManage,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
         KC_ASSIGN_OR_RETURN(auto r, codec::DecodeOpeningHoursRequest(body));
         KC_ASSIGN_OR_RETURN(auto warning, schedule_.SetHours(ctx.actor(), r.time_zone,
                                                              std::move(r.hours), r.confirm));
         if (warning) return ConfirmationRequired({*warning}, {});
         return JsonResponse(200, {{"time_zone", r.time_zone ? json(*r.time_zone) : json(nullptr)},
                                   {"saved", true}});
       }});

  router_.Add({"POST", "/api/v1/schedule/holidays", Permission::kResourceManage,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto holiday, codec::DecodeHolidayRequest(body));
                 KC_RETURN_IF_ERROR(schedule_.AddHoliday(ctx.actor(), holiday));
                 return JsonResponse(201, {{"date", holiday.date}, {"name", holiday.name}});
               }});

  router_.Add({"POST", "/api/v1/schedule/chairs", Permission::kResourceManage,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto name, codec::DecodeOneStringRequest(body, "name"));
                 KC_ASSIGN_OR_RETURN(auto c, schedule_.AddChair(ctx.actor(), name));
                 return JsonResponse(201, {{"id", c.id}, {"name", c.name}});
               }});

  router_.Add({"POST", "/api/v1/schedule/shifts", Permission::kResourceManage,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto shift, codec::DecodeShiftRequest(body));
                 KC_ASSIGN_OR_RETURN(auto saved, schedule_.AddShift(ctx.actor(), shift));
                 return JsonResponse(201, {{"id", saved.id},
                                           {"username", saved.username},
                                           {"date", saved.date},
                                           {"start", saved.start},
                                           {"end", saved.end}});
               }});

  router_.Add({"PUT", "/api/v1/schedule/staff/{username}/qualifications",
               Permission::kResourceManage, [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto list, codec::DecodeQualificationsRequest(body));
                 const std::string username = ctx.params["username"];
                 KC_RETURN_IF_ERROR(schedule_.SetQualifications(ctx.actor(), username, list));
                 return JsonResponse(200, {{"username", username}, {"qualifications", list}});
               }});

  router_.Add({"POST", "/api/v1/schedule/protocols", Permission::kResourceManage,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto p, schedule_.AddProtocol(ctx.actor(), body));
                 return JsonResponse(201, json::parse(codec::ProtocolToJson(p).dump()));
               }});

  // ---- calendar and appointments ----------------------------------------------------------------
  router_.Add(
      {"GET", "/api/v1/schedule/calendar", Permission::kScheduleRead,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {"from", "to"}));
         auto from = QueryValue(ctx.request, "from"), to = QueryValue(ctx.request, "to");
         KC_ASSIGN_OR_RETURN(auto v,
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
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeSeriesProposalRequest(body));
                 KC_ASSIGN_OR_RETURN(auto p,
                                     schedule_.ProposeSeries(ctx.actor(), id, r.protocol, r.start));
                 json sessions = json::array();
                 for (const auto& s : p.sessions) sessions.push_back(SlotJson(s));
                 return JsonResponse(200, {{"protocol", p.protocol},
                                           {"sessions", std::move(sessions)},
                                           {"bent", p.bent},
                                           {"explanation", p.explanation}});
               }});

  router_.Add({"POST", "/api/v1/patients/{id}/series", Permission::kScheduleWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeSeriesBookingRequest(body));
                 std::vector<app::SessionChoice> sessions;
                 for (auto& c : r.sessions) sessions.push_back(Choice(std::move(c)));
                 KC_ASSIGN_OR_RETURN(auto b,
                                     schedule_.BookSeries(ctx.actor(), id, r.protocol, sessions));
                 json appointments = json::array();
                 for (const auto& a : b.appointments) appointments.push_back(AppointmentJson(a));
                 return JsonResponse(
                     201, {{"series_id", b.series_id}, {"appointments", std::move(appointments)}});
               }});

  router_.Add({"POST", "/api/v1/patients/{id}/appointments", Permission::kScheduleWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeAppointmentRequest(body));
                 KC_ASSIGN_OR_RETURN(
                     auto a, schedule_.Book(ctx.actor(), id, r.type, Choice(std::move(r.slot))));
                 return JsonResponse(201, AppointmentJson(a));
               }});

  auto list_appointments = [this](RouteContext& ctx, const PatientId& id) -> Result<Response> {
    KC_ASSIGN_OR_RETURN(auto list, schedule_.PatientAppointments(ctx.actor(), id));
    json out = json::array();
    for (const auto& a : list) out.push_back(AppointmentJson(a));
    return JsonResponse(200, {{"appointments", std::move(out)}});
  };
  router_.Add({"GET", "/api/v1/patients/{id}/appointments", Permission::kScheduleRead,
               [list_appointments](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 return list_appointments(ctx, id);
               }});
  // The patient's own appointments (a route names one permission: this is the portal's).
  router_.Add({"GET", "/api/v1/portal/appointments", Permission::kBookingRequest,
               [list_appointments](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 if (!ctx.actor().patient_id) {
                   return PermissionDenied("no patient record is linked");
                 }
                 return list_appointments(ctx, *ctx.actor().patient_id);
               }});

  router_.Add({"POST", "/api/v1/appointments/{appointment_id}/cancel", Permission::kScheduleWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "appointment_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto reason, codec::DecodeOneStringRequest(body, "reason"));
                 KC_ASSIGN_OR_RETURN(auto c, schedule_.Cancel(ctx.actor(), id, reason));
                 json next = json::array();
                 for (const auto& s : c.next_free) next.push_back(SlotJson(s));
                 return JsonResponse(200, {{"appointment", AppointmentJson(c.appointment)},
                                           {"next_free", std::move(next)}});
               }});

  router_.Add({"POST", "/api/v1/appointments/{appointment_id}/move", Permission::kScheduleWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "appointment_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeAppointmentMoveRequest(body));
                 KC_ASSIGN_OR_RETURN(auto a,
                                     schedule_.Move(ctx.actor(), id, Choice(std::move(r.slot)),
                                                    std::move(r.reason)));
                 return JsonResponse(200, AppointmentJson(a));
               }});

  router_.Add({"GET", "/api/v1/appointments/{appointment_id}/next-free", Permission::kScheduleRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "appointment_id"));
                 KC_ASSIGN_OR_RETURN(auto slots, schedule_.NextFree(ctx.actor(), id));
                 json list = json::array();
                 for (const auto& s : slots) list.push_back(SlotJson(s));
                 return JsonResponse(200, {{"slots", std::move(list)}});
               }});

  // ---- portal booking requests ------------------------------------------------------------------
  router_.Add({"POST", "/api/v1/patients/{id}/booking-requests", Permission::kBookingRequest,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeBookingRequestRequest(body));
                 std::vector<app::PreferredDay> preferred;
                 for (auto& p : r.preferred) {
                   preferred.push_back({std::move(p.date), std::move(p.part)});
                 }
                 KC_ASSIGN_OR_RETURN(auto request,
                                     schedule_.RequestBooking(ctx.actor(), id, std::move(preferred),
                                                              std::move(r.note)));
                 return JsonResponse(201, RequestJson(request));
               }});

  auto list_requests = [this](RouteContext& ctx) -> Result<Response> {
    KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {"status"}));
    KC_ASSIGN_OR_RETURN(auto list,
                        schedule_.BookingRequests(ctx.actor(), QueryValue(ctx.request, "status")));
    json out = json::array();
    for (const auto& r : list) out.push_back(RequestJson(r));
    return JsonResponse(200, {{"requests", std::move(out)}});
  };
  router_.Add(
      {"GET", "/api/v1/portal/booking-requests", Permission::kBookingRequest, list_requests});
  router_.Add({"GET", "/api/v1/booking-requests", Permission::kScheduleRead, list_requests});

  router_.Add({"POST", "/api/v1/booking-requests/{request_id}/accept", Permission::kScheduleWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "request_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto slot, codec::DecodeSlotChoiceRequest(body));
                 KC_ASSIGN_OR_RETURN(
                     auto r, schedule_.AcceptRequest(ctx.actor(), id, Choice(std::move(slot))));
                 return JsonResponse(200, RequestJson(r));
               }});

  router_.Add({"POST", "/api/v1/booking-requests/{request_id}/propose", Permission::kScheduleWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "request_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto p, codec::DecodeBookingProposalRequest(body));
                 KC_ASSIGN_OR_RETURN(
                     auto r, schedule_.ProposeForRequest(ctx.actor(), id, Choice(std::move(p.slot)),
                                                         std::move(p.note)));
                 return JsonResponse(200, RequestJson(r));
               }});

  router_.Add({"POST", "/api/v1/portal/booking-requests/{request_id}/respond",
               Permission::kBookingRequest, [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "request_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(bool accept, codec::DecodeProposalResponseRequest(body));
                 KC_ASSIGN_OR_RETURN(auto r, schedule_.RespondToProposal(ctx.actor(), id, accept));
                 return JsonResponse(200, RequestJson(r));
               }});

  // ---- review tasks, boosters, worklist, utilisation --------------------------------------------
  router_.Add({"GET", "/api/v1/review-tasks", Permission::kReviewTaskRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {"status"}));
                 auto status = QueryValue(ctx.request, "status");
                 if (status && *status == "all") status.reset();
                 KC_ASSIGN_OR_RETURN(auto tasks, schedule_.ReviewTasks(ctx.actor(), status));
                 json list = json::array();
                 for (const auto& t : tasks) list.push_back(TaskJson(t));
                 return JsonResponse(200, {{"tasks", std::move(list)}});
               }});

  router_.Add({"POST", "/api/v1/review-tasks/{task_id}/complete", Permission::kBoosterDecide,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "task_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto note, codec::DecodeOneStringRequest(body, "note"));
                 KC_ASSIGN_OR_RETURN(auto t, schedule_.CompleteReviewTask(ctx.actor(), id, note));
                 return JsonResponse(200, TaskJson(t));
               }});

  router_.Add(
      {"GET", "/api/v1/patients/{id}/booster-proposal", Permission::kScheduleRead,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
         KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
         KC_ASSIGN_OR_RETURN(auto v, schedule_.BoosterProposal(ctx.actor(), id));
         json out = v.proposal ? json::parse(codec::BoosterProposalToJson(*v.proposal).dump())
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
         out["infusions"] = std::move(infusions);
         if (v.scale_results) {
           out["phq9"] = std::move(phq);
           out["threshold"] = v.proposal ? v.proposal->threshold : v.settings.relapse_phq9;
         } else {
           // The front desk: the date and the interval, nothing that quotes a score.
           // The rule says whether the patient relapsed early or stayed well.
           for (const char* key : {"threshold", "post_induction_score", "estimate_days",
                                   "predicted_relapse_date", "durations", "rule", "method"}) {
             out.erase(key);
           }
         }
         out["bounds"] = {{"min", v.settings.min_interval_days},
                          {"max", v.settings.max_interval_days}};
         out["decisions"] = std::move(decisions);
         return JsonResponse(200, out);
       }});

  router_.Add({"POST", "/api/v1/patients/{id}/booster-decisions", Permission::kBoosterDecide,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeBoosterDecisionRequest(body));
                 KC_ASSIGN_OR_RETURN(
                     auto d, schedule_.DecideBooster(ctx.actor(), id, r.date, r.interval_days,
                                                     r.accepted, std::move(r.reason)));
                 return JsonResponse(201, DecisionJson(d));
               }});

  router_.Add(
      {"GET", "/api/v1/worklists/today", Permission::kWorklistRead,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
         KC_ASSIGN_OR_RETURN(auto w, schedule_.Today(ctx.actor()));
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
         if (w.review_tasks) {
           for (const auto& t : *w.review_tasks) tasks.push_back(TaskJson(t));
         }
         for (const auto& b : w.due_boosters) {
           boosters.push_back({{"patient_id", b.patient_id.value()},
                               {"patient_name", FullName(b.patient_name)},
                               {"proposed_date", b.proposed_date},
                               {"interval_days", b.interval_days}});
         }
         json out = {{"date", w.date},
                     {"sessions", std::move(sessions)},
                     {"overdue_questionnaires", std::move(overdue)},
                     {"due_boosters", std::move(boosters)}};
         // Left out, not empty, for a role that may not see them (their reasons quote scores).
         if (w.review_tasks) out["review_tasks"] = std::move(tasks);
         return JsonResponse(200, out);
       }});

  router_.Add({"GET", "/api/v1/schedule/utilisation", Permission::kUtilisationRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {"week"}));
                 auto week = QueryValue(ctx.request, "week");
                 KC_ASSIGN_OR_RETURN(auto u,
                                     schedule_.WeekUtilisation(ctx.actor(), week.value_or("")));
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
