#include "kclinic/app/care.h"

#include <algorithm>
#include <map>

#include "kclinic/app/schedule_support.h"
#include "kclinic/base/crypto.h"
#include "kclinic/domain/scales/safety.h"
#include "kclinic/domain/scales/scale_settings.h"
#include "kclinic/domain/scales/schedule.h"

namespace kclinic::app {

using domain::Actor;
using namespace std::chrono;
namespace scales = domain::scales;

namespace {

// The newest course in progress, or nullptr.
scales::CoursePhase PhaseOf(const domain::Course* c) {
  if (!c) return scales::CoursePhase::kNone;
  return c->phase == domain::CoursePhase::kMaintenance ? scales::CoursePhase::kMaintenance
                                                       : scales::CoursePhase::kInduction;
}

std::vector<scales::DueQuestionnaire> DueFor(const std::vector<domain::Course>& courses,
                                             const std::vector<domain::CourseSession>& sessions,
                                             const std::vector<domain::AssessmentRecord>& done,
                                             Timestamp now,
                                             const scales::ScheduleSettings& settings) {
  const domain::Course* active = domain::ActiveCourse(courses);
  scales::ScheduleInput in;
  in.phase = PhaseOf(active);
  in.now = now;
  if (active) {
    for (const auto& s : sessions) {
      if (s.course_id == active->id && s.status != domain::CourseSessionStatus::kCancelled)
        in.sessions.push_back(s.at);
    }
  }
  for (const auto& a : done) {
    auto [it, inserted] = in.last_completed.emplace(a.instrument, a.administered_at);
    if (!inserted) it->second = std::max(it->second, a.administered_at);
  }
  return scales::DueQuestionnaires(in, settings);
}

// A patient's courses, their sessions and her assessments, read in `tx`.
struct CareRecords {
  std::vector<domain::Course> courses;
  std::vector<domain::CourseSession> sessions;
  std::vector<domain::AssessmentRecord> assessments;
};
Result<CareRecords> LoadCare(domain::Transaction& tx, const PatientId& patient) {
  CareRecords r;
  KC_ASSIGN_OR_RETURN(r.courses, tx.care().Courses(patient));
  KC_ASSIGN_OR_RETURN(r.sessions, tx.care().Sessions(patient));
  KC_ASSIGN_OR_RETURN(r.assessments, tx.care().Assessments(patient));
  return r;
}

Status ValidateChoice(std::string_view field, const std::string& value,
                      std::initializer_list<std::string_view> allowed) {
  for (auto a : allowed) {
    if (value == a) return Status::Ok();
  }
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return InvalidArgument(std::string(field), "must be one of " + list);
}

}  // namespace

std::string CrisisFollowUp(const std::optional<domain::schedule::Opening>& opening,
                           const std::string& zone) {
  if (!opening) {
    return "Your answers are flagged for your care team, who will see them when they next use "
           "kclinic. If you need help now, use the numbers above.";
  }
  const std::string open = domain::schedule::FormatLocalTime(opening->open);
  const std::string close = domain::schedule::FormatLocalTime(opening->close);
  if (opening->open_now) {
    return "Your answers are flagged for your care team. The clinic is open until " + close + " " +
           zone + " today, and they will see them during opening hours.";
  }
  static constexpr const char* kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                              "Thursday", "Friday", "Saturday"};
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  const std::chrono::weekday wd{std::chrono::sys_days(opening->date)};
  const std::string day = std::string(kWeekdays[wd.c_encoding()]) + ", " +
                          kMonths[static_cast<unsigned>(opening->date.month()) - 1] + " " +
                          std::to_string(static_cast<unsigned>(opening->date.day()));
  return "Your answers are flagged for your care team, but the clinic is closed now: they will "
         "see them when it opens, " +
         day + " at " + open + " " + zone +
         ". Until then nobody at the clinic may see them, so if you need help now, use the "
         "numbers above.";
}

