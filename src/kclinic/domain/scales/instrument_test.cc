#include "kclinic/domain/scales/instrument.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace kclinic::domain::scales {
namespace {

TEST(ScaleInstruments, TheEightInstrumentsInOrder) {
  std::vector<std::string> ids;
  for (const auto& in : Instruments()) ids.emplace_back(in.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"phq9", "gad7", "madrs", "qids-sr16", "hamd17",
                                           "cssrs-screener", "cadss", "bprs"}));
  EXPECT_EQ(FindInstrument("PHQ9"), nullptr);
  EXPECT_EQ(FindInstrument("bdi2"), nullptr);
  ASSERT_NE(FindInstrument("hamd17"), nullptr);
  EXPECT_EQ(FindInstrument("hamd17")->title, "HAM-D17");
}

struct Shape {
  std::string id;
  size_t items;
  int min_value_of_item_1;
  int max_total;
  Rater rater;
  Licence licence;
};

TEST(ScaleInstruments, ShapesMatchClinicalMd) {
  const Shape shapes[] = {
      {"phq9", 10, 0, 27, Rater::kSelf, Licence::kItemText},
      {"gad7", 7, 0, 21, Rater::kSelf, Licence::kItemText},
      {"madrs", 10, 0, 60, Rater::kClinician, Licence::kScoreEntry},
      {"qids-sr16", 16, 0, 27, Rater::kSelf, Licence::kScoreEntry},
      {"hamd17", 17, 0, 52, Rater::kClinician, Licence::kItemText},
      {"cssrs-screener", 6, 0, 0, Rater::kClinician, Licence::kScoreEntry},
      {"cadss", 23, 0, 92, Rater::kClinician, Licence::kScoreEntry},
      {"bprs", 18, 1, 126, Rater::kClinician, Licence::kItemText},
  };
  for (const auto& s : shapes) {
    SCOPED_TRACE(s.id);
    const Instrument* in = FindInstrument(s.id);
    ASSERT_NE(in, nullptr);
    EXPECT_EQ(in->items.size(), s.items);
    EXPECT_EQ(in->items[0].min_value, s.min_value_of_item_1);
    EXPECT_EQ(in->max_total, s.max_total);
    EXPECT_EQ(in->rater, s.rater);
    EXPECT_EQ(in->licence, s.licence);
  }
}

TEST(ScaleInstruments, EveryDefinitionIsConsistent) {
  for (const auto& in : Instruments()) {
    SCOPED_TRACE(std::string(in.id));
    int sum_min = 0, sum_max = 0;
    for (size_t i = 0; i < in.items.size(); ++i) {
      const Item& item = in.items[i];
      EXPECT_EQ(item.number, static_cast<int>(i) + 1);
      EXPECT_EQ(in.FindItem(item.number), &item);
      EXPECT_LT(item.min_value, item.max_value);
      // Options, when listed, are exactly min..max.
      ASSERT_EQ(item.options.size(), static_cast<size_t>(item.max_value - item.min_value + 1));
      for (size_t k = 0; k < item.options.size(); ++k) {
        EXPECT_EQ(item.options[k].value, item.min_value + static_cast<int>(k));
      }
      if (item.scored) {
        sum_min += item.min_value;
        sum_max += item.max_value;
      }
      // Licensing (CLINICAL.md §5): no item text for score-entry instruments.
      if (in.licence == Licence::kScoreEntry) {
        EXPECT_TRUE(item.text.empty()) << item.number;
      } else {
        EXPECT_FALSE(item.text.empty()) << item.number;
      }
    }
    EXPECT_EQ(in.FindItem(0), nullptr);
    EXPECT_EQ(in.FindItem(static_cast<int>(in.items.size()) + 1), nullptr);
    if (in.licence == Licence::kScoreEntry) {
      EXPECT_TRUE(in.instructions.empty());
      EXPECT_FALSE(in.licence_note.empty());
    }
    if (in.rule == ScoringRule::kSum) {
      EXPECT_EQ(in.min_total, sum_min);
      EXPECT_EQ(in.max_total, sum_max);
    }
    if (!in.bands.empty()) {
      EXPECT_EQ(in.bands.front().min_total, in.min_total);
      for (size_t i = 1; i < in.bands.size(); ++i) {
        EXPECT_LT(in.bands[i - 1].min_total, in.bands[i].min_total);
        EXPECT_LT(in.bands[i - 1].severity, in.bands[i].severity);
      }
    }
    EXPECT_FALSE(in.source.empty());
  }
}

