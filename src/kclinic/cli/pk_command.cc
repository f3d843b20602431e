// `kclinic pk` and `kclinic pk population`: predicted ketamine concentrations from a published
// model for one patient, or the median and 5-95 % band of a virtual population. The logic is in
// domain/pk; this file parses flags, reads the regimen file and prints.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "kclinic/cli/tools.h"
#include "kclinic/codec/pk_json.h"
#include "kclinic/domain/pk/population.h"
#include "kclinic/domain/pk/predict.h"

namespace kclinic::cli {

namespace {

namespace pk = domain::pk;

// Above this a mg/kg figure is a typo, not a ketamine dose (anaesthetic induction is 1-4.5 mg/kg).
constexpr double kMaxMgPerKg = 10;
constexpr size_t kMaxRegimenFileBytes = 1 << 20;

// Flags as text, so that a malformed number is reported with its field like any other error.
struct PkFlags {
  std::string model, weight_kg, age_years, height_cm, sex, mg_per_kg, minutes, regimen, at;
  std::string ke0_per_min, threshold_ng_per_ml;
  std::string n = "1000", seed = "1", threads = "0";
  bool json = false;
};

void AddFlags(CLI::App* app, PkFlags& f, bool population) {
  app->add_option("--model", f.model, "domino, clements, hijazi, herd or fanta-otto");
  app->add_option("--weight-kg", f.weight_kg, "body weight, kg (1-300)");
  app->add_option("--age-years", f.age_years, "age in years (required by herd: 1-14)");
  app->add_option("--height-cm", f.height_cm, "height, cm");
  app->add_option("--sex", f.sex, "female or male");
  app->add_option("--mg-per-kg", f.mg_per_kg, "dose per kg, given evenly over --minutes");
  app->add_option("--minutes", f.minutes, "infusion duration, min");
  app->add_option("--regimen", f.regimen,
                  "JSON file: [{\"start_min\", \"bolus_mg\"} | {\"start_min\", \"end_min\", "
                  "\"rate_mg_per_min\"}, ...]");
  app->add_option("--at", f.at, "times to predict, minutes: T1,T2,...");
  app->add_option("--ke0-per-min", f.ke0_per_min, "effect-site rate constant (default 0.084)");
  app->add_option("--threshold-ng-per-ml", f.threshold_ng_per_ml,
                  "threshold for the time-above figure (default 100)");
  if (population) {
    app->add_option("-n,--n", f.n, "virtual patients (1-100000, default 1000)");
    app->add_option("--seed", f.seed, "random seed (default 1): same seed, same answer");
    app->add_option("--threads", f.threads, "worker threads (default: one per core)");
  }
  app->add_flag("--json", f.json, "print JSON");
}

Result<double> ParseNumber(const std::string& text, const std::string& field) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return InvalidArgument(field, "must be a number (got \"" + text.substr(0, 40) + "\")");
  }
  return value;
}

Result<std::optional<double>> OptionalNumber(const std::string& text, const std::string& field) {
  if (text.empty()) return std::optional<double>();
  KC_ASSIGN_OR_RETURN(double value, ParseNumber(text, field));
  return std::optional<double>(value);
}

Result<uint64_t> ParseCount(const std::string& text, const std::string& field) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return InvalidArgument(field, "must be a whole number (got \"" + text.substr(0, 40) + "\")");
  }
  return value;
}

Result<std::vector<pk::Minutes>> ParseTimes(const std::string& text) {
  if (text.empty()) return InvalidArgument("at", "is required: the times to predict, T1,T2,...");
  std::vector<pk::Minutes> times;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    KC_ASSIGN_OR_RETURN(double t, ParseNumber(item, "at"));
    if (t < 0 || t > pk::kMaxRegimenMinutes) {
      return InvalidArgument("at", "times must be 0-10080 minutes (got " + item + ")");
    }
    times.push_back(pk::Minutes(t));
  }
  if (times.size() > pk::kMaxTimes) return InvalidArgument("at", "has more than 10000 times");
  if (times.empty()) return InvalidArgument("at", "is required: the times to predict");
  return times;
}

Result<pk::Covariates> ParseCovariates(const PkFlags& f) {
  if (f.weight_kg.empty()) return InvalidArgument("weight_kg", "is required (--weight-kg)");
  KC_ASSIGN_OR_RETURN(double weight, ParseNumber(f.weight_kg, "weight_kg"));
  pk::Covariates c{Kilograms(weight)};
  KC_ASSIGN_OR_RETURN(c.age_years, OptionalNumber(f.age_years, "age_years"));
  KC_ASSIGN_OR_RETURN(auto height, OptionalNumber(f.height_cm, "height_cm"));
  if (height) c.height = Centimeters(*height);
  if (!f.sex.empty()) {
    if (f.sex == "female") {
      c.sex = domain::Sex::kFemale;
    } else if (f.sex == "male") {
      c.sex = domain::Sex::kMale;
    } else {
      return InvalidArgument("sex", "must be female or male");
    }
  }
  return c;
}

