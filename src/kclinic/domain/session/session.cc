#include "kclinic/domain/session/session.h"

#include <algorithm>
#include <cmath>

#include "kclinic/domain/screening/approval.h"
#include "kclinic/domain/session/session_settings.h"

namespace kclinic::domain::session {

using std::chrono::minutes;

namespace {

constexpr std::pair<Kind, std::string_view> kKinds[] = {{Kind::kIvKetamine, "iv_ketamine"},
                                                        {Kind::kEsketamine, "esketamine"}};
constexpr std::pair<State, std::string_view> kStates[] = {
    {State::kScheduled, "scheduled"},
    {State::kCheckedIn, "checked_in"},
    {State::kPrechecksPassed, "prechecks_passed"},
    {State::kRunning, "running"},
    {State::kPaused, "paused"},
    {State::kStopped, "stopped"},
    {State::kRecovery, "recovery"},
    {State::kDosing, "dosing"},
    {State::kMonitoring, "monitoring"},
    {State::kDischarged, "discharged"},
    {State::kSigned, "signed"},
    {State::kCancelled, "cancelled"}};
constexpr std::pair<PregnancyTest, std::string_view> kPregnancy[] = {
    {PregnancyTest::kNegative, "negative"},
    {PregnancyTest::kPositive, "positive"},
    {PregnancyTest::kNotApplicable, "not_applicable"}};

template <typename E, size_t N>
std::string_view CodeOf(const std::pair<E, std::string_view> (&table)[N], E e) {
  for (const auto& [v, c] : table) {
    if (v == e) return c;
  }
  return "";
}
template <typename E, size_t N>
std::optional<E> Parse(const std::pair<E, std::string_view> (&table)[N], std::string_view code) {
  for (const auto& [v, c] : table) {
    if (c == code) return v;
  }
  return std::nullopt;
}

double Round2(double x) { return std::round(x * 100) / 100; }
double MinutesBetween(Timestamp a, Timestamp b) {
  return std::chrono::duration<double, std::ratio<60>>(b - a).count();
}
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
std::string BpText(const Vital& v) {
  return std::to_string(v.sbp.value_or(0)) + "/" + std::to_string(v.dbp.value_or(0)) + " mmHg";
}
// Empty or only whitespace: no reason given.
bool Blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}
// A figure as a person reads it: to 0.1 mg, or 1 min, without trailing zeros.
std::string FormatMg(double mg) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::round(mg * 10) / 10);
  std::string out(buf);
  if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
  return out;
}
std::string FormatMinutes(double min) {
  const long m = std::lround(std::floor(min));
  return m == 1 ? std::string("1 min") : std::to_string(m) + " min";
}
// The state in words ("prechecks_passed" reads "pre-checks passed").
std::string StateLabel(State s) {
  std::string out(StateCode(s));
  if (out == "prechecks_passed") return "pre-checks passed";
  if (out == "checked_in") return "checked in";
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}
bool InfusionOrDosing(State s) {
  return s == State::kRunning || s == State::kPaused || s == State::kDosing ||
         s == State::kMonitoring;
}

}  // namespace

std::string_view KindCode(Kind k) { return CodeOf(kKinds, k); }
std::optional<Kind> ParseKind(std::string_view code) { return Parse(kKinds, code); }
std::string_view StateCode(State s) { return CodeOf(kStates, s); }
std::optional<State> ParseState(std::string_view code) { return Parse(kStates, code); }
std::string_view PregnancyTestCode(PregnancyTest p) { return CodeOf(kPregnancy, p); }
std::optional<PregnancyTest> ParsePregnancyTest(std::string_view code) {
  return Parse(kPregnancy, code);
}

std::string_view EventType(const EventBody& body) {
  static constexpr std::string_view kNames[] = {
      "transition",   "prechecks",   "override",    "rate",         "vital",  "alert",
      "alert_action", "side_effect", "score",       "custody",      "device", "discharge",
      "sign",         "addendum",    "rems_fields", "rems_complete"};
  static_assert(std::size(kNames) == std::variant_size_v<EventBody>);
  return kNames[body.index()];
}

bool Custody::reconciled() const {
  return std::abs(drawn_mg - administered_mg - wasted_mg) < 0.005;
}

int AgeOn(std::chrono::year_month_day birth, std::chrono::year_month_day on) {
  int age = static_cast<int>(on.year()) - static_cast<int>(birth.year());
  if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day())) {
    --age;
  }
  return age;
}

// CLINICAL.md §4 side effects to record (dissociation, nausea/vomiting, dizziness, headache,
// confusion, perceptual changes, BP rise, anxiety) plus sedation and respiratory depression from
// the Spravato label [V], and chest pain / neurological signs, which CLINICAL.md §4 says to stop
// and escalate on.
const std::vector<std::string_view>& SideEffectCodes() {
  static const std::vector<std::string_view> kCodes = {
      "dissociation", "nausea_vomiting",        "dizziness",  "headache",
      "confusion",    "perceptual_change",      "anxiety",    "hypertension",
      "sedation",     "respiratory_depression", "chest_pain", "neurological_signs",
      "other"};
  return kCodes;
}

