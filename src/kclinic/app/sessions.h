// Infusion and esketamine session use cases (issue 5; CLINICAL.md §2 and §4): create a session
// from the patient's saved infusion plan, move it through its states, record pre-checks, the pump,
// vitals, alerts and their actions, side effects, scores, draws and waste through the ledger,
// esketamine devices, discharge, signature, addenda and the REMS form. Each write is one
// transaction with its audit event; each read is audited.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kclinic/app/app.h"
#include "kclinic/domain/session/ports.h"
#include "kclinic/domain/session/rems.h"
#include "kclinic/domain/session/session.h"

namespace kclinic::app {

// Everything the session screen shows, as of `now`.
struct SessionView {
  domain::session::Session session;
  domain::Patient patient;
  Timestamp now;
  domain::SiteSettings settings;
  // The pre-check items: the stored ones once recorded, else judged now with nothing ticked.
  std::vector<domain::session::PrecheckItem> prechecks;
  bool prechecks_passed = false;
  std::optional<double> predicted_ng_per_ml;
  std::optional<domain::session::RemsForm> rems;  // esketamine
  std::vector<std::string> warnings;
};

struct SessionSummary {
  std::string id;
  PatientId patient_id;
  domain::PersonName patient_name;
  domain::session::Kind kind;
  domain::session::State state;
  Timestamp scheduled_at;
  std::optional<Timestamp> started_at, next_vitals_due_at;
  bool vitals_overdue = false;
  int open_alerts = 0;
};

struct SessionCreateRequest {
  std::string kind;  // iv_ketamine | esketamine
  std::optional<Timestamp> scheduled_at;
  std::optional<std::string> appointment_id, course_session_id;
  std::optional<int> planned_dose_mg;  // esketamine: 28, 56 or 84
};

struct RecordedVital {
  domain::session::VitalReading vital;
  std::vector<domain::session::SessionAlert> alerts;
};

struct RecordedSideEffect {
  domain::session::SideEffect effect;
  std::vector<domain::session::SessionAlert> alerts;
};

struct RecordedScore {
  std::string assessment_id;
  std::string instrument;
  std::optional<int> total;
  std::optional<int> positive_subscale;  // BPRS
  std::vector<std::string> flags;
  Timestamp at;
  std::string by;
};

// A ledger entry made for a session, as the API shows it.
struct CustodyEntry {
  std::string id, type, lot_id, by, witness;
  double amount_mg = 0, amount_ml = 0;
  Timestamp at;
};

struct PendingRems {
  std::string session_id;
  PatientId patient_id;
  domain::PersonName patient_name;
  std::chrono::year_month_day session_date{}, due_date{};
  bool overdue = false;
  std::vector<std::string> missing;
};

class SessionService {
 public:
  explicit SessionService(Env env) : env_(env) {}

  // The sessions scheduled on a day of the clinic's calendar (its time zone: a 18:00 session in
  // Chicago is that day's, not the next UTC day's); nullopt: the clinic's today.
  Result<std::vector<SessionSummary>> List(const domain::Actor& actor,
                                           std::optional<std::chrono::year_month_day> date);
  // IV: copies dose, rate and concentration from the newest saved infusion plan
  // (FailedPrecondition when there is none). Esketamine: planned_dose_mg 28/56/84 (field).
  Result<SessionView> Create(const domain::Actor& actor, const PatientId& patient,
                             const SessionCreateRequest& request);
  Result<SessionView> Get(const domain::Actor& actor, const std::string& id);
  Result<SessionView> Transition(const domain::Actor& actor, const std::string& id,
                                 const std::string& to, std::string reason,
                                 std::optional<double> rate_ml_per_h);
  Result<SessionView> Prechecks(const domain::Actor& actor, const std::string& id,
                                const domain::session::NurseChecks& checks);
  Result<SessionView> Override(const domain::Actor& actor, const std::string& id,
                               std::string reason);
  Result<SessionView> Rate(const domain::Actor& actor, const std::string& id, double rate,
                           std::string reason);
  // `at` defaults to now; it may not lie in the future or before the session was created.
  Result<RecordedVital> Vital(const domain::Actor& actor, const std::string& id,
                              domain::session::Vital vital, std::optional<Timestamp> at);
  Result<domain::session::SessionAlert> AlertAction(const domain::Actor& actor,
                                                    const std::string& id,
                                                    const std::string& alert_id, std::string text);
  Result<RecordedSideEffect> SideEffect(const domain::Actor& actor, const std::string& id,
                                        domain::session::SideEffectEvent effect);
  // CADSS or BPRS, scored by the measurement area's scales and stored as an assessment linked
  // to the session.
  Result<RecordedScore> Score(const domain::Actor& actor, const std::string& id,
                              const std::string& instrument,
                              const std::vector<std::optional<int>>& items);
  // A draw from a lot for the session; above the plan and the site's margin only by a
  // prescriber with `reason` (domain::session::Session::CheckDraw).
  Result<CustodyEntry> Draw(const domain::Actor& actor, const std::string& id,
                            const std::string& lot_id, double amount_mg,
                            const std::string& reason = {});
  Result<CustodyEntry> Waste(const domain::Actor& actor, const std::string& id, double amount_mg,
                             const std::string& witness_username,
                             const std::string& witness_password, const std::string& witness_code);
  Result<SessionView> Device(const domain::Actor& actor, const std::string& id, int mg);
  Result<SessionView> Discharge(const domain::Actor& actor, const std::string& id,
                                const std::map<std::string, bool>& items);
  Result<SessionView> Sign(const domain::Actor& actor, const std::string& id);
  Result<SessionView> Addendum(const domain::Actor& actor, const std::string& id, std::string text);
  Result<domain::session::RemsForm> SetRems(const domain::Actor& actor, const std::string& id,
                                            const domain::session::RemsEntry& entry);
  Result<domain::session::RemsForm> CompleteRems(const domain::Actor& actor, const std::string& id);
  Result<std::vector<PendingRems>> Pending(const domain::Actor& actor);

  // The ledger entries of a session's custody, from its own record of them.
  static std::vector<CustodyEntry> CustodyEntries(const domain::session::Session& s);

 private:
  Env env_;
};

}  // namespace kclinic::app
