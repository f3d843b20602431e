#include "kclinic/app/schedule_support.h"

#include <algorithm>
#include <cctype>

#include "kclinic/base/crypto.h"

namespace kclinic::app::schedule_support {

using domain::Actor;
using namespace std::chrono;
namespace sched = domain::schedule;

namespace {

// "YYYY-MM-DD HH:MM–HH:MM local" of [start, end).
std::string LocalSpan(const std::string& tz, Timestamp start, Timestamp end) {
  auto s = sched::UtcToLocal(tz, start), e = sched::UtcToLocal(tz, end);
  if (!s.ok() || !e.ok()) return FormatTimestamp(start);
  return FormatDate(s->date) + " " + sched::FormatLocalTime(s->time) + "–" +
         sched::FormatLocalTime(e->time) + " local";
}

Status Prefixed(const Status& s, const std::string& prefix) {
  if (s.ok() || prefix.empty()) return s;
  std::string field = s.field().empty() ? prefix.substr(0, prefix.size() - 1) : prefix + s.field();
  return Status(s.code(), s.message(), field);
}

}  // namespace

Result<sched::LocalDate> ParseLocalDate(const std::string& field, const std::string& text) {
  auto d = ParseDate(text);
  if (!d) return InvalidArgument(field, "must be a date like 2026-11-24");
  return *d;
}

Result<sched::LocalDate> LocalToday(const Env& env) {
  KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kRead));
  KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
  const Timestamp now = env.clock.Now();
  auto local = sched::UtcToLocal(config.time_zone, now);
  return local.ok() ? local->date : DateOf(now);
}

Result<ClinicData> LoadClinic(domain::Transaction& tx, sched::LocalDate from, sched::LocalDate to) {
  ClinicData d;
  auto& repo = tx.schedule();
  KC_ASSIGN_OR_RETURN(d.config, repo.Config());
  d.clinic.time_zone = d.config.time_zone;
  d.clinic.slot_minutes = d.config.slot_minutes;
  KC_ASSIGN_OR_RETURN(d.hours, repo.Hours());
  for (const auto& h : d.hours) {
    auto open = sched::ParseLocalTime(h.open), close = sched::ParseLocalTime(h.close);
    if (!open || !close) continue;
    d.clinic.hours[static_cast<size_t>(h.weekday % 7)] = sched::OpeningHours{*open, *close};
  }
  KC_ASSIGN_OR_RETURN(auto holidays, repo.Holidays());
  for (const auto& h : holidays) {
    if (auto day = ParseDate(h.date)) d.clinic.holidays.push_back(*day);
  }
  KC_ASSIGN_OR_RETURN(auto chairs, repo.Chairs());
  for (const auto& c : chairs) {
    d.clinic.chairs.push_back({c.id, c.name});
    d.chair_names[c.id] = c.name;
  }
  KC_ASSIGN_OR_RETURN(d.qualifications, repo.Qualifications());
  const auto wide_from = year_month_day(sys_days(from) - days(1));
  const auto wide_to = year_month_day(sys_days(to) + days(1));
  KC_ASSIGN_OR_RETURN(d.shifts, repo.Shifts(FormatDate(wide_from), FormatDate(wide_to)));
  for (const auto& s : d.shifts) {
    auto day = ParseDate(s.date);
    auto start = sched::ParseLocalTime(s.start), end = sched::ParseLocalTime(s.end);
    if (!day || !start || !end) continue;
    sched::StaffShift shift;
    shift.username = s.username;
    if (auto it = d.qualifications.find(s.username); it != d.qualifications.end()) {
      shift.qualifications = it->second;
    }
    shift.date = *day;
    shift.start = *start;
    shift.end = *end;
    d.clinic.shifts.push_back(std::move(shift));
  }
  const Timestamp busy_from = Timestamp(sys_days(wide_from)) - days(1);
  const Timestamp busy_to = Timestamp(sys_days(wide_to)) + days(2);
  KC_ASSIGN_OR_RETURN(auto booked, repo.Booked(busy_from, busy_to));
  for (const auto& a : booked) d.clinic.busy.push_back({a.chair_id, a.nurse, a.start, a.end});
  return d;
}