std::vector<AlertSpec> VitalAlerts(const Vital& v, State state, const SiteSettings& settings) {
  std::vector<AlertSpec> out;
  // CLINICAL.md §4: pause and re-check if SBP >= 180 or DBP >= 110 during infusion [R]
  // (session.alert_sbp_mmhg, session.alert_dbp_mmhg). Esketamine dosing and monitoring count as
  // "during": the Spravato label monitors BP for the same rise.
  const double sbp_limit = settings.Get(kAlertSbpMmHg), dbp_limit = settings.Get(kAlertDbpMmHg);
  if (InfusionOrDosing(state) &&
      ((v.sbp && *v.sbp >= sbp_limit) || (v.dbp && *v.dbp >= dbp_limit))) {
    out.push_back({"bp_high",
                   "BP " + BpText(v) + " at or above " + Num(sbp_limit) + "/" + Num(dbp_limit) +
                       " mmHg during the infusion",
                   "pause the infusion and re-check BP in 5 minutes", BpText(v)});
  }
  // CLINICAL.md §4: SpO2 < 92 % alarm [R] (session.alarm_spo2_percent).
  const double spo2 = settings.Get(kAlarmSpo2Percent);
  if (v.spo2 && *v.spo2 < spo2) {
    out.push_back({"spo2_low", "SpO2 " + std::to_string(*v.spo2) + " % below " + Num(spo2) + " %",
                   "stimulate, give oxygen, stop the infusion if it does not recover",
                   "SpO2 " + std::to_string(*v.spo2) + " %"});
  }
  // Practice [R]: HR >= 120 or <= 50 (session.alert_hr_high_bpm, session.alert_hr_low_bpm).
  const double hr_high = settings.Get(kAlertHrHighBpm), hr_low = settings.Get(kAlertHrLowBpm);
  if (v.hr && (*v.hr >= hr_high || *v.hr <= hr_low)) {
    out.push_back({"hr_abnormal",
                   "HR " + std::to_string(*v.hr) + "/min outside " + Num(hr_low) + "-" +
                       Num(hr_high) + "/min",
                   "re-check HR and rhythm; assess the patient and consider pausing the infusion",
                   "HR " + std::to_string(*v.hr) + "/min"});
  }
  // Practice [R]: RR < 10 (session.alert_rr_low_per_min); respiratory depression (Spravato).
  const double rr = settings.Get(kAlertRrLow);
  if (v.rr && *v.rr < rr) {
    out.push_back({"rr_low", "RR " + std::to_string(*v.rr) + "/min below " + Num(rr) + "/min",
                   "stimulate the patient, check SpO2, give oxygen; stop the infusion if it does "
                   "not recover",
                   "RR " + std::to_string(*v.rr) + "/min"});
  }
  return out;
}

std::optional<AlertSpec> SideEffectAlert(std::string_view effect, std::string_view severity) {
  // CLINICAL.md §4: stop and escalate on chest pain, neurological signs or severe headache [R].
  if (effect == "chest_pain" || effect == "neurological_signs" ||
      (effect == "headache" && severity == "severe")) {
    return AlertSpec{"stop_and_escalate", std::string(effect) + " (" + std::string(severity) + ")",
                     "stop the infusion and escalate to the prescriber", std::string(effect)};
  }
  return std::nullopt;
}

Result<IvPlan> IvPlanFromSaved(const PlannedDose& saved) {
  auto missing = [](std::string_view field) {
    return Status(StatusCode::kFailedPrecondition,
                  "the newest infusion plan has no " + std::string(field) +
                      ": a prescriber saves the plan again",
                  std::string(field));
  };
  auto positive = [&](const auto& q, std::string_view field) -> Status {
    if (!q) return missing(field);
    if (!std::isfinite(q->value()) || q->value() <= 0) {
      return Status(StatusCode::kFailedPrecondition,
                    "the newest infusion plan's " + std::string(field) +
                        " is not positive: a prescriber saves the plan again",
                    std::string(field));
    }
    return Status::Ok();
  };
  KC_RETURN_IF_ERROR(positive(saved.dose, "dose_mg"));
  KC_RETURN_IF_ERROR(positive(saved.mg_per_kg, "mg_per_kg"));
  if (!saved.weight_basis || saved.weight_basis->empty()) return missing("weight_basis");
  KC_RETURN_IF_ERROR(positive(saved.dosing_weight, "dosing_weight_kg"));
  KC_RETURN_IF_ERROR(positive(saved.actual_weight, "actual_weight_kg"));
  KC_RETURN_IF_ERROR(positive(saved.concentration, "concentration_mg_per_ml"));
  KC_RETURN_IF_ERROR(positive(saved.volume, "volume_ml"));
  KC_RETURN_IF_ERROR(positive(saved.rate, "rate_ml_per_h"));
  KC_RETURN_IF_ERROR(positive(saved.minutes, "minutes"));
  return IvPlan{*saved.dose,          *saved.mg_per_kg, *saved.dosing_weight, *saved.actual_weight,
                *saved.concentration, *saved.volume,    *saved.rate,          *saved.minutes};
}

Result<int> PlannedEsketamineDoseMg(std::optional<int> requested_mg) {
  const int dose = requested_mg.value_or(2 * kEsketamineDeviceMg);
  if (dose != kEsketamineDeviceMg && dose != 2 * kEsketamineDeviceMg &&
      dose != 3 * kEsketamineDeviceMg) {
    return InvalidArgument("planned_dose_mg", "must be 28, 56 or 84 mg (28 mg devices)");
  }
  return dose;
}

