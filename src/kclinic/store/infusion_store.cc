// SOCI repository of infusion and esketamine sessions (issue 5): a header row per session and its
// append-only events, each stored as JSON (the event types are domain/session/session.h's).
#include <nlohmann/json.hpp>

#include "kclinic/domain/session/ports.h"
#include "kclinic/store/clinical_store.h"

namespace kclinic::store {
namespace {

using nlohmann::json;
namespace ses = domain::session;

template <typename T>
json Opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}
json OptTs(const std::optional<Timestamp>& v) { return v ? json(Ts(*v)) : json(nullptr); }
template <typename T>
std::optional<T> GetOpt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}
std::optional<Timestamp> GetOptTs(const json& j, const char* key) {
  auto s = GetOpt<std::string>(j, key);
  if (!s) return std::nullopt;
  return ParseTimestamp(*s);
}
std::string Str(const json& j, const char* key) { return j.value(key, std::string()); }

json RemsToJson(const ses::RemsEntry& r) {
  return {{"benzodiazepines", Opt(r.benzodiazepines)},
          {"sedative_hypnotics", Opt(r.sedative_hypnotics)},
          {"stimulants", Opt(r.stimulants)},
          {"maois", Opt(r.maois)},
          {"opioids", Opt(r.opioids)},
          {"clinician_name", Opt(r.clinician_name)},
          {"clinician_phone", Opt(r.clinician_phone)},
          {"setting", Opt(r.setting)},
          {"lot_number", Opt(r.lot_number)},
          {"ready_to_leave_at", OptTs(r.ready_to_leave_at)}};
}
ses::RemsEntry RemsFromJson(const json& j) {
  ses::RemsEntry r;
  r.benzodiazepines = GetOpt<bool>(j, "benzodiazepines");
  r.sedative_hypnotics = GetOpt<bool>(j, "sedative_hypnotics");
  r.stimulants = GetOpt<bool>(j, "stimulants");
  r.maois = GetOpt<bool>(j, "maois");
  r.opioids = GetOpt<bool>(j, "opioids");
  r.clinician_name = GetOpt<std::string>(j, "clinician_name");
  r.clinician_phone = GetOpt<std::string>(j, "clinician_phone");
  r.setting = GetOpt<std::string>(j, "setting");
  r.lot_number = GetOpt<std::string>(j, "lot_number");
  r.ready_to_leave_at = GetOptTs(j, "ready_to_leave_at");
  return r;
}

json BodyToJson(const ses::EventBody& body) {
  return std::visit(
      [](const auto& b) -> json {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, ses::TransitionEvent>) {
          return {{"from", ses::StateCode(b.from)},
                  {"to", ses::StateCode(b.to)},
                  {"reason", b.reason},
                  {"rate_ml_per_h", Opt(b.rate_ml_per_h)}};
        } else if constexpr (std::is_same_v<T, ses::PrechecksEvent>) {
          json items = json::array();
          for (const auto& i : b.items) {
            items.push_back({{"key", i.key},
                             {"label", i.label},
                             {"passed", Opt(i.passed)},
                             {"detail", i.detail}});
          }
          json preg = nullptr;
          if (b.checks.pregnancy_test) preg = ses::PregnancyTestCode(*b.checks.pregnancy_test);
          return {{"escort_present", Opt(b.checks.escort_present)},
                  {"pregnancy_test", preg},
                  {"items", items},
                  {"passed", b.passed}};
        } else if constexpr (std::is_same_v<T, ses::OverrideEvent>) {
          return {{"reason", b.reason}};
        } else if constexpr (std::is_same_v<T, ses::RateEvent>) {
          return {{"rate_ml_per_h", b.rate_ml_per_h}, {"reason", b.reason}};
        } else if constexpr (std::is_same_v<T, ses::VitalEvent>) {
          const auto& v = b.vital;
          return {{"id", v.id},      {"sbp", Opt(v.sbp)},   {"dbp", Opt(v.dbp)},
                  {"hr", Opt(v.hr)}, {"spo2", Opt(v.spo2)}, {"rr", Opt(v.rr)}};
        } else if constexpr (std::is_same_v<T, ses::AlertEvent>) {
          return {{"id", b.id},
                  {"kind", b.kind},
                  {"message", b.message},
                  {"recommended_action", b.recommended_action},
                  {"reading", b.reading}};
        } else if constexpr (std::is_same_v<T, ses::AlertActionEvent>) {
          return {{"alert_id", b.alert_id}, {"text", b.text}};
        } else if constexpr (std::is_same_v<T, ses::SideEffectEvent>) {
          return {{"id", b.id},
                  {"effect", b.effect},
                  {"severity", b.severity},
                  {"action", b.action},
                  {"note", b.note}};
        } else if constexpr (std::is_same_v<T, ses::ScoreEvent>) {
          return {{"assessment_id", b.assessment_id},
                  {"instrument", b.instrument},
                  {"total", Opt(b.total)}};
        } else if constexpr (std::is_same_v<T, ses::CustodyEvent>) {
          json out = {{"entry_id", b.entry_id}, {"type", b.type},
                      {"lot_id", b.lot_id},     {"lot_number", b.lot_number},
                      {"witness", b.witness},   {"amount_mg", b.amount_mg}};
          if (!b.reason.empty()) out["reason"] = b.reason;
          return out;
        } else if constexpr (std::is_same_v<T, ses::DeviceEvent>) {
          return {{"mg", b.mg}};
        } else if constexpr (std::is_same_v<T, ses::DischargeEvent>) {
          return {{"items", b.items}};
        } else if constexpr (std::is_same_v<T, ses::AddendumEvent>) {
          return {{"text", b.text}};
        } else if constexpr (std::is_same_v<T, ses::RemsFieldsEvent>) {
          return RemsToJson(b.entry);
        } else {
          return json::object();  // sign, rems_complete
        }
      },
      body);
}

