// Infusion sessions (issue 5): the shapes of /api/v1/infusion-sessions, /rems/pending and the
// ledger lots a nurse draws from, the calls, and the labels the session screens show.

import type { components } from "./api_types.gen";
import { apiRequest } from "./api";

type Schemas = components["schemas"];

export type SessionKind = "iv_ketamine" | "esketamine";

export type SessionSummary = Schemas["InfusionSessionSummary"];

export interface PrecheckItem {
  key: string;
  label: string;
  passed: boolean | null;
  detail: string | null;
}

export type Vital = Schemas["SessionVital"];

export type SessionAlert = Schemas["SessionAlert"];

export type SideEffect = Schemas["SessionSideEffect"];

/** One draw, administration or waste of the session's custody. */
export type LedgerEntry = Schemas["SessionCustodyEntry"];

export interface IvPlan {
  dose_mg: number;
  mg_per_kg: number;
  weight_kg: number;
  concentration_mg_per_ml: number;
  volume_ml: number;
  rate_ml_per_h: number;
  duration_min: number;
}

export interface EskPlan {
  planned_dose_mg: number;
  devices_planned: number;
}

export type RemsFields = Rems["fields"];

export type Rems = Schemas["RemsForm"];

export interface PendingRems {
  session_id: string;
  patient_id: string;
  patient_name: string;
  session_date: string;
  due_date: string;
  overdue: boolean;
  missing: string[];
}

export type InfusionSession = Schemas["InfusionSession"];

export interface Lot {
  id: string;
  product: string;
  strength_mg_per_ml: number;
  vial_volume_ml?: number;
  lot_number: string;
  expiry: string;
  balance_mg: number;
  balance_ml?: number;
  expired: boolean;
}

export interface VitalsInput {
  sbp?: number;
  dbp?: number;
  hr?: number;
  spo2?: number;
  rr?: number;
}

const S = (id: string) => `/infusion-sessions/${encodeURIComponent(id)}`;

export const sessionApi = {
  list: (date?: string) =>
    apiRequest<{ sessions: SessionSummary[] }>("GET", `/infusion-sessions${date ? `?date=${date}` : ""}`),
  create: (patientId: string, body: { kind: string; planned_dose_mg?: number; scheduled_at?: string }) =>
    apiRequest<InfusionSession>("POST", `/patients/${encodeURIComponent(patientId)}/infusion-sessions`, body),
  get: (id: string) => apiRequest<InfusionSession>("GET", S(id)),
  transition: (id: string, to: string, extra: { reason?: string; rate_ml_per_h?: number } = {}) =>
    apiRequest<InfusionSession>("POST", `${S(id)}/transitions`, { to, ...extra }),
  prechecks: (id: string, body: { escort_present: boolean; pregnancy_test: string }) =>
    apiRequest<InfusionSession>("PUT", `${S(id)}/prechecks`, body),
  override: (id: string, reason: string) => apiRequest<InfusionSession>("POST", `${S(id)}/override`, { reason }),
  rate: (id: string, rate_ml_per_h: number, reason?: string) =>
    apiRequest<InfusionSession>("POST", `${S(id)}/rate`, reason ? { rate_ml_per_h, reason } : { rate_ml_per_h }),
  vitals: (id: string, body: VitalsInput) =>
    apiRequest<{ vital: Vital; alerts: SessionAlert[] }>("POST", `${S(id)}/vitals`, body),
  alertAction: (id: string, alertId: string, action_taken: string) =>
    apiRequest<SessionAlert>("POST", `${S(id)}/alerts/${encodeURIComponent(alertId)}/action`, { action_taken }),
  sideEffect: (id: string, body: { effect: string; severity: string; action: string; note?: string }) =>
    apiRequest<SideEffect>("POST", `${S(id)}/side-effects`, body),
  score: (id: string, instrument: string, items: (number | null)[]) =>
    apiRequest<{ instrument: string; total: number | null }>("POST", `${S(id)}/scores`, { instrument, items }),
  draw: (id: string, lot_id: string, amount_mg: number, reason?: string) =>
    apiRequest<LedgerEntry>("POST", `${S(id)}/draws`, reason ? { lot_id, amount_mg, reason } : { lot_id, amount_mg }),
  // witness_code: the witness's one-time code, when she has a second factor ("" otherwise).
  waste: (id: string, amount_mg: number, witness_username: string, witness_password: string, witness_code = "") =>
    apiRequest<LedgerEntry>("POST", `${S(id)}/waste`, {
      amount_mg,
      witness_username,
      witness_password,
      ...(witness_code ? { witness_code } : {}),
    }),
  device: (id: string, mg = 28) => apiRequest<InfusionSession>("POST", `${S(id)}/devices`, { mg }),
  discharge: (id: string, items: Record<string, boolean>) =>
    apiRequest<InfusionSession>("PUT", `${S(id)}/discharge`, items),
  sign: (id: string) => apiRequest<InfusionSession>("POST", `${S(id)}/sign`, {}),
  addendum: (id: string, text: string) => apiRequest<InfusionSession>("POST", `${S(id)}/addenda`, { text }),
  saveRems: (id: string, body: unknown) => apiRequest<Rems>("PUT", `${S(id)}/rems`, body),
  completeRems: (id: string) => apiRequest<Rems>("POST", `${S(id)}/rems/complete`, {}),
  pendingRems: () => apiRequest<{ forms: PendingRems[] }>("GET", "/rems/pending"),
  lots: () => apiRequest<{ lots: Lot[] }>("GET", "/ledger/lots"),
};

