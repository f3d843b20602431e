#include "kclinic/app/schedule.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "kclinic/base/crypto.h"
#include "kclinic/codec/schedule_json.h"
#include "kclinic/domain/scales/outcomes.h"
#include "kclinic/domain/schedule/course_settings.h"
#include "kclinic/domain/schedule/review.h"

namespace kclinic::app {

using domain::Actor;
using namespace std::chrono;
namespace sched = domain::schedule;
namespace scales = domain::scales;

namespace {

// The review-task rules and the due-booster window are cited site settings of the planner's area
// (domain/schedule/settings.cc): course.early_review_after_session,
// course.early_review_min_improvement_pct, course.induction_sessions, booster.due_within_days.
// How many next free slots to offer on cancel and move.
constexpr int kNextFreeCount = 5;

Result<sched::LocalDate> ParseLocalDate(const std::string& field, const std::string& text) {
  auto d = ParseDate(text);
  if (!d) return InvalidArgument(field, "must be a date like 2026-11-24");
  return *d;
}

int IsoWeekday(sched::LocalDate d) {
  unsigned c = weekday(sys_days(d)).c_encoding();  // 0 = Sunday
  return c == 0 ? 7 : static_cast<int>(c);
}

// The clinic's time zone, hours, holidays, chairs and shifts on local dates [from, to], and what
// is booked around them, as the planner sees it.
struct ClinicData {
  domain::ScheduleConfig config;
  sched::Clinic clinic;
  std::map<std::string, std::string> chair_names;
  std::map<std::string, std::vector<std::string>> qualifications;
  std::vector<domain::StaffShift> shifts;
  std::vector<domain::OpeningHours> hours;
};

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

// "YYYY-MM-DD HH:MM–HH:MM local" of [start, end).
std::string LocalSpan(const std::string& tz, Timestamp start, Timestamp end) {
  auto s = sched::UtcToLocal(tz, start), e = sched::UtcToLocal(tz, end);
  if (!s.ok() || !e.ok()) return FormatTimestamp(start);
  return FormatDate(s->date) + " " + sched::FormatLocalTime(s->time) + "–" +
         sched::FormatLocalTime(e->time) + " local";
}

// The clash with a booked appointment as a person reads it; no patient data.
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

Status Prefixed(const Status& s, const std::string& prefix) {
  if (s.ok() || prefix.empty()) return s;
  std::string field = s.field().empty() ? prefix.substr(0, prefix.size() - 1) : prefix + s.field();
  return Status(s.code(), s.message(), field);
}

const domain::Course* ActiveCourse(const std::vector<domain::Course>& courses) {
  for (auto it = courses.rbegin(); it != courses.rend(); ++it) {
    if (domain::InProgress(it->phase)) return &*it;
  }
  return nullptr;
}

std::string TypeFor(sched::ProtocolKind kind) {
  return std::string(kind == sched::ProtocolKind::kEsketamine ? kEsketamineType : kIvInfusionType);
}

// A protocol by id: built in, else the site's.
Result<sched::Protocol> FindProtocol(domain::Transaction& tx, const std::string& id) {
  if (const auto* p = sched::FindBuiltinProtocol(id)) return *p;
  KC_ASSIGN_OR_RETURN(auto stored, tx.schedule().Protocols());
  for (const auto& s : stored) {
    if (s.id != id) continue;
    auto j = nlohmann::json::parse(s.body, nullptr, false);
    return codec::ProtocolFromJson(j);
  }
  return InvalidArgument("protocol", "is not a known protocol");
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

// Views of appointments: patient names read in `tx`.
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

Result<AppointmentView> OneView(domain::Transaction& tx, const ClinicData& d,
                                domain::Appointment a) {
  KC_ASSIGN_OR_RETURN(auto list, Views(tx, d.config.time_zone, d.chair_names, {std::move(a)}));
  return std::move(list.front());
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

// The local date range the clinic must be loaded for to check appointments starting at `starts`.
std::pair<sched::LocalDate, sched::LocalDate> DateRange(const std::string& tz,
                                                        const std::vector<Timestamp>& starts) {
  Timestamp lo = *std::min_element(starts.begin(), starts.end());
  Timestamp hi = *std::max_element(starts.begin(), starts.end());
  auto l = sched::UtcToLocal(tz, lo), h = sched::UtcToLocal(tz, hi);
  sched::LocalDate from = l.ok() ? l->date : DateOf(lo);
  sched::LocalDate to = h.ok() ? h->date : DateOf(hi);
  return {from, to};
}

// The booking of one appointment inside a write transaction: the checks of the request, the
// clash with what is booked (named), the clinic's hard rules, then the insert whose slot units
// are the database's guarantee. `field` prefixes error fields ("sessions[2]." or "").
struct BookingStep {
  const Env& env;
  domain::Transaction& tx;
  ClinicData& data;
  sched::CapacityIndex& capacity;
};

Result<domain::Appointment> BookOne(BookingStep& step, const PatientId& patient,
                                    const domain::AppointmentType& type, const SessionChoice& c,
                                    const std::optional<std::string>& series_id,
                                    const domain::Course* course, const Actor& actor,
                                    const std::string& field,
                                    const std::optional<std::string>& reuse_session = {}) {
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

// After a lost race: the clash as a person reads it, read afresh.
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

// The patient's history for the booster planner: given infusions and PHQ-9 totals, local dates.
struct PatientHistory {
  std::vector<domain::Course> courses;
  std::vector<domain::CourseSession> sessions;
  std::vector<domain::AssessmentRecord> assessments;
};

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

// The review tasks a course calls for now (domain/schedule/review.h), not yet stored.
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

// ---------------------------------------------------------------------------------------------
// Resources

Result<ScheduleResources> ScheduleService::Resources(const Actor& actor) {
  (void)actor;
  ScheduleResources r;
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
  auto& repo = tx->schedule();
  KC_ASSIGN_OR_RETURN(r.config, repo.Config());
  KC_ASSIGN_OR_RETURN(r.hours, repo.Hours());
  KC_ASSIGN_OR_RETURN(r.holidays, repo.Holidays());
  KC_ASSIGN_OR_RETURN(r.chairs, repo.Chairs());
  KC_ASSIGN_OR_RETURN(auto quals, repo.Qualifications());
  KC_ASSIGN_OR_RETURN(auto users, tx->users().List());
  for (const auto& u : users) {
    if (u.role == domain::Role::kPatient || u.role == domain::Role::kAdmin) continue;
    ScheduleResources::Staff s{u.username, std::string(domain::RoleName(u.role)), {}};
    if (auto it = quals.find(u.username); it != quals.end()) s.qualifications = it->second;
    r.staff.push_back(std::move(s));
  }
  KC_ASSIGN_OR_RETURN(r.types, repo.AppointmentTypes());
  r.protocols = sched::BuiltinProtocols();
  KC_ASSIGN_OR_RETURN(auto stored, repo.Protocols());
  for (const auto& s : stored) {
    auto p = codec::ProtocolFromJson(nlohmann::json::parse(s.body, nullptr, false));
    if (p.ok()) r.protocols.push_back(*p);
  }
  KC_RETURN_IF_ERROR(tx->Commit());
  return r;
}

Status ScheduleService::SetHours(const Actor& actor, std::optional<std::string> time_zone,
                                 std::vector<domain::OpeningHours> hours) {
  if (time_zone && !sched::IsKnownTimeZone(*time_zone)) {
    return InvalidArgument("time_zone", "is not a time zone of the tz database");
  }
  std::set<int> seen;
  for (size_t i = 0; i < hours.size(); ++i) {
    const std::string f = "hours[" + std::to_string(i) + "].";
    const auto& h = hours[i];
    if (h.weekday < 1 || h.weekday > 7) return InvalidArgument(f + "weekday", "must be 1..7");
    if (!seen.insert(h.weekday).second) return InvalidArgument(f + "weekday", "is repeated");
    auto open = sched::ParseLocalTime(h.open), close = sched::ParseLocalTime(h.close);
    if (!open || h.open.size() != 5) return InvalidArgument(f + "open", "must be HH:MM");
    if (!close || h.close.size() != 5) return InvalidArgument(f + "close", "must be HH:MM");
    if (*open >= *close) return InvalidArgument(f + "close", "must be after open");
  }
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  if (time_zone) {
    KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
    config.time_zone = *time_zone;
    KC_RETURN_IF_ERROR(tx->schedule().SetConfig(config));
  }
  KC_RETURN_IF_ERROR(tx->schedule().ReplaceHours(hours));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "schedule.hours", "schedule/resources", "success")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  return tx->Commit();
}

Status ScheduleService::AddHoliday(const Actor& actor, domain::Holiday holiday) {
  KC_RETURN_IF_ERROR(ParseLocalDate("date", holiday.date).status());
  KC_ASSIGN_OR_RETURN(holiday.name,
                      RequireText("name", holiday.name, 200, "say which holiday it is"));
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  Status s = tx->schedule().InsertHoliday(holiday);
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status(StatusCode::kAlreadyExists, "that date already is a holiday", "date");
  }
  KC_RETURN_IF_ERROR(s);
  std::vector<domain::AuditEvent> events{MakeEvent(
      env_, &actor, "schedule.holiday", "schedule/resources", "success", "", holiday.date)};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  return tx->Commit();
}

Result<domain::Chair> ScheduleService::AddChair(const Actor& actor, std::string name) {
  KC_ASSIGN_OR_RETURN(name, RequireText("name", std::move(name), 100, "name the chair"));
  domain::Chair c{NewId(), std::move(name)};
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  Status s = tx->schedule().InsertChair(c, env_.clock.Now());
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status(StatusCode::kAlreadyExists, "a chair of that name exists", "name");
  }
  KC_RETURN_IF_ERROR(s);
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "schedule.chair", "schedule/resources", "success")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return c;
}

Result<domain::StaffShift> ScheduleService::AddShift(const Actor& actor, domain::StaffShift shift) {
  KC_RETURN_IF_ERROR(ParseLocalDate("date", shift.date).status());
  auto start = sched::ParseLocalTime(shift.start), end = sched::ParseLocalTime(shift.end);
  if (!start || shift.start.size() != 5) return InvalidArgument("start", "must be HH:MM");
  if (!end || shift.end.size() != 5) return InvalidArgument("end", "must be HH:MM");
  if (*start >= *end) return InvalidArgument("end", "must be after start");
  shift.id = NewId();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  auto user = tx->users().GetByUsername(shift.username);
  if (!user.ok() || user->role == domain::Role::kPatient || user->role == domain::Role::kAdmin) {
    return InvalidArgument("username", "must be the username of a clinic staff member");
  }
  Status s = tx->schedule().InsertShift(shift);
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status(StatusCode::kAlreadyExists, "that shift already exists", "start");
  }
  KC_RETURN_IF_ERROR(s);
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "schedule.shift",
                                                   "schedule/resources", "success", "",
                                                   shift.username + " " + shift.date)};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return shift;
}

