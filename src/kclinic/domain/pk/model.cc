#include "kclinic/domain/pk/model.h"

#include <array>
#include <cmath>
#include <string>

namespace kclinic::domain::pk {

namespace {

constexpr std::array<ModelId, 5> kModels = {ModelId::kDomino, ModelId::kClements, ModelId::kHijazi,
                                            ModelId::kHerd, ModelId::kFantaOtto};

constexpr std::string_view kDominoNote =
    "Domino is the TCI-pump standard but behaves like an arterial model: after 0.5 mg/kg over "
    "40 min it predicts a peak near 240 ng/mL where venous samples measured about 185 ng/mL "
    "(Zarate 2006), i.e. it over-predicts the venous peak by about 30 %, and it falls too "
    "steeply after the infusion (PK.md section 3).";

const std::array<ModelInfo, 5> kInfo = {{
    {ModelId::kDomino, "domino", "Domino 1984", "racemic ketamine", "ketamine", "",
     "surgical patients (Domino 1984), 3-compartment model",
     "Domino EF et al., Clin Pharmacol Ther 1984;36:645-653 (PMID 6488686); rate constants as in "
     "STANPUMP and stanpumpR",
     kDominoNote},
    {ModelId::kClements, "clements", "Clements 250", "racemic ketamine", "ketamine", "",
     "healthy volunteers given 250 microgram/kg, venous samples (Clements & Nimmo 1981), "
     "2-compartment model",
     "Clements JA, Nimmo WS, Br J Anaesth 1981;53:27-30 (PMID 7459184)",
     "Of these models Clements is the closest to the measured venous peak after 0.5 mg/kg over "
     "40 min (about 177 vs about 185 ng/mL, PK.md section 3)."},
    {ModelId::kHijazi, "hijazi", "Hijazi 2003", "racemic ketamine", "ketamine", "",
     "12 adult intensive-care patients with brain or spinal cord injury on long sedative "
     "infusions (Hijazi 2003), 2-compartment model",
     "Hijazi Y et al., Br J Anaesth 2003;90:155-160 (PMID 12538370)",
     "Fitted in critically ill patients on sedative infusions, not in outpatients receiving "
     "antidepressant doses."},
    {ModelId::kHerd, "herd", "Herd 2007 (children)", "racemic ketamine", "ketamine", "",
     "children aged 1-14 years weighing 10.8-74.8 kg (Herd 2007), 2-compartment model with "
     "allometric weight scaling",
     "Herd DW et al., Paediatr Anaesth 2007 (PMID 17564643)", "For children aged 1-14 years only."},
    {ModelId::kFantaOtto, "fanta-otto", "Fanta 2015 / Otto 2021", "S-ketamine", "s_ketamine",
     "s_norketamine",
     "healthy volunteers, venous samples (Fanta 2015; Otto 2021), 3-compartment S-ketamine "
     "with a 2-compartment S-norketamine metabolite, allometric weight scaling",
     "Fanta S et al., Eur J Clin Pharmacol 2015;71:441-447; Otto ME et al., Eur J Clin "
     "Pharmacol 2021;77:1181",
     "The dose is taken to be S-ketamine (esketamine). Of a racemic dose half is S-ketamine; "
     "treating R-ketamine with the same parameters is an unverified approximation (PK.md "
     "section 1). Norketamine mass formed is converted by molar mass (fm = 1)."},
}};

// No published ω² for this model: a clearly labelled assumption of 30 % CV, ω² = ln(1 + 0.3²),
// the order of magnitude of inter-individual variability reported for ketamine clearance and
// central volume in the models that do publish it (Hijazi 2003 CL CV ≈ 36 %; Fanta 2015
// V1 ω² 0.084).
constexpr double kAssumedOmegaSquared = 0.086177696241052;  // ln(1.09)
constexpr std::string_view kAssumedSource =
    "assumption: no published variability for this model; 30 % CV (omega^2 = ln(1 + 0.3^2))";

const std::array<VariabilityTerm, 2> kDominoVariability = {{
    {RandomEffect::kParentV1, kAssumedOmegaSquared, true, kAssumedSource},
    {RandomEffect::kParentClearance, kAssumedOmegaSquared, true, kAssumedSource},
}};
const std::array<VariabilityTerm, 2> kClementsVariability = kDominoVariability;
const std::array<VariabilityTerm, 2> kHerdVariability = kDominoVariability;
// Hijazi 2003 reports CL 36 ± 13 mL/min/kg: CV 13/36 = 36 %, ω² = ln(1 + (13/36)²).
const std::array<VariabilityTerm, 2> kHijaziVariability = {{
    {RandomEffect::kParentV1, kAssumedOmegaSquared, true, kAssumedSource},
    {RandomEffect::kParentClearance, 0.12257264453894767, false,
     "Hijazi 2003: CL 36 +/- 13 mL/min/kg, CV 36 %, omega^2 = ln(1 + (13/36)^2)"},
}};
// Fanta 2015 / Otto 2021 as summarised in PK.md section 1.
const std::array<VariabilityTerm, 4> kFantaOttoVariability = {{
    {RandomEffect::kParentV1, 0.084, false, "Fanta 2015 / Otto 2021: omega^2 V1 0.084"},
    {RandomEffect::kParentClearance, 0.026, false, "Fanta 2015 / Otto 2021: omega^2 CL 0.026"},
    {RandomEffect::kMetaboliteV1, 0.040, false,
     "Fanta 2015 / Otto 2021: omega^2 norketamine Vc 0.040"},
    {RandomEffect::kMetaboliteClearance, 0.103, false,
     "Fanta 2015 / Otto 2021: omega^2 norketamine CL 0.103"},
}};

// Builds volumes and clearances from a central volume and micro rate constants (1/min), the way
// STANPUMP and stanpumpR do: CLn = V1·k1n, Vn = V1·k1n/kn1.
Compartments FromRateConstants(int count, double v1_l, double k10, double k12, double k21,
                               double k13, double k31) {
  Compartments c;
  c.count = count;
  c.v1 = Liters(v1_l);
  c.cl = LitersPerMin(v1_l * k10);
  if (count >= 2) {
    c.q2 = LitersPerMin(v1_l * k12);
    c.v2 = Liters(v1_l * k12 / k21);
  }
  if (count >= 3) {
    c.q3 = LitersPerMin(v1_l * k13);
    c.v3 = Liters(v1_l * k13 / k31);
  }
  return c;
}

constexpr double kMinutesPerHour = 60;

}  // namespace

std::span<const ModelId> AllModels() { return kModels; }

std::string_view ModelCode(ModelId model) { return DescribeModel(model).code; }

const ModelInfo& DescribeModel(ModelId model) { return kInfo[static_cast<size_t>(model)]; }

Result<ModelId> ParseModelId(std::string_view code) {
  for (const ModelInfo& info : kInfo) {
    if (info.code == code) return info.id;
  }
  return InvalidArgument("model",
                         "must be one of domino, clements, hijazi, herd, fanta-otto (got \"" +
                             std::string(code.substr(0, 40)) + "\")");
}

std::string_view RandomEffectCode(RandomEffect effect) {
  switch (effect) {
    case RandomEffect::kParentV1:
      return "v1";
    case RandomEffect::kParentClearance:
      return "cl";
    case RandomEffect::kMetaboliteV1:
      return "metabolite_v1";
    case RandomEffect::kMetaboliteClearance:
      return "metabolite_cl";
  }
  return "";
}

std::span<const VariabilityTerm> Variability(ModelId model) {
  switch (model) {
    case ModelId::kDomino:
      return kDominoVariability;
    case ModelId::kClements:
      return kClementsVariability;
    case ModelId::kHijazi:
      return kHijaziVariability;
    case ModelId::kHerd:
      return kHerdVariability;
    case ModelId::kFantaOtto:
      return kFantaOttoVariability;
  }
  return kDominoVariability;
}

Result<ModelParameters> BuildModelParameters(ModelId model, const Covariates& covariates) {
  const double w = covariates.weight.value();
  if (!std::isfinite(w) || w < kMinWeightKg || w > kMaxWeightKg) {
    return InvalidArgument("weight_kg", "must be 1-300 kg");
  }
  if (covariates.age_years) {
    double age = *covariates.age_years;
    if (!std::isfinite(age) || age < 0 || age > kMaxAgeYears) {
      return InvalidArgument("age_years", "must be 0-120 years");
    }
  }
  if (covariates.height) {
    double h = covariates.height->value();
    if (!std::isfinite(h) || h < kMinHeightCm || h > kMaxHeightCm) {
      return InvalidArgument("height_cm", "must be 30-250 cm");
    }
  }

  ModelParameters p;
  p.model = model;
  switch (model) {
    case ModelId::kDomino:
      // Domino 1984 as coded in stanpumpR (R/drugs_ketamine.R) and STANPUMP: V1 0.063 L/kg,
      // k10 0.438, k12 0.592, k13 0.590, k21 0.247, k31 0.0146 /min. opentiva prints k10 0.4381
      // and k12 0.5921; only the stanpumpR constants give its published 70 kg volumes and
      // clearances (V2 10.56972 L, CL 1.93158 L/min), which the tests hold us to.
      p.parent = FromRateConstants(3, 0.063 * w, 0.438, 0.592, 0.247, 0.590, 0.0146);
      break;
    case ModelId::kClements:
      // Clements & Nimmo 1981, 250 µg/kg data (as in opentiva Clements250): V1 1.7522 L/kg,
      // k10 0.0109, k12 0.0186, k21 0.0137 /min.
      p.parent = FromRateConstants(2, 1.7522 * w, 0.0109, 0.0186, 0.0137, 0, 0);
      break;
    case ModelId::kHijazi:
      // Hijazi 2003 (as in opentiva Hijazi): V1 1.08 L/kg, k10 0.0333, k12 0.0088, k21 0.0030
      // /min; V1·k10 = 36.0 mL/min/kg, the paper's mean clearance.
      p.parent = FromRateConstants(2, 1.08 * w, 0.0333, 0.0088, 0.0030, 0, 0);
      break;
    case ModelId::kHerd: {
      // Herd 2007: children 1-14 y; the weight range is that of the study population (as
      // encoded in opentiva Herd). Extrapolating the allometric model beyond it is refused.
      if (!covariates.age_years) {
        return InvalidArgument("age_years", "is required for the Herd model (children 1-14 y)");
      }
      if (*covariates.age_years < 1 || *covariates.age_years > 14) {
        return InvalidArgument("age_years", "must be 1-14 years for the Herd (children) model");
      }
      if (w < 10.8 || w > 74.8) {
        return InvalidArgument("weight_kg",
                               "must be 10.8-74.8 kg for the Herd model (its study population)");
      }
      // Herd 2007: V1 38.7 L, V2 102 L per 70 kg; CL 90 L/h, Q 215 L/h per 70 kg^0.75.
      const double size = w / 70, allometric = std::pow(w / 70, 0.75);
      p.parent.count = 2;
      p.parent.v1 = Liters(38.7 * size);
      p.parent.v2 = Liters(102 * size);
      p.parent.cl = LitersPerMin(90 / kMinutesPerHour * allometric);
      p.parent.q2 = LitersPerMin(215 / kMinutesPerHour * allometric);
      break;
    }
    case ModelId::kFantaOtto: {
      // Fanta 2015 / Otto 2021 (PK.md section 1): S-ketamine V1 133 L, CL 95.2 L/h, Vp1 187 L,
      // Q1 23.2 L/h, Vp2 98.8 L, Q2 157 L/h; S-norketamine Vc 98.6 L, CL 57.7 L/h, Vp 160 L,
      // Q 42.8 L/h; all per 70 kg, volumes × W/70 and clearances × (W/70)^0.75.
      const double size = w / 70, allometric = std::pow(w / 70, 0.75);
      p.parent.count = 3;
      p.parent.v1 = Liters(133 * size);
      p.parent.cl = LitersPerMin(95.2 / kMinutesPerHour * allometric);
      p.parent.v2 = Liters(187 * size);
      p.parent.q2 = LitersPerMin(23.2 / kMinutesPerHour * allometric);
      p.parent.v3 = Liters(98.8 * size);
      p.parent.q3 = LitersPerMin(157 / kMinutesPerHour * allometric);
      MetaboliteCompartments m;
      m.v1 = Liters(98.6 * size);
      m.cl = LitersPerMin(57.7 / kMinutesPerHour * allometric);
      m.v2 = Liters(160 * size);
      m.q = LitersPerMin(42.8 / kMinutesPerHour * allometric);
      // fm = 1: all parent clearance forms norketamine (Otto 2021, PK.md section 1); the mass
      // formed is converted by molar mass because one mole of ketamine gives one of norketamine.
      m.formed_mg_per_parent_mg = kNorketamineGPerMol / kKetamineGPerMol;
      p.metabolite = m;
      break;
    }
  }
  return p;
}

ModelParameters ApplyRandomEffects(const ModelParameters& parameters,
                                   std::span<const double> etas) {
  ModelParameters p = parameters;
  std::span<const VariabilityTerm> terms = Variability(parameters.model);
  for (size_t i = 0; i < terms.size() && i < etas.size(); ++i) {
    const double factor = std::exp(etas[i]);
    switch (terms[i].parameter) {
      case RandomEffect::kParentV1:
        p.parent.v1 = Liters(p.parent.v1.value() * factor);
        break;
      case RandomEffect::kParentClearance:
        p.parent.cl = LitersPerMin(p.parent.cl.value() * factor);
        break;
      case RandomEffect::kMetaboliteV1:
        if (p.metabolite) p.metabolite->v1 = Liters(p.metabolite->v1.value() * factor);
        break;
      case RandomEffect::kMetaboliteClearance:
        if (p.metabolite) p.metabolite->cl = LitersPerMin(p.metabolite->cl.value() * factor);
        break;
    }
  }
  return p;
}

}  // namespace kclinic::domain::pk
