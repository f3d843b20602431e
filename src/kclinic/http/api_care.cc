// Routes of measurement-based care: rating-scale definitions, assessments, outcomes, due and
// overdue questionnaires, courses and their sessions, safety alerts, the crisis text.
#include <nlohmann/json.hpp>

#include "kclinic/codec/care_request.h"
#include "kclinic/codec/json_read.h"
#include "kclinic/codec/scale_json.h"
#include "kclinic/http/api.h"
#include "kclinic/http/api_util.h"

namespace kclinic::http {

using domain::Permission;
using nlohmann::json;
namespace scales = domain::scales;

namespace {

json NameJson(const domain::PersonName& n) { return {{"given", n.given}, {"family", n.family}}; }

json AssessmentJson(const domain::AssessmentRecord& a) {
  json items = json::array();
  for (const auto& i : a.items) items.push_back(i ? json(*i) : json(nullptr));
  return {{"id", a.id},
          {"instrument", a.instrument},
          {"administered_at", Ts(a.administered_at)},
          {"total", a.total ? json(static_cast<int>(*a.total)) : json(nullptr)},
          {"severity", a.severity.empty() ? json(nullptr) : json(a.severity)},
          {"flags", a.flags},
          {"prorated", a.prorated},
          {"items", std::move(items)},
          {"entered_by", a.entered_by},
          {"source", a.source},
          {"backdate_reason", a.backdate_reason ? json(*a.backdate_reason) : json(nullptr)}};
}

json CourseJson(const domain::Course& c, const std::vector<domain::CourseSession>& sessions) {
  json list = json::array();
  for (const auto& s : sessions) {
    if (s.course_id != c.id) continue;
    list.push_back({{"id", s.id}, {"at", Ts(s.at)}, {"status", s.status}});
  }
  return {{"id", c.id},
          {"patient_id", c.patient_id.value()},
          {"kind", c.kind},
          {"phase", c.phase},
          {"started_at", Ts(c.started_at)},
          {"primary_clinician", c.primary_clinician},
          {"sessions", std::move(list)}};
}

json AlertJson(const app::AlertView& v) {
  const auto& a = v.alert;
  return {{"id", a.id},
          {"patient", {{"id", a.patient_id.value()}, {"name", NameJson(v.patient_name)}}},
          {"kind", a.kind},
          {"assessment_id", a.assessment_id ? json(*a.assessment_id) : json(nullptr)},
          {"created_at", Ts(a.created_at)},
          {"routed_to", a.routed_to},
          {"escalated", v.escalated},
          {"acknowledged_at", TsOrNull(a.acknowledged_at)},
          {"acknowledged_by", a.acknowledged_by ? json(*a.acknowledged_by) : json(nullptr)},
          {"action", a.action ? json(*a.action) : json(nullptr)}};
}

json DueJson(const scales::DueQuestionnaire& d) {
  return {{"instrument", d.instrument}, {"reason", scales::DueReasonName(d.reason)},
          {"opens_at", Ts(d.opens_at)}, {"due_at", Ts(d.due_at)},
          {"overdue", d.overdue},       {"reminder", d.reminder}};
}

// The chart's view of one instrument's outcome: every point tied to its stored assessment.
json InstrumentOutcomeJson(const scales::InstrumentOutcome& o,
                           const std::vector<domain::AssessmentRecord>& records,
                           int response_percent) {
  std::vector<const domain::AssessmentRecord*> mine;
  for (const auto& r : records) {
    if (r.instrument == o.instrument && r.total) mine.push_back(&r);
  }
  auto id_at = [&](size_t i, Timestamp at) -> json {
    if (i < mine.size() && mine[i]->administered_at == at) return mine[i]->id;
    for (const auto* r : mine) {
      if (r->administered_at == at) return r->id;
    }
    return nullptr;
  };
  json points = json::array();
  json baseline = nullptr;
  for (size_t i = 0; i < o.assessments.size(); ++i) {
    const auto& p = o.assessments[i];
    json id = id_at(i, p.at);
    if (p.is_baseline) baseline = {{"assessment_id", id}, {"at", Ts(p.at)}, {"total", p.total}};
    points.push_back(
        {{"assessment_id", id},
         {"at", Ts(p.at)},
         {"total", p.total},
         {"baseline", p.is_baseline},
         {"pre_course", p.pre_course},
         {"change", p.change_points ? json(*p.change_points) : json(nullptr)},
         {"change_percent", p.change_percent ? json(*p.change_percent) : json(nullptr)},
         {"response", p.response},
         {"remission", p.remission},
         {"relapse", p.relapse_confirmed},
         {"relapse_onset", p.relapse_onset}});
  }
  const scales::Instrument* def = scales::FindInstrument(o.instrument);
  json relapses = json::array();
  for (const auto& r : o.relapses) {
    relapses.push_back({{"onset_at", Ts(r.onset_at)}, {"confirmed_at", Ts(r.confirmed_at)}});
  }
  return {{"instrument", o.instrument},
          {"baseline", std::move(baseline)},
          {"response_threshold_percent", response_percent},
          {"remission_threshold",
           def && def->remission_max_total ? json(*def->remission_max_total) : json(nullptr)},
          {"status", scales::CourseStatusName(o.status)},
          {"time_to_first_response_days",
           o.days_to_first_response ? json(*o.days_to_first_response) : json(nullptr)},
          {"sessions_to_first_response",
           o.sessions_to_first_response ? json(*o.sessions_to_first_response) : json(nullptr)},
          {"first_response_at", TsOrNull(o.first_response_at)},
          {"first_remission_at", TsOrNull(o.first_remission_at)},
          {"relapses", std::move(relapses)},
          {"points", std::move(points)}};
}

}  // namespace

void Api::AddCareRoutes() {
  router_.Add({"GET", "/api/v1/instruments", Permission::kInstrumentRead,
               [](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 nlohmann::ordered_json list = nlohmann::ordered_json::array();
                 for (const auto& i : scales::Instruments()) {
                   list.push_back(codec::InstrumentToJson(i));
                 }
                 return OrderedJsonResponse(200, nlohmann::ordered_json{{"instruments", list}});
               }});

  router_.Add({"POST", "/api/v1/patients/{id}/assessments", Permission::kAssessmentRecord,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeAssessmentRequest(body));
                 KC_ASSIGN_OR_RETURN(auto done,
                                     care_.RecordAssessment(ctx.actor(), id, r.answers,
                                                            r.administered_at, r.backdate_reason));
                 json out = {{"assessment", AssessmentJson(done.record)},
                             {"score", json::parse(codec::ScoreResultToJson(done.score).dump())}};
                 if (done.crisis_text) {
                   out["crisis"] = {{"text", *done.crisis_text}};
                   if (done.crisis_follow_up) out["crisis"]["follow_up"] = *done.crisis_follow_up;
                 }
                 if (done.alert_id) out["alert_id"] = *done.alert_id;
                 return JsonResponse(201, out);
               }});

  router_.Add({"GET", "/api/v1/patients/{id}/outcomes", Permission::kAssessmentRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto o, care_.Outcomes(ctx.actor(), id));
                 json courses = json::array(), assessments = json::array(),
                      outcomes = json::array();
                 for (const auto& c : o.courses) courses.push_back(CourseJson(c, o.sessions));
                 for (const auto& a : o.assessments) assessments.push_back(AssessmentJson(a));
                 if (o.outcome) {
                   for (const auto& i : o.outcome->instruments) {
                     outcomes.push_back(
                         InstrumentOutcomeJson(i, o.assessments, o.response_reduction_percent));
                   }
                 }
                 return JsonResponse(200, {{"courses", std::move(courses)},
                                           {"assessments", std::move(assessments)},
                                           {"outcomes", std::move(outcomes)}});
               }});

  router_.Add({"GET", "/api/v1/patients/{id}/questionnaires", Permission::kAssessmentRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto due, care_.Due(ctx.actor(), id));
                 json list = json::array();
                 for (const auto& d : due) list.push_back(DueJson(d));
                 return JsonResponse(200, {{"due", std::move(list)}});
               }});

  router_.Add(
      {"GET", "/api/v1/questionnaires/overdue", Permission::kWorklistRead,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
         KC_ASSIGN_OR_RETURN(auto overdue, care_.Overdue(ctx.actor()));
         json list = json::array();
         for (const auto& e : overdue) {
           json j = DueJson(e.due);
           j["patient"] = {{"id", e.patient_id.value()}, {"name", NameJson(e.patient_name)}};
           list.push_back(std::move(j));
         }
         return JsonResponse(200, {{"items", std::move(list)}});
       }});

  router_.Add({"GET", "/api/v1/alerts", Permission::kAlertManage,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {"status"}));
                 bool all = false;
                 if (auto it = ctx.request.query.find("status"); it != ctx.request.query.end()) {
                   if (it->second != "open" && it->second != "all") {
                     return InvalidArgument("status", "must be open or all");
                   }
                   all = it->second == "all";
                 }
                 KC_ASSIGN_OR_RETURN(auto alerts, care_.Alerts(ctx.actor(), all));
                 json list = json::array();
                 for (const auto& a : alerts) list.push_back(AlertJson(a));
                 return JsonResponse(200, {{"alerts", std::move(list)}});
               }});

  router_.Add({"POST", "/api/v1/alerts/{alert_id}/acknowledge", Permission::kAlertManage,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "alert_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto action, codec::DecodeOneStringRequest(body, "action"));
                 KC_ASSIGN_OR_RETURN(auto done, care_.Acknowledge(ctx.actor(), id, action));
                 return JsonResponse(200, AlertJson(done));
               }});

  router_.Add({"POST", "/api/v1/patients/{id}/courses", Permission::kCourseWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeCourseStartRequest(body));
                 KC_ASSIGN_OR_RETURN(
                     auto c,
                     care_.StartCourse(ctx.actor(), id, std::move(r.kind), std::move(r.phase),
                                       std::move(r.primary_clinician), r.started_at));
                 return JsonResponse(201, CourseJson(c, {}));
               }});

  router_.Add({"PATCH", "/api/v1/courses/{course_id}", Permission::kCourseWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "course_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto phase, codec::DecodeOneStringRequest(body, "phase"));
                 KC_ASSIGN_OR_RETURN(auto c, care_.SetCoursePhase(ctx.actor(), id, phase));
                 return JsonResponse(200, CourseJson(c.first, c.second));
               }});

  router_.Add(
      {"POST", "/api/v1/courses/{course_id}/sessions", Permission::kCourseWrite,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "course_id"));
         KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
         KC_ASSIGN_OR_RETURN(auto r, codec::DecodeCourseSessionRequest(body));
         KC_ASSIGN_OR_RETURN(auto s,
                             care_.RecordSession(ctx.actor(), id, r.at, std::move(r.status)));
         return JsonResponse(
             201,
             {{"id", s.id}, {"course_id", s.course_id}, {"at", Ts(s.at)}, {"status", s.status}});
       }});

  router_.Add({"GET", "/api/v1/site/crisis-resources", Permission::kOwnAccount,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto text, care_.CrisisText());
                 return JsonResponse(200, {{"text", text}});
               }});
}

}  // namespace kclinic::http