Status ScheduleService::SetQualifications(const Actor& actor, const std::string& username,
                                          std::vector<std::string> qualifications) {
  for (size_t i = 0; i < qualifications.size(); ++i) {
    const auto& q = qualifications[i];
    if (q.empty() || q.size() > 40 || !std::all_of(q.begin(), q.end(), [](char ch) {
          return std::islower(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
        })) {
      return InvalidArgument("qualifications[" + std::to_string(i) + "]",
                             "must be a lower-case word like iv or esketamine");
    }
  }
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  auto user = tx->users().GetByUsername(username);
  if (!user.ok() || user->role == domain::Role::kPatient) {
    return NotFound("no such staff member");
  }
  KC_RETURN_IF_ERROR(tx->schedule().SetQualifications(username, qualifications));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "schedule.qualifications",
                                                   "schedule/resources", "success", "", username)};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  return tx->Commit();
}

Result<sched::Protocol> ScheduleService::AddProtocol(const Actor& actor,
                                                     const nlohmann::json& body) {
  KC_ASSIGN_OR_RETURN(auto p, codec::ProtocolFromJson(body));
  if (sched::FindBuiltinProtocol(p.id)) {
    return Status(StatusCode::kAlreadyExists, "a built-in protocol has that id", "id");
  }
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  Status s = tx->schedule().InsertProtocol(
      {p.id, codec::ProtocolToJson(p).dump(), env_.clock.Now(), actor.username});
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status(StatusCode::kAlreadyExists, "a site protocol has that id", "id");
  }
  KC_RETURN_IF_ERROR(s);
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "schedule.protocol", "schedule/resources", "success", "", p.id)};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return p;
}

