#include "kclinic/domain/scales/scoring.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kclinic/domain/scales/scale_settings.h"

namespace kclinic::domain::scales {
namespace {

using Answers = std::vector<std::optional<int>>;

// Answers that add up to `total`: each scored item (or, for QIDS, the first item of each
// group) takes as much as it can, in item order.
Answers AnswersWithTotal(const Instrument& in, int total) {
  Answers a(in.items.size());
  for (const auto& item : in.items) a[item.number - 1] = item.min_value;
  int left = total - in.min_total;
  auto give = [&](const Item& item) {
    int add = std::min(left, item.max_value - item.min_value);
    a[item.number - 1] = item.min_value + add;
    left -= add;
  };
  if (in.rule == ScoringRule::kGroupMaxSum) {
    for (const auto& group : in.groups) give(*in.FindItem(group.front()));
  } else {
    for (const auto& item : in.items) {
      if (item.scored && !item.safety) give(item);
    }
    for (const auto& item : in.items) {
      if (item.scored && item.safety) give(item);
    }
  }
  EXPECT_EQ(left, 0) << "total " << total << " is out of reach";
  return a;
}

struct BandCase {
  std::string instrument;
  int total;
  std::optional<Severity> severity;
  bool remission;
};

TEST(ScaleScoring, EveryBandEdge) {
  using S = Severity;
  const BandCase cases[] = {
      // PHQ-9: 5/10/15/20 (Kroenke 2001); remission < 5.
      {"phq9", 0, S::kMinimal, true},
      {"phq9", 4, S::kMinimal, true},
      {"phq9", 5, S::kMild, false},
      {"phq9", 9, S::kMild, false},
      {"phq9", 10, S::kModerate, false},
      {"phq9", 14, S::kModerate, false},
      {"phq9", 15, S::kModeratelySevere, false},
      {"phq9", 19, S::kModeratelySevere, false},
      {"phq9", 20, S::kSevere, false},
      {"phq9", 27, S::kSevere, false},
      // GAD-7: 5/10/15; no remission threshold.
      {"gad7", 0, S::kMinimal, false},
      {"gad7", 4, S::kMinimal, false},
      {"gad7", 5, S::kMild, false},
      {"gad7", 9, S::kMild, false},
      {"gad7", 10, S::kModerate, false},
      {"gad7", 14, S::kModerate, false},
      {"gad7", 15, S::kSevere, false},
      {"gad7", 21, S::kSevere, false},
      // MADRS: 7-19 mild, 20-34 moderate, >= 35 severe; remission <= 10.
      {"madrs", 0, S::kMinimal, true},
      {"madrs", 6, S::kMinimal, true},
      {"madrs", 7, S::kMild, true},
      {"madrs", 10, S::kMild, true},
      {"madrs", 11, S::kMild, false},
      {"madrs", 19, S::kMild, false},
      {"madrs", 20, S::kModerate, false},
      {"madrs", 34, S::kModerate, false},
      {"madrs", 35, S::kSevere, false},
      {"madrs", 60, S::kSevere, false},
      // QIDS-SR16: 0-5 none, 6-10, 11-15, 16-20, 21-27; remission <= 5.
      {"qids-sr16", 0, S::kMinimal, true},
      {"qids-sr16", 5, S::kMinimal, true},
      {"qids-sr16", 6, S::kMild, false},
      {"qids-sr16", 10, S::kMild, false},
      {"qids-sr16", 11, S::kModerate, false},
      {"qids-sr16", 15, S::kModerate, false},
      {"qids-sr16", 16, S::kSevere, false},
      {"qids-sr16", 20, S::kSevere, false},
      {"qids-sr16", 21, S::kVerySevere, false},
      {"qids-sr16", 27, S::kVerySevere, false},
      // HAM-D17: Zimmerman 2013 0-7 / 8-16 / 17-23 / >= 24; remission <= 7.
      {"hamd17", 0, S::kMinimal, true},
      {"hamd17", 7, S::kMinimal, true},
      {"hamd17", 8, S::kMild, false},
      {"hamd17", 16, S::kMild, false},
      {"hamd17", 17, S::kModerate, false},
      {"hamd17", 23, S::kModerate, false},
      {"hamd17", 24, S::kSevere, false},
      {"hamd17", 52, S::kSevere, false},
      // No bands, no remission.
      {"cadss", 0, std::nullopt, false},
      {"cadss", 92, std::nullopt, false},
      {"bprs", 18, std::nullopt, false},
      {"bprs", 126, std::nullopt, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.instrument + " " + std::to_string(c.total));
    const Instrument* in = FindInstrument(c.instrument);
    ASSERT_NE(in, nullptr);
    Answers a = AnswersWithTotal(*in, c.total);
    auto r = Score(*in, a, ScoringOptions{});
    ASSERT_TRUE(r.ok()) << r.status().field() << ": " << r.status().message();
    EXPECT_EQ(r->total, c.total);
    EXPECT_EQ(r->severity, c.severity);
    EXPECT_EQ(r->remission, c.remission);
    EXPECT_FALSE(r->prorated);
    EXPECT_EQ(r->instrument, in);
  }
}

TEST(ScaleScoring, QidsSeverityLabelKeepsTheAuthorsWord) {
  auto r = Score("qids-sr16", Answers(16, 0), ScoringOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->severity, Severity::kMinimal);
  EXPECT_EQ(r->severity_label, "none");
}

struct QidsCase {
  std::string name;
  std::vector<std::pair<int, int>> items;  // item number -> score; the rest 0
  int total;
};

TEST(ScaleScoring, QidsTakesTheMaximumOfEachGroup) {
  const QidsCase cases[] = {
      {"sleep max of 1-4", {{1, 3}, {2, 1}, {3, 2}, {4, 1}}, 3},
      {"appetite/weight max of 6-9", {{6, 2}, {9, 3}, {7, 1}}, 3},
      {"psychomotor max of 15-16", {{15, 1}, {16, 2}}, 2},
      {"single items add", {{5, 2}, {10, 1}, {11, 1}, {12, 1}, {13, 1}, {14, 1}}, 7},
      {"mixed", {{1, 1}, {2, 2}, {3, 3}, {5, 2}, {8, 1}, {10, 1}, {13, 1}, {15, 0}, {16, 1}}, 9},
      {"all 3",
       {{1, 3},
        {2, 3},
        {3, 3},
        {4, 3},
        {5, 3},
        {6, 3},
        {7, 3},
        {8, 3},
        {9, 3},
        {10, 3},
        {11, 3},
        {12, 3},
        {13, 3},
        {14, 3},
        {15, 3},
        {16, 3}},
       27},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Answers a(16, 0);
    for (auto [number, score] : c.items) a[number - 1] = score;
    auto r = Score("qids-sr16", a, ScoringOptions{});
    ASSERT_TRUE(r.ok()) << r.status().field();
    EXPECT_EQ(r->total, c.total);
  }
}

std::vector<std::string> FlagNames(const ScoreResult& r) {
  std::vector<std::string> names;
  for (auto f : r.flags) names.emplace_back(FlagName(f));
  return names;
}

struct FlagCase {
  std::string name;
  std::string instrument;
  Answers answers;
  std::vector<std::string> flags;
};

TEST(ScaleScoring, SafetyAndPositiveSymptomFlags) {
  Answers phq(9, 0);
  Answers phq_si = phq;
  phq_si[8] = 1;
  Answers qids(16, 0);
  Answers qids_si = qids;
  qids_si[11] = 2;
  Answers qids_other = qids;
  qids_other[10] = 3;
  Answers hamd(17, 0);
  Answers hamd_si = hamd;
  hamd_si[2] = 1;
  Answers bprs(18, 1);
  Answers bprs_halluc = bprs;
  bprs_halluc[11] = 4;  // item 12 hallucinatory behaviour, moderate
  Answers bprs_mild = bprs;
  bprs_mild[14] = 3;  // item 15 unusual thought content, mild
  Answers bprs_not_positive = bprs;
  bprs_not_positive[0] = 7;  // item 1 somatic concern is not in the positive subscale
  const FlagCase cases[] = {
      {"phq9 item 9 = 0", "phq9", phq, {}},
      {"phq9 item 9 = 1", "phq9", phq_si, {"suicidal_ideation"}},
      {"qids item 12 = 0", "qids-sr16", qids, {}},
      {"qids item 12 = 2", "qids-sr16", qids_si, {"suicidal_ideation"}},
      {"qids item 11 = 3", "qids-sr16", qids_other, {}},
      {"hamd item 3 = 1", "hamd17", hamd_si, {"suicidal_ideation"}},
      {"hamd all 0", "hamd17", hamd, {}},
      {"bprs all 1", "bprs", bprs, {}},
      {"bprs hallucinations 4", "bprs", bprs_halluc, {"positive_symptoms"}},
      {"bprs unusual thought 3", "bprs", bprs_mild, {}},
      {"bprs somatic 7", "bprs", bprs_not_positive, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = Score(c.instrument, c.answers, ScoringOptions{});
    ASSERT_TRUE(r.ok()) << r.status().field();
    EXPECT_EQ(FlagNames(*r), c.flags);
  }
}

TEST(ScaleScoring, BprsPositiveSubscaleAndSiteThreshold) {
  Answers a(18, 1);
  a[3] = 2;   // conceptual disorganisation
  a[10] = 3;  // suspiciousness
  a[11] = 2;  // hallucinatory behaviour
  a[14] = 1;  // unusual thought content
  auto r = Score("bprs", a, ScoringOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->positive_subscale, 8);
  EXPECT_EQ(r->total, 18 + 1 + 2 + 1);
  EXPECT_TRUE(r->flags.empty());
  ScoringOptions stricter;
  stricter.bprs_positive_item_threshold = 3;
  auto flagged = Score("bprs", a, stricter);
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(FlagNames(*flagged), std::vector<std::string>{"positive_symptoms"});
  auto phq = Score("phq9", Answers(9, 0), ScoringOptions{});
  EXPECT_FALSE(phq->positive_subscale.has_value());
}

TEST(ScaleScoring, Phq9DifficultyItemIsOptionalAndNotScored) {
  Answers nine(9, 1);
  auto without = Score("phq9", nine, ScoringOptions{});
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->total, 9);
  EXPECT_EQ(without->items.size(), 10u);
  EXPECT_FALSE(without->items[9].has_value());
  Answers ten = nine;
  ten.push_back(3);
  auto with = Score("phq9", ten, ScoringOptions{});
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(with->total, 9);
  EXPECT_EQ(with->items[9], 3);
}

struct CssrsCase {
  Answers answers;
  std::optional<CssrsRisk> risk;
  std::vector<std::string> flags;
  std::string error_field;  // non-empty: InvalidArgument naming this field
};

// Skip logic: 3-5 only when 2 is yes; 6 always. Triage: 4, 5 or 6 yes -> high; 3 -> moderate;
// 1 or 2 -> low.
TEST(ScaleScoring, CssrsSkipLogicAndTriage) {
  const auto n = std::nullopt;
  const CssrsCase cases[] = {
      {{0, 0, n, n, n, 0}, CssrsRisk::kNone, {}, ""},
      {{1, 0, n, n, n, 0}, CssrsRisk::kLow, {"suicidal_ideation"}, ""},
      {{1, 1, 0, 0, 0, 0}, CssrsRisk::kLow, {"suicidal_ideation"}, ""},
      {{0, 1, 1, 0, 0, 0},
       CssrsRisk::kModerate,
       {"suicidal_ideation", "suicide_risk_moderate"},
       ""},
      {{0, 1, 0, 1, 0, 0}, CssrsRisk::kHigh, {"suicidal_ideation", "suicide_risk_high"}, ""},
      {{0, 1, 1, 0, 1, 0}, CssrsRisk::kHigh, {"suicidal_ideation", "suicide_risk_high"}, ""},
      {{0, 0, n, n, n, 1}, CssrsRisk::kHigh, {"suicide_risk_high"}, ""},
      {{0, 1, 0, 0, 0, 1}, CssrsRisk::kHigh, {"suicidal_ideation", "suicide_risk_high"}, ""},
      // Errors.
      {{0, 0, 1, n, n, 0}, n, {}, "item_3"},  // skipped item answered
      {{0, 0, 0, n, n, 0}, n, {}, "item_3"},  // even a "no"
      {{0, 0, n, n, 0, 0}, n, {}, "item_5"},
      {{0, 1, 0, n, 0, 0}, n, {}, "item_4"},  // asked items are required
      {{0, 1, 0, 0, 0}, n, {}, "item_6"},     // 6 is always asked
      {{0, 0, n, n, n}, n, {}, "item_6"},
      {{n, 0, n, n, n, 0}, n, {}, "item_1"},
      {{0, n, n, n, n, 0}, n, {}, "item_2"},
      {{0, 2, 0, 0, 0, 0}, n, {}, "item_2"},  // yes/no only
      {{0, 0, n, n, n, 0, 0}, n, {}, "item_7"},
  };
  for (size_t i = 0; i < std::size(cases); ++i) {
    const auto& c = cases[i];
    SCOPED_TRACE(i);
    ScoringOptions prorating;
    prorating.prorate = true;  // prorating never applies to the screener
    prorating.prorate_max_missing = 3;
    auto r = Score("cssrs-screener", c.answers, prorating);
    if (!c.error_field.empty()) {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(r.status().field(), c.error_field);
      continue;
    }
    ASSERT_TRUE(r.ok()) << r.status().field() << ": " << r.status().message();
    EXPECT_EQ(r->risk, c.risk);
    EXPECT_FALSE(r->total.has_value());
    EXPECT_FALSE(r->severity.has_value());
    EXPECT_EQ(FlagNames(*r), c.flags);
  }
}

struct ProrateCase {
  std::string name;
  std::string instrument;
  Answers answers;
  int max_missing;
  int total;
  int missing;
};

TEST(ScaleScoring, ProratingScalesTheAnsweredItemsAndSaysSo) {
  const auto n = std::nullopt;
  const ProrateCase cases[] = {
      // 21 over 8 answered items * 9 / 8 = 23.625 -> 24.
      {"phq9 one blank", "phq9", {3, 3, 3, 3, 3, 3, 3, n, 0}, 1, 24, 1},
      // 6 * 7 / 6 = 7.
      {"gad7 one blank", "gad7", {1, 1, 1, 1, 1, 1, n}, 1, 7, 1},
      // 1 * 7 / 5 = 1.4 -> 1.
      {"gad7 two blanks", "gad7", {1, 0, 0, n, 0, n, 0}, 2, 1, 2},
      // 3 * 9 / 8 = 3.375 -> 3; the difficulty item may stay blank.
      {"phq9 blank then answered difficulty", "phq9", {1, 1, n, 1, 0, 0, 0, 0, 0, 2}, 1, 3, 1},
      // QIDS: a blank inside a group leaves the group's maximum (1+0+0+0 -> 1): 9 domains scored.
      {"qids blank inside sleep group",
       "qids-sr16",
       {1, n, 0, 0, 2, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0},
       1,
       7,
       1},
      // QIDS: a whole domain blank: 8 answered domains sum 6 -> 6 * 9 / 8 = 6.75 -> 7.
      {"qids psychomotor domain blank",
       "qids-sr16",
       {1, 0, 0, 0, 2, 0, 0, 0, 0, 1, 1, 0, 1, 0, n, n},
       2,
       7,
       2},
      // MADRS: 45 over 9 answered * 10 / 9 = 50.
      {"madrs one blank", "madrs", {5, 5, 5, 5, 5, 5, 5, 5, 5, n}, 1, 50, 1},
      // BPRS (1-7): 17 answered items at 2 = 34 -> 34 * 18 / 17 = 36.
      {"bprs one blank", "bprs", {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, n}, 1, 36, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ScoringOptions on;
    on.prorate = true;
    on.prorate_max_missing = c.max_missing;
    auto r = Score(c.instrument, c.answers, on);
    ASSERT_TRUE(r.ok()) << r.status().field() << ": " << r.status().message();
    EXPECT_EQ(r->total, c.total);
    EXPECT_TRUE(r->prorated);
    EXPECT_EQ(r->missing_items, c.missing);
    // The same answers without prorating name the first blank scored item.
    auto off = Score(c.instrument, c.answers, ScoringOptions{});
    ASSERT_FALSE(off.ok());
    EXPECT_EQ(off.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(off.status().field().substr(0, 5), "item_");
  }
}

TEST(ScaleScoring, ProratedTotalGetsItsBandAndCompleteOnesAreNotLabelled) {
  ScoringOptions on;
  on.prorate = true;
  auto r = Score("phq9", Answers{3, 3, 3, 3, 3, 3, 3, std::nullopt, 0}, on);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->severity, Severity::kSevere);
  auto complete = Score("phq9", Answers(9, 1), on);
  ASSERT_TRUE(complete.ok());
  EXPECT_FALSE(complete->prorated);
  EXPECT_EQ(complete->missing_items, 0);
}

struct ErrorCase {
  std::string name;
  std::string instrument;
  Answers answers;
  bool prorate;
  std::string field;
};

TEST(ScaleScoring, EveryErrorNamesTheItem) {
  const auto n = std::nullopt;
  Answers phq(9, 0);
  auto with = [](Answers a, int number, std::optional<int> v) {
    if (static_cast<int>(a.size()) < number) a.resize(number);
    a[number - 1] = v;
    return a;
  };
  const ErrorCase cases[] = {
      {"above range", "phq9", with(phq, 3, 4), false, "item_3"},
      {"below range", "phq9", with(phq, 1, -1), false, "item_1"},
      {"difficulty above range", "phq9", with(phq, 10, 4), false, "item_10"},
      {"extra item", "phq9", with(with(phq, 10, 0), 11, 0), false, "item_11"},
      {"blank without prorating", "phq9", with(phq, 2, n), false, "item_2"},
      {"too short", "gad7", Answers(6, 0), false, "item_7"},
      {"empty", "gad7", Answers{}, false, "item_1"},
      {"suicidality item never prorated", "phq9", with(phq, 9, n), true, "item_9"},
      {"phq9 item 9 missing from a short list", "phq9", Answers(8, 0), true, "item_9"},
      {"qids item 12 never prorated", "qids-sr16", with(Answers(16, 0), 12, n), true, "item_12"},
      {"too many blanks to prorate", "phq9", with(with(phq, 2, n), 3, n), true, "item_2"},
      {"bprs below 1", "bprs", with(Answers(18, 1), 5, 0), false, "item_5"},
      {"hamd 0-2 item at 3", "hamd17", with(Answers(17, 0), 4, 3), false, "item_4"},
      {"hamd 0-4 item at 5", "hamd17", with(Answers(17, 0), 1, 5), false, "item_1"},
      {"madrs at 7", "madrs", with(Answers(10, 0), 10, 7), false, "item_10"},
      {"cadss extra", "cadss", Answers(24, 0), false, "item_24"},
      {"cadss at 5", "cadss", with(Answers(23, 0), 23, 5), false, "item_23"},
      {"unknown instrument", "bdi2", phq, false, "instrument"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ScoringOptions o;
    o.prorate = c.prorate;
    auto r = Score(c.instrument, c.answers, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), c.field);
    EXPECT_FALSE(r.status().message().empty());
  }
}

TEST(ScaleScoring, OptionsComeFromSiteSettings) {
  ScoringOptions defaults = ScoringOptionsFrom(SiteSettings());
  EXPECT_FALSE(defaults.prorate);
  EXPECT_EQ(defaults.prorate_max_missing, 1);
  EXPECT_EQ(defaults.bprs_positive_item_threshold, 4);
  SiteSettings site(2, {{std::string(kProrateEnabled), 1},
                        {std::string(kProrateMaxMissingItems), 2},
                        {std::string(kBprsPositiveItemThreshold), 5}});
  ScoringOptions o = ScoringOptionsFrom(site);
  EXPECT_TRUE(o.prorate);
  EXPECT_EQ(o.prorate_max_missing, 2);
  EXPECT_EQ(o.bprs_positive_item_threshold, 5);
}

TEST(ScaleSettings, EveryMeasurementKeyIsDefinedAndCited) {
  const std::string_view keys[] = {kProrateEnabled,
                                   kProrateMaxMissingItems,
                                   kBprsPositiveItemThreshold,
                                   kResponseReductionPercent,
                                   kRelapseMinDays,
                                   kRelapseMaxDays,
                                   kBeforeSessionHours,
                                   kMaintenanceIntervalDays,
                                   kReminderDays,
                                   kAlertEscalateAfterMinutes,
                                   kBackdateMaxDays};
  EXPECT_EQ(MeasurementSettingDefinitions().size(), std::size(keys));
  for (auto key : keys) {
    const SettingDefinition* d = FindSetting(key);
    ASSERT_NE(d, nullptr) << key;
    EXPECT_FALSE(d->citation.empty()) << key;
    EXPECT_TRUE(ValidateSetting(key, d->default_value).ok()) << key;
  }
  SiteSettings s;
  EXPECT_EQ(s.Get(kResponseReductionPercent), 50);
  EXPECT_EQ(s.Get(kRelapseMinDays), 5);
  EXPECT_EQ(s.Get(kRelapseMaxDays), 15);
  EXPECT_EQ(s.Get(kBeforeSessionHours), 72);
  EXPECT_EQ(s.Get(kMaintenanceIntervalDays), 7);
  EXPECT_EQ(s.Get(kReminderDays), 3);
  EXPECT_EQ(s.Get(kAlertEscalateAfterMinutes), 60);
  EXPECT_EQ(ValidateSetting(kProrateEnabled, 2).field(), "value");
}

TEST(ScaleScoring, FlagAndRiskNames) {
  EXPECT_EQ(FlagName(Flag::kSuicidalIdeation), "suicidal_ideation");
  EXPECT_EQ(FlagName(Flag::kSuicideRiskModerate), "suicide_risk_moderate");
  EXPECT_EQ(FlagName(Flag::kSuicideRiskHigh), "suicide_risk_high");
  EXPECT_EQ(FlagName(Flag::kPositiveSymptoms), "positive_symptoms");
  EXPECT_EQ(CssrsRiskName(CssrsRisk::kNone), "none");
  EXPECT_EQ(CssrsRiskName(CssrsRisk::kHigh), "high");
}

}  // namespace
}  // namespace kclinic::domain::scales
