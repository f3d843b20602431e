#include "kclinic/codec/scale_json.h"

#include <string>

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

namespace scales = domain::scales;
using nlohmann::ordered_json;

namespace {

ordered_json OptionalInt(const std::optional<int>& v) { return v ? ordered_json(*v) : nullptr; }

ordered_json OptionalTime(const std::optional<Timestamp>& t) {
  return t ? ordered_json(FormatTimestamp(*t)) : nullptr;
}

}  // namespace

ordered_json InstrumentToJson(const scales::Instrument& in) {
  const bool text = in.licence == scales::Licence::kItemText;
  ordered_json j;
  j["id"] = in.id;
  j["title"] = in.title;
  j["name"] = in.name;
  j["rater"] = scales::RaterName(in.rater);
  j["licence"] = scales::LicenceName(in.licence);
  j["licence_note"] = in.licence_note;
  if (text && !in.instructions.empty()) j["instructions"] = in.instructions;
  j["scoring"] = scales::ScoringRuleName(in.rule);
  if (in.rule == scales::ScoringRule::kTriage) {
    j["min_total"] = nullptr;
    j["max_total"] = nullptr;
  } else {
    j["min_total"] = in.min_total;
    j["max_total"] = in.max_total;
  }
  j["remission_max_total"] = OptionalInt(in.remission_max_total);
  j["tracks_response"] = in.tracks_response;
  if (in.loinc_panel.empty() && in.loinc_total.empty()) {
    j["loinc"] = nullptr;
  } else {
    j["loinc"] = {{"panel", in.loinc_panel}, {"total", in.loinc_total}};
  }
  j["source"] = in.source;
  ordered_json bands = ordered_json::array();
  for (size_t i = 0; i < in.bands.size(); ++i) {
    const auto& b = in.bands[i];
    int max = i + 1 < in.bands.size() ? in.bands[i + 1].min_total - 1 : in.max_total;
    bands.push_back({{"min", b.min_total},
                     {"max", max},
                     {"severity", scales::SeverityName(b.severity)},
                     {"label", b.label}});
  }
  j["bands"] = bands;
  if (!in.groups.empty()) j["groups"] = in.groups;
  ordered_json items = ordered_json::array();
  for (const auto& item : in.items) {
    ordered_json it;
    it["number"] = item.number;
    if (text && !item.text.empty()) it["text"] = item.text;
    it["min"] = item.min_value;
    it["max"] = item.max_value;
    it["scored"] = item.scored;
    it["required"] = item.required;
    it["safety"] = item.safety;
    if (item.positive_subscale) it["positive_subscale"] = true;
    if (!item.loinc.empty()) it["loinc"] = item.loinc;
    ordered_json options = ordered_json::array();
    for (const auto& o : item.options) {
      ordered_json oj;
      oj["value"] = o.value;
      if (!o.label.empty()) oj["label"] = o.label;
      if (!o.loinc_answer.empty()) oj["loinc"] = o.loinc_answer;
      options.push_back(oj);
    }
    it["options"] = options;
    items.push_back(it);
  }
  j["items"] = items;
  return j;
}

ordered_json InstrumentListToJson() {
  ordered_json list = ordered_json::array();
  for (const auto& in : scales::Instruments()) {
    list.push_back({{"id", in.id},
                    {"title", in.title},
                    {"name", in.name},
                    {"rater", scales::RaterName(in.rater)},
                    {"licence", scales::LicenceName(in.licence)}});
  }
  return list;
}

ordered_json ScoreResultToJson(const scales::ScoreResult& r) {
  ordered_json j;
  j["instrument"] = r.instrument->id;
  j["total"] = OptionalInt(r.total);
  j["max_total"] = r.total ? ordered_json(r.instrument->max_total) : nullptr;
  j["severity"] = r.severity ? ordered_json(scales::SeverityName(*r.severity)) : nullptr;
  j["severity_label"] = r.severity ? ordered_json(r.severity_label) : nullptr;
  ordered_json flags = ordered_json::array();
  for (auto f : r.flags) flags.push_back(scales::FlagName(f));
  j["flags"] = flags;
  j["prorated"] = r.prorated;
  j["missing_items"] = r.missing_items;
  j["remission"] = r.remission;
  ordered_json items = ordered_json::array();
  for (const auto& a : r.items) items.push_back(OptionalInt(a));
  j["items"] = items;
  if (r.risk) j["risk"] = scales::CssrsRiskName(*r.risk);
  if (r.positive_subscale) j["positive_subscale"] = *r.positive_subscale;
  return j;
}