// ---------------------------------------------------------------------------------------------
// Calendar and appointments

namespace {

// Today in the clinic's time zone.
Result<sched::LocalDate> LocalToday(const Env& env) {
  KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kRead));
  KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
  const Timestamp now = env.clock.Now();
  auto local = sched::UtcToLocal(config.time_zone, now);
  return local.ok() ? local->date : DateOf(now);
}

}  // namespace

Result<CalendarView> ScheduleService::Calendar(const Actor& actor, std::string from,
                                               std::string to) {
  if (from.empty()) {
    KC_ASSIGN_OR_RETURN(auto today, LocalToday(env_));
    from = FormatDate(today);
  }
  KC_ASSIGN_OR_RETURN(auto f, ParseLocalDate("from", from));
  if (to.empty()) to = FormatDate(year_month_day(sys_days(f) + days(6)));
  KC_ASSIGN_OR_RETURN(auto t, ParseLocalDate("to", to));
  if (sys_days(t) < sys_days(f)) return InvalidArgument("to", "must not be before from");
  if (sys_days(t) - sys_days(f) > days(30)) {
    return InvalidArgument("to", "the calendar shows at most 31 days");
  }
  CalendarView v;
  v.from = from;
  v.to = to;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_ASSIGN_OR_RETURN(auto d, LoadClinic(*tx, f, t));
    v.time_zone = d.config.time_zone;
    for (const auto& c : d.clinic.chairs) v.chairs.push_back({c.id, c.name});
    for (const auto& s : d.shifts) {
      if (s.date >= from && s.date <= to) v.shifts.push_back(s);
    }
    auto lo = sched::LocalToUtc(d.config.time_zone, {f, minutes(0)});
    auto hi =
        sched::LocalToUtc(d.config.time_zone, {year_month_day(sys_days(t) + days(1)), minutes(0)});
    if (!lo.ok()) return lo.status();
    if (!hi.ok()) return hi.status();
    KC_ASSIGN_OR_RETURN(auto booked, tx->schedule().Booked(*lo, *hi));
    KC_ASSIGN_OR_RETURN(v.appointments,
                        Views(*tx, d.config.time_zone, d.chair_names, std::move(booked)));
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  std::set<std::string> patients;
  for (const auto& a : v.appointments) patients.insert(a.appointment.patient_id.value());
  std::vector<domain::AuditEvent> events;
  for (const auto& p : patients) {
    events.push_back(
        MakeEvent(env_, &actor, "appointment.list", "patient/appointments", "success", p));
  }
  if (events.empty()) {
    events.push_back(MakeEvent(env_, &actor, "appointment.list", "patient/appointments", "success",
                               "", "no results"));
  }
  KC_RETURN_IF_ERROR(env_.audit.AppendAll(std::move(events)));
  return v;
}