Result<RecordedAssessment> CareService::RecordAssessment(
    const Actor& actor, const PatientId& patient, const codec::Answers& answers,
    std::optional<Timestamp> administered_at, std::optional<std::string> backdate_reason) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "assessment.create"));
  const scales::Instrument* instrument = scales::FindInstrument(answers.instrument);
  if (!instrument) return InvalidArgument("instrument", "is not a known instrument");
  if (actor.role == domain::Role::kPatient && instrument->rater != scales::Rater::kSelf) {
    KC_RETURN_IF_ERROR(RecordDenial(env_, &actor, "assessment.create", patient.value(),
                                    "clinician-rated instrument"));
    return PermissionDenied("this scale is rated by a clinician in the clinic");
  }
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();
  const bool self_reported = actor.role == domain::Role::kPatient;
  KC_RETURN_IF_ERROR(
      scales::CheckAdministeredAt(self_reported, administered_at, backdate_reason, now, settings));
  // Answers a patient gives herself are dated when she sends them.
  if (self_reported) administered_at.reset();
  KC_ASSIGN_OR_RETURN(
      scales::ScoreResult score,
      scales::Score(*instrument, answers.items, scales::ScoringOptionsFrom(settings)));

  RecordedAssessment out;
  auto& a = out.record;
  a.id = NewId();
  a.patient_id = patient;
  a.instrument = std::string(instrument->id);
  a.administered_at = administered_at.value_or(now);
  a.items = score.items;
  if (score.total) a.total = *score.total;
  if (score.severity) a.severity = std::string(scales::SeverityName(*score.severity));
  // The C-SSRS screener has no bands: its triage level takes the severity's place.
  if (score.risk) a.severity = std::string(scales::CssrsRiskName(*score.risk));
  for (auto f : score.flags) a.flags.emplace_back(scales::FlagName(f));
  a.prorated = score.prorated;
  a.source = actor.role == domain::Role::kPatient ? "portal" : "clinic";
  a.entered_by = actor.username;
  a.entered_at = now;
  if (a.administered_at < now - std::chrono::hours(1)) a.backdate_reason = backdate_reason;

  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
  KC_RETURN_IF_ERROR(tx->care().InsertAssessment(a));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "assessment.create",
                                                   "patient/assessments", "success",
                                                   patient.value(), a.instrument)};
  const scales::SafetyResponse safety = scales::SafetyResponseFor(score.flags);
  const bool crisis = safety.crisis_resources;
  const std::vector<scales::Flag>& alerting = safety.alerts;
  if (!alerting.empty()) {
    KC_ASSIGN_OR_RETURN(auto courses, tx->care().Courses(patient));
    const domain::Course* active = domain::ActiveCourse(courses);
    for (auto f : alerting) {
      domain::Alert alert{NewId(),
                          patient,
                          a.id,
                          std::string(scales::FlagName(f)),
                          active ? active->primary_clinician : "prescribers",
                          now,
                          std::nullopt,
                          std::nullopt,
                          std::nullopt};
      KC_RETURN_IF_ERROR(tx->care().InsertAlert(alert));
      events.push_back(MakeEvent(env_, &actor, "alert.create", "patient/alerts", "success",
                                 patient.value(), alert.kind));
      if (!out.alert_id) out.alert_id = alert.id;
    }
  }
  if (crisis) {
    auto text = tx->care().GetText(domain::kCrisisResourcesText);
    if (text.ok()) {
      out.crisis_text = text->value;
    } else if (text.status().code() == StatusCode::kNotFound) {
      out.crisis_text = std::string(kDefaultCrisisText);
    } else {
      return text.status();
    }
    if (!alerting.empty()) {
      const auto today = DateOf(now);
      const std::chrono::year_month_day until{std::chrono::sys_days(today) + std::chrono::days(62)};
      KC_ASSIGN_OR_RETURN(ClinicData clinic, LoadClinic(*tx, today, until));
      out.crisis_follow_up =
          CrisisFollowUp(domain::schedule::NextOpening(clinic.clinic, now),
                         domain::schedule::ZoneAbbreviation(clinic.clinic.time_zone, now));
    }
  }
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  out.score = std::move(score);
  return out;
}

