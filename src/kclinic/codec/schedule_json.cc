#include "kclinic/codec/schedule_json.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "kclinic/base/clock.h"
#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

namespace {

namespace sched = domain::schedule;
using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

Result<const json*> Array(const json& object, const std::string& path, std::string_view key,
                          bool required) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) {
    if (required) return InvalidArgument(JoinPath(path, key), "is required");
    return static_cast<const json*>(nullptr);
  }
  if (!it->is_array()) return InvalidArgument(JoinPath(path, key), "must be an array");
  return &*it;
}

Result<int> IntIn(ObjectReader& r, std::string_view key, int lo, int hi, std::optional<int> def) {
  KC_ASSIGN_OR_RETURN(auto v, r.Integer(key));
  if (!v) {
    if (def) return *def;
    return InvalidArgument(r.FieldPath(key), "is required");
  }
  if (*v < lo || *v > hi) {
    return InvalidArgument(r.FieldPath(key),
                           "must be " + std::to_string(lo) + "-" + std::to_string(hi));
  }
  return static_cast<int>(*v);
}

Result<sched::LocalDate> DateAt(const json& v, const std::string& field) {
  if (!v.is_string()) return InvalidArgument(field, "must be a date YYYY-MM-DD");
  auto d = ParseDate(v.get<std::string>());
  if (!d) return InvalidArgument(field, "must be a date YYYY-MM-DD");
  return *d;
}

Result<sched::LocalMinutes> TimeIn(ObjectReader& r, std::string_view key) {
  KC_ASSIGN_OR_RETURN(std::string s, r.RequiredString(key));
  auto t = sched::ParseLocalTime(s);
  if (!t) return InvalidArgument(r.FieldPath(key), "must be a local time HH:MM");
  return *t;
}

Result<Timestamp> InstantIn(ObjectReader& r, std::string_view key) {
  KC_ASSIGN_OR_RETURN(std::string s, r.RequiredString(key));
  auto t = ParseTimestamp(s);
  if (!t) return InvalidArgument(r.FieldPath(key), "must be an ISO UTC timestamp");
  return *t;
}

constexpr std::string_view kWeekdays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

}  // namespace

ojson ProtocolToJson(const sched::Protocol& p) {
  ojson stages = ojson::array();
  for (const auto& s : p.stages) {
    stages.push_back({{"weeks", s.weeks}, {"interval_days", s.interval_days}});
  }
  return {{"id", p.id},
          {"name", p.name},
          {"kind", sched::ProtocolKindName(p.kind)},
          {"sessions", sched::PlannedSessionCount(p)},
          {"per_week_min", p.per_week_min},
          {"per_week_max", p.per_week_max},
          {"min_gap_days", p.min_gap_days},
          {"window_days", p.window_days},
          {"appointment_minutes", static_cast<int>(p.appointment_minutes.value())},
          {"required_qualification", p.required_qualification},
          {"stages", std::move(stages)},
          {"open_ended_sessions", p.open_ended_sessions},
          {"citation", p.citation}};
}

