// Routes of infusion and esketamine sessions and their REMS forms (issue 5). The JSON shapes are
// the contract in docs/api.md ("Sessions").
#include <nlohmann/json.hpp>

#include "kclinic/app/sessions.h"
#include "kclinic/codec/json_read.h"
#include "kclinic/codec/session_request.h"
#include "kclinic/domain/session/session_settings.h"
#include "kclinic/http/api.h"
#include "kclinic/http/api_util.h"

namespace kclinic::http {

using domain::Permission;
using nlohmann::json;
namespace ses = domain::session;

namespace {

json VitalJson(const ses::VitalReading& v) {
  return {{"id", v.vital.id},          {"at", Ts(v.at)},          {"taken_by", v.taken_by},
          {"sbp", Opt(v.vital.sbp)},   {"dbp", Opt(v.vital.dbp)}, {"hr", Opt(v.vital.hr)},
          {"spo2", Opt(v.vital.spo2)}, {"rr", Opt(v.vital.rr)}};
}

json AlertJson(const ses::SessionAlert& a) {
  return {{"id", a.alert.id},
          {"at", Ts(a.at)},
          {"kind", a.alert.kind},
          {"message", a.alert.message},
          {"recommended_action", a.alert.recommended_action},
          {"reading", a.alert.reading},
          {"action_taken", Opt(a.action_taken)},
          {"action_by", Opt(a.action_by)},
          {"action_at", TsOrNull(a.action_at)}};
}

json SideEffectJson(const ses::SideEffect& s) {
  return {{"id", s.effect.id},
          {"at", Ts(s.at)},
          {"by", s.by},
          {"effect", s.effect.effect},
          {"severity", s.effect.severity},
          {"action", s.effect.action},
          {"note", s.effect.note.empty() ? json(nullptr) : json(s.effect.note)}};
}

json CustodyEntryJson(const app::CustodyEntry& e) {
  return {{"id", e.id},
          {"type", e.type},
          {"lot_id", e.lot_id},
          {"amount_mg", e.amount_mg},
          {"amount_ml", e.amount_ml},
          {"at", Ts(e.at)},
          {"by", e.by},
          {"witness", e.witness.empty() ? json(nullptr) : json(e.witness)}};
}

json BpJson(const std::optional<ses::BpReading>& b) {
  if (!b) return nullptr;
  return {{"at", Ts(b->at)}, {"sbp", b->sbp}, {"dbp", b->dbp}};
}

json RemsJson(const std::string& session_id, const ses::RemsForm& f) {
  const auto& e = f.entry;
  return {{"session_id", session_id},
          {"complete", f.complete},
          {"due_date", FormatDate(f.due_date)},
          {"overdue", f.overdue},
          {"missing", f.missing},
          {"fields",
           {{"patient_name", f.patient_name},
            {"birth_date", FormatDate(f.birth_date)},
            {"first_treatment", Opt(f.first_treatment)},
            {"concomitant",
             {{"benzodiazepines", Opt(e.benzodiazepines)},
              {"sedative_hypnotics", Opt(e.sedative_hypnotics)},
              {"stimulants", Opt(e.stimulants)},
              {"maois", Opt(e.maois)},
              {"opioids", Opt(e.opioids)}}},
            {"monitoring_clinician",
             {{"name", Opt(e.clinician_name)}, {"phone", Opt(e.clinician_phone)}}},
            {"setting", Opt(e.setting)},
            {"session_date", FormatDate(f.session_date)},
            {"dose_mg", Opt(f.dose_mg)},
            {"lot_number", Opt(e.lot_number)},
            {"first_device_at", TsOrNull(f.first_device_at)},
            {"monitoring_end_at", TsOrNull(f.monitoring_end_at)},
            {"total_monitoring_min", Opt(f.total_monitoring_min)},
            {"ready_to_leave_at", TsOrNull(e.ready_to_leave_at)},
            {"vitals_acceptable_before", Opt(f.vitals_acceptable_before)},
            {"vitals_acceptable_end", Opt(f.vitals_acceptable_end)},
            {"bp_before", BpJson(f.bp_before)},
            {"bp_40_min", BpJson(f.bp_40_min)},
            {"bp_end", BpJson(f.bp_end)},
            {"sedation_observed", Opt(f.sedation_observed)},
            {"dissociation_observed", Opt(f.dissociation_observed)},
            {"respiratory_depression_observed", Opt(f.respiratory_depression_observed)}}},
          {"completed_at", TsOrNull(f.completed_at)},
          {"completed_by", f.completed_by.empty() ? json(nullptr) : json(f.completed_by)}};
}

json SessionJson(const app::SessionView& v) {
  const ses::Session& s = v.session;
  const auto& r = s.record();
  const auto& st = v.settings;
  json transitions = json::array();
  for (const auto& t : s.Transitions()) {
    transitions.push_back({{"from", ses::StateCode(t.from)},
                           {"to", ses::StateCode(t.to)},
                           {"at", Ts(t.at)},
                           {"by", t.by},
                           {"reason", t.reason.empty() ? json(nullptr) : json(t.reason)}});
  }
  json plan;
  if (r.kind == ses::Kind::kIvKetamine && r.plan) {
    const auto& p = *r.plan;
    // weight_kg stays the measured weight, as clients read it; the two weights are named too.
    plan = {{"dose_mg", p.dose.value()},
            {"mg_per_kg", p.mg_per_kg.value()},
            {"weight_kg", p.actual_weight.value()},
            {"dosing_weight_kg", p.dosing_weight.value()},
            {"actual_weight_kg", p.actual_weight.value()},
            {"concentration_mg_per_ml", p.concentration.value()},
            {"volume_ml", p.volume.value()},
            {"rate_ml_per_h", p.rate.value()},
            {"duration_min", p.duration.value()}};
  } else {
    plan = {{"planned_dose_mg", r.planned_dose_mg}, {"devices_planned", s.DevicesPlanned()}};
  }
  json items = json::array();
  for (const auto& i : v.prechecks) {
    items.push_back(
        {{"key", i.key}, {"label", i.label}, {"passed", Opt(i.passed)}, {"detail", i.detail}});
  }
  json override_json = nullptr;
  if (s.OverrideInfo()) {
    override_json = {{"by", s.OverrideInfo()->by},
                     {"at", Ts(s.OverrideInfo()->at)},
                     {"reason", s.OverrideInfo()->reason}};
  }
  json segments = json::array();
  for (const auto& seg : s.Segments()) {
    segments.push_back({{"start", Ts(seg.start)},
                        {"end", TsOrNull(seg.end)},
                        {"rate_ml_per_h", seg.rate_ml_per_h}});
  }
  auto started = s.StartedAt();
  json elapsed = nullptr;
  if (started) {
    auto end = s.DischargedAt().value_or(v.now);
    elapsed = std::chrono::duration_cast<std::chrono::minutes>(end - *started).count();
  }
  auto due = s.NextVitalsDue(st);
  json vitals = json::array();
  for (const auto& x : s.Vitals()) vitals.push_back(VitalJson(x));
  json baseline = nullptr;
  if (auto b = s.Baseline()) {
    baseline = {{"sbp", Opt(b->vital.sbp)}, {"dbp", Opt(b->vital.dbp)}, {"hr", Opt(b->vital.hr)}};
  }
  json alerts = json::array();
  for (const auto& a : s.Alerts()) alerts.push_back(AlertJson(a));
  json effects = json::array();
  for (const auto& e : s.SideEffects()) effects.push_back(SideEffectJson(e));
  json scores = json::array();
  for (const auto& sc : s.Scores()) {
    scores.push_back({{"id", sc.score.assessment_id},
                      {"instrument", sc.score.instrument},
                      {"total", Opt(sc.score.total)},
                      {"at", Ts(sc.at)},
                      {"by", sc.by}});
  }
  const ses::Custody c = s.CustodyView();
  json entries = json::array();
  for (const auto& e : app::SessionService::CustodyEntries(s))
    entries.push_back(CustodyEntryJson(e));
  json discharge = nullptr;
  if (s.DischargeInfo()) {
    discharge = {{"items", s.DischargeInfo()->items},
                 {"at", Ts(s.DischargeInfo()->at)},
                 {"by", s.DischargeInfo()->by}};
  }
  // "Near baseline" as computed (CLINICAL.md §4, session.discharge_bp_delta_mmhg), shown next
  // to the nurse's tick.
  json near_baseline = nullptr;
  if (auto near = s.LastSbpNearBaseline(st)) near_baseline = *near;
  json esk = nullptr;
  if (r.kind == ses::Kind::kEsketamine) {
    json devices = json::array();
    for (const auto& d : s.Devices()) {
      devices.push_back({{"at", Ts(d.at)}, {"mg", d.mg}, {"by", d.by}});
    }
    auto bp = s.BpChecks(st);
    esk = {{"devices", devices},
           {"next_device_allowed_at", TsOrNull(s.NextDeviceAllowedAt(st))},
           {"monitoring_ends_at", TsOrNull(s.MonitoringEndsAt(st))},
           {"bp_checks",
            {{"before_dosing", BpJson(bp.before_dosing)},
             {"at_40_min", BpJson(bp.at_40_min)},
             {"at_end", BpJson(bp.at_end)}}}};
  }
  json signed_json = nullptr;
  if (s.SignedInfo()) signed_json = {{"by", s.SignedInfo()->by}, {"at", Ts(s.SignedInfo()->at)}};
  json addenda = json::array();
  for (const auto& a : s.Addenda()) {
    addenda.push_back({{"at", Ts(a.at)}, {"by", a.by}, {"text", a.text}});
  }
  json allowed = json::array();
  for (auto a : s.AllowedTransitions()) allowed.push_back(ses::StateCode(a));
  const double administered = s.AdministeredMg(v.now);
  return {{"id", r.id},
          {"patient_id", r.patient_id.value()},
          {"patient",
           {{"name", FullName(v.patient.fields.name)},
            {"birth_date", FormatDate(v.patient.fields.birth_date)},
            {"sex", domain::SexCode(v.patient.fields.sex)}}},
          {"kind", ses::KindCode(r.kind)},
          {"state", ses::StateCode(s.state())},
          {"scheduled_at", Ts(r.scheduled_at)},
          {"appointment_id", Opt(r.appointment_id)},
          {"course_session_id", Opt(r.course_session_id)},
          {"transitions", transitions},
          {"plan", plan},
          {"prechecks",
           {{"items", items},
            {"passed",
             v.prechecks_passed || s.OverrideInfo().has_value() ||
                 (s.state() != ses::State::kScheduled && s.state() != ses::State::kCheckedIn &&
                  s.state() != ses::State::kCancelled)},
            {"override", override_json}}},
          {"segments", segments},
          {"started_at", TsOrNull(started)},
          {"elapsed_min", elapsed},
          {"administered_mg", administered},
          {"administered_ml", s.AdministeredMl(v.now)},
          {"predicted_concentration_ng_per_ml", Opt(v.predicted_ng_per_ml)},
          {"next_vitals_due_at", TsOrNull(due)},
          {"vitals_overdue", due && v.now > *due},
          {"vitals", vitals},
          {"baseline", baseline},
          {"alerts", alerts},
          {"side_effects", effects},
          {"scores", scores},
          {"custody",
           {{"drawn_mg", c.drawn_mg},
            {"administered_mg", c.administered_mg},
            {"wasted_mg", c.wasted_mg},
            {"reconciled", c.reconciled()},
            {"entries", entries}}},
          {"discharge", discharge},
          {"vitals_near_baseline_computed", near_baseline},
          {"observation_ends_at", TsOrNull(s.ObservationEndsAt(st))},
          {"esketamine", esk},
          {"signed", signed_json},
          {"addenda", addenda},
          {"allowed_transitions", allowed},
          {"warnings", v.warnings},
          {"rems", v.rems ? RemsJson(r.id, *v.rems) : json(nullptr)}};
}

Result<Response> SessionResponse(int status, Result<app::SessionView> view) {
  KC_ASSIGN_OR_RETURN(auto v, std::move(view));
  return JsonResponse(status, SessionJson(v));
}

}  // namespace

void Api::AddSessionRoutes() {
  router_.Add({"GET", "/api/v1/infusion-sessions", Permission::kSessionRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {"date"}));
                 std::optional<std::chrono::year_month_day> date;  // the clinic's today
                 if (auto it = ctx.request.query.find("date"); it != ctx.request.query.end()) {
                   auto d = ParseDate(it->second);
                   if (!d) return InvalidArgument("date", "must be YYYY-MM-DD");
                   date = *d;
                 }
                 KC_ASSIGN_OR_RETURN(auto list, sessions_.List(ctx.actor(), date));
                 json out = json::array();
                 for (const auto& s : list) {
                   out.push_back({{"id", s.id},
                                  {"patient_id", s.patient_id.value()},
                                  {"patient_name", FullName(s.patient_name)},
                                  {"kind", ses::KindCode(s.kind)},
                                  {"state", ses::StateCode(s.state)},
                                  {"scheduled_at", Ts(s.scheduled_at)},
                                  {"started_at", TsOrNull(s.started_at)},
                                  {"next_vitals_due_at", TsOrNull(s.next_vitals_due_at)},
                                  {"vitals_overdue", s.vitals_overdue},
                                  {"open_alerts", s.open_alerts}});
                 }
                 return JsonResponse(200, {{"sessions", out}});
               }});

  router_.Add({"POST", "/api/v1/patients/{id}/infusion-sessions", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeSessionCreateRequest(body));
                 app::SessionCreateRequest req;
                 req.kind = std::move(r.kind);
                 req.scheduled_at = r.scheduled_at;
                 req.appointment_id = std::move(r.appointment_id);
                 req.course_session_id = std::move(r.course_session_id);
                 req.planned_dose_mg = r.planned_dose_mg;
                 return SessionResponse(201, sessions_.Create(ctx.actor(), id, req));
               }});

  router_.Add({"GET", "/api/v1/infusion-sessions/{session_id}", Permission::kSessionRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 return SessionResponse(200, sessions_.Get(ctx.actor(), sid));
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/transitions",
               Permission::kSessionWrite, [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeSessionTransitionRequest(body));
                 std::optional<double> rate;
                 if (r.rate) rate = r.rate->value();
                 return SessionResponse(
                     200, sessions_.Transition(ctx.actor(), sid, r.to, std::move(r.reason), rate));
               }});

  router_.Add({"PUT", "/api/v1/infusion-sessions/{session_id}/prechecks", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto checks, codec::DecodePrecheckRequest(body));
                 return SessionResponse(200, sessions_.Prechecks(ctx.actor(), sid, checks));
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/override",
               Permission::kSessionOverride, [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto reason, codec::DecodeOneStringRequest(body, "reason"));
                 return SessionResponse(200, sessions_.Override(ctx.actor(), sid, reason));
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/rate", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodePumpRateRequest(body));
                 return SessionResponse(
                     200, sessions_.Rate(ctx.actor(), sid, r.rate.value(), std::move(r.reason)));
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/vitals", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeVitalsRequest(body));
                 KC_ASSIGN_OR_RETURN(auto done, sessions_.Vital(ctx.actor(), sid, r.vital, r.at));
                 json alerts = json::array();
                 for (const auto& a : done.alerts) alerts.push_back(AlertJson(a));
                 return JsonResponse(201, {{"vital", VitalJson(done.vital)}, {"alerts", alerts}});
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/alerts/{alert_id}/action",
               Permission::kSessionWrite, [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto aid, IdParam(ctx, "alert_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto text,
                                     codec::DecodeOneStringRequest(body, "action_taken"));
                 KC_ASSIGN_OR_RETURN(auto done, sessions_.AlertAction(ctx.actor(), sid, aid, text));
                 return JsonResponse(200, AlertJson(done));
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/side-effects",
               Permission::kSessionWrite, [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto e, codec::DecodeSideEffectRequest(body));
                 KC_ASSIGN_OR_RETURN(auto done, sessions_.SideEffect(ctx.actor(), sid, e));
                 json out = SideEffectJson(done.effect);
                 json alerts = json::array();
                 for (const auto& a : done.alerts) alerts.push_back(AlertJson(a));
                 out["alerts"] = alerts;
                 return JsonResponse(201, out);
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/scores", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeSessionScoreRequest(body));
                 KC_ASSIGN_OR_RETURN(auto done,
                                     sessions_.Score(ctx.actor(), sid, r.instrument, r.items));
                 return JsonResponse(201, {{"id", done.assessment_id},
                                           {"instrument", done.instrument},
                                           {"total", Opt(done.total)},
                                           {"positive_subscale", Opt(done.positive_subscale)},
                                           {"flags", done.flags},
                                           {"at", Ts(done.at)},
                                           {"by", done.by}});
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/draws", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeDoseDrawRequest(body));
                 KC_ASSIGN_OR_RETURN(auto done, sessions_.Draw(ctx.actor(), sid, r.lot_id,
                                                               r.amount.value(), r.reason));
                 return JsonResponse(201, CustodyEntryJson(done));
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/waste", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeDoseWasteRequest(body));
                 KC_ASSIGN_OR_RETURN(
                     auto done,
                     sessions_.Waste(ctx.actor(), sid, r.amount.value(), r.witness_username,
                                     r.witness_password, r.witness_code));
                 return JsonResponse(201, CustodyEntryJson(done));
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/devices", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(int mg, codec::DecodeDeviceRequest(body));
                 return SessionResponse(200, sessions_.Device(ctx.actor(), sid, mg));
               }});

  router_.Add({"PUT", "/api/v1/infusion-sessions/{session_id}/discharge", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto items, codec::DecodeDischargeRequest(body));
                 return SessionResponse(200, sessions_.Discharge(ctx.actor(), sid, items));
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/sign", Permission::kSessionSign,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_RETURN_IF_ERROR(codec::DecodeEmptyRequest(body));
                 return SessionResponse(200, sessions_.Sign(ctx.actor(), sid));
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/addenda", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto text, codec::DecodeOneStringRequest(body, "text"));
                 return SessionResponse(201, sessions_.Addendum(ctx.actor(), sid, text));
               }});

  router_.Add({"PUT", "/api/v1/infusion-sessions/{session_id}/rems", Permission::kSessionWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto entry, codec::DecodeRemsRequest(body));
                 KC_ASSIGN_OR_RETURN(auto done, sessions_.SetRems(ctx.actor(), sid, entry));
                 return JsonResponse(200, RemsJson(sid, done));
               }});

  router_.Add({"POST", "/api/v1/infusion-sessions/{session_id}/rems/complete",
               Permission::kSessionWrite, [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto sid, IdParam(ctx, "session_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_RETURN_IF_ERROR(codec::DecodeEmptyRequest(body));
                 KC_ASSIGN_OR_RETURN(auto done, sessions_.CompleteRems(ctx.actor(), sid));
                 return JsonResponse(200, RemsJson(sid, done));
               }});

  router_.Add({"GET", "/api/v1/rems/pending", Permission::kSessionRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto list, sessions_.Pending(ctx.actor()));
                 json forms = json::array();
                 for (const auto& p : list) {
                   forms.push_back({{"session_id", p.session_id},
                                    {"patient_id", p.patient_id.value()},
                                    {"patient_name", FullName(p.patient_name)},
                                    {"session_date", FormatDate(p.session_date)},
                                    {"due_date", FormatDate(p.due_date)},
                                    {"overdue", p.overdue},
                                    {"missing", p.missing}});
                 }
                 return JsonResponse(200, {{"forms", forms}});
               }});
}

}  // namespace kclinic::http
