// The session screen's clocks as pure functions of the session and the time (screens/session.tsx
// draws them every second; session_timers.test.ts covers every branch): elapsed time, when the
// next vitals are due or how long they are overdue, and the esketamine device and monitoring
// timers. The durations come from the server's times (next_vitals_due_at, next_device_allowed_at,
// monitoring_ends_at, which it computes from the site settings), never from a number here.

import { parseTime } from "./format";

/** "m:ss" or "h:mm:ss" of a non-negative duration in ms (a negative one reads 0:00). */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const p = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${p(m)}:${p(sec)}` : `${m}:${p(sec)}`;
}

/** ms from now until an ISO time (negative when past); NaN when missing. */
export function until(iso: string | null | undefined, now: number): number {
  if (!iso) return NaN;
  return parseTime(iso) - now;
}

/** A whole number of minutes as the screen says it: "2 hours", "1 hour", "90 minutes". */
export function durationWords(minutes: number): string {
  if (minutes > 0 && minutes % 60 === 0) {
    const h = minutes / 60;
    return `${h} hour${h === 1 ? "" : "s"}`;
  }
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Elapsed since the start while the session runs; the server's minutes once it is locked; else "—". */
export function elapsedText(
  s: { started_at: string | null; elapsed_min: number | null },
  locked: boolean,
  now: number,
): string {
  const elapsedMs = s.started_at ? now - parseTime(s.started_at) : NaN;
  if (Number.isFinite(elapsedMs) && !locked) return clock(elapsedMs);
  return s.elapsed_min != null ? `${s.elapsed_min} min` : "—";
}

export interface VitalsDue {
  overdue: boolean;
  /** "OVERDUE by 1:05", "OVERDUE" (the server says so without a time), "in 4:12" or "—". */
  text: string;
}

/** The next vitals: overdue when the server says so or the due time has passed. */
export function vitalsDue(s: { next_vitals_due_at: string | null; vitals_overdue: boolean }, now: number): VitalsDue {
  const dueIn = until(s.next_vitals_due_at, now);
  const overdue = s.vitals_overdue || dueIn < 0;
  if (overdue) return { overdue, text: `OVERDUE${Number.isFinite(dueIn) ? ` by ${clock(-dueIn)}` : ""}` };
  return { overdue, text: Number.isFinite(dueIn) ? `in ${clock(dueIn)}` : "—" };
}

export interface EsketamineTimers {
  /** The next device must wait (the minimum interval since the last one has not passed). */
  wait: boolean;
  /** ms until the next device is allowed (NaN when the server gives no time). */
  nextIn: number;
  /** "—" when every planned device is given, "in m:ss" while waiting, else "now". */
  nextDevice: string;
  /** "m:ss left", "<duration> complete", or "starts with the first device". */
  monitoring: string;
  /** The nurse may give a device now (or once the wait is over). */
  canGive: boolean;
}

/**
 * The esketamine timers. The monitoring period's length is the server's (monitoring_ends_at minus
 * the first device), so "2 hours complete" follows the site's session.esketamine_monitoring_min.
 */
export function esketamineTimers(
  e: { devices: { at: string }[]; next_device_allowed_at: string | null; monitoring_ends_at: string | null },
  session: { state: string; devices_planned: number; locked: boolean },
  now: number,
): EsketamineTimers {
  const nextIn = until(e.next_device_allowed_at, now);
  const monitorIn = until(e.monitoring_ends_at, now);
  const given = e.devices.length;
  const planned = session.devices_planned;
  const wait = Number.isFinite(nextIn) && nextIn > 0;
  const canGive = !session.locked && ["prechecks_passed", "dosing"].includes(session.state) && given < planned;
  let monitoring = "starts with the first device";
  if (Number.isFinite(monitorIn)) {
    if (monitorIn > 0) monitoring = `${clock(monitorIn)} left`;
    else {
      const first = e.devices.length ? parseTime(e.devices[0].at) : NaN;
      const minutes = Math.round((parseTime(e.monitoring_ends_at!) - first) / 60_000);
      monitoring = Number.isFinite(minutes) && minutes > 0 ? `${durationWords(minutes)} complete` : "Monitoring complete";
    }
  }
  return {
    wait,
    nextIn,
    nextDevice: given >= planned ? "—" : wait ? `in ${clock(nextIn)}` : "now",
    monitoring,
    canGive,
  };
}