Result<SeriesProposal> ScheduleService::ProposeSeries(const Actor& actor, const PatientId& patient,
                                                      const std::string& protocol_id,
                                                      const std::string& start) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "series.propose"));
  KC_ASSIGN_OR_RETURN(auto first, ParseLocalDate("start", start));
  SeriesProposal out;
  ClinicData d;
  sched::SeriesPlan plan;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
    KC_ASSIGN_OR_RETURN(auto protocol, FindProtocol(*tx, protocol_id));
    KC_ASSIGN_OR_RETURN(auto approval,
                        LoadApproval(*tx, patient, env_.clock.Now(), env_.settings.Get()));
    if (!domain::screening::IsCurrentApproval(approval)) {
      return FailedPrecondition(domain::screening::ApprovalRefusal(approval));
    }
    sched::PlanOptions options;
    options.not_before = env_.clock.Now();
    const int span =
        protocol.window_days + options.search_days + (sched::IsStaged(protocol) ? 400 : 0);
    KC_ASSIGN_OR_RETURN(d, LoadClinic(*tx, first, year_month_day(sys_days(first) + days(span))));
    KC_RETURN_IF_ERROR(tx->Commit());
    KC_ASSIGN_OR_RETURN(plan, sched::PlanSeries(protocol, d.clinic, first, options));
    char text[400];
    std::snprintf(text, sizeof text,
                  "%zu sessions of %s, each %d minutes with a chair and a %s-qualified nurse free, "
                  "inside clinic hours and outside holidays (%s)",
                  plan.sessions.size(), protocol.name.c_str(),
                  static_cast<int>(protocol.appointment_minutes.value()),
                  protocol.required_qualification.c_str(), d.config.time_zone.c_str());
    out.explanation = text;
    if (!sched::IsStaged(protocol)) {
      out.explanation += ": " + std::to_string(protocol.per_week_min) + "–" +
                         std::to_string(protocol.per_week_max) + " a week, at least " +
                         std::to_string(protocol.min_gap_days) + " day(s) apart, within " +
                         std::to_string(protocol.window_days) + " days";
    }
    out.explanation += plan.bent.empty() ? "; no rule had to be bent."
                                         : "; " + std::to_string(plan.bent.size()) +
                                               " soft rule(s) bent, said below.";
  }
  out.protocol = protocol_id;
  for (const auto& s : plan.sessions) out.sessions.push_back(ToSlot(d, s));
  out.bent = plan.bent;
  KC_RETURN_IF_ERROR(
      env_.audit.Append(MakeEvent(env_, &actor, "series.propose", "patient/appointments", "success",
                                  patient.value(), protocol_id)));
  return out;
}

Result<SeriesBooking> ScheduleService::BookSeries(const Actor& actor, const PatientId& patient,
                                                  const std::string& protocol_id,
                                                  const std::vector<SessionChoice>& sessions) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "series.book"));
  if (sessions.empty()) return InvalidArgument("sessions", "must list at least one session");
  if (sessions.size() > 60) return InvalidArgument("sessions", "must list at most 60 sessions");
  SeriesBooking out;
  out.series_id = NewId();
  int minutes_long = 120;
  size_t failed = 0;
  Status result = [&]() -> Status {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
    KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
    KC_ASSIGN_OR_RETURN(auto protocol, FindProtocol(*tx, protocol_id));
    KC_ASSIGN_OR_RETURN(auto approval,
                        LoadApproval(*tx, patient, env_.clock.Now(), env_.settings.Get()));
    if (!domain::screening::IsCurrentApproval(approval)) {
      return FailedPrecondition(domain::screening::ApprovalRefusal(approval));
    }
    KC_ASSIGN_OR_RETURN(auto type, FindType(*tx, TypeFor(protocol.kind), "protocol"));
    type.minutes = static_cast<int>(protocol.appointment_minutes.value());
    type.qualification = protocol.required_qualification;
    minutes_long = type.minutes;
    std::vector<Timestamp> starts;
    for (const auto& s : sessions) starts.push_back(s.start);
    KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
    auto [from, to] = DateRange(config.time_zone, starts);
    KC_ASSIGN_OR_RETURN(auto d, LoadClinic(*tx, from, to));
    // The protocol's date rules over the dates as the front desk left them.
    std::vector<sched::LocalDate> dates;
    for (const auto& s : sessions) {
      auto l = sched::UtcToLocal(config.time_zone, s.start);
      if (!l.ok()) return l.status();
      dates.push_back(l->date);
    }
    if (!sched::IsStaged(protocol)) KC_RETURN_IF_ERROR(sched::CheckSeriesDates(protocol, dates));
    KC_ASSIGN_OR_RETURN(auto capacity, sched::CapacityIndex::Build(d.clinic));
    KC_ASSIGN_OR_RETURN(auto courses, tx->care().Courses(patient));
    const domain::Course* course = ActiveCourse(courses);
    BookingStep step{env_, *tx, d, capacity};
    std::vector<domain::Appointment> booked;
    std::vector<domain::AuditEvent> events;
    for (size_t i = 0; i < sessions.size(); ++i) {
      auto a = BookOne(step, patient, type, sessions[i], out.series_id, course, actor,
                       "sessions[" + std::to_string(i) + "].");
      if (!a.ok()) {
        failed = i;
        return a.status();
      }
      booked.push_back(*a);
      events.push_back(MakeEvent(env_, &actor, "appointment.create", "patient/appointments",
                                 "success", patient.value(), "series " + protocol_id));
    }
    KC_ASSIGN_OR_RETURN(out.appointments,
                        Views(*tx, d.config.time_zone, d.chair_names, std::move(booked)));
    KC_RETURN_IF_ERROR(tx->audit().Append(events));
    return tx->Commit();
  }();
  // Named after the transaction is gone (it may hold the only free connection).
  if (!result.ok()) return NameLostRace(env_, result, sessions[failed], minutes_long);
  return out;
}