std::vector<PrecheckItem> EvaluatePrechecks(const PrecheckFacts& f, const NurseChecks& checks,
                                            const std::optional<VitalReading>& baseline,
                                            Timestamp scheduled_at, Timestamp now,
                                            const SiteSettings& settings) {
  std::vector<PrecheckItem> out;
  // Site rule: the newest screening decision approves (or overrides) and is younger than
  // session.screening_valid_days: the one rule of screening/approval.h that booking and planning
  // apply too.
  {
    PrecheckItem i{"screening_approved", "Screening approved and current", false, ""};
    const double days = settings.Get(kScreeningValidDays);
    if (!f.decision) {
      i.detail = "no screening decision on the newest intake";
    } else if (const auto state =
                   screening::JudgeDecision(*f.decision, *f.decided_at, now, settings);
               state == screening::ApprovalState::kDeclined) {
      i.detail = "the newest screening decision is decline";
    } else if (state == screening::ApprovalState::kExpired) {
      i.detail = "approved " + FormatDate(DateOf(*f.decided_at)) + ", older than " + Num(days) +
                 " days (session.screening_valid_days)";
    } else {
      i.passed = true;
      i.detail = std::string(Code(*f.decision)) + " on " + FormatDate(DateOf(*f.decided_at));
    }
    out.push_back(std::move(i));
  }
  // CLINICAL.md §1: informed consent for off-label use; current for session.consent_valid_days.
  {
    PrecheckItem i{"consent_current", "Informed consent current", false, ""};
    const double days = settings.Get(kConsentValidDays);
    if (!f.consent_at) {
      i.detail = "informed consent is not ticked on the intake checklist";
    } else if (now - *f.consent_at > std::chrono::hours(static_cast<int64_t>(days * 24))) {
      i.detail = "consent recorded " + FormatDate(DateOf(*f.consent_at)) + ", older than " +
                 Num(days) + " days (session.consent_valid_days)";
    } else {
      i.passed = true;
      i.detail = "recorded " + FormatDate(DateOf(*f.consent_at));
    }
    out.push_back(std::move(i));
  }
  // CLINICAL.md §4: escort present (no driving until the next day).
  out.push_back(
      {"escort_named", "Escort named on the record", !f.escort_name.empty(),
       f.escort_name.empty() ? "add the escort to the patient's record" : "escort on record"});
  {
    PrecheckItem i{"escort_present", "Escort present", checks.escort_present, ""};
    if (!checks.escort_present)
      i.detail = "tick when the escort is here";
    else if (!*checks.escort_present)
      i.detail = "the escort is not here";
    out.push_back(std::move(i));
  }
  // Issue 3 schedule: a PHQ-9 within schedule.before_session_hours before the session.
  {
    PrecheckItem i{"phq9_done", "Pre-session PHQ-9 done", false, ""};
    const auto window = std::chrono::minutes(static_cast<int64_t>(f.phq9_window_hours * 60));
    if (f.phq9_at && *f.phq9_at >= scheduled_at - window && *f.phq9_at <= now) {
      i.passed = true;
      i.detail = "answered " + FormatTimestamp(*f.phq9_at);
    } else {
      i.detail = "no PHQ-9 in the " + Num(f.phq9_window_hours) + " h before the session";
    }
    out.push_back(std::move(i));
  }
  // CLINICAL.md §4: defer if pre-infusion BP >= 160/100 (session.defer_sbp_mmhg/_dbp_mmhg).
  {
    PrecheckItem i{"baseline_vitals", "Baseline vitals within limits", std::nullopt, ""};
    const double sbp = settings.Get(kDeferSbpMmHg), dbp = settings.Get(kDeferDbpMmHg);
    if (!baseline) {
      i.passed = false;
      i.detail = "record baseline BP first";
    } else if (*baseline->vital.sbp >= sbp || *baseline->vital.dbp >= dbp) {
      i.passed = false;
      i.detail = "BP " + BpText(baseline->vital) + " at or above " + Num(sbp) + "/" + Num(dbp) +
                 ": defer (session.defer_sbp_mmhg)";
    } else {
      i.passed = true;
      i.detail = "BP " + BpText(baseline->vital);
    }
    out.push_back(std::move(i));
  }
  // CLINICAL.md §1: pregnancy test where applicable (site rule: female of the set ages).
  {
    PrecheckItem i{"pregnancy_test", "Pregnancy test negative where it applies", std::nullopt, ""};
    const int age = AgeOn(f.birth_date, DateOf(now));
    const bool applies = f.sex == Sex::kFemale && age >= settings.Get(kPregnancyTestMinAge) &&
                         age <= settings.Get(kPregnancyTestMaxAge);
    if (!checks.pregnancy_test) {
      i.detail = applies ? "a test applies: enter the result" : "enter not_applicable";
    } else if (*checks.pregnancy_test == PregnancyTest::kPositive) {
      i.passed = false;
      i.detail = "positive: pregnancy is a hard stop (CLINICAL.md §1)";
    } else if (applies && *checks.pregnancy_test != PregnancyTest::kNegative) {
      i.passed = false;
      i.detail = "a test applies (female, " + std::to_string(age) +
                 " years): a negative result "
                 "is needed";
    } else {
      i.passed = true;
      i.detail = std::string(PregnancyTestCode(*checks.pregnancy_test));
    }
    out.push_back(std::move(i));
  }
  return out;
}

// --- Session ---------------------------------------------------------------------------------

Session Session::Create(SessionRecord record) { return Session(std::move(record)); }

Result<Session> Session::Replay(SessionRecord record, std::vector<Event> events) {
  Session s(std::move(record));
  for (auto& e : events) {
    Status st = s.Apply(e);
    if (!st.ok()) return Internal("replay session: " + st.message());
    s.events_.push_back(std::move(e));
  }
  s.new_from_ = s.events_.size();
  return s;
}

std::vector<Event> Session::TakeNew() {
  std::vector<Event> out(events_.begin() + static_cast<std::ptrdiff_t>(new_from_), events_.end());
  new_from_ = events_.size();
  return out;
}

void Session::Append(const Actor& a, EventBody body) {
  Event e{static_cast<int64_t>(events_.size()) + 1, a.at, a.by, std::move(body)};
  (void)Apply(e);
  events_.push_back(std::move(e));
}

Status Session::Apply(const Event& e) {
  std::visit(
      [&](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, TransitionEvent>) {
          state_ = b.to;
        } else if constexpr (std::is_same_v<T, PrechecksEvent>) {
          prechecks_ = b;
        } else if constexpr (std::is_same_v<T, OverrideEvent>) {
          override_ = Override{e.at, e.by, b.reason};
        } else if constexpr (std::is_same_v<T, VitalEvent>) {
          const bool before = state_ == State::kScheduled || state_ == State::kCheckedIn ||
                              state_ == State::kPrechecksPassed;
          vitals_.push_back({b.vital, e.at, e.by, before});
        } else if constexpr (std::is_same_v<T, AlertEvent>) {
          alerts_.push_back({b, e.at, std::nullopt, std::nullopt, std::nullopt});
        } else if constexpr (std::is_same_v<T, AlertActionEvent>) {
          for (auto& al : alerts_) {
            if (al.alert.id == b.alert_id) {
              al.action_taken = b.text;
              al.action_by = e.by;
              al.action_at = e.at;
            }
          }
        } else if constexpr (std::is_same_v<T, SideEffectEvent>) {
          side_effects_.push_back({b, e.at, e.by});
        } else if constexpr (std::is_same_v<T, ScoreEvent>) {
          scores_.push_back({b, e.at, e.by});
        } else if constexpr (std::is_same_v<T, DeviceEvent>) {
          devices_.push_back({e.at, b.mg, e.by});
        } else if constexpr (std::is_same_v<T, DischargeEvent>) {
          discharge_ = session::Discharge{b.items, e.at, e.by};
        } else if constexpr (std::is_same_v<T, SignEvent>) {
          signed_ = Signed{e.at, e.by};
        } else if constexpr (std::is_same_v<T, AddendumEvent>) {
          addenda_.push_back({e.at, e.by, b.text});
        } else if constexpr (std::is_same_v<T, RemsFieldsEvent>) {
          const RemsEntry& n = b.entry;
          auto set = [](auto& dst, const auto& src) {
            if (src) dst = src;
          };
          set(rems_.benzodiazepines, n.benzodiazepines);
          set(rems_.sedative_hypnotics, n.sedative_hypnotics);
          set(rems_.stimulants, n.stimulants);
          set(rems_.maois, n.maois);
          set(rems_.opioids, n.opioids);
          set(rems_.clinician_name, n.clinician_name);
          set(rems_.clinician_phone, n.clinician_phone);
          set(rems_.setting, n.setting);
          set(rems_.lot_number, n.lot_number);
          set(rems_.ready_to_leave_at, n.ready_to_leave_at);
        } else if constexpr (std::is_same_v<T, RemsCompleteEvent>) {
          rems_completed_ = Signed{e.at, e.by};
        }
      },
      e.body);
  return Status::Ok();
}

