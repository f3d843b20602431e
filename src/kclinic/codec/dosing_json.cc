#include "kclinic/codec/dosing_json.h"

#include <algorithm>

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

namespace ds = domain::dosing;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

Result<std::optional<int>> OptionalInt(ObjectReader& r, std::string_view key) {
  KC_ASSIGN_OR_RETURN(auto v, r.Integer(key));
  if (!v) return std::optional<int>();
  if (*v < -1000 || *v > 1000) return InvalidArgument(r.FieldPath(key), "is out of range");
  return std::optional<int>(static_cast<int>(*v));
}

ordered_json Strings(const std::vector<std::string>& v) {
  ordered_json out = ordered_json::array();
  for (const auto& s : v) out.push_back(s);
  return out;
}

}  // namespace

ordered_json DosePlanToJson(const ds::DosePlan& p) {
  ordered_json out;
  out["dosing_weight_kg"] = p.dosing_weight.value();
  out["dose_mg"] = p.dose.value();
  out["volume_ml"] = p.volume.value();
  out["rate_ml_per_h"] = p.rate_ml_per_h.value();
  out["rate_mg_per_min"] = p.rate_mg_per_min.value();
  out["bmi"] = p.bmi.value();
  out["ideal_body_weight_kg"] = p.ideal_body_weight.value();
  out["adjusted_body_weight_kg"] = p.adjusted_body_weight.value();
  out["actual_weight_kg"] = p.actual_weight.value();
  out["bmi_prompt"] = p.bmi_prompt;
  out["basis"] = ds::WeightBasisCode(p.basis);
  out["mg_per_kg"] = p.mg_per_kg.value();
  out["concentration_mg_per_ml"] = p.concentration.value();
  out["minutes"] = p.minutes.value();
  out["notes"] = Strings(p.notes);
  out["settings_used"] = Strings(p.settings_used);
  out["settings_version"] = p.settings_version;
  return out;
}

Result<ds::DoseRequest> DoseRequestFromJson(const json& body) {
  if (!body.is_object()) return InvalidArgument("body", "must be a JSON object");
  ObjectReader r(body, "");
  ds::DoseRequest req;
  KC_ASSIGN_OR_RETURN(double kg, r.RequiredNumber("weight_kg"));
  KC_ASSIGN_OR_RETURN(double cm, r.RequiredNumber("height_cm"));
  KC_ASSIGN_OR_RETURN(std::string sex, r.RequiredString("sex"));
  KC_ASSIGN_OR_RETURN(double mg_per_kg, r.RequiredNumber("mg_per_kg"));
  KC_ASSIGN_OR_RETURN(std::string basis, r.RequiredString("basis"));
  KC_ASSIGN_OR_RETURN(double conc, r.RequiredNumber("concentration_mg_per_ml"));
  KC_ASSIGN_OR_RETURN(double minutes, r.RequiredNumber("minutes"));
  KC_RETURN_IF_ERROR(r.Finish());
  auto parsed_sex = domain::ParseSex(sex);
  if (!parsed_sex || (*parsed_sex != domain::Sex::kFemale && *parsed_sex != domain::Sex::kMale)) {
    return InvalidArgument("sex", "must be female or male");
  }
  auto parsed_basis = ds::ParseWeightBasis(basis);
  if (!parsed_basis) return InvalidArgument("basis", "must be actual, ideal or adjusted");
  req.weight = Kilograms(kg);
  req.height = Centimeters(cm);
  req.sex = *parsed_sex;
  req.mg_per_kg = MgPerKg(mg_per_kg);
  req.basis = *parsed_basis;
  req.concentration = MgPerMl(conc);
  req.minutes = Minutes(minutes);
  return req;
}

ordered_json TitrationSuggestionToJson(const ds::TitrationSuggestion& s) {
  ordered_json out;
  out["action"] = ds::TitrationActionCode(s.action);
  out["mg_per_kg"] = s.mg_per_kg.value();
  out["minutes"] = s.minutes.value();
  out["reason"] = s.reason;
  out["improvement_percent"] =
      s.improvement_percent ? ordered_json(*s.improvement_percent) : ordered_json();
  out["sessions_at_current_dose"] = s.sessions_at_current_dose;
  out["settings_used"] = Strings(s.settings_used);
  out["settings_version"] = s.settings_version;
  return out;
}

Result<TitrationRequest> TitrationRequestFromJson(const json& body) {
  if (!body.is_object()) return InvalidArgument("body", "must be a JSON object");
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "baseline_phq9" && it.key() != "history") {
      return InvalidArgument(it.key(), "is not a known field");
    }
  }
  TitrationRequest out;
  ObjectReader top(body, "");
  KC_ASSIGN_OR_RETURN(out.baseline_phq9, OptionalInt(top, "baseline_phq9"));
  auto h = body.find("history");
  if (h == body.end() || h->is_null()) return InvalidArgument("history", "is required");
  if (!h->is_array()) return InvalidArgument("history", "must be an array");
  for (size_t i = 0; i < h->size(); ++i) {
    std::string field = "history[" + std::to_string(i) + "]";
    const json& e = (*h)[i];
    if (!e.is_object()) return InvalidArgument(field, "must be an object");
    ds::SessionOutcome s;
    // "events" is read by hand (an array of codes), so unknown members are checked here too.
    for (auto it = e.begin(); it != e.end(); ++it) {
      static constexpr std::string_view kKnown[] = {
          "mg_per_kg", "minutes", "phq9_before", "phq9_after", "improvement_percent", "events"};
      if (std::find(std::begin(kKnown), std::end(kKnown), it.key()) == std::end(kKnown)) {
        return InvalidArgument(field + "." + it.key(), "is not a known field");
      }
    }
    ObjectReader r(e, field);
    KC_ASSIGN_OR_RETURN(double mg_per_kg, r.RequiredNumber("mg_per_kg"));
    KC_ASSIGN_OR_RETURN(double minutes, r.RequiredNumber("minutes"));
    s.mg_per_kg = MgPerKg(mg_per_kg);
    s.minutes = Minutes(minutes);
    KC_ASSIGN_OR_RETURN(s.phq9_before, OptionalInt(r, "phq9_before"));
    KC_ASSIGN_OR_RETURN(s.phq9_after, OptionalInt(r, "phq9_after"));
    KC_ASSIGN_OR_RETURN(s.improvement_percent, r.Number("improvement_percent"));
    auto ev = e.find("events");
    if (ev != e.end() && !ev->is_null()) {
      if (!ev->is_array()) return InvalidArgument(field + ".events", "must be an array");
      for (size_t k = 0; k < ev->size(); ++k) {
        std::string ef = field + ".events[" + std::to_string(k) + "]";
        if (!(*ev)[k].is_string()) return InvalidArgument(ef, "must be a string");
        auto code = ds::ParseToleranceEvent((*ev)[k].get<std::string>());
        if (!code) {
          return InvalidArgument(ef, "must be severe_dissociation, bp_event or vomiting");
        }
        s.events.push_back(*code);
      }
    }
    out.history.push_back(std::move(s));
  }
  return out;
}

}  // namespace kclinic::codec