Result<AppointmentView> ScheduleService::Book(const Actor& actor, const PatientId& patient,
                                              const std::string& type_id,
                                              const SessionChoice& choice) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "appointment.create"));
  std::optional<AppointmentView> out;
  int minutes_long = 120;
  Status result = [&]() -> Status {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
    KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
    KC_ASSIGN_OR_RETURN(auto type, FindType(*tx, type_id, "type"));
    minutes_long = type.minutes;
    KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
    auto [from, to] = DateRange(config.time_zone, {choice.start});
    KC_ASSIGN_OR_RETURN(auto d, LoadClinic(*tx, from, to));
    KC_ASSIGN_OR_RETURN(auto capacity, sched::CapacityIndex::Build(d.clinic));
    KC_ASSIGN_OR_RETURN(auto courses, tx->care().Courses(patient));
    BookingStep step{env_, *tx, d, capacity};
    auto a = BookOne(step, patient, type, choice, std::nullopt, ActiveCourse(courses), actor, "");
    if (!a.ok()) return a.status();
    KC_ASSIGN_OR_RETURN(out, OneView(*tx, d, *a));
    std::vector<domain::AuditEvent> events{MakeEvent(
        env_, &actor, "appointment.create", "patient/appointments", "success", patient.value())};
    KC_RETURN_IF_ERROR(tx->audit().Append(events));
    return tx->Commit();
  }();
  if (!result.ok()) return NameLostRace(env_, result, choice, minutes_long);
  return std::move(*out);
}

Result<std::vector<AppointmentView>> ScheduleService::PatientAppointments(
    const Actor& actor, const PatientId& patient) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "appointment.list"));
  std::vector<AppointmentView> out;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
    KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
    KC_ASSIGN_OR_RETURN(auto chairs, tx->schedule().Chairs());
    std::map<std::string, std::string> names;
    for (const auto& c : chairs) names[c.id] = c.name;
    KC_ASSIGN_OR_RETURN(auto list, tx->schedule().PatientAppointments(patient));
    KC_ASSIGN_OR_RETURN(out, Views(*tx, config.time_zone, names, std::move(list)));
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  KC_RETURN_IF_ERROR(env_.audit.Append(MakeEvent(
      env_, &actor, "appointment.list", "patient/appointments", "success", patient.value())));
  return out;
}

namespace {

// The next free slots from `after` for an appointment of `type`, read in `tx`.
Result<std::vector<SlotView>> FreeSlots(domain::Transaction& tx, Timestamp after,
                                        const domain::AppointmentType& type) {
  const auto from = DateOf(after);
  KC_ASSIGN_OR_RETURN(auto d, LoadClinic(tx, from, year_month_day(sys_days(from) + days(62))));
  KC_ASSIGN_OR_RETURN(auto slots, sched::NextFreeSlots(d.clinic, after, Minutes(type.minutes),
                                                       type.qualification, kNextFreeCount));
  std::vector<SlotView> out;
  for (const auto& s : slots) out.push_back(ToSlot(d, s));
  return out;
}

}  // namespace

Result<CancelResult> ScheduleService::Cancel(const Actor& actor, const std::string& appointment_id,
                                             std::string reason) {
  if (!IsWellFormedId(appointment_id)) {
    return InvalidArgument("appointment_id", "is not an appointment id (32 hex digits)");
  }
  KC_ASSIGN_OR_RETURN(reason, RequireText("reason", std::move(reason), 1000,
                                          "say why the appointment is cancelled"));
  CancelResult out;
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(auto a, tx->schedule().GetAppointment(appointment_id));
  KC_RETURN_IF_ERROR(tx->schedule().CloseAppointment(
      appointment_id, domain::AppointmentStatus::kCancelled, reason));
  if (a.course_session_id) {
    KC_RETURN_IF_ERROR(tx->care().UpdateSession(*a.course_session_id, a.start,
                                                domain::CourseSessionStatus::kCancelled));
  }
  a.status = domain::AppointmentStatus::kCancelled;
  a.reason = reason;
  KC_ASSIGN_OR_RETURN(auto type, FindType(*tx, a.type_id, "type"));
  KC_ASSIGN_OR_RETURN(out.next_free, FreeSlots(*tx, env_.clock.Now(), type));
  const auto from = DateOf(a.start);
  KC_ASSIGN_OR_RETURN(auto d, LoadClinic(*tx, from, from));
  KC_ASSIGN_OR_RETURN(out.appointment, OneView(*tx, d, a));
  std::vector<domain::AuditEvent> events{MakeEvent(
      env_, &actor, "appointment.cancel", "patient/appointments", "success", a.patient_id.value())};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return out;
}

