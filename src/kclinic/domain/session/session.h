// An infusion or esketamine session (CLINICAL.md §2 and §4, issue 5): its state machine, the
// pre-checks, the pump's rate segments and the amount they computed, vitals with their due times
// and threshold alerts, side effects, scores, custody of the drawn dose, esketamine devices, the
// discharge checklist, signing and addenda. Pure rules, no I/O and no clock: every command gets
// the time and the person from its caller.
//
// A session is its stored header (SessionRecord) plus an append-only list of events; the state
// and everything shown is folded from the events (Session::Replay). A command checks its rules
// against the folded state and, when they hold, appends new events (TakeNew() hands them to the
// store) — so nothing is ever overwritten and every change is timestamped and attributed.
//
// IV:         scheduled → checked_in → prechecks_passed → running ⇄ paused → stopped → recovery
//             → discharged → signed
// Esketamine: scheduled → checked_in → prechecks_passed → dosing (devices) → monitoring
//             → discharged → signed
// Either may be cancelled (with a reason) before the infusion or the first device.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/base/strong_id.h"
#include "kclinic/base/units.h"
#include "kclinic/domain/patient.h"
#include "kclinic/domain/records.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain::session {

enum class Kind { kIvKetamine, kEsketamine };
std::string_view KindCode(Kind k);  // "iv_ketamine" | "esketamine"
std::optional<Kind> ParseKind(std::string_view code);

enum class State {
  kScheduled,
  kCheckedIn,
  kPrechecksPassed,
  kRunning,
  kPaused,
  kStopped,
  kRecovery,
  kDosing,
  kMonitoring,
  kDischarged,
  kSigned,
  kCancelled,
};
std::string_view StateCode(State s);  // snake_case, e.g. "prechecks_passed"
std::optional<State> ParseState(std::string_view code);

// The esketamine device strength (Spravato label, CLINICAL.md §3): 28 mg per nasal device.
inline constexpr int kEsketamineDeviceMg = 28;

// The IV plan copied from the patient's saved infusion plan when the session is created.
// What an IV session runs: the saved plan's figures as they were saved, with the weight each
// uses made explicit (the dose scales with the dosing weight of the plan's basis; the
// concentration curve is predicted from the measured weight).
struct IvPlan {
  Milligrams dose;
  MgPerKg mg_per_kg;
  Kilograms dosing_weight;  // the weight the dose was computed from (actual, ideal or adjusted)
  Kilograms actual_weight;  // the measured weight: the PK covariate
  MgPerMl concentration;
  Milliliters volume;
  MlPerHour rate;  // the pump rate the infusion starts at
  Minutes duration;
};

// The IV plan of a saved infusion plan, taken as is. FailedPrecondition naming the figure
// (field "dose_mg", "mg_per_kg", "weight_basis", "dosing_weight_kg", "actual_weight_kg",
// "concentration_mg_per_ml", "volume_ml", "rate_ml_per_h" or "minutes") when the plan lacks it
// or holds a value that is not positive: a plan saved by an older version that its migration
// could not complete is refused, never defaulted.
Result<IvPlan> IvPlanFromSaved(const PlannedDose& saved);

// The esketamine dose a session plans, in mg: `requested_mg`, or 56 mg when none is asked for.
// CLINICAL.md §3 (Spravato label): 56 or 84 mg a session, 28 mg on day 1 at 65 and older; one
// device holds 28 mg, so only 28, 56 or 84 can be given. InvalidArgument (field
// "planned_dose_mg") for any other amount.
Result<int> PlannedEsketamineDoseMg(std::optional<int> requested_mg);

// The stored header of a session; never changes after creation.
struct SessionRecord {
  std::string id;
  PatientId patient_id;
  Kind kind = Kind::kIvKetamine;
  Timestamp scheduled_at;
  std::optional<std::string> appointment_id;
  std::optional<std::string> course_session_id;
  std::optional<IvPlan> plan;  // IV only
  std::string plan_id;         // the infusion plan record it came from (IV)
  int planned_dose_mg = 0;     // esketamine: 28, 56 or 84
  Timestamp created_at;
  std::string created_by;
};

enum class PregnancyTest { kNegative, kPositive, kNotApplicable };
std::string_view PregnancyTestCode(PregnancyTest p);
std::optional<PregnancyTest> ParsePregnancyTest(std::string_view code);

// One vitals reading; at least one value. Units: mmHg, beats/min, %, breaths/min.
struct Vital {
  std::string id;
  std::optional<int> sbp, dbp, hr, spo2, rr;
};