ordered_json CourseOutcomeToJson(const scales::CourseOutcome& outcome) {
  ordered_json j;
  j["first_session_at"] = OptionalTime(outcome.first_session_at);
  ordered_json instruments = ordered_json::array();
  for (const auto& o : outcome.instruments) {
    ordered_json oj;
    oj["instrument"] = o.instrument;
    oj["status"] = scales::CourseStatusName(o.status);
    oj["baseline"] = OptionalInt(o.baseline);
    oj["baseline_at"] = OptionalTime(o.baseline_at);
    oj["first_response_at"] = OptionalTime(o.first_response_at);
    oj["days_to_first_response"] =
        o.days_to_first_response ? ordered_json(*o.days_to_first_response) : nullptr;
    oj["sessions_to_first_response"] = OptionalInt(o.sessions_to_first_response);
    oj["first_remission_at"] = OptionalTime(o.first_remission_at);
    ordered_json relapses = ordered_json::array();
    for (const auto& r : o.relapses) {
      relapses.push_back({{"onset_at", FormatTimestamp(r.onset_at)},
                          {"confirmed_at", FormatTimestamp(r.confirmed_at)}});
    }
    oj["relapses"] = relapses;
    ordered_json points = ordered_json::array();
    for (const auto& a : o.assessments) {
      points.push_back(
          {{"at", FormatTimestamp(a.at)},
           {"total", a.total},
           {"baseline", a.is_baseline},
           {"pre_course", a.pre_course},
           {"change_points", OptionalInt(a.change_points)},
           {"change_percent", a.change_percent ? ordered_json(*a.change_percent) : nullptr},
           {"response", a.response},
           {"remission", a.remission},
           {"relapse_onset", a.relapse_onset},
           {"relapse_confirmed", a.relapse_confirmed}});
    }
    oj["assessments"] = points;
    instruments.push_back(oj);
  }
  j["instruments"] = instruments;
  return j;
}

ordered_json DueQuestionnairesToJson(const std::vector<scales::DueQuestionnaire>& due) {
  ordered_json list = ordered_json::array();
  for (const auto& d : due) {
    list.push_back({{"instrument", d.instrument},
                    {"reason", scales::DueReasonName(d.reason)},
                    {"opens_at", FormatTimestamp(d.opens_at)},
                    {"due_at", FormatTimestamp(d.due_at)},
                    {"overdue", d.overdue},
                    {"reminder", d.reminder}});
  }
  return list;
}

Result<Answers> AnswersFromJson(const nlohmann::json& body) {
  if (!body.is_object()) return InvalidArgument("body", "must be a JSON object");
  for (const auto& member : body.items()) {
    if (member.key() != "instrument" && member.key() != "items") {
      return InvalidArgument(member.key(), "is not a known field");
    }
  }
  ObjectReader r(body, "");
  Answers answers;
  KC_ASSIGN_OR_RETURN(auto instrument, r.String("instrument"));
  if (!instrument) return InvalidArgument("instrument", "is required");
  if (!scales::FindInstrument(*instrument)) {
    return InvalidArgument("instrument", "is not a known instrument");
  }
  answers.instrument = *instrument;
  auto items = body.find("items");
  if (items == body.end() || items->is_null()) return InvalidArgument("items", "is required");
  if (!items->is_array()) return InvalidArgument("items", "must be an array of integers or null");
  for (size_t i = 0; i < items->size(); ++i) {
    const auto& v = (*items)[i];
    const std::string field = "item_" + std::to_string(i + 1);
    if (v.is_null()) {
      answers.items.emplace_back();
    } else if (v.is_number_integer()) {
      // Bounded here only so the int conversion is safe; Score checks the item's real range.
      const auto value = v.get<int64_t>();
      if (value < -1000 || value > 1000) return InvalidArgument(field, "is out of range");
      answers.items.emplace_back(static_cast<int>(value));
    } else {
      return InvalidArgument(field, "must be an integer or null");
    }
  }
  return answers;
}

}  // namespace kclinic::codec
