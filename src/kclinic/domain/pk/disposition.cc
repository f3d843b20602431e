#include "kclinic/domain/pk/disposition.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <eigen3/Eigen/Dense>

namespace kclinic::domain::pk {

namespace {

// mg/L (mg per litre of volume) is µg/mL; ng/mL is 1000 times that.
constexpr double kNgPerMlPerMgPerL = 1000;

bool Positive(double x) { return std::isfinite(x) && x > 0; }

Status CheckCompartments(const Compartments& c) {
  if (c.count < 1 || c.count > 3) return InvalidArgument("model", "must have 1-3 compartments");
  bool ok = Positive(c.v1.value()) && Positive(c.cl.value());
  if (c.count >= 2) ok = ok && Positive(c.v2.value()) && Positive(c.q2.value());
  if (c.count >= 3) ok = ok && Positive(c.v3.value()) && Positive(c.q3.value());
  if (!ok) return InvalidArgument("model", "has a volume or clearance that is not positive");
  return Status::Ok();
}

Status CheckKe0(PerMinute ke0) {
  if (!Positive(ke0.value()) || ke0.value() > 10) {
    return InvalidArgument("ke0_per_min", "must be more than 0 and at most 10 per minute");
  }
  return Status::Ok();
}

// Appends the effect site: Ce' = ke0·(Cp - Ce) gives, per plasma exponent λi with coefficient
// p_i, e_i = p_i·ke0/(ke0 - λi), and -Σe_i on exp(-ke0·t) so that Ce(0) = 0 (PK.md §2.4).
void AddEffectSite(Disposition& d, double ke0) {
  // ke0 equal to an exponent would need a t·exp(-λt) term; a relative nudge of 1e-6 (a change in
  // Ce far below anything clinical) keeps the sum-of-exponentials form with little cancellation.
  for (int guard = 0; guard < 100; ++guard) {
    bool close = false;
    for (int i = 0; i < d.exponent_count; ++i) {
      close = close || std::abs(ke0 - d.lambda_per_min[i]) < 1e-7 * ke0;
    }
    if (!close) break;
    ke0 *= 1 + 1e-6;
  }
  const int n = d.exponent_count;
  const auto& plasma = d.ng_per_ml_per_mg[static_cast<int>(Output::kPlasma)];
  auto& effect = d.ng_per_ml_per_mg[static_cast<int>(Output::kEffectSite)];
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    effect[i] = plasma[i] * ke0 / (ke0 - d.lambda_per_min[i]);
    sum += effect[i];
  }
  d.lambda_per_min[n] = ke0;
  effect[n] = -sum;
  for (int o = 0; o < kMaxOutputs; ++o) {
    if (o != static_cast<int>(Output::kEffectSite)) d.ng_per_ml_per_mg[o][n] = 0;
  }
  d.exponent_count = n + 1;
}

}  // namespace

std::array<double, 3> ThreeCompartmentExponents(double k10, double k12, double k13, double k21,
                                                double k31) {
  // PK.md §2.1 (as in STANPUMP): λ are the roots of λ³ - a2·λ² + a1·λ - a0.
  const double a0 = k10 * k21 * k31;
  const double a1 = k10 * k31 + k21 * k31 + k21 * k13 + k10 * k21 + k31 * k12;
  const double a2 = k10 + k12 + k13 + k21 + k31;
  // λ = y + a2/3 gives the depressed cubic y³ + p·y + q = 0, with three real roots (p < 0)
  // because a mammillary matrix is similar to a symmetric one.
  const double p = a1 - a2 * a2 / 3;
  const double q = -2 * a2 * a2 * a2 / 27 + a1 * a2 / 3 - a0;
  std::array<double, 3> roots{};
  if (p < 0) {
    const double r = 2 * std::sqrt(-p / 3);
    const double arg = std::clamp(3 * q / (p * r), -1.0, 1.0);
    const double phi = std::acos(arg) / 3;
    for (int k = 0; k < 3; ++k) {
      roots[k] = r * std::cos(phi - 2 * std::numbers::pi * k / 3) + a2 / 3;
    }
  } else {
    roots = {a2 / 3, a2 / 3, a2 / 3};  // degenerate; Newton below does what it can
  }
  // Two Newton steps recover the digits acos loses when roots lie close together.
  for (double& x : roots) {
    for (int step = 0; step < 2; ++step) {
      const double f = ((x - a2) * x + a1) * x - a0;
      const double df = (3 * x - 2 * a2) * x + a1;
      if (df != 0) x -= f / df;
    }
  }
  std::sort(roots.begin(), roots.end(), std::greater<>());
  return roots;
}

std::array<double, 2> TwoCompartmentExponents(double k10, double k12, double k21) {
  const double a = k10 + k12 + k21, b = k10 * k21;
  const double large = (a + std::sqrt(std::max(0.0, a * a - 4 * b))) / 2;
  return {large, b / large};
}