// One pre-check as shown to the nurse. `passed` is nullopt while it cannot be judged yet.
struct PrecheckItem {
  std::string key;  // screening_approved | consent_current | escort_named | escort_present |
                    // phq9_done | baseline_vitals | pregnancy_test
  std::string label;
  std::optional<bool> passed;
  std::string detail;
};

// Facts from the patient's record that the pre-checks judge (the app reads them).
struct PrecheckFacts {
  std::optional<ScreeningDecision> decision;  // newest decision on the newest intake
  std::optional<Timestamp> decided_at;
  std::optional<Timestamp> consent_at;  // newest intake with informed_consent done
  std::string escort_name;
  std::optional<Timestamp> phq9_at;  // newest PHQ-9
  std::chrono::year_month_day birth_date{};
  Sex sex = Sex::kUnknown;
  double phq9_window_hours = 72;  // schedule.before_session_hours
};

// What the nurse ticks. Unset members are not yet judged.
struct NurseChecks {
  std::optional<bool> escort_present;
  std::optional<PregnancyTest> pregnancy_test;
};

// --- Events --------------------------------------------------------------------------------

struct TransitionEvent {
  State from = State::kScheduled, to = State::kScheduled;
  std::string reason;
  std::optional<double> rate_ml_per_h;  // running: the segment's rate
};
struct PrechecksEvent {
  NurseChecks checks;
  std::vector<PrecheckItem> items;
  bool passed = false;
};
struct OverrideEvent {
  std::string reason;
};
struct RateEvent {
  double rate_ml_per_h = 0;
  std::string reason;
};
struct VitalEvent {
  Vital vital;
};
struct AlertEvent {
  std::string id, kind, message, recommended_action, reading;
};
struct AlertActionEvent {
  std::string alert_id, text;
};
struct SideEffectEvent {
  std::string id, effect, severity, action, note;
};
struct ScoreEvent {
  std::string assessment_id, instrument;
  std::optional<double> total;
};
// A ledger entry made for this session (draw, administer, waste).
struct CustodyEvent {
  std::string entry_id, type, lot_id, lot_number, witness;
  double amount_mg = 0;
  std::string reason;  // a draw above the plan and the site's margin: the prescriber's why
};
struct DeviceEvent {
  int mg = kEsketamineDeviceMg;
};
struct DischargeEvent {
  std::map<std::string, bool> items;
};
struct SignEvent {};
struct AddendumEvent {
  std::string text;
};
// The REMS form fields a nurse enters (CLINICAL.md §4); unset: not entered. A later event
// replaces the members it sets.
struct RemsEntry {
  std::optional<bool> benzodiazepines, sedative_hypnotics, stimulants, maois, opioids;
  std::optional<std::string> clinician_name, clinician_phone, setting, lot_number;
  std::optional<Timestamp> ready_to_leave_at;
};
struct RemsFieldsEvent {
  RemsEntry entry;
};
struct RemsCompleteEvent {};

using EventBody =
    std::variant<TransitionEvent, PrechecksEvent, OverrideEvent, RateEvent, VitalEvent, AlertEvent,
                 AlertActionEvent, SideEffectEvent, ScoreEvent, CustodyEvent, DeviceEvent,
                 DischargeEvent, SignEvent, AddendumEvent, RemsFieldsEvent, RemsCompleteEvent>;
// The stable name of an event's type ("transition", "vital", ...), as stored.
std::string_view EventType(const EventBody& body);

struct Event {
  int64_t seq = 0;  // 1, 2, ... per session
  Timestamp at;
  std::string by;  // username
  EventBody body;
};

// --- Views folded from the events ------------------------------------------------------------

struct TransitionEntry {
  State from, to;
  Timestamp at;
  std::string by, reason;
};
struct Segment {
  Timestamp start;
  std::optional<Timestamp> end;
  double rate_ml_per_h = 0;
};
struct VitalReading {
  Vital vital;
  Timestamp at;
  std::string taken_by;
  bool before_start = false;  // recorded before the infusion or the first device
};
struct SessionAlert {
  AlertEvent alert;
  Timestamp at;
  std::optional<std::string> action_taken, action_by;
  std::optional<Timestamp> action_at;
};
struct SideEffect {
  SideEffectEvent effect;
  Timestamp at;
  std::string by;
};
struct Score {
  ScoreEvent score;
  Timestamp at;
  std::string by;
};
struct Custody {
  double drawn_mg = 0, administered_mg = 0, wasted_mg = 0;
  std::vector<std::pair<CustodyEvent, Event>> entries;  // with when and who
  // drawn = administered + wasted (to 0.01 mg).
  bool reconciled() const;
};
struct Device {
  Timestamp at;
  int mg = 0;
  std::string by;
};
struct Signed {
  Timestamp at;
  std::string by;
};
struct Override {
  Timestamp at;
  std::string by, reason;
};
struct Addendum {
  Timestamp at;
  std::string by, text;
};
struct Discharge {
  std::map<std::string, bool> items;
  Timestamp at;
  std::string by;
};
struct BpReading {
  Timestamp at;
  int sbp = 0, dbp = 0;
};
struct EsketamineBpChecks {
  std::optional<BpReading> before_dosing, at_40_min, at_end;
};

