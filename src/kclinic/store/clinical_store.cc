#include "kclinic/store/clinical_store.h"

#include <nlohmann/json.hpp>

namespace kclinic::store {

using namespace domain;

namespace {

std::string ItemsToJson(const std::vector<std::optional<int>>& items) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& i : items) j.push_back(i ? nlohmann::json(*i) : nlohmann::json());
  return j.dump();
}

std::vector<std::optional<int>> ItemsFromJson(const std::string& text) {
  std::vector<std::optional<int>> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    out.push_back(v.is_number_integer() ? std::optional<int>(v.get<int>()) : std::nullopt);
  }
  return out;
}

std::string JoinFlags(const std::vector<std::string>& flags) {
  std::string out;
  for (const auto& f : flags) out += (out.empty() ? "" : ",") + f;
  return out;
}

std::vector<std::string> SplitFlags(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

struct CourseRow {
  std::string id, patient_id, kind, phase, clinician, started, created, by;
  Course ToCourse() const {
    return {id,
            PatientId(patient_id),
            kind,
            StoredCode<CoursePhase>(phase, "course phase"),
            clinician,
            ParseTs(started),
            ParseTs(created),
            by};
  }
};
const char* const kCourseColumns =
    "id, patient_id, kind, phase, primary_clinician, started_at, created_at, created_by";

struct AlertRow {
  std::string id, patient_id, assessment_id, kind, routed_to, created, ack_at, ack_by, action;
  soci::indicator assessment_ind = soci::i_null, ack_at_ind = soci::i_null,
                  ack_by_ind = soci::i_null, action_ind = soci::i_null;
  Alert ToAlert() const {
    Alert a{id,           PatientId(patient_id), std::nullopt, kind, routed_to, ParseTs(created),
            std::nullopt, std::nullopt,          std::nullopt};
    if (assessment_ind == soci::i_ok) a.assessment_id = assessment_id;
    if (ack_at_ind == soci::i_ok) a.acknowledged_at = ParseTs(ack_at);
    if (ack_by_ind == soci::i_ok) a.acknowledged_by = ack_by;
    if (action_ind == soci::i_ok) a.action = action;
    return a;
  }
};
const char* const kAlertColumns =
    "id, patient_id, assessment_id, kind, routed_to, created_at, acknowledged_at, "
    "acknowledged_by, action";

template <typename Into>
soci::statement PrepareAlerts(soci::session& sql, AlertRow& r, const std::string& query,
                              Into&& extra) {
  soci::statement st =
      (sql.prepare << query, soci::into(r.id), soci::into(r.patient_id),
       soci::into(r.assessment_id, r.assessment_ind), soci::into(r.kind), soci::into(r.routed_to),
       soci::into(r.created), soci::into(r.ack_at, r.ack_at_ind),
       soci::into(r.ack_by, r.ack_by_ind), soci::into(r.action, r.action_ind), extra);
  return st;
}

class SociCare final : public CareRepository {
 public:
  explicit SociCare(soci::session& sql) : sql_(sql) {}

  Status InsertCourse(const Course& c) override {
    return Guard("insert course", [&]() -> Status {
      std::string pid = c.patient_id.value(), started = Ts(c.started_at),
                  created = Ts(c.created_at), phase(Code(c.phase));
      sql_ << "INSERT INTO courses (" << kCourseColumns
           << ") VALUES (:id, :pid, :kind, :phase, :clinician, :started, :created, :by)",
          soci::use(c.id, "id"), soci::use(pid, "pid"), soci::use(c.kind, "kind"),
          soci::use(phase, "phase"), soci::use(c.primary_clinician, "clinician"),
          soci::use(started, "started"), soci::use(created, "created"),
          soci::use(c.created_by, "by");
      return Status::Ok();
    });
  }

  Result<Course> GetCourse(std::string_view id) override {
    auto courses = SelectCourses("WHERE id = :key", std::string(id));
    if (!courses.ok()) return courses.status();
    if (courses->empty()) return NotFound("no such course");
    return std::move(courses->front());
  }

  Result<std::vector<Course>> Courses(const PatientId& patient) override {
    return SelectCourses("WHERE patient_id = :key ORDER BY started_at, id", patient.value());
  }

  Result<std::vector<PatientId>> PatientsInTreatment() override {
    return Guard("read patients in treatment", [&]() -> Result<std::vector<PatientId>> {
      std::string pid;
      soci::statement st = (sql_.prepare << "SELECT DISTINCT patient_id FROM courses WHERE phase "
                                            "IN ('induction', 'maintenance') ORDER BY patient_id",
                            soci::into(pid));
      st.execute();
      std::vector<PatientId> out;
      while (st.fetch()) out.emplace_back(pid);
      return out;
    });
  }

  Status UpdateCoursePhase(std::string_view id, CoursePhase phase) override {
    return Guard("update course", [&]() -> Status {
      std::string key(id), value(Code(phase));
      soci::statement st = (sql_.prepare << "UPDATE courses SET phase = :phase WHERE id = :id",
                            soci::use(value, "phase"), soci::use(key, "id"));
      st.execute(true);
      if (st.get_affected_rows() == 0) return NotFound("no such course");
      return Status::Ok();
    });
  }

  Status InsertSession(const CourseSession& s) override {
    return Guard("insert course session", [&]() -> Status {
      std::string at = Ts(s.at), recorded = Ts(s.recorded_at), status(Code(s.status));
      sql_ << "INSERT INTO course_sessions (id, course_id, at, status, recorded_at, recorded_by) "
              "VALUES (:id, :course, :at, :status, :recorded, :by)",
          soci::use(s.id, "id"), soci::use(s.course_id, "course"), soci::use(at, "at"),
          soci::use(status, "status"), soci::use(recorded, "recorded"),
          soci::use(s.recorded_by, "by");
      return Status::Ok();
    });
  }

  Status UpdateSession(std::string_view id, Timestamp at, CourseSessionStatus status) override {
    return Guard("update course session", [&]() -> Status {
      std::string key(id), when = Ts(at), value(Code(status));
      soci::statement st =
          (sql_.prepare << "UPDATE course_sessions SET at = :at, status = :status WHERE id = :id",
           soci::use(when, "at"), soci::use(value, "status"), soci::use(key, "id"));
      st.execute(true);
      if (st.get_affected_rows() == 0) return NotFound("no such course session");
      return Status::Ok();
    });
  }

  Result<std::vector<CourseSession>> Sessions(const PatientId& patient) override {
    return Guard("read course sessions", [&]() -> Result<std::vector<CourseSession>> {
      std::string pid = patient.value(), id, course, at, status, recorded, by;
      soci::statement st =
          (sql_.prepare << "SELECT s.id, s.course_id, s.at, s.status, s.recorded_at, "
                           "s.recorded_by FROM course_sessions s JOIN courses c ON c.id = "
                           "s.course_id WHERE c.patient_id = :pid ORDER BY s.at, s.id",
           soci::use(pid, "pid"), soci::into(id), soci::into(course), soci::into(at),
           soci::into(status), soci::into(recorded), soci::into(by));
      st.execute();
      std::vector<CourseSession> out;
      while (st.fetch()) {
        out.push_back({id, course, ParseTs(at),
                       StoredCode<CourseSessionStatus>(status, "course session status"),
                       ParseTs(recorded), by});
      }
      return out;
    });
  }

  Status InsertAssessment(const AssessmentRecord& a) override {
    return Guard("insert assessment", [&]() -> Status {
      std::string pid = a.patient_id.value(), at = Ts(a.administered_at),
                  items = ItemsToJson(a.items), flags = JoinFlags(a.flags),
                  entered = Ts(a.entered_at);
      double total = a.total.value_or(0);
      soci::indicator total_ind = a.total ? soci::i_ok : soci::i_null;
      int prorated = a.prorated ? 1 : 0;
      std::string reason = a.backdate_reason.value_or("");
      soci::indicator reason_ind = a.backdate_reason ? soci::i_ok : soci::i_null;
      sql_ << "INSERT INTO assessments (id, patient_id, instrument, administered_at, items, total, "
              "severity, flags, prorated, source, entered_by, entered_at, backdate_reason) "
              "VALUES (:id, :pid, :instrument, :at, :items, :total, :severity, :flags, "
              ":prorated, :source, :by, :entered, :reason)",
          soci::use(a.id, "id"), soci::use(pid, "pid"), soci::use(a.instrument, "instrument"),
          soci::use(at, "at"), soci::use(items, "items"), soci::use(total, total_ind, "total"),
          soci::use(a.severity, "severity"), soci::use(flags, "flags"),
          soci::use(prorated, "prorated"), soci::use(a.source, "source"),
          soci::use(a.entered_by, "by"), soci::use(entered, "entered"),
          soci::use(reason, reason_ind, "reason");
      return Status::Ok();
    });
  }

  Result<std::vector<AssessmentRecord>> Assessments(const PatientId& patient) override {
    return Guard("read assessments", [&]() -> Result<std::vector<AssessmentRecord>> {
      std::string pid = patient.value(), id, instrument, at, items, severity, flags, source, by,
                  entered, reason;
      double total = 0;
      soci::indicator total_ind = soci::i_null, reason_ind = soci::i_null;
      int prorated = 0;
      soci::statement st =
          (sql_.prepare << "SELECT id, instrument, administered_at, items, total, severity, "
                           "flags, prorated, source, entered_by, entered_at, backdate_reason "
                           "FROM assessments WHERE patient_id = :pid ORDER BY administered_at, id",
           soci::use(pid, "pid"), soci::into(id), soci::into(instrument), soci::into(at),
           soci::into(items), soci::into(total, total_ind), soci::into(severity), soci::into(flags),
           soci::into(prorated), soci::into(source), soci::into(by), soci::into(entered),
           soci::into(reason, reason_ind));
      st.execute();
      std::vector<AssessmentRecord> out;
      while (st.fetch()) {
        AssessmentRecord a;
        a.id = id;
        a.patient_id = patient;
        a.instrument = instrument;
        a.administered_at = ParseTs(at);
        a.items = ItemsFromJson(items);
        if (total_ind == soci::i_ok) a.total = total;
        a.severity = severity;
        a.flags = SplitFlags(flags);
        a.prorated = prorated != 0;
        a.source = source;
        a.entered_by = by;
        a.entered_at = ParseTs(entered);
        if (reason_ind == soci::i_ok) a.backdate_reason = reason;
        out.push_back(std::move(a));
      }
      return out;
    });
  }

  Status InsertAlert(const Alert& a) override {
    return Guard("insert alert", [&]() -> Status {
      std::string pid = a.patient_id.value(), created = Ts(a.created_at),
                  assessment = a.assessment_id.value_or("");
      soci::indicator assessment_ind = a.assessment_id ? soci::i_ok : soci::i_null;
      sql_ << "INSERT INTO alerts (id, patient_id, assessment_id, kind, routed_to, created_at) "
              "VALUES (:id, :pid, :assessment, :kind, :routed, :created)",
          soci::use(a.id, "id"), soci::use(pid, "pid"),
          soci::use(assessment, assessment_ind, "assessment"), soci::use(a.kind, "kind"),
          soci::use(a.routed_to, "routed"), soci::use(created, "created");
      return Status::Ok();
    });
  }

  Result<Alert> GetAlert(std::string_view id) override {
    return Guard("read alert", [&]() -> Result<Alert> {
      AlertRow r;
      std::string key(id);
      soci::statement st = PrepareAlerts(
          sql_, r, std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id = :key",
          soci::use(key, "key"));
      st.execute();
      std::optional<Alert> found;
      while (st.fetch()) found = r.ToAlert();
      if (!found) return NotFound("no such alert");
      return std::move(*found);
    });
  }

  Result<std::vector<Alert>> Alerts(bool include_closed, int limit) override {
    return Guard("read alerts", [&]() -> Result<std::vector<Alert>> {
      std::vector<Alert> out;
      AlertRow r;
      {
        soci::statement st = PrepareAlerts(
            sql_, r,
            std::string("SELECT ") + kAlertColumns +
                " FROM alerts WHERE acknowledged_at IS NULL ORDER BY created_at, id LIMIT :limit",
            soci::use(limit, "limit"));
        st.execute();
        while (st.fetch()) out.push_back(r.ToAlert());
      }
      if (include_closed && static_cast<int>(out.size()) < limit) {
        int rest = limit - static_cast<int>(out.size());
        soci::statement st = PrepareAlerts(
            sql_, r,
            std::string("SELECT ") + kAlertColumns +
                " FROM alerts WHERE acknowledged_at IS NOT NULL ORDER BY acknowledged_at DESC, "
                "id LIMIT :limit",
            soci::use(rest, "limit"));
        st.execute();
        while (st.fetch()) out.push_back(r.ToAlert());
      }
      return out;
    });
  }

  Status AcknowledgeAlert(std::string_view id, Timestamp at, std::string_view by,
                          std::string_view action) override {
    return Guard("acknowledge alert", [&]() -> Status {
      std::string key(id), when = Ts(at), who(by), what(action);
      soci::statement st =
          (sql_.prepare << "UPDATE alerts SET acknowledged_at = :at, acknowledged_by = :by, "
                           "action = :action WHERE id = :id AND acknowledged_at IS NULL",
           soci::use(when, "at"), soci::use(who, "by"), soci::use(what, "action"),
           soci::use(key, "id"));
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        return Status(StatusCode::kAborted, "the alert was already acknowledged");
      }
      return Status::Ok();
    });
  }

  Result<SiteText> GetText(std::string_view key) override {
    return Guard("read site text", [&]() -> Result<SiteText> {
      std::string k(key), value, at, by, reason;
      long long version = 0;
      soci::statement st =
          (sql_.prepare << "SELECT version, value, changed_at, changed_by, reason FROM site_texts "
                           "WHERE key = :key ORDER BY version DESC LIMIT 1",
           soci::use(k, "key"), soci::into(version), soci::into(value), soci::into(at),
           soci::into(by), soci::into(reason));
      st.execute();
      if (!st.fetch()) return NotFound("no such text");
      return SiteText{k, version, value, ParseTs(at), by, reason};
    });
  }

  Status InsertText(const SiteText& t) override {
    return Guard("write site text", [&]() -> Status {
      long long version = t.version;
      std::string at = Ts(t.changed_at);
      sql_ << "INSERT INTO site_texts (key, version, value, changed_at, changed_by, reason) "
              "VALUES (:key, :version, :value, :at, :by, :reason)",
          soci::use(t.key, "key"), soci::use(version, "version"), soci::use(t.value, "value"),
          soci::use(at, "at"), soci::use(t.changed_by, "by"), soci::use(t.reason, "reason");
      return Status::Ok();
    });
  }

 private:
  Result<std::vector<Course>> SelectCourses(const std::string& where, std::string key) {
    return Guard("read courses", [&]() -> Result<std::vector<Course>> {
      CourseRow r;
      soci::statement st =
          (sql_.prepare << std::string("SELECT ") + kCourseColumns + " FROM courses " + where,
           soci::use(key, "key"), soci::into(r.id), soci::into(r.patient_id), soci::into(r.kind),
           soci::into(r.phase), soci::into(r.clinician), soci::into(r.started),
           soci::into(r.created), soci::into(r.by));
      st.execute();
      std::vector<Course> out;
      while (st.fetch()) out.push_back(r.ToCourse());
      return out;
    });
  }

  soci::session& sql_;
};

