// SOCI repository of resources and bookings (issue 6), one code path for SQLite and PostgreSQL.
// The guarantee against double booking is the primary key of appointment_slots (schema 6): every
// booked appointment inserts one row per 15-minute unit for its chair and for its nurse.
#include <set>

#include "kclinic/domain/schedule/ports.h"
#include "kclinic/store/clinical_store.h"

namespace kclinic::store {
namespace {

using namespace domain;

template <typename T>
std::optional<T> Opt(const T& value, soci::indicator ind) {
  return ind == soci::i_ok ? std::optional<T>(value) : std::nullopt;
}

// The slot units [start, end) covers, as UTC text: one per kSlotUnitMinutes.
std::vector<std::string> Units(Timestamp start, Timestamp end) {
  std::vector<std::string> out;
  const auto unit = std::chrono::minutes(kSlotUnitMinutes);
  for (Timestamp t = std::chrono::floor<std::chrono::minutes>(start); t < end; t += unit) {
    out.push_back(Ts(t));
  }
  return out;
}

struct AppointmentRow {
  std::string id, patient_id, type_id, chair_id, nurse, start, end, status, series_id, session_id,
      reason, created_by, created_at;
  soci::indicator series_ind = soci::i_null, session_ind = soci::i_null, reason_ind = soci::i_null;
  Appointment ToAppointment() const {
    Appointment a;
    a.id = id;
    a.patient_id = PatientId(patient_id);
    a.type_id = type_id;
    a.chair_id = chair_id;
    a.nurse = nurse;
    a.start = ParseTs(start);
    a.end = ParseTs(end);
    a.status = StoredCode<AppointmentStatus>(status, "appointment status");
    a.series_id = Opt(series_id, series_ind);
    a.course_session_id = Opt(session_id, session_ind);
    a.reason = Opt(reason, reason_ind);
    a.created_by = created_by;
    a.created_at = ParseTs(created_at);
    return a;
  }
};
const char* const kAppointmentColumns =
    "a.id, a.patient_id, a.type_id, a.chair_id, a.nurse, a.start_at, a.end_at, a.status, "
    "a.series_id, a.course_session_id, a.reason, a.created_by, a.created_at";

struct RequestRow {
  std::string id, patient_id, preferred, note, status, appointment_id, proposed, created_at,
      created_by, updated_at, updated_by;
  soci::indicator note_ind = soci::i_null, appointment_ind = soci::i_null,
                  proposed_ind = soci::i_null;
  BookingRequest ToRequest() const {
    return {id,
            PatientId(patient_id),
            preferred,
            Opt(note, note_ind),
            StoredCode<BookingRequestStatus>(status, "booking request status"),
            Opt(appointment_id, appointment_ind),
            Opt(proposed, proposed_ind),
            ParseTs(created_at),
            created_by,
            ParseTs(updated_at),
            updated_by};
  }
};
const char* const kRequestColumns =
    "id, patient_id, preferred, note, status, appointment_id, proposed, created_at, created_by, "
    "updated_at, updated_by";

struct TaskRow {
  std::string id, patient_id, course_id, kind, reason, status, created_at, completed_at,
      completed_by, note;
  soci::indicator completed_at_ind = soci::i_null, completed_by_ind = soci::i_null,
                  note_ind = soci::i_null;
  ReviewTask ToTask() const {
    ReviewTask t{id,
                 PatientId(patient_id),
                 course_id,
                 StoredCode<ReviewKind>(kind, "review kind"),
                 reason,
                 StoredCode<ReviewStatus>(status, "review status"),
                 ParseTs(created_at),
                 std::nullopt,
                 std::nullopt,
                 Opt(note, note_ind)};
    if (completed_at_ind == soci::i_ok) t.completed_at = ParseTs(completed_at);
    t.completed_by = Opt(completed_by, completed_by_ind);
    return t;
  }
};
const char* const kTaskColumns =
    "id, patient_id, course_id, kind, reason, status, created_at, completed_at, completed_by, note";

class SociSchedule final : public ScheduleRepository {
 public:
  explicit SociSchedule(soci::session& sql) : sql_(sql) {}

