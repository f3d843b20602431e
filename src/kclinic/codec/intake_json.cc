#include "kclinic/codec/intake_json.h"

#include <algorithm>

#include "kclinic/base/clock.h"
#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

namespace sc = domain::screening;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// The array member `key` (empty when absent or null); InvalidArgument when not an array.
Result<const json*> ArrayMember(const json& object, const std::string& path, std::string_view key) {
  static const json kEmpty = json::array();
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return &kEmpty;
  if (!it->is_array()) return InvalidArgument(JoinPath(path, key), "must be an array");
  return &*it;
}

std::string Index(std::string_view key, size_t i) {
  return std::string(key) + "[" + std::to_string(i) + "]";
}

template <typename E>
Result<std::optional<E>> CodeMember(ObjectReader& r, std::string_view key,
                                    std::optional<E> (*parse)(std::string_view)) {
  KC_ASSIGN_OR_RETURN(auto text, r.String(key));
  if (!text) return std::optional<E>();
  auto value = parse(*text);
  if (!value) return InvalidArgument(r.FieldPath(key), "'" + *text + "' is not a known code");
  return std::optional<E>(*value);
}

Result<std::optional<double>> NonNegative(ObjectReader& r, std::string_view key) {
  KC_ASSIGN_OR_RETURN(auto v, r.Number(key));
  if (v && *v < 0) return InvalidArgument(r.FieldPath(key), "must not be negative");
  return v;
}

// Reads an array of codes (strings) into enums.
template <typename E>
Result<std::vector<E>> CodeArray(const json& body, std::string_view key,
                                 std::optional<E> (*parse)(std::string_view)) {
  KC_ASSIGN_OR_RETURN(const json* array, ArrayMember(body, "", key));
  std::vector<E> out;
  for (size_t i = 0; i < array->size(); ++i) {
    const json& v = (*array)[i];
    if (!v.is_string()) return InvalidArgument(Index(key, i), "must be a string");
    auto e = parse(v.get<std::string>());
    if (!e) {
      return InvalidArgument(Index(key, i), "'" + v.get<std::string>() + "' is not a known code");
    }
    out.push_back(*e);
  }
  return out;
}

// Calls `read(reader, field)` for each object element of the array member `key`.
template <typename Fn>
Status ForEachObject(const json& body, std::string_view key, Fn read) {
  KC_ASSIGN_OR_RETURN(const json* array, ArrayMember(body, "", key));
  for (size_t i = 0; i < array->size(); ++i) {
    std::string field = Index(key, i);
    if (!(*array)[i].is_object()) return InvalidArgument(field, "must be an object");
    ObjectReader r((*array)[i], field);
    KC_RETURN_IF_ERROR(read(r, field));
    KC_RETURN_IF_ERROR(r.Finish());
  }
  return Status::Ok();
}

}  // namespace

