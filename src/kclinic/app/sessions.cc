#include "kclinic/app/sessions.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "kclinic/app/ledger.h"
#include "kclinic/base/crypto.h"
#include "kclinic/codec/intake_json.h"
#include "kclinic/domain/pk/predict.h"
#include "kclinic/domain/scales/scale_settings.h"
#include "kclinic/domain/scales/scoring.h"
#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/domain/screening/screening.h"

namespace kclinic::app {

using domain::Actor;
namespace ses = domain::session;
namespace pk = domain::pk;
namespace scales = domain::scales;
namespace screening = domain::screening;

namespace {

constexpr std::string_view kResource = "patient/sessions";

ses::Actor Who(const Actor& actor, Timestamp at) { return {at, actor.username}; }

// The facts the pre-checks judge, read from the record in `tx`.
Result<ses::PrecheckFacts> LoadFacts(domain::Transaction& tx, const domain::Patient& patient,
                                     const domain::SiteSettings& settings) {
  ses::PrecheckFacts f;
  f.birth_date = patient.fields.birth_date;
  f.sex = patient.fields.sex;
  f.escort_name = patient.fields.escort.name;
  f.phq9_window_hours = settings.Get(scales::kBeforeSessionHours);
  // The decision the shared approval rule judges (screening/approval.h). Only the decision is
  // taken from here: EvaluatePrechecks judges it with the same rule (JudgeDecision) at the
  // pre-check's own time, so the instant passed to LoadApproval does not matter.
  KC_ASSIGN_OR_RETURN(auto approval, LoadApproval(tx, patient.id, Timestamp{}, settings));
  if (approval.decision) {
    f.decision = approval.decision->decision;
    f.decided_at = approval.decision->decided_at;
  }
  auto latest = tx.screening().LatestIntake(patient.id);
  if (latest.ok()) {
    // Consent: the newest intake version has informed_consent ticked, dated by that version.
    auto intake = codec::IntakeFromText(latest->body);
    if (intake.ok()) {
      for (auto c : intake->checklist_done) {
        if (c == screening::ChecklistItem::kInformedConsent) f.consent_at = latest->created_at;
      }
    }
  } else if (latest.status().code() != StatusCode::kNotFound) {
    return latest.status();
  }
  KC_ASSIGN_OR_RETURN(auto assessments, tx.care().Assessments(patient.id));
  for (const auto& a : assessments) {
    if (a.instrument == "phq9" && (!f.phq9_at || a.administered_at > *f.phq9_at)) {
      f.phq9_at = a.administered_at;
    }
  }
  return f;
}

// REMS prefill: concomitant medicines from the newest intake's medication list (screening's drug
// classes), and the lot number of a draw when there is one.
Result<ses::RemsEntry> RemsPrefill(domain::Transaction& tx, const PatientId& patient) {
  ses::RemsEntry e;
  auto latest = tx.screening().LatestIntake(patient);
  if (!latest.ok()) {
    if (latest.status().code() == StatusCode::kNotFound) return e;
    return latest.status();
  }
  auto intake = codec::IntakeFromText(latest->body);
  if (!intake.ok()) return e;
  e.benzodiazepines = e.sedative_hypnotics = e.stimulants = e.maois = e.opioids = false;
  for (const auto& m : intake->medications) {
    for (auto c : screening::ClassesOf(m.name)) {
      if (c == screening::DrugClass::kBenzodiazepine) e.benzodiazepines = true;
      if (c == screening::DrugClass::kSedativeHypnotic) e.sedative_hypnotics = true;
      if (c == screening::DrugClass::kPsychostimulant) e.stimulants = true;
      if (c == screening::DrugClass::kMaoi) e.maois = true;
      if (c == screening::DrugClass::kOpioid) e.opioids = true;
    }
  }
  return e;
}

// The predicted plasma concentration now from the rate segments (PK engine, the plan's model;
// Clements 1981 by default as on the plan screen).
std::optional<double> PredictNow(const ses::Session& s, const domain::Patient& patient,
                                 Timestamp now, const std::string& model_code) {
  if (!s.record().plan) return std::nullopt;
  auto started = s.StartedAt();
  if (!started || now <= *started) return std::nullopt;
  const double conc = s.record().plan->concentration.value();
  std::vector<pk::DoseEntry> entries;
  auto minutes_from = [&](Timestamp t) {
    return std::chrono::duration<double, std::ratio<60>>(t - *started).count();
  };
  for (const auto& seg : s.Segments()) {
    const double a = minutes_from(seg.start), b = minutes_from(seg.end.value_or(now));
    if (b - a < 1e-6 || seg.rate_ml_per_h <= 0) continue;
    entries.push_back(
        {Minutes(a), std::nullopt, Minutes(b), MgPerMin(seg.rate_ml_per_h * conc / 60)});
  }
  if (entries.empty()) return std::nullopt;
  auto regimen = pk::Regimen::Create(std::move(entries));
  auto model = pk::ParseModelId(model_code);
  if (!regimen.ok() || !model.ok()) return std::nullopt;
  // PK models scale with the measured weight, whatever weight the dose was computed from.
  pk::Covariates cov{s.record().plan->actual_weight};
  const auto born = std::chrono::sys_days(patient.fields.birth_date);
  cov.age_years =
      std::chrono::duration<double, std::ratio<31556952>>(std::chrono::sys_days(DateOf(now)) - born)
          .count();
  cov.height = patient.fields.height_cm;
  cov.sex = patient.fields.sex;
  std::vector<Minutes> times = {Minutes(minutes_from(now))};
  auto p = pk::Predict(*model, cov, *regimen, times);
  if (!p.ok()) return std::nullopt;
  return std::round(p->plasma.values[0].value() * 10) / 10;
}

}  // namespace

std::vector<CustodyEntry> SessionService::CustodyEntries(const ses::Session& s) {
  std::vector<CustodyEntry> out;
  const double conc = s.record().plan ? s.record().plan->concentration.value() : 0;
  for (const auto& [c, e] : s.CustodyView().entries) {
    out.push_back({c.entry_id, c.type, c.lot_id, e.by, c.witness, c.amount_mg,
                   conc > 0 ? std::round(c.amount_mg / conc * 100) / 100 : 0, e.at});
  }
  return out;
}

namespace {

// Builds the screen's view of `s` inside `tx`.
Result<SessionView> BuildView(domain::Transaction& tx, ses::Session s, Timestamp now,
                              const domain::SiteSettings& settings) {
  KC_ASSIGN_OR_RETURN(domain::Patient patient, tx.patients().Get(s.record().patient_id));
  SessionView v{std::move(s), std::move(patient), now, settings, {}, false, {}, {}, {}};
  const ses::Session& ss = v.session;
  if (ss.Prechecks()) {
    v.prechecks = ss.Prechecks()->items;
    v.prechecks_passed = ss.Prechecks()->passed;
  } else if (ss.state() == ses::State::kScheduled || ss.state() == ses::State::kCheckedIn) {
    KC_ASSIGN_OR_RETURN(auto facts, LoadFacts(tx, v.patient, settings));
    v.prechecks =
        ses::EvaluatePrechecks(facts, {}, ss.Baseline(), ss.record().scheduled_at, now, settings);
  }
  if (ss.kind() == ses::Kind::kIvKetamine && ss.state() != ses::State::kSigned &&
      ss.state() != ses::State::kDischarged) {
    std::string model = "clements";
    if (!ss.record().plan_id.empty()) {
      KC_ASSIGN_OR_RETURN(auto plans, tx.screening().Plans(ss.record().patient_id));
      for (const auto& p : plans) {
        if (p.id != ss.record().plan_id) continue;
        auto body = nlohmann::json::parse(p.body, nullptr, false);
        if (body.is_object() && body.contains("pk") && body["pk"].is_object()) {
          model = body["pk"].value("model", model);
        }
      }
    }
    v.predicted_ng_per_ml = PredictNow(ss, v.patient, now, model);
  }
  if (ss.kind() == ses::Kind::kEsketamine) {
    bool first = true;
    KC_ASSIGN_OR_RETURN(auto others, tx.infusions().ForPatient(ss.record().patient_id));
    for (const auto& o : others) {
      if (o.record.id == ss.record().id || o.record.kind != ses::Kind::kEsketamine) continue;
      if (o.record.scheduled_at >= ss.record().scheduled_at) continue;
      for (const auto& e : o.events) {
        if (std::holds_alternative<ses::DeviceEvent>(e.body)) first = false;
      }
    }
    KC_ASSIGN_OR_RETURN(ses::RemsEntry prefill, RemsPrefill(tx, ss.record().patient_id));
    v.rems = ses::BuildRemsForm(ss, v.patient.fields.name, v.patient.fields.birth_date, first,
                                prefill, DateOf(now), settings);
    // CLINICAL.md §3: 28 mg on day 1 for patients 65 and older (a warning, not a rule here).
    if (first && ses::AgeOn(v.patient.fields.birth_date, DateOf(ss.record().scheduled_at)) >= 65 &&
        ss.record().planned_dose_mg > ses::kEsketamineDeviceMg) {
      v.warnings.push_back(
          "first esketamine session at 65 or older: the label starts at 28 mg (CLINICAL.md §3)");
    }
  }
  return v;
}

// Records the session as given in the patient's course (measurement area's outcomes and
// questionnaire schedules): the linked course session, else a new "given" one in the active
// course. No course: nothing to record.
Status MarkCourseSessionGiven(domain::Transaction& tx, const ses::Session& s, Timestamp at,
                              const std::string& by) {
  if (s.record().course_session_id) {
    return tx.care().UpdateSession(*s.record().course_session_id, at,
                                   domain::CourseSessionStatus::kGiven);
  }
  KC_ASSIGN_OR_RETURN(auto courses, tx.care().Courses(s.record().patient_id));
  for (auto it = courses.rbegin(); it != courses.rend(); ++it) {
    if (!domain::InProgress(it->phase)) continue;
    return tx.care().InsertSession(
        {NewId(), it->id, at, domain::CourseSessionStatus::kGiven, at, by});
  }
  return Status::Ok();
}

bool StartedNow(const ses::Session& before_state_holder, ses::State before) {
  (void)before_state_holder;
  return before == ses::State::kPrechecksPassed;
}

}  // namespace

// The shape of every write: load in a write transaction, run `f` on the session, store the new
// events and the state they lead to, audit, build the view, commit.
template <typename F>
Result<SessionView> MutateSession(const Env& env, const Actor& actor, const std::string& id,
                                  const std::string& action, F&& f) {
  if (!IsWellFormedId(id)) return NotFound("no such session");
  const Timestamp now = env.clock.Now();
  const domain::SiteSettings settings = env.settings.Get();
  KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(domain::StoredSession stored, tx->infusions().Get(id));
  KC_RETURN_IF_ERROR(CheckPatientReach(env, actor, stored.record.patient_id, action));
  KC_ASSIGN_OR_RETURN(ses::Session s,
                      ses::Session::Replay(std::move(stored.record), std::move(stored.events)));
  const ses::State before = s.state();
  KC_RETURN_IF_ERROR(f(s, *tx, now, settings));
  // The first start (IV) or first device (esketamine) makes the course session "given".
  if (StartedNow(s, before) &&
      (s.state() == ses::State::kRunning || s.state() == ses::State::kDosing)) {
    KC_RETURN_IF_ERROR(MarkCourseSessionGiven(*tx, s, now, actor.username));
  }
  std::vector<ses::Event> events = s.TakeNew();
  KC_RETURN_IF_ERROR(tx->infusions().Append(id, events, s.state(), s.RemsCompleted().has_value()));
  std::vector<domain::AuditEvent> audit{MakeEvent(env, &actor, action, std::string(kResource),
                                                  "success", s.record().patient_id.value(), id)};
  KC_RETURN_IF_ERROR(tx->audit().Append(audit));
  KC_ASSIGN_OR_RETURN(SessionView view, BuildView(*tx, std::move(s), now, settings));
  KC_RETURN_IF_ERROR(tx->Commit());
  return view;
}

Result<std::vector<SessionSummary>> SessionService::List(
    const Actor& actor, std::optional<std::chrono::year_month_day> date) {
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();
  std::vector<SessionSummary> out;
  std::vector<std::string> patients;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    // The clinic's day, from its local midnight to the next (23 or 25 hours on a DST change).
    KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
    namespace sched = domain::schedule;
    if (!date) {
      KC_ASSIGN_OR_RETURN(sched::LocalDateTime local, sched::UtcToLocal(config.time_zone, now));
      date = local.date;
    }
    const std::chrono::year_month_day next{std::chrono::sys_days(*date) + std::chrono::days(1)};
    KC_ASSIGN_OR_RETURN(Timestamp from, sched::LocalToUtc(config.time_zone, {*date, {}}));
    KC_ASSIGN_OR_RETURN(Timestamp to, sched::LocalToUtc(config.time_zone, {next, {}}));
    KC_ASSIGN_OR_RETURN(auto list, tx->infusions().Scheduled(from, to));
    for (auto& st : list) {
      KC_ASSIGN_OR_RETURN(domain::Patient p, tx->patients().Get(st.record.patient_id));
      KC_ASSIGN_OR_RETURN(ses::Session s,
                          ses::Session::Replay(std::move(st.record), std::move(st.events)));
      SessionSummary sum{
          s.record().id, s.record().patient_id,   p.fields.name, s.kind(),
          s.state(),     s.record().scheduled_at, s.StartedAt(), s.NextVitalsDue(settings),
          false,         s.OpenAlerts()};
      sum.vitals_overdue = sum.next_vitals_due_at && now > *sum.next_vitals_due_at;
      patients.push_back(p.id.value());
      out.push_back(std::move(sum));
    }
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  for (const auto& p : patients) {
    KC_RETURN_IF_ERROR(env_.audit.Append(
        MakeEvent(env_, &actor, "session.list", std::string(kResource), "success", p)));
  }
  return out;
}

Result<SessionView> SessionService::Create(const Actor& actor, const PatientId& patient,
                                           const SessionCreateRequest& req) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "session.create"));
  auto kind = ses::ParseKind(req.kind);
  if (!kind) return InvalidArgument("kind", "must be iv_ketamine or esketamine");
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();
  ses::SessionRecord r;
  r.id = NewId();
  r.patient_id = patient;
  r.kind = *kind;
  r.scheduled_at = req.scheduled_at.value_or(now);
  if (r.scheduled_at < now - std::chrono::days(1) ||
      r.scheduled_at > now + std::chrono::days(366)) {
    return InvalidArgument("scheduled_at", "must lie between yesterday and a year from now");
  }
  if (req.appointment_id && !IsWellFormedId(*req.appointment_id)) {
    return InvalidArgument("appointment_id", "is not an id (32 hex digits)");
  }
  if (req.course_session_id && !IsWellFormedId(*req.course_session_id)) {
    return InvalidArgument("course_session_id", "is not an id (32 hex digits)");
  }
  r.appointment_id = req.appointment_id;
  r.course_session_id = req.course_session_id;
  r.created_at = now;
  r.created_by = actor.username;
  if (*kind == ses::Kind::kEsketamine) {
    KC_ASSIGN_OR_RETURN(r.planned_dose_mg, ses::PlannedEsketamineDoseMg(req.planned_dose_mg));
  } else if (req.planned_dose_mg) {
    return InvalidArgument("planned_dose_mg", "is for esketamine; IV takes the saved plan");
  }
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
  if (*kind == ses::Kind::kIvKetamine) {
    KC_ASSIGN_OR_RETURN(auto plans, tx->screening().Plans(patient));
    if (plans.empty()) {
      return FailedPrecondition(
          "the patient has no saved infusion plan: a prescriber saves one on the plan screen");
    }
    // The session runs the saved figures exactly as saved (typed columns, never the plan's JSON);
    // a plan missing one is refused with a 412 naming it.
    KC_ASSIGN_OR_RETURN(r.plan, ses::IvPlanFromSaved(plans.front().dose));
    r.plan_id = plans.front().id;
  }
  KC_RETURN_IF_ERROR(tx->infusions().Insert(r));
  std::vector<domain::AuditEvent> audit{MakeEvent(
      env_, &actor, "session.create", std::string(kResource), "success", patient.value(), r.id)};
  KC_RETURN_IF_ERROR(tx->audit().Append(audit));
  KC_ASSIGN_OR_RETURN(SessionView view,
                      BuildView(*tx, ses::Session::Create(std::move(r)), now, settings));
  KC_RETURN_IF_ERROR(tx->Commit());
  return view;
}

