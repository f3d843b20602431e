// The clinic's configuration (ScheduleService, schedule.h): time zone and hours, holidays, chairs,
// staff shifts and qualifications, appointment types and site protocols.
#include "kclinic/app/schedule.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "kclinic/app/schedule_support.h"
#include "kclinic/base/crypto.h"
#include "kclinic/codec/schedule_json.h"

namespace kclinic::app {

using domain::Actor;
namespace sched = domain::schedule;
using schedule_support::ParseLocalDate;
using schedule_support::RequireText;

Result<std::string> ScheduleService::TimeZone() {
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
  KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
  KC_RETURN_IF_ERROR(tx->Commit());
  return config.time_zone;
}

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

Result<std::optional<domain::PlausibilityWarning>> ScheduleService::SetHours(
    const Actor& actor, std::optional<std::string> time_zone,
    std::vector<domain::OpeningHours> hours, bool confirm) {
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
  // A destructive change is confirmed first (issue 22): no hours closes every day, and nothing
  // can be booked or proposed.
  if (hours.empty() && !confirm) {
    return std::optional<domain::PlausibilityWarning>(domain::PlausibilityWarning{
        "no_opening_hours", "hours",
        "With no opening hours the clinic is closed on every day, and nothing can be booked"});
  }
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  if (time_zone) {
    KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
    config.time_zone = *time_zone;
    KC_RETURN_IF_ERROR(tx->schedule().SetConfig(config));
  }
  KC_RETURN_IF_ERROR(tx->schedule().ReplaceHours(hours));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env_, &actor, "schedule.hours", "schedule/resources", "success", "",
                hours.empty() ? "confirmed: no opening hours" : "")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return std::optional<domain::PlausibilityWarning>();
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

}  // namespace kclinic::app