Result<sc::Intake> IntakeFromJson(const json& body) {
  if (!body.is_object()) return InvalidArgument("body", "must be a JSON object");
  KC_RETURN_IF_ERROR(RejectUnknownMembers(
      body, "",
      {"sex", "age_years", "birth_date", "assessed_on", "diagnoses", "trials", "medications",
       "conditions", "vitals", "pregnancy", "breastfeeding", "substance_use", "checklist_done"}));
  sc::Intake in;
  ObjectReader top(body, "");
  KC_ASSIGN_OR_RETURN(auto sex, CodeMember<domain::Sex>(top, "sex", &domain::ParseSex));
  if (sex) in.sex = *sex;
  KC_ASSIGN_OR_RETURN(auto age, top.Integer("age_years"));
  if (age) {
    if (*age < 0 || *age > 130) return InvalidArgument("age_years", "must be between 0 and 130");
    in.age_years = static_cast<int>(*age);
  }
  KC_ASSIGN_OR_RETURN(in.birth_date, top.Date("birth_date"));
  KC_ASSIGN_OR_RETURN(in.assessed_on, top.Date("assessed_on"));
  KC_ASSIGN_OR_RETURN(auto pregnancy,
                      CodeMember<sc::PregnancyStatus>(top, "pregnancy", &sc::ParsePregnancyStatus));
  if (pregnancy) in.pregnancy = *pregnancy;
  KC_ASSIGN_OR_RETURN(auto breastfeeding, top.Bool("breastfeeding"));
  in.breastfeeding = breastfeeding.value_or(false);

  KC_RETURN_IF_ERROR(ForEachObject(body, "diagnoses", [&](ObjectReader& r, const std::string& f) {
    sc::DiagnosisEntry d;
    KC_ASSIGN_OR_RETURN(auto code, CodeMember<sc::Diagnosis>(r, "code", &sc::ParseDiagnosis));
    if (!code) return InvalidArgument(f + ".code", "is required");
    d.code = *code;
    KC_ASSIGN_OR_RETURN(auto episode,
                        CodeMember<sc::Episode>(r, "current_episode", &sc::ParseEpisode));
    if (episode) d.current_episode = *episode;
    in.diagnoses.push_back(d);
    return Status::Ok();
  }));

  KC_RETURN_IF_ERROR(ForEachObject(body, "trials", [&](ObjectReader& r, const std::string& f) {
    sc::AntidepressantTrial t;
    KC_ASSIGN_OR_RETURN(auto drug, r.String("drug"));
    if (!drug || drug->empty()) return InvalidArgument(f + ".drug", "is required");
    t.drug = *drug;
    KC_ASSIGN_OR_RETURN(auto dose, NonNegative(r, "daily_dose_mg"));
    if (dose) t.daily_dose = Milligrams(*dose);
    KC_ASSIGN_OR_RETURN(t.weeks, NonNegative(r, "weeks"));
    KC_ASSIGN_OR_RETURN(auto outcome,
                        CodeMember<sc::TrialOutcome>(r, "outcome", &sc::ParseTrialOutcome));
    if (!outcome) return InvalidArgument(f + ".outcome", "is required");
    t.outcome = *outcome;
    KC_ASSIGN_OR_RETURN(auto current, r.Bool("in_current_episode"));
    t.in_current_episode = current.value_or(true);
    in.trials.push_back(std::move(t));
    return Status::Ok();
  }));

  KC_RETURN_IF_ERROR(ForEachObject(body, "medications", [&](ObjectReader& r, const std::string& f) {
    sc::Medication m;
    KC_ASSIGN_OR_RETURN(auto name, r.String("name"));
    if (!name || name->empty()) return InvalidArgument(f + ".name", "is required");
    m.name = *name;
    KC_ASSIGN_OR_RETURN(auto dose, NonNegative(r, "daily_dose_mg"));
    if (dose) m.daily_dose = Milligrams(*dose);
    in.medications.push_back(std::move(m));
    return Status::Ok();
  }));

  KC_RETURN_IF_ERROR(
      ForEachObject(body, "substance_use", [&](ObjectReader& r, const std::string& f) {
        sc::SubstanceUse u;
        KC_ASSIGN_OR_RETURN(auto s, CodeMember<sc::Substance>(r, "substance", &sc::ParseSubstance));
        if (!s) return InvalidArgument(f + ".substance", "is required");
        u.substance = *s;
        KC_ASSIGN_OR_RETURN(auto current, r.Bool("current"));
        u.current = current.value_or(true);
        in.substance_use.push_back(u);
        return Status::Ok();
      }));

  KC_ASSIGN_OR_RETURN(in.conditions,
                      CodeArray<sc::Condition>(body, "conditions", &sc::ParseCondition));
  KC_ASSIGN_OR_RETURN(in.checklist_done, CodeArray<sc::ChecklistItem>(body, "checklist_done",
                                                                      &sc::ParseChecklistItem));

  KC_ASSIGN_OR_RETURN(auto vitals, top.Object("vitals"));
  if (vitals) {
    KC_ASSIGN_OR_RETURN(auto sbp, NonNegative(*vitals, "systolic_mmhg"));
    KC_ASSIGN_OR_RETURN(auto dbp, NonNegative(*vitals, "diastolic_mmhg"));
    KC_ASSIGN_OR_RETURN(auto hr, NonNegative(*vitals, "heart_rate_bpm"));
    KC_ASSIGN_OR_RETURN(auto kg, NonNegative(*vitals, "weight_kg"));
    KC_ASSIGN_OR_RETURN(auto cm, NonNegative(*vitals, "height_cm"));
    KC_RETURN_IF_ERROR(vitals->Finish());
    if (sbp) in.vitals.systolic = MmHg(*sbp);
    if (dbp) in.vitals.diastolic = MmHg(*dbp);
    if (hr) in.vitals.heart_rate = BeatsPerMinute(*hr);
    if (kg) in.vitals.weight = Kilograms(*kg);
    if (cm) in.vitals.height = Centimeters(*cm);
  }
  return in;
}

