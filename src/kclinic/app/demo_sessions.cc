#include "kclinic/app/demo_sessions.h"

#include "kclinic/app/demo_ledger.h"
#include "kclinic/app/ledger.h"
#include "kclinic/base/crypto.h"
#include "kclinic/domain/scales/scoring.h"
#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/domain/schedule/ports.h"
#include "kclinic/domain/session/ports.h"

namespace kclinic::app {

namespace {

namespace ses = domain::session;
using std::chrono::days;
using std::chrono::floor;
using std::chrono::hours;
using std::chrono::minutes;

template <typename T>
Status Ok(const Result<T>& r) {
  return r.status();
}
#define KC_DEMO(expr) KC_RETURN_IF_ERROR(Ok(expr))

ses::PrecheckFacts Facts(const domain::Patient& p, Timestamp now) {
  ses::PrecheckFacts f;
  f.decision = domain::ScreeningDecision::kApprove;
  f.decided_at = now - days(159);
  f.consent_at = now - days(160);
  f.escort_name = p.fields.escort.name;
  f.phq9_at = now - hours(2);
  f.birth_date = p.fields.birth_date;
  f.sex = p.fields.sex;
  return f;
}

ses::NurseChecks Checks(const domain::Patient& p, Timestamp at) {
  const int age = ses::AgeOn(p.fields.birth_date, DateOf(at));
  const bool test = p.fields.sex == domain::Sex::kFemale && age >= 12 && age <= 55;
  return {true, test ? ses::PregnancyTest::kNegative : ses::PregnancyTest::kNotApplicable};
}

std::map<std::string, bool> Checklist(bool esketamine) {
  std::map<std::string, bool> m = {{"alert_oriented", true},
                                   {"walks_safely", true},
                                   {"vitals_near_baseline", true},
                                   {"nausea_controlled", true},
                                   {"escort_present", true}};
  if (esketamine) {
    m["sedation_resolved"] = m["dissociation_resolved"] = m["respiratory_depression_resolved"] =
        true;
  }
  return m;
}

std::vector<std::string> Ids() { return {NewId(), NewId(), NewId(), NewId()}; }

Status Save(domain::Transaction& tx, ses::Session& s) {
  KC_RETURN_IF_ERROR(tx.infusions().Insert(s.record()));
  return tx.infusions().Append(s.record().id, s.TakeNew(), s.state(),
                               s.RemsCompleted().has_value());
}

ses::SessionRecord NewRecord(const domain::Patient& p, ses::Kind kind, Timestamp at,
                             Timestamp now) {
  ses::SessionRecord r;
  r.id = NewId();
  r.patient_id = p.id;
  r.kind = kind;
  r.scheduled_at = at;
  r.created_at = std::min(at, now) - days(2);
  r.created_by = "desk.miller";
  if (kind == ses::Kind::kEsketamine) r.planned_dose_mg = 56;
  return r;
}

// The newest saved plan's dose as the session takes it (ses::IvPlanFromSaved, as app/sessions.cc).
Result<std::optional<ses::IvPlan>> PlanOf(domain::Transaction& tx, const PatientId& patient,
                                          std::string* plan_id) {
  KC_ASSIGN_OR_RETURN(auto plans, tx.screening().Plans(patient));
  if (plans.empty()) return std::optional<ses::IvPlan>();
  KC_ASSIGN_OR_RETURN(ses::IvPlan p, ses::IvPlanFromSaved(plans.front().dose));
  *plan_id = plans.front().id;
  return std::optional<ses::IvPlan>(p);
}

// A PHQ-9 of `total` at `at`, entered in the clinic.
Status FreshPhq9(domain::Transaction& tx, const PatientId& patient, int total, Timestamp at) {
  std::vector<std::optional<int>> items(9, 0);
  for (int i = 0; i < 8 && total > 0; ++i) {
    items[i] = std::min(3, total);
    total -= *items[i];
  }
  KC_ASSIGN_OR_RETURN(auto score, domain::scales::Score("phq9", items, {}));
  domain::AssessmentRecord a;
  a.id = NewId();
  a.patient_id = patient;
  a.instrument = "phq9";
  a.administered_at = at;
  a.items = score.items;
  if (score.total) a.total = *score.total;
  if (score.severity) a.severity = std::string(domain::scales::SeverityName(*score.severity));
  a.source = "clinic";
  a.entered_by = "nurse.okafor";
  a.entered_at = at;
  return tx.care().InsertAssessment(a);
}

// Names the escort on the record when there is none (the e2e patients need one).
Result<domain::Patient> WithEscort(domain::Transaction& tx, const domain::Patient& p,
                                   Timestamp now) {
  KC_ASSIGN_OR_RETURN(domain::Patient current, tx.patients().Get(p.id));
  if (!current.fields.escort.name.empty()) return current;
  current.fields.escort.name = "Sam " + current.fields.name.family;
  current.fields.escort.phone = "555-0142";
  current.fields.escort.relationship = "sibling";
  current.version += 1;
  KC_RETURN_IF_ERROR(tx.patients().Update(current, {now, "demo", std::string("escort named")}));
  return current;
}

// A past esketamine session taken to discharge and signature; REMS complete when `complete`.
Status PastEsketamine(domain::Transaction& tx, const domain::Patient& p, Timestamp start,
                      const domain::SiteSettings& settings, bool complete) {
  ses::Session s = ses::Session::Create(NewRecord(p, ses::Kind::kEsketamine, start, start));
  const std::string nurse = "nurse.lindqvist";
  auto at = [&](int m) { return ses::Actor{start + minutes(m), nurse}; };
  KC_RETURN_IF_ERROR(s.Transition(at(0), ses::State::kCheckedIn, "", std::nullopt, settings));
  KC_DEMO(s.RecordVital(at(5), {NewId(), 128, 78, 72, 98, 14}, settings, Ids()));
  KC_RETURN_IF_ERROR(s.RecordPrechecks(at(6), Checks(p, start), Facts(p, start), settings));
  KC_RETURN_IF_ERROR(s.GiveDevice(at(10), 28, settings));
  KC_RETURN_IF_ERROR(s.GiveDevice(at(15), 28, settings));
  KC_DEMO(s.RecordSideEffect(at(25), {NewId(), "dissociation", "mild", "reassured", ""}, NewId()));
  KC_DEMO(s.RecordVital(at(50), {NewId(), 142, 86, 78, 97, 14}, settings, Ids()));
  KC_DEMO(s.RecordVital(at(125), {NewId(), 130, 80, 72, 98, 14}, settings, Ids()));
  KC_RETURN_IF_ERROR(s.Discharge(at(131), Checklist(true), settings));
  ses::RemsEntry e;
  e.clinician_name = "Dr. Alicia Reyes";
  e.clinician_phone = "555-0101";
  e.setting = "healthcare setting (clinic)";
  e.lot_number = "SPR-2291";
  e.benzodiazepines = e.sedative_hypnotics = e.stimulants = e.maois = e.opioids = false;
  if (complete) {
    e.ready_to_leave_at = start + minutes(90);
    KC_RETURN_IF_ERROR(s.SetRems(at(135), e));
    KC_RETURN_IF_ERROR(s.CompleteRems(at(136), {}));
  } else {
    KC_RETURN_IF_ERROR(s.SetRems(at(135), e));  // ready_to_leave_at still missing
  }
  KC_RETURN_IF_ERROR(s.Sign({start + minutes(180), "dr.reyes"}));
  return Save(tx, s);
}

}  // namespace

Status SeedDemoSessions(const Env& env, domain::Transaction& tx,
                        const std::vector<domain::Patient>& patients, Timestamp now) {
  const domain::SiteSettings settings;  // the cited defaults
  // Times of the clinic's day, in its zone: "today at 13:00" is 13:00 at the clinic, whatever the
  // hour in UTC (seeded in the evening in New York, UTC is already tomorrow).
  KC_ASSIGN_OR_RETURN(auto config, tx.schedule().Config());
  KC_ASSIGN_OR_RETURN(auto local_now, domain::schedule::UtcToLocal(config.time_zone, now));
  auto local = [&](int day_offset, int hour, int minute) -> Result<Timestamp> {
    return domain::schedule::LocalToUtc(
        config.time_zone, {year_month_day(sys_days(local_now.date) + days(day_offset)),
                           hours(hour) + minutes(minute)});
  };
  KC_ASSIGN_OR_RETURN(auto treated, tx.care().PatientsInTreatment());
  // Patients in treatment with a saved plan, in the demo's order; Ana (patients[0]) apart.
  std::vector<const domain::Patient*> pool;
  const domain::Patient* ana = patients.empty() ? nullptr : &patients.front();
  const domain::Patient* candidate = nullptr;  // first screening candidate
  for (const auto& p : patients) {
    const bool in_treatment = std::find(treated.begin(), treated.end(), p.id) != treated.end();
    KC_ASSIGN_OR_RETURN(auto plans, tx.screening().Plans(p.id));
    if (in_treatment && !plans.empty() && &p != ana) pool.push_back(&p);
    if (!in_treatment && !candidate) {
      auto intake = tx.screening().LatestIntake(p.id);
      if (intake.ok()) candidate = &p;
    }
  }
  if (pool.size() < 3 || !ana) return Status::Ok();
  KC_ASSIGN_OR_RETURN(auto nurse_user, tx.users().GetByUsername("nurse.okafor"));
  const domain::Actor nurse{nurse_user.id, nurse_user.username, nurse_user.role, std::nullopt};
  KC_ASSIGN_OR_RETURN(auto lots, DemoLotIds(tx));

  // 1. The IV e2e patient: everything in place, today 13:00, scheduled.
  {
    KC_ASSIGN_OR_RETURN(domain::Patient p, WithEscort(tx, *pool[0], now));
    KC_RETURN_IF_ERROR(FreshPhq9(tx, p.id, 9, now - hours(2)));
    KC_ASSIGN_OR_RETURN(Timestamp at, local(0, 13, 0));
    ses::SessionRecord r = NewRecord(p, ses::Kind::kIvKetamine, at, now);
    KC_ASSIGN_OR_RETURN(r.plan, PlanOf(tx, p.id, &r.plan_id));
    ses::Session s = ses::Session::Create(std::move(r));
    KC_RETURN_IF_ERROR(Save(tx, s));
  }
  // 2. The esketamine e2e patient: likewise, 56 mg today 14:00, scheduled; three past sessions.
  {
    KC_ASSIGN_OR_RETURN(domain::Patient p, WithEscort(tx, *pool[1], now));
    KC_RETURN_IF_ERROR(FreshPhq9(tx, p.id, 11, now - hours(2)));
    KC_ASSIGN_OR_RETURN(Timestamp first, local(-13, 10, 0));
    KC_ASSIGN_OR_RETURN(Timestamp second, local(-10, 10, 0));
    KC_ASSIGN_OR_RETURN(Timestamp third, local(-6, 10, 0));
    KC_ASSIGN_OR_RETURN(Timestamp today_at, local(0, 14, 0));
    KC_RETURN_IF_ERROR(PastEsketamine(tx, p, first, settings, true));
    KC_RETURN_IF_ERROR(PastEsketamine(tx, p, second, settings, true));
    // Pending near its deadline: due tomorrow.
    KC_RETURN_IF_ERROR(PastEsketamine(tx, p, third, settings, false));
    ses::Session s = ses::Session::Create(NewRecord(p, ses::Kind::kEsketamine, today_at, now));
    KC_RETURN_IF_ERROR(Save(tx, s));
  }
  // 3. An IV infusion running for 22 minutes: baseline, 40 mg drawn, vitals every 10 min.
  {
    const domain::Patient& p = *pool[2];
    const Timestamp start = now - minutes(22);
    ses::SessionRecord r = NewRecord(p, ses::Kind::kIvKetamine, now - minutes(40), now);
    KC_ASSIGN_OR_RETURN(r.plan, PlanOf(tx, p.id, &r.plan_id));
    if (r.plan && !lots.empty()) {
      ses::Session s = ses::Session::Create(std::move(r));
      auto at = [&](int m) { return ses::Actor{start + minutes(m), "nurse.okafor"}; };
      KC_RETURN_IF_ERROR(s.Transition(at(-15), ses::State::kCheckedIn, "", std::nullopt, settings));
      KC_DEMO(s.RecordVital(at(-12), {NewId(), 126, 80, 74, 98, 15}, settings, Ids()));
      ses::PrecheckFacts facts = Facts(p, now);
      facts.escort_name = p.fields.escort.name.empty() ? "on file" : p.fields.escort.name;
      KC_RETURN_IF_ERROR(s.RecordPrechecks(at(-10), Checks(p, now), facts, settings));
      if (s.state() != ses::State::kPrechecksPassed) {
        KC_RETURN_IF_ERROR(s.OverridePrechecks({start - minutes(9), "dr.reyes"},
                                               "reviewed in clinic before the infusion"));
      }
      // The draw goes through the ledger at its own time (a clock set to then).
      FakeClock then(start - minutes(5));
      const Env past{env.store, env.audit, then, env.settings};
      const double draw_mg = 40;
      KC_ASSIGN_OR_RETURN(auto entry, LedgerDraw(past, tx, nurse, lots.front(), Milligrams(draw_mg),
                                                 s.record().id, p.id));
      KC_RETURN_IF_ERROR(s.RecordCustody({start - minutes(5), "nurse.okafor"},
                                         {entry.id, "draw", lots.front(), "", "", draw_mg, ""}));
      KC_RETURN_IF_ERROR(s.Transition(at(0), ses::State::kRunning, "", std::nullopt, settings));
      KC_DEMO(s.RecordVital(at(10), {NewId(), 138, 86, 82, 97, 14}, settings, Ids()));
      KC_DEMO(s.RecordVital(at(20), {NewId(), 144, 88, 84, 97, 14}, settings, Ids()));
      KC_DEMO(
          s.RecordSideEffect(at(18), {NewId(), "dissociation", "mild", "reassured", ""}, NewId()));
      KC_RETURN_IF_ERROR(Save(tx, s));
    }
  }
  // 4. Ana Silva checked in for her IV booster at 10:30.
  {
    KC_ASSIGN_OR_RETURN(Timestamp booked, local(0, 10, 30));
    KC_ASSIGN_OR_RETURN(Timestamp opened, local(0, 10, 0));
    ses::SessionRecord r = NewRecord(*ana, ses::Kind::kIvKetamine, booked, now);
    KC_ASSIGN_OR_RETURN(r.plan, PlanOf(tx, ana->id, &r.plan_id));
    if (r.plan) {
      ses::Session s = ses::Session::Create(std::move(r));
      KC_RETURN_IF_ERROR(s.Transition({std::min(now, opened), "nurse.okafor"},
                                      ses::State::kCheckedIn, "", std::nullopt, settings));
      KC_RETURN_IF_ERROR(Save(tx, s));
    }
  }
  // 5. An esketamine session in monitoring (pre-checks overridden), its REMS form incomplete.
  if (candidate) {
    const domain::Patient& p = *candidate;
    const Timestamp first = now - minutes(50);
    ses::Session s =
        ses::Session::Create(NewRecord(p, ses::Kind::kEsketamine, now - minutes(70), now));
    auto at = [&](int m) { return ses::Actor{first + minutes(m), "nurse.lindqvist"}; };
    KC_RETURN_IF_ERROR(s.Transition(at(-15), ses::State::kCheckedIn, "", std::nullopt, settings));
    KC_DEMO(s.RecordVital(at(-10), {NewId(), 132, 82, 76, 98, 14}, settings, Ids()));
    ses::PrecheckFacts facts = Facts(p, now);
    facts.decision.reset();  // a candidate: the screening decision is still to come
    KC_RETURN_IF_ERROR(s.RecordPrechecks(at(-8), Checks(p, now), facts, settings));
    if (s.state() == ses::State::kCheckedIn) {
      KC_RETURN_IF_ERROR(s.OverridePrechecks({first - minutes(6), "dr.tanaka"},
                                             "approved verbally; decision entry follows"));
    }
    KC_RETURN_IF_ERROR(s.GiveDevice(at(0), 28, settings));
    KC_RETURN_IF_ERROR(s.GiveDevice(at(5), 28, settings));
    KC_DEMO(s.RecordVital(at(41), {NewId(), 146, 90, 80, 97, 14}, settings, Ids()));
    ses::RemsEntry e;
    e.clinician_name = "Dr. Ken Tanaka";
    e.clinician_phone = "555-0102";
    KC_RETURN_IF_ERROR(s.SetRems(at(45), e));
    KC_RETURN_IF_ERROR(Save(tx, s));
  }
  return Status::Ok();
}

}  // namespace kclinic::app
