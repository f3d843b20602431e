// Routes of screening and dosing: intake versions, the screening result and decisions, infusion
// plans with their predicted plasma curves.
#include <nlohmann/json.hpp>

#include "kclinic/codec/dosing_json.h"
#include "kclinic/codec/intake_json.h"
#include "kclinic/codec/screening_request.h"
#include "kclinic/domain/screening/intake.h"
#include "kclinic/http/api.h"
#include "kclinic/http/api_util.h"

namespace kclinic::http {

using domain::Permission;
using nlohmann::json;
using nlohmann::ordered_json;
namespace screening = domain::screening;

namespace {

ordered_json IntakeJson(const domain::IntakeRecord& r) {
  return {{"id", r.id},
          {"version", r.version},
          {"created_at", FormatTimestamp(r.created_at)},
          {"created_by", r.created_by},
          {"body", ordered_json::parse(r.body)}};
}

ordered_json DecisionJson(const domain::ScreeningDecisionRecord& d) {
  return {{"id", d.id},
          {"intake_id", d.intake_id},
          {"decision", d.decision},
          {"reason", d.reason},
          {"rules_version", std::stoi(d.rules_version)},
          {"settings_version", d.settings_version},
          {"decided_at", FormatTimestamp(d.decided_at)},
          {"decided_by", d.decided_by},
          {"screening", ordered_json::parse(d.findings)}};
}

ordered_json PlanJson(const domain::InfusionPlanRecord& p) { return ordered_json::parse(p.body); }

template <typename T, typename F>
ordered_json Codes(std::span<const T> all, F code) {
  ordered_json out = ordered_json::array();
  for (T v : all) out.push_back(std::string(code(v)));
  return out;
}

}  // namespace

void Api::AddScreeningRoutes() {
  router_.Add(
      {"GET", "/api/v1/screening/vocabulary", Permission::kScreeningRead,
       [](RouteContext& ctx) -> Result<Response> {
         KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
         return OrderedJsonResponse(
             200,
             {{"diagnoses", Codes(screening::AllDiagnoses(), screening::DiagnosisCode)},
              {"conditions", Codes(screening::AllConditions(), screening::ConditionCode)},
              {"checklist", Codes(screening::AllChecklistItems(), screening::ChecklistItemCode)},
              {"trial_outcomes", {"no_response", "partial_response", "response", "not_tolerated"}},
              {"pregnancy", {"pregnant", "not_pregnant", "unknown", "not_applicable"}}});
       }});

  router_.Add({"POST", "/api/v1/patients/{id}/intakes", Permission::kScreeningWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto done, screening_.SubmitIntake(ctx.actor(), id, body));
                 return OrderedJsonResponse(
                     201, {{"intake", IntakeJson(done.intake)},
                           {"screening", codec::ScreeningResultToJson(done.result)}});
               }});

  router_.Add({"GET", "/api/v1/patients/{id}/screening", Permission::kScreeningRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto o, screening_.Overview(ctx.actor(), id));
                 ordered_json decisions = ordered_json::array(), plans = ordered_json::array();
                 for (const auto& d : o.decisions) decisions.push_back(DecisionJson(d));
                 for (const auto& p : o.plans) plans.push_back(PlanJson(p));
                 return OrderedJsonResponse(
                     200, {{"intake", o.latest ? IntakeJson(o.latest->intake) : ordered_json()},
                           {"screening", o.latest ? codec::ScreeningResultToJson(o.latest->result)
                                                  : ordered_json()},
                           {"decision", o.current_decision ? DecisionJson(*o.current_decision)
                                                           : ordered_json()},
                           {"decisions", std::move(decisions)},
                           {"plans", std::move(plans)}});
               }});

  router_.Add({"POST", "/api/v1/patients/{id}/screening/decisions", Permission::kScreeningWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeScreeningDecisionRequest(body));
                 KC_ASSIGN_OR_RETURN(auto d, screening_.Decide(ctx.actor(), id, r.intake_id,
                                                               std::move(r.decision), r.reason));
                 return OrderedJsonResponse(201, DecisionJson(d));
               }});

  auto plan_route = [this](bool save) {
    return [this, save](RouteContext& ctx) -> Result<Response> {
      KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
      KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
      KC_ASSIGN_OR_RETURN(auto request, app::InfusionPlanRequestFromJson(body));
      KC_ASSIGN_OR_RETURN(auto plan, screening_.Plan(ctx.actor(), id, request, save));
      return OrderedJsonResponse(save ? 201 : 200, plan.json);
    };
  };
  router_.Add({"POST", "/api/v1/patients/{id}/infusion-plans/preview", Permission::kScreeningWrite,
               plan_route(false)});
  router_.Add({"POST", "/api/v1/patients/{id}/infusion-plans", Permission::kScreeningWrite,
               plan_route(true)});

  router_.Add(
      {"GET", "/api/v1/patients/{id}/titration", Permission::kScreeningRead,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {"events"}));
         KC_ASSIGN_OR_RETURN(auto id, PatientIdParam(ctx));
         std::vector<domain::dosing::ToleranceEvent> events;
         if (auto it = ctx.request.query.find("events"); it != ctx.request.query.end()) {
           std::string_view rest = it->second;
           while (!rest.empty()) {
             size_t comma = rest.find(',');
             std::string_view code = rest.substr(0, comma);
             auto e = domain::dosing::ParseToleranceEvent(code);
             if (!e) {
               return InvalidArgument(
                   "events",
                   "must be a comma-separated list of severe_dissociation, bp_event, "
                   "vomiting");
             }
             events.push_back(*e);
             rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
           }
         }
         KC_ASSIGN_OR_RETURN(auto proposal, screening_.SuggestTitration(ctx.actor(), id, events));
         ordered_json history = ordered_json::array();
         for (size_t i = 0; i < proposal.history.size(); ++i) {
           const auto& h = proposal.history[i];
           history.push_back(
               {{"at", FormatTimestamp(proposal.session_times[i])},
                {"mg_per_kg", h.mg_per_kg.value()},
                {"minutes", h.minutes.value()},
                {"phq9_before", h.phq9_before ? ordered_json(*h.phq9_before) : ordered_json()},
                {"phq9_after", h.phq9_after ? ordered_json(*h.phq9_after) : ordered_json()}});
         }
         return OrderedJsonResponse(
             200, {{"suggestion", codec::TitrationSuggestionToJson(proposal.suggestion)},
                   {"baseline_phq9", proposal.baseline_phq9 ? ordered_json(*proposal.baseline_phq9)
                                                            : ordered_json()},
                   {"history", std::move(history)}});
       }});
}

}  // namespace kclinic::http
