// The response of a linear PK model to drug put into its central compartment, as a sum of
// exponentials (PK.md §2): every output concentration after a unit bolus at time 0 is
//   y_o(t) = Σ_i c_oi · exp(-λ_i t).
// Because the model is linear, this one table gives the exact answer to any piecewise-constant
// input (simulate.h). Mammillary models get their exponents from the closed-form cubic or
// quadratic; the parent → metabolite model from an eigen-decomposition (Eigen).
#pragma once

#include <array>

#include "kclinic/base/status.h"
#include "kclinic/domain/pk/model.h"

namespace kclinic::domain::pk {

// Olofsen 2022: blood-effect-site equilibration half-time 8.3 min for S-ketamine, ke0 =
// ln 2 / 8.3 ≈ 0.084 /min (PK.md §2.4). No ke0 has been validated for dissociation from racemic
// ketamine; it is the default for every model and a caller may pass another.
inline constexpr double kDefaultKe0PerMin = 0.084;

// Outputs a disposition can have. Plasma and effect site always; metabolite when the model has
// one.
enum class Output { kPlasma = 0, kEffectSite = 1, kMetabolite = 2 };

inline constexpr int kMaxExponents = 6;  // 3 parent + 2 metabolite + the effect site
inline constexpr int kMaxOutputs = 3;

struct Disposition {
  int exponent_count = 0;
  int output_count = 0;  // 2, or 3 with a metabolite
  // λ_i in 1/min, all positive and distinct.
  std::array<double, kMaxExponents> lambda_per_min{};
  // c_oi: ng/mL of output o per mg given as a bolus, for exponent i.
  std::array<std::array<double, kMaxExponents>, kMaxOutputs> ng_per_ml_per_mg{};
};

// The exponents λ1 > λ2 > λ3 of a three-compartment mammillary model: the roots of
// x³ - a2·x² + a1·x - a0 (PK.md §2.1, sign convention of λ > 0), found with the trigonometric
// solution of the cubic and polished with two Newton steps. Rate constants in 1/min.
std::array<double, 3> ThreeCompartmentExponents(double k10, double k12, double k13, double k21,
                                                double k31);

// λ1 > λ2 of a two-compartment model (the quadratic; the small root from the product of roots,
// which avoids cancellation).
std::array<double, 2> TwoCompartmentExponents(double k10, double k12, double k21);

// Closed-form disposition of a 1-3 compartment mammillary model (PK.md §2.1-2.4): exponents
// from the cubic or quadratic, unit-bolus coefficients p_i = Π_j(kj1 - λi) / (V1·Π_{j≠i}(λj -
// λi)), effect-site coefficients p_i·ke0/(ke0 - λi) and -Σ of them on exp(-ke0·t).
// InvalidArgument("ke0_per_min") unless 0 < ke0 <= 10 /min; InvalidArgument("model") for
// non-positive or non-finite volumes or clearances.
Result<Disposition> MammillaryDisposition(const Compartments& parent, PerMinute ke0);

// A mammillary parent whose elimination forms a two-compartment metabolite, solved as one linear
// system of five amounts by eigen-decomposition (PK.md §2.5), plus the parent's effect site.
// Errors as MammillaryDisposition; Internal if the system has (near-)repeated eigenvalues.
Result<Disposition> ParentMetaboliteDisposition(const Compartments& parent,
                                                const MetaboliteCompartments& metabolite,
                                                PerMinute ke0);

// The disposition of a model for one patient: the mammillary closed form, or the metabolite
// system when the model has one.
Result<Disposition> BuildDisposition(const ModelParameters& parameters, PerMinute ke0);

}  // namespace kclinic::domain::pk