Result<PatientOutcomes> CareService::Outcomes(const Actor& actor, const PatientId& patient) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "outcomes.read"));
  PatientOutcomes out;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
    KC_ASSIGN_OR_RETURN(CareRecords care, LoadCare(*tx, patient));
    KC_RETURN_IF_ERROR(tx->Commit());
    out.courses = std::move(care.courses);
    out.sessions = std::move(care.sessions);
    out.assessments = std::move(care.assessments);
  }
  const domain::SiteSettings settings = env_.settings.Get();
  auto outcome_settings = scales::OutcomeSettingsFrom(settings);
  out.response_reduction_percent = static_cast<int>(outcome_settings.response_reduction_percent);
  if (!out.courses.empty()) {
    const domain::Course& course = out.courses.back();
    std::vector<Timestamp> given;
    for (const auto& s : out.sessions) {
      if (s.course_id == course.id && s.status == domain::CourseSessionStatus::kGiven) {
        given.push_back(s.at);
      }
    }
    std::vector<scales::Assessment> totals;
    for (const auto& a : out.assessments) {
      if (a.total) totals.push_back({a.instrument, a.administered_at, static_cast<int>(*a.total)});
    }
    KC_ASSIGN_OR_RETURN(out.outcome, scales::ComputeCourseOutcome(given, totals, outcome_settings));
  }
  KC_RETURN_IF_ERROR(env_.audit.Append(
      MakeEvent(env_, &actor, "outcomes.read", "patient/assessments", "success", patient.value())));
  return out;
}

Result<std::vector<scales::DueQuestionnaire>> CareService::Due(const Actor& actor,
                                                               const PatientId& patient) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "questionnaires.read"));
  CareRecords care;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
    KC_ASSIGN_OR_RETURN(care, LoadCare(*tx, patient));
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  auto due = DueFor(care.courses, care.sessions, care.assessments, env_.clock.Now(),
                    scales::ScheduleSettingsFrom(env_.settings.Get()));
  KC_RETURN_IF_ERROR(env_.audit.Append(MakeEvent(
      env_, &actor, "questionnaires.read", "patient/assessments", "success", patient.value())));
  return due;
}

Result<std::vector<OverdueEntry>> CareService::Overdue(const Actor& actor) {
  const Timestamp now = env_.clock.Now();
  const auto settings = scales::ScheduleSettingsFrom(env_.settings.Get());
  std::vector<OverdueEntry> out;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_ASSIGN_OR_RETURN(auto patients, tx->care().PatientsInTreatment());
    for (const auto& id : patients) {
      KC_ASSIGN_OR_RETURN(CareRecords care, LoadCare(*tx, id));
      auto due = DueFor(care.courses, care.sessions, care.assessments, now, settings);
      bool any = std::any_of(due.begin(), due.end(), [](const auto& d) { return d.overdue; });
      if (!any) continue;
      KC_ASSIGN_OR_RETURN(auto p, tx->patients().Get(id));
      for (auto& d : due) {
        if (d.overdue) out.push_back({id, p.fields.name, std::move(d)});
      }
    }
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.due.due_at < b.due.due_at; });
  std::vector<domain::AuditEvent> events;
  for (const auto& e : out) {
    events.push_back(MakeEvent(env_, &actor, "questionnaires.overdue", "patient/assessments",
                               "success", e.patient_id.value()));
  }
  if (events.empty()) {
    events.push_back(MakeEvent(env_, &actor, "questionnaires.overdue", "patient/assessments",
                               "success", "", "no results"));
  }
  KC_RETURN_IF_ERROR(env_.audit.AppendAll(std::move(events)));
  return out;
}

