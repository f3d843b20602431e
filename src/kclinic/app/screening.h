// Screening and dosing use cases: a candidate's intake versions, the screening result of the
// newest one, the prescriber's decision (stored with the rules and settings versions it saw),
// and infusion plans for approved patients. Every read and write is audited.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kclinic/app/app.h"
#include "kclinic/domain/dosing/dosing.h"
#include "kclinic/domain/records.h"
#include "kclinic/domain/screening/screening.h"

namespace kclinic::app {

struct ScreenedIntake {
  domain::IntakeRecord intake;
  domain::screening::ScreeningResult result;  // under the settings in force now
};

struct ScreeningOverview {
  std::optional<ScreenedIntake> latest;                    // nullopt: no intake yet
  std::vector<domain::ScreeningDecisionRecord> decisions;  // newest first
  std::vector<domain::InfusionPlanRecord> plans;           // newest first
  // The decision in force: the newest one on the newest intake version, if any.
  std::optional<domain::ScreeningDecisionRecord> current_decision;
};

// What a prescriber asks for when planning an infusion; weight, height and sex come from the
// patient's record (the newest weight).
struct InfusionPlanRequest {
  double mg_per_kg = 0.5;
  std::string basis = "actual";  // actual | ideal | adjusted
  double concentration_mg_per_ml = 10;
  double minutes = 40;
  std::string model = "clements";  // the PK model for the curve
};

struct InfusionPlan {
  domain::dosing::DosePlan dose;
  nlohmann::ordered_json json;  // dose, curves and comparison as the API returns them
  std::optional<domain::InfusionPlanRecord> stored;  // set when saved
};

struct TitrationProposal {
  domain::dosing::TitrationSuggestion suggestion;
  std::vector<domain::dosing::SessionOutcome> history;  // what it was computed from
  std::vector<Timestamp> session_times;                 // one per history entry
  std::optional<int> baseline_phq9;
};

class ScreeningService {
 public:
  explicit ScreeningService(Env env) : env_(env) {}

  // Stores the next intake version (JSON in the shape codec::IntakeFromJson reads) and screens
  // it. InvalidArgument naming the intake field.
  Result<ScreenedIntake> SubmitIntake(const domain::Actor& actor, const PatientId& patient,
                                      const nlohmann::json& intake);
  Result<ScreeningOverview> Overview(const domain::Actor& actor, const PatientId& patient);
  // Records approve / decline / override on `intake_id`, which must be the newest version
  // (FailedPrecondition otherwise). The rules of ValidateDecision apply (fields "decision",
  // "reason").
  Result<domain::ScreeningDecisionRecord> Decide(const domain::Actor& actor,
                                                 const PatientId& patient,
                                                 const std::string& intake_id, std::string decision,
                                                 std::string reason);
  // Computes (and with `save`, stores) a plan. FailedPrecondition when the newest intake is not
  // approved (or overridden), or the record lacks a weight, height or sex (female/male).
  Result<InfusionPlan> Plan(const domain::Actor& actor, const PatientId& patient,
                            const InfusionPlanRequest& request, bool save);
  // Suggests the next infusion's mg/kg and minutes (CLINICAL.md §2 titration) from the given
  // sessions of the newest course, the plan in force at each, and the PHQ-9 series;
  // `latest_events` are the tolerability events of the latest session (until sessions record
  // them). FailedPrecondition when there is no given session with a plan in force.
  Result<TitrationProposal> SuggestTitration(
      const domain::Actor& actor, const PatientId& patient,
      const std::vector<domain::dosing::ToleranceEvent>& latest_events);

 private:
  Env env_;
};

// Reads {"mg_per_kg", "basis", "concentration_mg_per_ml", "minutes", "model"} (all optional,
// defaults above). InvalidArgument naming the field.
Result<InfusionPlanRequest> InfusionPlanRequestFromJson(const nlohmann::json& body);

}  // namespace kclinic::app
