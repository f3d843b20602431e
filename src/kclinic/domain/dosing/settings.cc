// The dosing and titration site settings, each with the source of its default (CLINICAL.md §2).
#include "kclinic/domain/dosing/dosing.h"

namespace kclinic::domain {

const SettingDefinition dosing::kMaxMgPerKg{
    "dosing.max_mg_per_kg",
    1.0,
    0.1,
    2.0,
    "mg/kg",
    "CLINICAL.md §2: site maximum default 1.0 mg/kg, the highest dose studied for depression "
    "(Fava 2020 RAPID: 0.1-1.0 mg/kg over 40 min)"};
const SettingDefinition dosing::kMaxDoseMg{
    "dosing.max_dose_mg",
    150,
    10,
    300,
    "mg",
    "[R] site choice, no consensus absolute cap: 1.0 mg/kg (the site maximum) at 150 kg"};
const SettingDefinition dosing::kMinMinutes{
    "dosing.min_minutes",
    40,
    10,
    240,
    "min",
    "CLINICAL.md §2: 0.5 mg/kg over 40 min (Murrough 2013; Singh 2016; Phillips 2019; Anand "
    "2023)"};
const SettingDefinition dosing::kMaxMinutes{
    "dosing.max_minutes",
    100,
    10,
    240,
    "min",
    "CLINICAL.md §2: some protocols run 0.5 mg/kg over 100 min"};
const SettingDefinition dosing::kBmiPromptThreshold{
    "dosing.bmi_prompt_threshold",
    30,
    25,
    60,
    "kg/m²",
    "Sanacora 2017 consensus: consider ideal body weight when BMI >= 30 [V, as quoted]"};
const SettingDefinition dosing::kAdjustedBwFactor{
    "dosing.adjusted_bw_factor",
    0.4,
    0.2,
    0.6,
    "fraction of weight above IBW",
    "CLINICAL.md §2: adjusted BW = IBW + 0.4 × (actual − IBW)"};
const SettingDefinition dosing::kPkThresholdNgPerMl{
    "dosing.pk_threshold_ng_per_ml",
    100,
    10,
    1000,
    "ng/mL",
    "Krystal 1994: dissociative effects at 100-250 ng/mL (PK.md §3); the plan's curve reports the "
    "minutes above it"};
const SettingDefinition dosing::kTitrationMinSessions{
    "dosing.titration.min_sessions",
    2,
    1,
    6,
    "infusions at the current dose",
    "CLINICAL.md §2 [R, practice]: judge the response after 2-3 infusions"};
const SettingDefinition dosing::kTitrationMinImprovementPercent{
    "dosing.titration.min_improvement_percent",
    25,
    0,
    100,
    "% PHQ-9 drop from baseline",
    "CLINICAL.md §2 [R, practice]: no meaningful improvement = < 25 % PHQ-9 drop"};
const SettingDefinition dosing::kTitrationStepUp{
    "dosing.titration.step_up_mg_per_kg",
    0.1,
    0.05,
    0.25,
    "mg/kg",
    "CLINICAL.md §2 [R, practice]: step up 0.1-0.25 mg/kg"};
const SettingDefinition dosing::kTitrationStepDown{
    "dosing.titration.step_down_mg_per_kg",
    0.1,
    0.05,
    0.25,
    "mg/kg",
    "CLINICAL.md §2 [R, practice]: intolerance -> step down (same step as up)"};
const SettingDefinition dosing::kTitrationMinMgPerKg{
    "dosing.titration.min_mg_per_kg",
    0.1,
    0.05,
    1.0,
    "mg/kg",
    "Fava 2020 (RAPID): 0.1 mg/kg, the lowest dose studied"};
const SettingDefinition dosing::kTitrationLengthenMinutes{
    "dosing.titration.lengthen_minutes",
    20,
    5,
    60,
    "min",
    "CLINICAL.md §2 [R, practice]: intolerance -> lengthen the infusion (40 -> 60 min as in "
    "ASKP3 practice, up to 100 min)"};
const SettingDefinition dosing::kTitrationPreferLengthen{
    "dosing.titration.prefer_lengthen",
    1,
    0,
    1,
    "1 lengthen first, 0 step down first",
    "CLINICAL.md §2 [R, practice]: step down or lengthen; lengthening lowers the peak "
    "concentration without lowering the dose"};

namespace {

const SettingDefinition* const kDosingDefinitions[] = {
    &dosing::kMaxMgPerKg,
    &dosing::kMaxDoseMg,
    &dosing::kMinMinutes,
    &dosing::kMaxMinutes,
    &dosing::kBmiPromptThreshold,
    &dosing::kAdjustedBwFactor,
    &dosing::kPkThresholdNgPerMl,
    &dosing::kTitrationMinSessions,
    &dosing::kTitrationMinImprovementPercent,
    &dosing::kTitrationStepUp,
    &dosing::kTitrationStepDown,
    &dosing::kTitrationMinMgPerKg,
    &dosing::kTitrationLengthenMinutes,
    &dosing::kTitrationPreferLengthen,
};

}  // namespace

std::span<const SettingDefinition* const> DosingSettingDefinitions() { return kDosingDefinitions; }

}  // namespace kclinic::domain
