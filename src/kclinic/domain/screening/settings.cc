// The screening rules' site settings, each with the source of its default (CLINICAL.md §1).
// Severity settings ("*.level", "screening.contraindication.*", "screening.interaction.*") take
// 0 = ignore, 1 = warning, 2 = override_required, 3 = hard_stop.
#include "kclinic/domain/screening/screening.h"

namespace kclinic::domain {

namespace {

constexpr std::string_view kLevel = "0 ignore, 1 warning, 2 override, 3 hard stop";
constexpr std::string_view kMinDoseCitation =
    "[R] lowest usual effective daily dose of the US label, the minimum adequate dose used by "
    "the MGH ATRQ (Chandler 2010) and ATHF-SF (Sackeim 2019); check against the form in use";

}  // namespace

// TRD staging.
const SettingDefinition screening::kTrdMinFailedTrials{
    "screening.trd.min_failed_trials",
    2,
    1,
    5,
    "adequate failed trials",
    "CLINICAL.md §1: >= 2 adequate trials in the current episode (RAPID, Freeman 2020, PMID "
    "32332464; ELEKT-D, Anand 2023, PMID 37224232; TRANSFORM-2)"};
const SettingDefinition screening::kTrdMinWeeks{
    "screening.trd.min_weeks",
    6,
    2,
    16,
    "weeks",
    "CLINICAL.md §1 [R]: adequate dose for at least 6 weeks (ATHF grades >= 4 weeks)"};
const SettingDefinition screening::kTrdCurrentEpisodeOnly{
    "screening.trd.current_episode_only",
    1,
    0,
    1,
    "0 any episode, 1 current episode only",
    "CLINICAL.md §1: trials in the current episode (Freeman 2020; Anand 2023)"};
const SettingDefinition screening::kTrdCountNotTolerated{
    "screening.trd.count_not_tolerated",
    0,
    0,
    1,
    "0 no, 1 count as failed",
    "[R] ATHF (Sackeim 2001): a trial stopped for intolerance is not an adequate trial"};
const SettingDefinition screening::kTrdNotMetLevel{
    "screening.trd.not_met_level",
    2,
    0,
    3,
    kLevel,
    "CLINICAL.md §1: candidates are patients with TRD; treating outside it is off-label beyond "
    "the trials (CANMAT 2021, Swainson, PMID 33174760) and needs a documented override"};
// Age.
const SettingDefinition screening::kMinAgeYears{
    "screening.age.min_years",
    18,
    0,
    30,
    "years",
    "CLINICAL.md §9: adults only; esketamine is licensed for adults with TRD (Janssen, Spravato "
    "prescribing information, 2019) and IV ketamine for depression was studied in adults "
    "(Murrough 2013; Singh 2016; Phillips 2019)"};
const SettingDefinition screening::kAgeLevel{
    "screening.age.level",
    3,
    0,
    3,
    kLevel,
    "CLINICAL.md §9: a candidate under 18 is a hard stop by default (no trial or label below it)"};
// Minimum adequate daily doses (mg/day).
// Resting blood pressure.
const SettingDefinition screening::kBpMaxSystolic{
    "screening.bp.max_systolic_mmhg",
    180,
    120,
    240,
    "mmHg",
    "Swiss ketamine label: uncontrolled hypertension, resting BP > 180/100 mmHg (CLINICAL.md §1)"};
const SettingDefinition screening::kBpMaxDiastolic{
    "screening.bp.max_diastolic_mmhg",
    100,
    70,
    140,
    "mmHg",
    "Swiss ketamine label: uncontrolled hypertension, resting BP > 180/100 mmHg (CLINICAL.md §1)"};
const SettingDefinition screening::kBpLevel{
    "screening.bp.level",
    3,
    0,
    3,
    kLevel,
    "Swiss ketamine label: contraindicated; defer, treat and re-screen (CLINICAL.md §1)"};
// Contraindications (CLINICAL.md §1 table).
const SettingDefinition screening::kPregnancyLevel{
    "screening.contraindication.pregnancy",
    3,
    0,
    3,
    kLevel,
    "Spravato label [V]: not recommended in pregnancy; clinic practice (CLINICAL.md §1)"};
const SettingDefinition screening::kBreastfeedingLevel{
    "screening.contraindication.breastfeeding",
    3,
    0,
    3,
    kLevel,
    "Spravato label [V]: not recommended while breastfeeding; clinic practice (CLINICAL.md §1)"};
// Bipolar depression.
const SettingDefinition screening::kBipolarNoMoodStabiliserLevel{
    "screening.bipolar.no_mood_stabiliser_level",
    2,
    0,
    3,
    kLevel,
    "Zarate 2010: ketamine in bipolar depression studied as add-on to lithium or valproate; "
    "require a mood stabiliser (CLINICAL.md §1)"};
// Interactions (CLINICAL.md §1: warnings unless a site says otherwise).
const SettingDefinition screening::kBenzoMaxDiazepamEq{
    "screening.benzodiazepine.max_diazepam_eq_mg_per_day",
    8,
    0,
    100,
    "mg/day diazepam-equivalent",
    "Andrashko 2020: non-responders took above ~8 mg/day diazepam-equivalent"};
const SettingDefinition screening::kAlcoholLevel{
    "screening.interaction.alcohol",
    1,
    0,
    3,
    kLevel,
    "CLINICAL.md §1 [V]: additive sedation and respiratory depression"};

namespace {

const SettingDefinition kRow5{
    "screening.trd.min_dose_mg.citalopram", 20, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow6{
    "screening.trd.min_dose_mg.escitalopram", 10, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow7{
    "screening.trd.min_dose_mg.fluoxetine", 20, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow8{
    "screening.trd.min_dose_mg.paroxetine", 20, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow9{
    "screening.trd.min_dose_mg.sertraline", 50, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow10{
    "screening.trd.min_dose_mg.fluvoxamine", 100, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow11{
    "screening.trd.min_dose_mg.venlafaxine", 75, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow12{
    "screening.trd.min_dose_mg.desvenlafaxine", 50, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow13{
    "screening.trd.min_dose_mg.duloxetine", 60, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow14{
    "screening.trd.min_dose_mg.levomilnacipran", 40, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow15{
    "screening.trd.min_dose_mg.bupropion", 300, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow16{
    "screening.trd.min_dose_mg.mirtazapine", 15, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow17{
    "screening.trd.min_dose_mg.vortioxetine", 10, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow18{
    "screening.trd.min_dose_mg.vilazodone", 20, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow19{
    "screening.trd.min_dose_mg.trazodone", 150, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow20{
    "screening.trd.min_dose_mg.amitriptyline", 100, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow21{
    "screening.trd.min_dose_mg.imipramine", 100, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow22{
    "screening.trd.min_dose_mg.nortriptyline", 50, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow23{
    "screening.trd.min_dose_mg.phenelzine", 45, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow24{
    "screening.trd.min_dose_mg.tranylcypromine", 30, 0, 1000, "mg/day", kMinDoseCitation};
const SettingDefinition kRow28{
    "screening.contraindication.ketamine_hypersensitivity",
    3,
    0,
    3,
    kLevel,
    "Ketalar label [R]; Spravato label [V]: hypersensitivity to ketamine"};
const SettingDefinition kRow29{
    "screening.contraindication.aneurysmal_vascular_disease", 3, 0, 3, kLevel,
    "Spravato label [V]: aneurysmal vascular disease"};
const SettingDefinition kRow30{"screening.contraindication.avm",
                               3,
                               0,
                               3,
                               kLevel,
                               "Spravato label [V]: arteriovenous malformation"};
const SettingDefinition kRow31{
    "screening.contraindication.intracerebral_haemorrhage_history", 3, 0, 3, kLevel,
    "Spravato label [V]: history of intracerebral haemorrhage"};
const SettingDefinition kRow32{
    "screening.contraindication.recent_stroke",
    3,
    0,
    3,
    kLevel,
    "Swiss ketamine label [V]: conditions where a BP rise is dangerous (recent stroke)"};
const SettingDefinition kRow33{"screening.contraindication.pre_eclampsia",
                               3,
                               0,
                               3,
                               kLevel,
                               "Swiss ketamine label [V]: pre-eclampsia and eclampsia"};
const SettingDefinition kRow34{
    "screening.contraindication.untreated_hyperthyroidism", 3, 0, 3, kLevel,
    "Swiss ketamine label [V]: untreated hyperthyroidism"};
const SettingDefinition kRow37{
    "screening.contraindication.ischaemic_heart_disease",
    2,
    0,
    3,
    kLevel,
    "ED protocols [V]; consensus [R]: override with medical clearance (CLINICAL.md §1)"};
const SettingDefinition kRow38{
    "screening.contraindication.recent_mi",
    2,
    0,
    3,
    kLevel,
    "ED protocols [V]; consensus [R]: override with medical clearance (CLINICAL.md §1)"};
const SettingDefinition kRow39{
    "screening.contraindication.unstable_angina",
    2,
    0,
    3,
    kLevel,
    "ED protocols [V]; consensus [R]: override with medical clearance (CLINICAL.md §1)"};
const SettingDefinition kRow40{
    "screening.contraindication.decompensated_heart_failure",
    2,
    0,
    3,
    kLevel,
    "ED protocols [V]; consensus [R]: override with medical clearance (CLINICAL.md §1)"};
const SettingDefinition kRow41{
    "screening.contraindication.unstable_arrhythmia",
    2,
    0,
    3,
    kLevel,
    "ED protocols [V]; consensus [R]: override with medical clearance (CLINICAL.md §1)"};
const SettingDefinition kRow42{
    "screening.contraindication.psychosis_history",
    2,
    0,
    3,
    kLevel,
    "Trials exclude psychosis [V]; Sanacora 2017 consensus: relative contraindication [R]"};
const SettingDefinition kRow43{
    "screening.contraindication.schizophrenia",
    2,
    0,
    3,
    kLevel,
    "Trials exclude schizophrenia [V]; Sanacora 2017 consensus: relative contraindication [R]"};
const SettingDefinition kRow44{
    "screening.contraindication.substance_use_disorder",
    2,
    0,
    3,
    kLevel,
    "Sanacora 2017 consensus [R]; Spravato label abuse/misuse warning [V]"};
const SettingDefinition kRow45{
    "screening.contraindication.ketamine_or_pcp_misuse",
    2,
    0,
    3,
    kLevel,
    "Sanacora 2017 consensus [R]; Spravato label abuse/misuse warning [V]"};
const SettingDefinition kRow46{"screening.contraindication.raised_icp",
                               2,
                               0,
                               3,
                               kLevel,
                               "Anaesthesia texts [V]: ketamine may raise intracranial pressure"};
const SettingDefinition kRow47{"screening.contraindication.raised_iop",
                               2,
                               0,
                               3,
                               kLevel,
                               "Anaesthesia texts [V]: ketamine may raise intraocular pressure"};
const SettingDefinition kRow48{"screening.contraindication.intracranial_mass",   2, 0, 3, kLevel,
                               "Anaesthesia texts [V]: intracranial mass lesion"};
const SettingDefinition kRow49{"screening.contraindication.open_globe",   2, 0, 3, kLevel,
                               "Anaesthesia texts [V]: open globe injury"};
const SettingDefinition kRow50{
    "screening.contraindication.severe_hepatic_impairment",
    2,
    0,
    3,
    kLevel,
    "Spravato label [V]: severe hepatic impairment (Child-Pugh C) not studied"};
const SettingDefinition kRow53{
    "screening.interaction.benzodiazepine",
    1,
    0,
    3,
    kLevel,
    "Andrashko 2020 [V]: benzodiazepines may blunt the response; suggest holding the dose"};
const SettingDefinition kRow54{
    "screening.interaction.lamotrigine",
    1,
    0,
    3,
    kLevel,
    "Anand 2000; Mathew 2010 [V]: possible attenuation, evidence weak and mixed"};
const SettingDefinition kRow55{"screening.interaction.opioid",
                               1,
                               0,
                               3,
                               kLevel,
                               "CLINICAL.md §1 [V]: additive sedation and respiratory depression"};
const SettingDefinition kRow56{"screening.interaction.sedative_hypnotic",
                               1,
                               0,
                               3,
                               kLevel,
                               "CLINICAL.md §1 [V]: additive sedation and respiratory depression"};
const SettingDefinition kRow57{"screening.interaction.gabapentinoid",
                               1,
                               0,
                               3,
                               kLevel,
                               "CLINICAL.md §1 [V]: additive sedation and respiratory depression"};
const SettingDefinition kRow59{"screening.interaction.psychostimulant",           1, 0, 3, kLevel,
                               "CLINICAL.md §1 [V]: additive blood-pressure rise"};
const SettingDefinition kRow60{
    "screening.interaction.maoi",
    1,
    0,
    3,
    kLevel,
    "CLINICAL.md §1 [V]: additive blood-pressure rise; MAOI washout per site"};
const SettingDefinition kRow61{"screening.interaction.sympathomimetic",           1, 0, 3, kLevel,
                               "CLINICAL.md §1 [V]: additive blood-pressure rise"};
const SettingDefinition kRow62{
    "screening.interaction.theophylline",
    1,
    0,
    3,
    kLevel,
    "CLINICAL.md §1 [R]: theophylline/aminophylline lower the seizure threshold"};
const SettingDefinition kRow63{
    "screening.interaction.naltrexone",
    1,
    0,
    3,
    kLevel,
    "CLINICAL.md §1 [R]: mixed data on attenuation of the antidepressant effect"};
const SettingDefinition kRow64{
    "screening.interaction.cyp3a4_inhibitor",
    1,
    0,
    3,
    kLevel,
    "CLINICAL.md §1 [V]: ketamine is N-demethylated by CYP3A4 and CYP2B6 (Hijazi 2002)"};
const SettingDefinition kRow65{
    "screening.interaction.cyp3a4_inducer",
    1,
    0,
    3,
    kLevel,
    "CLINICAL.md §1 [V]: rifampicin lowered S-ketamine exposure (Peltoniemi 2012)"};
const SettingDefinition kRow66{
    "screening.interaction.cyp2b6_inhibitor",
    1,
    0,
    3,
    kLevel,
    "CLINICAL.md §1 [V]: ticlopidine raised S-ketamine exposure (Peltoniemi 2011)"};
const SettingDefinition kRow67{
    "screening.interaction.cyp2b6_inducer",
    1,
    0,
    3,
    kLevel,
    "CLINICAL.md §1 [V]: rifampicin lowered S-ketamine exposure (Peltoniemi 2012)"};

}  // namespace

namespace {

const SettingDefinition* const kScreeningDefinitions[] = {
    &screening::kTrdMinFailedTrials,
    &screening::kTrdMinWeeks,
    &screening::kTrdCurrentEpisodeOnly,
    &screening::kTrdCountNotTolerated,
    &screening::kTrdNotMetLevel,
    &kRow5,
    &kRow6,
    &kRow7,
    &kRow8,
    &kRow9,
    &kRow10,
    &kRow11,
    &kRow12,
    &kRow13,
    &kRow14,
    &kRow15,
    &kRow16,
    &kRow17,
    &kRow18,
    &kRow19,
    &kRow20,
    &kRow21,
    &kRow22,
    &kRow23,
    &kRow24,
    &screening::kBpMaxSystolic,
    &screening::kBpMaxDiastolic,
    &screening::kBpLevel,
    &screening::kMinAgeYears,
    &screening::kAgeLevel,
    &kRow28,
    &kRow29,
    &kRow30,
    &kRow31,
    &kRow32,
    &kRow33,
    &kRow34,
    &screening::kPregnancyLevel,
    &screening::kBreastfeedingLevel,
    &kRow37,
    &kRow38,
    &kRow39,
    &kRow40,
    &kRow41,
    &kRow42,
    &kRow43,
    &kRow44,
    &kRow45,
    &kRow46,
    &kRow47,
    &kRow48,
    &kRow49,
    &kRow50,
    &screening::kBipolarNoMoodStabiliserLevel,
    &screening::kBenzoMaxDiazepamEq,
    &kRow53,
    &kRow54,
    &kRow55,
    &kRow56,
    &kRow57,
    &screening::kAlcoholLevel,
    &kRow59,
    &kRow60,
    &kRow61,
    &kRow62,
    &kRow63,
    &kRow64,
    &kRow65,
    &kRow66,
    &kRow67,
};

}  // namespace

std::span<const SettingDefinition* const> ScreeningSettingDefinitions() {
  return kScreeningDefinitions;
}

}  // namespace kclinic::domain