// The typed figures of an infusion plan as SOCI binds them: NULL (i_null) for a figure a plan
// saved before migration 0008 lacked. SOCI 4.0 has no std::optional support.
struct PlanFigures {
  double value[8] = {0, 0, 0, 0,
                     0, 0, 0, 0};  // dose, mg/kg, dosing, actual, conc, volume, rate, min
  soci::indicator ind[8] = {soci::i_null, soci::i_null, soci::i_null, soci::i_null,
                            soci::i_null, soci::i_null, soci::i_null, soci::i_null};
  std::string basis;
  soci::indicator basis_ind = soci::i_null;

  PlanFigures() = default;
  explicit PlanFigures(const PlannedDose& d) {
    const std::optional<double> v[8] = {
        Value(d.dose),          Value(d.mg_per_kg), Value(d.dosing_weight), Value(d.actual_weight),
        Value(d.concentration), Value(d.volume),    Value(d.rate),          Value(d.minutes)};
    for (int i = 0; i < 8; ++i) {
      if (v[i]) {
        value[i] = *v[i];
        ind[i] = soci::i_ok;
      }
    }
    if (d.weight_basis) {
      basis = *d.weight_basis;
      basis_ind = soci::i_ok;
    }
  }
  PlannedDose ToPlannedDose() const {
    PlannedDose d;
    Set(d.dose, 0);
    Set(d.mg_per_kg, 1);
    Set(d.dosing_weight, 2);
    Set(d.actual_weight, 3);
    Set(d.concentration, 4);
    Set(d.volume, 5);
    Set(d.rate, 6);
    Set(d.minutes, 7);
    if (basis_ind == soci::i_ok) d.weight_basis = basis;
    return d;
  }