Result<AppointmentView> ScheduleService::Move(const Actor& actor, const std::string& appointment_id,
                                              const SessionChoice& to, std::string reason) {
  if (!IsWellFormedId(appointment_id)) {
    return InvalidArgument("appointment_id", "is not an appointment id (32 hex digits)");
  }
  KC_ASSIGN_OR_RETURN(
      reason, RequireText("reason", std::move(reason), 1000, "say why the appointment is moved"));
  std::optional<AppointmentView> out;
  int minutes_long = 120;
  Status result = [&]() -> Status {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
    KC_ASSIGN_OR_RETURN(auto old, tx->schedule().GetAppointment(appointment_id));
    if (old.status != domain::AppointmentStatus::kBooked)
      return FailedPrecondition("the appointment is no longer booked");
    // Free the old slot first so that a move within the same chair and nurse can overlap it.
    KC_RETURN_IF_ERROR(
        tx->schedule().CloseAppointment(appointment_id, domain::AppointmentStatus::kMoved, reason));
    KC_ASSIGN_OR_RETURN(auto type, FindType(*tx, old.type_id, "type"));
    minutes_long = type.minutes;
    KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
    auto [from, until] = DateRange(config.time_zone, {to.start});
    KC_ASSIGN_OR_RETURN(auto d, LoadClinic(*tx, from, until));
    KC_ASSIGN_OR_RETURN(auto capacity, sched::CapacityIndex::Build(d.clinic));
    BookingStep step{env_, *tx, d, capacity};
    auto a = BookOne(step, old.patient_id, type, to, old.series_id, nullptr, actor, "",
                     old.course_session_id);
    if (!a.ok()) return a.status();
    domain::Appointment moved = *a;
    if (old.course_session_id) {
      KC_RETURN_IF_ERROR(tx->care().UpdateSession(*old.course_session_id, to.start,
                                                  domain::CourseSessionStatus::kPlanned));
    }
    moved.reason = reason;
    KC_ASSIGN_OR_RETURN(out, OneView(*tx, d, moved));
    std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "appointment.move",
                                                     "patient/appointments", "success",
                                                     old.patient_id.value())};
    KC_RETURN_IF_ERROR(tx->audit().Append(events));
    return tx->Commit();
  }();
  if (!result.ok()) return NameLostRace(env_, result, to, minutes_long);
  return std::move(*out);
}

Result<std::vector<SlotView>> ScheduleService::NextFree(const Actor& actor,
                                                        const std::string& appointment_id) {
  if (!IsWellFormedId(appointment_id)) {
    return InvalidArgument("appointment_id", "is not an appointment id (32 hex digits)");
  }
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
  KC_ASSIGN_OR_RETURN(auto a, tx->schedule().GetAppointment(appointment_id));
  KC_ASSIGN_OR_RETURN(auto type, FindType(*tx, a.type_id, "type"));
  KC_ASSIGN_OR_RETURN(auto slots, FreeSlots(*tx, env_.clock.Now(), type));
  KC_RETURN_IF_ERROR(tx->Commit());
  KC_RETURN_IF_ERROR(
      env_.audit.Append(MakeEvent(env_, &actor, "appointment.next_free", "patient/appointments",
                                  "success", a.patient_id.value())));
  return slots;
}

// ---------------------------------------------------------------------------------------------
// Portal booking requests

namespace {

Result<BookingRequestView> RequestView(domain::Transaction& tx, domain::BookingRequest r) {
  BookingRequestView v;
  KC_ASSIGN_OR_RETURN(auto p, tx.patients().Get(r.patient_id));
  v.patient_name = p.fields.name;
  if (r.appointment_id) {
    KC_ASSIGN_OR_RETURN(auto a, tx.schedule().GetAppointment(*r.appointment_id));
    KC_ASSIGN_OR_RETURN(auto config, tx.schedule().Config());
    KC_ASSIGN_OR_RETURN(auto chairs, tx.schedule().Chairs());
    std::map<std::string, std::string> names;
    for (const auto& c : chairs) names[c.id] = c.name;
    KC_ASSIGN_OR_RETURN(auto views, Views(tx, config.time_zone, names, {a}));
    v.appointment = std::move(views.front());
  }
  v.request = std::move(r);
  return v;
}

}  // namespace

Result<BookingRequestView> ScheduleService::RequestBooking(const Actor& actor,
                                                           const PatientId& patient,
                                                           std::vector<PreferredDay> preferred,
                                                           std::optional<std::string> note) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, patient, "booking_request.create"));
  if (preferred.empty()) return InvalidArgument("preferred", "must list at least one day");
  if (preferred.size() > 10) return InvalidArgument("preferred", "must list at most 10 days");
  const auto today = DateOf(env_.clock.Now());
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = 0; i < preferred.size(); ++i) {
    const std::string f = "preferred[" + std::to_string(i) + "].";
    KC_ASSIGN_OR_RETURN(auto day, ParseLocalDate(f + "date", preferred[i].date));
    if (sys_days(day) < sys_days(today) - days(1)) {
      return InvalidArgument(f + "date", "lies in the past");
    }
    const auto& part = preferred[i].part;
    if (part != "morning" && part != "afternoon" && part != "any") {
      return InvalidArgument(f + "part", "must be morning, afternoon or any");
    }
    list.push_back({{"date", preferred[i].date}, {"part", part}});
  }
  if (note) {
    if (note->size() > 1000) return InvalidArgument("note", "must be at most 1000 characters");
    if (note->empty()) note.reset();
  }
  const Timestamp now = env_.clock.Now();
  domain::BookingRequest r{
      NewId(),       patient,      list.dump(), note,           domain::BookingRequestStatus::kOpen,
      std::nullopt,  std::nullopt, now,         actor.username, now,
      actor.username};
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_RETURN_IF_ERROR(tx->patients().Get(patient).status());
  KC_RETURN_IF_ERROR(tx->schedule().InsertBookingRequest(r));
  KC_ASSIGN_OR_RETURN(auto view, RequestView(*tx, r));
  std::vector<domain::AuditEvent> events{MakeEvent(
      env_, &actor, "booking_request.create", "patient/appointments", "success", patient.value())};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return view;
}

