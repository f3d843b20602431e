#include "kclinic/domain/pk/domino_batch.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kclinic/domain/pk/predict.h"

namespace kclinic::domain::pk {
namespace {

Regimen HalfMgPerKgOver40Min() {
  return Regimen::ConstantInfusion(Milligrams(0.5), Minutes(40)).value();
}

// The fast path gives every patient what Predict gives them, at every grid point.
TEST(DominoBatch, AgreesWithPredictForEveryPatient) {
  const std::vector<BatchPatient> patients = SampleDominoPatients(300, 5, 80, 0.25);
  const UniformGrid grid{Minutes(1), 241};
  std::vector<double> cp(patients.size() * 241);
  auto batch = SimulateDominoBatch(patients, HalfMgPerKgOver40Min(), grid, {2, cp});
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  std::vector<Minutes> times;
  for (int k = 0; k < 241; ++k) times.push_back(Minutes(k));
  std::vector<double> mean(241, 0);
  for (size_t i = 0; i < patients.size(); ++i) {
    const BatchPatient& patient = patients[i];
    auto typical = BuildModelParameters(ModelId::kDomino, {Kilograms(patient.weight_kg)});
    ASSERT_TRUE(typical.ok());
    const double etas[] = {patient.eta_v1, patient.eta_cl};
    const Regimen regimen = HalfMgPerKgOver40Min().Scaled(patient.weight_kg);
    auto p = PredictWithParameters(ApplyRandomEffects(*typical, etas), regimen, times);
    ASSERT_TRUE(p.ok());
    double cmax = 0;
    for (int k = 0; k < 241; ++k) {
      const double expected = p->plasma.values[k].value();
      ASSERT_NEAR(cp[i * 241 + k], expected, 1e-12 * expected + 1e-12) << i << " at " << k;
      mean[k] += expected / patients.size();
      cmax = std::max(cmax, expected);
    }
    EXPECT_NEAR(batch->patients[i].cmax_ng_per_ml, cmax, 1e-12 * cmax);
    EXPECT_NEAR(batch->patients[i].auc_ng_min_per_ml, p->plasma.exposure.auc.value(),
                1e-11 * p->plasma.exposure.auc.value());
  }
  for (int k = 0; k < 241; ++k) {
    EXPECT_NEAR(batch->mean_cp_ng_per_ml[k], mean[k], 1e-11 * mean[k] + 1e-12);
  }
}

TEST(DominoBatch, BolusesAndRateChangesOnTheGrid) {
  auto regimen = Regimen::Create({{Minutes(0), Milligrams(0.2), std::nullopt, std::nullopt},
                                  {Minutes(0), std::nullopt, Minutes(10), MgPerMin(0.02)},
                                  {Minutes(5), std::nullopt, Minutes(20), MgPerMin(0.01)},
                                  {Minutes(30), Milligrams(0.1), std::nullopt, std::nullopt}});
  ASSERT_TRUE(regimen.ok());
  const std::vector<BatchPatient> patients = {{70, 0.1, -0.2}, {55, -0.3, 0.25}};
  const UniformGrid grid{Minutes(2.5), 25};
  std::vector<double> cp(2 * 25);
  auto batch = SimulateDominoBatch(patients, *regimen, grid, {1, cp});
  ASSERT_TRUE(batch.ok());
  std::vector<Minutes> times;
  for (int k = 0; k < 25; ++k) times.push_back(Minutes(2.5 * k));
  for (size_t i = 0; i < 2; ++i) {
    auto typical = BuildModelParameters(ModelId::kDomino, {Kilograms(patients[i].weight_kg)});
    const double etas[] = {patients[i].eta_v1, patients[i].eta_cl};
    auto p = PredictWithParameters(ApplyRandomEffects(*typical, etas),
                                   regimen->Scaled(patients[i].weight_kg), times);
    ASSERT_TRUE(p.ok());
    for (int k = 0; k < 25; ++k) {
      const double expected = p->plasma.values[k].value();
      EXPECT_NEAR(cp[i * 25 + k], expected, 1e-12 * expected) << i << " at " << k;
    }
  }
}

TEST(DominoBatch, ErrorsNameTheField) {
  const std::vector<BatchPatient> ok = {{70, 0, 0}};
  const UniformGrid grid{Minutes(1), 241};
  EXPECT_EQ(SimulateDominoBatch({}, HalfMgPerKgOver40Min(), grid).status().field(), "patients");
  const std::vector<BatchPatient> heavy = {{900, 0, 0}};
  EXPECT_EQ(SimulateDominoBatch(heavy, HalfMgPerKgOver40Min(), grid).status().field(), "patients");
  EXPECT_EQ(SimulateDominoBatch(ok, HalfMgPerKgOver40Min(), {Minutes(0), 241}).status().field(),
            "grid");
  EXPECT_EQ(SimulateDominoBatch(ok, HalfMgPerKgOver40Min(), {Minutes(3), 100}).status().field(),
            "regimen");  // 40 min is not a multiple of 3
  std::vector<double> small(10);
  EXPECT_EQ(SimulateDominoBatch(ok, HalfMgPerKgOver40Min(), grid, {1, small}).status().field(),
            "cp_ng_per_ml");
}

TEST(DominoBatch, SampledPatientsAreReproducible) {
  const auto a = SampleDominoPatients(1000, 11, 80, 0.2);
  const auto b = SampleDominoPatients(1000, 11, 80, 0.2);
  double log_sum = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].weight_kg, b[i].weight_kg);
    EXPECT_EQ(a[i].eta_cl, b[i].eta_cl);
    EXPECT_GE(a[i].weight_kg, 30);
    EXPECT_LE(a[i].weight_kg, 250);
    log_sum += std::log(a[i].weight_kg);
  }
  EXPECT_NEAR(std::exp(log_sum / a.size()), 80, 2);
}

}  // namespace
}  // namespace kclinic::domain::pk
