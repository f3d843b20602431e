// Display helpers. Times come from the server in UTC and are shown in the browser's zone.

export const SEX_LABELS: Record<string, string> = {
  female: "Female",
  male: "Male",
  other: "Other",
  unknown: "Unknown",
};

export function sexLabel(sex: string): string {
  return SEX_LABELS[sex] ?? sex;
}

export function fullName(n: { given: string; family: string }): string {
  return `${n.given} ${n.family}`.trim();
}

/** "2026-11-21T10:00:00.000000Z" → local date and time, to the minute. */
export function dateTime(iso: string): string {
  // Date parses at most millisecond precision; the server sends microseconds.
  const d = new Date(iso.replace(/(\.\d{3})\d+/, "$1"));
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** Today's date in the browser's zone as YYYY-MM-DD (for date inputs). */
export function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** A measurement for display: at most two decimals, no binary-float noise (82.89999999999999 → 82.9). */
export function num(n: number): string {
  return String(Number(n.toFixed(2)));
}

export function orDash(s: string | null | undefined): string {
  return s && s.trim() ? s : "—";
}

/** Server messages are often predicates ("is required"); start them with a capital for display. */
export function sentence(message: string): string {
  return message ? message[0].toUpperCase() + message.slice(1) : message;
}

/**
 * A server error shown beside a control: "is required" becomes "Given name is required"; a
 * message that starts with the field's path has the path replaced by the label; a full sentence
 * is kept.
 */
export function fieldMessage(label: string, message: string, field?: string): string {
  if (field && message.startsWith(field + " ")) return `${label} ${message.slice(field.length + 1)}`;
  if (/^[a-z]/.test(message)) return `${label} ${message}`;
  return message;
}

/** Server time stamps carry microseconds; Date takes at most milliseconds. NaN when unparseable. */
export function parseTime(iso: string): number {
  return new Date(iso.replace(/(\.\d{3})\d+/, "$1")).getTime();
}

/** "2026-11-21T10:00:00.000000Z" → local date, e.g. "21 Nov 2026". */
export function dateOnly(iso: string): string {
  const t = parseTime(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** How long ago, coarsely: "just now", "25 min ago", "3 h ago", "2 days ago". */
export function age(iso: string, now = Date.now()): string {
  const t = parseTime(iso);
  if (Number.isNaN(t)) return iso;
  const min = Math.max(0, Math.floor((now - t) / 60_000));
  if (min < 1) return "just now";
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

const INSTRUMENT_NAMES: Record<string, string> = {
  phq9: "PHQ-9",
  gad7: "GAD-7",
  madrs: "MADRS",
  "qids-sr16": "QIDS-SR16",
  hamd17: "HAM-D17",
  "cssrs-screener": "C-SSRS screener",
  cadss: "CADSS",
  bprs: "BPRS",
};

/** Short display name of an instrument id ("phq9" → "PHQ-9"); unknown ids as they are. */
export function instrumentName(id: string): string {
  return INSTRUMENT_NAMES[id] ?? id;
}

/** "moderately_severe" → "Moderately severe". */
export function severityLabel(s: string | null | undefined): string {
  if (!s) return "—";
  const t = s.replace(/_/g, " ");
  return t[0].toUpperCase() + t.slice(1);
}

export const OUTCOME_STATUS_LABELS: Record<string, string> = {
  no_baseline: "No baseline",
  not_responding: "Not responding",
  responder: "Responder",
  remission: "In remission",
  relapse: "Relapse",
};

export const ALERT_KIND_LABELS: Record<string, string> = {
  suicidal_ideation: "Suicidal ideation",
  suicide_risk_moderate: "Suicide risk: moderate (C-SSRS)",
  suicide_risk_high: "Suicide risk: high (C-SSRS)",
  positive_symptoms: "New positive symptoms (BPRS)",
};

export function alertKindLabel(kind: string): string {
  return ALERT_KIND_LABELS[kind] ?? severityLabel(kind);
}

/** A signed percentage for a change from baseline: −45 %, +10 %, 0 %. */
export function percent(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return "—";
  const r = Math.round(n);
  return `${r > 0 ? "+" : r < 0 ? "−" : ""}${Math.abs(r)} %`;
}
