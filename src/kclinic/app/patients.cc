#include "kclinic/app/patients.h"

#include "kclinic/app/audit.h"
#include "kclinic/app/patient_fetcher.h"
#include "kclinic/base/crypto.h"

namespace kclinic::app {

using domain::Actor;
using domain::Patient;
using namespace std::chrono;

Result<domain::PatientPage> PatientService::Search(const Actor& actor, domain::PatientQuery query) {
  if (actor.role == domain::Role::kPatient) {
    KC_RETURN_IF_ERROR(RecordDenial(env_, &actor, "patient.search", "", "patients cannot search"));
    return PermissionDenied("patients cannot search the patient list");
  }
  if (query.limit < 1 || query.limit > 100) {
    return InvalidArgument("limit", "must be between 1 and 100");
  }
  if (query.name_prefix.size() > 100) return InvalidArgument("q", "must be at most 100 characters");
  domain::PatientPage page;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    KC_ASSIGN_OR_RETURN(page, tx->patients().Search(query));
  }
  // Each record shown in a result list counts as read.
  std::vector<domain::AuditEvent> events;
  for (const Patient& p : page.items) {
    events.push_back(MakeEvent(env_, &actor, "patient.list", "patient", "success", p.id.value()));
  }
  if (events.empty()) {
    events.push_back(
        MakeEvent(env_, &actor, "patient.list", "patient", "success", "", "no results"));
  }
  KC_RETURN_IF_ERROR(env_.audit.AppendAll(std::move(events)));
  return page;
}

Result<std::shared_ptr<const Patient>> PatientService::Get(const Actor& actor,
                                                           const PatientId& id) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, id, "patient.read"));
  int64_t served_rev = 0;
  auto patient = [&]() -> Result<std::shared_ptr<const Patient>> {
    // From memory when the store caches patients (SQLite; soci_store.h): the same record a read
    // transaction would return, since every commit that changes a patient evicts it.
    if (auto cached = env_.store.CachedPatient(id)) return cached;
    // On an event loop, first attempt: a record the store read earlier (PostgreSQL), answered
    // with only if the append of this read's audit event confirms it is still current; if not,
    // the server reads it again before answering (served_rev; http/server.cc).
    if (NonBlockingScope::FirstAttempt()) {
      auto recent = env_.store.RecentPatient(id);
      if (recent.record) {
        served_rev = recent.rev;
        return std::move(recent.record);
      }
    }
    // On an event loop: the record app::PatientFetcher read for this request after it arrived,
    // or a refusal that asks the server to fetch it.
    if (auto fetched = NonBlockingScope::FetchedOrWant(id)) return fetched;
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    KC_ASSIGN_OR_RETURN(Patient read, tx->patients().Get(id));
    return std::make_shared<const Patient>(std::move(read));
  }();
  // An attempt on the event loop that lacked the record ends here: the server tries again with
  // the record or on the worker pool, and that attempt is the one audited.
  if (!patient.ok() && NonBlockingScope::Refused()) return patient.status();
  // The attempt is audited whether or not the record exists; the transaction is closed first so
  // that its connection is free while the event is written.
  domain::AuditEvent event =
      MakeEvent(env_, &actor, "patient.read", "patient", patient.ok() ? "success" : "failure",
                id.value(), patient.ok() ? "" : "not found");
  event.served_rev = served_rev;
  KC_RETURN_IF_ERROR(env_.audit.Append(std::move(event)));
  return patient;
}