Result<SessionView> SessionService::Get(const Actor& actor, const std::string& id) {
  if (!IsWellFormedId(id)) return NotFound("no such session");
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
  KC_ASSIGN_OR_RETURN(domain::StoredSession stored, tx->infusions().Get(id));
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, stored.record.patient_id, "session.read"));
  KC_ASSIGN_OR_RETURN(ses::Session s,
                      ses::Session::Replay(std::move(stored.record), std::move(stored.events)));
  KC_ASSIGN_OR_RETURN(SessionView view, BuildView(*tx, std::move(s), now, settings));
  KC_RETURN_IF_ERROR(tx->Commit());
  KC_RETURN_IF_ERROR(
      env_.audit.Append(MakeEvent(env_, &actor, "session.read", std::string(kResource), "success",
                                  view.patient.id.value(), id)));
  return view;
}

Result<SessionView> SessionService::Transition(const Actor& actor, const std::string& id,
                                               const std::string& to, std::string reason,
                                               std::optional<double> rate) {
  auto target = ses::ParseState(to);
  if (!target) {
    return InvalidArgument("to",
                           "must be checked_in, running, paused, stopped, recovery, "
                           "monitoring, discharged or cancelled");
  }
  return MutateSession(
      env_, actor, id, "session.transition",
      [&](ses::Session& s, domain::Transaction& tx, Timestamp now,
          const domain::SiteSettings& settings) -> Status {
        KC_RETURN_IF_ERROR(s.Transition(Who(actor, now), *target, reason, rate, settings));
        if (*target != ses::State::kStopped) return Status::Ok();
        // The amount given is computed from the segments and recorded in the ledger per lot,
        // in the order the lots were drawn.
        double remaining = s.AdministeredMg(now);
        for (const auto& [c, e] : s.CustodyView().entries) {
          if (c.type != "draw" || remaining <= 0.004) continue;
          const double amount = std::min(remaining, c.amount_mg);
          KC_ASSIGN_OR_RETURN(auto entry,
                              LedgerAdminister(env_, tx, actor, c.lot_id, Milligrams(amount),
                                               s.record().id, s.record().patient_id));
          KC_RETURN_IF_ERROR(s.RecordCustody(
              Who(actor, now), {entry.id, "administer", c.lot_id, c.lot_number, "", amount, ""}));
          remaining -= amount;
        }
        return Status::Ok();
      });
}