TEST(ScaleInstruments, QidsGroupsCoverEveryItemOnce) {
  const Instrument* q = FindInstrument("qids-sr16");
  ASSERT_NE(q, nullptr);
  std::vector<int> seen;
  int max_total = 0;
  for (const auto& g : q->groups) {
    seen.insert(seen.end(), g.begin(), g.end());
    max_total += 3;
  }
  std::sort(seen.begin(), seen.end());
  std::vector<int> expected(16);
  for (int i = 0; i < 16; ++i) expected[i] = i + 1;
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(q->groups.size(), 9u);
  EXPECT_EQ(max_total, q->max_total);
}

// LOINC exactly as CLINICAL.md §5 lists them; nothing for the scales it lists none for.
TEST(ScaleInstruments, LoincCodesAreExactlyClinicalMds) {
  const Instrument* phq9 = FindInstrument("phq9");
  EXPECT_EQ(phq9->loinc_panel, "44249-1");
  EXPECT_EQ(phq9->loinc_total, "44261-6");
  const char* phq_items[] = {"44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
                             "44258-2", "44252-5", "44253-3", "44260-8", "69722-7"};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(phq9->items[i].loinc, phq_items[i]) << i + 1;
  const char* answers[] = {"LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"};
  for (int i = 0; i < 9; ++i) {
    for (int v = 0; v < 4; ++v) EXPECT_EQ(phq9->items[i].options[v].loinc_answer, answers[v]);
  }
  for (const auto& o : phq9->items[9].options) EXPECT_TRUE(o.loinc_answer.empty());
  EXPECT_FALSE(phq9->items[9].scored);
  EXPECT_FALSE(phq9->items[9].required);
  EXPECT_TRUE(phq9->items[8].safety);

  const Instrument* gad7 = FindInstrument("gad7");
  EXPECT_EQ(gad7->loinc_panel, "69737-5");
  EXPECT_EQ(gad7->loinc_total, "70274-6");
  const char* gad_items[] = {"69725-0", "68509-9", "69733-4", "69734-2",
                             "69735-9", "69689-8", "69736-7"};
  for (int i = 0; i < 7; ++i) EXPECT_EQ(gad7->items[i].loinc, gad_items[i]) << i + 1;

  for (std::string_view id : {"madrs", "qids-sr16", "hamd17", "cssrs-screener", "cadss", "bprs"}) {
    const Instrument* in = FindInstrument(id);
    EXPECT_TRUE(in->loinc_panel.empty()) << id;
    EXPECT_TRUE(in->loinc_total.empty()) << id;
    for (const auto& item : in->items) {
      EXPECT_TRUE(item.loinc.empty()) << id;
      for (const auto& o : item.options) EXPECT_TRUE(o.loinc_answer.empty()) << id;
    }
  }
}

TEST(ScaleInstruments, HamdRangesAndBprsPositiveSubscale) {
  const Instrument* h = FindInstrument("hamd17");
  std::vector<int> zero_to_two;
  for (const auto& item : h->items) {
    if (item.max_value == 2) zero_to_two.push_back(item.number);
  }
  EXPECT_EQ(zero_to_two, (std::vector<int>{4, 5, 6, 12, 13, 14, 16, 17}));
  const Instrument* b = FindInstrument("bprs");
  std::vector<int> positive;
  for (const auto& item : b->items) {
    if (item.positive_subscale) positive.push_back(item.number);
  }
  EXPECT_EQ(positive, (std::vector<int>{4, 11, 12, 15}));
}

TEST(ScaleInstruments, Names) {
  EXPECT_EQ(SeverityName(Severity::kModeratelySevere), "moderately_severe");
  EXPECT_EQ(SeverityName(Severity::kVerySevere), "very_severe");
  EXPECT_EQ(RaterName(Rater::kClinician), "clinician");
  EXPECT_EQ(LicenceName(Licence::kScoreEntry), "score_entry");
  EXPECT_EQ(ScoringRuleName(ScoringRule::kGroupMaxSum), "group_max_sum");
  EXPECT_EQ(BandFor(*FindInstrument("cadss"), 40), nullptr);
}

}  // namespace
}  // namespace kclinic::domain::scales