Result<sched::Protocol> ProtocolFromJson(const json& body) {
  if (!body.is_object()) return InvalidArgument("body", "must be a JSON object");
  KC_RETURN_IF_ERROR(RejectUnknownMembers(
      body, "",
      {"id", "name", "kind", "sessions", "per_week_min", "per_week_max", "min_gap_days",
       "window_days", "appointment_minutes", "required_qualification", "stages",
       "open_ended_sessions", "citation"}));
  ObjectReader r(body, "");
  sched::Protocol p;
  KC_ASSIGN_OR_RETURN(p.id, r.RequiredString("id"));
  KC_ASSIGN_OR_RETURN(p.name, r.RequiredString("name"));
  KC_ASSIGN_OR_RETURN(std::string kind, r.RequiredString("kind"));
  auto k = sched::ParseProtocolKind(kind);
  if (!k) return InvalidArgument("kind", "must be iv_ketamine or esketamine");
  p.kind = *k;
  KC_ASSIGN_OR_RETURN(p.sessions, IntIn(r, "sessions", 0, 200, p.sessions));
  KC_ASSIGN_OR_RETURN(p.per_week_min, IntIn(r, "per_week_min", 0, 7, p.per_week_min));
  KC_ASSIGN_OR_RETURN(p.per_week_max, IntIn(r, "per_week_max", 1, 7, p.per_week_max));
  KC_ASSIGN_OR_RETURN(p.min_gap_days, IntIn(r, "min_gap_days", 0, 60, p.min_gap_days));
  KC_ASSIGN_OR_RETURN(p.window_days, IntIn(r, "window_days", 1, 365, p.window_days));
  KC_ASSIGN_OR_RETURN(int minutes, IntIn(r, "appointment_minutes", 15, 600, std::nullopt));
  p.appointment_minutes = Minutes(minutes);
  KC_ASSIGN_OR_RETURN(p.required_qualification, r.RequiredString("required_qualification"));
  KC_ASSIGN_OR_RETURN(p.open_ended_sessions,
                      IntIn(r, "open_ended_sessions", 1, 52, p.open_ended_sessions));
  KC_ASSIGN_OR_RETURN(auto citation, r.String("citation"));
  p.citation = citation.value_or("");
  KC_ASSIGN_OR_RETURN(const json* stages, Array(body, "", "stages", false));
  if (stages != nullptr) {
    for (size_t i = 0; i < stages->size(); ++i) {
      const std::string f = "stages[" + std::to_string(i) + "]";
      const json& e = (*stages)[i];
      if (!e.is_object()) return InvalidArgument(f, "must be an object");
      ObjectReader s(e, f);
      sched::ProtocolStage stage;
      KC_ASSIGN_OR_RETURN(stage.weeks, IntIn(s, "weeks", 0, 104, std::nullopt));
      KC_ASSIGN_OR_RETURN(stage.interval_days, IntIn(s, "interval_days", 1, 120, std::nullopt));
      KC_RETURN_IF_ERROR(s.Finish());
      p.stages.push_back(stage);
    }
  }
  if (sched::IsStaged(p)) p.sessions = sched::PlannedSessionCount(p);
  KC_RETURN_IF_ERROR(sched::ValidateProtocol(p));
  return p;
}

ojson ClinicToJson(const sched::Clinic& c) {
  ojson hours = ojson::object();
  for (size_t i = 0; i < c.hours.size(); ++i) {
    if (c.hours[i]) {
      hours[std::string(kWeekdays[i])] = {{"open", sched::FormatLocalTime(c.hours[i]->open)},
                                          {"close", sched::FormatLocalTime(c.hours[i]->close)}};
    } else {
      hours[std::string(kWeekdays[i])] = nullptr;
    }
  }
  ojson holidays = ojson::array();
  for (const auto& h : c.holidays) holidays.push_back(FormatDate(h));
  ojson chairs = ojson::array();
  for (const auto& ch : c.chairs) chairs.push_back({{"id", ch.id}, {"name", ch.name}});
  ojson shifts = ojson::array();
  for (const auto& s : c.shifts) {
    shifts.push_back({{"username", s.username},
                      {"qualifications", s.qualifications},
                      {"date", FormatDate(s.date)},
                      {"start", sched::FormatLocalTime(s.start)},
                      {"end", sched::FormatLocalTime(s.end)}});
  }
  ojson busy = ojson::array();
  for (const auto& b : c.busy) {
    busy.push_back({{"chair_id", b.chair_id},
                    {"staff", b.staff},
                    {"start", FormatTimestamp(b.start)},
                    {"end", FormatTimestamp(b.end)}});
  }
  return {{"time_zone", c.time_zone},    {"slot_minutes", c.slot_minutes},
          {"hours", std::move(hours)},   {"holidays", std::move(holidays)},
          {"chairs", std::move(chairs)}, {"shifts", std::move(shifts)},
          {"busy", std::move(busy)}};
}

