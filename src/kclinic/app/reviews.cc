// Review tasks and boosters (ScheduleService, schedule.h): the review tasks courses call for,
// created on read and completed with a note; the booster proposal and the decision on it.
#include "kclinic/app/schedule.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "kclinic/app/schedule_support.h"
#include "kclinic/base/crypto.h"
#include "kclinic/domain/scales/outcomes.h"
#include "kclinic/domain/schedule/review.h"

namespace kclinic::app {

using domain::Actor;
using namespace std::chrono;
namespace sched = domain::schedule;
namespace scales = domain::scales;
using domain::ActiveCourse;
using schedule_support::LoadHistory;
using schedule_support::ParseLocalDate;
using schedule_support::PatientHistory;
using schedule_support::RequireText;
using schedule_support::ToBoosterHistory;

namespace {

// The review tasks a course calls for now (domain/schedule/review.h), not yet stored. The rules
// are cited site settings of the planner's area (domain/schedule/settings.cc):
// course.early_review_after_session, course.early_review_min_improvement_pct,
// course.induction_sessions.
std::vector<domain::ReviewTask> DueReviewTasks(const domain::Course& course,
                                               const PatientHistory& h,
                                               const domain::SiteSettings& settings,
                                               Timestamp now) {
  std::vector<Timestamp> given;
  for (const auto& s : h.sessions) {
    if (s.course_id == course.id && s.status == domain::CourseSessionStatus::kGiven) {
      given.push_back(s.at);
    }
  }
  std::vector<scales::Assessment> totals;
  for (const auto& a : h.assessments) {
    if (a.instrument == "phq9" && a.total) {
      totals.push_back({a.instrument, a.administered_at, static_cast<int>(*a.total)});
    }
  }
  std::vector<domain::ReviewTask> out;
  for (auto& due : sched::DueReviews(given, totals, settings)) {
    domain::ReviewTask t;
    t.id = NewId();
    t.patient_id = course.patient_id;
    t.course_id = course.id;
    t.kind = due.kind;
    t.reason = std::move(due.reason);
    t.created_at = now;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

Result<std::vector<ReviewTaskView>> ScheduleService::ReviewTasks(
    const Actor& actor, std::optional<std::string> status) {
  // A review task says why (e.g. "PHQ-9 16 from 18 after 4 infusions"): rating-scale results,
  // which the permission table keeps from the front desk (domain/access.cc, kReviewTaskRead; the
  // route checks it too).
  if (!domain::RoleHas(actor.role, domain::Permission::kReviewTaskRead)) {
    KC_RETURN_IF_ERROR(RecordDenial(env_, &actor, "review_task.list", "", "role"));
    return PermissionDenied(
        "review tasks carry rating-scale results, which your role does not see");
  }
  std::optional<domain::ReviewStatus> wanted;
  if (status) {
    wanted = ParseCode<domain::ReviewStatus>(*status);
    if (!wanted) return InvalidArgument("status", "must be open or completed");
  }
  const Timestamp now = env_.clock.Now();
  const auto settings = env_.settings.Get();
  // Computed on read: every course in progress is checked and the due tasks are stored once
  // (the (course, kind) key makes this idempotent), so a task appears as soon as the 4th or last
  // infusion is recorded as given, whoever recorded it.
  std::vector<std::string> created_for;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
    KC_ASSIGN_OR_RETURN(auto patients, tx->care().PatientsInTreatment());
    for (const auto& id : patients) {
      KC_ASSIGN_OR_RETURN(auto h, LoadHistory(*tx, id));
      const domain::Course* course = ActiveCourse(h.courses);
      if (!course) continue;
      for (auto& t : DueReviewTasks(*course, h, settings, now)) {
        KC_ASSIGN_OR_RETURN(bool inserted, tx->schedule().InsertReviewTask(t));
        if (inserted) created_for.push_back(id.value());
      }
    }
    std::vector<domain::AuditEvent> events;
    for (const auto& p : created_for) {
      events.push_back(
          MakeEvent(env_, nullptr, "review_task.create", "patient/courses", "success", p));
    }
    if (!events.empty()) KC_RETURN_IF_ERROR(tx->audit().Append(events));
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  std::vector<ReviewTaskView> out;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_ASSIGN_OR_RETURN(auto tasks, tx->schedule().ReviewTasks(wanted));
    std::map<std::string, domain::PersonName> names;
    for (auto& t : tasks) {
      auto it = names.find(t.patient_id.value());
      if (it == names.end()) {
        KC_ASSIGN_OR_RETURN(auto p, tx->patients().Get(t.patient_id));
        it = names.emplace(t.patient_id.value(), p.fields.name).first;
      }
      out.push_back({std::move(t), it->second});
    }
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  std::set<std::string> patients;
  for (const auto& v : out) patients.insert(v.task.patient_id.value());
  std::vector<domain::AuditEvent> events;
  for (const auto& p : patients) {
    events.push_back(MakeEvent(env_, &actor, "review_task.list", "patient/courses", "success", p));
  }
  if (events.empty()) {
    events.push_back(
        MakeEvent(env_, &actor, "review_task.list", "patient/courses", "success", "", "none"));
  }
  KC_RETURN_IF_ERROR(env_.audit.AppendAll(std::move(events)));
  return out;
}

Result<ReviewTaskView> ScheduleService::CompleteReviewTask(const Actor& actor,
                                                           const std::string& task_id,
                                                           std::string note) {
  if (!IsWellFormedId(task_id)) return InvalidArgument("task_id", "is not a task id");
  KC_ASSIGN_OR_RETURN(
      note, RequireText("note", std::move(note), 2000, "say what was decided for the patient"));
  const Timestamp now = env_.clock.Now();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(auto t, tx->schedule().GetReviewTask(task_id));
  if (t.status != domain::ReviewStatus::kOpen) {
    return FailedPrecondition("the task was already completed by " +
                              t.completed_by.value_or("someone"));
  }
  KC_RETURN_IF_ERROR(tx->schedule().CompleteReviewTask(task_id, now, actor.username, note));
  KC_ASSIGN_OR_RETURN(auto p, tx->patients().Get(t.patient_id));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "review_task.complete", "patient/courses", "success",
                t.patient_id.value(), std::string(Code(t.kind)))};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  t.status = domain::ReviewStatus::kCompleted;
  t.completed_at = now;
  t.completed_by = actor.username;
  t.note = std::move(note);
  return ReviewTaskView{std::move(t), p.fields.name};
}

Result<BoosterView> ScheduleService::BoosterProposal(const Actor& actor, const PatientId& patient) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "booster.read"));
  BoosterView v;
  v.settings = sched::BoosterSettingsFrom(env_.settings.Get());
  sched::BoosterHistory history;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
    KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
    KC_ASSIGN_OR_RETURN(auto h, LoadHistory(*tx, patient));
    history = ToBoosterHistory(h, config.time_zone);
    KC_ASSIGN_OR_RETURN(v.decisions, tx->schedule().BoosterDecisions(patient));
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  v.infusions = history.infusions;
  std::sort(v.infusions.begin(), v.infusions.end());
  v.phq9 = history.phq9;
  std::sort(v.phq9.begin(), v.phq9.end(),
            [](const auto& a, const auto& b) { return sys_days(a.date) < sys_days(b.date); });
  if (!history.infusions.empty()) {
    KC_ASSIGN_OR_RETURN(auto p, sched::PlanBooster(history, v.settings));
    v.proposal = std::move(p);
  }
  v.scale_results = SeesScaleResults(actor);
  if (!v.scale_results) {
    // The front desk books the booster: it sees the date and the interval, not the PHQ-9 series,
    // the relapse threshold or the reasons that quote them.
    v.phq9.clear();
    if (v.proposal) {
      v.proposal->reason = "Proposed from this patient's course; a prescriber decides.";
      v.proposal->post_induction_score.reset();
      v.proposal->durations.clear();
      v.proposal->estimate_days.reset();
      v.proposal->predicted_relapse_date.reset();
    }
    for (auto& d : v.decisions) d.reason.reset();
  }
  KC_RETURN_IF_ERROR(env_.audit.Append(
      MakeEvent(env_, &actor, "booster.read", "patient/courses", "success", patient.value())));
  return v;
}