export function patientName(n: InfusionSession["patient"]["name"] | undefined): string {
  return n ?? "";
}

export const STATE_LABELS: Record<string, string> = {
  scheduled: "Scheduled",
  checked_in: "Checked in",
  prechecks_passed: "Pre-checks passed",
  running: "Running",
  paused: "Paused",
  stopped: "Stopped",
  recovery: "Recovery",
  dosing: "Dosing",
  monitoring: "Monitoring",
  discharged: "Discharged",
  signed: "Signed",
  cancelled: "Cancelled",
};

export function stateLabel(s: string): string {
  return STATE_LABELS[s] ?? s.replace(/_/g, " ");
}

export function kindLabel(k: string): string {
  return k === "esketamine" ? "Esketamine (Spravato)" : k === "iv_ketamine" ? "IV ketamine" : k;
}

/** The button for moving to a state, by the state the session is in. */
export function transitionLabel(to: string, from: string): string {
  switch (to) {
    case "checked_in":
      return "Check in";
    case "running":
      return from === "paused" ? "Resume" : "Start pump";
    case "paused":
      return "Pause";
    case "stopped":
      return "Stop infusion";
    case "recovery":
      return "Move to recovery";
    case "monitoring":
      return "Start monitoring";
    case "discharged":
      return "Discharge";
    case "cancelled":
      return "Cancel session";
    default:
      return stateLabel(to);
  }
}

export const SIDE_EFFECTS = [
  "dissociation",
  "nausea_vomiting",
  "dizziness",
  "headache",
  "confusion",
  "perceptual_change",
  "anxiety",
  "hypertension",
  "sedation",
  "respiratory_depression",
  "chest_pain",
  "neurological_signs",
  "severe_headache",
  "other",
];

export const DISCHARGE_ITEMS: { key: string; label: string; esketamineOnly?: boolean }[] = [
  { key: "alert_oriented", label: "Alert and oriented" },
  { key: "walks_safely", label: "Walks safely without help" },
  { key: "vitals_near_baseline", label: "Vital signs near baseline" },
  { key: "nausea_controlled", label: "Nausea controlled" },
  { key: "escort_present", label: "Escort present to take the patient home" },
  { key: "sedation_resolved", label: "Sedation resolved", esketamineOnly: true },
  { key: "dissociation_resolved", label: "Dissociation resolved", esketamineOnly: true },
  { key: "respiratory_depression_resolved", label: "Respiratory depression resolved", esketamineOnly: true },
];

export { clock, until } from "./session_timers";

/** A label for a REMS field path ("concomitant.opioids" → "Concomitant: opioids"). */
export function remsFieldLabel(f: string): string {
  const labels: Record<string, string> = {
    patient_name: "Patient name",
    birth_date: "Date of birth",
    first_treatment: "First treatment",
    concomitant: "Concomitant medicines",
    "concomitant.benzodiazepines": "Concomitant: benzodiazepines",
    "concomitant.sedative_hypnotics": "Concomitant: non-benzodiazepine sedative hypnotics",
    "concomitant.stimulants": "Concomitant: psychostimulants",
    "concomitant.maois": "Concomitant: MAOIs",
    "concomitant.opioids": "Concomitant: opioids",
    monitoring_clinician: "Monitoring clinician",
    "monitoring_clinician.name": "Monitoring clinician's name",
    "monitoring_clinician.phone": "Monitoring clinician's phone",
    setting: "Healthcare setting",
    session_date: "Session date",
    dose_mg: "Dose",
    lot_number: "Lot number",
    first_device_at: "First device",
    monitoring_end_at: "End of monitoring",
    total_monitoring_min: "Total monitoring time",
    ready_to_leave_at: "Time the patient would have been ready to leave",
    vitals_acceptable_before: "Vital signs acceptable before dosing",
    vitals_acceptable_end: "Vital signs acceptable at the end",
    bp_before: "BP before dosing",
    bp_40_min: "BP at 40 minutes",
    bp_end: "BP at the end",
    sedation_observed: "Sedation observed",
    dissociation_observed: "Dissociation observed",
    respiratory_depression_observed: "Respiratory depression observed",
  };
  return labels[f] ?? f.replace(/[._]/g, " ");
}