 private:
  template <typename Q>
  static std::optional<double> Value(const std::optional<Q>& q) {
    return q ? std::optional<double>(q->value()) : std::nullopt;
  }
  template <typename Q>
  void Set(std::optional<Q>& q, int i) const {
    if (ind[i] == soci::i_ok) q = Q(value[i]);
  }
};

class SociScreening final : public ScreeningRepository {
 public:
  explicit SociScreening(soci::session& sql) : sql_(sql) {}

  Status InsertIntake(IntakeRecord& intake) override {
    return Guard("insert intake", [&]() -> Status {
      std::string pid = intake.patient_id.value(), created = Ts(intake.created_at);
      int version = 0;
      soci::indicator ind = soci::i_null;
      sql_ << "SELECT MAX(version) FROM intakes WHERE patient_id = :pid", soci::use(pid, "pid"),
          soci::into(version, ind);
      intake.version = (ind == soci::i_ok ? version : 0) + 1;
      sql_ << "INSERT INTO intakes (id, patient_id, version, body, created_at, created_by) VALUES "
              "(:id, :pid, :version, :body, :created, :by)",
          soci::use(intake.id, "id"), soci::use(pid, "pid"), soci::use(intake.version, "version"),
          soci::use(intake.body, "body"), soci::use(created, "created"),
          soci::use(intake.created_by, "by");
      return Status::Ok();
    });
  }

