// Rating scales as JSON: instrument definitions for the portal and the clinician form, score
// results, course outcomes and due questionnaires for the API and `kclinic score --json`, and the
// strict reader for submitted answers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"
#include "kclinic/domain/scales/instrument.h"
#include "kclinic/domain/scales/outcomes.h"
#include "kclinic/domain/scales/schedule.h"
#include "kclinic/domain/scales/scoring.h"

namespace kclinic::codec {

// {"id","title","name","rater","licence","licence_note","instructions"?,"scoring","min_total",
//  "max_total","remission_max_total"|null,"loinc":{"panel","total"}|null,"bands":[{"min","max",
//  "severity","label"}],"items":[{"number","text"?,"min","max","scored","required","safety",
//  "positive_subscale"?,"loinc"?,"options":[{"value","label"?,"loinc"?}]}],"groups"?}.
// Score-entry instruments carry no "text", "instructions" or option labels.
nlohmann::ordered_json InstrumentToJson(const domain::scales::Instrument& instrument);
// [{"id","title","name","rater","licence"}] for every instrument.
nlohmann::ordered_json InstrumentListToJson();

// {"instrument","total"|null,"max_total","severity"|null,"severity_label"|null,"flags":[...],
//  "prorated","missing_items","remission","items":[int|null...],"risk"? (C-SSRS),
//  "positive_subscale"? (BPRS)}.
nlohmann::ordered_json ScoreResultToJson(const domain::scales::ScoreResult& result);

// {"first_session_at"|null,"instruments":[{"instrument","status","baseline"|null,
//  "baseline_at"|null,"first_response_at"|null,"days_to_first_response"|null,
//  "sessions_to_first_response"|null,"first_remission_at"|null,"relapses":[{"onset_at",
//  "confirmed_at"}],"assessments":[{"at","total","baseline","pre_course","change_points"|null,
//  "change_percent"|null,"response","remission","relapse_onset","relapse_confirmed"}]}]}.
// Times as FormatTimestamp text.
nlohmann::ordered_json CourseOutcomeToJson(const domain::scales::CourseOutcome& outcome);

// [{"instrument","reason","opens_at","due_at","overdue","reminder"}].
nlohmann::ordered_json DueQuestionnairesToJson(
    const std::vector<domain::scales::DueQuestionnaire>& due);

// Submitted answers: {"instrument": "phq9", "items": [1, 0, null, ...]}; null = unanswered.
struct Answers {
  std::string instrument;
  std::vector<std::optional<int>> items;
};
// Strict: InvalidArgument "instrument" (missing, not a string, unknown id), "items" (missing or
// not an array), "item_<n>" (element n, 1-based, not an integer or null), or the name of an
// unknown member. Ranges are checked by domain::scales::Score, which names the same fields.
Result<Answers> AnswersFromJson(const nlohmann::json& body);

}  // namespace kclinic::codec