Result<SessionView> SessionService::Prechecks(const Actor& actor, const std::string& id,
                                              const ses::NurseChecks& checks) {
  return MutateSession(env_, actor, id, "session.prechecks",
                       [&](ses::Session& s, domain::Transaction& tx, Timestamp now,
                           const domain::SiteSettings& settings) -> Status {
                         KC_ASSIGN_OR_RETURN(domain::Patient p,
                                             tx.patients().Get(s.record().patient_id));
                         KC_ASSIGN_OR_RETURN(auto facts, LoadFacts(tx, p, settings));
                         return s.RecordPrechecks(Who(actor, now), checks, facts, settings);
                       });
}

Result<SessionView> SessionService::Override(const Actor& actor, const std::string& id,
                                             std::string reason) {
  return MutateSession(env_, actor, id, "session.override",
                       [&](ses::Session& s, domain::Transaction&, Timestamp now,
                           const domain::SiteSettings&) -> Status {
                         return s.OverridePrechecks(Who(actor, now), reason);
                       });
}

Result<SessionView> SessionService::Rate(const Actor& actor, const std::string& id, double rate,
                                         std::string reason) {
  return MutateSession(env_, actor, id, "session.rate",
                       [&](ses::Session& s, domain::Transaction&, Timestamp now,
                           const domain::SiteSettings&) -> Status {
                         return s.ChangeRate(Who(actor, now), rate, reason);
                       });
}