Result<pk::Regimen> ReadRegimenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("regimen", "cannot read the file " + path);
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxRegimenFileBytes) {
      return InvalidArgument("regimen", "file is larger than 1 MB");
    }
  }
  if (in.bad()) return InvalidArgument("regimen", "cannot read the file " + path);
  return codec::ParseRegimen(text);
}

Result<pk::Regimen> ParseRegimen(const PkFlags& f, Kilograms weight) {
  const bool per_kg = !f.mg_per_kg.empty() || !f.minutes.empty();
  if (per_kg && !f.regimen.empty()) {
    return InvalidArgument("regimen", "give either --regimen or --mg-per-kg with --minutes");
  }
  if (!f.regimen.empty()) return ReadRegimenFile(f.regimen);
  if (f.mg_per_kg.empty()) {
    return InvalidArgument("mg_per_kg", "is required (--mg-per-kg with --minutes, or --regimen)");
  }
  if (f.minutes.empty()) return InvalidArgument("minutes", "is required with --mg-per-kg");
  KC_ASSIGN_OR_RETURN(double mg_per_kg, ParseNumber(f.mg_per_kg, "mg_per_kg"));
  KC_ASSIGN_OR_RETURN(double minutes, ParseNumber(f.minutes, "minutes"));
  if (mg_per_kg <= 0 || mg_per_kg > kMaxMgPerKg) {
    return InvalidArgument("mg_per_kg", "must be more than 0 and at most 10 mg/kg");
  }
  if (minutes <= 0 || minutes > pk::kMaxRegimenMinutes) {
    return InvalidArgument("minutes", "must be more than 0 and at most 10080");
  }
  return pk::Regimen::ConstantInfusion(pk::Milligrams(mg_per_kg * weight.value()),
                                       pk::Minutes(minutes));
}

Result<pk::PredictOptions> ParseOptions(const PkFlags& f) {
  pk::PredictOptions o;
  KC_ASSIGN_OR_RETURN(auto ke0, OptionalNumber(f.ke0_per_min, "ke0_per_min"));
  if (ke0) o.ke0 = pk::PerMinute(*ke0);
  KC_ASSIGN_OR_RETURN(auto threshold, OptionalNumber(f.threshold_ng_per_ml, "threshold_ng_per_ml"));
  if (threshold) o.threshold = pk::NgPerMl(*threshold);
  return o;
}

struct Request {
  pk::ModelId model;
  pk::Covariates covariates;
  pk::Regimen regimen;
  std::vector<pk::Minutes> times;
  pk::PredictOptions options;
};

Result<Request> ParseRequest(const PkFlags& f) {
  if (f.model.empty()) {
    return InvalidArgument("model", "is required: domino, clements, hijazi, herd or fanta-otto");
  }
  KC_ASSIGN_OR_RETURN(pk::ModelId model, pk::ParseModelId(f.model));
  KC_ASSIGN_OR_RETURN(pk::Covariates covariates, ParseCovariates(f));
  // The covariates first, so that a bad weight is reported as such, not as a bad dose.
  KC_RETURN_IF_ERROR(pk::BuildModelParameters(model, covariates).status());
  KC_ASSIGN_OR_RETURN(pk::Regimen regimen, ParseRegimen(f, covariates.weight));
  KC_ASSIGN_OR_RETURN(std::vector<pk::Minutes> times, ParseTimes(f.at));
  KC_ASSIGN_OR_RETURN(pk::PredictOptions options, ParseOptions(f));
  return Request{model, covariates, std::move(regimen), std::move(times), options};
}

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

void PrintHeader(const pk::ModelInfo& info, const Request& r) {
  std::cout << info.name << " (" << info.drug << "), " << Fixed(r.covariates.weight.value(), 1)
            << " kg, " << Fixed(r.regimen.total().value(), 1) << " mg in total\n";
}

void PrintNote(const pk::ModelInfo& info) {
  std::cout << "Population: " << info.population << ".\n" << info.note << "\n";
}