Result<sched::Clinic> ClinicFromJson(const json& body) {
  if (!body.is_object()) return InvalidArgument("body", "must be a JSON object");
  KC_RETURN_IF_ERROR(RejectUnknownMembers(
      body, "", {"time_zone", "slot_minutes", "hours", "holidays", "chairs", "shifts", "busy"}));
  ObjectReader r(body, "");
  sched::Clinic c;
  KC_ASSIGN_OR_RETURN(c.time_zone, r.RequiredString("time_zone"));
  KC_ASSIGN_OR_RETURN(c.slot_minutes, IntIn(r, "slot_minutes", 5, 240, c.slot_minutes));
  auto hours = body.find("hours");
  if (hours == body.end() || !hours->is_object()) {
    return InvalidArgument("hours", "is required: an object by weekday (mon..sun)");
  }
  std::vector<std::string_view> days(std::begin(kWeekdays), std::end(kWeekdays));
  for (auto it = hours->begin(); it != hours->end(); ++it) {
    auto pos = std::find(days.begin(), days.end(), it.key());
    if (pos == days.end()) return InvalidArgument("hours." + it.key(), "is not a weekday");
    if (it->is_null()) continue;
    const std::string f = "hours." + it.key();
    if (!it->is_object()) return InvalidArgument(f, "must be {open, close} or null");
    ObjectReader h(*it, f);
    sched::OpeningHours oh;
    KC_ASSIGN_OR_RETURN(oh.open, TimeIn(h, "open"));
    KC_ASSIGN_OR_RETURN(oh.close, TimeIn(h, "close"));
    KC_RETURN_IF_ERROR(h.Finish());
    c.hours[pos - days.begin()] = oh;
  }
  KC_ASSIGN_OR_RETURN(const json* holidays, Array(body, "", "holidays", false));
  if (holidays) {
    for (size_t i = 0; i < holidays->size(); ++i) {
      KC_ASSIGN_OR_RETURN(auto d, DateAt((*holidays)[i], "holidays[" + std::to_string(i) + "]"));
      c.holidays.push_back(d);
    }
  }
  KC_ASSIGN_OR_RETURN(const json* chairs, Array(body, "", "chairs", false));
  if (chairs) {
    for (size_t i = 0; i < chairs->size(); ++i) {
      const std::string f = "chairs[" + std::to_string(i) + "]";
      if (!(*chairs)[i].is_object()) return InvalidArgument(f, "must be an object");
      ObjectReader ch((*chairs)[i], f);
      sched::Chair chair;
      KC_ASSIGN_OR_RETURN(chair.id, ch.RequiredString("id"));
      KC_ASSIGN_OR_RETURN(auto name, ch.String("name"));
      chair.name = name.value_or(chair.id);
      KC_RETURN_IF_ERROR(ch.Finish());
      c.chairs.push_back(std::move(chair));
    }
  }
  KC_ASSIGN_OR_RETURN(const json* shifts, Array(body, "", "shifts", false));
  if (shifts) {
    for (size_t i = 0; i < shifts->size(); ++i) {
      const std::string f = "shifts[" + std::to_string(i) + "]";
      const json& e = (*shifts)[i];
      if (!e.is_object()) return InvalidArgument(f, "must be an object");
      ObjectReader s(e, f);
      sched::StaffShift shift;
      KC_ASSIGN_OR_RETURN(shift.username, s.RequiredString("username"));
      KC_ASSIGN_OR_RETURN(auto quals, s.StringArray("qualifications"));
      shift.qualifications = quals.value_or(std::vector<std::string>{});
      KC_ASSIGN_OR_RETURN(std::string date, s.RequiredString("date"));
      KC_ASSIGN_OR_RETURN(shift.date, DateAt(json(date), f + ".date"));
      KC_ASSIGN_OR_RETURN(shift.start, TimeIn(s, "start"));
      KC_ASSIGN_OR_RETURN(shift.end, TimeIn(s, "end"));
      KC_RETURN_IF_ERROR(s.Finish());
      c.shifts.push_back(std::move(shift));
    }
  }
  KC_ASSIGN_OR_RETURN(const json* busy, Array(body, "", "busy", false));
  if (busy) {
    for (size_t i = 0; i < busy->size(); ++i) {
      const std::string f = "busy[" + std::to_string(i) + "]";
      const json& e = (*busy)[i];
      if (!e.is_object()) return InvalidArgument(f, "must be an object");
      ObjectReader b(e, f);
      sched::BusyInterval bi;
      KC_ASSIGN_OR_RETURN(auto chair, b.String("chair_id"));
      KC_ASSIGN_OR_RETURN(auto staff, b.String("staff"));
      bi.chair_id = chair.value_or("");
      bi.staff = staff.value_or("");
      KC_ASSIGN_OR_RETURN(bi.start, InstantIn(b, "start"));
      KC_ASSIGN_OR_RETURN(bi.end, InstantIn(b, "end"));
      KC_RETURN_IF_ERROR(b.Finish());
      c.busy.push_back(std::move(bi));
    }
  }
  KC_RETURN_IF_ERROR(sched::ValidateClinic(c));
  return c;
}