Status Session::CheckWritable() const {
  if (state_ == State::kSigned) return FailedPrecondition("signed records take addenda");
  if (state_ == State::kCancelled) return FailedPrecondition("the session was cancelled");
  return Status::Ok();
}

std::vector<State> Session::AllowedTransitions() const {
  const bool iv = kind() == Kind::kIvKetamine;
  switch (state_) {
    case State::kScheduled:
      return {State::kCheckedIn, State::kCancelled};
    case State::kCheckedIn:
      return {State::kCancelled};  // pre-checks or an override move it on
    case State::kPrechecksPassed:
      if (iv) return {State::kRunning, State::kCancelled};
      return {State::kCancelled};  // the first device moves it to dosing
    case State::kRunning:
      return {State::kPaused, State::kStopped};
    case State::kPaused:
      return {State::kRunning, State::kStopped};
    case State::kStopped:
      return {State::kRecovery, State::kDischarged};
    case State::kRecovery:
      return {State::kDischarged};
    case State::kDosing:
      return {State::kMonitoring};
    case State::kMonitoring:
      return {State::kDischarged};
    case State::kDischarged:
      return {State::kSigned};
    case State::kSigned:
    case State::kCancelled:
      return {};
  }
  return {};
}

Status Session::Move(const Actor& a, State to, std::string reason, std::optional<double> rate) {
  Append(a, TransitionEvent{state_, to, std::move(reason), rate});
  return Status::Ok();
}

Status Session::Transition(const Actor& a, State to, std::string reason, std::optional<double> rate,
                           const SiteSettings& settings) {
  KC_RETURN_IF_ERROR(CheckWritable());
  if (reason.size() > 2000) return InvalidArgument("reason", "must be at most 2000 characters");
  if (rate && (!std::isfinite(*rate) || *rate <= 0 || *rate > 2000)) {
    return InvalidArgument("rate_ml_per_h", "must be a rate above 0 and at most 2000 mL/h");
  }
  const bool iv = kind() == Kind::kIvKetamine;
  const std::string from(StateCode(state_));
  switch (to) {
    case State::kCheckedIn:
      if (state_ != State::kScheduled) {
        return FailedPrecondition("cannot check in: the session is " + from);
      }
      return Move(a, to, std::move(reason), std::nullopt);
    case State::kCancelled:
      if (state_ != State::kScheduled && state_ != State::kCheckedIn &&
          state_ != State::kPrechecksPassed) {
        return FailedPrecondition("cannot cancel: the " +
                                  std::string(iv ? "infusion has started" : "dosing has started") +
                                  " (the session is " + from + ")");
      }
      if (reason.empty()) return InvalidArgument("reason", "is required to cancel a session");
      return Move(a, to, std::move(reason), std::nullopt);
    case State::kRunning: {
      if (!iv) return FailedPrecondition("cannot start: an esketamine session is dosed by devices");
      if (state_ == State::kPaused) {
        double r = rate.value_or(Segments().empty() ? record_.plan->rate.value()
                                                    : Segments().back().rate_ml_per_h);
        return Move(a, to, std::move(reason), r);
      }
      if (state_ == State::kScheduled || state_ == State::kCheckedIn) {
        return FailedPrecondition("cannot start: pre-checks have not passed");
      }
      if (state_ != State::kPrechecksPassed) {
        return FailedPrecondition("cannot start: the session is " + from);
      }
      if (CustodyView().drawn_mg <= 0) {
        return FailedPrecondition("cannot start: draw the dose from a lot first");
      }
      return Move(a, to, std::move(reason), rate.value_or(record_.plan->rate.value()));
    }
    case State::kPaused:
      if (state_ != State::kRunning) {
        return FailedPrecondition("cannot pause: the infusion is not running (the session is " +
                                  from + ")");
      }
      return Move(a, to, std::move(reason), std::nullopt);
    case State::kStopped: {
      if (state_ != State::kRunning && state_ != State::kPaused) {
        return FailedPrecondition("cannot stop: the infusion is not running (the session is " +
                                  from + ")");
      }
      // Rule: an infusion stopped before its planned duration (less a site tolerance) has given
      // less than the plan: the record says why.
      double ran = 0;
      for (const auto& seg : Segments()) ran += MinutesBetween(seg.start, seg.end.value_or(a.at));
      const double planned = record_.plan ? record_.plan->duration.value() : 0;
      if (ran < planned - settings.Get(kEarlyStopMinutes) && Blank(reason)) {
        return InvalidArgument("reason", "is required to stop after " + FormatMinutes(ran) +
                                             " of the planned " + FormatMinutes(planned));
      }
      return Move(a, to, std::move(reason), std::nullopt);
    }
    case State::kRecovery:
      if (state_ != State::kStopped) {
        return FailedPrecondition(
            "cannot move to recovery: stop the infusion first (the session "
            "is " +
            from + ")");
      }
      return Move(a, to, std::move(reason), std::nullopt);
    case State::kMonitoring:
      if (iv) return FailedPrecondition("cannot monitor: monitoring is for esketamine sessions");
      if (state_ != State::kDosing) {
        return FailedPrecondition(
            "cannot move to monitoring: no device has been given (the "
            "session is " +
            from + ")");
      }
      if (static_cast<int>(devices_.size()) < DevicesPlanned() && reason.empty()) {
        return InvalidArgument("reason",
                               "is required to end dosing before every planned device is given");
      }
      return Move(a, to, std::move(reason), std::nullopt);
    case State::kDischarged:
      return FailedPrecondition(
          "cannot discharge: complete the discharge checklist (PUT .../discharge)");
    case State::kPrechecksPassed:
      return FailedPrecondition("cannot pass pre-checks by a transition: record them");
    case State::kDosing:
      return FailedPrecondition("cannot start dosing by a transition: record the first device");
    case State::kSigned:
      return FailedPrecondition("cannot sign by a transition: a prescriber signs");
    case State::kScheduled:
      return FailedPrecondition("cannot go back to scheduled");
  }
  return FailedPrecondition("unknown transition");
}