Result<RegistrationOutcome> PatientService::Register(const Actor& actor, codec::Registration reg) {
  const Timestamp now = env_.clock.Now();
  const auto today = DateOf(now);
  Patient p;
  p.id = PatientId(NewId());
  p.version = 1;
  p.fields = domain::NormalizeFields(std::move(reg.fields));
  KC_RETURN_IF_ERROR(domain::ValidatePatientFields(p.fields, today));
  if (reg.weight) {
    KC_RETURN_IF_ERROR(
        domain::ValidateWeight(reg.weight->second, reg.weight->first, p.fields.birth_date, today));
    p.weights.push_back(
        {WeightId(NewId()), reg.weight->first, reg.weight->second, now, actor.username});
  }
  p.created_at = p.updated_at = now;
  RegistrationOutcome out;
  out.warnings = domain::PlausibilityWarnings(
      p.fields.height_cm, reg.weight ? std::optional<Kilograms>(reg.weight->second) : std::nullopt,
      env_.settings.Get(), "weight.kg");
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  // The same person registered twice: the same name (letter case aside) and birth date.
  domain::PatientQuery same_name;
  same_name.name_prefix = p.fields.name.given + " " + p.fields.name.family;
  same_name.limit = 100;
  KC_ASSIGN_OR_RETURN(auto page, tx->patients().Search(same_name));
  for (auto& other : page.items) {
    if (domain::NameKey(other.fields.name.given) == domain::NameKey(p.fields.name.given) &&
        domain::NameKey(other.fields.name.family) == domain::NameKey(p.fields.name.family) &&
        other.fields.birth_date == p.fields.birth_date) {
      out.duplicates.push_back(std::move(other));
    }
  }
  if (!out.duplicates.empty()) {
    out.warnings.push_back(
        {"duplicate", "name",
         out.duplicates.size() == 1
             ? std::string("A patient with this name and birth date is already registered")
             : std::to_string(out.duplicates.size()) +
                   " patients with this name and birth date are already registered"});
  }
  std::vector<domain::AuditEvent> events;
  // The records a warning shows are reads of them.
  for (const auto& d : out.duplicates) {
    events.push_back(MakeEvent(env_, &actor, "patient.list", "patient", "success", d.id.value(),
                               "same name and birth date as a new registration"));
  }
  if (!out.warnings.empty() && !reg.confirm) {
    if (!events.empty()) {
      KC_RETURN_IF_ERROR(tx->audit().Append(events));
      KC_RETURN_IF_ERROR(tx->Commit());
    }
    return out;
  }
  KC_RETURN_IF_ERROR(tx->patients().Insert(p, {now, actor.username, std::nullopt}));
  std::string confirmed;
  for (const auto& w : out.warnings)
    confirmed += (confirmed.empty() ? "confirmed: " : ", ") + w.code;
  events.push_back(
      MakeEvent(env_, &actor, "patient.create", "patient", "success", p.id.value(), confirmed));
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  out.patient = std::move(p);
  return out;
}

Result<Patient> PatientService::Update(const Actor& actor, const PatientId& id,
                                       const codec::PatchRequest& request) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, id, "patient.update"));
  const Timestamp now = env_.clock.Now();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(Patient p, tx->patients().Get(id));
  domain::PatientFields updated =
      domain::NormalizeFields(domain::ApplyPatch(p.fields, request.patch));
  KC_RETURN_IF_ERROR(domain::ValidatePatientFields(updated, DateOf(now)));
  if (updated == p.fields) return p;  // nothing changed: no new version
  p.fields = std::move(updated);
  p.version += 1;
  p.updated_at = now;
  KC_RETURN_IF_ERROR(tx->patients().Update(p, {now, actor.username, request.reason}));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "patient.update", "patient",
                                                   "success", id.value(),
                                                   "version=" + std::to_string(p.version))};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return p;
}

Result<WeightOutcome> PatientService::AddWeight(const Actor& actor, const PatientId& id,
                                                year_month_day date, Kilograms kg, bool confirm) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, id, "patient.weight_add"));
  const Timestamp now = env_.clock.Now();
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
  KC_ASSIGN_OR_RETURN(Patient p, tx->patients().Get(id));
  KC_RETURN_IF_ERROR(domain::ValidateWeight(kg, date, p.fields.birth_date, DateOf(now), ""));
  WeightOutcome out;
  // Only the BMI: the height is the record's, confirmed when it was entered.
  for (auto& w : domain::PlausibilityWarnings(p.fields.height_cm, kg, env_.settings.Get(), "kg")) {
    if (w.code == "bmi") out.warnings.push_back(std::move(w));
  }
  if (!out.warnings.empty() && !confirm) return out;
  domain::WeightEntry w{WeightId(NewId()), date, kg, now, actor.username};
  KC_RETURN_IF_ERROR(tx->patients().AddWeight(id, w));
  std::vector<domain::AuditEvent> events{MakeEvent(env_, &actor, "patient.weight_add",
                                                   "patient/weights", "success", id.value(),
                                                   out.warnings.empty() ? "" : "confirmed: bmi")};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  out.weight = std::move(w);
  return out;
}