// A number an event cannot do without (a pump rate, an amount of drug, a device's mg): never
// defaulted, so a damaged row is an Internal error rather than a session that runs at 0.
template <typename T>
Result<T> RequiredNumber(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) {
    return Internal(std::string("read session event: no ") + key);
  }
  return it->get<T>();
}

Result<ses::EventBody> BodyFromJson(const std::string& type, const json& j) {
  if (type == "transition") {
    auto from = ses::ParseState(Str(j, "from")), to = ses::ParseState(Str(j, "to"));
    if (!from || !to) return Internal("read session event: bad state");
    return ses::EventBody(
        ses::TransitionEvent{*from, *to, Str(j, "reason"), GetOpt<double>(j, "rate_ml_per_h")});
  }
  if (type == "prechecks") {
    ses::PrechecksEvent e;
    e.checks.escort_present = GetOpt<bool>(j, "escort_present");
    if (auto p = GetOpt<std::string>(j, "pregnancy_test")) {
      e.checks.pregnancy_test = ses::ParsePregnancyTest(*p);
    }
    for (const auto& i : j.value("items", json::array())) {
      e.items.push_back(
          {Str(i, "key"), Str(i, "label"), GetOpt<bool>(i, "passed"), Str(i, "detail")});
    }
    e.passed = j.value("passed", false);
    return ses::EventBody(std::move(e));
  }
  if (type == "override") return ses::EventBody(ses::OverrideEvent{Str(j, "reason")});
  if (type == "rate") {
    KC_ASSIGN_OR_RETURN(double rate, RequiredNumber<double>(j, "rate_ml_per_h"));
    return ses::EventBody(ses::RateEvent{rate, Str(j, "reason")});
  }
  if (type == "vital") {
    return ses::EventBody(
        ses::VitalEvent{{Str(j, "id"), GetOpt<int>(j, "sbp"), GetOpt<int>(j, "dbp"),
                         GetOpt<int>(j, "hr"), GetOpt<int>(j, "spo2"), GetOpt<int>(j, "rr")}});
  }
  if (type == "alert") {
    return ses::EventBody(ses::AlertEvent{Str(j, "id"), Str(j, "kind"), Str(j, "message"),
                                          Str(j, "recommended_action"), Str(j, "reading")});
  }
  if (type == "alert_action") {
    return ses::EventBody(ses::AlertActionEvent{Str(j, "alert_id"), Str(j, "text")});
  }
  if (type == "side_effect") {
    return ses::EventBody(ses::SideEffectEvent{Str(j, "id"), Str(j, "effect"), Str(j, "severity"),
                                               Str(j, "action"), Str(j, "note")});
  }
  if (type == "score") {
    return ses::EventBody(
        ses::ScoreEvent{Str(j, "assessment_id"), Str(j, "instrument"), GetOpt<double>(j, "total")});
  }
  if (type == "custody") {
    KC_ASSIGN_OR_RETURN(double amount, RequiredNumber<double>(j, "amount_mg"));
    return ses::EventBody(ses::CustodyEvent{Str(j, "entry_id"), Str(j, "type"), Str(j, "lot_id"),
                                            Str(j, "lot_number"), Str(j, "witness"), amount,
                                            Str(j, "reason")});
  }
  if (type == "device") {
    KC_ASSIGN_OR_RETURN(int mg, RequiredNumber<int>(j, "mg"));
    return ses::EventBody(ses::DeviceEvent{mg});
  }
  if (type == "discharge") {
    return ses::EventBody(ses::DischargeEvent{j.value("items", std::map<std::string, bool>{})});
  }
  if (type == "sign") return ses::EventBody(ses::SignEvent{});
  if (type == "addendum") return ses::EventBody(ses::AddendumEvent{Str(j, "text")});
  if (type == "rems_fields") return ses::EventBody(ses::RemsFieldsEvent{RemsFromJson(j)});
  if (type == "rems_complete") return ses::EventBody(ses::RemsCompleteEvent{});
  return Internal("read session event: unknown type");
}

