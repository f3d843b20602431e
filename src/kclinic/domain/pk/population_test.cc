#include "kclinic/domain/pk/population.h"
#include "kclinic/domain/pk/test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace kclinic::domain::pk {
namespace {

using namespace test;

PopulationPrediction RunPopulation(ModelId model, int n, uint64_t seed, unsigned threads,
                                   Covariates c = {Kilograms(70)}) {
  PopulationOptions o;
  o.n = n;
  o.seed = seed;
  o.threads = threads;
  auto p = PredictPopulation(model, c, UsualInfusion(), Times({0, 10, 40, 60, 120, 240}), o);
  EXPECT_TRUE(p.ok()) << p.status().field() << ": " << p.status().message();
  return p.ok() ? *p : PopulationPrediction{};
}

TEST(NormalSource, IsStandardNormalAndReproducible) {
  NormalSource a(42, 7), b(42, 7), other(42, 8);
  EXPECT_EQ(a.Normal(), b.Normal());
  EXPECT_NE(NormalSource(42, 7).Normal(), other.Normal());
  NormalSource s(1, 0);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  int beyond = 0;
  for (int i = 0; i < n; ++i) {
    const double z = s.Normal();
    sum += z;
    sum2 += z * z;
    beyond += std::abs(z) > 1.959964;
  }
  EXPECT_NEAR(sum / n, 0, 0.01);
  EXPECT_NEAR(sum2 / n, 1, 0.01);
  EXPECT_NEAR(static_cast<double>(beyond) / n, 0.05, 0.003);
}

TEST(Quantile, IsRType7) {
  std::vector<double> v = {5, 1, 4, 2, 3};
  EXPECT_DOUBLE_EQ(Quantile(v, 0.5), 3);
  EXPECT_DOUBLE_EQ(Quantile(v, 0.05), 1.2);  // R: quantile(1:5, 0.05) = 1.2
  EXPECT_DOUBLE_EQ(Quantile(v, 0.95), 4.8);
  std::vector<double> one = {7};
  EXPECT_DOUBLE_EQ(Quantile(one, 0.95), 7);
}

TEST(Population, BandsAreSaneAroundTheTypicalPatient) {
  const PopulationPrediction p = RunPopulation(ModelId::kDomino, 2000, 2024, 0);
  auto typical =
      Predict(ModelId::kDomino, {Kilograms(70)}, UsualInfusion(), Times({0, 10, 40, 60, 120, 240}));
  ASSERT_TRUE(typical.ok());
  ASSERT_EQ(p.plasma.values.size(), 6u);
  EXPECT_EQ(p.plasma.values[0].median, 0);  // nothing given yet
  for (size_t k = 1; k < 6; ++k) {
    const Quantiles& q = p.plasma.values[k];
    EXPECT_LT(q.p05, q.median);
    EXPECT_LT(q.median, q.p95);
    // The median patient is close to the typical one (log-normal effects centred on it).
    EXPECT_NEAR(q.median, typical->plasma.values[k].value(), 0.1 * q.median) << k;
    // 30 % CV on V1 and CL: a band several tens of percent wide, not orders of magnitude.
    EXPECT_GT(q.p95 / q.p05, 1.3) << k;
    EXPECT_LT(q.p95 / q.p05, 6) << k;
  }
  EXPECT_NEAR(p.plasma.cmax.median, typical->plasma.exposure.cmax.value(),
              0.1 * p.plasma.cmax.median);
  EXPECT_LT(p.plasma.cmax.p05, p.plasma.cmax.p95);
  EXPECT_NEAR(p.plasma.tmax.median, 40, 1e-6);
  EXPECT_EQ(p.variability.size(), 2u);
  EXPECT_EQ(p.plasma.name, "ketamine");
}

TEST(Population, SameSeedSameAnswerWhateverTheThreads) {
  const PopulationPrediction one = RunPopulation(ModelId::kFantaOtto, 200, 99, 1);
  const PopulationPrediction two = RunPopulation(ModelId::kFantaOtto, 200, 99, 2);
  const PopulationPrediction seven = RunPopulation(ModelId::kFantaOtto, 200, 99, 7);
  const PopulationPrediction other = RunPopulation(ModelId::kFantaOtto, 200, 100, 2);
  ASSERT_TRUE(one.metabolite && two.metabolite && seven.metabolite);
  for (size_t k = 0; k < one.times.size(); ++k) {
    EXPECT_EQ(one.plasma.values[k].median, two.plasma.values[k].median);
    EXPECT_EQ(one.plasma.values[k].p95, seven.plasma.values[k].p95);
    EXPECT_EQ(one.metabolite->values[k].p05, seven.metabolite->values[k].p05);
    EXPECT_EQ(one.effect_site.values[k].median, two.effect_site.values[k].median);
  }
  EXPECT_EQ(one.plasma.auc.median, seven.plasma.auc.median);
  EXPECT_NE(one.plasma.values[2].median, other.plasma.values[2].median);
  EXPECT_EQ(one.metabolite->name, "s_norketamine");
}

TEST(Population, ErrorsNameTheField) {
  PopulationOptions o;
  o.n = 0;
  auto zero = PredictPopulation(ModelId::kDomino, {Kilograms(70)}, UsualInfusion(), Times({10}), o);
  EXPECT_EQ(zero.status().field(), "n");
  o.n = 100001;
  auto many = PredictPopulation(ModelId::kDomino, {Kilograms(70)}, UsualInfusion(), Times({10}), o);
  EXPECT_EQ(many.status().field(), "n");
  o.n = 100000;
  std::vector<Minutes> lots(300, Minutes(1));
  auto cells = PredictPopulation(ModelId::kDomino, {Kilograms(70)}, UsualInfusion(), lots, o);
  EXPECT_EQ(cells.status().field(), "n");
  o.n = 10;
  auto weight =
      PredictPopulation(ModelId::kDomino, {Kilograms(400)}, UsualInfusion(), Times({10}), o);
  EXPECT_EQ(weight.status().field(), "weight_kg");
  auto herd = PredictPopulation(ModelId::kHerd, {Kilograms(40)}, UsualInfusion(), Times({10}), o);
  EXPECT_EQ(herd.status().field(), "age_years");
}

}  // namespace
}  // namespace kclinic::domain::pk
