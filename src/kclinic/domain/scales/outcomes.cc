#include "kclinic/domain/scales/outcomes.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "kclinic/domain/scales/instrument.h"
#include "kclinic/domain/scales/scale_settings.h"

namespace kclinic::domain::scales {

namespace {

using Days = std::chrono::duration<double, std::ratio<86400>>;

std::string AssessmentField(size_t i, std::string_view member) {
  return "assessments[" + std::to_string(i) + "]." + std::string(member);
}

// Whether an assessment counts as "well" for relapse purposes: CLINICAL.md §6 speaks of the
// loss of response/remission, so either one keeps a patient well.
bool Well(const AssessmentOutcome& a) { return a.response || a.remission; }

InstrumentOutcome Evaluate(const Instrument& instrument, std::vector<Assessment> list,
                           std::span<const Timestamp> sessions,
                           const std::optional<Timestamp>& first_session,
                           const OutcomeSettings& settings) {
  std::stable_sort(list.begin(), list.end(),
                   [](const Assessment& a, const Assessment& b) { return a.at < b.at; });
  InstrumentOutcome out;
  out.instrument = std::string(instrument.id);
  std::optional<size_t> baseline_index;
  for (size_t i = 0; i < list.size(); ++i) {
    // The course baseline is the last assessment before the first session (CLINICAL.md §6); one
    // taken at the very start time still describes the untreated state.
    if (first_session && list[i].at <= *first_session) baseline_index = i;
  }
  if (baseline_index) {
    out.baseline = list[*baseline_index].total;
    out.baseline_at = list[*baseline_index].at;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    AssessmentOutcome a;
    a.at = list[i].at;
    a.total = list[i].total;
    a.is_baseline = baseline_index == i;
    a.pre_course = !first_session || a.at <= *first_session;
    if (!a.pre_course && out.baseline) {
      const int b = *out.baseline;
      a.change_points = a.total - b;
      if (b > 0) {
        a.change_percent = 100.0 * (a.total - b) / b;
        // Response: >= outcomes.response_reduction_percent (default 50) reduction from the
        // course baseline (CLINICAL.md §6). The small tolerance keeps exact halves responses.
        a.response = 100.0 * (b - a.total) >= settings.response_reduction_percent * b - 1e-9;
      }
      a.remission = instrument.remission_max_total && a.total <= *instrument.remission_max_total;
    }
    out.assessments.push_back(a);
  }
  if (!out.baseline) return out;  // status kNoBaseline

  auto& as = out.assessments;
  for (const auto& a : as) {
    if (!a.pre_course && a.response && !out.first_response_at) {
      out.first_response_at = a.at;
      out.days_to_first_response = Days(a.at - *first_session).count();
      out.sessions_to_first_response = static_cast<int>(
          std::count_if(sessions.begin(), sessions.end(), [&](Timestamp s) { return s <= a.at; }));
    }
    if (!a.pre_course && a.remission && !out.first_remission_at) out.first_remission_at = a.at;
  }

  // Relapse after response (SUSTAIN-1, Daly et al. 2019; CLINICAL.md §6): response is lost on
  // two assessments outcomes.relapse_min_days..relapse_max_days apart. "Consecutive" is read as:
  // no well assessment between them, so that frequent questionnaires (before every induction
  // session) cannot hide a relapse by being closer together than the minimum.
  const auto min_gap = std::chrono::days(settings.relapse_min_days);
  const auto max_gap = std::chrono::days(settings.relapse_max_days);
  bool well_since_relapse = false;
  for (size_t i = 0; i < as.size(); ++i) {
    if (as[i].pre_course) continue;
    if (Well(as[i])) {
      well_since_relapse = true;
      continue;
    }
    if (!well_since_relapse) continue;
    for (size_t j = i + 1; j < as.size(); ++j) {
      if (Well(as[j])) break;
      auto gap = as[j].at - as[i].at;
      if (gap < min_gap) continue;
      if (gap > max_gap) break;
      as[i].relapse_onset = true;
      as[j].relapse_confirmed = true;
      out.relapses.push_back(Relapse{as[i].at, as[j].at});
      well_since_relapse = false;
      i = j;
      break;
    }
  }

  const AssessmentOutcome& latest = as.back();
  if (latest.pre_course) {
    out.status = CourseStatus::kNotResponding;
  } else if (latest.remission) {
    out.status = CourseStatus::kRemission;
  } else if (latest.response) {
    out.status = CourseStatus::kResponder;
  } else if (!out.relapses.empty() && !well_since_relapse) {
    out.status = CourseStatus::kRelapse;
  } else {
    out.status = CourseStatus::kNotResponding;
  }
  return out;
}

}  // namespace

std::string_view CourseStatusName(CourseStatus s) {
  switch (s) {
    case CourseStatus::kNoBaseline:
      return "no_baseline";
    case CourseStatus::kNotResponding:
      return "not_responding";
    case CourseStatus::kResponder:
      return "responder";
    case CourseStatus::kRemission:
      return "remission";
    case CourseStatus::kRelapse:
      return "relapse";
  }
  return "";
}

OutcomeSettings OutcomeSettingsFrom(const SiteSettings& settings) {
  OutcomeSettings o;
  o.response_reduction_percent = settings.Get(kResponseReductionPercent);
  o.relapse_min_days = static_cast<int>(settings.Get(kRelapseMinDays));
  o.relapse_max_days = static_cast<int>(settings.Get(kRelapseMaxDays));
  return o;
}

const InstrumentOutcome* CourseOutcome::Find(std::string_view instrument) const {
  for (const auto& o : instruments) {
    if (o.instrument == instrument) return &o;
  }
  return nullptr;
}

Result<CourseOutcome> ComputeCourseOutcome(std::span<const Timestamp> sessions,
                                           std::span<const Assessment> assessments,
                                           const OutcomeSettings& settings) {
  if (settings.relapse_min_days > settings.relapse_max_days) {
    return InvalidArgument("settings.relapse_min_days", "must not exceed relapse_max_days");
  }
  for (size_t i = 0; i < assessments.size(); ++i) {
    const Instrument* instrument = FindInstrument(assessments[i].instrument);
    if (!instrument) return InvalidArgument(AssessmentField(i, "instrument"), "is not known");
    if (instrument->rule != ScoringRule::kTriage &&
        (assessments[i].total < instrument->min_total ||
         assessments[i].total > instrument->max_total)) {
      return InvalidArgument(AssessmentField(i, "total"),
                             "must be between " + std::to_string(instrument->min_total) + " and " +
                                 std::to_string(instrument->max_total));
    }
  }
  CourseOutcome out;
  if (!sessions.empty()) out.first_session_at = *std::min_element(sessions.begin(), sessions.end());
  for (const Instrument& instrument : Instruments()) {
    if (!instrument.tracks_response) continue;
    std::vector<Assessment> list;
    for (const auto& a : assessments) {
      if (a.instrument == instrument.id) list.push_back(a);
    }
    if (list.empty()) continue;
    out.instruments.push_back(
        Evaluate(instrument, std::move(list), sessions, out.first_session_at, settings));
  }
  return out;
}

}  // namespace kclinic::domain::scales