  Result<ScheduleConfig> Config() override {
    return Guard("read schedule config", [&]() -> Result<ScheduleConfig> {
      ScheduleConfig c;
      std::string key, value;
      soci::statement st = (sql_.prepare << "SELECT key, value FROM schedule_config",
                            soci::into(key), soci::into(value));
      st.execute();
      while (st.fetch()) {
        if (key == "time_zone") c.time_zone = value;
        if (key == "slot_minutes") c.slot_minutes = std::atoi(value.c_str());
      }
      return c;
    });
  }

  Status SetConfig(const ScheduleConfig& c) override {
    return Guard("write schedule config", [&]() -> Status {
      sql_ << "DELETE FROM schedule_config";
      std::string slot = std::to_string(c.slot_minutes);
      sql_ << "INSERT INTO schedule_config (key, value) VALUES ('time_zone', :v)",
          soci::use(c.time_zone, "v");
      sql_ << "INSERT INTO schedule_config (key, value) VALUES ('slot_minutes', :v)",
          soci::use(slot, "v");
      return Status::Ok();
    });
  }

  Result<std::vector<OpeningHours>> Hours() override {
    return Guard("read opening hours", [&]() -> Result<std::vector<OpeningHours>> {
      OpeningHours h;
      soci::statement st = (sql_.prepare << "SELECT weekday, open_time, close_time FROM "
                                            "opening_hours ORDER BY weekday",
                            soci::into(h.weekday), soci::into(h.open), soci::into(h.close));
      st.execute();
      std::vector<OpeningHours> out;
      while (st.fetch()) out.push_back(h);
      return out;
    });
  }

  Status ReplaceHours(const std::vector<OpeningHours>& hours) override {
    return Guard("write opening hours", [&]() -> Status {
      sql_ << "DELETE FROM opening_hours";
      for (const auto& h : hours) {
        sql_ << "INSERT INTO opening_hours (weekday, open_time, close_time) VALUES (:d, :o, :c)",
            soci::use(h.weekday, "d"), soci::use(h.open, "o"), soci::use(h.close, "c");
      }
      return Status::Ok();
    });
  }

  Result<std::vector<Holiday>> Holidays() override {
    return Guard("read holidays", [&]() -> Result<std::vector<Holiday>> {
      Holiday h;
      soci::statement st = (sql_.prepare << "SELECT day, name FROM holidays ORDER BY day",
                            soci::into(h.date), soci::into(h.name));
      st.execute();
      std::vector<Holiday> out;
      while (st.fetch()) out.push_back(h);
      return out;
    });
  }

  Status InsertHoliday(const Holiday& h) override {
    return Guard("insert holiday", [&]() -> Status {
      sql_ << "INSERT INTO holidays (day, name) VALUES (:d, :n)", soci::use(h.date, "d"),
          soci::use(h.name, "n");
      return Status::Ok();
    });
  }

  Result<std::vector<Chair>> Chairs() override {
    return Guard("read chairs", [&]() -> Result<std::vector<Chair>> {
      Chair c;
      soci::statement st = (sql_.prepare << "SELECT id, name FROM chairs ORDER BY name, id",
                            soci::into(c.id), soci::into(c.name));
      st.execute();
      std::vector<Chair> out;
      while (st.fetch()) out.push_back(c);
      return out;
    });
  }

  Status InsertChair(const Chair& c, Timestamp at) override {
    return Guard("insert chair", [&]() -> Status {
      std::string when = Ts(at);
      sql_ << "INSERT INTO chairs (id, name, created_at) VALUES (:id, :n, :at)",
          soci::use(c.id, "id"), soci::use(c.name, "n"), soci::use(when, "at");
      return Status::Ok();
    });
  }

  Result<std::map<std::string, std::vector<std::string>>> Qualifications() override {
    using Out = std::map<std::string, std::vector<std::string>>;
    return Guard("read qualifications", [&]() -> Result<Out> {
      std::string user, q;
      soci::statement st = (sql_.prepare << "SELECT username, qualification FROM "
                                            "staff_qualifications ORDER BY username, qualification",
                            soci::into(user), soci::into(q));
      st.execute();
      Out out;
      while (st.fetch()) out[user].push_back(q);
      return out;
    });
  }