Result<RecordedVital> SessionService::Vital(const Actor& actor, const std::string& id,
                                            ses::Vital vital, std::optional<Timestamp> at) {
  RecordedVital out;
  vital.id = NewId();
  auto view = MutateSession(
      env_, actor, id, "session.vitals",
      [&](ses::Session& s, domain::Transaction&, Timestamp now,
          const domain::SiteSettings& settings) -> Status {
        Timestamp when = at.value_or(now);
        if (when > now + std::chrono::minutes(5)) {
          return InvalidArgument("at", "may not lie in the future");
        }
        if (!s.Vitals().empty() && when < s.Vitals().back().at) {
          return InvalidArgument("at", "must not be before the previous reading");
        }
        if (!s.events().empty() && when < s.events().back().at - std::chrono::hours(2)) {
          return InvalidArgument("at", "is too long before the last entry of the session");
        }
        std::vector<std::string> ids = {NewId(), NewId(), NewId(), NewId()};
        KC_ASSIGN_OR_RETURN(out.alerts,
                            s.RecordVital({when, actor.username}, vital, settings, ids));
        out.vital = s.Vitals().back();
        return Status::Ok();
      });
  if (!view.ok()) return view.status();
  return out;
}

Result<ses::SessionAlert> SessionService::AlertAction(const Actor& actor, const std::string& id,
                                                      const std::string& alert_id,
                                                      std::string text) {
  ses::SessionAlert out;
  auto view =
      MutateSession(env_, actor, id, "session.alert_action",
                    [&](ses::Session& s, domain::Transaction&, Timestamp now,
                        const domain::SiteSettings&) -> Status {
                      KC_ASSIGN_OR_RETURN(out, s.ActOnAlert(Who(actor, now), alert_id, text));
                      return Status::Ok();
                    });
  if (!view.ok()) return view.status();
  return out;
}