// A session's plan, stored with the session when it is created and never changed. Written with
// both weights named; a session stored before they were (its "weight_kg" was the measured
// weight) is read with the dosing weight recomputed as dose ÷ mg/kg, which is how it was made.
json PlanToJson(const ses::IvPlan& p) {
  return {{"dose_mg", p.dose.value()},
          {"mg_per_kg", p.mg_per_kg.value()},
          {"dosing_weight_kg", p.dosing_weight.value()},
          {"actual_weight_kg", p.actual_weight.value()},
          {"concentration_mg_per_ml", p.concentration.value()},
          {"volume_ml", p.volume.value()},
          {"rate_ml_per_h", p.rate.value()},
          {"duration_min", p.duration.value()}};
}
Result<ses::IvPlan> PlanFromJson(const json& j) {
  auto num = [&](const char* key) -> Result<double> {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) {
      return Internal(std::string("read session plan: no ") + key);
    }
    return it->get<double>();
  };
  ses::IvPlan p;
  KC_ASSIGN_OR_RETURN(double dose, num("dose_mg"));
  KC_ASSIGN_OR_RETURN(double mg_per_kg, num("mg_per_kg"));
  p.dose = Milligrams(dose);
  p.mg_per_kg = MgPerKg(mg_per_kg);
  if (j.contains("actual_weight_kg")) {
    KC_ASSIGN_OR_RETURN(double actual, num("actual_weight_kg"));
    KC_ASSIGN_OR_RETURN(double dosing, num("dosing_weight_kg"));
    p.actual_weight = Kilograms(actual);
    p.dosing_weight = Kilograms(dosing);
  } else {
    KC_ASSIGN_OR_RETURN(double actual, num("weight_kg"));
    p.actual_weight = Kilograms(actual);
    p.dosing_weight = Kilograms(mg_per_kg > 0 ? dose / mg_per_kg : actual);
  }
  KC_ASSIGN_OR_RETURN(double conc, num("concentration_mg_per_ml"));
  KC_ASSIGN_OR_RETURN(double volume, num("volume_ml"));
  KC_ASSIGN_OR_RETURN(double rate, num("rate_ml_per_h"));
  KC_ASSIGN_OR_RETURN(double minutes, num("duration_min"));
  p.concentration = MgPerMl(conc);
  p.volume = Milliliters(volume);
  p.rate = MlPerHour(rate);
  p.duration = Minutes(minutes);
  return p;
}

const char* const kColumns =
    "id, patient_id, kind, scheduled_at, appointment_id, course_session_id, plan_id, plan, "
    "planned_dose_mg, created_at, created_by";

