// Display helpers. Times come from the server in UTC and are shown in the clinic's time zone
// (GET /auth/me, `clinic.time_zone`) whatever the browser's, with the zone's name when the two
// differ; doses, volumes and pump rates are rounded to the site's decimals (`clinic.decimals`).

export interface ClinicDisplay {
  time_zone: string;
  decimals: { dose_mg: number; volume_ml: number; rate_ml_per_h: number };
}

const DEFAULT_DECIMALS = { dose_mg: 1, volume_ml: 1, rate_ml_per_h: 1 };
let clinic: ClinicDisplay | null = null;

/** Set once the session is known (login, reload); null before. */
export function setClinic(c: ClinicDisplay | null | undefined): void {
  clinic = c ?? null;
}

function browserZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The zone clinic dates and times are shown in: the clinic's, else the browser's. */
export function displayZone(): string | undefined {
  return clinic?.time_zone || undefined;
}

/** True when the clinic's zone is not the browser's (times then name their zone). */
export function zoneDiffers(): boolean {
  const z = displayZone();
  return !!z && z !== browserZone();
}

/** Trailing zeros dropped ("50.0" → "50", ISMP: no trailing zeros). */
function round(n: number | null | undefined, decimals: number): string {
  if (n == null || !Number.isFinite(n)) return "—";
  return String(Number(n.toFixed(Math.max(0, Math.min(4, decimals)))));
}

/** A dose as a person reads it: "33.5" (mg, to the site's decimals, default 0.1 mg). */
export function doseMg(n: number | null | undefined): string {
  return round(n, (clinic?.decimals ?? DEFAULT_DECIMALS).dose_mg);
}

/** A volume: "3.3" (mL, default 0.1 mL). */
export function volumeMl(n: number | null | undefined): string {
  return round(n, (clinic?.decimals ?? DEFAULT_DECIMALS).volume_ml);
}

/** A pump rate: "50.2" (mL/h, default 0.1 mL/h, what pumps are programmed to). */
export function rateMlh(n: number | null | undefined): string {
  return round(n, (clinic?.decimals ?? DEFAULT_DECIMALS).rate_ml_per_h);
}

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

/**
 * "2026-11-21T10:00:00.000000Z" → the clinic's date and time, to the minute ("Nov 21, 2026, 04:00
 * AM"), with the zone ("CST") when the browser is elsewhere.
 */
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
    timeZone: displayZone(),
    timeZoneName: zoneDiffers() ? "short" : undefined,
  });
}

/** The clinic's time of day of an instant, "09:30" (with the zone when the browser is elsewhere). */
export function timeOnly(iso: string): string {
  const t = parseTime(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: displayZone(),
    timeZoneName: zoneDiffers() ? "short" : undefined,
  });
}

/** Today's date in the clinic's zone as YYYY-MM-DD (for date inputs). */
export function today(): string {
  const zone = displayZone();
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
      new Date(),
    );
  } catch {
    const d = new Date();
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  }
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

/** "2026-11-21T10:00:00.000000Z" → the clinic's date of that instant, e.g. "Nov 21, 2026". */
export function dateOnly(iso: string): string {
  // A calendar date names a day already: shifting it into a zone would move it.
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return calendarDate(iso);
  const t = parseTime(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toLocaleDateString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    timeZone: displayZone(),
  });
}

/** A calendar date "2026-12-07" (a birth date, a clinic day) in words, "Dec 7, 2026": no zone shift. */
export function calendarDate(ymd: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return ymd;
  const d = new Date(`${ymd}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return ymd;
  return d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
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