  Status SetQualifications(const std::string& username,
                           const std::vector<std::string>& qualifications) override {
    return Guard("write qualifications", [&]() -> Status {
      sql_ << "DELETE FROM staff_qualifications WHERE username = :u", soci::use(username, "u");
      std::set<std::string> unique(qualifications.begin(), qualifications.end());
      for (const auto& q : unique) {
        sql_ << "INSERT INTO staff_qualifications (username, qualification) VALUES (:u, :q)",
            soci::use(username, "u"), soci::use(q, "q");
      }
      return Status::Ok();
    });
  }

  Result<std::vector<StaffShift>> Shifts(const std::string& from, const std::string& to) override {
    return Guard("read shifts", [&]() -> Result<std::vector<StaffShift>> {
      StaffShift s;
      soci::statement st =
          (sql_.prepare << "SELECT id, username, day, start_time, end_time FROM staff_shifts "
                           "WHERE day >= :f AND day <= :t ORDER BY day, start_time, username",
           soci::use(from, "f"), soci::use(to, "t"), soci::into(s.id), soci::into(s.username),
           soci::into(s.date), soci::into(s.start), soci::into(s.end));
      st.execute();
      std::vector<StaffShift> out;
      while (st.fetch()) out.push_back(s);
      return out;
    });
  }

  Status InsertShift(const StaffShift& s) override {
    return Guard("insert shift", [&]() -> Status {
      sql_ << "INSERT INTO staff_shifts (id, username, day, start_time, end_time) VALUES (:id, "
              ":u, :d, :s, :e)",
          soci::use(s.id, "id"), soci::use(s.username, "u"), soci::use(s.date, "d"),
          soci::use(s.start, "s"), soci::use(s.end, "e");
      return Status::Ok();
    });
  }

  Result<std::vector<AppointmentType>> AppointmentTypes() override {
    return Guard("read appointment types", [&]() -> Result<std::vector<AppointmentType>> {
      AppointmentType t;
      soci::statement st = (sql_.prepare << "SELECT id, name, minutes, qualification FROM "
                                            "appointment_types ORDER BY id",
                            soci::into(t.id), soci::into(t.name), soci::into(t.minutes),
                            soci::into(t.qualification));
      st.execute();
      std::vector<AppointmentType> out;
      while (st.fetch()) out.push_back(t);
      return out;
    });
  }

  Status InsertAppointmentType(const AppointmentType& t) override {
    return Guard("insert appointment type", [&]() -> Status {
      sql_ << "INSERT INTO appointment_types (id, name, minutes, qualification) VALUES (:id, :n, "
              ":m, :q)",
          soci::use(t.id, "id"), soci::use(t.name, "n"), soci::use(t.minutes, "m"),
          soci::use(t.qualification, "q");
      return Status::Ok();
    });
  }

  Result<std::vector<StoredProtocol>> Protocols() override {
    return Guard("read protocols", [&]() -> Result<std::vector<StoredProtocol>> {
      std::string id, body, at, by;
      soci::statement st = (sql_.prepare << "SELECT id, body, created_at, created_by FROM "
                                            "site_protocols ORDER BY id",
                            soci::into(id), soci::into(body), soci::into(at), soci::into(by));
      st.execute();
      std::vector<StoredProtocol> out;
      while (st.fetch()) out.push_back({id, body, ParseTs(at), by});
      return out;
    });
  }

  Status InsertProtocol(const StoredProtocol& p) override {
    return Guard("insert protocol", [&]() -> Status {
      std::string at = Ts(p.created_at);
      sql_ << "INSERT INTO site_protocols (id, body, created_at, created_by) VALUES (:id, :b, "
              ":at, :by)",
          soci::use(p.id, "id"), soci::use(p.body, "b"), soci::use(at, "at"),
          soci::use(p.created_by, "by");
      return Status::Ok();
    });
  }

