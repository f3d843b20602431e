// The calendar and appointments (ScheduleService, schedule.h): proposing and booking a whole
// series, booking one appointment, a patient's appointments, cancel and move with the next free
// slots.
#include "kclinic/app/schedule.h"

#include <cstdio>
#include <set>

#include "kclinic/app/schedule_support.h"
#include "kclinic/base/crypto.h"
#include "kclinic/codec/schedule_json.h"

namespace kclinic::app {

using domain::Actor;
using namespace std::chrono;
namespace sched = domain::schedule;
using domain::ActiveCourse;
using schedule_support::BookingStep;
using schedule_support::BookOne;
using schedule_support::ClinicData;
using schedule_support::DateRange;
using schedule_support::FindType;
using schedule_support::LoadClinic;
using schedule_support::LocalToday;
using schedule_support::NameLostRace;
using schedule_support::ParseLocalDate;
using schedule_support::RequireText;
using schedule_support::ToSlot;
using schedule_support::Views;

namespace {

// How many next free slots to offer on cancel and move.
constexpr int kNextFreeCount = 5;

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

Result<AppointmentView> OneView(domain::Transaction& tx, const ClinicData& d,
                                domain::Appointment a) {
  KC_ASSIGN_OR_RETURN(auto list, Views(tx, d.config.time_zone, d.chair_names, {std::move(a)}));
  return std::move(list.front());
}

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

}  // namespace kclinic::app