Result<std::vector<BookingRequestView>> ScheduleService::BookingRequests(
    const Actor& actor, std::optional<std::string> status) {
  std::optional<domain::BookingRequestStatus> wanted;
  if (status) {
    wanted = ParseCode<domain::BookingRequestStatus>(*status);
    if (!wanted) return InvalidArgument("status", "must be open, accepted, proposed or declined");
  }
  std::optional<PatientId> only;
  if (actor.role == domain::Role::kPatient) {
    if (!actor.patient_id) return PermissionDenied("no patient record is linked to this login");
    only = *actor.patient_id;
  }
  std::vector<BookingRequestView> out;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_ASSIGN_OR_RETURN(auto list, tx->schedule().BookingRequests(wanted, only));
    for (auto& r : list) {
      KC_ASSIGN_OR_RETURN(auto v, RequestView(*tx, std::move(r)));
      out.push_back(std::move(v));
    }
    KC_RETURN_IF_ERROR(tx->Commit());
  }
  std::set<std::string> patients;
  for (const auto& v : out) patients.insert(v.request.patient_id.value());
  std::vector<domain::AuditEvent> events;
  for (const auto& p : patients) {
    events.push_back(
        MakeEvent(env_, &actor, "booking_request.list", "patient/appointments", "success", p));
  }
  if (events.empty()) {
    events.push_back(MakeEvent(env_, &actor, "booking_request.list", "patient/appointments",
                               "success", only ? only->value() : "", "no results"));
  }
  KC_RETURN_IF_ERROR(env_.audit.AppendAll(std::move(events)));
  return out;
}

Result<BookingRequestView> ScheduleService::AcceptRequest(const Actor& actor,
                                                          const std::string& request_id,
                                                          const SessionChoice& choice) {
  if (!IsWellFormedId(request_id)) {
    return InvalidArgument("request_id", "is not a request id (32 hex digits)");
  }
  PatientId patient;
  std::string type_id(kIvInfusionType);
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    KC_ASSIGN_OR_RETURN(auto r, tx->schedule().GetBookingRequest(request_id));
    if (r.status != domain::BookingRequestStatus::kOpen &&
        r.status != domain::BookingRequestStatus::kProposed) {
      return FailedPrecondition("the request is " + std::string(Code(r.status)) + " already");
    }
    patient = r.patient_id;
    KC_ASSIGN_OR_RETURN(auto courses, tx->care().Courses(patient));
    if (const auto* c = ActiveCourse(courses); c && c->kind == "esketamine") {
      type_id = std::string(kEsketamineType);
    }
  }
  // The appointment and the request's new state in one transaction.
  std::optional<BookingRequestView> out;
  int minutes_long = 120;
  Status result = [&]() -> Status {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
    KC_ASSIGN_OR_RETURN(auto r, tx->schedule().GetBookingRequest(request_id));
    if (r.status != domain::BookingRequestStatus::kOpen &&
        r.status != domain::BookingRequestStatus::kProposed) {
      return FailedPrecondition("the request is " + std::string(Code(r.status)) + " already");
    }
    KC_ASSIGN_OR_RETURN(auto type, FindType(*tx, type_id, "type"));
    minutes_long = type.minutes;
    KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
    auto [from, to] = DateRange(config.time_zone, {choice.start});
    KC_ASSIGN_OR_RETURN(auto d, LoadClinic(*tx, from, to));
    KC_ASSIGN_OR_RETURN(auto capacity, sched::CapacityIndex::Build(d.clinic));
    KC_ASSIGN_OR_RETURN(auto courses, tx->care().Courses(patient));
    BookingStep step{env_, *tx, d, capacity};
    auto a = BookOne(step, patient, type, choice, std::nullopt, ActiveCourse(courses), actor, "");
    if (!a.ok()) return a.status();
    r.status = domain::BookingRequestStatus::kAccepted;
    r.appointment_id = a->id;
    r.updated_at = env_.clock.Now();
    r.updated_by = actor.username;
    KC_RETURN_IF_ERROR(tx->schedule().UpdateBookingRequest(r));
    KC_ASSIGN_OR_RETURN(out, RequestView(*tx, r));
    std::vector<domain::AuditEvent> events{
        MakeEvent(env_, &actor, "booking_request.accept", "patient/appointments", "success",
                  patient.value()),
        MakeEvent(env_, &actor, "appointment.create", "patient/appointments", "success",
                  patient.value(), "booking request")};
    KC_RETURN_IF_ERROR(tx->audit().Append(events));
    return tx->Commit();
  }();
  if (!result.ok()) return NameLostRace(env_, result, choice, minutes_long);
  return std::move(*out);
}

