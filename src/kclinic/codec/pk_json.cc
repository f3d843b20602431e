#include "kclinic/codec/pk_json.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "kclinic/codec/json_read.h"
#include "kclinic/domain/pk/model.h"

namespace kclinic::codec {

namespace pk = domain::pk;
using OrderedJson = nlohmann::ordered_json;

namespace {

OrderedJson ExposureJson(const pk::Exposure& e, const std::string& above_key) {
  OrderedJson j;
  j["cmax"] = e.cmax.value();
  j["tmax_min"] = e.tmax.value();
  j[above_key] = e.above_threshold.value();
  j["auc"] = e.auc.value();
  return j;
}

OrderedJson QuantilesJson(const pk::Quantiles& q) {
  return OrderedJson{{"p05", q.p05}, {"median", q.median}, {"p95", q.p95}};
}

OrderedJson PopulationExposureJson(const pk::PopulationSeries& s, const std::string& above_key) {
  OrderedJson j;
  j["cmax"] = QuantilesJson(s.cmax);
  j["tmax_min"] = QuantilesJson(s.tmax);
  j[above_key] = QuantilesJson(s.above_threshold);
  j["auc"] = QuantilesJson(s.auc);
  return j;
}

std::string Note(const pk::ModelInfo& info) {
  return std::string(info.name) + ": " + std::string(info.population) + ". " +
         std::string(info.note);
}

void AddModel(OrderedJson& j, pk::ModelId model) {
  const pk::ModelInfo& info = pk::DescribeModel(model);
  j["model"] = info.code;
  j["model_name"] = info.name;
  j["drug"] = info.drug;
  j["unit"] = "ng/mL";
  j["series"] = info.parent_series;
}

OrderedJson EffectSiteJson(pk::PerMinute ke0) {
  return OrderedJson{
      {"ke0_per_min", ke0.value()},
      {"ke0_source",
       ke0.value() == pk::kDefaultKe0PerMin
           ? "Olofsen 2022: S-ketamine blood-effect-site half-time 8.3 min; no ke0 has been "
             "validated for dissociation from racemic ketamine"
           : "set by the caller"}};
}

void AddProvenance(OrderedJson& j, pk::ModelId model) {
  const pk::ModelInfo& info = pk::DescribeModel(model);
  j["population"] = info.population;
  j["citation"] = info.citation;
  j["note"] = Note(info);
}

}  // namespace

std::string MinutesAboveKey(pk::NgPerMl threshold) {
  const double t = threshold.value();
  if (t == std::floor(t) && t < 1e9) return "minutes_above_" + std::to_string(std::lround(t));
  std::string text = std::to_string(t);  // "62.500000"
  text.erase(text.find_last_not_of('0') + 1);
  return "minutes_above_" + text;
}

Result<pk::Regimen> RegimenFromJson(const nlohmann::json& value, const std::string& path) {
  if (!value.is_array()) {
    return InvalidArgument(path,
                           "must be an array of {start_min, bolus_mg} or {start_min, "
                           "end_min, rate_mg_per_min} entries");
  }
  std::vector<pk::DoseEntry> entries;
  entries.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string entry_path = path + "." + std::to_string(i);
    if (!value[i].is_object()) return InvalidArgument(entry_path, "must be an object");
    ObjectReader r(value[i], entry_path);
    KC_ASSIGN_OR_RETURN(auto start, r.Number("start_min"));
    KC_ASSIGN_OR_RETURN(auto bolus, r.Number("bolus_mg"));
    KC_ASSIGN_OR_RETURN(auto end, r.Number("end_min"));
    KC_ASSIGN_OR_RETURN(auto rate, r.Number("rate_mg_per_min"));
    KC_RETURN_IF_ERROR(r.Finish());
    if (!start) return InvalidArgument(r.FieldPath("start_min"), "is required");
    pk::DoseEntry e;
    e.start = pk::Minutes(*start);
    if (bolus) e.bolus = pk::Milligrams(*bolus);
    if (end) e.end = pk::Minutes(*end);
    if (rate) e.rate = pk::MgPerMin(*rate);
    entries.push_back(e);
  }
  auto regimen = pk::Regimen::Create(std::move(entries));
  if (!regimen.ok() && path != "regimen" && regimen.status().field().starts_with("regimen")) {
    // Regimen::Create names fields under "regimen"; re-root them under the caller's path.
    const Status& s = regimen.status();
    return InvalidArgument(path + s.field().substr(7), s.message());
  }
  return regimen;
}