Result<std::vector<AlertView>> CareService::Alerts(const Actor& actor, bool include_closed) {
  const Timestamp now = env_.clock.Now();
  const domain::SiteSettings settings = env_.settings.Get();
  std::vector<AlertView> out;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_ASSIGN_OR_RETURN(auto alerts, tx->care().Alerts(include_closed, 500));
    std::map<std::string, domain::PersonName> names;
    for (auto& a : alerts) {
      auto it = names.find(a.patient_id.value());
      if (it == names.end()) {
        KC_ASSIGN_OR_RETURN(auto p, tx->patients().Get(a.patient_id));
        it = names.emplace(a.patient_id.value(), p.fields.name).first;
      }
      const bool escalated =
          scales::IsEscalated(a.created_at, a.acknowledged_at.has_value(), now, settings);
      out.push_back({std::move(a), it->second, escalated});
    }
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  std::vector<domain::AuditEvent> events;
  for (const auto& v : out) {
    events.push_back(MakeEvent(env_, &actor, "alert.list", "patient/alerts", "success",
                               v.alert.patient_id.value()));
  }
  if (events.empty()) {
    events.push_back(
        MakeEvent(env_, &actor, "alert.list", "patient/alerts", "success", "", "no results"));
  }
  KC_RETURN_IF_ERROR(env_.audit.AppendAll(std::move(events)));
  return out;
}

Result<AlertView> CareService::Acknowledge(const Actor& actor, const std::string& alert_id,
                                           std::string action) {
  if (!IsWellFormedId(alert_id)) return InvalidArgument("id", "is not an alert id (32 hex digits)");
  while (!action.empty() && std::isspace(static_cast<unsigned char>(action.back()))) {
    action.pop_back();
  }
  if (action.empty()) {
    return InvalidArgument("action", "is required: say what was done for the patient");
  }
  if (action.size() > 2000) return InvalidArgument("action", "must be at most 2000 characters");
  const Timestamp now = env_.clock.Now();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(domain::Alert alert, tx->care().GetAlert(alert_id));
  if (alert.acknowledged_at) {
    return FailedPrecondition("the alert was already acknowledged by " +
                              alert.acknowledged_by.value_or("someone"));
  }
  KC_RETURN_IF_ERROR(tx->care().AcknowledgeAlert(alert_id, now, actor.username, action));
  KC_ASSIGN_OR_RETURN(auto p, tx->patients().Get(alert.patient_id));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "alert.acknowledge",
                                                   "patient/alerts", "success",
                                                   alert.patient_id.value(), alert.kind)};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  alert.acknowledged_at = now;
  alert.acknowledged_by = actor.username;
  alert.action = std::move(action);
  return AlertView{std::move(alert), p.fields.name, false};
}

Result<domain::Course> CareService::StartCourse(const Actor& actor, const PatientId& patient,
                                                std::string kind, std::string phase,
                                                std::string primary_clinician,
                                                std::optional<Timestamp> started_at) {
  KC_RETURN_IF_ERROR(ValidateChoice("kind", kind, {"iv_ketamine", "esketamine"}));
  KC_RETURN_IF_ERROR(ValidateChoice("phase", phase, {"induction", "maintenance"}));
  const Timestamp now = env_.clock.Now();
  domain::Course c{NewId(),
                   patient,
                   std::move(kind),
                   *ParseCode<domain::CoursePhase>(phase),
                   std::move(primary_clinician),
                   started_at.value_or(now),
                   now,
                   actor.username};
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
  auto clinician = tx->users().GetByUsername(c.primary_clinician);
  if (!clinician.ok() || clinician->role != domain::Role::kPrescriber) {
    return InvalidArgument("primary_clinician", "must be the username of a prescriber");
  }
  KC_ASSIGN_OR_RETURN(auto courses, tx->care().Courses(patient));
  if (domain::ActiveCourse(courses)) {
    return Status(StatusCode::kAlreadyExists,
                  "the patient already has a course in progress; end it first");
  }
  KC_RETURN_IF_ERROR(tx->care().InsertCourse(c));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "course.create", "patient/courses", "success", patient.value())};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return c;
}