struct Row {
  std::string id, patient_id, kind, scheduled, appointment, course_session, plan_id, plan, created,
      by;
  int planned = 0;
  soci::indicator appointment_ind = soci::i_null, course_session_ind = soci::i_null,
                  plan_id_ind = soci::i_null, plan_ind = soci::i_null;
  Result<ses::SessionRecord> ToRecord() const {
    ses::SessionRecord r;
    r.id = id;
    r.patient_id = PatientId(patient_id);
    r.kind = ses::ParseKind(kind).value_or(ses::Kind::kIvKetamine);
    r.scheduled_at = ParseTs(scheduled);
    if (appointment_ind == soci::i_ok) r.appointment_id = appointment;
    if (course_session_ind == soci::i_ok) r.course_session_id = course_session;
    if (plan_id_ind == soci::i_ok) r.plan_id = plan_id;
    if (plan_ind == soci::i_ok) {
      auto j = json::parse(plan, nullptr, false);
      if (!j.is_object()) return Internal("read session plan: not a JSON object");
      KC_ASSIGN_OR_RETURN(r.plan, PlanFromJson(j));
    }
    r.planned_dose_mg = planned;
    r.created_at = ParseTs(created);
    r.created_by = by;
    return r;
  }
};

class SociInfusion final : public domain::InfusionRepository {
 public:
  explicit SociInfusion(soci::session& sql) : sql_(sql) {}

  Status Insert(const ses::SessionRecord& r) override {
    return Guard("insert session", [&]() -> Status {
      std::string pid = r.patient_id.value(), kind(ses::KindCode(r.kind)),
                  scheduled = Ts(r.scheduled_at), created = Ts(r.created_at),
                  appointment = r.appointment_id.value_or(""),
                  course_session = r.course_session_id.value_or(""),
                  plan = r.plan ? PlanToJson(*r.plan).dump() : "", plan_id = r.plan_id,
                  state(ses::StateCode(ses::State::kScheduled));
      soci::indicator ai = r.appointment_id ? soci::i_ok : soci::i_null,
                      ci = r.course_session_id ? soci::i_ok : soci::i_null,
                      pi = r.plan_id.empty() ? soci::i_null : soci::i_ok,
                      plan_i = r.plan ? soci::i_ok : soci::i_null;
      int planned = r.planned_dose_mg;
      sql_ << "INSERT INTO infusion_sessions (" << kColumns
           << ", state) VALUES (:id, :pid, :kind, :scheduled, :appointment, :course_session, "
              ":plan_id, :plan, :planned, :created, :by, :state)",
          soci::use(r.id, "id"), soci::use(pid, "pid"), soci::use(kind, "kind"),
          soci::use(scheduled, "scheduled"), soci::use(appointment, ai, "appointment"),
          soci::use(course_session, ci, "course_session"), soci::use(plan_id, pi, "plan_id"),
          soci::use(plan, plan_i, "plan"), soci::use(planned, "planned"),
          soci::use(created, "created"), soci::use(r.created_by, "by"), soci::use(state, "state");
      return Status::Ok();
    });
  }

  Result<domain::StoredSession> Get(std::string_view id) override {
    KC_ASSIGN_OR_RETURN(auto list, Select("WHERE id = :key", std::string(id)));
    if (list.empty()) return NotFound("no such session");
    return std::move(list.front());
  }

  Status Append(std::string_view id, const std::vector<ses::Event>& events, ses::State state,
                bool rems_complete) override {
    if (events.empty()) return Status::Ok();
    return Guard("append session events", [&]() -> Status {
      std::string key(id), state_code(ses::StateCode(state));
      int rems = rems_complete ? 1 : 0;
      long long first = events.front().seq - 1, last = events.back().seq;
      // The header's event count is the optimistic lock: the events must follow on from it.
      soci::statement up =
          (sql_.prepare << "UPDATE infusion_sessions SET state = :state, rems_complete = :rems, "
                           "event_count = :last WHERE id = :id AND event_count = :first",
           soci::use(state_code, "state"), soci::use(rems, "rems"), soci::use(last, "last"),
           soci::use(key, "id"), soci::use(first, "first"));
      up.execute(true);
      if (up.get_affected_rows() == 0) {
        return Status(StatusCode::kAborted, "the session was changed at the same time; retry");
      }
      for (const auto& e : events) {
        std::string at = Ts(e.at), type(ses::EventType(e.body)), body = BodyToJson(e.body).dump();
        long long seq = e.seq;
        sql_ << "INSERT INTO infusion_session_events (session_id, seq, at, made_by, type, body) "
                "VALUES (:id, :seq, :at, :by, :type, :body)",
            soci::use(key, "id"), soci::use(seq, "seq"), soci::use(at, "at"), soci::use(e.by, "by"),
            soci::use(type, "type"), soci::use(body, "body");
      }
      return Status::Ok();
    });
  }

