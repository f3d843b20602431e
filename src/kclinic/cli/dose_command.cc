// kclinic dose: plans one infusion with the default site settings (no database).
#include <charconv>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "kclinic/cli/tools.h"
#include "kclinic/codec/dosing_json.h"
#include "kclinic/domain/dosing/dosing.h"

namespace kclinic::cli {

namespace {

struct DoseOptions {
  std::string weight_kg, height_cm, sex, mg_per_kg, basis, concentration, minutes;
  bool json = false;
};

// Numbers are taken as text and parsed here, so that "-70" or "abc" is an error naming the
// field (exit 2) rather than a CLI11 usage message.
Result<double> Number(const std::string& text, const std::string& field) {
  if (text.empty()) return InvalidArgument(field, "is required");
  double v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end) return InvalidArgument(field, "must be a number");
  return v;
}

Result<domain::dosing::DosePlan> Plan(const DoseOptions& o) {
  nlohmann::json body = nlohmann::json::object();
  KC_ASSIGN_OR_RETURN(body["weight_kg"], Number(o.weight_kg, "weight_kg"));
  KC_ASSIGN_OR_RETURN(body["height_cm"], Number(o.height_cm, "height_cm"));
  if (o.sex.empty()) return InvalidArgument("sex", "is required (female or male)");
  body["sex"] = o.sex;
  KC_ASSIGN_OR_RETURN(body["mg_per_kg"], Number(o.mg_per_kg, "mg_per_kg"));
  body["basis"] = o.basis.empty() ? "actual" : o.basis;
  KC_ASSIGN_OR_RETURN(body["concentration_mg_per_ml"],
                      Number(o.concentration, "concentration_mg_per_ml"));
  KC_ASSIGN_OR_RETURN(body["minutes"], Number(o.minutes, "minutes"));
  KC_ASSIGN_OR_RETURN(auto request, codec::DoseRequestFromJson(body));
  return domain::dosing::PlanDose(request, domain::SiteSettings());
}

void PrintText(const domain::dosing::DosePlan& p) {
  std::printf("dosing weight   %.2f kg (%s; actual %.2f, ideal %.2f, adjusted %.2f)\n",
              p.dosing_weight.value(), std::string(WeightBasisCode(p.basis)).c_str(),
              p.actual_weight.value(), p.ideal_body_weight.value(), p.adjusted_body_weight.value());
  std::printf("BMI             %.1f kg/m²%s\n", p.bmi.value(), p.bmi_prompt ? " (prompt)" : "");
  std::printf("dose            %.2f mg (%.3g mg/kg)\n", p.dose.value(), p.mg_per_kg.value());
  std::printf("volume          %.2f mL at %.3g mg/mL\n", p.volume.value(), p.concentration.value());
  std::printf("rate            %.2f mL/h, %.3f mg/min over %g min\n", p.rate_ml_per_h.value(),
              p.rate_mg_per_min.value(), p.minutes.value());
  for (const auto& n : p.notes) std::printf("note: %s\n", n.c_str());
}

}  // namespace

ToolRunner AddDoseCommand(CLI::App& app) {
  auto o = std::make_shared<DoseOptions>();
  CLI::App* cmd = app.add_subcommand(
      "dose", "plan one infusion: dosing weight, dose, volume and pump rate (default settings)");
  cmd->add_option("--weight-kg", o->weight_kg, "actual body weight, kg");
  cmd->add_option("--height-cm", o->height_cm, "height, cm");
  cmd->add_option("--sex", o->sex, "female or male (Devine ideal body weight)");
  cmd->add_option("--mg-per-kg", o->mg_per_kg, "dose, mg/kg");
  cmd->add_option("--basis", o->basis, "dosing weight: actual (default), ideal or adjusted");
  cmd->add_option("--concentration-mg-per-ml", o->concentration, "bag or syringe, mg/mL");
  cmd->add_option("--minutes", o->minutes, "infusion duration, min");
  cmd->add_flag("--json", o->json, "print JSON");
  return [cmd, o]() -> std::optional<int> {
    if (!cmd->parsed()) return std::nullopt;
    auto plan = Plan(*o);
    if (!plan.ok()) return ToolFail(plan.status(), o->json);
    if (o->json) {
      std::cout << codec::DosePlanToJson(*plan).dump() << "\n";
    } else {
      PrintText(*plan);
    }
    return 0;
  };
}

}  // namespace kclinic::cli