Result<RecordedSideEffect> SessionService::SideEffect(const Actor& actor, const std::string& id,
                                                      ses::SideEffectEvent effect) {
  RecordedSideEffect out;
  effect.id = NewId();
  auto view = MutateSession(env_, actor, id, "session.side_effect",
                            [&](ses::Session& s, domain::Transaction&, Timestamp now,
                                const domain::SiteSettings&) -> Status {
                              KC_ASSIGN_OR_RETURN(
                                  out.alerts, s.RecordSideEffect(Who(actor, now), effect, NewId()));
                              out.effect = s.SideEffects().back();
                              return Status::Ok();
                            });
  if (!view.ok()) return view.status();
  return out;
}

Result<RecordedScore> SessionService::Score(const Actor& actor, const std::string& id,
                                            const std::string& instrument,
                                            const std::vector<std::optional<int>>& items) {
  if (instrument != "cadss" && instrument != "bprs") {
    return InvalidArgument("instrument", "must be cadss or bprs");
  }
  RecordedScore out;
  auto view = MutateSession(
      env_, actor, id, "session.score",
      [&](ses::Session& s, domain::Transaction& tx, Timestamp now,
          const domain::SiteSettings& settings) -> Status {
        // Scored by the measurement area's scales (CLINICAL.md §5), stored as an assessment of
        // the patient and linked to this session.
        KC_ASSIGN_OR_RETURN(scales::ScoreResult score,
                            scales::Score(instrument, items, scales::ScoringOptionsFrom(settings)));
        domain::AssessmentRecord a;
        a.id = NewId();
        a.patient_id = s.record().patient_id;
        a.instrument = instrument;
        a.administered_at = now;
        a.items = score.items;
        if (score.total) a.total = *score.total;
        if (score.severity) a.severity = std::string(scales::SeverityName(*score.severity));
        for (auto f : score.flags) a.flags.emplace_back(scales::FlagName(f));
        a.prorated = score.prorated;
        a.source = "clinic";
        a.entered_by = actor.username;
        a.entered_at = now;
        KC_RETURN_IF_ERROR(s.RecordScore(Who(actor, now), {a.id, instrument, a.total}));
        KC_RETURN_IF_ERROR(tx.care().InsertAssessment(a));
        out = {a.id,    instrument, score.total,   score.positive_subscale,
               a.flags, now,        actor.username};
        return Status::Ok();
      });
  if (!view.ok()) return view.status();
  return out;
}