Result<BookingRequestView> ScheduleService::ProposeForRequest(const Actor& actor,
                                                              const std::string& request_id,
                                                              const SessionChoice& choice,
                                                              std::optional<std::string> note) {
  if (!IsWellFormedId(request_id)) {
    return InvalidArgument("request_id", "is not a request id (32 hex digits)");
  }
  if (note && note->size() > 1000) {
    return InvalidArgument("note", "must be at most 1000 characters");
  }
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(auto r, tx->schedule().GetBookingRequest(request_id));
  if (r.status != domain::BookingRequestStatus::kOpen &&
      r.status != domain::BookingRequestStatus::kProposed) {
    return FailedPrecondition("the request is " + std::string(Code(r.status)) + " already");
  }
  KC_ASSIGN_OR_RETURN(auto type, FindType(*tx, std::string(kIvInfusionType), "type"));
  KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
  auto [from, to] = DateRange(config.time_zone, {choice.start});
  KC_ASSIGN_OR_RETURN(auto d, LoadClinic(*tx, from, to));
  if (!d.chair_names.count(choice.chair_id)) {
    return InvalidArgument("chair_id", "is not a chair of the clinic");
  }
  if (choice.start < env_.clock.Now()) return InvalidArgument("start", "lies in the past");
  // The proposal must be bookable now (it is booked when the patient accepts).
  KC_ASSIGN_OR_RETURN(auto clash,
                      tx->schedule().FindClash(choice.chair_id, choice.nurse, choice.start,
                                               choice.start + minutes(type.minutes)));
  if (clash) return ClashStatus(d, *clash, choice.chair_id, "start");
  KC_ASSIGN_OR_RETURN(auto capacity, sched::CapacityIndex::Build(d.clinic));
  KC_RETURN_IF_ERROR(capacity.CheckAppointment(choice.start, Minutes(type.minutes), choice.chair_id,
                                               choice.nurse, type.qualification));
  SlotView slot = ToSlot(d, {0,
                             choice.start,
                             choice.start + minutes(type.minutes),
                             {},
                             {},
                             choice.chair_id,
                             choice.nurse});
  nlohmann::json proposed = {{"start", FormatTimestamp(choice.start)},
                             {"end", FormatTimestamp(slot.slot.end)},
                             {"local_date", slot.local_date},
                             {"local_start", slot.local_start},
                             {"chair_id", choice.chair_id},
                             {"chair_name", slot.chair_name},
                             {"nurse", choice.nurse},
                             {"note", note ? nlohmann::json(*note) : nlohmann::json(nullptr)}};
  r.status = domain::BookingRequestStatus::kProposed;
  r.proposed = proposed.dump();
  r.updated_at = env_.clock.Now();
  r.updated_by = actor.username;
  KC_RETURN_IF_ERROR(tx->schedule().UpdateBookingRequest(r));
  KC_ASSIGN_OR_RETURN(auto view, RequestView(*tx, r));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "booking_request.propose",
                                                   "patient/appointments", "success",
                                                   r.patient_id.value())};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return view;
}

Result<BookingRequestView> ScheduleService::RespondToProposal(const Actor& actor,
                                                              const std::string& request_id,
                                                              bool accept) {
  if (!IsWellFormedId(request_id)) {
    return InvalidArgument("request_id", "is not a request id (32 hex digits)");
  }
  domain::BookingRequest r;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    KC_ASSIGN_OR_RETURN(r, tx->schedule().GetBookingRequest(request_id));
  }
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, r.patient_id, "booking_request.respond"));
  if (r.status != domain::BookingRequestStatus::kProposed || !r.proposed) {
    return FailedPrecondition("the clinic has not proposed a time for this request");
  }
  if (accept) {
    auto p = nlohmann::json::parse(*r.proposed, nullptr, false);
    auto start = ParseTimestamp(p.value("start", ""));
    if (!start) return Internal("stored proposal without a start");
    return AcceptRequest(actor, request_id,
                         {*start, p.value("chair_id", ""), p.value("nurse", "")});
  }
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(r, tx->schedule().GetBookingRequest(request_id));
  if (r.status != domain::BookingRequestStatus::kProposed) {
    return FailedPrecondition("the request is " + std::string(Code(r.status)) + " already");
  }
  r.status = domain::BookingRequestStatus::kDeclined;
  r.updated_at = env_.clock.Now();
  r.updated_by = actor.username;
  KC_RETURN_IF_ERROR(tx->schedule().UpdateBookingRequest(r));
  KC_ASSIGN_OR_RETURN(auto view, RequestView(*tx, r));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "booking_request.decline",
                                                   "patient/appointments", "success",
                                                   r.patient_id.value())};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return view;
}

// ---------------------------------------------------------------------------------------------
// Review tasks, boosters, worklist, utilisation

Result<std::vector<ReviewTaskView>> ScheduleService::ReviewTasks(
    const Actor& actor, std::optional<std::string> status) {
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

namespace {

// Proposed boosters of every patient in maintenance (the decided date when one was decided
// after the last infusion).
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
  KC_ASSIGN_OR_RETURN(out.review_tasks, ReviewTasks(actor, std::string("open")));
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