Result<sc::Intake> IntakeFromText(std::string_view text) {
  KC_ASSIGN_OR_RETURN(json body, ParseObject(text));
  return IntakeFromJson(body);
}

ordered_json IntakeToJson(const sc::Intake& in) {
  ordered_json out;
  out["sex"] = domain::SexCode(in.sex);
  if (in.age_years) out["age_years"] = *in.age_years;
  if (in.birth_date) out["birth_date"] = FormatDate(*in.birth_date);
  if (in.assessed_on) out["assessed_on"] = FormatDate(*in.assessed_on);
  out["diagnoses"] = ordered_json::array();
  for (const auto& d : in.diagnoses) {
    out["diagnoses"].push_back({{"code", sc::DiagnosisCode(d.code)},
                                {"current_episode", sc::EpisodeCode(d.current_episode)}});
  }
  out["trials"] = ordered_json::array();
  for (const auto& t : in.trials) {
    ordered_json j;
    j["drug"] = t.drug;
    if (t.daily_dose) j["daily_dose_mg"] = t.daily_dose->value();
    if (t.weeks) j["weeks"] = *t.weeks;
    j["outcome"] = sc::TrialOutcomeCode(t.outcome);
    j["in_current_episode"] = t.in_current_episode;
    out["trials"].push_back(std::move(j));
  }
  out["medications"] = ordered_json::array();
  for (const auto& m : in.medications) {
    ordered_json j;
    j["name"] = m.name;
    if (m.daily_dose) j["daily_dose_mg"] = m.daily_dose->value();
    out["medications"].push_back(std::move(j));
  }
  out["conditions"] = ordered_json::array();
  for (auto c : in.conditions) out["conditions"].push_back(sc::ConditionCode(c));
  ordered_json v = ordered_json::object();
  if (in.vitals.systolic) v["systolic_mmhg"] = in.vitals.systolic->value();
  if (in.vitals.diastolic) v["diastolic_mmhg"] = in.vitals.diastolic->value();
  if (in.vitals.heart_rate) v["heart_rate_bpm"] = in.vitals.heart_rate->value();
  if (in.vitals.weight) v["weight_kg"] = in.vitals.weight->value();
  if (in.vitals.height) v["height_cm"] = in.vitals.height->value();
  out["vitals"] = std::move(v);
  out["pregnancy"] = sc::PregnancyStatusCode(in.pregnancy);
  out["breastfeeding"] = in.breastfeeding;
  out["substance_use"] = ordered_json::array();
  for (const auto& u : in.substance_use) {
    out["substance_use"].push_back(
        {{"substance", sc::SubstanceCode(u.substance)}, {"current", u.current}});
  }
  out["checklist_done"] = ordered_json::array();
  for (auto c : in.checklist_done) out["checklist_done"].push_back(sc::ChecklistItemCode(c));
  return out;
}

ordered_json ScreeningResultToJson(const sc::ScreeningResult& r) {
  ordered_json trd;
  trd["adequate_failed_trials"] = r.trd.adequate_failed_trials;
  trd["required_trials"] = r.trd.required_trials;
  trd["min_weeks"] = r.trd.min_weeks;
  trd["meets_trd"] = r.trd.meets_trd;
  trd["explanation"] = r.trd.explanation;
  trd["trials"] = ordered_json::array();
  for (const auto& t : r.trd.trials) {
    ordered_json j;
    j["index"] = t.index;
    j["adequate"] = t.adequate;
    j["failed"] = t.failed;
    j["counted"] = t.counted;
    j["reason"] = t.reason;
    trd["trials"].push_back(std::move(j));
  }
  ordered_json out;
  out["trd"] = std::move(trd);
  out["findings"] = ordered_json::array();
  for (const auto& f : r.findings) {
    ordered_json j;
    j["rule_id"] = f.rule_id;
    j["severity"] = sc::SeverityCode(f.severity);
    j["message"] = f.message;
    j["citation"] = f.citation;
    j["setting"] = f.setting_key.empty() ? ordered_json() : ordered_json(f.setting_key);
    out["findings"].push_back(std::move(j));
  }
  out["diazepam_equivalent_mg_per_day"] = r.diazepam_equivalent_mg_per_day;
  out["rules_version"] = r.rules_version;
  out["settings_version"] = r.settings_version;
  return out;
}

}  // namespace kclinic::codec
