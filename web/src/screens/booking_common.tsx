// Pieces the booking screens share: the clinic's resources (loaded once), a slot editor (local date,
// time, chair, nurse in the clinic's zone) and the list of free slots offered after a cancel.

import { calendarDate } from "../format";
import { errorText, useResource } from "../data";
import {
  schedule,
  utcToZoned,
  where,
  zonedToUtc,
  type Resources,
  type SessionChoice,
  type Slot,
} from "../schedule";

let resourcesCache: Promise<Resources> | null = null;

/** The clinic's chairs, staff, hours and zone: fetched once per page load (they change rarely). */
export function loadResources(): Promise<Resources> {
  if (!resourcesCache) {
    resourcesCache = schedule.resources().catch((e) => {
      resourcesCache = null;
      throw e;
    });
  }
  return resourcesCache;
}

export function useResources(): { resources: Resources | null; error: string | null } {
  const r = useResource(loadResources, []);
  return { resources: r.data ?? null, error: r.errorText };
}

export { errorText };

/** A slot as the front desk edits it: local wall-clock date and time in the clinic's zone. */
export interface SlotDraft {
  date: string;
  time: string;
  chair_id: string;
  nurse: string;
}

export function draftFromSlot(s: { start: string; chair_id: string; nurse: string; local_date?: string; local_start?: string }, zone: string): SlotDraft {
  const local = s.local_date && s.local_start ? { date: s.local_date, time: s.local_start } : utcToZoned(s.start, zone);
  return { date: local.date, time: local.time, chair_id: s.chair_id, nurse: s.nurse };
}

export function choiceFromDraft(d: SlotDraft, zone: string): SessionChoice {
  return { start: zonedToUtc(d.date, d.time, zone), chair_id: d.chair_id, nurse: d.nurse };
}

export function nurses(r: Resources): string[] {
  const qualified = r.staff.filter((s) => s.role === "nurse" || s.qualifications.length > 0).map((s) => s.username);
  return qualified.length ? qualified : r.staff.map((s) => s.username);
}

/** Date, time, chair and nurse inputs for one slot. */
export function SlotFields({
  idPrefix,
  value,
  onChange,
  resources,
  error,
  testid,
}: {
  idPrefix: string;
  value: SlotDraft;
  onChange: (v: SlotDraft) => void;
  resources: Resources;
  error?: string | null;
  testid?: string;
}) {
  const set = (k: keyof SlotDraft) => (e: Event) =>
    onChange({ ...value, [k]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const staff = nurses(resources);
  return (
    <div class={`slot-fields${error ? " field-invalid" : ""}`} data-testid={testid}>
      <div class="field">
        <label for={`${idPrefix}-date`}>Date</label>
        <input id={`${idPrefix}-date`} type="date" value={value.date} onInput={set("date")} data-testid={`${idPrefix}-date`} />
      </div>
      <div class="field">
        <label for={`${idPrefix}-time`}>Time ({resources.time_zone})</label>
        <input
          id={`${idPrefix}-time`}
          type="time"
          step={(resources.slot_minutes || 15) * 60}
          value={value.time}
          onInput={set("time")}
          data-testid={`${idPrefix}-time`}
        />
      </div>
      <div class="field">
        <label for={`${idPrefix}-chair`}>Chair</label>
        <select id={`${idPrefix}-chair`} value={value.chair_id} onChange={set("chair_id")} data-testid={`${idPrefix}-chair`}>
          {!resources.chairs.some((c) => c.id === value.chair_id) && <option value={value.chair_id}>—</option>}
          {resources.chairs.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${idPrefix}-nurse`}>Nurse</label>
        <select id={`${idPrefix}-nurse`} value={value.nurse} onChange={set("nurse")} data-testid={`${idPrefix}-nurse`}>
          {!staff.includes(value.nurse) && <option value={value.nurse}>{value.nurse || "—"}</option>}
          {staff.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      {error && (
        <div class="field-error slot-error" role="alert" data-testid={`${idPrefix}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

/** Free slots with a button each ("Book this", "Move here"…). */
export function SlotList({
  slots,
  action,
  onPick,
  busy,
  testid = "free-slot",
}: {
  slots: Slot[];
  action: string;
  onPick: (s: Slot) => void;
  busy?: boolean;
  testid?: string;
}) {
  if (slots.length === 0) return <p class="muted">No free slot found in the coming weeks.</p>;
  return (
    <ul class="slot-list">
      {slots.map((s) => (
        <li key={s.start + s.chair_id + s.nurse} data-testid={testid} data-start={s.start}>
          <span>
            <strong>
              {calendarDate(s.local_date)} at {s.local_start}
            </strong>{" "}
            <span class="muted">{where(s)}</span>
          </span>
          <button type="button" class="btn btn-small" disabled={busy} onClick={() => onPick(s)} data-testid={`${testid}-pick`}>
            {action}
          </button>
        </li>
      ))}
    </ul>
  );
}
