#include "kclinic/app/screening.h"

#include <cmath>

#include "kclinic/base/crypto.h"
#include "kclinic/codec/dosing_json.h"
#include "kclinic/codec/enum_json.h"
#include "kclinic/codec/intake_json.h"
#include "kclinic/codec/json_read.h"
#include "kclinic/domain/pk/predict.h"

namespace kclinic::app {

using domain::Actor;
namespace screening = domain::screening;
namespace dosing = domain::dosing;
namespace pk = domain::pk;

Result<ScreenedIntake> ScreeningService::SubmitIntake(const Actor& actor, const PatientId& patient,
                                                      const nlohmann::json& body) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "intake.create"));
  KC_ASSIGN_OR_RETURN(screening::Intake intake, codec::IntakeFromJson(body));
  const Timestamp now = env_.clock.Now();
  ScreenedIntake out;
  out.intake.id = NewId();
  out.intake.patient_id = patient;
  out.intake.created_at = now;
  out.intake.created_by = actor.username;
  const domain::SiteSettings settings = env_.settings.Get();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(domain::Patient record, tx->patients().Get(patient));
  // The age rule reads the record's birth date when the intake gives no age of its own, so that
  // leaving the age out cannot screen a child clean (it is still "missing" with no birth date).
  if (!intake.age_years && !intake.birth_date && record.fields.birth_date.ok()) {
    intake.birth_date = record.fields.birth_date;
    if (!intake.assessed_on) intake.assessed_on = DateOf(now);
  }
  // Stored in the codec's canonical shape, so that every version reads back the same way.
  out.intake.body = codec::IntakeToJson(intake).dump();
  out.result = screening::Screen(intake, settings);
  KC_RETURN_IF_ERROR(tx->screening().InsertIntake(out.intake));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "intake.create", "patient/screening", "success", patient.value(),
                "version=" + std::to_string(out.intake.version))};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return out;
}

Result<ScreeningOverview> ScreeningService::Overview(const Actor& actor, const PatientId& patient) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "screening.read"));
  ScreeningOverview out;
  std::optional<domain::IntakeRecord> latest;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
    auto intake = tx->screening().LatestIntake(patient);
    if (intake.ok()) {
      latest = std::move(intake).value();
    } else if (intake.status().code() != StatusCode::kNotFound) {
      return intake.status();
    }
    KC_ASSIGN_OR_RETURN(out.decisions, tx->screening().Decisions(patient));
    KC_ASSIGN_OR_RETURN(out.plans, tx->screening().Plans(patient));
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  if (latest) {
    KC_ASSIGN_OR_RETURN(screening::Intake intake, codec::IntakeFromText(latest->body));
    out.latest = ScreenedIntake{*latest, screening::Screen(intake, env_.settings.Get())};
    for (const auto& d : out.decisions) {
      if (d.intake_id == latest->id) {
        out.current_decision = d;
        break;
      }
    }
  }
  KC_RETURN_IF_ERROR(env_.audit.Append(
      MakeEvent(env_, &actor, "screening.read", "patient/screening", "success", patient.value())));
  return out;
}

Result<domain::ScreeningDecisionRecord> ScreeningService::Decide(const Actor& actor,
                                                                 const PatientId& patient,
                                                                 const std::string& intake_id,
                                                                 std::string decision,
                                                                 std::string reason) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "screening.decide"));
  if (!IsWellFormedId(intake_id)) {
    return InvalidArgument("intake_id", "is not an intake id (32 hex digits)");
  }
  auto parsed = screening::ParseDecision(decision);
  if (!parsed) return InvalidArgument("decision", "must be approve, decline or override");
  if (reason.size() > 4000) return InvalidArgument("reason", "must be at most 4000 characters");
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(domain::IntakeRecord latest, tx->screening().LatestIntake(patient));
  if (latest.id != intake_id) {
    return FailedPrecondition("a newer intake version exists; review its screening first");
  }
  KC_ASSIGN_OR_RETURN(screening::Intake intake, codec::IntakeFromText(latest.body));
  screening::ScreeningResult result = screening::Screen(intake, settings);
  KC_RETURN_IF_ERROR(screening::ValidateDecision(result.findings, *parsed, reason));
  domain::ScreeningDecisionRecord d{NewId(),
                                    patient,
                                    intake_id,
                                    *parsed,
                                    std::move(reason),
                                    std::to_string(result.rules_version),
                                    result.settings_version,
                                    codec::ScreeningResultToJson(result).dump(),
                                    now,
                                    actor.username};
  KC_RETURN_IF_ERROR(tx->screening().InsertDecision(d));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "screening.decide",
                                                   "patient/screening", "success", patient.value(),
                                                   std::string(Code(d.decision)))};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return d;
}

