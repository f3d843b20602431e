// The exact solution against a numerical one: every model's ODEs, written out compartment by
// compartment from its volumes and clearances, integrated by Boost.Odeint (Runge-Kutta-Fehlberg
// 7(8), tolerances 1e-13) from breakpoint to breakpoint, for boluses, an infusion, overlapping
// infusions and rate changes. Agreement to a relative 1e-9.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <string>

#include "kclinic/domain/pk/predict.h"
#include "kclinic/domain/pk/test_support.h"

namespace kclinic::domain::pk {
namespace {

using namespace test;

namespace odeint = boost::numeric::odeint;

// A1, A2, A3 parent amounts (mg), M1, M2 metabolite amounts (mg), Ce (ng/mL).
using State = std::array<double, 6>;

struct System {
  ModelParameters p;
  double ke0 = kDefaultKe0PerMin;
  double rate_mg_per_min = 0;

  void operator()(const State& x, State& dx, double /*t*/) const {
    const Compartments& c = p.parent;
    const double v1 = c.v1.value();
    const double c1 = x[0] / v1;  // mg/L
    const double elimination = c.cl.value() * c1;
    const double to2 = c.count >= 2 ? c.q2.value() * (c1 - x[1] / c.v2.value()) : 0;
    const double to3 = c.count >= 3 ? c.q3.value() * (c1 - x[2] / c.v3.value()) : 0;
    dx[0] = rate_mg_per_min - elimination - to2 - to3;
    dx[1] = to2;
    dx[2] = to3;
    if (p.metabolite) {
      const MetaboliteCompartments& m = *p.metabolite;
      const double m1 = x[3] / m.v1.value();
      const double to_peripheral = m.q.value() * (m1 - x[4] / m.v2.value());
      dx[3] = m.formed_mg_per_parent_mg * elimination - m.cl.value() * m1 - to_peripheral;
      dx[4] = to_peripheral;
    } else {
      dx[3] = dx[4] = 0;
    }
    dx[5] = ke0 * (1000 * c1 - x[5]);
  }
};

struct Reference {
  std::vector<double> cp, ce, metabolite;
};

Reference Integrate(const ModelParameters& p, const Regimen& regimen,
                    const std::vector<double>& times) {
  std::vector<double> events(times);
  for (const InputSegment& s : regimen.segments()) events.push_back(s.start_min);
  std::sort(events.begin(), events.end());
  events.erase(std::unique(events.begin(), events.end()), events.end());

  System system{p};
  State x{};
  double t = 0;
  size_t next_segment = 0;
  const auto& segments = regimen.segments();
  std::vector<std::array<double, 3>> at_event;
  for (double e : events) {
    if (e > t) {
      auto stepper = odeint::make_controlled(1e-13, 1e-13, odeint::runge_kutta_fehlberg78<State>());
      odeint::integrate_adaptive(stepper, system, x, t, e, (e - t) / 100);
      t = e;
    }
    while (next_segment < segments.size() && segments[next_segment].start_min <= e) {
      x[0] += segments[next_segment].bolus_mg;
      system.rate_mg_per_min = segments[next_segment].rate_mg_per_min;
      ++next_segment;
    }
    const double metabolite = p.metabolite ? 1000 * x[3] / p.metabolite->v1.value() : 0;
    at_event.push_back({1000 * x[0] / p.parent.v1.value(), x[5], metabolite});
  }
  Reference r;
  for (double time : times) {
    const size_t i = std::lower_bound(events.begin(), events.end(), time) - events.begin();
    r.cp.push_back(at_event[i][0]);
    r.ce.push_back(at_event[i][1]);
    r.metabolite.push_back(at_event[i][2]);
  }
  return r;
}

void ExpectClose(const std::vector<NgPerMl>& ours, const std::vector<double>& reference,
                 const std::vector<double>& times, const std::string& what) {
  ASSERT_EQ(ours.size(), reference.size());
  for (size_t i = 0; i < ours.size(); ++i) {
    const double tolerance = 1e-9 * std::abs(reference[i]) + 1e-12;
    EXPECT_NEAR(ours[i].value(), reference[i], tolerance) << what << " at t = " << times[i];
  }
}

TEST(ExactSolution, AgreesWithOdeintForEveryModelAndRegimen) {
  const std::vector<double> times = {0,  0.5, 1,  2,  5,  10,  15,  19.99, 20,  25,
                                     30, 40,  45, 60, 90, 120, 180, 240,   480, 1440};
  const std::vector<std::pair<std::string, std::vector<DoseEntry>>> regimens = {
      {"bolus", {Bolus(0, 35)}},
      {"infusion", {Infusion(0, 40, 0.875)}},
      {"overlapping infusions with boluses",
       {Bolus(0, 10), Infusion(0, 40, 0.6), Infusion(20, 60, 0.3), Bolus(90, 5)}},
      {"rate changes", {Infusion(0, 10, 1.0), Infusion(10, 30, 0.4), Infusion(30, 45, 0.8)}},
      {"late start", {Infusion(5, 25, 2), Bolus(25, 3)}},
  };
  struct Patient {
    ModelId model;
    Covariates covariates;
  };
  const Patient patients[] = {
      {ModelId::kDomino, {Kilograms(70)}},    {ModelId::kDomino, {Kilograms(112)}},
      {ModelId::kClements, {Kilograms(70)}},  {ModelId::kHijazi, {Kilograms(64)}},
      {ModelId::kHerd, {Kilograms(25), 8}},   {ModelId::kFantaOtto, {Kilograms(70)}},
      {ModelId::kFantaOtto, {Kilograms(93)}},
  };
  std::vector<Minutes> minutes;
  for (double t : times) minutes.push_back(Minutes(t));
  for (const Patient& patient : patients) {
    auto parameters = BuildModelParameters(patient.model, patient.covariates);
    ASSERT_TRUE(parameters.ok());
    for (const auto& [name, entries] : regimens) {
      auto regimen = Regimen::Create(entries);
      ASSERT_TRUE(regimen.ok()) << name;
      auto ours = Predict(patient.model, patient.covariates, *regimen, minutes);
      ASSERT_TRUE(ours.ok()) << ours.status().message();
      const Reference reference = Integrate(*parameters, *regimen, times);
      const std::string what = std::string(ModelCode(patient.model)) + " " +
                               std::to_string(patient.covariates.weight.value()) + " kg, " + name;
      ExpectClose(ours->plasma.values, reference.cp, times, what + ", plasma");
      ExpectClose(ours->effect_site.values, reference.ce, times, what + ", effect site");
      if (parameters->metabolite) {
        ASSERT_TRUE(ours->metabolite.has_value());
        ExpectClose(ours->metabolite->values, reference.metabolite, times, what + ", metabolite");
      } else {
        EXPECT_FALSE(ours->metabolite.has_value());
      }
    }
  }
}

// The eigen-decomposition path gives the parent the same exponents and coefficients as the
// closed form.
TEST(ExactSolution, MetaboliteSystemLeavesTheParentAsTheClosedForm) {
  auto p = BuildModelParameters(ModelId::kFantaOtto, {Kilograms(70)});
  ASSERT_TRUE(p.ok());
  auto closed = MammillaryDisposition(p->parent, PerMinute(kDefaultKe0PerMin));
  auto eigen = ParentMetaboliteDisposition(p->parent, *p->metabolite, PerMinute(kDefaultKe0PerMin));
  ASSERT_TRUE(closed.ok() && eigen.ok());
  EXPECT_EQ(eigen->exponent_count, 6);
  // Each closed-form exponent appears in the eigen system with the same plasma coefficient.
  for (int i = 0; i < closed->exponent_count - 1; ++i) {
    bool found = false;
    for (int j = 0; j < eigen->exponent_count; ++j) {
      const double l = closed->lambda_per_min[i];
      if (std::abs(eigen->lambda_per_min[j] - l) < 1e-12 * l) {
        found = true;
        const double c = closed->ng_per_ml_per_mg[0][i];
        EXPECT_NEAR(eigen->ng_per_ml_per_mg[0][j], c, 1e-11 * std::abs(c));
      }
    }
    EXPECT_TRUE(found) << closed->lambda_per_min[i];
  }
}

TEST(ExactSolution, CubicRootsSatisfyTheCubic) {
  const double k10 = 0.438, k12 = 0.592, k13 = 0.590, k21 = 0.247, k31 = 0.0146;
  const auto l = ThreeCompartmentExponents(k10, k12, k13, k21, k31);
  EXPECT_GT(l[0], l[1]);
  EXPECT_GT(l[1], l[2]);
  // Vieta: the sum, pairwise products and product of the roots.
  EXPECT_NEAR(l[0] + l[1] + l[2], k10 + k12 + k13 + k21 + k31, 1e-15);
  EXPECT_NEAR(l[0] * l[1] * l[2], k10 * k21 * k31, 1e-18);
  EXPECT_NEAR(l[0] * l[1] + l[0] * l[2] + l[1] * l[2],
              k10 * k31 + k21 * k31 + k21 * k13 + k10 * k21 + k31 * k12, 1e-15);
}

}  // namespace
}  // namespace kclinic::domain::pk
