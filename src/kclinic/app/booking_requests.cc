// Portal booking requests (ScheduleService, schedule.h): a patient asks for preferred days, the
// clinic books one or proposes a time, the patient accepts or declines the proposal.
#include "kclinic/app/schedule.h"

#include <set>

#include "kclinic/app/schedule_support.h"
#include "kclinic/base/crypto.h"

namespace kclinic::app {

using domain::Actor;
using namespace std::chrono;
namespace sched = domain::schedule;
using domain::ActiveCourse;
using schedule_support::BookingStep;
using schedule_support::BookOne;
using schedule_support::ClashStatus;
using schedule_support::DateRange;
using schedule_support::FindType;
using schedule_support::LoadClinic;
using schedule_support::NameLostRace;
using schedule_support::ParseLocalDate;
using schedule_support::ToSlot;
using schedule_support::Views;

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

}  // namespace kclinic::app