  Status InsertAppointment(const Appointment& a) override {
    return Guard("insert appointment", [&]() -> Status {
      std::string pid = a.patient_id.value(), start = Ts(a.start), end = Ts(a.end),
                  created = Ts(a.created_at);
      std::string series = a.series_id.value_or(""), session = a.course_session_id.value_or(""),
                  reason = a.reason.value_or(""), status(Code(a.status));
      soci::indicator series_ind = a.series_id ? soci::i_ok : soci::i_null,
                      session_ind = a.course_session_id ? soci::i_ok : soci::i_null,
                      reason_ind = a.reason ? soci::i_ok : soci::i_null;
      sql_ << "INSERT INTO appointments (id, patient_id, type_id, chair_id, nurse, start_at, "
              "end_at, status, series_id, course_session_id, reason, created_by, created_at) "
              "VALUES (:id, :pid, :type, :chair, :nurse, :s, :e, :status, :series, :session, "
              ":reason, :by, :at)",
          soci::use(a.id, "id"), soci::use(pid, "pid"), soci::use(a.type_id, "type"),
          soci::use(a.chair_id, "chair"), soci::use(a.nurse, "nurse"), soci::use(start, "s"),
          soci::use(end, "e"), soci::use(status, "status"), soci::use(series, series_ind, "series"),
          soci::use(session, session_ind, "session"), soci::use(reason, reason_ind, "reason"),
          soci::use(a.created_by, "by"), soci::use(created, "at");
      if (a.status != AppointmentStatus::kBooked) return Status::Ok();
      std::string resource, unit;
      soci::statement st = (sql_.prepare << "INSERT INTO appointment_slots (resource, slot_start, "
                                            "appointment_id) VALUES (:r, :u, :a)",
                            soci::use(resource, "r"), soci::use(unit, "u"), soci::use(a.id, "a"));
      for (const auto& u : Units(a.start, a.end)) {
        unit = u;
        resource = "chair:" + a.chair_id;
        st.execute(true);
        resource = "nurse:" + a.nurse;
        st.execute(true);
      }
      return Status::Ok();
    });
  }

  Result<Appointment> GetAppointment(std::string_view id) override {
    std::string key(id);
    KC_ASSIGN_OR_RETURN(auto list, Select("WHERE a.id = :k", soci::use(key, "k")));
    if (list.empty()) return NotFound("no such appointment");
    return std::move(list.front());
  }

  Result<std::vector<Appointment>> Booked(Timestamp from, Timestamp to) override {
    std::string f = Ts(from), t = Ts(to);
    return Select(
        "WHERE a.status = 'booked' AND a.start_at < :t AND a.end_at > :f ORDER BY a.start_at, a.id",
        soci::use(t, "t"), soci::use(f, "f"));
  }

  Result<std::vector<Appointment>> PatientAppointments(const PatientId& patient) override {
    std::string key = patient.value();
    return Select("WHERE a.patient_id = :k ORDER BY a.start_at, a.id", soci::use(key, "k"));
  }

  Result<std::optional<Appointment>> FindClash(const std::string& chair_id,
                                               const std::string& nurse, Timestamp from,
                                               Timestamp to) override {
    std::string f = Ts(from), t = Ts(to);
    KC_ASSIGN_OR_RETURN(
        auto list,
        Select("WHERE a.status = 'booked' AND a.start_at < :t AND a.end_at > :f AND (a.chair_id = "
               ":c OR a.nurse = :n) ORDER BY a.start_at, a.id",
               soci::use(t, "t"), soci::use(f, "f"), soci::use(chair_id, "c"),
               soci::use(nurse, "n")));
    if (list.empty()) return std::optional<Appointment>();
    return std::optional<Appointment>(std::move(list.front()));
  }