Result<InfusionPlanRequest> InfusionPlanRequestFromJson(const nlohmann::json& body) {
  codec::ObjectReader r(body, "");
  InfusionPlanRequest req;
  KC_ASSIGN_OR_RETURN(auto mg, r.Number("mg_per_kg"));
  KC_ASSIGN_OR_RETURN(auto basis, r.String("basis"));
  KC_ASSIGN_OR_RETURN(auto conc, r.Number("concentration_mg_per_ml"));
  KC_ASSIGN_OR_RETURN(auto minutes, r.Number("minutes"));
  KC_ASSIGN_OR_RETURN(auto model, r.String("model"));
  KC_RETURN_IF_ERROR(r.Finish());
  if (mg) req.mg_per_kg = *mg;
  if (basis) req.basis = *basis;
  if (conc) req.concentration_mg_per_ml = *conc;
  if (minutes) req.minutes = *minutes;
  if (model) req.model = *model;
  return req;
}

namespace {

// The predicted plasma curve of the planned infusion and of the same dose over 60 and 100 min
// (CLINICAL.md §2: 40-100 min protocols), each with its peak and time above the site's
// threshold (setting dosing.pk_threshold_ng_per_ml, 100 ng/mL: Krystal 1994; PK.md §3), from the
// model the prescriber picked.
Result<nlohmann::ordered_json> PkCurves(const InfusionPlanRequest& request,
                                        const dosing::DosePlan& dose, const domain::Patient& record,
                                        Timestamp now, const domain::SiteSettings& settings) {
  KC_ASSIGN_OR_RETURN(pk::ModelId model, pk::ParseModelId(request.model));
  const pk::ModelInfo& info = pk::DescribeModel(model);
  pk::Covariates covariates{dose.actual_weight};
  const auto today = std::chrono::sys_days(DateOf(now));
  const auto born = std::chrono::sys_days(record.fields.birth_date);
  covariates.age_years = std::chrono::duration<double, std::ratio<31556952>>(today - born).count();
  covariates.height = record.fields.height_cm;
  covariates.sex = record.fields.sex;
  std::vector<double> durations = {request.minutes};
  for (double m : {60.0, 100.0}) {
    if (std::abs(m - request.minutes) > 1e-9) durations.push_back(m);
  }
  const double horizon = std::max(240.0, std::ceil((request.minutes + 120) / 10) * 10);
  std::vector<Minutes> times;
  nlohmann::ordered_json times_json = nlohmann::ordered_json::array();
  for (double t = 0; t <= horizon + 1e-9; t += 2) {
    times.emplace_back(t);
    times_json.push_back(t);
  }
  pk::PredictOptions options;
  options.threshold = pk::NgPerMl(settings.Get(dosing::kPkThresholdNgPerMl));
  nlohmann::ordered_json curves = nlohmann::ordered_json::array();
  for (size_t k = 0; k < durations.size(); ++k) {
    const double minutes = durations[k];
    KC_ASSIGN_OR_RETURN(pk::Regimen regimen,
                        pk::Regimen::ConstantInfusion(dose.dose, Minutes(minutes)));
    KC_ASSIGN_OR_RETURN(pk::Prediction p, pk::Predict(model, covariates, regimen, times, options));
    nlohmann::ordered_json plasma = nlohmann::ordered_json::array(),
                           effect = nlohmann::ordered_json::array();
    for (const auto& v : p.plasma.values) plasma.push_back(v.value());
    for (const auto& v : p.effect_site.values) effect.push_back(v.value());
    nlohmann::ordered_json curve = {
        {"minutes", minutes},
        {"planned", k == 0},
        {"cmax_ng_per_ml", p.plasma.exposure.cmax.value()},
        {"tmax_min", p.plasma.exposure.tmax.value()},
        {"minutes_above_threshold", p.plasma.exposure.above_threshold.value()},
        {"auc_ng_min_per_ml", p.plasma.exposure.auc.value()},
        {"plasma", std::move(plasma)},
        {"effect_site", std::move(effect)}};
    if (p.metabolite) {
      nlohmann::ordered_json metabolite = nlohmann::ordered_json::array();
      for (const auto& v : p.metabolite->values) metabolite.push_back(v.value());
      curve["metabolite"] = {{"name", p.metabolite->name}, {"values", std::move(metabolite)}};
    }
    curves.push_back(std::move(curve));
  }
  return nlohmann::ordered_json{{"model", info.code},
                                {"model_name", info.name},
                                {"drug", info.drug},
                                {"population", info.population},
                                {"citation", info.citation},
                                {"note", info.note},
                                {"unit", "ng/mL"},
                                {"threshold_ng_per_ml", options.threshold.value()},
                                {"threshold_setting", dosing::kPkThresholdNgPerMl},
                                {"times_min", std::move(times_json)},
                                {"curves", std::move(curves)}};
}

}  // namespace

