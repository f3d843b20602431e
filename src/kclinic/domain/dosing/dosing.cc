#include "kclinic/domain/dosing/dosing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kclinic::domain::dosing {

namespace {

constexpr double kCmPerInch = 2.54;
constexpr double kFiveFeetCm = 60 * kCmPerInch;  // 152.4 cm

std::string Format(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// One decimal, for figures quoted in words (the plan keeps the unrounded number).
std::string Format1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

bool Finite(double v) { return std::isfinite(v); }

}  // namespace

std::string_view WeightBasisCode(WeightBasis b) {
  switch (b) {
    case WeightBasis::kActual:
      return "actual";
    case WeightBasis::kIdeal:
      return "ideal";
    case WeightBasis::kAdjusted:
      return "adjusted";
  }
  return "unknown";
}

std::optional<WeightBasis> ParseWeightBasis(std::string_view code) {
  for (WeightBasis b : {WeightBasis::kActual, WeightBasis::kIdeal, WeightBasis::kAdjusted}) {
    if (WeightBasisCode(b) == code) return b;
  }
  return std::nullopt;
}

Result<Kilograms> DevineIdealBodyWeight(Sex sex, Centimeters height) {
  if (!Finite(height.value()) || height.value() < kMinHeightCm || height.value() > kMaxHeightCm) {
    return InvalidArgument("height_cm", "must be between " + Format(kMinHeightCm) + " and " +
                                            Format(kMaxHeightCm) + " cm");
  }
  // Devine 1974: men 50 kg, women 45.5 kg, + 2.3 kg per inch over 5 ft. Below 5 ft the line is
  // extrapolated (negative inches), as documented in the header.
  double base;
  if (sex == Sex::kMale) {
    base = 50.0;
  } else if (sex == Sex::kFemale) {
    base = 45.5;
  } else {
    return InvalidArgument("sex", "must be female or male for the Devine ideal body weight");
  }
  double inches_over_five_feet = (height.value() - kFiveFeetCm) / kCmPerInch;
  return Kilograms(std::max(1.0, base + 2.3 * inches_over_five_feet));
}

Kilograms AdjustedBodyWeight(Kilograms ideal, Kilograms actual, double factor) {
  return Kilograms(ideal.value() + factor * (actual.value() - ideal.value()));
}

KgPerM2 BodyMassIndex(Kilograms weight, Centimeters height) {
  double m = height.value() / 100.0;
  return KgPerM2(weight.value() / (m * m));
}

PlannedDose PlannedDoseOf(const DosePlan& plan) {
  return {plan.dose,          plan.mg_per_kg,     std::string(WeightBasisCode(plan.basis)),
          plan.dosing_weight, plan.actual_weight, plan.concentration,
          plan.volume,        plan.rate_ml_per_h, plan.minutes};
}

Result<DosePlan> PlanDose(const DoseRequest& r, const SiteSettings& settings) {
  DosePlan plan;
  plan.settings_version = settings.version();
  auto use = [&](const SettingDefinition& key) {
    plan.settings_used.emplace_back(key);
    return settings.Get(key);
  };

  if (!Finite(r.weight.value()) || r.weight.value() < kMinWeightKg ||
      r.weight.value() > kMaxWeightKg) {
    return InvalidArgument("weight_kg", "must be between " + Format(kMinWeightKg) + " and " +
                                            Format(kMaxWeightKg) + " kg");
  }
  KC_ASSIGN_OR_RETURN(Kilograms ibw, DevineIdealBodyWeight(r.sex, r.height));

  double max_mg_per_kg = use(kMaxMgPerKg);
  if (!Finite(r.mg_per_kg.value()) || r.mg_per_kg.value() <= 0) {
    return InvalidArgument("mg_per_kg", "must be a positive number");
  }
  if (r.mg_per_kg.value() > max_mg_per_kg) {
    return InvalidArgument("mg_per_kg", "is above the site maximum of " + Format(max_mg_per_kg) +
                                            " mg/kg (setting " + std::string(kMaxMgPerKg) + ")");
  }
  if (!Finite(r.concentration.value()) || r.concentration.value() <= 0 ||
      r.concentration.value() > kMaxConcentrationMgPerMl) {
    return InvalidArgument(
        "concentration_mg_per_ml",
        "must be above 0 and at most " + Format(kMaxConcentrationMgPerMl) + " mg/mL");
  }
  double min_minutes = use(kMinMinutes);
  double max_minutes = use(kMaxMinutes);
  if (!Finite(r.minutes.value()) || r.minutes.value() < min_minutes ||
      r.minutes.value() > max_minutes) {
    return InvalidArgument("minutes", "must be between " + Format(min_minutes) + " and " +
                                          Format(max_minutes) + " min (settings " +
                                          std::string(kMinMinutes) + ", " +
                                          std::string(kMaxMinutes) + ")");
  }

  plan.actual_weight = r.weight;
  plan.ideal_body_weight = ibw;
  plan.adjusted_body_weight = AdjustedBodyWeight(ibw, r.weight, use(kAdjustedBwFactor));
  plan.basis = r.basis;
  switch (r.basis) {
    case WeightBasis::kActual:
      plan.dosing_weight = r.weight;
      break;
    case WeightBasis::kIdeal:
      plan.dosing_weight = plan.ideal_body_weight;
      break;
    case WeightBasis::kAdjusted:
      plan.dosing_weight = plan.adjusted_body_weight;
      break;
  }
  if (r.basis != WeightBasis::kActual && plan.dosing_weight > r.weight) {
    plan.notes.push_back("The " + std::string(WeightBasisCode(r.basis)) + " body weight (" +
                         Format(plan.dosing_weight.value()) + " kg) exceeds the actual weight (" +
                         Format(r.weight.value()) + " kg): consider actual weight.");
  }
  if (r.height.value() < kFiveFeetCm) {
    plan.notes.push_back(
        "Height is under 5 ft: the Devine formula is extrapolated below its range.");
  }

  // Sanacora 2017: consider ideal body weight when BMI >= 30 (setting dosing.bmi_prompt_threshold).
  plan.bmi = BodyMassIndex(r.weight, r.height);
  double bmi_threshold = use(kBmiPromptThreshold);
  plan.bmi_prompt = plan.bmi.value() >= bmi_threshold;
  if (plan.bmi_prompt) {
    plan.notes.push_back("BMI " + Format1(plan.bmi.value()) + " is at or above " +
                         Format(bmi_threshold) +
                         ": consider dosing on ideal or adjusted body weight (Sanacora 2017).");
  }

  // CLINICAL.md §2 pump arithmetic: dose = mg/kg × weight; volume = dose ÷ concentration;
  // rate = volume ÷ minutes × 60.
  plan.mg_per_kg = r.mg_per_kg;
  plan.dose = Milligrams(r.mg_per_kg.value() * plan.dosing_weight.value());
  double max_dose = use(kMaxDoseMg);
  if (plan.dose.value() > max_dose) {
    return InvalidArgument("dose_mg", Format(plan.dose.value()) +
                                          " mg is above the site maximum of " + Format(max_dose) +
                                          " mg (setting " + std::string(kMaxDoseMg) + ")");
  }
  plan.concentration = r.concentration;
  plan.volume = Milliliters(plan.dose.value() / r.concentration.value());
  plan.minutes = r.minutes;
  plan.rate_ml_per_h = MlPerHour(plan.volume.value() / r.minutes.value() * 60.0);
  plan.rate_mg_per_min = MgPerMin(plan.dose.value() / r.minutes.value());
  return plan;
}

// --- Titration ---------------------------------------------------------------------------------

std::string_view ToleranceEventCode(ToleranceEvent e) {
  switch (e) {
    case ToleranceEvent::kSevereDissociation:
      return "severe_dissociation";
    case ToleranceEvent::kBpEvent:
      return "bp_event";
    case ToleranceEvent::kVomiting:
      return "vomiting";
  }
  return "unknown";
}

std::optional<ToleranceEvent> ParseToleranceEvent(std::string_view code) {
  for (ToleranceEvent e :
       {ToleranceEvent::kSevereDissociation, ToleranceEvent::kBpEvent, ToleranceEvent::kVomiting}) {
    if (ToleranceEventCode(e) == code) return e;
  }
  return std::nullopt;
}

std::string_view TitrationActionCode(TitrationAction a) {
  switch (a) {
    case TitrationAction::kStepUp:
      return "step_up";
    case TitrationAction::kStepDown:
      return "step_down";
    case TitrationAction::kLengthen:
      return "lengthen";
    case TitrationAction::kKeep:
      return "keep";
  }
  return "unknown";
}

namespace {

Status CheckPhq9(std::optional<int> v, const std::string& field) {
  if (v && (*v < 0 || *v > 27)) return InvalidArgument(field, "must be a PHQ-9 total 0-27");
  return Status::Ok();
}

// Doses within this of each other are the same dose (0.5 + 0.1 - 0.1 != 0.5 in floating point).
constexpr double kSameDoseTolerance = 1e-9;

}  // namespace

Result<TitrationSuggestion> SuggestTitration(const std::vector<SessionOutcome>& history,
                                             std::optional<int> baseline_phq9,
                                             const SiteSettings& settings) {
  if (history.empty()) return InvalidArgument("history", "needs at least one past infusion");
  KC_RETURN_IF_ERROR(CheckPhq9(baseline_phq9, "baseline_phq9"));
  for (size_t i = 0; i < history.size(); ++i) {
    const auto& s = history[i];
    std::string f = "history[" + std::to_string(i) + "]";
    if (!Finite(s.mg_per_kg.value()) || s.mg_per_kg.value() <= 0) {
      return InvalidArgument(f + ".mg_per_kg", "must be a positive number");
    }
    if (!Finite(s.minutes.value()) || s.minutes.value() <= 0) {
      return InvalidArgument(f + ".minutes", "must be a positive number");
    }
    KC_RETURN_IF_ERROR(CheckPhq9(s.phq9_before, f + ".phq9_before"));
    KC_RETURN_IF_ERROR(CheckPhq9(s.phq9_after, f + ".phq9_after"));
    if (s.improvement_percent &&
        (!Finite(*s.improvement_percent) || *s.improvement_percent > 100)) {
      return InvalidArgument(f + ".improvement_percent", "must be a number up to 100");
    }
  }

  TitrationSuggestion out;
  out.settings_version = settings.version();
  auto use = [&](const SettingDefinition& key) {
    out.settings_used.emplace_back(key);
    return settings.Get(key);
  };
  const SessionOutcome& last = history.back();
  out.mg_per_kg = last.mg_per_kg;
  out.minutes = last.minutes;
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (std::abs(it->mg_per_kg.value() - last.mg_per_kg.value()) > kSameDoseTolerance) break;
    ++out.sessions_at_current_dose;
  }

