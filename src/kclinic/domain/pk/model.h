// The published ketamine PK models (PK.md §1): which ones exist, the population each came from,
// and the parameter set each builds from a patient's covariates. Pure values.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "kclinic/base/status.h"
#include "kclinic/base/units.h"
#include "kclinic/domain/patient.h"
#include "kclinic/domain/pk/units.h"

namespace kclinic::domain::pk {

enum class ModelId { kDomino, kClements, kHijazi, kHerd, kFantaOtto };

// Every model, in the order a picker shows them (the default, Domino, first).
std::span<const ModelId> AllModels();

// The stable code of a model: domino, clements, hijazi, herd, fanta-otto.
std::string_view ModelCode(ModelId model);

// Parses a model code (case-sensitive). InvalidArgument("model") naming the known codes.
Result<ModelId> ParseModelId(std::string_view code);

// What a caller shows next to a curve: where the model came from and how far to trust it.
struct ModelInfo {
  ModelId id;
  std::string_view code;
  std::string_view name;               // "Domino 1984"
  std::string_view drug;               // "racemic ketamine" or "S-ketamine"
  std::string_view parent_series;      // name of the plasma series: "ketamine" or "s_ketamine"
  std::string_view metabolite_series;  // "s_norketamine", or empty when the model has none
  std::string_view population;         // who was studied, how they were sampled
  std::string_view citation;
  std::string_view note;  // what the prescriber should know next to the curve
};
const ModelInfo& DescribeModel(ModelId model);

// The covariates a model may use. Weight is always required; the others only where a model
// uses them (Herd: age), but are range-checked whenever they are given.
struct Covariates {
  Kilograms weight;
  std::optional<double> age_years = std::nullopt;
  std::optional<Centimeters> height = std::nullopt;
  std::optional<Sex> sex = std::nullopt;
};

// Plausibility bounds on covariates: outside them the number is a typo, not a patient.
inline constexpr double kMinWeightKg = 1;
inline constexpr double kMaxWeightKg = 300;
inline constexpr double kMaxAgeYears = 120;
inline constexpr double kMinHeightCm = 30;
inline constexpr double kMaxHeightCm = 250;

// A mammillary disposition (central compartment 1 with up to two peripheral ones) in volumes and
// clearances. A two-compartment model has v3 = q3 = 0; a one-compartment model also v2 = q2 = 0.
struct Compartments {
  int count = 3;
  Liters v1, v2, v3;
  LitersPerMin cl, q2, q3;
};

// A two-compartment metabolite formed from the parent's elimination clearance.
struct MetaboliteCompartments {
  Liters v1, v2;
  LitersPerMin cl, q;
  // Metabolite mass formed per unit of parent mass eliminated: fm × M(metabolite)/M(parent).
  double formed_mg_per_parent_mg = 1;
};

// A model's parameters for one patient.
struct ModelParameters {
  ModelId model = ModelId::kDomino;
  Compartments parent;
  std::optional<MetaboliteCompartments> metabolite;
};

// Builds the parameter set of `model` for a patient. InvalidArgument naming the field:
// "weight_kg" not within kMinWeightKg..kMaxWeightKg (Herd: outside the 10.8-74.8 kg its study
// covered); "age_years" negative or above kMaxAgeYears, and for Herd absent or outside 1-14;
// "height_cm" outside kMinHeightCm..kMaxHeightCm.
Result<ModelParameters> BuildModelParameters(ModelId model, const Covariates& covariates);

// Inter-individual variability: each listed parameter is multiplied by exp(eta), eta ~ N(0, ω²).
enum class RandomEffect { kParentV1, kParentClearance, kMetaboliteV1, kMetaboliteClearance };
std::string_view RandomEffectCode(RandomEffect effect);  // "v1", "cl", "metabolite_v1", ...

struct VariabilityTerm {
  RandomEffect parameter;
  double omega_squared;  // variance of eta
  bool assumed;          // true: not published for this model, a labelled assumption
  std::string_view source;
};

// The variability terms of a model (never empty).
std::span<const VariabilityTerm> Variability(ModelId model);

// Returns `parameters` with each random effect in `etas` applied (exp(eta) times the parameter).
// `etas` lines up with Variability(parameters.model).
ModelParameters ApplyRandomEffects(const ModelParameters& parameters, std::span<const double> etas);

// Molar masses (g/mol) from the molecular formulae C13H16ClNO and C12H14ClNO with IUPAC standard
// atomic weights [C]; they agree with PK.md §4.
inline constexpr double kKetamineGPerMol = 237.73;
inline constexpr double kNorketamineGPerMol = 223.70;

}  // namespace kclinic::domain::pk