Result<InfusionPlan> ScreeningService::Plan(const Actor& actor, const PatientId& patient,
                                            const InfusionPlanRequest& request, bool save) {
  KC_RETURN_IF_ERROR(
      CheckPatientReach(env_, actor, patient, save ? "plan.create" : "plan.preview"));
  auto basis = dosing::ParseWeightBasis(request.basis);
  KC_RETURN_IF_ERROR(pk::ParseModelId(request.model).status());
  if (!basis) return InvalidArgument("basis", "must be actual, ideal or adjusted");
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();

  domain::Patient record;
  domain::screening::Approval approval;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_ASSIGN_OR_RETURN(record, tx->patients().Get(patient));
    KC_ASSIGN_OR_RETURN(approval, LoadApproval(*tx, patient, now, settings));
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  if (!domain::screening::IsCurrentApproval(approval)) {
    return FailedPrecondition(domain::screening::ApprovalRefusal(approval));
  }
  const domain::ScreeningDecisionRecord* decision = &*approval.decision;
  if (record.weights.empty()) {
    return FailedPrecondition("the record has no weight: add today's weight first");
  }
  if (!record.fields.height_cm) {
    return FailedPrecondition("the record has no height: add it to the patient's details");
  }
  // What the record holds is valid for the record, but the dosing rules need more: these are
  // states of the record to fix first (412), not errors in this request.
  if (record.fields.sex != domain::Sex::kFemale && record.fields.sex != domain::Sex::kMale) {
    return FailedPrecondition(
        "the Devine ideal body weight needs the record's sex as female or male");
  }
  const double height = record.fields.height_cm->value();
  if (height < dosing::kMinHeightCm || height > dosing::kMaxHeightCm) {
    return FailedPrecondition("the record's height is outside what the dosing rules accept");
  }
  const domain::WeightEntry* newest = &record.weights.front();
  for (const auto& w : record.weights) {
    if (w.measured_on > newest->measured_on) newest = &w;
  }
  if (newest->kg.value() < dosing::kMinWeightKg || newest->kg.value() > dosing::kMaxWeightKg) {
    return FailedPrecondition("the newest weight is outside what the dosing rules accept");
  }
  dosing::DoseRequest dr;
  dr.weight = newest->kg;
  dr.height = *record.fields.height_cm;
  dr.sex = record.fields.sex;
  dr.mg_per_kg = MgPerKg(request.mg_per_kg);
  dr.basis = *basis;
  dr.concentration = MgPerMl(request.concentration_mg_per_ml);
  dr.minutes = Minutes(request.minutes);
  InfusionPlan out;
  KC_ASSIGN_OR_RETURN(out.dose, dosing::PlanDose(dr, settings));
  out.json = {{"dose", codec::DosePlanToJson(out.dose)},
              {"weight_measured_on", FormatDate(newest->measured_on)},
              {"decision", {{"id", decision->id}, {"decision", decision->decision}}}};
  KC_ASSIGN_OR_RETURN(out.json["pk"], PkCurves(request, out.dose, record, now, settings));

  if (!save) {
    KC_RETURN_IF_ERROR(env_.audit.Append(
        MakeEvent(env_, &actor, "plan.preview", "patient/plans", "success", patient.value())));
    return out;
  }
  // The figures the session will run, typed, from the plan just computed (not from its JSON).
  domain::InfusionPlanRecord stored{NewId(),
                                    patient,
                                    decision->id,
                                    "",
                                    out.dose.settings_version,
                                    now,
                                    actor.username,
                                    dosing::PlannedDoseOf(out.dose)};
  out.json["id"] = stored.id;
  out.json["created_at"] = FormatTimestamp(now);
  out.json["created_by"] = actor.username;
  stored.body = out.json.dump();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_RETURN_IF_ERROR(tx->screening().InsertPlan(stored));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "plan.create", "patient/plans", "success", patient.value())};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  out.stored = std::move(stored);
  return out;
}