Result<CustodyEntry> SessionService::Draw(const Actor& actor, const std::string& id,
                                          const std::string& lot_id, double amount_mg,
                                          const std::string& reason) {
  if (!IsWellFormedId(lot_id)) return InvalidArgument("lot_id", "is not a lot id (32 hex digits)");
  CustodyEntry out;
  auto view = MutateSession(
      env_, actor, id, "session.draw",
      [&](ses::Session& s, domain::Transaction& tx, Timestamp now,
          const domain::SiteSettings& settings) -> Status {
        KC_RETURN_IF_ERROR(
            s.CheckDraw(amount_mg, actor.role == domain::Role::kPrescriber, reason, settings));
        KC_ASSIGN_OR_RETURN(auto entry, LedgerDraw(env_, tx, actor, lot_id, Milligrams(amount_mg),
                                                   s.record().id, s.record().patient_id));
        // The reason is kept only where the rule asked for it (a draw above the plan).
        const bool above = s.CustodyView().drawn_mg + amount_mg > s.DrawLimitMg(settings) + 0.005;
        KC_RETURN_IF_ERROR(s.RecordCustody(
            Who(actor, now),
            {entry.id, "draw", lot_id, "", "", amount_mg, above ? reason : std::string()}));
        out = {entry.id, "draw", lot_id, actor.username, "", amount_mg, entry.amount_ml.value(),
               entry.at};
        return Status::Ok();
      });
  if (!view.ok()) return view.status();
  return out;
}