Result<Disposition> MammillaryDisposition(const Compartments& c, PerMinute ke0) {
  KC_RETURN_IF_ERROR(CheckCompartments(c));
  KC_RETURN_IF_ERROR(CheckKe0(ke0));
  const double v1 = c.v1.value();
  const double k10 = c.cl.value() / v1;
  Disposition d;
  d.output_count = 2;
  auto& plasma = d.ng_per_ml_per_mg[static_cast<int>(Output::kPlasma)];
  if (c.count == 1) {
    d.exponent_count = 1;
    d.lambda_per_min[0] = k10;
    plasma[0] = kNgPerMlPerMgPerL / v1;
  } else if (c.count == 2) {
    const double k12 = c.q2.value() / v1, k21 = c.q2.value() / c.v2.value();
    const auto l = TwoCompartmentExponents(k10, k12, k21);
    d.exponent_count = 2;
    for (int i = 0; i < 2; ++i) {
      d.lambda_per_min[i] = l[i];
      plasma[i] = kNgPerMlPerMgPerL * (k21 - l[i]) / (v1 * (l[1 - i] - l[i]));
    }
  } else {
    const double k12 = c.q2.value() / v1, k21 = c.q2.value() / c.v2.value();
    const double k13 = c.q3.value() / v1, k31 = c.q3.value() / c.v3.value();
    const auto l = ThreeCompartmentExponents(k10, k12, k13, k21, k31);
    d.exponent_count = 3;
    for (int i = 0; i < 3; ++i) {
      const int j = (i + 1) % 3, k = (i + 2) % 3;
      d.lambda_per_min[i] = l[i];
      plasma[i] =
          kNgPerMlPerMgPerL * (k21 - l[i]) * (k31 - l[i]) / (v1 * (l[j] - l[i]) * (l[k] - l[i]));
    }
  }
  AddEffectSite(d, ke0.value());
  return d;
}

Result<Disposition> ParentMetaboliteDisposition(const Compartments& c,
                                                const MetaboliteCompartments& m, PerMinute ke0) {
  KC_RETURN_IF_ERROR(CheckCompartments(c));
  KC_RETURN_IF_ERROR(CheckKe0(ke0));
  if (!Positive(m.v1.value()) || !Positive(m.v2.value()) || !Positive(m.cl.value()) ||
      !Positive(m.q.value()) || !Positive(m.formed_mg_per_parent_mg)) {
    return InvalidArgument("model", "has a metabolite volume or clearance that is not positive");
  }
  // Amounts (mg): parent compartments 0..count-1, then metabolite central and peripheral.
  // dA/dt = rates·A + e0·rate. Micro rate constants k_ij = CL/V of the compartment they leave.
  const int n = c.count + 2, mc = c.count, mp = c.count + 1;
  Eigen::MatrixXd rates = Eigen::MatrixXd::Zero(n, n);
  const double v1 = c.v1.value();
  const double k10 = c.cl.value() / v1;
  rates(0, 0) = -k10;
  if (c.count >= 2) {
    const double k12 = c.q2.value() / v1, k21 = c.q2.value() / c.v2.value();
    rates(0, 0) -= k12;
    rates(0, 1) = k21;
    rates(1, 0) = k12;
    rates(1, 1) = -k21;
  }
  if (c.count >= 3) {
    const double k13 = c.q3.value() / v1, k31 = c.q3.value() / c.v3.value();
    rates(0, 0) -= k13;
    rates(0, 2) = k31;
    rates(2, 0) = k13;
    rates(2, 2) = -k31;
  }
  const double km10 = m.cl.value() / m.v1.value(), km12 = m.q.value() / m.v1.value();
  const double km21 = m.q.value() / m.v2.value();
  rates(mc, 0) = m.formed_mg_per_parent_mg * k10;  // what leaves the parent by clearance
  rates(mc, mc) = -(km10 + km12);
  rates(mc, mp) = km21;
  rates(mp, mc) = km12;
  rates(mp, mp) = -km21;

  // The matrix is block lower-triangular with mammillary blocks, so its eigenvalues are real,
  // negative and (for any real parameter set) distinct: rates = v·diag(-λ)·v⁻¹, and a unit
  // bolus into compartment 0 gives A(t) = Σ_i v(:,i)·w_i·exp(-λi·t) with w = v⁻¹·e0.
  Eigen::EigenSolver<Eigen::MatrixXd> solver(rates);
  if (solver.info() != Eigen::Success) return Internal("eigen-decomposition failed");
  const Eigen::VectorXcd mu = solver.eigenvalues();
  const Eigen::MatrixXcd vectors = solver.eigenvectors();
  const double scale = rates.cwiseAbs().maxCoeff();
  for (int i = 0; i < n; ++i) {
    if (std::abs(mu[i].imag()) > 1e-12 * scale) return Internal("complex eigenvalues");
  }
  const Eigen::MatrixXd v = vectors.real();
  const Eigen::VectorXd w = v.partialPivLu().solve(Eigen::VectorXd::Unit(n, 0));

  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return mu[a].real() < mu[b].real(); });  // λ descending
  Disposition d;
  d.output_count = 3;
  d.exponent_count = n;
  for (int k = 0; k < n; ++k) {
    const int i = order[k];
    d.lambda_per_min[k] = -mu[i].real();
    d.ng_per_ml_per_mg[static_cast<int>(Output::kPlasma)][k] =
        kNgPerMlPerMgPerL * v(0, i) * w[i] / v1;
    d.ng_per_ml_per_mg[static_cast<int>(Output::kMetabolite)][k] =
        kNgPerMlPerMgPerL * v(mc, i) * w[i] / m.v1.value();
  }
  for (int k = 0; k < n; ++k) {
    if (!(d.lambda_per_min[k] > 0)) return Internal("non-positive eigenvalue");
    if (k > 0 && d.lambda_per_min[k - 1] - d.lambda_per_min[k] < 1e-9 * d.lambda_per_min[0]) {
      return Internal("repeated eigenvalues in the parent-metabolite system");
    }
  }
  AddEffectSite(d, ke0.value());
  return d;
}

Result<Disposition> BuildDisposition(const ModelParameters& parameters, PerMinute ke0) {
  if (parameters.metabolite) {
    return ParentMetaboliteDisposition(parameters.parent, *parameters.metabolite, ke0);
  }
  return MammillaryDisposition(parameters.parent, ke0);
}

}  // namespace kclinic::domain::pk
