// Scoring one completed instrument: total, severity band, safety flags, C-SSRS triage, BPRS
// positive subscale, prorating. Pure: no I/O, no clock.
//
// Answers are one optional<int> per item in item-number order (nullopt = unanswered). Every
// input error is InvalidArgument with field "item_<number>" (1-based, as printed on the form),
// or "instrument" for an unknown id.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/domain/scales/instrument.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain::scales {

// Safety and clinical flags a score can raise; the app turns some into alerts.
enum class Flag {
  kSuicidalIdeation,     // PHQ-9 item 9 > 0, QIDS-SR16 item 12 > 0, C-SSRS item 1 or 2 yes
  kSuicideRiskModerate,  // C-SSRS screener triage moderate
  kSuicideRiskHigh,      // C-SSRS screener triage high
  kPositiveSymptoms,     // a BPRS positive-subscale item >= the site threshold
};
// "suicidal_ideation", "suicide_risk_moderate", "suicide_risk_high", "positive_symptoms".
std::string_view FlagName(Flag f);

// C-SSRS screener triage (Columbia Lighthouse Project screener triage; rule in scoring.cc).
enum class CssrsRisk { kNone, kLow, kModerate, kHigh };
// "none", "low", "moderate", "high".
std::string_view CssrsRiskName(CssrsRisk r);

struct ScoringOptions {
  bool prorate = false;                  // setting scales.prorate_enabled
  int prorate_max_missing = 1;           // setting scales.prorate_max_missing_items
  int bprs_positive_item_threshold = 4;  // setting scales.bprs_positive_item_threshold
};
// The options in force at a site.
ScoringOptions ScoringOptionsFrom(const SiteSettings& settings);

struct ScoreResult {
  const Instrument* instrument = nullptr;  // never null in a returned result
  std::vector<std::optional<int>> items;   // one per item, nullopt when unanswered or skipped
  std::optional<int> total;                // nullopt only for the C-SSRS screener
  std::optional<Severity> severity;        // nullopt when the instrument has no bands
  std::string_view severity_label;         // the scale's own band name, or empty
  bool prorated = false;                   // total estimated over missing items
  int missing_items = 0;                   // scored items left blank (prorated results only)
  bool remission = false;                  // total <= the instrument's remission threshold
  std::optional<CssrsRisk> risk;           // C-SSRS screener only
  std::optional<int> positive_subscale;    // BPRS only: sum of the four positive items
  std::vector<Flag> flags;                 // in Flag enum order, each at most once
};

// Scores `answers` (one per item; a trailing unrequired, unscored item such as PHQ-9 item 10
// may be omitted). Errors (InvalidArgument, field "item_<n>"): an extra answer (n = the first
// number past the last item), an answer out of the item's range, a required
// item is missing (and prorating is off, the item is a safety item, or too many are missing),
// or a C-SSRS item skipped by its skip logic is answered.
Result<ScoreResult> Score(const Instrument& instrument, std::span<const std::optional<int>> answers,
                          const ScoringOptions& options);
// As above, looking the instrument up by id; InvalidArgument "instrument" when unknown.
Result<ScoreResult> Score(std::string_view instrument_id,
                          std::span<const std::optional<int>> answers,
                          const ScoringOptions& options);

}  // namespace kclinic::domain::scales