// Who and when, for every command.
struct Actor {
  Timestamp at;
  std::string by;
};

// A threshold crossed by a vitals reading or a side effect.
struct AlertSpec {
  std::string kind, message, recommended_action, reading;
};

// The side effects that may be recorded (CLINICAL.md §4 and the ketamine/Spravato labels).
const std::vector<std::string_view>& SideEffectCodes();
// The session alert a vitals reading raises during `state` (CLINICAL.md §4 thresholds, each a
// setting in session_settings.h).
std::vector<AlertSpec> VitalAlerts(const Vital& v, State state, const SiteSettings& settings);
// The "stop and escalate" alert a side effect raises: chest pain, neurological signs or a severe
// headache (CLINICAL.md §4).
std::optional<AlertSpec> SideEffectAlert(std::string_view effect, std::string_view severity);

// Judges the pre-checks at `now` (CLINICAL.md §4, §1): screening approved and current, consent
// current, escort named and present, PHQ-9 within the window before the session, baseline BP
// below the deferral limits, pregnancy test negative where it applies (female of the site's ages).
std::vector<PrecheckItem> EvaluatePrechecks(const PrecheckFacts& facts, const NurseChecks& checks,
                                            const std::optional<VitalReading>& baseline,
                                            Timestamp scheduled_at, Timestamp now,
                                            const SiteSettings& settings);

// Whole years of age at `on`.
int AgeOn(std::chrono::year_month_day birth, std::chrono::year_month_day on);

class Session {
 public:
  // A new session in state scheduled (no events).
  static Session Create(SessionRecord record);
  // Folds stored events (in seq order). Internal for events that do not fit the machine.
  static Result<Session> Replay(SessionRecord record, std::vector<Event> events);

  const SessionRecord& record() const { return record_; }
  Kind kind() const { return record_.kind; }
  State state() const { return state_; }
  const std::vector<Event>& events() const { return events_; }
  // Events appended by commands since creation or the last TakeNew().
  std::vector<Event> TakeNew();

  // The target states a person may ask for now (structure only; the rules may still refuse).
  std::vector<State> AllowedTransitions() const;

  // --- Commands: FailedPrecondition saying why when the state or a rule refuses; InvalidArgument
  // naming the field for bad input. On error nothing is appended.

  // to: checked_in, running (start or resume), paused, stopped, recovery, monitoring, discharged,
  // cancelled. "discharged" goes through Discharge(); this refuses it with the reason.
  Status Transition(const Actor& a, State to, std::string reason,
                    std::optional<double> rate_ml_per_h, const SiteSettings& settings);
  // Records the nurse's checks and the judged items; moves to prechecks_passed when all pass.
  Status RecordPrechecks(const Actor& a, const NurseChecks& checks, const PrecheckFacts& facts,
                         const SiteSettings& settings);
  // A prescriber lets the session proceed although pre-checks failed (reason required).
  Status OverridePrechecks(const Actor& a, std::string reason);
  Status ChangeRate(const Actor& a, double rate_ml_per_h, std::string reason);
  // Stores the reading and any alerts it raises; returns those alerts. `alert_ids` are fresh ids
  // for them (at least four: one per rule).
  Result<std::vector<SessionAlert>> RecordVital(const Actor& a, Vital v,
                                                const SiteSettings& settings,
                                                const std::vector<std::string>& alert_ids);
  Result<SessionAlert> ActOnAlert(const Actor& a, const std::string& alert_id, std::string text);
  Result<std::vector<SessionAlert>> RecordSideEffect(const Actor& a, SideEffectEvent effect,
                                                     std::string alert_id);
  Status RecordScore(const Actor& a, ScoreEvent score);
  // Checks a draw before the ledger is asked: after the pre-checks have passed and before the
  // start, and, where everything drawn would exceed the plan's dose plus the site's margin
  // (session.draw_margin_percent), only by a prescriber with a reason. InvalidArgument naming
  // "amount_mg" or "reason"; PermissionDenied when not `by_prescriber`.
  Status CheckDraw(double amount_mg, bool by_prescriber, const std::string& reason,
                   const SiteSettings& settings) const;
  // The most that may be drawn for this session without a prescriber's reason, mg (IV).
  double DrawLimitMg(const SiteSettings& settings) const;
  // Checks a waste: after the infusion, amount = drawn − administered.
  Status CheckWaste(double amount_mg) const;
  Status RecordCustody(const Actor& a, CustodyEvent entry);
  // Esketamine: one 28 mg device, at least the set interval after the previous one.
  Status GiveDevice(const Actor& a, int mg, const SiteSettings& settings);
  // The discharge checklist; moves to discharged when every item holds, else FailedPrecondition
  // whose field names the first failing item and whose message lists them all.
  Status Discharge(const Actor& a, const std::map<std::string, bool>& items,
                   const SiteSettings& settings);
  // A prescriber signs a discharged session; refused while custody does not reconcile.
  Status Sign(const Actor& a);
  Status AddAddendum(const Actor& a, std::string text);
  Status SetRems(const Actor& a, const RemsEntry& entry);
  // `missing` are the form's missing fields (rems.h computes them).
  Status CompleteRems(const Actor& a, const std::vector<std::string>& missing);

