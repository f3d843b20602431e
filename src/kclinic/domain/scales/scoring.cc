#include "kclinic/domain/scales/scoring.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "kclinic/domain/scales/scale_settings.h"

namespace kclinic::domain::scales {

namespace {

std::string ItemField(int number) { return "item_" + std::to_string(number); }

bool Yes(const std::optional<int>& answer) { return answer.has_value() && *answer > 0; }

// C-SSRS screener, "Screen Version - Recent / Since Last Contact" skip logic and triage as the
// Columbia Lighthouse Project publishes it for the six-question screener:
//   items 1, 2 and 6 are always asked; 3, 4 and 5 only when 2 is yes;
//   yes to 4, 5 or 6 -> high risk; yes to 3 -> moderate; yes to 1 or 2 only -> low; else none.
// Item 6 (suicidal behaviour) counts as high whatever its recency: the form's "within the past 3
// months?" sub-question is not captured, so kclinic takes the conservative reading (the
// since-last-contact version asks only about recent behaviour anyway).
Result<ScoreResult> ScoreCssrs(ScoreResult r) {
  const auto& a = r.items;
  for (int number : {1, 2, 6}) {
    if (!a[number - 1]) return InvalidArgument(ItemField(number), "is required");
  }
  const bool asked = Yes(a[1]);
  for (int number : {3, 4, 5}) {
    if (!asked && a[number - 1]) {
      return InvalidArgument(ItemField(number),
                             "must be left blank: asked only when item 2 is yes");
    }
    if (asked && !a[number - 1]) {
      return InvalidArgument(ItemField(number), "is required when item 2 is yes");
    }
  }
  CssrsRisk risk = CssrsRisk::kNone;
  if (Yes(a[3]) || Yes(a[4]) || Yes(a[5])) {
    risk = CssrsRisk::kHigh;
  } else if (Yes(a[2])) {
    risk = CssrsRisk::kModerate;
  } else if (Yes(a[0]) || Yes(a[1])) {
    risk = CssrsRisk::kLow;
  }
  r.risk = risk;
  if (Yes(a[0]) || Yes(a[1])) r.flags.push_back(Flag::kSuicidalIdeation);
  if (risk == CssrsRisk::kModerate) r.flags.push_back(Flag::kSuicideRiskModerate);
  if (risk == CssrsRisk::kHigh) r.flags.push_back(Flag::kSuicideRiskHigh);
  return r;
}

// Scales `sum` over `answered` of `count` units up to all of them, rounding half away from zero.
int Prorate(int sum, int answered, int count) {
  return static_cast<int>(std::lround(static_cast<double>(sum) * count / answered));
}

}  // namespace

std::string_view FlagName(Flag f) {
  switch (f) {
    case Flag::kSuicidalIdeation:
      return "suicidal_ideation";
    case Flag::kSuicideRiskModerate:
      return "suicide_risk_moderate";
    case Flag::kSuicideRiskHigh:
      return "suicide_risk_high";
    case Flag::kPositiveSymptoms:
      return "positive_symptoms";
  }
  return "";
}

std::string_view CssrsRiskName(CssrsRisk r) {
  switch (r) {
    case CssrsRisk::kNone:
      return "none";
    case CssrsRisk::kLow:
      return "low";
    case CssrsRisk::kModerate:
      return "moderate";
    case CssrsRisk::kHigh:
      return "high";
  }
  return "";
}

ScoringOptions ScoringOptionsFrom(const SiteSettings& settings) {
  ScoringOptions o;
  o.prorate = settings.Get(kProrateEnabled) != 0;
  o.prorate_max_missing = static_cast<int>(settings.Get(kProrateMaxMissingItems));
  o.bprs_positive_item_threshold = static_cast<int>(settings.Get(kBprsPositiveItemThreshold));
  return o;
}

Result<ScoreResult> Score(std::string_view instrument_id,
                          std::span<const std::optional<int>> answers,
                          const ScoringOptions& options) {
  const Instrument* instrument = FindInstrument(instrument_id);
  if (!instrument) {
    return InvalidArgument("instrument",
                           "is not a known instrument (phq9, gad7, madrs, qids-sr16, hamd17, "
                           "cssrs-screener, cadss, bprs)");
  }
  return Score(*instrument, answers, options);
}

Result<ScoreResult> Score(const Instrument& instrument, std::span<const std::optional<int>> answers,
                          const ScoringOptions& options) {
  const int n = static_cast<int>(instrument.items.size());
  if (static_cast<int>(answers.size()) > n) {
    return InvalidArgument(ItemField(n + 1), "is not an item of " + std::string(instrument.title) +
                                                 ", which has " + std::to_string(n) + " items");
  }
  ScoreResult r;
  r.instrument = &instrument;
  r.items.assign(answers.begin(), answers.end());
  r.items.resize(n);
  for (const Item& item : instrument.items) {
    const auto& answer = r.items[item.number - 1];
    if (answer && (*answer < item.min_value || *answer > item.max_value)) {
      return InvalidArgument(ItemField(item.number), "must be between " +
                                                         std::to_string(item.min_value) + " and " +
                                                         std::to_string(item.max_value));
    }
  }
  if (instrument.rule == ScoringRule::kTriage) return ScoreCssrs(std::move(r));

  // Which required scored items are blank; safety items are never estimated.
  std::vector<int> missing;
  for (const Item& item : instrument.items) {
    if (r.items[item.number - 1] || !item.required) continue;
    if (item.safety) {
      return InvalidArgument(ItemField(item.number),
                             "is required: a suicidality item is never prorated");
    }
    if (item.scored) missing.push_back(item.number);
  }
  if (!missing.empty()) {
    // CLINICAL.md §5: a total only when every scored item is answered, unless the site enables
    // prorating (scales.prorate_enabled), up to scales.prorate_max_missing_items blanks.
    if (!options.prorate) {
      return InvalidArgument(ItemField(missing.front()), "is required (prorating is off)");
    }
    if (static_cast<int>(missing.size()) > options.prorate_max_missing) {
      return InvalidArgument(ItemField(missing.front()),
                             "is required: " + std::to_string(missing.size()) +
                                 " items are blank and at most " +
                                 std::to_string(options.prorate_max_missing) + " may be prorated");
    }
    r.prorated = true;
    r.missing_items = static_cast<int>(missing.size());
  }

  int total = 0;
  if (instrument.rule == ScoringRule::kGroupMaxSum) {
    // QIDS-SR16 (Rush 2003): each domain scores the highest of its items; a prorated total
    // scales the answered domains up to all nine.
    int answered_groups = 0;
    for (const auto& group : instrument.groups) {
      std::optional<int> best;
      for (int number : group) {
        const auto& answer = r.items[number - 1];
        if (answer) best = std::max(best.value_or(0), *answer);
      }
      if (best) {
        total += *best;
        ++answered_groups;
      }
    }
    const int groups = static_cast<int>(instrument.groups.size());
    if (answered_groups < groups) total = Prorate(total, answered_groups, groups);
  } else {
    int scored = 0, answered = 0;
    for (const Item& item : instrument.items) {
      if (!item.scored) continue;
      ++scored;
      if (const auto& answer = r.items[item.number - 1]) {
        total += *answer;
        ++answered;
      }
    }
    if (answered < scored) {
      // Prorating scales the answered items' mean up to every item.
      total = Prorate(total, answered, scored);
    }
  }
  total = std::clamp(total, instrument.min_total, instrument.max_total);
  r.total = total;
  if (const SeverityBand* band = BandFor(instrument, total)) {
    r.severity = band->severity;
    r.severity_label = band->label;
  }
  r.remission = instrument.remission_max_total && total <= *instrument.remission_max_total;

  // Safety items: PHQ-9 item 9 > 0 starts the safety workflow (CLINICAL.md §5); QIDS-SR16 item
  // 12 and HAM-D17 item 3 rate the same thing and raise the same flag.
  bool ideation = false, positive = false;
  bool has_positive_items = false;
  int positive_sum = 0;
  for (const Item& item : instrument.items) {
    const auto& answer = r.items[item.number - 1];
    if (item.safety && answer && *answer > 0) ideation = true;
    if (item.positive_subscale) {
      has_positive_items = true;
      if (answer) {
        positive_sum += *answer;
        // CLINICAL.md §5: new positive symptoms -> alert; threshold is
        // scales.bprs_positive_item_threshold (default 4, "moderate").
        if (*answer >= options.bprs_positive_item_threshold) positive = true;
      }
    }
  }
  if (has_positive_items) r.positive_subscale = positive_sum;
  if (ideation) r.flags.push_back(Flag::kSuicidalIdeation);
  if (positive) r.flags.push_back(Flag::kPositiveSymptoms);
  return r;
}

}  // namespace kclinic::domain::scales
