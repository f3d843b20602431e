// Shapes of the kclinic HTTP API (/api/v1), as the server sends them.

export type Role = "admin" | "prescriber" | "nurse" | "front_desk" | "patient";

export interface User {
  id: string;
  username: string;
  role: Role | string;
  patient_id: string | null;
  totp_enabled: boolean;
}

export interface Session {
  csrf_token: string;
  user: User;
}

export type Sex = "female" | "male" | "other" | "unknown";

export interface PersonRef {
  name: string;
  phone: string;
  relationship: string;
}

export interface Weight {
  id: string;
  date: string; // YYYY-MM-DD
  kg: number;
  recorded_at?: string;
  recorded_by?: string;
}

export interface Patient {
  id: string;
  version: number;
  name: { given: string; family: string };
  birth_date: string;
  sex: Sex | string;
  contact: { phone: string; email: string; address: string };
  height_cm: number | null;
  weights: Weight[]; // newest first
  allergies: string[];
  emergency_contact: PersonRef;
  escort: PersonRef;
  created_at: string;
  updated_at: string;
}

export interface PatientPage {
  items: Patient[];
  next_cursor: string | null;
}

export interface HistoryEntry {
  version: number;
  changed_at: string;
  changed_by: string;
  reason: string | null;
}

export interface TotpEnrollment {
  secret: string;
  otpauth_uri: string;
}

// Measurement-based care: rating scales, outcomes, questionnaires due, alerts.

export interface InstrumentOption {
  value: number;
  /** Absent for score-entry scales. */
  label?: string | null;
}

export interface InstrumentItem {
  number: number;
  /** Only for scales whose text may ship (PHQ-9, GAD-7, HAM-D17, BPRS); score-entry scales have none. */
  text?: string | null;
  min: number;
  max: number;
  options?: InstrumentOption[] | null;
  /** Counts towards the total (PHQ-9 item 10 does not). */
  scored?: boolean;
  /** Must be answered (PHQ-9 item 10 may be left blank). */
  required?: boolean;
  /** A suicidality item. */
  safety?: boolean;
}

export interface Instrument {
  id: string;
  title: string;
  rater: "self" | "clinician" | string;
  items: InstrumentItem[];
  name?: string;
  /** "item_text" or "score_entry" (CLINICAL.md §5: what the licence lets the software show). */
  licence?: string;
  /** Shown beside score-entry forms. */
  licence_note?: string | null;
  /** The stem ("Over the last 2 weeks, …"), for licensed-to-ship scales only. */
  instructions?: string | null;
  min_total?: number;
  max_total?: number;
  remission_max_total?: number | null;
}

export interface Assessment {
  id: string;
  instrument: string;
  administered_at: string;
  total: number | null;
  severity: string | null;
  flags: string[];
  prorated: boolean;
  items: (number | null)[];
  entered_by: string;
  source: string;
}

export interface AssessmentResult {
  assessment: Assessment;
  crisis?: { text: string } | null;
}

export interface CourseSession {
  id: string;
  at: string;
  status: string;
}

export interface Course {
  id: string;
  kind: string;
  phase: string;
  started_at: string;
  primary_clinician: string | null;
  sessions: CourseSession[];
}

export interface OutcomePoint {
  assessment_id: string;
  at: string;
  total: number;
  change: number | null;
  change_percent: number | null;
  response: boolean;
  remission: boolean;
  relapse: boolean;
}

export type OutcomeStatus = "no_baseline" | "not_responding" | "responder" | "remission" | "relapse";

export interface Outcome {
  instrument: string;
  baseline: { assessment_id: string; at: string; total: number } | null;
  response_threshold_percent: number;
  /** A total at or below this is remission. */
  remission_threshold: number | null;
  status: OutcomeStatus | string;
  time_to_first_response_days: number | null;
  points: OutcomePoint[];
}

export interface Outcomes {
  courses: Course[];
  assessments: Assessment[];
  outcomes: Outcome[];
}

export interface QuestionnaireDue {
  instrument: string;
  due_at: string;
  overdue: boolean;
  reminder: boolean;
}

export interface PatientRef {
  id: string;
  name: { given: string; family: string };
}

export interface OverdueQuestionnaire {
  patient: PatientRef;
  instrument: string;
  due_at: string;
  reminder: boolean;
}

export interface Alert {
  id: string;
  patient: PatientRef;
  kind: string;
  created_at: string;
  routed_to: string | null;
  escalated: boolean;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  action: string | null;
  assessment_id: string | null;
}

// Screening and infusion plans (docs/api.md "Screening and infusion plans").