int RunSingle(const PkFlags& f) {
  auto request = ParseRequest(f);
  if (!request.ok()) return ToolFail(request.status(), f.json);
  const Request& r = *request;
  auto p = pk::Predict(r.model, r.covariates, r.regimen, r.times, r.options);
  if (!p.ok()) return ToolFail(p.status(), f.json);
  if (f.json) {
    std::cout << codec::PredictionToJson(*p).dump(2) << "\n";
    return 0;
  }
  const pk::ModelInfo& info = pk::DescribeModel(r.model);
  PrintHeader(info, r);
  std::cout << "   t (min)   Cp (ng/mL)   Ce (ng/mL)";
  if (p->metabolite) std::cout << "   " << p->metabolite->name << " (ng/mL)";
  std::cout << "\n";
  for (size_t k = 0; k < p->times.size(); ++k) {
    std::printf("%10s %12s %12s", Fixed(p->times[k].value(), 1).c_str(),
                Fixed(p->plasma.values[k].value(), 1).c_str(),
                Fixed(p->effect_site.values[k].value(), 1).c_str());
    if (p->metabolite) std::printf(" %16s", Fixed(p->metabolite->values[k].value(), 1).c_str());
    std::printf("\n");
  }
  std::fflush(stdout);
  const pk::Exposure& e = p->plasma.exposure;
  std::cout << "Peak " << Fixed(e.cmax.value(), 1) << " ng/mL at " << Fixed(e.tmax.value(), 1)
            << " min; " << Fixed(e.above_threshold.value(), 1) << " min above "
            << Fixed(p->threshold.value(), 0) << " ng/mL; AUC " << Fixed(e.auc.value(), 0)
            << " ng*min/mL (0-" << Fixed(p->horizon.value(), 0) << " min)\n";
  PrintNote(info);
  return 0;
}

int RunPopulation(const PkFlags& f) {
  auto request = ParseRequest(f);
  if (!request.ok()) return ToolFail(request.status(), f.json);
  const Request& r = *request;
  auto n = ParseCount(f.n, "n");
  if (!n.ok()) return ToolFail(n.status(), f.json);
  auto seed = ParseCount(f.seed, "seed");
  if (!seed.ok()) return ToolFail(seed.status(), f.json);
  auto threads = ParseCount(f.threads, "threads");
  if (!threads.ok()) return ToolFail(threads.status(), f.json);
  if (*threads > 256) return ToolFail(InvalidArgument("threads", "must be 0-256"), f.json);
  pk::PopulationOptions o;
  o.n = static_cast<int>(std::min<uint64_t>(*n, pk::kMaxPopulation + 1));
  o.seed = *seed;
  o.threads = static_cast<unsigned>(*threads);
  o.predict = r.options;
  auto p = pk::PredictPopulation(r.model, r.covariates, r.regimen, r.times, o);
  if (!p.ok()) return ToolFail(p.status(), f.json);
  if (f.json) {
    std::cout << codec::PopulationToJson(*p).dump(2) << "\n";
    return 0;
  }
  const pk::ModelInfo& info = pk::DescribeModel(r.model);
  PrintHeader(info, r);
  std::cout << p->n << " virtual patients, seed " << p->seed << "\n";
  std::cout << "   t (min)   Cp median [5 %-95 %] (ng/mL)\n";
  for (size_t k = 0; k < p->times.size(); ++k) {
    const pk::Quantiles& q = p->plasma.values[k];
    std::printf("%10s   %s [%s-%s]\n", Fixed(p->times[k].value(), 1).c_str(),
                Fixed(q.median, 1).c_str(), Fixed(q.p05, 1).c_str(), Fixed(q.p95, 1).c_str());
  }
  std::fflush(stdout);
  const pk::Quantiles& c = p->plasma.cmax;
  std::cout << "Peak " << Fixed(c.median, 1) << " [" << Fixed(c.p05, 1) << "-" << Fixed(c.p95, 1)
            << "] ng/mL\n";
  for (const pk::VariabilityTerm& t : p->variability) {
    std::cout << "  " << pk::RandomEffectCode(t.parameter) << ": omega^2 " << t.omega_squared
              << " (" << t.source << ")\n";
  }
  PrintNote(info);
  return 0;
}

}  // namespace

ToolRunner AddPkCommands(CLI::App& app) {
  // Owned by the runner, which lives as long as the parse it serves.
  auto single = std::make_shared<PkFlags>();
  auto population = std::make_shared<PkFlags>();
  CLI::App* pk_cmd =
      app.add_subcommand("pk", "predicted ketamine concentrations from a published model (PK.md)");
  pk_cmd->require_subcommand(0, 1);
  AddFlags(pk_cmd, *single, false);
  CLI::App* population_cmd = pk_cmd->add_subcommand(
      "population", "median and 5-95 % band of virtual patients with the model's variability");
  AddFlags(population_cmd, *population, true);
  return [=]() -> std::optional<int> {
    if (population_cmd->parsed()) return RunPopulation(*population);
    if (pk_cmd->parsed()) return RunSingle(*single);
    return std::nullopt;
  };
}

}  // namespace kclinic::cli