  // --- Views

  std::vector<TransitionEntry> Transitions() const;
  std::vector<Segment> Segments() const;
  std::optional<Timestamp> StartedAt() const;  // first running, or first device
  std::optional<Timestamp> StoppedAt() const;
  std::optional<Timestamp> DischargedAt() const;
  // Volume and mg from the segments up to `now` (open segments run to `now`), mg capped at the
  // amount drawn. Rounded to 0.01.
  double AdministeredMl(Timestamp now) const;
  double AdministeredMg(Timestamp now) const;
  const std::vector<VitalReading>& Vitals() const { return vitals_; }
  // The last reading with SBP and DBP before the infusion (or the first device).
  std::optional<VitalReading> Baseline() const;
  // Whether the newest systolic reading after the start is within
  // session.discharge_bp_delta_mmhg of the baseline's (CLINICAL.md §4, discharge "BP near
  // baseline"), shown beside the nurse's tick; nullopt when there is no baseline or no systolic
  // reading since the start.
  std::optional<bool> LastSbpNearBaseline(const SiteSettings& settings) const;
  // When the next vitals are due (nullopt when none are).
  std::optional<Timestamp> NextVitalsDue(const SiteSettings& settings) const;
  std::vector<SessionAlert> Alerts() const;
  int OpenAlerts() const;
  const std::vector<SideEffect>& SideEffects() const { return side_effects_; }
  const std::vector<Score>& Scores() const { return scores_; }
  Custody CustodyView() const;
  const std::optional<PrechecksEvent>& Prechecks() const { return prechecks_; }
  const std::optional<Override>& OverrideInfo() const { return override_; }
  const std::optional<session::Discharge>& DischargeInfo() const { return discharge_; }
  std::optional<Timestamp> ObservationEndsAt(const SiteSettings& settings) const;
  const std::vector<Device>& Devices() const { return devices_; }
  int DevicesPlanned() const { return record_.planned_dose_mg / kEsketamineDeviceMg; }
  std::optional<Timestamp> NextDeviceAllowedAt(const SiteSettings& settings) const;
  std::optional<Timestamp> MonitoringEndsAt(const SiteSettings& settings) const;
  EsketamineBpChecks BpChecks(const SiteSettings& settings) const;
  const std::optional<Signed>& SignedInfo() const { return signed_; }
  const std::vector<Addendum>& Addenda() const { return addenda_; }
  const RemsEntry& Rems() const { return rems_; }
  const std::optional<Signed>& RemsCompleted() const { return rems_completed_; }
  bool HasEffect(std::string_view effect) const;

 private:
  explicit Session(SessionRecord record) : record_(std::move(record)) {}
  Status Apply(const Event& e);
  void Append(const Actor& a, EventBody body);
  // FailedPrecondition when the session is signed ("signed records take addenda") or cancelled.
  Status CheckWritable() const;
  Status Move(const Actor& a, State to, std::string reason, std::optional<double> rate);

  SessionRecord record_;
  State state_ = State::kScheduled;
  std::vector<Event> events_;
  size_t new_from_ = 0;
  std::vector<VitalReading> vitals_;
  std::vector<SessionAlert> alerts_;
  std::vector<SideEffect> side_effects_;
  std::vector<Score> scores_;
  std::optional<PrechecksEvent> prechecks_;
  std::optional<Override> override_;
  std::optional<session::Discharge> discharge_;
  std::vector<Device> devices_;
  std::optional<Signed> signed_;
  std::vector<Addendum> addenda_;
  RemsEntry rems_;
  std::optional<Signed> rems_completed_;
};

}  // namespace kclinic::domain::session
