#include "kclinic/domain/pk/model.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kclinic::domain::pk {
namespace {

ModelParameters Build(ModelId model, Covariates c) {
  auto p = BuildModelParameters(model, c);
  EXPECT_TRUE(p.ok()) << p.status().field() << ": " << p.status().message();
  return p.ok() ? *p : ModelParameters{};
}

// stanpumpR tests/testthat/test-drugs_ketamine.R: the 70 kg Domino volumes and clearances,
// compared after rounding to the digits it prints (its expect_equal_rounded).
TEST(DominoModel, MatchesStanpumpRAt70Kg) {
  const Compartments c = Build(ModelId::kDomino, {Kilograms(70)}).parent;
  EXPECT_EQ(c.count, 3);
  EXPECT_NEAR(c.v1.value(), 4.41, 0.5e-2);
  EXPECT_NEAR(c.v2.value(), 10.56972, 0.5e-5);
  EXPECT_NEAR(c.v3.value(), 178.2123, 0.5e-4);
  EXPECT_NEAR(c.cl.value(), 1.93158, 0.5e-5);
  EXPECT_NEAR(c.q2.value(), 2.61072, 0.5e-5);
  EXPECT_NEAR(c.q3.value(), 2.6019, 0.5e-4);
  // And to the last bit where the arithmetic is exact in decimal.
  EXPECT_DOUBLE_EQ(c.v1.value(), 4.41);
  EXPECT_DOUBLE_EQ(c.cl.value(), 1.93158);
  EXPECT_DOUBLE_EQ(c.q2.value(), 2.61072);
  EXPECT_DOUBLE_EQ(c.q3.value(), 2.6019);
}

TEST(Models, ParametersFollowThePublishedSets) {
  struct Case {
    ModelId model;
    double weight_kg;
    double v1, cl, v2, q2;  // L, L/min
  };
  const Case cases[] = {
      // Clements: V1 1.7522 L/kg, k10 0.0109, k12 0.0186, k21 0.0137 /min.
      {ModelId::kClements, 70, 1.7522 * 70, 1.7522 * 70 * 0.0109, 1.7522 * 70 * 0.0186 / 0.0137,
       1.7522 * 70 * 0.0186},
      // Hijazi: V1 1.08 L/kg; k10 0.0333 makes CL 36.0 mL/min/kg.
      {ModelId::kHijazi, 80, 1.08 * 80, 1.08 * 80 * 0.0333, 1.08 * 80 * 0.0088 / 0.0030,
       1.08 * 80 * 0.0088},
      // Herd at 35 kg: V1 38.7 L and V2 102 L per 70 kg; CL 90 L/h, Q 215 L/h per 70 kg^0.75.
      {ModelId::kHerd, 35, 38.7 / 2, 1.5 * std::pow(0.5, 0.75), 102.0 / 2,
       215.0 / 60 * std::pow(0.5, 0.75)},
      // Fanta/Otto at 70 kg: the published values in L and L/h.
      {ModelId::kFantaOtto, 70, 133, 95.2 / 60, 187, 23.2 / 60},
  };
  for (const Case& tc : cases) {
    Covariates cov{Kilograms(tc.weight_kg)};
    if (tc.model == ModelId::kHerd) cov.age_years = 8;
    const ModelParameters p = Build(tc.model, cov);
    SCOPED_TRACE(std::string(ModelCode(tc.model)));
    EXPECT_NEAR(p.parent.v1.value(), tc.v1, 1e-12 * tc.v1);
    EXPECT_NEAR(p.parent.cl.value(), tc.cl, 1e-12 * tc.cl);
    EXPECT_NEAR(p.parent.v2.value(), tc.v2, 1e-12 * tc.v2);
    EXPECT_NEAR(p.parent.q2.value(), tc.q2, 1e-12 * tc.q2);
  }
}

TEST(FantaOttoModel, HasTheNorketamineMetaboliteScaledAllometrically) {
  const ModelParameters p = Build(ModelId::kFantaOtto, {Kilograms(140)});
  ASSERT_TRUE(p.metabolite.has_value());
  EXPECT_EQ(p.parent.count, 3);
  EXPECT_NEAR(p.parent.v3.value(), 98.8 * 2, 1e-12);
  EXPECT_NEAR(p.parent.q3.value(), 157.0 / 60 * std::pow(2, 0.75), 1e-12);
  EXPECT_NEAR(p.metabolite->v1.value(), 98.6 * 2, 1e-12);
  EXPECT_NEAR(p.metabolite->v2.value(), 160 * 2, 1e-12);
  EXPECT_NEAR(p.metabolite->cl.value(), 57.7 / 60 * std::pow(2, 0.75), 1e-12);
  EXPECT_NEAR(p.metabolite->q.value(), 42.8 / 60 * std::pow(2, 0.75), 1e-12);
  EXPECT_NEAR(p.metabolite->formed_mg_per_parent_mg, 223.70 / 237.73, 1e-15);
  EXPECT_EQ(DescribeModel(ModelId::kFantaOtto).metabolite_series, "s_norketamine");
  EXPECT_EQ(DescribeModel(ModelId::kDomino).metabolite_series, "");
}

TEST(Models, CovariateErrorsNameTheField) {
  struct Case {
    ModelId model;
    Covariates covariates;
    std::string field;
  };
  const Case cases[] = {
      {ModelId::kDomino, {Kilograms(0)}, "weight_kg"},
      {ModelId::kDomino, {Kilograms(-70)}, "weight_kg"},
      {ModelId::kDomino, {Kilograms(301)}, "weight_kg"},
      {ModelId::kClements, {Kilograms(std::nan(""))}, "weight_kg"},
      {ModelId::kHijazi, {Kilograms(70), -1}, "age_years"},
      {ModelId::kHijazi, {Kilograms(70), 121}, "age_years"},
      {ModelId::kDomino, {Kilograms(70), 40, Centimeters(20)}, "height_cm"},
      {ModelId::kDomino, {Kilograms(70), 40, Centimeters(400)}, "height_cm"},
      {ModelId::kHerd, {Kilograms(30)}, "age_years"},       // Herd needs an age
      {ModelId::kHerd, {Kilograms(60), 30}, "age_years"},   // an adult
      {ModelId::kHerd, {Kilograms(10), 0.5}, "age_years"},  // an infant
      {ModelId::kHerd, {Kilograms(9), 2}, "weight_kg"},     // below the study's weights
      {ModelId::kHerd, {Kilograms(80), 14}, "weight_kg"},   // above them
  };
  for (const Case& tc : cases) {
    auto p = BuildModelParameters(tc.model, tc.covariates);
    ASSERT_FALSE(p.ok()) << tc.field;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(p.status().field(), tc.field) << p.status().message();
  }
  EXPECT_TRUE(BuildModelParameters(ModelId::kHerd, {Kilograms(20), 6}).ok());
  EXPECT_TRUE(BuildModelParameters(ModelId::kDomino, {Kilograms(1)}).ok());
  EXPECT_TRUE(BuildModelParameters(ModelId::kDomino, {Kilograms(300)}).ok());
}

TEST(Models, CodesRoundTripAndUnknownModelsNameTheField) {
  for (ModelId m : AllModels()) {
    auto parsed = ParseModelId(ModelCode(m));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, m);
    EXPECT_FALSE(DescribeModel(m).note.empty());
    EXPECT_FALSE(DescribeModel(m).citation.empty());
    EXPECT_FALSE(DescribeModel(m).population.empty());
  }
  auto unknown = ParseModelId("marsh");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().field(), "model");
  EXPECT_FALSE(ParseModelId("Domino").ok());
}

