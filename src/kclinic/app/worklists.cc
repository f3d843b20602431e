// Today's worklist and the week's utilisation (ScheduleService, schedule.h): the day's sessions,
// overdue measurements, open review tasks and due boosters; chair and staff minutes of a week and
// the boosters coming up.
#include "kclinic/app/schedule.h"

#include <algorithm>
#include <set>

#include "kclinic/app/schedule_support.h"
#include "kclinic/domain/schedule/course_settings.h"

namespace kclinic::app {

using domain::Actor;
using namespace std::chrono;
namespace sched = domain::schedule;
using domain::ActiveCourse;
using schedule_support::LoadClinic;
using schedule_support::LoadHistory;
using schedule_support::LocalToday;
using schedule_support::ParseLocalDate;
using schedule_support::ToBoosterHistory;
using schedule_support::Views;

namespace {

int IsoWeekday(sched::LocalDate d) {
  unsigned c = weekday(sys_days(d)).c_encoding();  // 0 = Sunday
  return c == 0 ? 7 : static_cast<int>(c);
}

// Proposed boosters of every patient in maintenance (the decided date when one was decided
// after the last infusion). Today's worklist shows those due within the cited site setting
// booster.due_within_days (domain/schedule/settings.cc).
struct BoosterDue {
  PatientId patient;
  domain::PersonName name;
  sched::LocalDate date;
  int interval_days = 0;
  bool booked_before = false;  // a booked appointment from today up to the date
};

Result<std::vector<BoosterDue>> MaintenanceBoosters(const Env& env, domain::Transaction& tx,
                                                    sched::LocalDate today) {
  std::vector<BoosterDue> out;
  KC_ASSIGN_OR_RETURN(auto config, tx.schedule().Config());
  const auto settings = sched::BoosterSettingsFrom(env.settings.Get());
  KC_ASSIGN_OR_RETURN(auto patients, tx.care().PatientsInTreatment());
  for (const auto& id : patients) {
    KC_ASSIGN_OR_RETURN(auto h, LoadHistory(tx, id));
    const domain::Course* course = ActiveCourse(h.courses);
    if (!course || course->phase != domain::CoursePhase::kMaintenance) continue;
    auto history = ToBoosterHistory(h, config.time_zone);
    if (history.infusions.empty()) continue;
    auto proposal = sched::PlanBooster(history, settings);
    if (!proposal.ok()) continue;
    BoosterDue due{id, {}, proposal->next_booster_date, proposal->interval_days, false};
    KC_ASSIGN_OR_RETURN(auto decisions, tx.schedule().BoosterDecisions(id));
    const auto last = *std::max_element(history.infusions.begin(), history.infusions.end());
    if (!decisions.empty() && decisions.front().accepted) {
      auto decided = ParseDate(decisions.front().date);
      if (decided && sys_days(*decided) > sys_days(last)) {
        due.date = *decided;
        due.interval_days = decisions.front().interval_days;
      }
    }
    KC_ASSIGN_OR_RETURN(auto appointments, tx.schedule().PatientAppointments(id));
    for (const auto& a : appointments) {
      auto l = sched::UtcToLocal(config.time_zone, a.start);
      if (a.status == domain::AppointmentStatus::kBooked && l.ok() &&
          sys_days(l->date) >= sys_days(today)) {
        due.booked_before = true;
      }
    }
    KC_ASSIGN_OR_RETURN(auto p, tx.patients().Get(id));
    due.name = p.fields.name;
    out.push_back(std::move(due));
  }
  return out;
}

}  // namespace

Result<TodayWorklist> ScheduleService::Today(const Actor& actor) {
  TodayWorklist out;
  const Timestamp now = env_.clock.Now();
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
    auto local = sched::UtcToLocal(config.time_zone, now);
    const auto today = local.ok() ? local->date : DateOf(now);
    out.date = FormatDate(today);
    KC_ASSIGN_OR_RETURN(auto d, LoadClinic(*tx, today, today));
    auto lo = sched::LocalToUtc(config.time_zone, {today, minutes(0)});
    auto hi = sched::LocalToUtc(config.time_zone,
                                {year_month_day(sys_days(today) + days(1)), minutes(0)});
    if (!lo.ok()) return lo.status();
    if (!hi.ok()) return hi.status();
    KC_ASSIGN_OR_RETURN(auto booked, tx->schedule().Booked(*lo, *hi));
    KC_ASSIGN_OR_RETURN(out.sessions,
                        Views(*tx, config.time_zone, d.chair_names, std::move(booked)));
    KC_ASSIGN_OR_RETURN(auto boosters, MaintenanceBoosters(env_, *tx, today));
    const int due_within = static_cast<int>(env_.settings.Get().Get(sched::kBoosterDueWithinDays));
    for (auto& b : boosters) {
      if (b.booked_before) continue;
      if (sys_days(b.date) > sys_days(today) + days(due_within)) continue;
      out.due_boosters.push_back({b.patient, b.name, FormatDate(b.date), b.interval_days});
    }
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  KC_ASSIGN_OR_RETURN(out.overdue, care_.Overdue(actor));
  if (domain::RoleHas(actor.role, domain::Permission::kReviewTaskRead)) {
    KC_ASSIGN_OR_RETURN(out.review_tasks, ReviewTasks(actor, std::string("open")));
  }
  std::set<std::string> patients;
  for (const auto& a : out.sessions) patients.insert(a.appointment.patient_id.value());
  for (const auto& b : out.due_boosters) patients.insert(b.patient_id.value());
  std::vector<domain::AuditEvent> events;
  for (const auto& p : patients) {
    events.push_back(
        MakeEvent(env_, &actor, "worklist.read", "patient/appointments", "success", p));
  }
  if (events.empty()) {
    events.push_back(MakeEvent(env_, &actor, "worklist.read", "patient/appointments", "success", "",
                               "no results"));
  }
  KC_RETURN_IF_ERROR(env_.audit.AppendAll(std::move(events)));
  return out;
}

Result<Utilisation> ScheduleService::WeekUtilisation(const Actor& actor, std::string week) {
  if (week.empty()) {
    KC_ASSIGN_OR_RETURN(auto today, LocalToday(env_));
    week = FormatDate(today);
  }
  KC_ASSIGN_OR_RETURN(auto day, ParseLocalDate("week", week));
  const auto monday = year_month_day(sys_days(day) - days(IsoWeekday(day) - 1));
  const auto sunday = year_month_day(sys_days(monday) + days(6));
  Utilisation out;
  out.week_start = FormatDate(monday);
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_ASSIGN_OR_RETURN(auto d, LoadClinic(*tx, monday, sunday));
    const std::string& tz = d.config.time_zone;
    std::set<std::string> holidays;
    for (const auto& h : d.clinic.holidays) holidays.insert(FormatDate(h));
    int open_minutes = 0;
    for (int i = 0; i < 7; ++i) {
      const auto date = year_month_day(sys_days(monday) + days(i));
      if (holidays.count(FormatDate(date))) continue;
      const auto& h = d.clinic.hours[static_cast<size_t>(IsoWeekday(date) % 7)];
      if (h) open_minutes += static_cast<int>((h->close - h->open).count());
    }
    auto lo = sched::LocalToUtc(tz, {monday, minutes(0)});
    auto hi = sched::LocalToUtc(tz, {year_month_day(sys_days(sunday) + days(1)), minutes(0)});
    if (!lo.ok()) return lo.status();
    if (!hi.ok()) return hi.status();
    KC_ASSIGN_OR_RETURN(auto booked, tx->schedule().Booked(*lo, *hi));
    std::map<std::string, int> chair_booked, staff_booked, staff_shift;
    for (const auto& a : booked) {
      if (a.start < *lo || a.start >= *hi) continue;
      const int m = static_cast<int>(duration_cast<minutes>(a.end - a.start).count());
      chair_booked[a.chair_id] += m;
      staff_booked[a.nurse] += m;
    }
    for (const auto& s : d.clinic.shifts) {
      if (sys_days(s.date) < sys_days(monday) || sys_days(s.date) > sys_days(sunday)) continue;
      staff_shift[s.username] += static_cast<int>((s.end - s.start).count());
    }
    for (const auto& c : d.clinic.chairs) {
      out.chairs.push_back({c.id, c.name, chair_booked[c.id], open_minutes});
    }
    std::set<std::string> staff;
    for (const auto& [u, m] : staff_shift) staff.insert(u);
    for (const auto& [u, m] : staff_booked) staff.insert(u);
    for (const auto& u : staff) out.staff.push_back({u, staff_booked[u], staff_shift[u]});
    // Upcoming boosters: proposed dates from this week's Monday over four weeks, counts only.
    KC_ASSIGN_OR_RETURN(auto boosters, MaintenanceBoosters(env_, *tx, monday));
    std::map<std::string, int> counts;
    for (const auto& b : boosters) {
      if (sys_days(b.date) < sys_days(monday) || sys_days(b.date) >= sys_days(monday) + days(28)) {
        continue;
      }
      ++counts[FormatDate(b.date)];
    }
    for (const auto& [date, n] : counts) out.upcoming_boosters.emplace_back(date, n);
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  KC_RETURN_IF_ERROR(env_.audit.Append(
      MakeEvent(env_, &actor, "utilisation.read", "schedule", "success", "", out.week_start)));
  return out;
}

}  // namespace kclinic::app
