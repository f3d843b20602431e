// Outcomes over one treatment course (CLINICAL.md §6): the course baseline per instrument, change
// from baseline, response, remission, relapse after response, time to first response and a
// course status. Pure: times come in as arguments.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain::scales {

// One stored assessment of a course's patient.
struct Assessment {
  std::string instrument;  // instrument id ("phq9")
  Timestamp at;            // when it was completed (UTC)
  int total;               // its total score
};

struct OutcomeSettings {
  double response_reduction_percent = 50;  // setting outcomes.response_reduction_percent
  int relapse_min_days = 5;                // setting outcomes.relapse_min_days
  int relapse_max_days = 15;               // setting outcomes.relapse_max_days
};
// The settings in force at a site.
OutcomeSettings OutcomeSettingsFrom(const SiteSettings& settings);

// The course's state on one instrument, judged at its latest assessment.
enum class CourseStatus {
  kNoBaseline,     // no assessment before the first session (or no session yet)
  kNotResponding,  // latest assessment short of response (and no confirmed relapse)
  kResponder,      // latest assessment meets response but not remission
  kRemission,      // latest assessment meets the instrument's remission threshold
  kRelapse,        // response was lost and confirmed (relapse rule), not regained since
};
// "no_baseline", "not_responding", "responder", "remission", "relapse".
std::string_view CourseStatusName(CourseStatus s);

struct AssessmentOutcome {
  Timestamp at;
  int total;
  bool is_baseline = false;  // this is the course baseline
  bool pre_course = false;   // completed at or before the first session (incl. the baseline)
  // Set for assessments after the first session when there is a baseline:
  std::optional<int> change_points;      // total - baseline (negative: better)
  std::optional<double> change_percent;  // 100 * change / baseline; nullopt when baseline is 0
  bool response = false;                 // reduction >= the response percent of a baseline > 0
  bool remission = false;                // total <= the instrument's remission threshold
  bool relapse_onset = false;            // first of the two assessments confirming a relapse
  bool relapse_confirmed = false;        // second of them: the relapse is known from here
};

struct Relapse {
  Timestamp onset_at;      // first assessment without response
  Timestamp confirmed_at;  // the confirming one, relapse_min_days..relapse_max_days later
};

struct InstrumentOutcome {
  std::string instrument;
  std::optional<int> baseline;  // the last assessment at or before the first session
  std::optional<Timestamp> baseline_at;
  std::vector<AssessmentOutcome> assessments;  // in time order
  std::optional<Timestamp> first_response_at;
  std::optional<double> days_to_first_response;   // from the first session, fractional days
  std::optional<int> sessions_to_first_response;  // sessions at or before first response
  std::optional<Timestamp> first_remission_at;
  std::vector<Relapse> relapses;  // each after a response, in time order
  CourseStatus status = CourseStatus::kNoBaseline;
};

struct CourseOutcome {
  std::optional<Timestamp> first_session_at;
  std::vector<InstrumentOutcome> instruments;  // in Instruments() order, only those assessed
  // The outcome for one instrument id, or nullptr when it was not assessed.
  const InstrumentOutcome* Find(std::string_view instrument) const;
};

// Computes outcomes for every instrument that tracks response (PHQ-9, GAD-7, MADRS, QIDS-SR16,
// HAM-D17); assessments of other instruments (C-SSRS, CADSS, BPRS) are ignored. `sessions` are
// the course's infusion start times, any order. Errors (InvalidArgument):
// "assessments[i].instrument" for an unknown id, "assessments[i].total" out of the instrument's
// range, "settings.relapse_min_days" when min > max.
Result<CourseOutcome> ComputeCourseOutcome(std::span<const Timestamp> sessions,
                                           std::span<const Assessment> assessments,
                                           const OutcomeSettings& settings);

}  // namespace kclinic::domain::scales