TEST(Variability, PublishedOrLabelledAsAssumed) {
  // The Hijazi CV of clearance is 13/36 (36 ± 13 mL/min/kg) and the assumption is 30 % CV.
  EXPECT_NEAR(Variability(ModelId::kHijazi)[1].omega_squared, std::log1p(std::pow(13.0 / 36, 2)),
              1e-13);
  EXPECT_NEAR(Variability(ModelId::kDomino)[0].omega_squared, std::log1p(0.09), 1e-14);
  for (ModelId m : AllModels()) {
    for (const VariabilityTerm& t : Variability(m)) {
      EXPECT_GT(t.omega_squared, 0);
      EXPECT_FALSE(t.source.empty());
      if (t.assumed) {
        EXPECT_NE(t.source.find("assumption"), std::string_view::npos);
      }
    }
  }
  EXPECT_FALSE(Variability(ModelId::kFantaOtto)[1].assumed);
  EXPECT_DOUBLE_EQ(Variability(ModelId::kFantaOtto)[3].omega_squared, 0.103);
}

TEST(Variability, RandomEffectsMultiplyTheirParameter) {
  const ModelParameters typical = Build(ModelId::kFantaOtto, {Kilograms(70)});
  const double etas[] = {0.1, -0.2, 0.3, -0.4};
  const ModelParameters p = ApplyRandomEffects(typical, etas);
  EXPECT_NEAR(p.parent.v1.value(), 133 * std::exp(0.1), 1e-12);
  EXPECT_NEAR(p.parent.cl.value(), 95.2 / 60 * std::exp(-0.2), 1e-12);
  EXPECT_NEAR(p.metabolite->v1.value(), 98.6 * std::exp(0.3), 1e-12);
  EXPECT_NEAR(p.metabolite->cl.value(), 57.7 / 60 * std::exp(-0.4), 1e-12);
  EXPECT_EQ(p.parent.v2.value(), typical.parent.v2.value());
}

}  // namespace
}  // namespace kclinic::domain::pk