  Status CloseAppointment(std::string_view id, AppointmentStatus status,
                          const std::string& reason) override {
    return Guard("close appointment", [&]() -> Status {
      std::string key(id), value(Code(status));
      soci::statement st =
          (sql_.prepare << "UPDATE appointments SET status = :s, reason = :r WHERE id = :id AND "
                           "status = 'booked'",
           soci::use(value, "s"), soci::use(reason, "r"), soci::use(key, "id"));
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        int n = 0;
        sql_ << "SELECT COUNT(*) FROM appointments WHERE id = :id", soci::use(key, "id"),
            soci::into(n);
        if (n == 0) return NotFound("no such appointment");
        return FailedPrecondition("the appointment is no longer booked");
      }
      sql_ << "DELETE FROM appointment_slots WHERE appointment_id = :id", soci::use(key, "id");
      return Status::Ok();
    });
  }

  Status InsertBookingRequest(const BookingRequest& r) override {
    return Guard("insert booking request", [&]() -> Status {
      std::string pid = r.patient_id.value(), created = Ts(r.created_at),
                  updated = Ts(r.updated_at), note = r.note.value_or(""), status(Code(r.status));
      soci::indicator note_ind = r.note ? soci::i_ok : soci::i_null;
      sql_ << "INSERT INTO booking_requests (id, patient_id, preferred, note, status, "
              "created_at, created_by, updated_at, updated_by) VALUES (:id, :pid, :pref, :note, "
              ":status, :ca, :cb, :ua, :ub)",
          soci::use(r.id, "id"), soci::use(pid, "pid"), soci::use(r.preferred, "pref"),
          soci::use(note, note_ind, "note"), soci::use(status, "status"), soci::use(created, "ca"),
          soci::use(r.created_by, "cb"), soci::use(updated, "ua"), soci::use(r.updated_by, "ub");
      return Status::Ok();
    });
  }

  Result<BookingRequest> GetBookingRequest(std::string_view id) override {
    KC_ASSIGN_OR_RETURN(auto list, SelectRequests("WHERE id = :k", std::string(id)));
    if (list.empty()) return NotFound("no such booking request");
    return std::move(list.front());
  }

  Result<std::vector<BookingRequest>> BookingRequests(
      const std::optional<BookingRequestStatus>& status,
      const std::optional<PatientId>& patient) override {
    if (status) {
      KC_ASSIGN_OR_RETURN(auto list,
                          SelectRequests("WHERE status = :k", std::string(Code(*status))));
      if (!patient) return list;
      std::vector<BookingRequest> out;
      for (auto& r : list) {
        if (r.patient_id == *patient) out.push_back(std::move(r));
      }
      return out;
    }
    if (patient) return SelectRequests("WHERE patient_id = :k", patient->value());
    return SelectRequests("WHERE id <> :k", "");
  }

  Status UpdateBookingRequest(const BookingRequest& r) override {
    return Guard("update booking request", [&]() -> Status {
      std::string updated = Ts(r.updated_at), appointment = r.appointment_id.value_or(""),
                  proposed = r.proposed.value_or(""), status(Code(r.status));
      soci::indicator appointment_ind = r.appointment_id ? soci::i_ok : soci::i_null,
                      proposed_ind = r.proposed ? soci::i_ok : soci::i_null;
      soci::statement st =
          (sql_.prepare << "UPDATE booking_requests SET status = :s, appointment_id = :a, "
                           "proposed = :p, updated_at = :ua, updated_by = :ub WHERE id = :id",
           soci::use(status, "s"), soci::use(appointment, appointment_ind, "a"),
           soci::use(proposed, proposed_ind, "p"), soci::use(updated, "ua"),
           soci::use(r.updated_by, "ub"), soci::use(r.id, "id"));
      st.execute(true);
      if (st.get_affected_rows() == 0) return NotFound("no such booking request");
      return Status::Ok();
    });
  }

