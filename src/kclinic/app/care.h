// Measurement-based care use cases: courses and their sessions, rating-scale assessments with
// their outcomes and questionnaire schedules, and the safety alerts a score can raise.
// Every read and write of patient data is audited; denials too.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kclinic/app/app.h"
#include "kclinic/codec/scale_json.h"
#include "kclinic/domain/records.h"
#include "kclinic/domain/scales/outcomes.h"
#include "kclinic/domain/scales/schedule.h"
#include "kclinic/domain/scales/scoring.h"
#include "kclinic/domain/schedule/clinic.h"

namespace kclinic::app {

// The default crisis text until a site words its own (`kclinic settings text crisis_resources`).
// US resources: 988 Suicide & Crisis Lifeline (SAMHSA, 988lifeline.org) and emergency 911.
inline constexpr std::string_view kDefaultCrisisText =
    "If you are thinking about harming yourself or feel unsafe, please get help now. Call or text "
    "988 (Suicide & Crisis Lifeline, 24/7), or call 911 or go to the nearest emergency department.";

// What a patient is told will happen to answers that raised a safety alert: who sees them and
// when, from the clinic's hours (domain::schedule::NextOpening), never a promise the clinic cannot
// keep ("your care team has been notified" on a Friday night). Until alerts page someone, the
// care team sees them when the clinic is open.
// `zone` is how the person reads the clinic's zone ("EST").
std::string CrisisFollowUp(const std::optional<domain::schedule::Opening>& opening,
                           const std::string& zone);

struct RecordedAssessment {
  domain::AssessmentRecord record;
  domain::scales::ScoreResult score;
  std::optional<std::string> alert_id;     // set when the score raised a safety alert
  std::optional<std::string> crisis_text;  // set when the patient must see crisis resources now
  // With crisis_text: what will really happen to her answers, and when (CrisisFollowUp).
  std::optional<std::string> crisis_follow_up;
};

struct PatientOutcomes {
  std::vector<domain::Course> courses;
  std::vector<domain::CourseSession> sessions;
  std::vector<domain::AssessmentRecord> assessments;
  // Over the newest course (its given sessions); nullopt when the patient has no course.
  std::optional<domain::scales::CourseOutcome> outcome;
  int response_reduction_percent = 50;
};

struct AlertView {
  domain::Alert alert;
  domain::PersonName patient_name;
  bool escalated = false;  // open for longer than the site's escalation time
};

struct OverdueEntry {
  PatientId patient_id;
  domain::PersonName patient_name;
  domain::scales::DueQuestionnaire due;
};

class CareService {
 public:
  explicit CareService(Env env) : env_(env) {}

  // Scores and stores an assessment. A patient may enter only self-rated scales for herself.
  // `administered_at` defaults to now; what a patient answers is dated now, and staff may date a
  // paper form back within the site limit with `backdate_reason` (scales::CheckAdministeredAt).
  // InvalidArgument naming the item ("item_<n>"), "instrument", "administered_at" or
  // "backdate_reason"; NotFound for an unknown patient.
  Result<RecordedAssessment> RecordAssessment(
      const domain::Actor& actor, const PatientId& patient, const codec::Answers& answers,
      std::optional<Timestamp> administered_at,
      std::optional<std::string> backdate_reason = std::nullopt);
  Result<PatientOutcomes> Outcomes(const domain::Actor& actor, const PatientId& patient);
  Result<std::vector<domain::scales::DueQuestionnaire>> Due(const domain::Actor& actor,
                                                            const PatientId& patient);
  // Every overdue questionnaire of patients in treatment (staff worklist).
  Result<std::vector<OverdueEntry>> Overdue(const domain::Actor& actor);

  Result<std::vector<AlertView>> Alerts(const domain::Actor& actor, bool include_closed);
  // Closes an open alert with the action taken (1-2000 characters, field "action"). NotFound
  // for an unknown alert, FailedPrecondition when it was already acknowledged.
  Result<AlertView> Acknowledge(const domain::Actor& actor, const std::string& alert_id,
                                std::string action);

  // Starts a course. `primary_clinician` must be a prescriber's username (field
  // "primary_clinician"); AlreadyExists when the patient has a course in progress.
  Result<domain::Course> StartCourse(const domain::Actor& actor, const PatientId& patient,
                                     std::string kind, std::string phase,
                                     std::string primary_clinician,
                                     std::optional<Timestamp> started_at);
  // Moves a course to "induction", "maintenance" or "ended" (field "phase"). Returns the course
  // and the patient's sessions.
  Result<std::pair<domain::Course, std::vector<domain::CourseSession>>> SetCoursePhase(
      const domain::Actor& actor, const std::string& course_id, std::string phase);
  // Records a session of a course at `at` with status "planned", "given" or "cancelled".
  Result<domain::CourseSession> RecordSession(const domain::Actor& actor,
                                              const std::string& course_id, Timestamp at,
                                              std::string status);

  // The crisis resources text in force (the site's, else kDefaultCrisisText).
  Result<std::string> CrisisText();
  // Stores a new version of a site text; `by` names who, `reason` why (both required).
  static Result<int64_t> SetSiteText(const Env& env, const std::string& by, std::string key,
                                     std::string value, std::string reason);

 private:
  Env env_;
};

}  // namespace kclinic::app