Status ClashStatus(const ClinicData& d, const domain::Appointment& clash,
                   const std::string& chair_id, const std::string& field) {
  std::string who;
  if (clash.chair_id == chair_id) {
    auto it = d.chair_names.find(clash.chair_id);
    who = "chair '" + (it == d.chair_names.end() ? clash.chair_id : it->second) + "'";
  } else {
    who = "nurse " + clash.nurse;
  }
  return Status(StatusCode::kAlreadyExists,
                who + " is booked " + LocalSpan(d.config.time_zone, clash.start, clash.end), field);
}

SlotView ToSlot(const ClinicData& d, const sched::PlannedSession& s) {
  SlotView v;
  v.slot = s;
  auto it = d.chair_names.find(s.chair_id);
  v.chair_name = it == d.chair_names.end() ? s.chair_id : it->second;
  auto start = sched::UtcToLocal(d.config.time_zone, s.start);
  auto end = sched::UtcToLocal(d.config.time_zone, s.end);
  if (start.ok()) {
    v.local_date = FormatDate(start->date);
    v.local_start = sched::FormatLocalTime(start->time);
  }
  if (end.ok()) v.local_end = sched::FormatLocalTime(end->time);
  return v;
}

Result<std::vector<AppointmentView>> Views(domain::Transaction& tx, const std::string& tz,
                                           const std::map<std::string, std::string>& chair_names,
                                           std::vector<domain::Appointment> list) {
  std::map<std::string, domain::PersonName> names;
  std::vector<AppointmentView> out;
  for (auto& a : list) {
    auto it = names.find(a.patient_id.value());
    if (it == names.end()) {
      KC_ASSIGN_OR_RETURN(auto p, tx.patients().Get(a.patient_id));
      it = names.emplace(a.patient_id.value(), p.fields.name).first;
    }
    AppointmentView v;
    v.patient_name = it->second;
    auto c = chair_names.find(a.chair_id);
    v.chair_name = c == chair_names.end() ? a.chair_id : c->second;
    auto s = sched::UtcToLocal(tz, a.start), e = sched::UtcToLocal(tz, a.end);
    if (s.ok()) {
      v.local_date = FormatDate(s->date);
      v.local_start = sched::FormatLocalTime(s->time);
    }
    if (e.ok()) v.local_end = sched::FormatLocalTime(e->time);
    v.appointment = std::move(a);
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::string> RequireText(const std::string& field, std::string text, size_t max,
                                const std::string& why) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.empty()) return InvalidArgument(field, "is required: " + why);
  if (text.size() > max) {
    return InvalidArgument(field, "must be at most " + std::to_string(max) + " characters");
  }
  return text;
}

std::pair<sched::LocalDate, sched::LocalDate> DateRange(const std::string& tz,
                                                        const std::vector<Timestamp>& starts) {
  Timestamp lo = *std::min_element(starts.begin(), starts.end());
  Timestamp hi = *std::max_element(starts.begin(), starts.end());
  auto l = sched::UtcToLocal(tz, lo), h = sched::UtcToLocal(tz, hi);
  sched::LocalDate from = l.ok() ? l->date : DateOf(lo);
  sched::LocalDate to = h.ok() ? h->date : DateOf(hi);
  return {from, to};
}