Result<domain::BoosterDecision> ScheduleService::DecideBooster(const Actor& actor,
                                                               const PatientId& patient,
                                                               const std::string& date,
                                                               int interval_days, bool accepted,
                                                               std::optional<std::string> reason) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "booster.decide"));
  KC_ASSIGN_OR_RETURN(auto day, ParseLocalDate("date", date));
  (void)day;
  const auto settings = sched::BoosterSettingsFrom(env_.settings.Get());
  if (interval_days < 1 || interval_days > 365) {
    return InvalidArgument("interval_days", "must be 1..365");
  }
  if (reason) {
    while (!reason->empty() && std::isspace(static_cast<unsigned char>(reason->back()))) {
      reason->pop_back();
    }
    if (reason->empty()) reason.reset();
    if (reason && reason->size() > 2000) {
      return InvalidArgument("reason", "must be at most 2000 characters");
    }
  }
  KC_ASSIGN_OR_RETURN(auto view, BoosterProposal(actor, patient));
  domain::BoosterDecision d;
  d.id = NewId();
  d.patient_id = patient;
  if (view.proposal) {
    d.proposed_date = FormatDate(view.proposal->next_booster_date);
    d.proposed_interval_days = view.proposal->interval_days;
  }
  const bool changed = !view.proposal || !accepted || date != d.proposed_date ||
                       interval_days != view.proposal->interval_days;
  if (changed && !reason) {
    return InvalidArgument("reason",
                           "is required when the date or interval differs from the "
                           "proposal, or the proposal is declined");
  }
  if (interval_days < settings.min_interval_days || interval_days > settings.max_interval_days) {
    if (!reason) {
      return InvalidArgument("interval_days", "is outside the site bounds; give a reason");
    }
  }
  d.date = date;
  d.interval_days = interval_days;
  d.accepted = accepted;
  d.reason = reason;
  d.decided_by = actor.username;
  d.decided_at = env_.clock.Now();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_RETURN_IF_ERROR(tx->schedule().InsertBoosterDecision(d));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "booster.decide",
                                                   "patient/courses", "success", patient.value(),
                                                   accepted ? "accepted" : "declined")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return d;
}

}  // namespace kclinic::app