Status Session::RecordPrechecks(const Actor& a, const NurseChecks& checks,
                                const PrecheckFacts& facts, const SiteSettings& settings) {
  KC_RETURN_IF_ERROR(CheckWritable());
  if (state_ == State::kScheduled) {
    return FailedPrecondition("cannot record pre-checks: check the patient in first");
  }
  if (state_ != State::kCheckedIn) {
    return FailedPrecondition("cannot record pre-checks: the session is " +
                              std::string(StateCode(state_)));
  }
  PrechecksEvent ev;
  ev.checks = checks;
  ev.items = EvaluatePrechecks(facts, checks, Baseline(), record_.scheduled_at, a.at, settings);
  ev.passed = std::all_of(ev.items.begin(), ev.items.end(),
                          [](const PrecheckItem& i) { return i.passed.value_or(false); });
  const bool passed = ev.passed;
  Append(a, std::move(ev));
  if (passed) return Move(a, State::kPrechecksPassed, "", std::nullopt);
  return Status::Ok();
}

Status Session::OverridePrechecks(const Actor& a, std::string reason) {
  KC_RETURN_IF_ERROR(CheckWritable());
  if (reason.empty() || reason.size() > 2000) {
    return InvalidArgument("reason", "is required (1-2000 characters): say why it may proceed");
  }
  if (state_ != State::kCheckedIn) {
    return FailedPrecondition("cannot override: the session is " + std::string(StateCode(state_)) +
                              ", not checked_in");
  }
  if (!prechecks_) return FailedPrecondition("cannot override: record the pre-checks first");
  Append(a, OverrideEvent{reason});
  return Move(a, State::kPrechecksPassed, "override: " + reason, std::nullopt);
}

Status Session::ChangeRate(const Actor& a, double rate, std::string reason) {
  KC_RETURN_IF_ERROR(CheckWritable());
  if (!std::isfinite(rate) || rate <= 0 || rate > 2000) {
    return InvalidArgument("rate_ml_per_h", "must be a rate above 0 and at most 2000 mL/h");
  }
  if (reason.size() > 2000) return InvalidArgument("reason", "must be at most 2000 characters");
  if (state_ != State::kRunning) {
    return FailedPrecondition(
        "cannot change the rate: the infusion is not running (the session "
        "is " +
        std::string(StateCode(state_)) + ")");
  }
  Append(a, RateEvent{rate, std::move(reason)});
  return Status::Ok();
}

