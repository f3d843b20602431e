// Stored clinical records of the measurement-based-care and screening areas, as the ports read and
// write them. The rules that produce and interpret them live in scales/, screening/ and dosing/;
// these are the rows (no behaviour beside small validators).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/base/enum_codes.h"
#include "kclinic/base/status.h"
#include "kclinic/base/strong_id.h"
#include "kclinic/base/units.h"

namespace kclinic::domain {

// Where a course stands. Codes: induction, maintenance, ended.
enum class CoursePhase { kInduction, kMaintenance, kEnded };
// A course session's status. Codes: planned, given, cancelled.
enum class CourseSessionStatus { kPlanned, kGiven, kCancelled };
// The prescriber's decision on a screening. Codes: approve, decline, override.
enum class ScreeningDecision { kApprove, kDecline, kOverride };

// A course in induction or maintenance is in progress; an ended one is not.
inline bool InProgress(CoursePhase phase) { return phase != CoursePhase::kEnded; }

}  // namespace kclinic::domain

namespace kclinic {
template <>
struct EnumCodes<domain::CoursePhase> {
  static constexpr std::pair<domain::CoursePhase, std::string_view> kRows[] = {
      {domain::CoursePhase::kInduction, "induction"},
      {domain::CoursePhase::kMaintenance, "maintenance"},
      {domain::CoursePhase::kEnded, "ended"}};
};
template <>
struct EnumCodes<domain::CourseSessionStatus> {
  static constexpr std::pair<domain::CourseSessionStatus, std::string_view> kRows[] = {
      {domain::CourseSessionStatus::kPlanned, "planned"},
      {domain::CourseSessionStatus::kGiven, "given"},
      {domain::CourseSessionStatus::kCancelled, "cancelled"}};
};
template <>
struct EnumCodes<domain::ScreeningDecision> {
  static constexpr std::pair<domain::ScreeningDecision, std::string_view> kRows[] = {
      {domain::ScreeningDecision::kApprove, "approve"},
      {domain::ScreeningDecision::kDecline, "decline"},
      {domain::ScreeningDecision::kOverride, "override"}};
};
}  // namespace kclinic

namespace kclinic::domain {

// A course of treatment: an induction series and its maintenance, for one patient.
struct Course {
  std::string id;
  PatientId patient_id;
  std::string kind;  // "iv_ketamine" | "esketamine"
  CoursePhase phase = CoursePhase::kInduction;
  std::string primary_clinician;  // username of the prescriber safety alerts are routed to
  Timestamp started_at;
  Timestamp created_at;
  std::string created_by;
};

// A patient's active course: the newest one still in progress, or null. `courses` is oldest first,
// as the stores list them.
inline const Course* ActiveCourse(const std::vector<Course>& courses) {
  for (auto it = courses.rbegin(); it != courses.rend(); ++it) {
    if (InProgress(it->phase)) return &*it;
  }
  return nullptr;
}

// One session of a course, as outcomes and questionnaire schedules see it.
struct CourseSession {
  std::string id;
  std::string course_id;
  Timestamp at;
  CourseSessionStatus status = CourseSessionStatus::kPlanned;
  Timestamp recorded_at;
  std::string recorded_by;
};

// One completed rating scale. Immutable once stored.
struct AssessmentRecord {
  std::string id;
  PatientId patient_id;
  std::string instrument;  // "phq9", ...
  Timestamp administered_at;
  std::vector<std::optional<int>> items;  // item scores in item order; nullopt: unanswered
  std::optional<double> total;            // absent when incomplete and not prorated
  std::string severity;                   // band name or empty
  std::vector<std::string> flags;         // "suicidal_ideation", ...
  bool prorated = false;
  std::string source;  // "portal" | "clinic"
  std::string entered_by;
  Timestamp entered_at;
  // Why staff dated it more than an hour before it was entered (scales::CheckAdministeredAt).
  std::optional<std::string> backdate_reason;
};

// A safety alert raised by an assessment; it stays open until a clinician acknowledges it with
// the action taken.
struct Alert {
  std::string id;
  PatientId patient_id;
  std::optional<std::string> assessment_id;
  std::string kind;       // the flag that raised it, e.g. "suicidal_ideation"
  std::string routed_to;  // username of the primary clinician, or "prescribers"
  Timestamp created_at;
  std::optional<Timestamp> acknowledged_at;
  std::optional<std::string> acknowledged_by;
  std::optional<std::string> action;
};

// One version of a candidate's intake (the JSON the screening codec reads).
struct IntakeRecord {
  std::string id;
  PatientId patient_id;
  int version = 1;
  std::string body;  // JSON
  Timestamp created_at;
  std::string created_by;
};

// A clinician's screening decision on one intake version. Immutable once stored.
struct ScreeningDecisionRecord {
  std::string id;
  PatientId patient_id;
  std::string intake_id;
  ScreeningDecision decision = ScreeningDecision::kApprove;
  std::string reason;
  std::string rules_version;
  int64_t settings_version = 0;
  std::string findings;  // the screening result it saw, as JSON
  Timestamp decided_at;
  std::string decided_by;
};

// The figures of a saved infusion plan that a session runs, as typed columns of their own (never
// read back from the plan's JSON). Each is optional only because a plan saved before these columns
// existed (migration 0008) has them filled from its JSON where that JSON held them, and NULL where
// it did not; a session refuses such a plan with a 412 naming the missing figure
// (session::IvPlanFromSaved) rather than defaulting it.
struct PlannedDose {
  std::optional<Milligrams> dose;  // = mg_per_kg × dosing_weight
  std::optional<MgPerKg> mg_per_kg;
  std::optional<std::string> weight_basis;  // "actual" | "ideal" | "adjusted": which weight doses
  std::optional<Kilograms> dosing_weight;   // the weight of that basis: what the dose scales with
  std::optional<Kilograms> actual_weight;   // the measured weight: the PK covariate
  std::optional<MgPerMl> concentration;
  std::optional<Milliliters> volume;  // dose ÷ concentration
  std::optional<MlPerHour> rate;      // volume over minutes: what the pump is set to
  std::optional<Minutes> minutes;
};

// A planned infusion: the typed figures a session runs, and the request and computed view (with
// the predicted curves) as JSON for showing the plan again.
struct InfusionPlanRecord {
  std::string id;
  PatientId patient_id;
  std::string decision_id;
  std::string body;  // JSON, for display only: nothing clinical is read back from it
  int64_t settings_version = 0;
  Timestamp created_at;
  std::string created_by;
  PlannedDose dose;
};

// A versioned free text of the site (e.g. the crisis resources shown to patients).
struct SiteText {
  std::string key;
  int64_t version = 0;
  std::string value;
  Timestamp changed_at;
  std::string changed_by;
  std::string reason;
};

inline constexpr std::string_view kCrisisResourcesText = "crisis_resources";

}  // namespace kclinic::domain