  Result<bool> InsertReviewTask(const ReviewTask& t) override {
    return Guard("insert review task", [&]() -> Result<bool> {
      std::string pid = t.patient_id.value(), created = Ts(t.created_at), kind(Code(t.kind));
      // INSERT ... SELECT ... WHERE NOT EXISTS: idempotent on both back ends without a failed
      // statement (which would abort a PostgreSQL transaction).
      soci::statement st =
          (sql_.prepare
               << "INSERT INTO review_tasks (id, patient_id, course_id, kind, reason, "
                  "status, created_at) SELECT CAST(:id AS TEXT), CAST(:pid AS TEXT), "
                  "CAST(:course AS TEXT), CAST(:kind AS TEXT), CAST(:reason AS TEXT), "
                  "'open', CAST(:at AS TEXT) WHERE NOT EXISTS (SELECT 1 FROM review_tasks WHERE "
                  "course_id = :course2 AND kind = :kind2)",
           soci::use(t.id, "id"), soci::use(pid, "pid"), soci::use(t.course_id, "course"),
           soci::use(kind, "kind"), soci::use(t.reason, "reason"), soci::use(created, "at"),
           soci::use(t.course_id, "course2"), soci::use(kind, "kind2"));
      st.execute(true);
      return st.get_affected_rows() > 0;
    });
  }

  Result<ReviewTask> GetReviewTask(std::string_view id) override {
    KC_ASSIGN_OR_RETURN(auto list, SelectTasks("WHERE id = :k", std::string(id)));
    if (list.empty()) return NotFound("no such review task");
    return std::move(list.front());
  }

  Result<std::vector<ReviewTask>> ReviewTasks(const std::optional<ReviewStatus>& status) override {
    if (status) {
      return SelectTasks("WHERE status = :k ORDER BY created_at, id", std::string(Code(*status)));
    }
    return SelectTasks("WHERE id <> :k ORDER BY created_at, id", "");
  }

  Status CompleteReviewTask(std::string_view id, Timestamp at, const std::string& by,
                            const std::string& note) override {
    return Guard("complete review task", [&]() -> Status {
      std::string key(id), when = Ts(at);
      soci::statement st =
          (sql_.prepare << "UPDATE review_tasks SET status = 'completed', completed_at = :at, "
                           "completed_by = :by, note = :note WHERE id = :id AND status = 'open'",
           soci::use(when, "at"), soci::use(by, "by"), soci::use(note, "note"),
           soci::use(key, "id"));
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        return Status(StatusCode::kAborted, "the task was completed by someone else");
      }
      return Status::Ok();
    });
  }

  Status InsertBoosterDecision(const BoosterDecision& d) override {
    return Guard("insert booster decision", [&]() -> Status {
      std::string pid = d.patient_id.value(), at = Ts(d.decided_at),
                  pdate = d.proposed_date.value_or(""), reason = d.reason.value_or("");
      int pint = d.proposed_interval_days.value_or(0), accepted = d.accepted ? 1 : 0;
      soci::indicator pdate_ind = d.proposed_date ? soci::i_ok : soci::i_null,
                      pint_ind = d.proposed_interval_days ? soci::i_ok : soci::i_null,
                      reason_ind = d.reason ? soci::i_ok : soci::i_null;
      sql_ << "INSERT INTO booster_decisions (id, patient_id, proposed_date, "
              "proposed_interval_days, day, interval_days, accepted, reason, decided_by, "
              "decided_at) VALUES (:id, :pid, :pd, :pi, :d, :i, :acc, :r, :by, :at)",
          soci::use(d.id, "id"), soci::use(pid, "pid"), soci::use(pdate, pdate_ind, "pd"),
          soci::use(pint, pint_ind, "pi"), soci::use(d.date, "d"), soci::use(d.interval_days, "i"),
          soci::use(accepted, "acc"), soci::use(reason, reason_ind, "r"),
          soci::use(d.decided_by, "by"), soci::use(at, "at");
      return Status::Ok();
    });
  }