  Result<IntakeRecord> GetIntake(std::string_view id) override {
    return SelectIntake("WHERE id = :key", std::string(id));
  }

  Result<IntakeRecord> LatestIntake(const PatientId& patient) override {
    return SelectIntake("WHERE patient_id = :key ORDER BY version DESC LIMIT 1", patient.value());
  }

  Status InsertDecision(const ScreeningDecisionRecord& d) override {
    return Guard("insert screening decision", [&]() -> Status {
      std::string pid = d.patient_id.value(), at = Ts(d.decided_at), decision(Code(d.decision));
      long long settings_version = d.settings_version;
      sql_ << "INSERT INTO screening_decisions (id, patient_id, intake_id, decision, reason, "
              "rules_version, settings_version, findings, decided_at, decided_by) VALUES (:id, "
              ":pid, :intake, :decision, :reason, :rules, :settings, :findings, :at, :by)",
          soci::use(d.id, "id"), soci::use(pid, "pid"), soci::use(d.intake_id, "intake"),
          soci::use(decision, "decision"), soci::use(d.reason, "reason"),
          soci::use(d.rules_version, "rules"), soci::use(settings_version, "settings"),
          soci::use(d.findings, "findings"), soci::use(at, "at"), soci::use(d.decided_by, "by");
      return Status::Ok();
    });
  }