Result<std::vector<SessionAlert>> Session::RecordVital(const Actor& a, Vital v,
                                                       const SiteSettings& settings,
                                                       const std::vector<std::string>& alert_ids) {
  KC_RETURN_IF_ERROR(CheckWritable());
  auto check = [](const std::optional<int>& x, const char* field, int lo, int hi) -> Status {
    if (x && (*x < lo || *x > hi)) {
      return InvalidArgument(
          field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    }
    return Status::Ok();
  };
  KC_RETURN_IF_ERROR(check(v.sbp, "sbp", 40, 300));
  KC_RETURN_IF_ERROR(check(v.dbp, "dbp", 20, 200));
  KC_RETURN_IF_ERROR(check(v.hr, "hr", 20, 250));
  KC_RETURN_IF_ERROR(check(v.spo2, "spo2", 50, 100));
  KC_RETURN_IF_ERROR(check(v.rr, "rr", 2, 60));
  if (!v.sbp && !v.dbp && !v.hr && !v.spo2 && !v.rr) {
    return InvalidArgument("sbp", "enter at least one of sbp, dbp, hr, spo2, rr");
  }
  if (v.sbp.has_value() != v.dbp.has_value()) {
    return InvalidArgument(v.sbp ? "dbp" : "sbp", "blood pressure needs both sbp and dbp");
  }
  if (v.sbp && *v.dbp >= *v.sbp) return InvalidArgument("dbp", "must be below sbp");
  if (state_ == State::kScheduled) {
    return FailedPrecondition("cannot record vitals: check the patient in first");
  }
  if (state_ == State::kDischarged) {
    return FailedPrecondition("cannot record vitals: the patient has been discharged");
  }
  const State during = state_;
  Append(a, VitalEvent{v});
  std::vector<SessionAlert> raised;
  size_t n = 0;
  for (auto& spec : VitalAlerts(v, during, settings)) {
    std::string id = n < alert_ids.size() ? alert_ids[n] : v.id + std::to_string(n);
    ++n;
    AlertEvent ev{std::move(id), spec.kind, spec.message, spec.recommended_action, spec.reading};
    Append(a, ev);
    raised.push_back({ev, a.at, std::nullopt, std::nullopt, std::nullopt});
  }
  return raised;
}

Result<SessionAlert> Session::ActOnAlert(const Actor& a, const std::string& alert_id,
                                         std::string text) {
  KC_RETURN_IF_ERROR(CheckWritable());
  if (text.empty() || text.size() > 2000) {
    return InvalidArgument("action_taken", "is required (1-2000 characters)");
  }
  auto it = std::find_if(alerts_.begin(), alerts_.end(),
                         [&](const SessionAlert& al) { return al.alert.id == alert_id; });
  if (it == alerts_.end()) return NotFound("no such alert in this session");
  if (it->action_taken) {
    return FailedPrecondition("the action on this alert was already recorded by " + *it->action_by);
  }
  const size_t index = static_cast<size_t>(it - alerts_.begin());
  Append(a, AlertActionEvent{alert_id, std::move(text)});
  return alerts_[index];
}

Result<std::vector<SessionAlert>> Session::RecordSideEffect(const Actor& a, SideEffectEvent e,
                                                            std::string alert_id) {
  KC_RETURN_IF_ERROR(CheckWritable());
  const auto& codes = SideEffectCodes();
  if (std::find(codes.begin(), codes.end(), e.effect) == codes.end()) {
    std::string list;
    for (auto c : codes) list += (list.empty() ? "" : ", ") + std::string(c);
    return InvalidArgument("effect", "must be one of " + list);
  }
  if (e.severity != "mild" && e.severity != "moderate" && e.severity != "severe") {
    return InvalidArgument("severity", "must be mild, moderate or severe");
  }
  if (e.action.empty() || e.action.size() > 2000) {
    return InvalidArgument("action", "is required (1-2000 characters): the action taken");
  }
  if (e.note.size() > 2000) return InvalidArgument("note", "must be at most 2000 characters");
  if (e.effect == "other" && e.note.empty()) {
    return InvalidArgument("note", "describe the side effect when it is other");
  }
  if (state_ == State::kScheduled) {
    return FailedPrecondition("cannot record a side effect: check the patient in first");
  }
  auto spec = SideEffectAlert(e.effect, e.severity);
  Append(a, e);
  std::vector<SessionAlert> out;
  if (spec) {
    AlertEvent ev{std::move(alert_id), spec->kind, spec->message, spec->recommended_action,
                  spec->reading};
    Append(a, ev);
    out.push_back({ev, a.at, std::nullopt, std::nullopt, std::nullopt});
  }
  return out;
}

Status Session::RecordScore(const Actor& a, ScoreEvent score) {
  KC_RETURN_IF_ERROR(CheckWritable());
  if (state_ == State::kScheduled) {
    return FailedPrecondition("cannot record a score: check the patient in first");
  }
  Append(a, std::move(score));
  return Status::Ok();
}

double Session::DrawLimitMg(const SiteSettings& settings) const {
  if (!record_.plan) return 0;
  return Round2(record_.plan->dose.value() * (1 + settings.Get(kDrawMarginPercent) / 100));
}

Status Session::CheckDraw(double amount_mg, bool by_prescriber, const std::string& reason,
                          const SiteSettings& settings) const {
  KC_RETURN_IF_ERROR(CheckWritable());
  if (!std::isfinite(amount_mg) || amount_mg <= 0 || amount_mg > 1000) {
    return InvalidArgument("amount_mg", "must be above 0 and at most 1000 mg");
  }
  if (kind() != Kind::kIvKetamine) {
    return FailedPrecondition("cannot draw: esketamine devices are not drawn from a ketamine lot");
  }
  if (state_ == State::kScheduled || state_ == State::kCheckedIn) {
    return FailedPrecondition(
        "cannot draw: the pre-checks have not passed (the dose is drawn after them and before "
        "the start)");
  }
  if (state_ != State::kPrechecksPassed) {
    return FailedPrecondition(
        "cannot draw: draws are made after the pre-checks and before the start "
        "(the session is " +
        std::string(StateLabel(state_)) + ")");
  }
  if (reason.size() > 2000) return InvalidArgument("reason", "must be at most 2000 characters");
  // Rule: everything drawn for the session stays within the plan plus the site's margin, unless
  // a prescriber says why (issue 21: a 500 mg draw passed for a 33.5 mg plan).
  const double total = Round2(CustodyView().drawn_mg + amount_mg);
  const double limit = DrawLimitMg(settings);
  if (record_.plan && total > limit + 0.005) {
    const std::string figures = FormatMg(total) + " mg in all is above the plan's " +
                                FormatMg(record_.plan->dose.value()) +
                                " mg and the site's margin (" + FormatMg(limit) + " mg)";
    if (!by_prescriber) {
      return PermissionDenied("a prescriber must make this draw: " + figures);
    }
    if (Blank(reason)) return InvalidArgument("reason", "is required: " + figures);
  }
  return Status::Ok();
}

Status Session::CheckWaste(double amount_mg) const {
  KC_RETURN_IF_ERROR(CheckWritable());
  if (!std::isfinite(amount_mg) || amount_mg < 0) {
    return InvalidArgument("amount_mg", "must be a number of mg, 0 or more");
  }
  if (state_ != State::kStopped && state_ != State::kRecovery && state_ != State::kDischarged) {
    return FailedPrecondition("cannot waste: stop the infusion first (the session is " +
                              std::string(StateCode(state_)) + ")");
  }
  const Custody c = CustodyView();
  if (c.wasted_mg > 0) return FailedPrecondition("cannot waste: the remainder was already wasted");
  const double remainder = Round2(c.drawn_mg - c.administered_mg);
  if (std::abs(amount_mg - remainder) >= 0.005) {
    return InvalidArgument("amount_mg",
                           "must equal drawn - administered = " + Num(remainder) + " mg");
  }
  return Status::Ok();
}

Status Session::RecordCustody(const Actor& a, CustodyEvent entry) {
  Append(a, std::move(entry));
  return Status::Ok();
}

Status Session::GiveDevice(const Actor& a, int mg, const SiteSettings& settings) {
  KC_RETURN_IF_ERROR(CheckWritable());
  if (mg != kEsketamineDeviceMg) {
    return InvalidArgument("mg", "an esketamine device holds 28 mg (Spravato label)");
  }
  if (kind() != Kind::kEsketamine) {
    return FailedPrecondition("cannot give a device: this is an IV ketamine session");
  }
  if (state_ != State::kPrechecksPassed && state_ != State::kDosing) {
    if (state_ == State::kScheduled || state_ == State::kCheckedIn) {
      return FailedPrecondition("cannot give a device: pre-checks have not passed");
    }
    return FailedPrecondition("cannot give a device: the session is " +
                              std::string(StateCode(state_)));
  }
  if (static_cast<int>(devices_.size()) >= DevicesPlanned()) {
    return FailedPrecondition("cannot give a device: all " + std::to_string(DevicesPlanned()) +
                              " planned devices have been given");
  }
  // Spravato label: 5 minutes between devices (session.esketamine_device_interval_min).
  auto next = NextDeviceAllowedAt(settings);
  if (next && a.at < *next) {
    return FailedPrecondition("cannot give a device yet: devices must be at least " +
                              Num(settings.Get(kEsketamineDeviceIntervalMin)) +
                              " minutes apart (next at " + FormatTimestamp(*next) + ")");
  }
  if (state_ == State::kPrechecksPassed) {
    Append(a, TransitionEvent{state_, State::kDosing, "first device", std::nullopt});
  }
  Append(a, DeviceEvent{mg});
  if (static_cast<int>(devices_.size()) == DevicesPlanned()) {
    Append(a,
           TransitionEvent{state_, State::kMonitoring, "all planned devices given", std::nullopt});
  }
  return Status::Ok();
}

Status Session::Discharge(const Actor& a, const std::map<std::string, bool>& items,
                          const SiteSettings& settings) {
  KC_RETURN_IF_ERROR(CheckWritable());
  const bool iv = kind() == Kind::kIvKetamine;
  std::vector<std::string> keys = {"alert_oriented", "walks_safely", "vitals_near_baseline",
                                   "nausea_controlled", "escort_present"};
  if (!iv) {
    for (const char* k :
         {"sedation_resolved", "dissociation_resolved", "respiratory_depression_resolved"}) {
      keys.emplace_back(k);
    }
  }
  for (const auto& k : keys) {
    if (!items.count(k)) return InvalidArgument(k, "is required (true or false)");
  }
  if (iv && state_ != State::kStopped && state_ != State::kRecovery) {
    return FailedPrecondition(
        "cannot discharge: the infusion has not been stopped (the session "
        "is " +
        std::string(StateCode(state_)) + ")");
  }
  if (!iv && state_ != State::kMonitoring) {
    return FailedPrecondition("cannot discharge: the session is not in monitoring (it is " +
                              std::string(StateCode(state_)) + ")");
  }
  std::vector<std::string> failing;
  for (const auto& k : keys) {
    if (!items.at(k)) failing.push_back(k);
  }
  std::string why;
  // CLINICAL.md §4: observation >= 60 min after IV (session.observation_min_iv); >= 2 h from the
  // first esketamine device (session.esketamine_monitoring_min).
  if (iv) {
    auto ends = ObservationEndsAt(settings);
    if (ends && a.at < *ends) {
      failing.insert(failing.begin(), "observation_time");
      why = "observation runs until " + FormatTimestamp(*ends);
    }
    bool end_vitals = false;
    auto stopped = StoppedAt();
    for (const auto& v : vitals_) {
      if (stopped && v.at >= *stopped && v.vital.sbp) end_vitals = true;
    }
    if (!end_vitals) {
      failing.insert(failing.begin(), "vitals_at_end");
      why = "vitals at end are missing";
    }
  } else {
    auto ends = MonitoringEndsAt(settings);
    if (ends && a.at < *ends) {
      failing.insert(failing.begin(), "monitoring_time");
      why = "the 2-hour monitoring runs until " + FormatTimestamp(*ends);
    }
    if (!BpChecks(settings).at_end) {
      failing.insert(failing.begin(), "bp_at_end");
      why = "BP at end is missing";
    }
  }
  if (!failing.empty()) {
    std::string list;
    for (const auto& f : failing) list += (list.empty() ? "" : ", ") + f;
    return Status(StatusCode::kFailedPrecondition,
                  "cannot discharge: " + list + (why.empty() ? "" : " (" + why + ")"),
                  failing.front());
  }
  std::map<std::string, bool> stored;
  for (const auto& k : keys) stored[k] = true;
  Append(a, DischargeEvent{stored});
  return Move(a, State::kDischarged, "", std::nullopt);
}

Status Session::Sign(const Actor& a) {
  if (state_ == State::kSigned) return FailedPrecondition("signed records take addenda");
  KC_RETURN_IF_ERROR(CheckWritable());
  if (state_ != State::kDischarged) {
    return FailedPrecondition("cannot sign: the patient has not been discharged (the session is " +
                              std::string(StateCode(state_)) + ")");
  }
  const Custody c = CustodyView();
  if (!c.reconciled()) {
    return FailedPrecondition("cannot sign: custody does not reconcile (drawn " + Num(c.drawn_mg) +
                              " mg, administered " + Num(c.administered_mg) + " mg, wasted " +
                              Num(c.wasted_mg) + " mg)");
  }
  Append(a, SignEvent{});
  return Move(a, State::kSigned, "", std::nullopt);
}

Status Session::AddAddendum(const Actor& a, std::string text) {
  if (text.empty() || text.size() > 4000) {
    return InvalidArgument("text", "is required (1-4000 characters)");
  }
  if (state_ != State::kSigned) {
    return FailedPrecondition("addenda are added after signing; edit the record instead");
  }
  Append(a, AddendumEvent{std::move(text)});
  return Status::Ok();
}

Status Session::SetRems(const Actor& a, const RemsEntry& entry) {
  if (kind() != Kind::kEsketamine) {
    return FailedPrecondition("a REMS form belongs to esketamine sessions only");
  }
  if (state_ == State::kCancelled) return FailedPrecondition("the session was cancelled");
  if (rems_completed_) return FailedPrecondition("the REMS form is already complete");
  Append(a, RemsFieldsEvent{entry});
  return Status::Ok();
}

Status Session::CompleteRems(const Actor& a, const std::vector<std::string>& missing) {
  if (kind() != Kind::kEsketamine) {
    return FailedPrecondition("a REMS form belongs to esketamine sessions only");
  }
  if (rems_completed_) return FailedPrecondition("the REMS form is already complete");
  if (state_ != State::kDischarged && state_ != State::kSigned) {
    return FailedPrecondition(
        "cannot complete the REMS form: the patient has not been "
        "discharged (monitoring has not ended)");
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& f : missing) list += (list.empty() ? "" : ", ") + f;
    return Status(StatusCode::kFailedPrecondition, "cannot complete the REMS form: missing " + list,
                  missing.front());
  }
  Append(a, RemsCompleteEvent{});
  return Status::Ok();
}

