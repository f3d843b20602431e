// Screening helpers: readable labels for the intake codes, severity order and wording, and which
// form control a server error path ("trials[2].weeks") names.

import type { PkModelCode } from "./types";

function fallback(code: string): string {
  const t = code.replace(/_/g, " ");
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}

function labeller(map: Record<string, string>): (code: string) => string {
  return (code) => map[code] ?? fallback(code);
}

export const diagnosisLabel = labeller({
  mdd: "Major depressive disorder",
  bipolar_i: "Bipolar I disorder",
  bipolar_ii: "Bipolar II disorder",
  persistent_depressive_disorder: "Persistent depressive disorder",
  schizoaffective: "Schizoaffective disorder",
  schizophrenia: "Schizophrenia",
  ptsd: "PTSD",
  gad: "Generalised anxiety disorder",
  ocd: "OCD",
  other: "Other",
});

export const EPISODES = ["depressive", "manic", "hypomanic", "mixed", "remission", "none"];
export const episodeLabel = labeller({
  depressive: "Depressive",
  manic: "Manic",
  hypomanic: "Hypomanic",
  mixed: "Mixed",
  remission: "In remission",
  none: "None / not applicable",
});

export const conditionLabel = labeller({
  ketamine_hypersensitivity: "Ketamine hypersensitivity",
  aneurysmal_vascular_disease: "Aneurysmal vascular disease",
  avm: "Arteriovenous malformation (AVM)",
  intracerebral_haemorrhage_history: "History of intracerebral haemorrhage",
  recent_stroke: "Recent stroke",
  pre_eclampsia: "Pre-eclampsia",
  untreated_hyperthyroidism: "Untreated hyperthyroidism",
  ischaemic_heart_disease: "Ischaemic heart disease",
  recent_mi: "Recent myocardial infarction",
  unstable_angina: "Unstable angina",
  decompensated_heart_failure: "Decompensated heart failure",
  unstable_arrhythmia: "Unstable arrhythmia",
  psychosis_history: "Current or past psychosis",
  schizophrenia: "Schizophrenia",
  substance_use_disorder: "Active substance use disorder",
  ketamine_or_pcp_misuse: "Ketamine or PCP misuse",
  raised_icp: "Raised intracranial pressure",
  raised_iop: "Raised intraocular pressure",
  intracranial_mass: "Intracranial mass",
  open_globe: "Open globe injury",
  severe_hepatic_impairment: "Severe hepatic impairment (Child–Pugh C)",
});

export const checklistLabel = labeller({
  psychiatric_evaluation: "Psychiatric evaluation and diagnosis",
  history_and_physical: "History and physical, incl. substance use",
  medication_reconciliation: "Medication and allergy reconciliation",
  informed_consent: "Informed consent for off-label use",
  baseline_vitals: "Baseline BP, HR, weight, height",
  pregnancy_test: "Pregnancy test where applicable",
  urine_toxicology: "Urine toxicology when indicated",
  ecg_labs: "ECG / labs by judgement",
  baseline_rating_scales: "Baseline rating scales",
});

export const outcomeLabel = labeller({
  no_response: "No response",
  partial_response: "Partial response",
  response: "Response",
  not_tolerated: "Not tolerated",
});

export const pregnancyLabel = labeller({
  pregnant: "Pregnant",
  not_pregnant: "Not pregnant",
  unknown: "Unknown",
  not_applicable: "Not applicable",
});

export const SUBSTANCES = ["alcohol", "cannabis", "opioids", "stimulants", "ketamine", "pcp", "sedatives", "other"];
export const substanceLabel = labeller({
  alcohol: "Alcohol",
  cannabis: "Cannabis",
  opioids: "Opioids",
  stimulants: "Stimulants",
  ketamine: "Ketamine",
  pcp: "PCP",
  sedatives: "Sedatives / hypnotics",
  other: "Other",
});

export const SEVERITIES = ["hard_stop", "override_required", "warning", "missing_data"] as const;

/** Heading of each severity group: the words carry the meaning, the colour only repeats it. */
export const SEVERITY_LABELS: Record<string, string> = {
  hard_stop: "Hard stop",
  override_required: "Needs a documented override",
  warning: "Warning",
  missing_data: "Missing from the evaluation",
};

export const SEVERITY_HINTS: Record<string, string> = {
  hard_stop: "The candidate cannot be approved or overridden while this stands.",
  override_required: "Approval needs an override with the reason recorded.",
  warning: "For information; consider before the infusion.",
  missing_data: "Complete these steps of the pre-treatment evaluation.",
};

export const DECISION_LABELS: Record<string, string> = {
  approve: "Approved",
  decline: "Declined",
  override: "Approved with override",
};

export const MODELS: { code: PkModelCode; label: string }[] = [
  { code: "clements", label: "Clements 250 (adults, racemic)" },
  { code: "domino", label: "Domino (adults, racemic)" },
  { code: "hijazi", label: "Hijazi" },
  { code: "herd", label: "Herd (children)" },
  { code: "fanta-otto", label: "Fanta / Otto (S-ketamine → S-norketamine)" },
];

export type ScreeningState = "no_intake" | "awaiting" | "approve" | "override" | "decline";

export const STATE_LABELS: Record<ScreeningState, string> = {
  no_intake: "No intake",
  awaiting: "Screened, awaiting decision",
  approve: "Approved",
  override: "Approved with override",
  decline: "Declined",
};

/** A server error path split into parts: "trials[2].weeks" → ["trials", 2, "weeks"]. */
export function parsePath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split(".")) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const i of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
  }
  return out;
}