Result<CustodyEntry> SessionService::Waste(const Actor& actor, const std::string& id,
                                           double amount_mg, const std::string& witness_username,
                                           const std::string& witness_password,
                                           const std::string& witness_code) {
  // Authorised first (the route's permission), then the witness, before anything about the
  // session or the amount: a right password must not lead anywhere a wrong one does not.
  KC_ASSIGN_OR_RETURN(std::string witness,
                      CheckWitness(env_, actor, witness_username, witness_password, witness_code));
  CustodyEntry out;
  auto view = MutateSession(
      env_, actor, id, "session.waste",
      [&](ses::Session& s, domain::Transaction& tx, Timestamp now,
          const domain::SiteSettings&) -> Status {
        KC_RETURN_IF_ERROR(s.CheckWaste(amount_mg));
        // The remainder of each lot: drawn from it minus administered from it.
        std::map<std::string, double> left;
        std::vector<std::string> order;
        for (const auto& [c, e] : s.CustodyView().entries) {
          if (c.type == "draw") {
            if (!left.count(c.lot_id)) order.push_back(c.lot_id);
            left[c.lot_id] += c.amount_mg;
          }
          if (c.type == "administer") left[c.lot_id] -= c.amount_mg;
        }
        bool any = false;
        for (const auto& lot : order) {
          const double amount = std::round(left[lot] * 100) / 100;
          if (amount <= 0.004) continue;
          KC_ASSIGN_OR_RETURN(auto entry,
                              LedgerWaste(env_, tx, actor, lot, Milligrams(amount), s.record().id,
                                          s.record().patient_id, witness));
          KC_RETURN_IF_ERROR(
              s.RecordCustody(Who(actor, now), {entry.id, "waste", lot, "", witness, amount, ""}));
          if (!any) {
            out = {entry.id, "waste", lot, actor.username, witness, amount, entry.amount_ml.value(),
                   entry.at};
          } else {
            out.amount_mg += amount;
            out.amount_ml += entry.amount_ml.value();
          }
          any = true;
        }
        if (!any) return FailedPrecondition("cannot waste: nothing is left to waste");
        return Status::Ok();
      });
  if (!view.ok()) return view.status();
  return out;
}

