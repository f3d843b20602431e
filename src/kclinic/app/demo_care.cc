// The demo clinic's treatment data: courses with given and planned sessions, PHQ-9 and GAD-7
// series with realistic responders, remitters, non-responders and relapses, a few safety alerts,
// and screening intakes with decisions. Synthetic, seeded: every demo clinic looks the same.
#include <algorithm>
#include <cmath>
#include <random>

#include "kclinic/app/demo_care.h"
#include "kclinic/base/crypto.h"
#include "kclinic/codec/dosing_json.h"
#include "kclinic/codec/enum_json.h"
#include "kclinic/codec/intake_json.h"
#include "kclinic/codec/scale_json.h"
#include "kclinic/domain/dosing/dosing.h"
#include "kclinic/domain/scales/scoring.h"
#include "kclinic/domain/screening/screening.h"

namespace kclinic::app {

using namespace std::chrono;
namespace scales = domain::scales;

namespace {

// Item scores for `instrument` adding up to `total`, spread over the scored items; the safety
// item (PHQ-9 item 9) is `safety` and the rest is spread over the others.
std::vector<std::optional<int>> ItemsFor(const scales::Instrument& instrument, int total,
                                         int safety, std::mt19937& rng) {
  std::vector<std::optional<int>> items;
  std::vector<size_t> open;
  for (const auto& item : instrument.items) {
    if (!item.scored) continue;  // PHQ-9 item 10 (difficulty) is left unanswered
    items.push_back(item.safety ? safety : 0);
    if (!item.safety) open.push_back(items.size() - 1);
  }
  int rest = std::max(0, total - safety);
  while (rest > 0 && !open.empty()) {
    size_t k = std::uniform_int_distribution<size_t>(0, open.size() - 1)(rng);
    size_t idx = open[k];
    if (*items[idx] < instrument.items[idx].max_value) {
      ++*items[idx];
      --rest;
    } else {
      open.erase(open.begin() + static_cast<long>(k));
    }
  }
  return items;
}

const char* const kIntakeTemplate = R"({
  "sex": "female", "age_years": 41,
  "diagnoses": [{"code": "mdd", "current_episode": "depressive"}],
  "trials": [
    {"drug": "sertraline", "daily_dose_mg": 150, "weeks": 8, "outcome": "no_response", "in_current_episode": true},
    {"drug": "escitalopram", "daily_dose_mg": 20, "weeks": 8, "outcome": "partial_response", "in_current_episode": true},
    {"drug": "venlafaxine", "daily_dose_mg": 225, "weeks": 10, "outcome": "no_response", "in_current_episode": true}
  ],
  "medications": [{"name": "bupropion", "daily_dose_mg": 300}],
  "conditions": [],
  "vitals": {"systolic_mmhg": 124, "diastolic_mmhg": 78, "heart_rate_bpm": 70},
  "pregnancy": "not_pregnant", "breastfeeding": false, "substance_use": [],
  "checklist_done": ["psychiatric_evaluation", "history_and_physical", "medication_reconciliation",
                     "informed_consent", "baseline_vitals", "pregnancy_test", "urine_toxicology",
                     "ecg_labs", "baseline_rating_scales"]
})";

}  // namespace