export interface ScreeningVocabulary {
  diagnoses: string[];
  conditions: string[];
  checklist: string[];
  trial_outcomes: string[];
  pregnancy: string[];
}

export interface IntakeTrial {
  drug: string;
  daily_dose_mg?: number | null;
  weeks?: number | null;
  outcome: string;
  in_current_episode?: boolean;
}

export interface IntakeBody {
  sex?: string;
  age_years?: number | null;
  birth_date?: string;
  assessed_on?: string;
  diagnoses?: { code: string; current_episode?: string }[];
  trials?: IntakeTrial[];
  medications?: { name: string; daily_dose_mg?: number | null }[];
  conditions?: string[];
  vitals?: {
    systolic_mmhg?: number | null;
    diastolic_mmhg?: number | null;
    heart_rate_bpm?: number | null;
    weight_kg?: number | null;
    height_cm?: number | null;
  };
  pregnancy?: string;
  breastfeeding?: boolean;
  substance_use?: { substance: string; current?: boolean }[];
  checklist_done?: string[];
}

export interface Intake {
  id: string;
  version: number;
  created_at: string;
  created_by: string;
  body: IntakeBody;
}

export type Severity = "hard_stop" | "override_required" | "warning" | "missing_data";

export interface Finding {
  rule_id: string;
  severity: Severity | string;
  message: string;
  citation: string;
  setting: string | null;
}

export interface TrdTrial {
  index: number;
  adequate: boolean;
  failed: boolean;
  counted: boolean;
  reason: string;
}

export interface ScreeningResult {
  trd: {
    adequate_failed_trials: number;
    required_trials: number;
    min_weeks: number;
    meets_trd: boolean;
    explanation: string;
    trials: TrdTrial[];
  };
  findings: Finding[];
  diazepam_equivalent_mg_per_day: number;
  rules_version: number;
  settings_version: number;
}

export interface ScreeningDecision {
  id: string;
  intake_id: string;
  decision: "approve" | "decline" | "override" | string;
  reason: string;
  rules_version: number;
  settings_version: number;
  decided_at: string;
  decided_by: string;
  screening: ScreeningResult;
}

export interface DosePlan {
  dosing_weight_kg: number;
  dose_mg: number;
  volume_ml: number;
  rate_ml_per_h: number;
  rate_mg_per_min: number;
  bmi: number;
  ideal_body_weight_kg: number;
  adjusted_body_weight_kg: number;
  actual_weight_kg: number;
  bmi_prompt: boolean;
  basis: string;
  mg_per_kg: number;
  concentration_mg_per_ml: number;
  minutes: number;
  notes: string[];
  settings_used: string[];
  settings_version: number;
}

export interface PkCurve {
  minutes: number;
  planned: boolean;
  cmax_ng_per_ml: number;
  tmax_min: number;
  minutes_above_threshold: number;
  auc_ng_min_per_ml: number;
  plasma: number[];
  effect_site: number[];
  metabolite?: { name: string; values: number[] };
}

export interface PkPrediction {
  model: string;
  model_name: string;
  drug: string;
  population: string;
  citation: string;
  note: string;
  unit: string;
  threshold_ng_per_ml: number;
  times_min: number[];
  curves: PkCurve[];
}

export interface InfusionPlan {
  dose: DosePlan;
  weight_measured_on: string;
  decision: { id: string; decision: string };
  pk: PkPrediction | null;
  id?: string;
  created_at?: string;
  created_by?: string;
}

export interface InfusionPlanInput {
  mg_per_kg: number;
  basis: string;
  concentration_mg_per_ml: number;
  minutes: number;
  model: string;
}

export type TitrationAction = "step_up" | "step_down" | "lengthen" | "keep";

/** Tolerability events of the latest session that the titration query may name. */
export type ToleranceEvent = "severe_dissociation" | "bp_event" | "vomiting";

export interface TitrationSuggestion {
  action: TitrationAction | string;
  mg_per_kg: number;
  minutes: number;
  reason: string;
  improvement_percent: number | null;
  sessions_at_current_dose: number;
  settings_used: string[];
  settings_version: number;
}

export interface TitrationSession {
  at: string;
  mg_per_kg: number;
  minutes: number;
  phq9_before: number | null;
  phq9_after: number | null;
}

export interface Titration {
  suggestion: TitrationSuggestion;
  baseline_phq9: number | null;
  history: TitrationSession[];
}

export interface ScreeningOverview {
  intake: Intake | null;
  screening: ScreeningResult | null;
  decision: ScreeningDecision | null;
  decisions: ScreeningDecision[];
  plans: InfusionPlan[];
}
