#include "kclinic/domain/pk/predict.h"
#include "kclinic/domain/pk/test_support.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kclinic::domain::pk {
namespace {

using namespace test;

Prediction PredictOrDie(ModelId model, Covariates c, const Regimen& regimen,
                        const std::vector<Minutes>& times, PredictOptions options = {}) {
  auto p = Predict(model, c, regimen, times, options);
  EXPECT_TRUE(p.ok()) << p.status().field() << ": " << p.status().message();
  return p.ok() ? *p : Prediction{};
}

// PK.md §3: 70 kg, 35 mg over 40 min, Cp in ng/mL, rounded as printed there.
TEST(Predict, ReproducesTheTableOfPkMd) {
  const auto times = Times({10, 20, 40, 60, 80, 230});
  struct Row {
    ModelId model;
    double cp[6];
    double tolerance;  // half the last printed digit
  };
  const Row rows[] = {
      {ModelId::kDomino, {182, 210, 240.3, 55, 45.8, 18.4}, 0},
      {ModelId::kClements, {62, 109, 177, 115, 85, 36}, 0.5},
  };
  const double domino_tolerance[] = {0.5, 0.5, 0.1, 0.5, 0.05, 0.05};
  for (const Row& row : rows) {
    const Prediction p = PredictOrDie(row.model, {Kilograms(70)}, UsualInfusion(), times);
    ASSERT_EQ(p.plasma.values.size(), 6u);
    for (int i = 0; i < 6; ++i) {
      const double tol = row.model == ModelId::kDomino ? domino_tolerance[i] : row.tolerance;
      EXPECT_NEAR(p.plasma.values[i].value(), row.cp[i], tol)
          << ModelCode(row.model) << " at " << times[i].value() << " min";
    }
  }
}

// Domino Cp(40 min) = 240.3 ng/mL (PK.md §1, §3). With the stanpumpR rate constants (which the
// exact 70 kg volumes require) the value is 240.3596 (deSolve agrees to 1e-9, desolve_test.cc);
// opentiva's k10 0.4381 and k12 0.5921 give 240.33, which is where PK.md's 240.3 comes from. Hence
// 0.1 against PK.md's figure and 1e-4 against the exact one.
TEST(Predict, DominoAt40MinutesAfterHalfAMgPerKg) {
  const Prediction p =
      PredictOrDie(ModelId::kDomino, {Kilograms(70)}, UsualInfusion(), Times({40}));
  EXPECT_NEAR(p.plasma.values[0].value(), 240.3, 0.1);
  EXPECT_NEAR(p.plasma.values[0].value(), 240.3596, 1e-4);
}

TEST(Predict, ExposureOfTheUsualInfusion) {
  const Prediction p = PredictOrDie(ModelId::kDomino, {Kilograms(70)}, UsualInfusion(),
                                    Times({0, 30, 40, 60, 120, 240}));
  // Plasma peaks at the end of the infusion.
  EXPECT_NEAR(p.plasma.exposure.tmax.value(), 40, 1e-6);
  EXPECT_NEAR(p.plasma.exposure.cmax.value(), p.plasma.values[2].value(), 1e-9);
  EXPECT_EQ(p.horizon.value(), 240);
  // Above 100 ng/mL from a few minutes in until shortly after the infusion stops.
  EXPECT_GT(p.plasma.exposure.above_threshold.value(), 35);
  EXPECT_LT(p.plasma.exposure.above_threshold.value(), 45);
  // The effect site lags: its peak is later and lower.
  EXPECT_GT(p.effect_site.exposure.tmax.value(), 40);
  EXPECT_LT(p.effect_site.exposure.cmax.value(), p.plasma.exposure.cmax.value());
  EXPECT_EQ(p.effect_site.values[0].value(), 0);
  EXPECT_FALSE(p.metabolite.has_value());
  EXPECT_EQ(p.plasma.name, "ketamine");
  EXPECT_EQ(p.effect_site.name, "effect_site");
}

// Exposure figures checked against brute force on a 1.5 ms grid.
TEST(Predict, ExposureAgreesWithBruteForce) {
  auto regimen = Regimen::Create({{Minutes(0), Milligrams(20), std::nullopt, std::nullopt},
                                  {Minutes(5), std::nullopt, Minutes(45), MgPerMin(0.5)},
                                  {Minutes(60), Milligrams(15), std::nullopt, std::nullopt}});
  ASSERT_TRUE(regimen.ok());
  for (ModelId model : {ModelId::kDomino, ModelId::kClements, ModelId::kFantaOtto}) {
    SCOPED_TRACE(std::string(ModelCode(model)));
    auto parameters = BuildModelParameters(model, {Kilograms(70)});
    ASSERT_TRUE(parameters.ok());
    auto d = BuildDisposition(*parameters, PerMinute(kDefaultKe0PerMin));
    ASSERT_TRUE(d.ok());
    const Trajectory trajectory(*d, regimen->segments());
    const double t_end = 150, threshold = 60;
    const auto exposures = MeasureExposures(trajectory, t_end, threshold);
    for (int o = 0; o < d->output_count; ++o) {
      const Output out = static_cast<Output>(o);
      const Exposure& e = exposures[o];
      const int n = 100000;
      const double h = t_end / n;
      double cmax = 0, tmax = 0, above = 0, area = 0;
      double prev = trajectory.Value(out, 0);
      for (int k = 0; k <= n; ++k) {
        const double t = k * h, y = trajectory.Value(out, t);
        if (y > cmax) cmax = y, tmax = t;
        if (k > 0) {
          area += (trajectory.ValueBefore(out, t) + prev) / 2 * h;
          if (y > threshold) above += h;
        }
        prev = y;
      }
      EXPECT_NEAR(e.cmax.value(), cmax, 1e-7 * cmax) << o;
      EXPECT_NEAR(e.tmax.value(), tmax, 2 * h) << o;
      EXPECT_NEAR(e.above_threshold.value(), above, 4 * h) << o;
      EXPECT_NEAR(e.auc.value(), area, 1e-6 * area) << o;
      EXPECT_NEAR(e.auc.value(), trajectory.Area(out, t_end), 1e-10 * area) << o;
    }
  }
}

TEST(Predict, ABolusPeaksAtOnceAndCountsAtItsTime) {
  auto r = Regimen::Create({{Minutes(10), Milligrams(20), std::nullopt, std::nullopt}});
  const Prediction p =
      PredictOrDie(ModelId::kClements, {Kilograms(70)}, *r, Times({0, 9.999, 10, 20}));
  EXPECT_EQ(p.plasma.values[0].value(), 0);
  EXPECT_EQ(p.plasma.values[1].value(), 0);
  // 20 mg into V1 = 1.7522 L/kg × 70 kg, in ng/mL.
  EXPECT_NEAR(p.plasma.values[2].value(), 20e3 / (1.7522 * 70), 1e-9);
  EXPECT_NEAR(p.plasma.exposure.cmax.value(), p.plasma.values[2].value(), 1e-9);
  EXPECT_EQ(p.plasma.exposure.tmax.value(), 10);
}

TEST(Predict, FantaOttoNamesItsMetabolite) {
  const Prediction p =
      PredictOrDie(ModelId::kFantaOtto, {Kilograms(70)}, UsualInfusion(), Times({0, 40, 120}));
  ASSERT_TRUE(p.metabolite.has_value());
  EXPECT_EQ(p.metabolite->name, "s_norketamine");
  EXPECT_EQ(p.plasma.name, "s_ketamine");
  EXPECT_EQ(p.metabolite->values[0].value(), 0);
  EXPECT_GT(p.metabolite->values[1].value(), 0);
  // Norketamine keeps rising after the infusion while ketamine falls.
  EXPECT_GT(p.metabolite->exposure.tmax.value(), 40);
}

TEST(Predict, ErrorsNameTheField) {
  const Regimen r = UsualInfusion();
  const auto ok_times = Times({10});
  struct Case {
    ModelId model;
    Covariates c;
    std::vector<Minutes> times;
    PredictOptions options;
    std::string field;
  };
  const std::vector<Case> cases = {
      {ModelId::kDomino, {Kilograms(-3)}, ok_times, {}, "weight_kg"},
      {ModelId::kHerd, {Kilograms(70), 40}, ok_times, {}, "age_years"},
      {ModelId::kDomino, {Kilograms(70)}, {}, {}, "times_min"},
      {ModelId::kDomino, {Kilograms(70)}, Times({10, -1}), {}, "times_min.1"},
      {ModelId::kDomino, {Kilograms(70)}, Times({1e6}), {}, "times_min.0"},
      {ModelId::kDomino, {Kilograms(70)}, ok_times, {PerMinute(0)}, "ke0_per_min"},
      {ModelId::kDomino,
       {Kilograms(70)},
       ok_times,
       {PerMinute(0.1), NgPerMl(-1)},
       "threshold_ng_per_ml"},
      // 35 mg is more than 60 mg/kg of a 0.5 kg patient.
      {ModelId::kDomino, {Kilograms(1)}, ok_times, {}, ""},
  };
  for (const Case& tc : cases) {
    auto p = Predict(tc.model, tc.c, r, tc.times, tc.options);
    if (tc.field.empty()) {
      EXPECT_TRUE(p.ok());
      continue;
    }
    ASSERT_FALSE(p.ok()) << tc.field;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(p.status().field(), tc.field) << p.status().message();
  }
  auto big = Regimen::Create({{Minutes(0), Milligrams(900), std::nullopt, std::nullopt}});
  auto absurd = Predict(ModelId::kDomino, {Kilograms(10)}, *big, ok_times);
  EXPECT_EQ(absurd.status().field(), "regimen");
}

}  // namespace
}  // namespace kclinic::domain::pk