Result<TitrationProposal> ScreeningService::SuggestTitration(
    const Actor& actor, const PatientId& patient,
    const std::vector<dosing::ToleranceEvent>& latest_events) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "titration.read"));
  std::vector<domain::Course> courses;
  std::vector<domain::CourseSession> sessions;
  std::vector<domain::AssessmentRecord> assessments;
  std::vector<domain::InfusionPlanRecord> plans;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
    KC_ASSIGN_OR_RETURN(courses, tx->care().Courses(patient));
    KC_ASSIGN_OR_RETURN(sessions, tx->care().Sessions(patient));
    KC_ASSIGN_OR_RETURN(assessments, tx->care().Assessments(patient));
    KC_ASSIGN_OR_RETURN(plans, tx->screening().Plans(patient));
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  if (courses.empty()) return FailedPrecondition("the patient has no course of treatment");
  const domain::Course& course = courses.back();
  std::vector<Timestamp> given;
  for (const auto& s : sessions) {
    if (s.course_id == course.id && s.status == domain::CourseSessionStatus::kGiven) {
      given.push_back(s.at);
    }
  }
  std::vector<std::pair<Timestamp, int>> phq9;
  for (const auto& a : assessments) {
    if (a.instrument == "phq9" && a.total) phq9.emplace_back(a.administered_at, *a.total);
  }
  TitrationProposal out;
  if (!given.empty()) {
    for (const auto& [at, total] : phq9) {
      if (at <= given.front()) out.baseline_phq9 = total;
    }
  }
  for (size_t i = 0; i < given.size(); ++i) {
    // The plan in force: the newest saved before the session (plans are newest first).
    const domain::InfusionPlanRecord* plan = nullptr;
    for (const auto& p : plans) {
      if (p.created_at <= given[i]) {
        plan = &p;
        break;
      }
    }
    if (!plan) continue;
    // The plan's typed figures; a plan an older version saved without them tells nothing.
    if (!plan->dose.mg_per_kg || !plan->dose.minutes) continue;
    dosing::SessionOutcome o;
    o.mg_per_kg = *plan->dose.mg_per_kg;
    o.minutes = *plan->dose.minutes;
    const Timestamp next = i + 1 < given.size() ? given[i + 1] : Timestamp::max();
    for (const auto& [at, total] : phq9) {
      if (at <= given[i]) o.phq9_before = total;
      if (at > given[i] && at <= next && !o.phq9_after) o.phq9_after = total;
    }
    out.history.push_back(std::move(o));
    out.session_times.push_back(given[i]);
  }
  if (out.history.empty()) {
    return FailedPrecondition("no given session with a saved infusion plan to learn from yet");
  }
  out.history.back().events = latest_events;
  KC_ASSIGN_OR_RETURN(out.suggestion, dosing::SuggestTitration(out.history, out.baseline_phq9,
                                                               env_.settings.Get()));
  KC_RETURN_IF_ERROR(env_.audit.Append(
      MakeEvent(env_, &actor, "titration.read", "patient/plans", "success", patient.value())));
  return out;
}

}  // namespace kclinic::app