// --- Views ----------------------------------------------------------------------------------

std::vector<TransitionEntry> Session::Transitions() const {
  std::vector<TransitionEntry> out;
  for (const auto& e : events_) {
    if (const auto* t = std::get_if<TransitionEvent>(&e.body)) {
      out.push_back({t->from, t->to, e.at, e.by, t->reason});
    }
  }
  return out;
}

std::vector<Segment> Session::Segments() const {
  std::vector<Segment> out;
  auto close = [&](Timestamp at) {
    if (!out.empty() && !out.back().end) out.back().end = at;
  };
  for (const auto& e : events_) {
    if (const auto* t = std::get_if<TransitionEvent>(&e.body)) {
      if (t->to == State::kRunning) {
        close(e.at);
        out.push_back({e.at, std::nullopt, t->rate_ml_per_h.value_or(0)});
      } else if (t->from == State::kRunning) {
        close(e.at);
      }
    } else if (const auto* r = std::get_if<RateEvent>(&e.body)) {
      close(e.at);
      out.push_back({e.at, std::nullopt, r->rate_ml_per_h});
    }
  }
  return out;
}

std::optional<Timestamp> Session::StartedAt() const {
  for (const auto& t : Transitions()) {
    if (t.to == State::kRunning || t.to == State::kDosing) return t.at;
  }
  return std::nullopt;
}