  Result<std::vector<ScreeningDecisionRecord>> Decisions(const PatientId& patient) override {
    return Guard("read screening decisions", [&]() -> Result<std::vector<ScreeningDecisionRecord>> {
      std::string pid = patient.value(), id, intake, decision, reason, rules, findings, at, by;
      long long settings_version = 0;
      soci::statement st =
          (sql_.prepare << "SELECT id, intake_id, decision, reason, rules_version, "
                           "settings_version, findings, decided_at, decided_by FROM "
                           "screening_decisions WHERE patient_id = :pid ORDER BY "
                           "decided_at DESC, id",
           soci::use(pid, "pid"), soci::into(id), soci::into(intake), soci::into(decision),
           soci::into(reason), soci::into(rules), soci::into(settings_version),
           soci::into(findings), soci::into(at), soci::into(by));
      st.execute();
      std::vector<ScreeningDecisionRecord> out;
      while (st.fetch()) {
        out.push_back({id, patient, intake,
                       StoredCode<ScreeningDecision>(decision, "screening decision"), reason, rules,
                       settings_version, findings, ParseTs(at), by});
      }
      return out;
    });
  }

  Status InsertPlan(const InfusionPlanRecord& p) override {
    return Guard("insert infusion plan", [&]() -> Status {
      std::string pid = p.patient_id.value(), at = Ts(p.created_at);
      long long settings_version = p.settings_version;
      PlanFigures f(p.dose);
      sql_ << "INSERT INTO infusion_plans (id, patient_id, decision_id, body, settings_version, "
              "created_at, created_by, dose_mg, mg_per_kg, weight_basis, dosing_weight_kg, "
              "actual_weight_kg, concentration_mg_per_ml, volume_ml, rate_ml_per_h, minutes) "
              "VALUES (:id, :pid, :decision, :body, :settings, :at, :by, :dose, :mgkg, :basis, "
              ":dosing, :actual, :conc, :volume, :rate, :minutes)",
          soci::use(p.id, "id"), soci::use(pid, "pid"), soci::use(p.decision_id, "decision"),
          soci::use(p.body, "body"), soci::use(settings_version, "settings"), soci::use(at, "at"),
          soci::use(p.created_by, "by"), soci::use(f.value[0], f.ind[0], "dose"),
          soci::use(f.value[1], f.ind[1], "mgkg"), soci::use(f.basis, f.basis_ind, "basis"),
          soci::use(f.value[2], f.ind[2], "dosing"), soci::use(f.value[3], f.ind[3], "actual"),
          soci::use(f.value[4], f.ind[4], "conc"), soci::use(f.value[5], f.ind[5], "volume"),
          soci::use(f.value[6], f.ind[6], "rate"), soci::use(f.value[7], f.ind[7], "minutes");
      return Status::Ok();
    });
  }

