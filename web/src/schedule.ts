// Booking, calendar, booster and utilisation: the types and calls of the scheduling API (docs/api.md,
// "Scheduling"), plus the small date helpers the calendar screens share. Clinic times are shown in the
// clinic's time zone as the server gives them (local_date, local_start), never re-zoned by the browser.

import type { components } from "./api_types.gen";
import { apiRequest } from "./api";
import type { OverdueQuestionnaire } from "./types";

type Schemas = components["schemas"];

export type OpeningHours = Schemas["OpeningHours"];

export type Chair = Schemas["Chair"];

export interface StaffMember {
  username: string;
  role: string;
  qualifications: string[];
}

export interface AppointmentType {
  id: string;
  name: string;
  minutes: number;
  qualification: string;
}

export type Protocol = Schemas["Protocol"];

export type Resources = Schemas["ScheduleResources"];

export type Appointment = Schemas["Appointment"];

export type Shift = Schemas["Shift"];

export type Calendar = Schemas["Calendar"];

/** A free or proposed slot. */
export type Slot = Schemas["FreeSlot"];

export type SeriesProposal = Schemas["SeriesProposal"];

export type SessionChoice = Schemas["SessionChoice"];

export interface PreferredDay {
  date: string;
  part: "morning" | "afternoon" | "any";
}

export interface BookingRequest {
  id: string;
  patient_id: string;
  patient_name?: string;
  preferred: PreferredDay[];
  note: string | null;
  status: string; // open | accepted | proposed | declined
  appointment: Appointment | null;
  proposed: (Partial<Slot> & { start: string; note?: string | null }) | null;
  created_at: string;
}

export type ReviewTask = Schemas["ReviewTask"];

export interface BoosterDuration {
  infusion_date: string;
  benefit_days: number | null;
  censored: boolean;
  /** Days observed without relapse (for a censored interval: at least this long). */
  observed_days?: number | null;
}

export type BoosterDecision = Schemas["BoosterDecision"];

export interface BoosterProposal {
  next_booster_date: string | null;
  interval_days: number | null;
  reason: string;
  // Left out for a role that does not see rating-scale results (the front desk): the PHQ-9
  // series, the threshold, the durations and the prediction.
  durations?: BoosterDuration[];
  predicted_relapse_date?: string | null;
  method?: string;
  phq9?: { date: string; total: number }[];
  infusions: string[];
  threshold?: number | null;
  bounds: { min: number; max: number } | null;
  estimate_days?: number | null;
  post_induction_score?: number | null;
  decisions?: BoosterDecision[];
}

export interface DueBooster {
  patient_id: string;
  patient_name: string;
  proposed_date: string;
  interval_days: number;
}

export interface TodayWorklist {
  date: string;
  sessions: Appointment[];
  overdue_questionnaires: OverdueQuestionnaire[] | { items: OverdueQuestionnaire[] };
  review_tasks?: ReviewTask[];  // left out for the front desk: the reasons quote scores
  due_boosters: DueBooster[];
}

export type Utilisation = Schemas["Utilisation"];

const enc = encodeURIComponent;