Result<domain::Appointment> BookOne(BookingStep& step, const PatientId& patient,
                                    const domain::AppointmentType& type, const SessionChoice& c,
                                    const std::optional<std::string>& series_id,
                                    const domain::Course* course, const Actor& actor,
                                    const std::string& field,
                                    const std::optional<std::string>& reuse_session) {
  const Timestamp now = step.env.clock.Now();
  if (!step.data.chair_names.count(c.chair_id)) {
    return InvalidArgument(field + "chair_id", "is not a chair of the clinic");
  }
  if (c.nurse.empty()) return InvalidArgument(field + "nurse", "is required");
  const auto since_epoch = c.start.time_since_epoch();
  if (since_epoch % minutes(domain::kSlotUnitMinutes) != microseconds(0)) {
    return InvalidArgument(
        field + "start",
        "must start on a " + std::to_string(domain::kSlotUnitMinutes) + "-minute boundary");
  }
  if (c.start < now) return InvalidArgument(field + "start", "lies in the past");
  const Timestamp end = c.start + minutes(type.minutes);
  KC_ASSIGN_OR_RETURN(auto clash, step.tx.schedule().FindClash(c.chair_id, c.nurse, c.start, end));
  if (clash) {
    return ClashStatus(step.data, *clash, c.chair_id,
                       field.empty() ? "start" : field.substr(0, field.size() - 1));
  }
  Status rules = step.capacity.CheckAppointment(c.start, Minutes(type.minutes), c.chair_id, c.nurse,
                                                type.qualification);
  if (!rules.ok()) return Prefixed(rules, field);
  domain::Appointment a;
  a.id = NewId();
  a.patient_id = patient;
  a.type_id = type.id;
  a.chair_id = c.chair_id;
  a.nurse = c.nurse;
  a.start = c.start;
  a.end = end;
  a.series_id = series_id;
  a.created_by = actor.username;
  a.created_at = now;
  if (reuse_session) {
    a.course_session_id = reuse_session;  // a move keeps the course's session
  } else if (course) {
    // The measurement schedule sees the booked infusion as a planned session of the course.
    domain::CourseSession s{NewId(), course->id,    c.start, domain::CourseSessionStatus::kPlanned,
                            now,     actor.username};
    KC_RETURN_IF_ERROR(step.tx.care().InsertSession(s));
    a.course_session_id = s.id;
  }
  Status inserted = step.tx.schedule().InsertAppointment(a);
  if (inserted.code() == StatusCode::kAlreadyExists) {
    // Someone booked the same chair or nurse between our check and our insert: the slot units'
    // key refused it. The caller names the clash after the rollback.
    return Status(StatusCode::kAlreadyExists, "clash",
                  field.empty() ? "start" : field.substr(0, field.size() - 1));
  }
  KC_RETURN_IF_ERROR(inserted);
  step.capacity.Add(sched::BusyInterval{a.chair_id, a.nurse, a.start, a.end});
  return a;
}

Status NameLostRace(const Env& env, const Status& s, const SessionChoice& c, int minutes_long) {
  if (s.code() != StatusCode::kAlreadyExists || s.message() != "clash") return s;
  auto tx = env.store.Begin(domain::TxMode::kSnapshot);
  if (tx.ok()) {
    auto config = (*tx)->schedule().Config();
    auto chairs = (*tx)->schedule().Chairs();
    auto clash =
        (*tx)->schedule().FindClash(c.chair_id, c.nurse, c.start, c.start + minutes(minutes_long));
    if (config.ok() && chairs.ok() && clash.ok() && *clash) {
      ClinicData d;
      d.config = *config;
      for (const auto& ch : *chairs) d.chair_names[ch.id] = ch.name;
      return ClashStatus(d, **clash, c.chair_id, s.field());
    }
  }
  return Status(StatusCode::kAlreadyExists,
                "the chair or nurse was booked by someone else a moment ago", s.field());
}

Result<domain::AppointmentType> FindType(domain::Transaction& tx, const std::string& id,
                                         const std::string& field) {
  KC_ASSIGN_OR_RETURN(auto types, tx.schedule().AppointmentTypes());
  for (auto& t : types) {
    if (t.id == id) return t;
  }
  return InvalidArgument(field, "is not an appointment type");
}

Result<PatientHistory> LoadHistory(domain::Transaction& tx, const PatientId& patient) {
  PatientHistory h;
  KC_ASSIGN_OR_RETURN(h.courses, tx.care().Courses(patient));
  KC_ASSIGN_OR_RETURN(h.sessions, tx.care().Sessions(patient));
  KC_ASSIGN_OR_RETURN(h.assessments, tx.care().Assessments(patient));
  return h;
}

sched::BoosterHistory ToBoosterHistory(const PatientHistory& h, const std::string& tz) {
  sched::BoosterHistory b;
  auto local = [&](Timestamp t) {
    auto l = sched::UtcToLocal(tz, t);
    return l.ok() ? l->date : DateOf(t);
  };
  for (const auto& s : h.sessions) {
    if (s.status == domain::CourseSessionStatus::kGiven) b.infusions.push_back(local(s.at));
  }
  for (const auto& a : h.assessments) {
    if (a.instrument == "phq9" && a.total) {
      b.phq9.push_back({local(a.administered_at), static_cast<int>(*a.total)});
    }
  }
  return b;
}

}  // namespace kclinic::app::schedule_support
