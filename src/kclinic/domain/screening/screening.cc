#include "kclinic/domain/screening/screening.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include "kclinic/domain/dosing/dosing.h"

namespace kclinic::domain::screening {

namespace {

constexpr std::string_view kChecklistCitation =
    "CLINICAL.md §1 pre-treatment evaluation checklist [R, consensus summaries]";
constexpr std::string_view kDosingBoundsCitation =
    "the dose calculation's input bounds (a figure outside them is a typo, not a patient)";
constexpr std::string_view kTrdCitation =
    "CLINICAL.md §1: no response to >= 2 adequate antidepressant trials in the current episode "
    "(Freeman 2020; Anand 2023; TRANSFORM-2); adequacy per ATHF/ATRQ";

std::string Format(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string Citation(std::string_view key) {
  const SettingDefinition* def = FindSetting(key);
  return def ? std::string(def->citation) : std::string();
}

// The severity a RuleLevel setting asks for; nullopt for "ignore". Level keys are composed from
// data (a condition or drug class code); CheckSettingCatalog proves at start-up that each is
// declared, and an undeclared one would stop rather than pass (fail safe).
std::optional<Severity> LevelSeverity(const SiteSettings& settings, std::string_view key) {
  long level = std::lround(settings.Find(key).value_or(3));
  switch (level) {
    case 1:
      return Severity::kWarning;
    case 2:
      return Severity::kOverrideRequired;
    case 3:
      return Severity::kHardStop;
    default:
      return std::nullopt;
  }
}

class Findings {
 public:
  explicit Findings(const SiteSettings& settings) : settings_(settings) {}

  // Adds a finding whose severity comes from the RuleLevel setting `level_key`; the finding names
  // `setting_key` (the threshold, when there is one) or else the level key.
  void AddLevelled(std::string rule_id, std::string_view level_key, std::string message,
                   std::string_view setting_key = {}) {
    auto severity = LevelSeverity(settings_, level_key);
    if (!severity) return;
    Add({std::move(rule_id), *severity, std::move(message), Citation(level_key),
         std::string(setting_key.empty() ? level_key : setting_key)});
  }

  void AddMissing(std::string rule_id, std::string message, std::string citation,
                  std::string setting_key = {}) {
    Add({std::move(rule_id), Severity::kMissingData, std::move(message), std::move(citation),
         std::move(setting_key)});
  }

  void Add(Finding f) {
    for (const auto& existing : list_) {
      if (existing.rule_id == f.rule_id && existing.message == f.message) return;
    }
    list_.push_back(std::move(f));
  }

  std::vector<Finding> Take() {
    std::stable_sort(list_.begin(), list_.end(), [](const Finding& a, const Finding& b) {
      return static_cast<int>(a.severity) < static_cast<int>(b.severity);
    });
    return std::move(list_);
  }

 private:
  const SiteSettings& settings_;
  std::vector<Finding> list_;
};

std::string_view ConditionLabel(Condition c) {
  switch (c) {
    case Condition::kKetamineHypersensitivity:
      return "Hypersensitivity to ketamine";
    case Condition::kAneurysmalVascularDisease:
      return "Aneurysmal vascular disease";
    case Condition::kAvm:
      return "Arteriovenous malformation";
    case Condition::kIntracerebralHaemorrhageHistory:
      return "History of intracerebral haemorrhage";
    case Condition::kRecentStroke:
      return "Recent stroke";
    case Condition::kPreEclampsia:
      return "Pre-eclampsia";
    case Condition::kUntreatedHyperthyroidism:
      return "Untreated hyperthyroidism";
    case Condition::kIschaemicHeartDisease:
      return "Ischaemic heart disease: needs medical clearance";
    case Condition::kRecentMi:
      return "Recent myocardial infarction: needs medical clearance";
    case Condition::kUnstableAngina:
      return "Unstable angina: needs medical clearance";
    case Condition::kDecompensatedHeartFailure:
      return "Decompensated heart failure: needs medical clearance";
    case Condition::kUnstableArrhythmia:
      return "Unstable arrhythmia: needs medical clearance";
    case Condition::kPsychosisHistory:
      return "Current or past psychosis (most programs exclude)";
    case Condition::kSchizophrenia:
      return "Schizophrenia (most programs exclude)";
    case Condition::kSubstanceUseDisorder:
      return "Active substance use disorder";
    case Condition::kKetamineOrPcpMisuse:
      return "Ketamine or PCP misuse";
    case Condition::kRaisedIcp:
      return "Raised intracranial pressure";
    case Condition::kRaisedIop:
      return "Raised intraocular pressure";
    case Condition::kIntracranialMass:
      return "Intracranial mass";
    case Condition::kOpenGlobe:
      return "Open globe injury";
    case Condition::kSevereHepaticImpairment:
      return "Severe hepatic impairment (Child-Pugh C)";
  }
  return "Condition";
}

std::string_view ClassEffect(DrugClass c) {
  switch (c) {
    case DrugClass::kLamotrigine:
      return "possible attenuation of the ketamine response (evidence weak and mixed)";
    case DrugClass::kOpioid:
    case DrugClass::kSedativeHypnotic:
    case DrugClass::kGabapentinoid:
      return "additive sedation and respiratory depression";
    case DrugClass::kPsychostimulant:
    case DrugClass::kSympathomimetic:
      return "additive blood-pressure rise";
    case DrugClass::kMaoi:
      return "additive blood-pressure rise; check the site's MAOI washout";
    case DrugClass::kTheophylline:
      return "lowered seizure threshold";
    case DrugClass::kNaltrexone:
      return "possible attenuation of the antidepressant effect (mixed data)";
    case DrugClass::kCyp3a4Inhibitor:
    case DrugClass::kCyp2b6Inhibitor:
      return "CYP inhibition may raise ketamine exposure";
    case DrugClass::kCyp3a4Inducer:
    case DrugClass::kCyp2b6Inducer:
      return "CYP induction may lower ketamine exposure";
    case DrugClass::kBenzodiazepine:
      return "may blunt the ketamine response";
    case DrugClass::kMoodStabiliser:
      return "";
  }
  return "";
}

bool Has(const std::vector<Condition>& conditions, Condition c) {
  return std::find(conditions.begin(), conditions.end(), c) != conditions.end();
}

bool Done(const Intake& intake, ChecklistItem item) {
  return std::find(intake.checklist_done.begin(), intake.checklist_done.end(), item) !=
         intake.checklist_done.end();
}

bool CurrentlyUses(const Intake& intake, Substance s) {
  return std::any_of(intake.substance_use.begin(), intake.substance_use.end(),
                     [s](const SubstanceUse& u) { return u.substance == s && u.current; });
}

std::string Plural(int n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

// --- Rules --------------------------------------------------------------------------------------

// The conditions that apply, including those implied by diagnoses and substance use.
std::vector<Condition> EffectiveConditions(const Intake& intake) {
  std::vector<Condition> out;
  for (Condition c : intake.conditions) {
    if (!Has(out, c)) out.push_back(c);
  }
  for (const auto& d : intake.diagnoses) {
    if (d.code == Diagnosis::kSchizophrenia && !Has(out, Condition::kSchizophrenia)) {
      out.push_back(Condition::kSchizophrenia);
    }
    if (d.code == Diagnosis::kSchizoaffective && !Has(out, Condition::kPsychosisHistory)) {
      out.push_back(Condition::kPsychosisHistory);
    }
  }
  if ((CurrentlyUses(intake, Substance::kKetamine) || CurrentlyUses(intake, Substance::kPcp)) &&
      !Has(out, Condition::kKetamineOrPcpMisuse)) {
    out.push_back(Condition::kKetamineOrPcpMisuse);
  }
  return out;
}

void ContraindicationRules(const Intake& intake, Findings& findings) {
  for (Condition c : EffectiveConditions(intake)) {
    std::string key = ContraindicationSettingKey(c);
    findings.AddLevelled("contraindication." + std::string(ConditionCode(c)), key,
                         std::string(ConditionLabel(c)) + ".");
  }
  if (intake.pregnancy == PregnancyStatus::kPregnant) {
    findings.AddLevelled("contraindication.pregnancy", kPregnancyLevel,
                         "Pregnant: ketamine is not recommended in pregnancy.");
  }
  if (intake.breastfeeding) {
    findings.AddLevelled("contraindication.breastfeeding", kBreastfeedingLevel,
                         "Breastfeeding: ketamine is not recommended while breastfeeding.");
  }
  bool may_be_pregnant = intake.sex != Sex::kMale;
  if (may_be_pregnant && intake.pregnancy == PregnancyStatus::kUnknown) {
    findings.AddMissing("missing.pregnancy_status",
                        "Pregnancy status is unknown: record it (pregnancy is a contraindication).",
                        Citation(kPregnancyLevel), std::string(kPregnancyLevel));
  }
}

void BloodPressureRule(const Intake& intake, const SiteSettings& settings, Findings& findings) {
  const auto& v = intake.vitals;
  if (!v.systolic || !v.diastolic) {
    findings.AddMissing("missing.resting_bp",
                        "Resting blood pressure is not recorded: it is needed to rule out "
                        "uncontrolled hypertension.",
                        Citation(kBpLevel), std::string(kBpLevel));
    return;
  }
  double max_sbp = settings.Get(kBpMaxSystolic);
  double max_dbp = settings.Get(kBpMaxDiastolic);
  bool sbp_high = v.systolic->value() > max_sbp;
  bool dbp_high = v.diastolic->value() > max_dbp;
  if (!sbp_high && !dbp_high) return;
  // Rule: resting BP above max_sbp/max_dbp is uncontrolled hypertension (Swiss label).
  findings.AddLevelled("bp.uncontrolled", kBpLevel,
                       "Resting BP " + Format(v.systolic->value()) + "/" +
                           Format(v.diastolic->value()) + " mmHg is above " + Format(max_sbp) +
                           "/" + Format(max_dbp) + ": defer, treat and re-screen.",
                       sbp_high ? kBpMaxSystolic : kBpMaxDiastolic);
}

void OtherVitalsAndDemographics(const Intake& intake, const SiteSettings& settings,
                                Findings& findings) {
  const auto& v = intake.vitals;
  // Rule: weight and height outside what the dose calculation accepts (dosing.h's input bounds)
  // are a typo, not a patient: a hard stop here, so that planning can never refuse a dose for a
  // figure a clean screening let through.
  if (v.weight &&
      !(v.weight->value() >= dosing::kMinWeightKg && v.weight->value() <= dosing::kMaxWeightKg)) {
    findings.Add({"plausibility.weight", Severity::kHardStop,
                  "Weight " + Format(v.weight->value()) + " kg is outside the " +
                      Format(dosing::kMinWeightKg) + "-" + Format(dosing::kMaxWeightKg) +
                      " kg the dose calculation accepts: correct the weight and screen again.",
                  std::string(kDosingBoundsCitation), ""});
  }
  if (v.height &&
      !(v.height->value() >= dosing::kMinHeightCm && v.height->value() <= dosing::kMaxHeightCm)) {
    findings.Add({"plausibility.height", Severity::kHardStop,
                  "Height " + Format(v.height->value()) + " cm is outside the " +
                      Format(dosing::kMinHeightCm) + "-" + Format(dosing::kMaxHeightCm) +
                      " cm the dose calculation accepts: correct the height and screen again.",
                  std::string(kDosingBoundsCitation), ""});
  }
  // Rule: under the site's minimum age (adults only by default).
  if (auto age = AgeYears(intake)) {
    const double min_age = settings.Get(kMinAgeYears);
    if (*age < min_age) {
      findings.AddLevelled("age.below_minimum", kAgeLevel,
                           "Age " + std::to_string(*age) + " is under the minimum of " +
                               Format(min_age) +
                               " years: the trials and labels behind these protocols are in "
                               "adults.",
                           kMinAgeYears);
    }
  }
  auto missing = [&](std::string_view what, std::string_view id) {
    findings.AddMissing("missing." + std::string(id),
                        std::string(what) + " is not recorded (baseline vitals).",
                        std::string(kChecklistCitation));
  };
  if (!v.heart_rate) missing("Resting heart rate", "heart_rate");
  if (!v.weight) missing("Weight", "weight");
  if (!v.height) missing("Height", "height");
  if (intake.sex != Sex::kFemale && intake.sex != Sex::kMale) {
    findings.AddMissing("missing.sex",
                        "Sex is not recorded as female or male: needed for ideal body weight "
                        "(Devine) and the pregnancy rules.",
                        std::string(kChecklistCitation));
  }
  if (!AgeYears(intake)) {
    findings.AddMissing("missing.age", "Age is not recorded.", std::string(kChecklistCitation));
  }
  if (intake.diagnoses.empty()) {
    findings.AddMissing("missing.diagnosis",
                        "No diagnosis is recorded: TRD applies to a depressive episode.",
                        std::string(kTrdCitation));
  }
}

TrdAssessment AssessTrd(const Intake& intake, const SiteSettings& settings, Findings& findings) {
  TrdAssessment trd;
  trd.required_trials = static_cast<int>(std::lround(settings.Get(kTrdMinFailedTrials)));
  trd.min_weeks = settings.Get(kTrdMinWeeks);
  bool current_only = settings.Get(kTrdCurrentEpisodeOnly) >= 0.5;
  bool count_intolerance = settings.Get(kTrdCountNotTolerated) >= 0.5;

  for (size_t i = 0; i < intake.trials.size(); ++i) {
    const auto& t = intake.trials[i];
    std::string field = "trials[" + std::to_string(i) + "]";
    TrialAssessment a;
    a.index = static_cast<int>(i);
    std::string name = t.drug.empty() ? std::string("unnamed drug") : t.drug;
    std::vector<std::string> why;

    a.failed = t.outcome == TrialOutcome::kNoResponse ||
               t.outcome == TrialOutcome::kPartialResponse ||
               (count_intolerance && t.outcome == TrialOutcome::kNotTolerated);
    if (!a.failed) {
      why.push_back(t.outcome == TrialOutcome::kResponse
                        ? "responded"
                        : "stopped for intolerance, not a failed trial");
    }

    bool adequate = true;
    if (!t.weeks) {
      adequate = false;
      why.push_back("duration unknown");
      findings.AddMissing("missing.trial_weeks",
                          name + " (" + field + "): trial duration in weeks is not recorded.",
                          std::string(kTrdCitation), std::string(kTrdMinWeeks));
    } else if (*t.weeks < trd.min_weeks) {
      adequate = false;
      why.push_back(Format(*t.weeks) + " weeks is under the " + Format(trd.min_weeks) +
                    "-week minimum");
    }

    std::string_view dose_key = MinAdequateDoseSettingKey(t.drug);
    if (dose_key.empty()) {
      // Unknown drug: adequacy by duration only, and the clinician is told so.
      findings.AddMissing(
          "missing.trial_min_dose",
          name + " (" + field + "): no minimum adequate dose on file; judged by duration only.",
          std::string(kTrdCitation));
      why.push_back("no minimum dose on file, judged by duration only");
    } else if (!t.daily_dose) {
      adequate = false;
      why.push_back("dose unknown");
      findings.AddMissing("missing.trial_dose",
                          name + " (" + field + "): the daily dose is not recorded.",
                          Citation(dose_key), std::string(dose_key));
    } else {
      // dose_key is only non-empty for a declared setting (MinAdequateDoseSettingKey).
      double min_dose = settings.Find(dose_key).value_or(0);
      if (t.daily_dose->value() < min_dose) {
        adequate = false;
        why.push_back(Format(t.daily_dose->value()) + " mg/day is under the " + Format(min_dose) +
                      " mg/day minimum");
      }
    }
    a.adequate = adequate;

    bool episode_ok = !current_only || t.in_current_episode;
    if (!episode_ok) why.push_back("not in the current episode");

    a.counted = a.adequate && a.failed && episode_ok;
    if (a.counted) {
      a.reason = name + ": adequate and failed, counted";
      ++trd.adequate_failed_trials;
    } else {
      a.reason = name + ": not counted";
    }
    for (size_t k = 0; k < why.size(); ++k) a.reason += (k == 0 ? " (" : "; ") + why[k];
    if (!why.empty()) a.reason += ")";
    trd.trials.push_back(std::move(a));
  }

  trd.meets_trd = trd.adequate_failed_trials >= trd.required_trials;
  trd.explanation = Plural(trd.adequate_failed_trials, "adequate failed trial") + " of " +
                    Plural(static_cast<int>(intake.trials.size()), "recorded trial") +
                    (trd.meets_trd ? ": meets" : ": does not meet") +
                    " the definition of treatment-resistant depression (at least " +
                    Plural(trd.required_trials, "adequate failed trial") + " of at least " +
                    Format(trd.min_weeks) + " weeks at an adequate dose" +
                    (current_only ? " in the current episode" : "") + ").";
  if (!trd.meets_trd) {
    findings.AddLevelled("trd.not_met", kTrdNotMetLevel, trd.explanation, kTrdMinFailedTrials);
  }
  return trd;
}

void BipolarRule(const Intake& intake, Findings& findings) {
  bool bipolar = std::any_of(intake.diagnoses.begin(), intake.diagnoses.end(), [](const auto& d) {
    return d.code == Diagnosis::kBipolarI || d.code == Diagnosis::kBipolarII;
  });
  if (!bipolar) return;
  bool stabilised =
      std::any_of(intake.medications.begin(), intake.medications.end(), [](const Medication& m) {
        auto classes = ClassesOf(m.name);
        return std::find(classes.begin(), classes.end(), DrugClass::kMoodStabiliser) !=
               classes.end();
      });
  if (stabilised) return;
  findings.AddLevelled("bipolar.no_mood_stabiliser", kBipolarNoMoodStabiliserLevel,
                       "Bipolar depression without a mood stabiliser: ketamine was studied as an "
                       "add-on to lithium or valproate; watch for a switch to mania.");
}

double InteractionRules(const Intake& intake, const SiteSettings& settings, Findings& findings) {
  double diazepam_eq = 0;
  std::vector<std::string> benzos;
  for (size_t i = 0; i < intake.medications.size(); ++i) {
    const auto& m = intake.medications[i];
    for (DrugClass c : ClassesOf(m.name)) {
      if (c == DrugClass::kMoodStabiliser) continue;
      if (c == DrugClass::kBenzodiazepine) {
        if (!m.daily_dose) {
          findings.AddMissing("missing.benzodiazepine_dose",
                              m.name + " (medications[" + std::to_string(i) +
                                  "]): daily dose not recorded, so the diazepam-equivalent load "
                                  "cannot be checked.",
                              Citation(kBenzoMaxDiazepamEq), std::string(kBenzoMaxDiazepamEq));
          continue;
        }
        if (auto eq = DiazepamEquivalentMgPerDay(m.name, *m.daily_dose)) {
          diazepam_eq += *eq;
          benzos.push_back(m.name);
        }
        continue;
      }
      findings.AddLevelled("interaction." + std::string(DrugClassCode(c)), InteractionSettingKey(c),
                           m.name + ": " + std::string(ClassEffect(c)) + ".");
    }
  }
  double limit = settings.Get(kBenzoMaxDiazepamEq);
  // Andrashko 2020: above ~8 mg/day diazepam-equivalent; "above" is strict.
  if (diazepam_eq > limit) {
    std::string names;
    for (const auto& n : benzos) names += (names.empty() ? "" : ", ") + n;
    findings.AddLevelled("interaction.benzodiazepine",
                         InteractionSettingKey(DrugClass::kBenzodiazepine),
                         "Benzodiazepines (" + names + ") total " + Format(diazepam_eq) +
                             " mg/day diazepam-equivalent, above " + Format(limit) +
                             ": may blunt the response; consider holding the dose before infusion.",
                         kBenzoMaxDiazepamEq);
  }
  if (CurrentlyUses(intake, Substance::kAlcohol)) {
    findings.AddLevelled("interaction.alcohol", kAlcoholLevel,
                         "Current alcohol use: additive sedation and respiratory depression.");
  }
  auto substance_class = [&](Substance s, DrugClass c, std::string_view what) {
    if (!CurrentlyUses(intake, s)) return;
    findings.AddLevelled("interaction." + std::string(DrugClassCode(c)), InteractionSettingKey(c),
                         "Current " + std::string(what) +
                             " use (substance history): " + std::string(ClassEffect(c)) + ".");
  };
  substance_class(Substance::kOpioids, DrugClass::kOpioid, "opioid");
  substance_class(Substance::kSedatives, DrugClass::kSedativeHypnotic, "sedative");
  substance_class(Substance::kStimulants, DrugClass::kPsychostimulant, "stimulant");
  return diazepam_eq;
}

void ChecklistRules(const Intake& intake, Findings& findings) {
  auto conditions = EffectiveConditions(intake);
  bool may_be_pregnant = intake.sex != Sex::kMale &&
                         intake.pregnancy != PregnancyStatus::kNotApplicable &&
                         intake.pregnancy != PregnancyStatus::kPregnant;
  bool substance_risk = Has(conditions, Condition::kSubstanceUseDisorder) ||
                        Has(conditions, Condition::kKetamineOrPcpMisuse) ||
                        std::any_of(intake.substance_use.begin(), intake.substance_use.end(),
                                    [](const SubstanceUse& u) {
                                      return u.current && u.substance != Substance::kAlcohol;
                                    });
  bool cardiac = Has(conditions, Condition::kIschaemicHeartDisease) ||
                 Has(conditions, Condition::kRecentMi) ||
                 Has(conditions, Condition::kUnstableAngina) ||
                 Has(conditions, Condition::kDecompensatedHeartFailure) ||
                 Has(conditions, Condition::kUnstableArrhythmia);
  for (ChecklistItem item : AllChecklistItems()) {
    if (Done(intake, item)) continue;
    std::string why;
    switch (item) {
      case ChecklistItem::kPregnancyTest:
        if (!may_be_pregnant) continue;
        why = " (she may be pregnant)";
        break;
      case ChecklistItem::kUrineToxicology:
        if (!substance_risk) continue;
        why = " (indicated by the substance history)";
        break;
      case ChecklistItem::kEcgLabs:
        if (!cardiac) continue;
        why = " (indicated by cardiac history)";
        break;
      default:
        break;
    }
    findings.AddMissing("checklist." + std::string(ChecklistItemCode(item)),
                        "Evaluation checklist: " + std::string(ChecklistItemCode(item)) +
                            " is not done" + why + ".",
                        std::string(kChecklistCitation));
  }
}

}  // namespace

std::string_view SeverityCode(Severity s) {
  switch (s) {
    case Severity::kHardStop:
      return "hard_stop";
    case Severity::kOverrideRequired:
      return "override_required";
    case Severity::kWarning:
      return "warning";
    case Severity::kMissingData:
      return "missing_data";
  }
  return "unknown";
}

std::optional<Severity> ParseSeverity(std::string_view code) {
  for (Severity s : {Severity::kHardStop, Severity::kOverrideRequired, Severity::kWarning,
                     Severity::kMissingData}) {
    if (SeverityCode(s) == code) return s;
  }
  return std::nullopt;
}

ScreeningResult Screen(const Intake& intake, const SiteSettings& settings) {
  Findings findings(settings);
  ScreeningResult result;
  ContraindicationRules(intake, findings);
  BloodPressureRule(intake, settings, findings);
  result.trd = AssessTrd(intake, settings, findings);
  BipolarRule(intake, findings);
  result.diazepam_equivalent_mg_per_day = InteractionRules(intake, settings, findings);
  OtherVitalsAndDemographics(intake, settings, findings);
  ChecklistRules(intake, findings);
  result.findings = findings.Take();
  result.rules_version = kRulesVersion;
  result.settings_version = settings.version();
  return result;
}

std::string_view DecisionCode(Decision d) { return Code(d); }

std::optional<Decision> ParseDecision(std::string_view code) { return ParseCode<Decision>(code); }

Status ValidateDecision(std::span<const Finding> findings, Decision decision,
                        std::string_view reason) {
  if (decision == Decision::kDecline) return Status::Ok();
  auto count = [&](Severity s) {
    return std::count_if(findings.begin(), findings.end(),
                         [s](const Finding& f) { return f.severity == s; });
  };
  if (auto hard = count(Severity::kHardStop); hard > 0) {
    return InvalidArgument("decision", "cannot " + std::string(DecisionCode(decision)) + ": " +
                                           Plural(static_cast<int>(hard), "hard stop") +
                                           " (a hard stop cannot be overridden; decline)");
  }
  bool blank = std::all_of(reason.begin(), reason.end(),
                           [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  if (decision == Decision::kOverride) {
    if (blank) return InvalidArgument("reason", "is required to override");
    return Status::Ok();
  }
  if (auto overrides = count(Severity::kOverrideRequired); overrides > 0) {
    return InvalidArgument("decision",
                           "cannot approve: " + Plural(static_cast<int>(overrides), "finding") +
                               " need a documented override with a reason");
  }
  return Status::Ok();
}

}  // namespace kclinic::domain::screening
