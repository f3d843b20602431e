// Drug knowledge for the screening rules: interaction classes and benzodiazepine equivalents.
// Names are generic (INN/USAN), matched after DrugKey() normalisation.

#include <array>
#include <cctype>
#include <string>

#include "kclinic/domain/screening/screening.h"  // IWYU pragma: associated
#include "kclinic/domain/screening/screening_internal.h"

namespace kclinic::domain::screening {

namespace {

using C = DrugClass;

struct DrugRow {
  std::string_view name;
  std::initializer_list<DrugClass> classes;
};

// Interaction classes, CLINICAL.md §1 "Interactions to flag":
//  - benzodiazepines: Andrashko 2020 (attenuated response above ~8 mg diazepam-eq/day);
//  - lamotrigine: Anand 2000, Mathew 2010 (weak/mixed evidence of attenuation);
//  - opioids, sedative-hypnotics, gabapentinoids: additive sedation and respiratory depression
//    (Ketalar label, drug interactions);
//  - psychostimulants, MAOIs, sympathomimetics: additive blood-pressure rise (Ketalar label);
//  - theophylline/aminophylline: lowered seizure threshold [R];
//  - naltrexone: mixed data on attenuation (Williams 2018 vs Yoon 2019) [R];
//  - CYP3A4/CYP2B6: ketamine N-demethylation is mainly CYP2B6 and CYP3A4 (Hijazi 2002);
//    ticlopidine raised and rifampicin lowered oral S-ketamine exposure (Peltoniemi 2011, 2012);
//    strong/moderate CYP3A4 inhibitors and inducers per the FDA Drug Development and Drug
//    Interactions table.
//  - mood stabilisers for the bipolar rule: lithium and valproate as in Zarate 2010; the other
//    maintenance agents of CANMAT/ISBD 2018 (Yatham 2018).
const DrugRow kDrugs[] = {
    // Benzodiazepines (the Ashton table below).
    {"alprazolam", {C::kBenzodiazepine}},
    {"bromazepam", {C::kBenzodiazepine}},
    {"chlordiazepoxide", {C::kBenzodiazepine}},
    {"clobazam", {C::kBenzodiazepine}},
    {"clonazepam", {C::kBenzodiazepine}},
    {"clorazepate", {C::kBenzodiazepine}},
    {"diazepam", {C::kBenzodiazepine}},
    {"estazolam", {C::kBenzodiazepine}},
    {"flunitrazepam", {C::kBenzodiazepine}},
    {"flurazepam", {C::kBenzodiazepine}},
    {"halazepam", {C::kBenzodiazepine}},
    {"ketazolam", {C::kBenzodiazepine}},
    {"loprazolam", {C::kBenzodiazepine}},
    {"lorazepam", {C::kBenzodiazepine}},
    {"lormetazepam", {C::kBenzodiazepine}},
    {"medazepam", {C::kBenzodiazepine}},
    {"nitrazepam", {C::kBenzodiazepine}},
    {"nordazepam", {C::kBenzodiazepine}},
    {"oxazepam", {C::kBenzodiazepine}},
    {"prazepam", {C::kBenzodiazepine}},
    {"quazepam", {C::kBenzodiazepine}},
    {"temazepam", {C::kBenzodiazepine}},
    {"triazolam", {C::kBenzodiazepine}},
    // Lamotrigine (also a bipolar maintenance agent).
    {"lamotrigine", {C::kLamotrigine, C::kMoodStabiliser}},
    // Opioids.
    {"buprenorphine", {C::kOpioid}},
    {"codeine", {C::kOpioid}},
    {"fentanyl", {C::kOpioid}},
    {"hydrocodone", {C::kOpioid}},
    {"hydromorphone", {C::kOpioid}},
    {"methadone", {C::kOpioid}},
    {"morphine", {C::kOpioid}},
    {"oxycodone", {C::kOpioid}},
    {"oxymorphone", {C::kOpioid}},
    {"tapentadol", {C::kOpioid}},
    {"tramadol", {C::kOpioid}},
    // Sedative-hypnotics (non-benzodiazepine).
    {"zolpidem", {C::kSedativeHypnotic}},
    {"zopiclone", {C::kSedativeHypnotic}},
    {"eszopiclone", {C::kSedativeHypnotic}},
    {"zaleplon", {C::kSedativeHypnotic}},
    {"suvorexant", {C::kSedativeHypnotic}},
    {"lemborexant", {C::kSedativeHypnotic}},
    {"daridorexant", {C::kSedativeHypnotic}},
    {"phenobarbital", {C::kSedativeHypnotic, C::kCyp3a4Inducer}},
    {"butalbital", {C::kSedativeHypnotic}},
    // Gabapentinoids.
    {"gabapentin", {C::kGabapentinoid}},
    {"pregabalin", {C::kGabapentinoid}},
    // Psychostimulants.
    {"amphetamine", {C::kPsychostimulant}},
    {"dextroamphetamine", {C::kPsychostimulant}},
    {"lisdexamfetamine", {C::kPsychostimulant}},
    {"methamphetamine", {C::kPsychostimulant}},
    {"methylphenidate", {C::kPsychostimulant}},
    {"dexmethylphenidate", {C::kPsychostimulant}},
    {"modafinil", {C::kPsychostimulant, C::kCyp3a4Inducer}},
    {"armodafinil", {C::kPsychostimulant, C::kCyp3a4Inducer}},
    // MAOIs.
    {"phenelzine", {C::kMaoi}},
    {"tranylcypromine", {C::kMaoi}},
    {"isocarboxazid", {C::kMaoi}},
    {"selegiline", {C::kMaoi}},
    {"rasagiline", {C::kMaoi}},
    {"moclobemide", {C::kMaoi}},
    {"linezolid", {C::kMaoi}},
    {"methylene_blue", {C::kMaoi}},
    // Sympathomimetics.
    {"pseudoephedrine", {C::kSympathomimetic}},
    {"phenylephrine", {C::kSympathomimetic}},
    {"ephedrine", {C::kSympathomimetic}},
    {"midodrine", {C::kSympathomimetic}},
    // Methylxanthines.
    {"theophylline", {C::kTheophylline}},
    {"aminophylline", {C::kTheophylline}},
    // Opioid antagonist.
    {"naltrexone", {C::kNaltrexone}},
    // CYP3A4 inhibitors (strong and moderate).
    {"clarithromycin", {C::kCyp3a4Inhibitor}},
    {"erythromycin", {C::kCyp3a4Inhibitor}},
    {"itraconazole", {C::kCyp3a4Inhibitor}},
    {"ketoconazole", {C::kCyp3a4Inhibitor}},
    {"posaconazole", {C::kCyp3a4Inhibitor}},
    {"voriconazole", {C::kCyp3a4Inhibitor}},
    {"fluconazole", {C::kCyp3a4Inhibitor}},
    {"ritonavir", {C::kCyp3a4Inhibitor}},
    {"cobicistat", {C::kCyp3a4Inhibitor}},
    {"diltiazem", {C::kCyp3a4Inhibitor}},
    {"verapamil", {C::kCyp3a4Inhibitor}},
    {"nefazodone", {C::kCyp3a4Inhibitor}},
    // CYP3A4 and CYP2B6 inducers.
    {"rifampicin", {C::kCyp3a4Inducer, C::kCyp2b6Inducer}},
    {"rifampin", {C::kCyp3a4Inducer, C::kCyp2b6Inducer}},
    {"carbamazepine", {C::kCyp3a4Inducer, C::kCyp2b6Inducer, C::kMoodStabiliser}},
    {"phenytoin", {C::kCyp3a4Inducer, C::kCyp2b6Inducer}},
    {"st_johns_wort", {C::kCyp3a4Inducer}},
    {"enzalutamide", {C::kCyp3a4Inducer}},
    {"efavirenz", {C::kCyp2b6Inducer}},
    // CYP2B6 inhibitors.
    {"ticlopidine", {C::kCyp2b6Inhibitor}},
    {"clopidogrel", {C::kCyp2b6Inhibitor}},
    // Mood stabilisers (bipolar rule).
    {"lithium", {C::kMoodStabiliser}},
    {"valproate", {C::kMoodStabiliser}},
    {"valproic_acid", {C::kMoodStabiliser}},
    {"divalproex", {C::kMoodStabiliser}},
    {"quetiapine", {C::kMoodStabiliser}},
    {"lurasidone", {C::kMoodStabiliser}},
    {"olanzapine", {C::kMoodStabiliser}},
    {"aripiprazole", {C::kMoodStabiliser}},
    {"cariprazine", {C::kMoodStabiliser}},
    {"asenapine", {C::kMoodStabiliser}},
};

// Approximate oral dose equivalent to 10 mg diazepam: Ashton, "Benzodiazepines: How They Work and
// How to Withdraw" (the Ashton Manual, 2002), Table 1. Where Ashton gives a range the lower dose
// is used, which gives the larger diazepam-equivalent: it flags sooner, the conservative side.
constexpr std::array<std::pair<std::string_view, double>, 23> kAshton = {{
    {"alprazolam", 0.5},  {"bromazepam", 5},   {"chlordiazepoxide", 25}, {"clobazam", 20},
    {"clonazepam", 0.5},  {"clorazepate", 15}, {"diazepam", 10},         {"estazolam", 1},
    {"flunitrazepam", 1}, {"flurazepam", 15},  {"halazepam", 20},        {"ketazolam", 15},
    {"loprazolam", 1},    {"lorazepam", 1},    {"lormetazepam", 1},      {"medazepam", 10},
    {"nitrazepam", 10},   {"nordazepam", 10},  {"oxazepam", 20},         {"prazepam", 10},
    {"quazepam", 20},     {"temazepam", 20},   {"triazolam", 0.25},
}};

constexpr std::array<std::pair<DrugClass, std::string_view>, 15> kClassCodes = {{
    {C::kBenzodiazepine, "benzodiazepine"},
    {C::kLamotrigine, "lamotrigine"},
    {C::kOpioid, "opioid"},
    {C::kSedativeHypnotic, "sedative_hypnotic"},
    {C::kGabapentinoid, "gabapentinoid"},
    {C::kPsychostimulant, "psychostimulant"},
    {C::kMaoi, "maoi"},
    {C::kSympathomimetic, "sympathomimetic"},
    {C::kTheophylline, "theophylline"},
    {C::kNaltrexone, "naltrexone"},
    {C::kCyp3a4Inhibitor, "cyp3a4_inhibitor"},
    {C::kCyp3a4Inducer, "cyp3a4_inducer"},
    {C::kCyp2b6Inhibitor, "cyp2b6_inhibitor"},
    {C::kCyp2b6Inducer, "cyp2b6_inducer"},
    {C::kMoodStabiliser, "mood_stabiliser"},
}};

}  // namespace

std::string DrugKey(std::string_view name) {
  std::string out;
  bool gap = false;
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\'' || c == '.') continue;  // "St. John's wort" -> st_johns_wort
    if (std::isalnum(c)) {
      if (gap && !out.empty()) out.push_back('_');
      gap = false;
      out.push_back(static_cast<char>(std::tolower(c)));
    } else {
      gap = true;
    }
  }
  return out;
}

