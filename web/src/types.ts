// Shapes of the kclinic HTTP API (/api/v1), as the server sends them.

import type { components } from "./api_types.gen";

export type Schemas = components["schemas"];

export type Role = Schemas["Role"];

/** An account as the API sends it (in the login answer and in Me). */
export type Account = Schemas["User"];
/** A permission code from domain/access.cc ("session.write", …). */
export type PermissionCode = Schemas["PermissionCode"];
/** GET /auth/me: the account, the CSRF token and the permissions of the account's role. */
export type Me = Schemas["Me"];
/** The logged-in person as the app holds them: the account and what its role may do. */
export type User = Account & { permissions: readonly PermissionCode[] };

export type Session = Schemas["LoginResponse"];

export type Sex = Schemas["Sex"];

export type PersonRef = Schemas["RelatedPerson"];

export type Weight = Schemas["Weight"];

export type Patient = Schemas["Patient"];

export type PatientPage = Schemas["PatientPage"];

export type HistoryEntry = Schemas["PatientVersion"];

export type TotpEnrollment = Schemas["TotpEnrollment"];

export type UserList = Schemas["UserList"];
export type UserListItem = Schemas["UserListItem"];
export type NewUser = Schemas["NewUser"];

// Measurement-based care: rating scales, outcomes, questionnaires due, alerts.

export type InstrumentOption = InstrumentItem["options"][number];

export type InstrumentItem = Schemas["InstrumentItem"];

export type Instrument = Schemas["Instrument"];

export type Assessment = Schemas["Assessment"];

export type AssessmentResult = Schemas["AssessmentRecorded"];

export type CourseSession = Schemas["CourseSession"];

export type Course = Schemas["Course"];

export type OutcomePoint = Schemas["OutcomePoint"];

export type OutcomeStatus = Outcome["status"];

export type Outcome = Schemas["InstrumentOutcome"];

export type Outcomes = Schemas["Outcomes"];

export type QuestionnaireDue = Schemas["DueQuestionnaire"];

export type PatientRef = Schemas["PatientRef"];

export type OverdueQuestionnaire = Schemas["OverdueQuestionnaire"];

export type Alert = Schemas["Alert"];

// Screening and infusion plans (docs/api.md "Screening and infusion plans").

export type ScreeningVocabulary = Schemas["ScreeningVocabulary"];

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

export type Intake = Schemas["Intake"];

export type Severity = Schemas["Finding"]["severity"];

export type Finding = Schemas["Finding"];

export type TrdTrial = Schemas["ScreeningResult"]["trd"]["trials"][number];

export type ScreeningResult = Schemas["ScreeningResult"];

export type ScreeningDecision = Schemas["ScreeningDecision"];

export type DosePlan = Schemas["DosePlan"];

export type PkCurve = Schemas["PkCurve"];

export type PkPrediction = NonNullable<Schemas["PkPrediction"]>;

export type InfusionPlan = Schemas["InfusionPlan"];

export type InfusionPlanInput = Schemas["InfusionPlanInput"];
/** The dosing weight a plan uses ("actual", "ideal", "adjusted"). */
export type DosingBasis = NonNullable<InfusionPlanInput["basis"]>;
/** A PK model's code ("clements", "domino", …). */
export type PkModelCode = NonNullable<InfusionPlanInput["model"]>;

export type TitrationAction = Schemas["TitrationSuggestion"]["action"];

/** Tolerability events of the latest session that the titration query may name. */
export type ToleranceEvent = "severe_dissociation" | "bp_event" | "vomiting";

export type TitrationSuggestion = Schemas["TitrationSuggestion"];

export type TitrationSession = Schemas["TitrationSession"];

export type Titration = Schemas["Titration"];

export type ScreeningOverview = Schemas["ScreeningOverview"];

/** GET /settings: every site setting with its value in force, default, range, unit and citation. */
export type SiteSettings = Schemas["Settings"];
export type SiteSetting = Schemas["Setting"];
