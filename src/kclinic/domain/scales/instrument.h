// Rating-scale instruments as data: one Instrument definition per scale (items, ranges, answer
// options, scoring rule, severity bands, remission threshold, LOINC codes), never code per scale.
// What may ship follows the licences in CLINICAL.md §5: item text only for PHQ-9, GAD-7, HAM-D17
// and BPRS; MADRS, QIDS-SR16, the C-SSRS screener and CADSS are score entry (item numbers and
// ranges, no text). All definitions are immutable statics; references to them live forever.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace kclinic::domain::scales {

// Who fills the instrument in.
enum class Rater { kSelf, kClinician };

// What the licence lets the software show.
enum class Licence {
  kItemText,    // free or public domain: item text and answer labels ship
  kScoreEntry,  // licensed or unclear terms: item numbers and ranges only
};

// How the total is formed from the item scores.
enum class ScoringRule {
  kSum,          // sum of the scored items
  kGroupMaxSum,  // QIDS-SR16: max within each group, then the sum (Rush 2003)
  kTriage,       // C-SSRS screener: no total, a risk level (scoring.h CssrsRisk)
};

// Severity band names, as each scale defines them (not every scale uses every name).
enum class Severity { kMinimal, kMild, kModerate, kModeratelySevere, kSevere, kVerySevere };

// One answer choice: the stored value, its label (empty for score entry) and its LOINC answer
// code where one exists (empty otherwise).
struct AnswerOption {
  int value;
  std::string_view label;
  std::string_view loinc_answer;
};

struct Item {
  int number;             // 1-based, as printed on the form; errors name it "item_<number>"
  std::string_view text;  // empty for score-entry instruments
  int min_value;
  int max_value;
  std::vector<AnswerOption> options;  // labelled choices; empty: any integer in range
  std::string_view loinc;             // LOINC item code, empty where none is listed
  bool scored = true;                 // counts toward the total (PHQ-9 item 10 does not)
  bool required = true;               // must be answered (PHQ-9 item 10 may be left blank)
  bool safety = false;                // suicidality item: never prorated over, raises a flag
  bool positive_subscale = false;     // BPRS positive symptom subscale member
};

// A band applies from `min_total` up to the next band's min_total - 1.
struct SeverityBand {
  int min_total;
  Severity severity;
  std::string_view label;  // as the scale's authors name it ("none" for QIDS 0-5)
};

struct Instrument {
  std::string_view id;     // "phq9", "gad7", "madrs", "qids-sr16", "hamd17", ...
  std::string_view title;  // "PHQ-9"
  std::string_view name;   // "Patient Health Questionnaire-9"
  Rater rater;
  Licence licence;
  std::string_view licence_note;  // shown beside score-entry forms
  std::string_view instructions;  // the stem, when licensed; empty otherwise
  std::vector<Item> items;        // in item-number order, numbers 1..N
  ScoringRule rule;
  std::vector<std::vector<int>> groups;    // kGroupMaxSum: item numbers per group
  std::vector<SeverityBand> bands;         // ascending min_total; empty: no severity
  std::optional<int> remission_max_total;  // total <= this is remission (CLINICAL.md §6)
  bool tracks_response;                    // a symptom scale whose course response is followed
  std::string_view loinc_panel;            // empty where CLINICAL.md lists none
  std::string_view loinc_total;
  int min_total;
  int max_total;
  std::string_view source;  // citation for the scoring rule and bands

  // The item with this number, or nullptr.
  const Item* FindItem(int number) const;
};

// Every instrument, in a stable order (phq9 gad7 madrs qids-sr16 hamd17 cssrs-screener cadss
// bprs).
std::span<const Instrument> Instruments();
// The instrument with this id, or nullptr.
const Instrument* FindInstrument(std::string_view id);

// Stable snake_case names used in JSON: "minimal" ... "very_severe"; "self" / "clinician";
// "item_text" / "score_entry"; "sum" / "group_max_sum" / "triage".
std::string_view SeverityName(Severity s);
std::string_view RaterName(Rater r);
std::string_view LicenceName(Licence l);
std::string_view ScoringRuleName(ScoringRule r);

// The band containing `total`, or nullptr when the instrument has no bands.
const SeverityBand* BandFor(const Instrument& instrument, int total);

}  // namespace kclinic::domain::scales