  double max_mg_per_kg = use(kMaxMgPerKg);
  double max_minutes = use(kMaxMinutes);
  double step_up = use(kTitrationStepUp);
  double step_down = use(kTitrationStepDown);
  double floor_mg_per_kg = use(kTitrationMinMgPerKg);
  double lengthen = use(kTitrationLengthenMinutes);
  bool prefer_lengthen = use(kTitrationPreferLengthen) >= 0.5;
  int min_sessions = static_cast<int>(std::lround(use(kTitrationMinSessions)));
  double min_improvement = use(kTitrationMinImprovementPercent);

  // Improvement from the course baseline: the latest PHQ-9 total, else a recorded percentage.
  std::optional<int> latest = last.phq9_after ? last.phq9_after : last.phq9_before;
  if (baseline_phq9 && *baseline_phq9 > 0 && latest) {
    out.improvement_percent = (*baseline_phq9 - *latest) * 100.0 / *baseline_phq9;
  } else if (last.improvement_percent) {
    out.improvement_percent = last.improvement_percent;
  }

  // Intolerance in the latest infusion: lengthen (lower peak, same dose) or step down
  // (CLINICAL.md §2, [R, practice]).
  if (!last.events.empty()) {
    std::string events;
    for (auto e : last.events) {
      events += (events.empty() ? "" : ", ") + std::string(ToleranceEventCode(e));
    }
    bool can_lengthen = last.minutes.value() + lengthen <= max_minutes + 1e-9;
    bool can_step_down = last.mg_per_kg.value() - step_down >= floor_mg_per_kg - 1e-9;
    if (can_lengthen && (prefer_lengthen || !can_step_down)) {
      out.action = TitrationAction::kLengthen;
      out.minutes = Minutes(last.minutes.value() + lengthen);
      out.reason = "Intolerance in the last infusion (" + events + "): lengthen the infusion by " +
                   Format(lengthen) + " min to " + Format(out.minutes.value()) +
                   " min at the same dose.";
    } else if (can_step_down) {
      out.action = TitrationAction::kStepDown;
      out.mg_per_kg = MgPerKg(last.mg_per_kg.value() - step_down);
      out.reason = "Intolerance in the last infusion (" + events + "): step down by " +
                   Format(step_down) + " mg/kg to " + Format(out.mg_per_kg.value()) + " mg/kg.";
    } else {
      out.reason = "Intolerance in the last infusion (" + events +
                   "), but the infusion is already at the longest duration (" +
                   Format(max_minutes) + " min) and the lowest dose (" + Format(floor_mg_per_kg) +
                   " mg/kg): clinician review.";
    }
    return out;
  }

