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