  Result<std::vector<BoosterDecision>> BoosterDecisions(const PatientId& patient) override {
    return Guard("read booster decisions", [&]() -> Result<std::vector<BoosterDecision>> {
      std::string pid = patient.value(), id, pdate, day, reason, by, at;
      int pint = 0, interval = 0, accepted = 0;
      soci::indicator pdate_ind = soci::i_null, pint_ind = soci::i_null, reason_ind = soci::i_null;
      soci::statement st =
          (sql_.prepare << "SELECT id, proposed_date, proposed_interval_days, day, interval_days, "
                           "accepted, reason, decided_by, decided_at FROM booster_decisions WHERE "
                           "patient_id = :pid ORDER BY decided_at DESC, id",
           soci::use(pid, "pid"), soci::into(id), soci::into(pdate, pdate_ind),
           soci::into(pint, pint_ind), soci::into(day), soci::into(interval), soci::into(accepted),
           soci::into(reason, reason_ind), soci::into(by), soci::into(at));
      st.execute();
      std::vector<BoosterDecision> out;
      while (st.fetch()) {
        out.push_back({id, patient, Opt(pdate, pdate_ind), Opt(pint, pint_ind), day, interval,
                       accepted != 0, Opt(reason, reason_ind), by, ParseTs(at)});
      }
      return out;
    });
  }

 private:
  // The appointments matching `tail` (a WHERE and ORDER BY clause) with `uses` bound.
  template <typename... Uses>
  Result<std::vector<Appointment>> Select(const std::string& tail, Uses&&... uses) {
    return Guard("read appointments", [&]() -> Result<std::vector<Appointment>> {
      AppointmentRow r;
      std::string query =
          std::string("SELECT ") + kAppointmentColumns + " FROM appointments a " + tail;
      soci::statement st =
          ((sql_.prepare << query, soci::into(r.id), soci::into(r.patient_id),
            soci::into(r.type_id), soci::into(r.chair_id), soci::into(r.nurse), soci::into(r.start),
            soci::into(r.end), soci::into(r.status), soci::into(r.series_id, r.series_ind),
            soci::into(r.session_id, r.session_ind), soci::into(r.reason, r.reason_ind),
            soci::into(r.created_by), soci::into(r.created_at)),
           ..., std::forward<Uses>(uses));
      st.execute();
      std::vector<Appointment> out;
      while (st.fetch()) out.push_back(r.ToAppointment());
      return out;
    });
  }

  Result<std::vector<BookingRequest>> SelectRequests(const std::string& where,
                                                     const std::string& key) {
    return Guard("read booking requests", [&]() -> Result<std::vector<BookingRequest>> {
      RequestRow r;
      std::string query =
          std::string("SELECT ") + kRequestColumns + " FROM booking_requests " + where +
          (where.find("ORDER") == std::string::npos ? " ORDER BY created_at DESC, id" : "");
      soci::statement st =
          (sql_.prepare << query, soci::use(key, "k"), soci::into(r.id), soci::into(r.patient_id),
           soci::into(r.preferred), soci::into(r.note, r.note_ind), soci::into(r.status),
           soci::into(r.appointment_id, r.appointment_ind), soci::into(r.proposed, r.proposed_ind),
           soci::into(r.created_at), soci::into(r.created_by), soci::into(r.updated_at),
           soci::into(r.updated_by));
      st.execute();
      std::vector<BookingRequest> out;
      while (st.fetch()) out.push_back(r.ToRequest());
      return out;
    });
  }

  Result<std::vector<ReviewTask>> SelectTasks(const std::string& where, const std::string& key) {
    return Guard("read review tasks", [&]() -> Result<std::vector<ReviewTask>> {
      TaskRow r;
      std::string query = std::string("SELECT ") + kTaskColumns + " FROM review_tasks " + where;
      soci::statement st =
          (sql_.prepare << query, soci::use(key, "k"), soci::into(r.id), soci::into(r.patient_id),
           soci::into(r.course_id), soci::into(r.kind), soci::into(r.reason), soci::into(r.status),
           soci::into(r.created_at), soci::into(r.completed_at, r.completed_at_ind),
           soci::into(r.completed_by, r.completed_by_ind), soci::into(r.note, r.note_ind));
      st.execute();
      std::vector<ReviewTask> out;
      while (st.fetch()) out.push_back(r.ToTask());
      return out;
    });
  }

  soci::session& sql_;
};

}  // namespace

std::unique_ptr<domain::ScheduleRepository> MakeScheduleRepository(soci::session& sql) {
  return std::make_unique<SociSchedule>(sql);
}

}  // namespace kclinic::store
