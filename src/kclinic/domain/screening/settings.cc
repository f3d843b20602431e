// The screening rules' site settings, each with the source of its default (CLINICAL.md §1).
// Severity settings ("*.level", "screening.contraindication.*", "screening.interaction.*") take
// 0 = ignore, 1 = warning, 2 = override_required, 3 = hard_stop.
#include "kclinic/domain/settings.h"

namespace kclinic::domain {

namespace {

constexpr std::string_view kLevel = "0 ignore, 1 warning, 2 override, 3 hard stop";
constexpr std::string_view kMinDoseCitation =
    "[R] lowest usual effective daily dose of the US label, the minimum adequate dose used by "
    "the MGH ATRQ (Chandler 2010) and ATHF-SF (Sackeim 2019); check against the form in use";

const SettingDefinition kDefinitions[] = {
    // TRD staging.
    {"screening.trd.min_failed_trials", 2, 1, 5, "adequate failed trials",
     "CLINICAL.md §1: >= 2 adequate trials in the current episode (RAPID, Freeman 2020, PMID "
     "32332464; ELEKT-D, Anand 2023, PMID 37224232; TRANSFORM-2)"},
    {"screening.trd.min_weeks", 6, 2, 16, "weeks",
     "CLINICAL.md §1 [R]: adequate dose for at least 6 weeks (ATHF grades >= 4 weeks)"},
    {"screening.trd.current_episode_only", 1, 0, 1, "0 any episode, 1 current episode only",
     "CLINICAL.md §1: trials in the current episode (Freeman 2020; Anand 2023)"},
    {"screening.trd.count_not_tolerated", 0, 0, 1, "0 no, 1 count as failed",
     "[R] ATHF (Sackeim 2001): a trial stopped for intolerance is not an adequate trial"},
    {"screening.trd.not_met_level", 2, 0, 3, kLevel,
     "CLINICAL.md §1: candidates are patients with TRD; treating outside it is off-label beyond "
     "the trials (CANMAT 2021, Swainson, PMID 33174760) and needs a documented override"},
    // Minimum adequate daily doses (mg/day).
    {"screening.trd.min_dose_mg.citalopram", 20, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.escitalopram", 10, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.fluoxetine", 20, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.paroxetine", 20, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.sertraline", 50, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.fluvoxamine", 100, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.venlafaxine", 75, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.desvenlafaxine", 50, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.duloxetine", 60, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.levomilnacipran", 40, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.bupropion", 300, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.mirtazapine", 15, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.vortioxetine", 10, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.vilazodone", 20, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.trazodone", 150, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.amitriptyline", 100, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.imipramine", 100, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.nortriptyline", 50, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.phenelzine", 45, 0, 1000, "mg/day", kMinDoseCitation},
    {"screening.trd.min_dose_mg.tranylcypromine", 30, 0, 1000, "mg/day", kMinDoseCitation},
    // Resting blood pressure.
    {"screening.bp.max_systolic_mmhg", 180, 120, 240, "mmHg",
     "Swiss ketamine label: uncontrolled hypertension, resting BP > 180/100 mmHg (CLINICAL.md §1)"},
    {"screening.bp.max_diastolic_mmhg", 100, 70, 140, "mmHg",
     "Swiss ketamine label: uncontrolled hypertension, resting BP > 180/100 mmHg (CLINICAL.md §1)"},
    {"screening.bp.level", 3, 0, 3, kLevel,
     "Swiss ketamine label: contraindicated; defer, treat and re-screen (CLINICAL.md §1)"},
    // Contraindications (CLINICAL.md §1 table).
    {"screening.contraindication.ketamine_hypersensitivity", 3, 0, 3, kLevel,
     "Ketalar label [R]; Spravato label [V]: hypersensitivity to ketamine"},
    {"screening.contraindication.aneurysmal_vascular_disease", 3, 0, 3, kLevel,
     "Spravato label [V]: aneurysmal vascular disease"},
    {"screening.contraindication.avm", 3, 0, 3, kLevel,
     "Spravato label [V]: arteriovenous malformation"},
    {"screening.contraindication.intracerebral_haemorrhage_history", 3, 0, 3, kLevel,
     "Spravato label [V]: history of intracerebral haemorrhage"},
    {"screening.contraindication.recent_stroke", 3, 0, 3, kLevel,
     "Swiss ketamine label [V]: conditions where a BP rise is dangerous (recent stroke)"},
    {"screening.contraindication.pre_eclampsia", 3, 0, 3, kLevel,
     "Swiss ketamine label [V]: pre-eclampsia and eclampsia"},
    {"screening.contraindication.untreated_hyperthyroidism", 3, 0, 3, kLevel,
     "Swiss ketamine label [V]: untreated hyperthyroidism"},
    {"screening.contraindication.pregnancy", 3, 0, 3, kLevel,
     "Spravato label [V]: not recommended in pregnancy; clinic practice (CLINICAL.md §1)"},
    {"screening.contraindication.breastfeeding", 3, 0, 3, kLevel,
     "Spravato label [V]: not recommended while breastfeeding; clinic practice (CLINICAL.md §1)"},
    {"screening.contraindication.ischaemic_heart_disease", 2, 0, 3, kLevel,
     "ED protocols [V]; consensus [R]: override with medical clearance (CLINICAL.md §1)"},
    {"screening.contraindication.recent_mi", 2, 0, 3, kLevel,
     "ED protocols [V]; consensus [R]: override with medical clearance (CLINICAL.md §1)"},
    {"screening.contraindication.unstable_angina", 2, 0, 3, kLevel,
     "ED protocols [V]; consensus [R]: override with medical clearance (CLINICAL.md §1)"},
    {"screening.contraindication.decompensated_heart_failure", 2, 0, 3, kLevel,
     "ED protocols [V]; consensus [R]: override with medical clearance (CLINICAL.md §1)"},
    {"screening.contraindication.unstable_arrhythmia", 2, 0, 3, kLevel,
     "ED protocols [V]; consensus [R]: override with medical clearance (CLINICAL.md §1)"},
    {"screening.contraindication.psychosis_history", 2, 0, 3, kLevel,
     "Trials exclude psychosis [V]; Sanacora 2017 consensus: relative contraindication [R]"},
    {"screening.contraindication.schizophrenia", 2, 0, 3, kLevel,
     "Trials exclude schizophrenia [V]; Sanacora 2017 consensus: relative contraindication [R]"},
    {"screening.contraindication.substance_use_disorder", 2, 0, 3, kLevel,
     "Sanacora 2017 consensus [R]; Spravato label abuse/misuse warning [V]"},
    {"screening.contraindication.ketamine_or_pcp_misuse", 2, 0, 3, kLevel,
     "Sanacora 2017 consensus [R]; Spravato label abuse/misuse warning [V]"},
    {"screening.contraindication.raised_icp", 2, 0, 3, kLevel,
     "Anaesthesia texts [V]: ketamine may raise intracranial pressure"},
    {"screening.contraindication.raised_iop", 2, 0, 3, kLevel,
     "Anaesthesia texts [V]: ketamine may raise intraocular pressure"},
    {"screening.contraindication.intracranial_mass", 2, 0, 3, kLevel,
     "Anaesthesia texts [V]: intracranial mass lesion"},
    {"screening.contraindication.open_globe", 2, 0, 3, kLevel,
     "Anaesthesia texts [V]: open globe injury"},
    {"screening.contraindication.severe_hepatic_impairment", 2, 0, 3, kLevel,
     "Spravato label [V]: severe hepatic impairment (Child-Pugh C) not studied"},
    // Bipolar depression.
    {"screening.bipolar.no_mood_stabiliser_level", 2, 0, 3, kLevel,
     "Zarate 2010: ketamine in bipolar depression studied as add-on to lithium or valproate; "
     "require a mood stabiliser (CLINICAL.md §1)"},
    // Interactions (CLINICAL.md §1: warnings unless a site says otherwise).
    {"screening.benzodiazepine.max_diazepam_eq_mg_per_day", 8, 0, 100, "mg/day diazepam-equivalent",
     "Andrashko 2020: non-responders took above ~8 mg/day diazepam-equivalent"},
    {"screening.interaction.benzodiazepine", 1, 0, 3, kLevel,
     "Andrashko 2020 [V]: benzodiazepines may blunt the response; suggest holding the dose"},
    {"screening.interaction.lamotrigine", 1, 0, 3, kLevel,
     "Anand 2000; Mathew 2010 [V]: possible attenuation, evidence weak and mixed"},
    {"screening.interaction.opioid", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: additive sedation and respiratory depression"},
    {"screening.interaction.sedative_hypnotic", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: additive sedation and respiratory depression"},
    {"screening.interaction.gabapentinoid", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: additive sedation and respiratory depression"},
    {"screening.interaction.alcohol", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: additive sedation and respiratory depression"},
    {"screening.interaction.psychostimulant", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: additive blood-pressure rise"},
    {"screening.interaction.maoi", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: additive blood-pressure rise; MAOI washout per site"},
    {"screening.interaction.sympathomimetic", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: additive blood-pressure rise"},
    {"screening.interaction.theophylline", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [R]: theophylline/aminophylline lower the seizure threshold"},
    {"screening.interaction.naltrexone", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [R]: mixed data on attenuation of the antidepressant effect"},
    {"screening.interaction.cyp3a4_inhibitor", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: ketamine is N-demethylated by CYP3A4 and CYP2B6 (Hijazi 2002)"},
    {"screening.interaction.cyp3a4_inducer", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: rifampicin lowered S-ketamine exposure (Peltoniemi 2012)"},
    {"screening.interaction.cyp2b6_inhibitor", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: ticlopidine raised S-ketamine exposure (Peltoniemi 2011)"},
    {"screening.interaction.cyp2b6_inducer", 1, 0, 3, kLevel,
     "CLINICAL.md §1 [V]: rifampicin lowered S-ketamine exposure (Peltoniemi 2012)"},
};

}  // namespace

std::span<const SettingDefinition> ScreeningSettingDefinitions() { return kDefinitions; }

}  // namespace kclinic::domain