  Result<std::vector<domain::StoredSession>> Scheduled(Timestamp from, Timestamp to) override {
    return Select2("WHERE scheduled_at >= :a AND scheduled_at < :b ORDER BY scheduled_at, id",
                   Ts(from), Ts(to));
  }

  Result<std::vector<domain::StoredSession>> ForPatient(const PatientId& patient) override {
    return Select("WHERE patient_id = :key ORDER BY scheduled_at, id", patient.value());
  }

  Result<std::vector<domain::StoredSession>> PendingRems() override {
    return Select(
        "WHERE kind = :key AND rems_complete = 0 AND state IN ('dosing', 'monitoring', "
        "'discharged', 'signed') ORDER BY scheduled_at, id",
        "esketamine");
  }

 private:
  Result<std::vector<domain::StoredSession>> Select(const std::string& where,
                                                    const std::string& key) {
    return Run(where, {key});
  }
  Result<std::vector<domain::StoredSession>> Select2(const std::string& where, const std::string& a,
                                                     const std::string& b) {
    return Run(where, {a, b});
  }

  Result<std::vector<domain::StoredSession>> Run(const std::string& where,
                                                 std::vector<std::string> keys) {
    auto rows = Guard("read sessions", [&]() -> Result<std::vector<ses::SessionRecord>> {
      Row r;
      std::string query = std::string("SELECT ") + kColumns + " FROM infusion_sessions " + where;
      soci::statement st(sql_);
      st.alloc();
      st.prepare(query);
      st.exchange(soci::into(r.id));
      st.exchange(soci::into(r.patient_id));
      st.exchange(soci::into(r.kind));
      st.exchange(soci::into(r.scheduled));
      st.exchange(soci::into(r.appointment, r.appointment_ind));
      st.exchange(soci::into(r.course_session, r.course_session_ind));
      st.exchange(soci::into(r.plan_id, r.plan_id_ind));
      st.exchange(soci::into(r.plan, r.plan_ind));
      st.exchange(soci::into(r.planned));
      st.exchange(soci::into(r.created));
      st.exchange(soci::into(r.by));
      if (keys.size() == 1) {
        st.exchange(soci::use(keys[0], "key"));
      } else {
        st.exchange(soci::use(keys[0], "a"));
        st.exchange(soci::use(keys[1], "b"));
      }
      st.define_and_bind();
      st.execute();
      std::vector<ses::SessionRecord> out;
      while (st.fetch()) {
        KC_ASSIGN_OR_RETURN(auto record, r.ToRecord());
        out.push_back(std::move(record));
        r.appointment_ind = r.course_session_ind = r.plan_id_ind = r.plan_ind = soci::i_null;
      }
      return out;
    });
    if (!rows.ok()) return rows.status();
    std::vector<domain::StoredSession> out;
    for (auto& rec : *rows) {
      KC_ASSIGN_OR_RETURN(auto events, Events(rec.id));
      out.push_back({std::move(rec), std::move(events)});
    }
    return out;
  }

  Result<std::vector<ses::Event>> Events(const std::string& id) {
    struct Raw {
      long long seq = 0;
      std::string at, by, type, body;
    };
    auto raw = Guard("read session events", [&]() -> Result<std::vector<Raw>> {
      Raw r;
      std::string key = id;
      soci::statement st = (sql_.prepare << "SELECT seq, at, made_by, type, body FROM "
                                            "infusion_session_events WHERE session_id = :id "
                                            "ORDER BY seq",
                            soci::into(r.seq), soci::into(r.at), soci::into(r.by),
                            soci::into(r.type), soci::into(r.body), soci::use(key, "id"));
      st.execute();
      std::vector<Raw> out;
      while (st.fetch()) out.push_back(r);
      return out;
    });
    if (!raw.ok()) return raw.status();
    std::vector<ses::Event> out;
    for (const auto& r : *raw) {
      auto j = json::parse(r.body, nullptr, false);
      if (!j.is_object()) return Internal("read session event: bad JSON");
      KC_ASSIGN_OR_RETURN(ses::EventBody body, BodyFromJson(r.type, j));
      out.push_back({r.seq, ParseTs(r.at), r.by, std::move(body)});
    }
    return out;
  }

  soci::session& sql_;
};

}  // namespace

std::unique_ptr<domain::InfusionRepository> MakeInfusionRepository(soci::session& sql) {
  return std::make_unique<SociInfusion>(sql);
}

}  // namespace kclinic::store