Result<std::vector<domain::PatientVersion>> PatientService::History(const Actor& actor,
                                                                    const PatientId& id) {
  KC_RETURN_IF_ERROR(CheckPatientReach(env_, actor, id, "patient.history"));
  auto history = [&]() -> Result<std::vector<domain::PatientVersion>> {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kRead));
    KC_RETURN_IF_ERROR(tx->patients().Get(id).status());
    return tx->patients().History(id);
  }();
  KC_RETURN_IF_ERROR(
      env_.audit.Append(MakeEvent(env_, &actor, "patient.history", "patient/history",
                                  history.ok() ? "success" : "failure", id.value())));
  return history;
}

Result<AuditVerification> VerifyAuditTrail(
    domain::Store& store, const std::function<void(const domain::AuditEvent&)>& on_event) {
  AuditVerification out;
  domain::AuditChainVerifier verifier;
  // One snapshot, so that events appended while we read cannot look like a broken head.
  KC_ASSIGN_OR_RETURN(auto tx, store.Begin(domain::TxMode::kSnapshot));
  int64_t after = 0;
  for (;;) {
    KC_ASSIGN_OR_RETURN(auto events, tx->audit().Scan(after, 5000));
    if (events.empty()) break;
    for (const auto& e : events) {
      if (auto problem = verifier.Feed(e)) {
        out.first_bad_seq = e.seq;
        out.problem = *problem;
        out.events_checked = verifier.events_checked();
        return out;
      }
      if (on_event) on_event(e);
      after = e.seq;
    }
  }
  out.events_checked = verifier.events_checked();
  // The head row catches what the chain alone cannot: events cut off the end of the trail.
  KC_ASSIGN_OR_RETURN(auto head, tx->audit().Head());
  if (head.first != out.events_checked || head.second != verifier.last_hash()) {
    out.first_bad_seq = out.events_checked + 1;
    out.problem = head.first > out.events_checked
                      ? "the trail ends at event " + std::to_string(out.events_checked) +
                            " but the chain head records " + std::to_string(head.first) +
                            " (events were deleted from the end)"
                      : "the chain head does not match the last event (the head was edited)";
  }
  return out;
}

Result<std::vector<domain::AuditEvent>> RecentAudit(const Env& env, const Actor& actor, int limit,
                                                    const std::string& patient_id) {
  if (limit < 1 || limit > 1000) return InvalidArgument("limit", "must be between 1 and 1000");
  if (!patient_id.empty() && !IsWellFormedId(patient_id)) {
    return InvalidArgument("patient_id", "is not a patient id (32 hex digits)");
  }
  std::vector<domain::AuditEvent> events;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kRead));
    KC_ASSIGN_OR_RETURN(events, tx->audit().Recent(limit, patient_id));
  }
  KC_RETURN_IF_ERROR(
      env.audit.Append(MakeEvent(env, &actor, "audit.read", "audit", "success", patient_id)));
  return events;
}

Result<std::vector<domain::AuditEvent>> QueryAudit(const Env& env, const Actor& actor,
                                                   const domain::AuditQuery& query, bool exported,
                                                   std::string filters) {
  if (!query.patient_id.empty() && !IsWellFormedId(query.patient_id)) {
    return InvalidArgument("patient_id", "is not a patient id (32 hex digits)");
  }
  std::vector<domain::AuditEvent> events;
  {
    KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kRead));
    KC_ASSIGN_OR_RETURN(events, tx->audit().Query(query));
  }
  std::string detail = std::move(filters);
  if (!detail.empty()) detail += "; ";
  detail += "rows=" + std::to_string(events.size());
  KC_RETURN_IF_ERROR(
      env.audit.Append(MakeEvent(env, &actor, exported ? "audit.export" : "audit.read", "audit",
                                 "success", query.patient_id, detail)));
  return events;
}

}  // namespace kclinic::app