std::optional<Timestamp> Session::StoppedAt() const {
  for (const auto& t : Transitions()) {
    if (t.to == State::kStopped || t.to == State::kMonitoring) return t.at;
  }
  return std::nullopt;
}

std::optional<Timestamp> Session::DischargedAt() const {
  if (discharge_) return discharge_->at;
  return std::nullopt;
}

double Session::AdministeredMl(Timestamp now) const {
  double ml = 0;
  for (const auto& s : Segments()) {
    const Timestamp end = s.end.value_or(now);
    if (end > s.start) ml += s.rate_ml_per_h * MinutesBetween(s.start, end) / 60;
  }
  return Round2(ml);
}

double Session::AdministeredMg(Timestamp now) const {
  if (!record_.plan) return 0;
  const double mg = AdministeredMl(now) * record_.plan->concentration.value();
  return Round2(std::min(mg, CustodyView().drawn_mg));
}

std::optional<VitalReading> Session::Baseline() const {
  std::optional<VitalReading> out;
  for (const auto& v : vitals_) {
    if (v.before_start && v.vital.sbp && v.vital.dbp) out = v;
  }
  return out;
}

std::optional<bool> Session::LastSbpNearBaseline(const SiteSettings& settings) const {
  const auto baseline = Baseline();
  if (!baseline || !baseline->vital.sbp) return std::nullopt;
  for (auto it = vitals_.rbegin(); it != vitals_.rend(); ++it) {
    if (!it->vital.sbp) continue;
    if (it->before_start) return std::nullopt;
    return std::abs(*it->vital.sbp - *baseline->vital.sbp) <= settings.Get(kDischargeBpDeltaMmHg);
  }
  return std::nullopt;
}

std::optional<Timestamp> Session::NextVitalsDue(const SiteSettings& settings) const {
  auto last_since = [&](Timestamp since) {
    Timestamp base = since;
    for (const auto& v : vitals_) base = std::max(base, v.at);
    return base;
  };
  const auto infusion = minutes(static_cast<int64_t>(settings.Get(kVitalsIntervalInfusionMin)));
  const auto recovery = minutes(static_cast<int64_t>(settings.Get(kVitalsIntervalRecoveryMin)));
  switch (state_) {
    case State::kRunning:
    case State::kPaused:
      // CLINICAL.md §4: every 10 min during the infusion (session.vitals_interval_infusion_min).
      return last_since(*StartedAt()) + infusion;
    case State::kStopped:
    case State::kRecovery:
      // ... and every 15 min after it (session.vitals_interval_recovery_min).
      return std::max(last_since(*StoppedAt()) + recovery, *StoppedAt() + recovery);
    case State::kDosing:
    case State::kMonitoring: {
      // Spravato label: BP at about 40 min, then before discharge.
      const EsketamineBpChecks bp = BpChecks(settings);
      if (!bp.at_40_min) {
        return *StartedAt() + minutes(static_cast<int64_t>(settings.Get(kEsketamineBpCheckMin)));
      }
      if (!bp.at_end) return MonitoringEndsAt(settings);
      return std::nullopt;
    }
    case State::kPrechecksPassed:
      if (kind() == Kind::kEsketamine && !BpChecks(settings).before_dosing) {
        return Transitions().empty() ? record_.scheduled_at : Transitions().back().at;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::vector<SessionAlert> Session::Alerts() const { return alerts_; }

int Session::OpenAlerts() const {
  return static_cast<int>(std::count_if(alerts_.begin(), alerts_.end(),
                                        [](const SessionAlert& a) { return !a.action_taken; }));
}

Custody Session::CustodyView() const {
  Custody c;
  for (const auto& e : events_) {
    if (const auto* k = std::get_if<CustodyEvent>(&e.body)) {
      if (k->type == "draw") c.drawn_mg += k->amount_mg;
      if (k->type == "administer") c.administered_mg += k->amount_mg;
      if (k->type == "waste") c.wasted_mg += k->amount_mg;
      c.entries.emplace_back(*k, e);
    }
  }
  c.drawn_mg = Round2(c.drawn_mg);
  c.administered_mg = Round2(c.administered_mg);
  c.wasted_mg = Round2(c.wasted_mg);
  return c;
}

std::optional<Timestamp> Session::ObservationEndsAt(const SiteSettings& settings) const {
  if (kind() != Kind::kIvKetamine) return std::nullopt;
  auto stopped = StoppedAt();
  if (!stopped) return std::nullopt;
  return *stopped + minutes(static_cast<int64_t>(settings.Get(kObservationMinIv)));
}

std::optional<Timestamp> Session::NextDeviceAllowedAt(const SiteSettings& settings) const {
  if (devices_.empty() || static_cast<int>(devices_.size()) >= DevicesPlanned()) {
    return std::nullopt;
  }
  return devices_.back().at +
         minutes(static_cast<int64_t>(settings.Get(kEsketamineDeviceIntervalMin)));
}

std::optional<Timestamp> Session::MonitoringEndsAt(const SiteSettings& settings) const {
  if (devices_.empty()) return std::nullopt;
  return devices_.front().at +
         minutes(static_cast<int64_t>(settings.Get(kEsketamineMonitoringMin)));
}

EsketamineBpChecks Session::BpChecks(const SiteSettings& settings) const {
  EsketamineBpChecks out;
  if (kind() != Kind::kEsketamine) return out;
  std::optional<Timestamp> first;
  if (!devices_.empty()) first = devices_.front().at;
  // Within 5 minutes of the 40-minute mark counts as the 40-minute reading.
  const auto mark = minutes(static_cast<int64_t>(settings.Get(kEsketamineBpCheckMin)) - 5);
  for (const auto& v : vitals_) {
    if (!v.vital.sbp || !v.vital.dbp) continue;
    BpReading r{v.at, *v.vital.sbp, *v.vital.dbp};
    if (v.before_start) {
      out.before_dosing = r;
    } else if (first && v.at >= *first + mark) {
      if (!out.at_40_min) {
        out.at_40_min = r;
      } else {
        out.at_end = r;
      }
    }
  }
  return out;
}

bool Session::HasEffect(std::string_view effect) const {
  return std::any_of(side_effects_.begin(), side_effects_.end(),
                     [&](const SideEffect& s) { return s.effect.effect == effect; });
}

}  // namespace kclinic::domain::session
