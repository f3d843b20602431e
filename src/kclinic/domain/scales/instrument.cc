#include "kclinic/domain/scales/instrument.h"

#include <string>

namespace kclinic::domain::scales {

namespace {

// PHQ-9 / GAD-7 frequency answers. LOINC answer codes from CLINICAL.md §5 (PHQ-9 row); GAD-7 is
// left without answer codes because CLINICAL.md lists none for it.
std::vector<AnswerOption> FrequencyOptions(bool with_loinc) {
  return {{0, "Not at all", with_loinc ? "LA6568-5" : ""},
          {1, "Several days", with_loinc ? "LA6569-3" : ""},
          {2, "More than half the days", with_loinc ? "LA6570-1" : ""},
          {3, "Nearly every day", with_loinc ? "LA6571-9" : ""}};
}

// Integer options with no labels, for score-entry items.
std::vector<AnswerOption> Unlabelled(int min_value, int max_value) {
  std::vector<AnswerOption> v;
  for (int i = min_value; i <= max_value; ++i) v.push_back({i, "", ""});
  return v;
}

std::vector<AnswerOption> Labelled(int first, std::initializer_list<std::string_view> labels) {
  std::vector<AnswerOption> v;
  int value = first;
  for (auto label : labels) v.push_back({value++, label, ""});
  return v;
}

// Score-entry items 1..n with one range and no text.
std::vector<Item> ScoreEntryItems(int n, int min_value, int max_value) {
  std::vector<Item> items;
  for (int i = 1; i <= n; ++i) {
    items.push_back(Item{.number = i,
                         .text = "",
                         .min_value = min_value,
                         .max_value = max_value,
                         .options = Unlabelled(min_value, max_value),
                         .loinc = ""});
  }
  return items;
}

Instrument Phq9() {
  // Kroenke K, Spitzer RL, Williams JBW. The PHQ-9. J Gen Intern Med 2001;16:606-613. Free to
  // use (Pfizer). LOINC codes exactly as CLINICAL.md §5.
  static constexpr std::string_view kText[] = {
      "Little interest or pleasure in doing things",
      "Feeling down, depressed, or hopeless",
      "Trouble falling or staying asleep, or sleeping too much",
      "Feeling tired or having little energy",
      "Poor appetite or overeating",
      "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or your "
      "family down",
      "Trouble concentrating on things, such as reading the newspaper or watching television",
      "Moving or speaking so slowly that other people could have noticed? Or the opposite \u2014 "
      "being so fidgety or restless that you have been moving around a lot more than usual",
      "Thoughts that you would be better off dead or of hurting yourself in some way",
  };
  static constexpr std::string_view kLoinc[] = {"44250-9", "44255-8", "44259-0",
                                                "44254-1", "44251-7", "44258-2",
                                                "44252-5", "44253-3", "44260-8"};
  std::vector<Item> items;
  for (int i = 0; i < 9; ++i) {
    items.push_back(Item{.number = i + 1,
                         .text = kText[i],
                         .min_value = 0,
                         .max_value = 3,
                         .options = FrequencyOptions(true),
                         .loinc = kLoinc[i],
                         .safety = i == 8});
  }
  items.push_back(Item{.number = 10,
                       .text = "If you checked off any problems, how difficult have these problems "
                               "made it for you to do your work, take care of things at home, or "
                               "get along with other people?",
                       .min_value = 0,
                       .max_value = 3,
                       .options = Labelled(0, {"Not difficult at all", "Somewhat difficult",
                                               "Very difficult", "Extremely difficult"}),
                       .loinc = "69722-7",
                       .scored = false,
                       .required = false});
  return Instrument{
      .id = "phq9",
      .title = "PHQ-9",
      .name = "Patient Health Questionnaire-9",
      .rater = Rater::kSelf,
      .licence = Licence::kItemText,
      .licence_note =
          "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
          "colleagues, with an educational grant from Pfizer Inc. No permission "
          "required to reproduce, translate, display or distribute.",
      .instructions =
          "Over the last 2 weeks, how often have you been bothered by any of the "
          "following problems?",
      .items = std::move(items),
      .rule = ScoringRule::kSum,
      .groups = {},
      // Kroenke 2001: 5/10/15/20 = mild/moderate/moderately severe/severe (CLINICAL.md §5).
      .bands = {{0, Severity::kMinimal, "minimal"},
                {5, Severity::kMild, "mild"},
                {10, Severity::kModerate, "moderate"},
                {15, Severity::kModeratelySevere, "moderately severe"},
                {20, Severity::kSevere, "severe"}},
      .remission_max_total = 4,  // remission < 5 (CLINICAL.md §6)
      .tracks_response = true,
      .loinc_panel = "44249-1",
      .loinc_total = "44261-6",
      .min_total = 0,
      .max_total = 27,
      .source = "Kroenke, Spitzer & Williams, J Gen Intern Med 2001;16:606-613",
  };
}

Instrument Gad7() {
  // Spitzer RL, Kroenke K, Williams JBW, Lowe B. Arch Intern Med 2006;166:1092-1097. Free to use.
  static constexpr std::string_view kText[] = {
      "Feeling nervous, anxious, or on edge",
      "Not being able to stop or control worrying",
      "Worrying too much about different things",
      "Trouble relaxing",
      "Being so restless that it is hard to sit still",
      "Becoming easily annoyed or irritable",
      "Feeling afraid, as if something awful might happen",
  };
  static constexpr std::string_view kLoinc[] = {"69725-0", "68509-9", "69733-4", "69734-2",
                                                "69735-9", "69689-8", "69736-7"};
  std::vector<Item> items;
  for (int i = 0; i < 7; ++i) {
    items.push_back(Item{.number = i + 1,
                         .text = kText[i],
                         .min_value = 0,
                         .max_value = 3,
                         .options = FrequencyOptions(false),
                         .loinc = kLoinc[i]});
  }
  return Instrument{
      .id = "gad7",
      .title = "GAD-7",
      .name = "Generalized Anxiety Disorder-7",
      .rater = Rater::kSelf,
      .licence = Licence::kItemText,
      .licence_note =
          "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
          "colleagues, with an educational grant from Pfizer Inc. No permission "
          "required to reproduce, translate, display or distribute.",
      .instructions =
          "Over the last 2 weeks, how often have you been bothered by the following "
          "problems?",
      .items = std::move(items),
      .rule = ScoringRule::kSum,
      .groups = {},
      // Spitzer 2006: 5/10/15 = mild/moderate/severe (CLINICAL.md §5).
      .bands = {{0, Severity::kMinimal, "minimal"},
                {5, Severity::kMild, "mild"},
                {10, Severity::kModerate, "moderate"},
                {15, Severity::kSevere, "severe"}},
      .remission_max_total = std::nullopt,  // CLINICAL.md §6 defines none for GAD-7
      .tracks_response = true,
      .loinc_panel = "69737-5",
      .loinc_total = "70274-6",
      .min_total = 0,
      .max_total = 21,
      .source = "Spitzer, Kroenke, Williams & Lowe, Arch Intern Med 2006;166:1092-1097",
  };
}

Instrument Madrs() {
  return Instrument{
      .id = "madrs",
      .title = "MADRS",
      .name = "Montgomery-\u00c5sberg Depression Rating Scale",
      .rater = Rater::kClinician,
      .licence = Licence::kScoreEntry,
      .licence_note =
          "Copyright Royal College of Psychiatrists: enter the item scores from your "
          "licensed form; kclinic shows item numbers and ranges only.",
      .instructions = "",
      .items = ScoreEntryItems(10, 0, 6),
      .rule = ScoringRule::kSum,
      .groups = {},
      // Snaith et al., Br J Psychiatry 1986;148:599-601 grades, as CLINICAL.md §5: 7-19 mild,
      // 20-34 moderate, >= 35 severe; below 7 is symptom-free, named "minimal" here.
      .bands = {{0, Severity::kMinimal, "normal"},
                {7, Severity::kMild, "mild"},
                {20, Severity::kModerate, "moderate"},
                {35, Severity::kSevere, "severe"}},
      // Remission <= 10 (CLINICAL.md §6); esketamine trials used <= 12.
      .remission_max_total = 10,
      .tracks_response = true,
      .loinc_panel = "",  // CLINICAL.md: none known, do not invent
      .loinc_total = "",
      .min_total = 0,
      .max_total = 60,
      .source = "Montgomery & \u00c5sberg, Br J Psychiatry 1979;134:382-389; bands Snaith 1986",
  };
}

Instrument QidsSr16() {
  Instrument q{
      .id = "qids-sr16",
      .title = "QIDS-SR16",
      .name = "Quick Inventory of Depressive Symptomatology, Self-Report (16 items)",
      .rater = Rater::kSelf,
      .licence = Licence::kScoreEntry,
      .licence_note =
          "Terms of use unclear: enter the item scores from the completed form; "
          "kclinic shows item numbers and ranges only.",
      .instructions = "",
      .items = ScoreEntryItems(16, 0, 3),
      .rule = ScoringRule::kGroupMaxSum,
      // Rush AJ et al., Biol Psychiatry 2003;54:573-583: sleep = max(1-4), weight/appetite =
      // max(6-9), psychomotor = max(15-16); the other six domains are single items.
      .groups = {{1, 2, 3, 4}, {5}, {6, 7, 8, 9}, {10}, {11}, {12}, {13}, {14}, {15, 16}},
      // CLINICAL.md §5: 0-5 none, 6-10 mild, 11-15 moderate, 16-20 severe, 21-27 very severe.
      // "none" maps to the shared name kMinimal; the label keeps the authors' word.
      .bands = {{0, Severity::kMinimal, "none"},
                {6, Severity::kMild, "mild"},
                {11, Severity::kModerate, "moderate"},
                {16, Severity::kSevere, "severe"},
                {21, Severity::kVerySevere, "very severe"}},
      .remission_max_total = 5,  // CLINICAL.md §6
      .tracks_response = true,
      .loinc_panel = "",  // none known
      .loinc_total = "",
      .min_total = 0,
      .max_total = 27,
      .source = "Rush et al., Biol Psychiatry 2003;54:573-583",
  };
  q.items[11].safety = true;  // item 12, thoughts of death or suicide (CLINICAL.md §5)
  return q;
}

Instrument Hamd17() {
  // Hamilton M. A rating scale for depression. J Neurol Neurosurg Psychiatry 1960;23:56-62.
  // Public domain. Anchors as in the widely reproduced 17-item version.
  struct Def {
    std::string_view text;
    std::initializer_list<std::string_view> anchors;
  };
  const Def defs[] = {
      {"Depressed mood (sadness, hopeless, helpless, worthless)",
       {"Absent", "These feeling states indicated only on questioning",
        "These feeling states spontaneously reported verbally",
        "Communicates feeling states non-verbally, i.e. through facial expression, posture, voice "
        "and tendency to weep",
        "Patient reports virtually only these feeling states in spontaneous verbal and non-verbal "
        "communication"}},
      {"Feelings of guilt",
       {"Absent", "Self reproach, feels he/she has let people down",
        "Ideas of guilt or rumination over past errors or sinful deeds",
        "Present illness is a punishment. Delusions of guilt",
        "Hears accusatory or denunciatory voices and/or experiences threatening visual "
        "hallucinations"}},
      {"Suicide",
       {"Absent", "Feels life is not worth living",
        "Wishes he/she were dead or any thoughts of possible death to self",
        "Ideas or gestures of suicide", "Attempts at suicide (any serious attempt rates 4)"}},
      {"Insomnia: early in the night",
       {"No difficulty falling asleep",
        "Complains of occasional difficulty falling asleep, i.e. more than 1/2 hour",
        "Complains of nightly difficulty falling asleep"}},
      {"Insomnia: middle of the night",
       {"No difficulty", "Complains of being restless and disturbed during the night",
        "Waking during the night \u2014 any getting out of bed rates 2 (except for purposes of "
        "voiding)"}},
      {"Insomnia: early hours of the morning",
       {"No difficulty", "Waking in early hours of the morning but goes back to sleep",
        "Unable to fall asleep again if he/she gets out of bed"}},
      {"Work and activities",
       {"No difficulty",
        "Thoughts and feelings of incapacity, fatigue or weakness related to activities, work or "
        "hobbies",
        "Loss of interest in activity, hobbies or work \u2014 reported directly or shown in "
        "listlessness, indecision and vacillation",
        "Decrease in actual time spent in activities or decrease in productivity",
        "Stopped working because of present illness"}},
      {"Retardation (slowness of thought and speech, impaired ability to concentrate, decreased "
       "motor activity)",
       {"Normal speech and thought", "Slight retardation during the interview",
        "Obvious retardation during the interview", "Interview difficult", "Complete stupor"}},
      {"Agitation",
       {"None", "Fidgetiness", "Playing with hands, hair, etc.", "Moving about, can't sit still",
        "Hand wringing, nail biting, hair-pulling, biting of lips"}},
      {"Anxiety psychic",
       {"No difficulty", "Subjective tension and irritability", "Worrying about minor matters",
        "Apprehensive attitude apparent in face or speech", "Fears expressed without questioning"}},
      {"Anxiety somatic (physiological concomitants of anxiety: gastro-intestinal, "
       "cardiovascular, respiratory, urinary frequency, sweating)",
       {"Absent", "Mild", "Moderate", "Severe", "Incapacitating"}},
      {"Somatic symptoms gastro-intestinal",
       {"None", "Loss of appetite but eating without encouragement. Heavy feelings in abdomen",
        "Difficulty eating without urging. Requests or requires laxatives or medication for "
        "bowels or gastro-intestinal symptoms"}},
      {"General somatic symptoms",
       {"None",
        "Heaviness in limbs, back or head. Backaches, headaches, muscle aches. Loss of energy and "
        "fatigability",
        "Any clear-cut symptom rates 2"}},
      {"Genital symptoms (such as loss of libido, menstrual disturbances)",
       {"Absent", "Mild", "Severe"}},
      {"Hypochondriasis",
       {"Not present", "Self-absorption (bodily)", "Preoccupation with health",
        "Frequent complaints, requests for help, etc.", "Hypochondriacal delusions"}},
      {"Loss of weight (leave blank when not assessed)",
       {"No weight loss", "Probable weight loss associated with present illness",
        "Definite weight loss"}},
      {"Insight",
       {"Acknowledges being depressed and ill",
        "Acknowledges illness but attributes cause to bad food, climate, overwork, virus, need "
        "for rest, etc.",
        "Denies being ill at all"}},
  };
  std::vector<Item> items;
  int number = 1;
  for (const auto& d : defs) {
    int max_value = static_cast<int>(d.anchors.size()) - 1;
    items.push_back(Item{.number = number,
                         .text = d.text,
                         .min_value = 0,
                         .max_value = max_value,
                         .options = Labelled(0, d.anchors),
                         .loinc = "",
                         .safety = number == 3});
    ++number;
  }
  return Instrument{
      .id = "hamd17",
      .title = "HAM-D17",
      .name = "Hamilton Depression Rating Scale (17 items)",
      .rater = Rater::kClinician,
      .licence = Licence::kItemText,
      .licence_note = "Public domain (Hamilton 1960).",
      .instructions = "Rate the patient's condition over the past week.",
      .items = std::move(items),
      .rule = ScoringRule::kSum,
      .groups = {},
      // Zimmerman M et al., Severity classification on the Hamilton Depression Rating Scale,
      // J Affect Disord 2013;150:384-388: 0-7 none, 8-16 mild, 17-23 moderate, >= 24 severe.
      // (CLINICAL.md §5 gives only the remission threshold.)
      .bands = {{0, Severity::kMinimal, "no depression"},
                {8, Severity::kMild, "mild"},
                {17, Severity::kModerate, "moderate"},
                {24, Severity::kSevere, "severe"}},
      .remission_max_total = 7,  // CLINICAL.md §6
      .tracks_response = true,
      .loinc_panel = "",
      .loinc_total = "",
      .min_total = 0,
      .max_total = 52,
      .source = "Hamilton, J Neurol Neurosurg Psychiatry 1960;23:56-62; bands Zimmerman 2013",
  };
}

Instrument CssrsScreener() {
  std::vector<Item> items;
  for (int i = 1; i <= 6; ++i) {
    items.push_back(Item{.number = i,
                         .text = "",
                         .min_value = 0,
                         .max_value = 1,
                         .options = Labelled(0, {"No", "Yes"}),
                         .loinc = "",
                         .safety = true});
  }
  return Instrument{
      .id = "cssrs-screener",
      .title = "C-SSRS Screener",
      .name = "Columbia-Suicide Severity Rating Scale, Screener",
      .rater = Rater::kClinician,
      .licence = Licence::kScoreEntry,
      .licence_note =
          "Electronic use is licensed exclusively: ask the questions from your "
          "licensed form and enter 0 (no) or 1 (yes). Items 3-5 only when item 2 is "
          "yes; item 6 always.",
      .instructions = "",
      .items = std::move(items),
      .rule = ScoringRule::kTriage,
      .groups = {},
      .bands = {},
      .remission_max_total = std::nullopt,
      .tracks_response = false,
      .loinc_panel = "",
      .loinc_total = "",
      .min_total = 0,
      .max_total = 0,
      .source =
          "Posner et al., Am J Psychiatry 2011;168:1266-1277; screener triage: Columbia "
          "Lighthouse Project",
  };
}

Instrument Cadss() {
  return Instrument{
      .id = "cadss",
      .title = "CADSS",
      .name = "Clinician-Administered Dissociative States Scale (23 items)",
      .rater = Rater::kClinician,
      .licence = Licence::kScoreEntry,
      .licence_note =
          "Terms of use unclear: enter the item scores from your form; kclinic shows "
          "item numbers and ranges only.",
      .instructions = "",
      .items = ScoreEntryItems(23, 0, 4),
      .rule = ScoringRule::kSum,
      .groups = {},
      .bands = {},  // none defined; mean 7.7 after IV ketamine (CLINICAL.md §5) for context
      .remission_max_total = std::nullopt,
      .tracks_response = false,
      .loinc_panel = "",
      .loinc_total = "",
      .min_total = 0,
      .max_total = 92,
      .source = "Bremner et al., J Trauma Stress 1998;11:125-136 (23-item version, CLINICAL.md §5)",
  };
}

Instrument Bprs() {
  // Overall JE, Gorham DR. The Brief Psychiatric Rating Scale. Psychol Rep 1962;10:799-812
  // (18-item order). Positive subscale as in ketamine studies (Krystal et al., Arch Gen
  // Psychiatry 1994;51:199-214): conceptual disorganisation (4), suspiciousness (11),
  // hallucinatory behaviour (12), unusual thought content (15).
  static constexpr std::string_view kText[] = {
      "Somatic concern: degree of concern over present bodily health",
      "Anxiety: worry, fear or over-concern for present or future",
      "Emotional withdrawal: deficiency in relating to the interviewer and the interview situation",
      "Conceptual disorganisation: degree to which thought processes are confused, disconnected or "
      "disorganised",
      "Guilt feelings: over-concern or remorse for past behaviour",
      "Tension: physical and motor manifestations of tension, nervousness and heightened "
      "activation",
      "Mannerisms and posturing: unusual and unnatural motor behaviour",
      "Grandiosity: exaggerated self-opinion, conviction of unusual ability or powers",
      "Depressive mood: despondency in mood, sadness",
      "Hostility: animosity, contempt, belligerence, disdain for others outside the interview",
      "Suspiciousness: belief that others have now, or have had, malicious or discriminatory "
      "intent toward the patient",
      "Hallucinatory behaviour: perceptions without normal external stimulus correspondence",
      "Motor retardation: reduction in energy level evidenced in slowed movements",
      "Uncooperativeness: resistance, unfriendliness, resentment, lack of readiness to cooperate "
      "with the interviewer",
      "Unusual thought content: unusual, odd, strange or bizarre thought content",
      "Blunted affect: reduced emotional tone, apparent lack of normal feeling or involvement",
      "Excitement: heightened emotional tone, agitation, increased reactivity",
      "Disorientation: confusion or lack of proper association for person, place or time",
  };
  std::vector<Item> items;
  for (int i = 0; i < 18; ++i) {
    int number = i + 1;
    items.push_back(
        Item{.number = number,
             .text = kText[i],
             .min_value = 1,
             .max_value = 7,
             .options = Labelled(1, {"Not present", "Very mild", "Mild", "Moderate",
                                     "Moderately severe", "Severe", "Extremely severe"}),
             .loinc = "",
             .positive_subscale = number == 4 || number == 11 || number == 12 || number == 15});
  }
  return Instrument{
      .id = "bprs",
      .title = "BPRS",
      .name = "Brief Psychiatric Rating Scale (18 items)",
      .rater = Rater::kClinician,
      .licence = Licence::kItemText,
      .licence_note = "Public domain (Overall & Gorham 1962).",
      .instructions = "Rate each symptom from 1 (not present) to 7 (extremely severe).",
      .items = std::move(items),
      .rule = ScoringRule::kSum,
      .groups = {},
      .bands = {},
      .remission_max_total = std::nullopt,
      .tracks_response = false,
      .loinc_panel = "",
      .loinc_total = "",
      .min_total = 18,
      .max_total = 126,
      .source = "Overall & Gorham, Psychol Rep 1962;10:799-812; positive subscale Krystal 1994",
  };
}

const std::vector<Instrument>& All() {
  static const std::vector<Instrument> kAll = {Phq9(),   Gad7(),          Madrs(), QidsSr16(),
                                               Hamd17(), CssrsScreener(), Cadss(), Bprs()};
  return kAll;
}

}  // namespace

const Item* Instrument::FindItem(int number) const {
  if (number < 1 || number > static_cast<int>(items.size())) return nullptr;
  return &items[number - 1];
}

std::span<const Instrument> Instruments() { return All(); }

const Instrument* FindInstrument(std::string_view id) {
  for (const auto& instrument : All()) {
    if (instrument.id == id) return &instrument;
  }
  return nullptr;
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kMinimal:
      return "minimal";
    case Severity::kMild:
      return "mild";
    case Severity::kModerate:
      return "moderate";
    case Severity::kModeratelySevere:
      return "moderately_severe";
    case Severity::kSevere:
      return "severe";
    case Severity::kVerySevere:
      return "very_severe";
  }
  return "";
}

std::string_view RaterName(Rater r) { return r == Rater::kSelf ? "self" : "clinician"; }

std::string_view LicenceName(Licence l) {
  return l == Licence::kItemText ? "item_text" : "score_entry";
}

std::string_view ScoringRuleName(ScoringRule r) {
  switch (r) {
    case ScoringRule::kSum:
      return "sum";
    case ScoringRule::kGroupMaxSum:
      return "group_max_sum";
    case ScoringRule::kTriage:
      return "triage";
  }
  return "";
}

const SeverityBand* BandFor(const Instrument& instrument, int total) {
  const SeverityBand* found = nullptr;
  for (const auto& band : instrument.bands) {
    if (total >= band.min_total) found = &band;
  }
  return found;
}

}  // namespace kclinic::domain::scales
