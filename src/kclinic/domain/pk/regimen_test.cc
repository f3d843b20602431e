#include "kclinic/domain/pk/regimen.h"
#include "kclinic/domain/pk/test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace kclinic::domain::pk {
namespace {

using namespace test;

TEST(Regimen, OverlappingInfusionsAndBolusesBecomeSegments) {
  auto r = Regimen::Create(
      {Infusion(0, 40, 0.6), Bolus(0, 10), Infusion(20, 60, 0.3), Bolus(30, 5), Bolus(30, 2)});
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& s = r->segments();
  ASSERT_EQ(s.size(), 5u);
  const double starts[] = {0, 20, 30, 40, 60};
  const double boluses[] = {10, 0, 7, 0, 0};
  const double rates[] = {0.6, 0.6 + 0.3, 0.6 + 0.3, 0.3, 0};
  for (size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s[i].start_min, starts[i]);
    EXPECT_EQ(s[i].bolus_mg, boluses[i]);
    EXPECT_EQ(s[i].rate_mg_per_min, rates[i]);  // exact: summed afresh, not a running sum
  }
  EXPECT_NEAR(r->total().value(), 24 + 12 + 17, 1e-12);
}

TEST(Regimen, ConstantInfusionIsTheUsualTreatment) {
  auto r = Regimen::ConstantInfusion(Milligrams(35), Minutes(40));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->segments().size(), 2u);
  EXPECT_EQ(r->segments()[0].rate_mg_per_min, 35.0 / 40);
  EXPECT_EQ(r->segments()[1].start_min, 40);
  EXPECT_EQ(r->segments()[1].rate_mg_per_min, 0);
  EXPECT_EQ(r->Scaled(2).segments()[0].rate_mg_per_min, 2 * 35.0 / 40);
  EXPECT_EQ(r->Scaled(2).total().value(), 70);
}

TEST(Regimen, ErrorsNameTheEntryAndKey) {
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    std::vector<DoseEntry> entries;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{}, "regimen"},
      {{Bolus(-1, 10)}, "regimen.0.start_min"},
      {{Bolus(0, 10), Bolus(20000, 10)}, "regimen.1.start_min"},
      {{Bolus(inf, 10)}, "regimen.0.start_min"},
      {{Bolus(0, 0)}, "regimen.0.bolus_mg"},
      {{Bolus(0, -5)}, "regimen.0.bolus_mg"},
      {{Bolus(0, 1500)}, "regimen.0.bolus_mg"},
      {{Bolus(0, std::nan(""))}, "regimen.0.bolus_mg"},
      {{Infusion(40, 40, 1)}, "regimen.0.end_min"},
      {{Infusion(40, 10, 1)}, "regimen.0.end_min"},
      {{Infusion(0, 20000, 0.1)}, "regimen.0.end_min"},
      {{Infusion(0, 40, 0)}, "regimen.0.rate_mg_per_min"},
      {{Infusion(0, 40, -0.6)}, "regimen.0.rate_mg_per_min"},
      {{Infusion(0, 40, 80)}, "regimen.0.rate_mg_per_min"},
      {{DoseEntry{Minutes(0), std::nullopt, Minutes(40), std::nullopt}},
       "regimen.0.rate_mg_per_min"},
      {{DoseEntry{Minutes(0), std::nullopt, std::nullopt, MgPerMin(1)}}, "regimen.0.end_min"},
      {{DoseEntry{Minutes(0), std::nullopt, std::nullopt, std::nullopt}}, "regimen.0"},
      {{Infusion(0, 200, 30)}, "regimen"},  // 6000 mg
      {std::vector<DoseEntry>(1001, Bolus(0, 1)), "regimen"},
  };
  for (const Case& tc : cases) {
    auto r = Regimen::Create(tc.entries);
    ASSERT_FALSE(r.ok()) << tc.field;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), tc.field) << r.status().message();
  }
  EXPECT_EQ(Regimen::ConstantInfusion(Milligrams(-1), Minutes(40)).status().field(), "dose_mg");
  EXPECT_EQ(Regimen::ConstantInfusion(Milligrams(35), Minutes(0)).status().field(), "minutes");
  EXPECT_EQ(Regimen::ConstantInfusion(Milligrams(3000), Minutes(1)).status().field(), "minutes");
}

}  // namespace
}  // namespace kclinic::domain::pk