export const schedule = {
  resources: () => apiRequest<Resources>("GET", "/schedule/resources"),
  calendar: (from: string, to: string) =>
    apiRequest<Calendar>("GET", `/schedule/calendar?from=${enc(from)}&to=${enc(to)}`),
  propose: (patientId: string, protocol: string, start: string) =>
    apiRequest<SeriesProposal>("POST", `/patients/${enc(patientId)}/series/proposal`, { protocol, start }),
  bookSeries: (patientId: string, protocol: string, sessions: SessionChoice[]) =>
    apiRequest<{ series_id: string; appointments: Appointment[] }>("POST", `/patients/${enc(patientId)}/series`, {
      protocol,
      sessions,
    }),
  patientAppointments: (patientId: string) =>
    apiRequest<{ appointments: Appointment[] }>("GET", `/patients/${enc(patientId)}/appointments`),
  portalAppointments: () => apiRequest<{ appointments: Appointment[] }>("GET", "/portal/appointments"),
  cancel: (id: string, reason: string) =>
    apiRequest<{ appointment: Appointment; next_free: Slot[] }>("POST", `/appointments/${enc(id)}/cancel`, { reason }),
  move: (id: string, body: SessionChoice & { reason: string }) =>
    apiRequest<Appointment>("POST", `/appointments/${enc(id)}/move`, body),
  nextFree: (id: string) => apiRequest<{ slots: Slot[] }>("GET", `/appointments/${enc(id)}/next-free`),
  book: (patientId: string, body: SessionChoice & { type: string }) =>
    apiRequest<Appointment>("POST", `/patients/${enc(patientId)}/appointments`, body),

  requestBooking: (patientId: string, preferred: PreferredDay[], note: string) =>
    apiRequest<BookingRequest>(
      "POST",
      `/patients/${enc(patientId)}/booking-requests`,
      note.trim() ? { preferred, note: note.trim() } : { preferred },
    ),
  myRequests: () => apiRequest<{ requests: BookingRequest[] }>("GET", "/portal/booking-requests"),
  respond: (id: string, accept: boolean) =>
    apiRequest<BookingRequest>("POST", `/portal/booking-requests/${enc(id)}/respond`, { accept }),
  requests: (status: "open" | "proposed") =>
    apiRequest<{ requests: BookingRequest[] }>("GET", `/booking-requests?status=${status}`),
  acceptRequest: (id: string, body: SessionChoice) =>
    apiRequest<BookingRequest>("POST", `/booking-requests/${enc(id)}/accept`, body),
  proposeRequest: (id: string, body: SessionChoice & { note?: string }) =>
    apiRequest<BookingRequest>("POST", `/booking-requests/${enc(id)}/propose`, body),

  reviewTasks: () => apiRequest<{ tasks: ReviewTask[] }>("GET", "/review-tasks?status=open"),
  completeTask: (id: string, note: string) => apiRequest<unknown>("POST", `/review-tasks/${enc(id)}/complete`, { note }),
  boosterProposal: (patientId: string) =>
    apiRequest<BoosterProposal>("GET", `/patients/${enc(patientId)}/booster-proposal`),
  decideBooster: (
    patientId: string,
    body: { date: string; interval_days: number; accepted: boolean; reason?: string },
  ) => apiRequest<unknown>("POST", `/patients/${enc(patientId)}/booster-decisions`, body),
  today: () => apiRequest<TodayWorklist>("GET", "/worklists/today"),
  utilisation: (week: string) => apiRequest<Utilisation>("GET", `/schedule/utilisation?week=${enc(week)}`),
};

// ---- Dates as plain YYYY-MM-DD strings (calendar arithmetic in UTC, so the browser's zone never shifts a day).

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(date: string): number {
  const w = new Date(`${date}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

export function mondayOf(date: string): string {
  return addDays(date, 1 - weekday(date));
}

/** The day a week view opens on by default: today, or the coming Monday on a weekend. */
export function defaultDay(today: string): string {
  return weekday(today) >= 6 ? addDays(today, 8 - weekday(today)) : today;
}

export function isDate(s: string | null | undefined): s is string {
  return !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}

/** Today's date in a named zone (the clinic's), YYYY-MM-DD. */
export function todayIn(zone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
      new Date(),
    );
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

export function dayLabel(date: string, long = false): string {
  const d = new Date(`${date}T00:00:00Z`);
  return d.toLocaleDateString(undefined, {
    timeZone: "UTC",
    weekday: long ? "long" : "short",
    month: "short",
    day: "numeric",
  });
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

export function hhmm(minutes: number): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(Math.floor(minutes / 60))}:${p(minutes % 60)}`;
}

/**
 * The UTC instant of a local date and time in a named zone (for a start the front desk typed in). Two
 * passes of "what is the zone's offset at this instant" settle it, DST days included; a time that does
 * not exist locally (the skipped hour) comes out an hour later, and the server's hours check decides.
 */
export function zonedToUtc(date: string, time: string, zone: string): string {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const offsetAt = (ms: number) => {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).formatToParts(new Date(ms));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
    return asUtc - ms;
  };
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  // The server's instant format: microseconds, fixed width ("2026-11-24T14:00:00.000000Z").
  return new Date(guess).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Local date and HH:MM of a UTC instant in a named zone. */
export function utcToZoned(iso: string, zone: string): { date: string; time: string } {
  const d = new Date(iso.replace(/(\.\d{3})\d+/, "$1"));
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00";
  return { date: `${get("year")}-${get("month")}-${get("day")}`, time: `${get("hour")}:${get("minute")}` };
}

export const PART_LABELS: Record<string, string> = { morning: "Morning", afternoon: "Afternoon", any: "Any time" };

export const REQUEST_STATUS: Record<string, string> = {
  open: "Waiting for the clinic",
  proposed: "The clinic proposed a time",
  accepted: "Booked",
  declined: "Declined",
};

/** An appointment type's name from the resources, else its id. */
export function typeName(id: string, r?: { appointment_types: AppointmentType[] } | null): string {
  const named = r?.appointment_types.find((t) => t.id === id)?.name;
  if (named) return named;
  // Without the resources (the portal): "iv-infusion" → "IV infusion".
  const words = id.split(/[-_]/).map((w) => (w === "iv" ? "IV" : w));
  const text = words.join(" ");
  return text ? text[0].toUpperCase() + text.slice(1) : id;
}

/** "Chair 2 · nurse.okafor" */
export function where(a: { chair_name?: string; nurse?: string }): string {
  return [a.chair_name, a.nurse].filter(Boolean).join(" · ");
}