std::string_view DrugClassCode(DrugClass c) {
  for (const auto& [k, code] : kClassCodes) {
    if (k == c) return code;
  }
  return "unknown";
}

std::vector<DrugClass> ClassesOf(std::string_view drug) {
  std::string key = DrugKey(drug);
  for (const auto& row : kDrugs) {
    if (row.name == key) return std::vector<DrugClass>(row.classes);
  }
  return {};
}

std::optional<double> MgEquivalentToDiazepam10(std::string_view benzodiazepine) {
  std::string key = DrugKey(benzodiazepine);
  for (const auto& [name, mg] : kAshton) {
    if (name == key) return mg;
  }
  return std::nullopt;
}

std::optional<double> DiazepamEquivalentMgPerDay(std::string_view benzodiazepine,
                                                 Milligrams daily_dose) {
  auto mg = MgEquivalentToDiazepam10(benzodiazepine);
  if (!mg) return std::nullopt;
  return daily_dose.value() * 10.0 / *mg;
}

std::string_view MinAdequateDoseSettingKey(std::string_view antidepressant) {
  std::string key = std::string(kTrdMinDosePrefix) + DrugKey(antidepressant);
  const SettingDefinition* def = FindSetting(key);
  return def ? def->key : std::string_view();
}

std::string ContraindicationSettingKey(Condition c) {
  return std::string(kContraindicationPrefix) + std::string(ConditionCode(c));
}

std::string InteractionSettingKey(DrugClass c) {
  return std::string(kInteractionPrefix) + std::string(DrugClassCode(c));
}

std::vector<std::string> ComposedSettingKeys() {
  std::vector<std::string> out;
  for (Condition c : AllConditions()) out.push_back(ContraindicationSettingKey(c));
  for (int i = 0; i <= static_cast<int>(DrugClass::kCyp2b6Inducer); ++i) {
    out.push_back(InteractionSettingKey(static_cast<DrugClass>(i)));
  }
  return out;
}

}  // namespace kclinic::domain::screening