Result<pk::Regimen> ParseRegimen(std::string_view text) {
  // Keys repeated within one entry are rejected: which value wins would be parser-specific.
  std::vector<std::vector<std::string>> keys_by_depth;
  std::string duplicate;
  nlohmann::json::parser_callback_t cb = [&](int, nlohmann::json::parse_event_t event,
                                             nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start) {
      keys_by_depth.emplace_back();
    } else if (event == E::object_end) {
      if (!keys_by_depth.empty()) keys_by_depth.pop_back();
    } else if (event == E::key && !keys_by_depth.empty()) {
      auto& keys = keys_by_depth.back();
      const auto& key = parsed.get_ref<const std::string&>();
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
        if (duplicate.empty()) duplicate = key;
      } else {
        keys.push_back(key);
      }
    }
    return true;
  };
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return InvalidArgument("regimen", "is empty; expected a JSON array of entries");
  }
  nlohmann::json parsed = nlohmann::json::parse(text, cb, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return InvalidArgument("regimen", "is not valid JSON");
  if (!duplicate.empty()) {
    return InvalidArgument("regimen", "repeats the key \"" + duplicate + "\" within an entry");
  }
  return RegimenFromJson(parsed, "regimen");
}

OrderedJson PredictionToJson(const pk::Prediction& p) {
  const std::string above = MinutesAboveKey(p.threshold);
  OrderedJson j;
  AddModel(j, p.model);
  OrderedJson points = OrderedJson::array();
  for (size_t k = 0; k < p.times.size(); ++k) {
    OrderedJson point;
    point["t_min"] = p.times[k].value();
    point["cp"] = p.plasma.values[k].value();
    point["ce"] = p.effect_site.values[k].value();
    if (p.metabolite) point[std::string(p.metabolite->name)] = p.metabolite->values[k].value();
    points.push_back(std::move(point));
  }
  j["points"] = std::move(points);
  j.update(ExposureJson(p.plasma.exposure, above));
  j["auc_unit"] = "ng*min/mL";
  j["threshold_ng_per_ml"] = p.threshold.value();
  j["horizon_min"] = p.horizon.value();
  j["total_dose_mg"] = p.total_dose.value();
  OrderedJson effect = EffectSiteJson(p.ke0);
  effect.update(ExposureJson(p.effect_site.exposure, above));
  j["effect_site"] = std::move(effect);
  if (p.metabolite)
    j[std::string(p.metabolite->name)] = ExposureJson(p.metabolite->exposure, above);
  AddProvenance(j, p.model);
  return j;
}

OrderedJson PopulationToJson(const pk::PopulationPrediction& p) {
  const std::string above = MinutesAboveKey(p.threshold);
  OrderedJson j;
  AddModel(j, p.model);
  j["n"] = p.n;
  j["seed"] = p.seed;
  OrderedJson points = OrderedJson::array();
  for (size_t k = 0; k < p.times.size(); ++k) {
    OrderedJson point;
    point["t_min"] = p.times[k].value();
    point["cp"] = QuantilesJson(p.plasma.values[k]);
    point["ce"] = QuantilesJson(p.effect_site.values[k]);
    if (p.metabolite)
      point[std::string(p.metabolite->name)] = QuantilesJson(p.metabolite->values[k]);
    points.push_back(std::move(point));
  }
  j["points"] = std::move(points);
  j.update(PopulationExposureJson(p.plasma, above));
  j["auc_unit"] = "ng*min/mL";
  j["threshold_ng_per_ml"] = p.threshold.value();
  j["horizon_min"] = p.horizon.value();
  OrderedJson effect = EffectSiteJson(p.ke0);
  effect.update(PopulationExposureJson(p.effect_site, above));
  j["effect_site"] = std::move(effect);
  if (p.metabolite)
    j[std::string(p.metabolite->name)] = PopulationExposureJson(*p.metabolite, above);
  OrderedJson variability = OrderedJson::array();
  for (const pk::VariabilityTerm& t : p.variability) {
    variability.push_back({{"parameter", pk::RandomEffectCode(t.parameter)},
                           {"omega_squared", t.omega_squared},
                           {"assumed", t.assumed},
                           {"source", t.source}});
  }
  j["variability"] = std::move(variability);
  AddProvenance(j, p.model);
  return j;
}

}  // namespace kclinic::codec