Result<std::pair<domain::Course, std::vector<domain::CourseSession>>> CareService::SetCoursePhase(
    const Actor& actor, const std::string& course_id, std::string phase) {
  if (!IsWellFormedId(course_id))
    return InvalidArgument("id", "is not a course id (32 hex digits)");
  KC_RETURN_IF_ERROR(ValidateChoice("phase", phase, {"induction", "maintenance", "ended"}));
  const domain::CoursePhase to = *ParseCode<domain::CoursePhase>(phase);
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(domain::Course c, tx->care().GetCourse(course_id));
  if (c.phase == domain::CoursePhase::kEnded) {
    return FailedPrecondition("the course has ended; start a new one");
  }
  KC_RETURN_IF_ERROR(tx->care().UpdateCoursePhase(course_id, to));
  KC_ASSIGN_OR_RETURN(auto sessions, tx->care().Sessions(c.patient_id));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "course.update", "patient/courses",
                                                   "success", c.patient_id.value(),
                                                   "phase=" + phase)};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  c.phase = to;
  return std::make_pair(std::move(c), std::move(sessions));
}

Result<domain::CourseSession> CareService::RecordSession(const Actor& actor,
                                                         const std::string& course_id, Timestamp at,
                                                         std::string status) {
  if (!IsWellFormedId(course_id))
    return InvalidArgument("id", "is not a course id (32 hex digits)");
  KC_RETURN_IF_ERROR(ValidateChoice("status", status, {"planned", "given", "cancelled"}));
  const domain::CourseSessionStatus state = *ParseCode<domain::CourseSessionStatus>(status);
  const Timestamp now = env_.clock.Now();
  if (state == domain::CourseSessionStatus::kGiven && at > now + minutes(5)) {
    return InvalidArgument("at", "a given session cannot lie in the future");
  }
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(domain::Course c, tx->care().GetCourse(course_id));
  if (c.phase == domain::CoursePhase::kEnded) return FailedPrecondition("the course has ended");
  domain::CourseSession s{NewId(), course_id, at, state, now, actor.username};
  KC_RETURN_IF_ERROR(tx->care().InsertSession(s));
  std::vector<domain::AuditEvent> events{MakeEvent(
      env_, &actor, "course.session", "patient/courses", "success", c.patient_id.value(), status)};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return s;
}

Result<std::string> CareService::CrisisText() {
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
  auto text = tx->care().GetText(domain::kCrisisResourcesText);
  if (text.ok()) return text->value;
  if (text.status().code() == StatusCode::kNotFound) return std::string(kDefaultCrisisText);
  return text.status();
}

Result<int64_t> CareService::SetSiteText(const Env& env, const std::string& by, std::string key,
                                         std::string value, std::string reason) {
  if (key != domain::kCrisisResourcesText) {
    return InvalidArgument("key", "is not a known site text (crisis_resources)");
  }
  if (value.empty() || value.size() > 4000) {
    return InvalidArgument("value", "must be 1-4000 characters");
  }
  if (reason.empty()) return InvalidArgument("reason", "is required: say why the text changes");
  KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kWrite));
  int64_t version = 1;
  auto current = tx->care().GetText(key);
  if (current.ok()) {
    version = current->version + 1;
  } else if (current.status().code() != StatusCode::kNotFound) {
    return current.status();
  }
  KC_RETURN_IF_ERROR(tx->care().InsertText(
      {key, version, std::move(value), env.clock.Now(), by, std::move(reason)}));
  std::vector<domain::AuditEvent> events{MakeEvent(env, nullptr, "settings.text", "settings",
                                                   "success", "",
                                                   key + " version=" + std::to_string(version))};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return version;
}

}  // namespace kclinic::app