Result<SessionView> SessionService::Device(const Actor& actor, const std::string& id, int mg) {
  return MutateSession(env_, actor, id, "session.device",
                       [&](ses::Session& s, domain::Transaction&, Timestamp now,
                           const domain::SiteSettings& settings) -> Status {
                         return s.GiveDevice(Who(actor, now), mg, settings);
                       });
}

Result<SessionView> SessionService::Discharge(const Actor& actor, const std::string& id,
                                              const std::map<std::string, bool>& items) {
  return MutateSession(env_, actor, id, "session.discharge",
                       [&](ses::Session& s, domain::Transaction&, Timestamp now,
                           const domain::SiteSettings& settings) -> Status {
                         return s.Discharge(Who(actor, now), items, settings);
                       });
}

Result<SessionView> SessionService::Sign(const Actor& actor, const std::string& id) {
  return MutateSession(
      env_, actor, id, "session.sign",
      [&](ses::Session& s, domain::Transaction&, Timestamp now,
          const domain::SiteSettings&) -> Status { return s.Sign(Who(actor, now)); });
}

Result<SessionView> SessionService::Addendum(const Actor& actor, const std::string& id,
                                             std::string text) {
  return MutateSession(
      env_, actor, id, "session.addendum",
      [&](ses::Session& s, domain::Transaction&, Timestamp now,
          const domain::SiteSettings&) -> Status { return s.AddAddendum(Who(actor, now), text); });
}

Result<ses::RemsForm> SessionService::SetRems(const Actor& actor, const std::string& id,
                                              const ses::RemsEntry& entry) {
  auto view = MutateSession(
      env_, actor, id, "session.rems",
      [&](ses::Session& s, domain::Transaction&, Timestamp now,
          const domain::SiteSettings&) -> Status { return s.SetRems(Who(actor, now), entry); });
  if (!view.ok()) return view.status();
  return *view->rems;
}

Result<ses::RemsForm> SessionService::CompleteRems(const Actor& actor, const std::string& id) {
  auto view = MutateSession(
      env_, actor, id, "session.rems_complete",
      [&](ses::Session& s, domain::Transaction& tx, Timestamp now,
          const domain::SiteSettings& settings) -> Status {
        if (s.kind() != ses::Kind::kEsketamine) {
          return FailedPrecondition("a REMS form belongs to esketamine sessions only");
        }
        // Judge the form as it stands (the view the nurse sees). What was prefilled (the
        // intake's medicines) is stored with the form, so the completed form no longer follows
        // later changes to the intake.
        KC_ASSIGN_OR_RETURN(SessionView v, BuildView(tx, s, now, settings));
        if (v.rems->missing.empty()) KC_RETURN_IF_ERROR(s.SetRems(Who(actor, now), v.rems->entry));
        KC_RETURN_IF_ERROR(s.CompleteRems(Who(actor, now), v.rems->missing));
        return Status::Ok();
      });
  if (!view.ok()) return view.status();
  return *view->rems;
}

Result<std::vector<PendingRems>> SessionService::Pending(const Actor& actor) {
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();
  std::vector<PendingRems> out;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_ASSIGN_OR_RETURN(auto list, tx->infusions().PendingRems());
    for (auto& st : list) {
      KC_ASSIGN_OR_RETURN(ses::Session s,
                          ses::Session::Replay(std::move(st.record), std::move(st.events)));
      KC_ASSIGN_OR_RETURN(SessionView v, BuildView(*tx, std::move(s), now, settings));
      out.push_back({v.session.record().id, v.patient.id, v.patient.fields.name,
                     v.rems->session_date, v.rems->due_date, v.rems->overdue, v.rems->missing});
    }
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  std::sort(out.begin(), out.end(), [](const PendingRems& a, const PendingRems& b) {
    return std::chrono::sys_days(a.due_date) < std::chrono::sys_days(b.due_date);
  });
  for (const auto& p : out) {
    KC_RETURN_IF_ERROR(
        env_.audit.Append(MakeEvent(env_, &actor, "rems.pending", std::string(kResource), "success",
                                    p.patient_id.value(), p.session_id)));
  }
  return out;
}

}  // namespace kclinic::app