  Result<std::vector<InfusionPlanRecord>> Plans(const PatientId& patient) override {
    return Guard("read infusion plans", [&]() -> Result<std::vector<InfusionPlanRecord>> {
      std::string pid = patient.value(), id, decision, body, at, by;
      long long settings_version = 0;
      PlanFigures f;
      soci::statement st =
          (sql_.prepare << "SELECT id, decision_id, body, settings_version, created_at, "
                           "created_by, dose_mg, mg_per_kg, weight_basis, dosing_weight_kg, "
                           "actual_weight_kg, concentration_mg_per_ml, volume_ml, rate_ml_per_h, "
                           "minutes FROM infusion_plans WHERE patient_id = :pid ORDER BY "
                           "created_at DESC, id",
           soci::use(pid, "pid"), soci::into(id), soci::into(decision), soci::into(body),
           soci::into(settings_version), soci::into(at), soci::into(by),
           soci::into(f.value[0], f.ind[0]), soci::into(f.value[1], f.ind[1]),
           soci::into(f.basis, f.basis_ind), soci::into(f.value[2], f.ind[2]),
           soci::into(f.value[3], f.ind[3]), soci::into(f.value[4], f.ind[4]),
           soci::into(f.value[5], f.ind[5]), soci::into(f.value[6], f.ind[6]),
           soci::into(f.value[7], f.ind[7]));
      st.execute();
      std::vector<InfusionPlanRecord> out;
      while (st.fetch()) {
        out.push_back(
            {id, patient, decision, body, settings_version, ParseTs(at), by, f.ToPlannedDose()});
        f = PlanFigures();
      }
      return out;
    });
  }

 private:
  Result<IntakeRecord> SelectIntake(const std::string& where, std::string key) {
    return Guard("read intake", [&]() -> Result<IntakeRecord> {
      std::string id, pid, body, created, by;
      int version = 0;
      soci::statement st =
          (sql_.prepare << "SELECT id, patient_id, version, body, created_at, created_by FROM "
                           "intakes " +
                               where,
           soci::use(key, "key"), soci::into(id), soci::into(pid), soci::into(version),
           soci::into(body), soci::into(created), soci::into(by));
      st.execute();
      if (!st.fetch()) return NotFound("no intake");
      return IntakeRecord{id, PatientId(pid), version, body, ParseTs(created), by};
    });
  }

  soci::session& sql_;
};

}  // namespace

std::unique_ptr<CareRepository> MakeCareRepository(soci::session& sql) {
  return std::make_unique<SociCare>(sql);
}

std::unique_ptr<ScreeningRepository> MakeScreeningRepository(soci::session& sql) {
  return std::make_unique<SociScreening>(sql);
}

}  // namespace kclinic::store