ojson PlannedSessionToJson(const sched::PlannedSession& s) {
  return {{"number", s.number},
          {"date", FormatDate(s.date)},
          {"time", sched::FormatLocalTime(s.time)},
          {"start", FormatTimestamp(s.start)},
          {"end", FormatTimestamp(s.end)},
          {"chair_id", s.chair_id},
          {"nurse", s.nurse}};
}

ojson SeriesPlanToJson(const sched::SeriesPlan& plan) {
  ojson sessions = ojson::array();
  for (const auto& s : plan.sessions) sessions.push_back(PlannedSessionToJson(s));
  return {
      {"protocol_id", plan.protocol_id}, {"sessions", std::move(sessions)}, {"bent", plan.bent}};
}

Result<sched::BoosterHistory> BoosterHistoryFromJson(const json& body) {
  if (!body.is_object()) return InvalidArgument("body", "must be a JSON object");
  KC_RETURN_IF_ERROR(RejectUnknownMembers(body, "", {"infusions", "phq9", "induction_sessions"}));
  sched::BoosterHistory h;
  KC_ASSIGN_OR_RETURN(const json* infusions, Array(body, "", "infusions", true));
  if (infusions->empty()) return InvalidArgument("infusions", "at least one is required");
  if (infusions->size() > 1000) return InvalidArgument("infusions", "at most 1000");
  for (size_t i = 0; i < infusions->size(); ++i) {
    KC_ASSIGN_OR_RETURN(auto d, DateAt((*infusions)[i], "infusions[" + std::to_string(i) + "]"));
    h.infusions.push_back(d);
  }
  KC_ASSIGN_OR_RETURN(const json* phq, Array(body, "", "phq9", false));
  if (phq) {
    if (phq->size() > 5000) return InvalidArgument("phq9", "at most 5000");
    for (size_t i = 0; i < phq->size(); ++i) {
      const std::string f = "phq9[" + std::to_string(i) + "]";
      const json& e = (*phq)[i];
      if (!e.is_object()) return InvalidArgument(f, "must be an object {date, score}");
      ObjectReader r(e, f);
      KC_ASSIGN_OR_RETURN(std::string date, r.RequiredString("date"));
      KC_ASSIGN_OR_RETURN(auto d, DateAt(json(date), f + ".date"));
      KC_ASSIGN_OR_RETURN(int score, IntIn(r, "score", 0, 27, std::nullopt));
      KC_RETURN_IF_ERROR(r.Finish());
      h.phq9.push_back({d, score});
    }
  }
  ObjectReader top(body, "");
  KC_ASSIGN_OR_RETURN(h.induction_sessions, IntIn(top, "induction_sessions", 0, 60, 0));
  if (h.induction_sessions > static_cast<int>(h.infusions.size())) {
    return InvalidArgument("induction_sessions", "must be at most the number of infusions");
  }
  return h;
}

ojson BoosterProposalToJson(const sched::BoosterProposal& p) {
  ojson durations = ojson::array();
  for (const auto& d : p.durations) {
    durations.push_back({{"infusion_date", FormatDate(d.infusion_date)},
                         {"benefit_days", d.benefit_days ? ojson(*d.benefit_days) : ojson()},
                         {"censored", d.censored},
                         {"observed_days", d.observed_days}});
  }
  return {
      {"next_booster_date", FormatDate(p.next_booster_date)},
      {"interval_days", p.interval_days},
      {"reason", p.reason},
      {"rule", sched::BoosterRuleName(p.rule)},
      {"method", p.method},
      {"threshold", p.threshold},
      {"post_induction_score", p.post_induction_score ? ojson(*p.post_induction_score) : ojson()},
      {"estimate_days", p.estimate_days ? ojson(*p.estimate_days) : ojson()},
      {"predicted_relapse_date",
       p.predicted_relapse_date ? ojson(FormatDate(*p.predicted_relapse_date)) : ojson()},
      {"durations", std::move(durations)}};
}

}  // namespace kclinic::codec