Status SeedDemoCare(const Env& env, domain::Transaction& tx,
                    const std::vector<domain::Patient>& patients, Timestamp now) {
  std::mt19937 rng(20261122);
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  const auto* phq9 = scales::FindInstrument("phq9");
  const auto* gad7 = scales::FindInstrument("gad7");
  const scales::ScoringOptions scoring;
  const domain::SiteSettings defaults;
  // About one patient in five is in treatment; at least four so small demos show every kind.
  const size_t in_treatment = std::min(patients.size(), std::max<size_t>(4, patients.size() / 5));
  const char* const clinicians[] = {"dr.reyes", "dr.tanaka"};
  int alerts_made = 0;
  std::vector<Timestamp> course_starts;  // per patient in treatment

  auto add_assessment = [&](const domain::Patient& p, const scales::Instrument& inst, int total,
                            int safety, Timestamp at, const char* by) -> Status {
    auto items = ItemsFor(inst, total, safety, rng);
    KC_ASSIGN_OR_RETURN(auto score, scales::Score(inst, items, scoring));
    domain::AssessmentRecord a;
    a.id = NewId();
    a.patient_id = p.id;
    a.instrument = std::string(inst.id);
    a.administered_at = at;
    a.items = score.items;
    if (score.total) a.total = *score.total;
    if (score.severity) a.severity = std::string(scales::SeverityName(*score.severity));
    for (auto f : score.flags) a.flags.emplace_back(scales::FlagName(f));
    a.source = std::string(by) == "portal" ? "portal" : "clinic";
    a.entered_by = std::string(by) == "portal" ? "ana.silva" : by;
    a.entered_at = at;
    return tx.care().InsertAssessment(a);
  };

  for (size_t i = 0; i < in_treatment; ++i) {
    const domain::Patient& p = patients[i];
    const bool ana = i == 0;
    // Ana (the portal login) is seven weeks in, in maintenance, with a booster in two days.
    const int days_in = ana ? 49 : static_cast<int>(uniform(4, 150));
    const Timestamp start = floor<days>(now) - days(days_in) + hours(9);
    domain::Course c{
        NewId(),
        p.id,
        "iv_ketamine",
        days_in > 21 ? domain::CoursePhase::kMaintenance : domain::CoursePhase::kInduction,
        clinicians[i % 2],
        start,
        now,
        "demo"};
    KC_RETURN_IF_ERROR(tx.care().InsertCourse(c));
    course_starts.push_back(start);
    // Induction: six infusions on a Mon/Wed/Fri-like rhythm over 12 days (Murrough 2013).
    std::vector<int> offsets = {0, 2, 4, 7, 9, 11};
    // Maintenance boosters every 3-4 weeks after the series.
    for (int d = 11 + 21; d < days_in + 30; d += static_cast<int>(uniform(21, 29))) {
      offsets.push_back(d);
    }
    if (ana) offsets.push_back(days_in + 2);
    const double baseline_phq = ana ? 19 : std::round(uniform(14, 25));
    const double baseline_gad = ana ? 14 : std::round(uniform(8, 18));
    // Kind of course: 0 remitter, 1 responder, 2 responder who relapses, 3 non-responder.
    const int kind = ana ? 1 : static_cast<int>(uniform(0, 4));
    const double floor_fraction = kind == 0 ? 0.15 : kind == 3 ? 0.8 : 0.4;
    auto phq_at = [&](double day) {
      double f = floor_fraction + (1 - floor_fraction) * std::exp(-day / 6.0);
      if (kind == 2 && day > 40) f = std::min(1.0, f + (day - 40) * 0.02);
      return static_cast<int>(
          std::clamp(std::round(baseline_phq * f + uniform(-1.5, 1.5)), 0.0, 27.0));
    };
    auto gad_at = [&](double day) {
      double f = floor_fraction + (1 - floor_fraction) * std::exp(-day / 8.0);
      return static_cast<int>(
          std::clamp(std::round(baseline_gad * f + uniform(-1.5, 1.5)), 0.0, 21.0));
    };
    const char* by = ana ? "portal" : "nurse.okafor";
    // Baseline: two days before the first infusion.
    KC_RETURN_IF_ERROR(add_assessment(p, *phq9, static_cast<int>(baseline_phq), 0, start - days(2),
                                      "nurse.okafor"));
    KC_RETURN_IF_ERROR(add_assessment(p, *gad7, static_cast<int>(baseline_gad), 0, start - days(2),
                                      "nurse.okafor"));
    for (int off : offsets) {
      const Timestamp at = start + days(off);
      const bool past = at < now;
      domain::CourseSession s{
          NewId(),
          c.id,
          at,
          past ? domain::CourseSessionStatus::kGiven : domain::CourseSessionStatus::kPlanned,
          now,
          "demo"};
      KC_RETURN_IF_ERROR(tx.care().InsertSession(s));
      // The questionnaires answered the morning of each past session (not the first: baseline).
      if (past && off > 0) {
        const Timestamp before = at - hours(2);
        KC_RETURN_IF_ERROR(add_assessment(p, *phq9, phq_at(off), 0, before, by));
        KC_RETURN_IF_ERROR(add_assessment(p, *gad7, gad_at(off), 0, before, by));
      }
    }
    // Weekly questionnaires between maintenance boosters.
    for (int d = 18; d < days_in - 1 && c.phase == domain::CoursePhase::kMaintenance; d += 7) {
      if (std::find(offsets.begin(), offsets.end(), d) != offsets.end()) continue;
      KC_RETURN_IF_ERROR(add_assessment(p, *phq9, phq_at(d), 0, start + days(d), by));
      KC_RETURN_IF_ERROR(add_assessment(p, *gad7, gad_at(d), 0, start + days(d), by));
    }
    // Two safety alerts in the clinic: one open, one acknowledged (never Ana's).
    if (!ana && alerts_made < 2 && kind != 0) {
      const Timestamp at = now - hours(3 + 20 * alerts_made);
      auto items = ItemsFor(*phq9, phq_at(days_in), 1, rng);
      KC_ASSIGN_OR_RETURN(auto score, scales::Score(*phq9, items, scoring));
      domain::AssessmentRecord a;
      a.id = NewId();
      a.patient_id = p.id;
      a.instrument = "phq9";
      a.administered_at = at;
      a.items = score.items;
      a.total = *score.total;
      if (score.severity) a.severity = std::string(scales::SeverityName(*score.severity));
      for (auto f : score.flags) a.flags.emplace_back(scales::FlagName(f));
      a.source = "clinic";
      a.entered_by = "nurse.okafor";
      a.entered_at = at;
      KC_RETURN_IF_ERROR(tx.care().InsertAssessment(a));
      domain::Alert alert{
          NewId(), p.id,         a.id,         "suicidal_ideation", c.primary_clinician,
          at,      std::nullopt, std::nullopt, std::nullopt};
      KC_RETURN_IF_ERROR(tx.care().InsertAlert(alert));
      if (alerts_made == 1) {
        KC_RETURN_IF_ERROR(tx.care().AcknowledgeAlert(
            alert.id, at + minutes(25), c.primary_clinician,
            "Called the patient: passive thoughts, no plan or intent; safety plan reviewed"));
      }
      ++alerts_made;
    }
  }

  // Screening: everyone in treatment was approved on an intake; three candidates wait.
  KC_ASSIGN_OR_RETURN(auto intake, codec::IntakeFromText(kIntakeTemplate));
  const size_t candidates = std::min(patients.size(), in_treatment + 3);
  for (size_t i = 0; i < candidates; ++i) {
    const domain::Patient& p = patients[i];
    domain::screening::Intake mine = intake;
    mine.sex = p.fields.sex;
    mine.vitals.height = p.fields.height_cm;
    if (!p.weights.empty()) mine.vitals.weight = p.weights.front().kg;
    if (i == in_treatment + 1) {
      // Uncontrolled hypertension: a hard stop until treated and re-screened.
      mine.vitals.systolic = MmHg(186);
      mine.vitals.diastolic = MmHg(104);
    }
    if (i == in_treatment + 2) mine.checklist_done.clear();  // evaluation not yet done
    domain::IntakeRecord record{NewId(),
                                p.id,
                                1,
                                codec::IntakeToJson(mine).dump(),
                                now - days(i < in_treatment ? 160 : 2),
                                "dr.reyes"};
    KC_RETURN_IF_ERROR(tx.screening().InsertIntake(record));
    if (i >= in_treatment) continue;
    auto result = domain::screening::Screen(mine, defaults);
    domain::ScreeningDecisionRecord d{NewId(),
                                      p.id,
                                      record.id,
                                      domain::ScreeningDecision::kApprove,
                                      "TRD after three adequate trials; no contraindication",
                                      std::to_string(result.rules_version),
                                      result.settings_version,
                                      codec::ScreeningResultToJson(result).dump(),
                                      record.created_at + hours(1),
                                      "dr.reyes"};
    KC_RETURN_IF_ERROR(tx.screening().InsertDecision(d));
    // The first infusion's plan: 0.5 mg/kg over 40 min on actual weight (CLINICAL.md §2), saved
    // the day before the course began so titration has a history to learn from.
    domain::dosing::DoseRequest request;
    request.weight = p.weights.front().kg;
    request.height = *p.fields.height_cm;
    request.sex = p.fields.sex;
    request.mg_per_kg = MgPerKg(0.5);
    request.concentration = MgPerMl(10);
    request.minutes = Minutes(40);
    KC_ASSIGN_OR_RETURN(auto dose, domain::dosing::PlanDose(request, defaults));
    const Timestamp planned_at = course_starts[i] - days(1);
    domain::InfusionPlanRecord plan{NewId(),
                                    p.id,
                                    d.id,
                                    "",
                                    dose.settings_version,
                                    planned_at,
                                    "dr.reyes",
                                    domain::dosing::PlannedDoseOf(dose)};
    nlohmann::ordered_json body = {
        {"dose", codec::DosePlanToJson(dose)},
        {"weight_measured_on", FormatDate(p.weights.front().measured_on)},
        {"decision", {{"id", d.id}, {"decision", d.decision}}},
        {"pk", nullptr},  // the plan screen predicts curves afresh
        {"id", plan.id},
        {"created_at", FormatTimestamp(planned_at)},
        {"created_by", plan.created_by}};
    plan.body = body.dump();
    KC_RETURN_IF_ERROR(tx.screening().InsertPlan(plan));
  }
  (void)env;
  return Status::Ok();
}

}  // namespace kclinic::app