  if (!out.improvement_percent) {
    out.reason =
        "No PHQ-9 improvement can be computed (baseline or latest score missing): keep "
        "the dose.";
    return out;
  }
  std::string improvement = "PHQ-9 improved " + Format1(*out.improvement_percent) + " %";
  if (*out.improvement_percent >= min_improvement) {
    out.reason = improvement + " (at least " + Format(min_improvement) + " %): keep the dose.";
    return out;
  }
  if (out.sessions_at_current_dose < min_sessions) {
    out.reason = improvement + ", but only " + std::to_string(out.sessions_at_current_dose) +
                 " infusion(s) at " + Format(last.mg_per_kg.value()) + " mg/kg (need " +
                 std::to_string(min_sessions) + "): keep the dose.";
    return out;
  }
  // Good tolerability: no events in any infusion at the current dose.
  size_t n = static_cast<size_t>(out.sessions_at_current_dose);
  bool tolerated = std::all_of(history.end() - static_cast<std::ptrdiff_t>(n), history.end(),
                               [](const SessionOutcome& s) { return s.events.empty(); });
  if (!tolerated) {
    out.reason = improvement + ", but tolerability events at this dose: keep the dose.";
    return out;
  }
  if (last.mg_per_kg.value() >= max_mg_per_kg - 1e-9) {
    out.reason = improvement + " after " + std::to_string(out.sessions_at_current_dose) +
                 " infusions, already at the site maximum of " + Format(max_mg_per_kg) +
                 " mg/kg: keep the dose; clinician review.";
    return out;
  }
  out.action = TitrationAction::kStepUp;
  out.mg_per_kg = MgPerKg(std::min(last.mg_per_kg.value() + step_up, max_mg_per_kg));
  out.reason = improvement + " (under " + Format(min_improvement) + " %) after " +
               std::to_string(out.sessions_at_current_dose) +
               " well-tolerated infusions: step up to " + Format(out.mg_per_kg.value()) + " mg/kg.";
  return out;
}

}  // namespace kclinic::domain::dosing
