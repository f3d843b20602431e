// One appointment opened from the calendar: its details, cancel (a reason; then the next free slots to
// re-book the same patient) or move (pick a free slot or type a time; a reason either way).

import { useEffect, useRef, useState } from "preact/hooks";
import { useResource } from "../data";
import { ApiError } from "../api";
import { sentence, calendarDate } from "../format";
import { schedule, typeName, where, type Appointment, type Resources, type Slot } from "../schedule";
import { choiceFromDraft, draftFromSlot, errorText, SlotFields, SlotList, type SlotDraft } from "./booking_common";

type Mode = "view" | "cancel" | "cancelled" | "move";

export function AppointmentDialog({
  appointment,
  resources,
  onClose,
  onChanged,
}: {
  appointment: Appointment;
  resources: Resources;
  onClose: () => void;
  onChanged: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<Mode>("view");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [nextFree, setNextFree] = useState<Slot[]>([]);
  const [rebooked, setRebooked] = useState<Appointment | null>(null);
  // The next free slots, asked for once the person chooses Move (none when the server cannot say).
  const freeForMove = useResource(
    mode === "move" ? () => schedule.nextFree(appointment.id).then((r) => r.slots).catch((): Slot[] => []) : null,
    [mode, appointment.id],
  );
  const moveSlots = freeForMove.data ?? null;
  const [draft, setDraft] = useState<SlotDraft>(() => draftFromSlot(appointment, resources.time_zone));
  const a = appointment;

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
  }, []);


  const close = () => ref.current?.close();

  const cancel = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError("Say why the appointment is cancelled.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await schedule.cancel(a.id, reason.trim());
      setNextFree(r.next_free ?? []);
      setMode("cancelled");
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const rebook = async (s: Slot) => {
    setBusy(true);
    setError(null);
    try {
      const b = await schedule.book(a.patient_id, { type: a.type, start: s.start, chair_id: s.chair_id, nurse: s.nurse });
      setRebooked(b);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const move = async (choice: { start: string; chair_id: string; nurse: string }) => {
    if (!reason.trim()) {
      setError("Say why the appointment is moved.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await schedule.move(a.id, { ...choice, reason: reason.trim() });
      onChanged();
      close();
    } catch (err) {
      setError(err instanceof ApiError ? sentence(err.message) : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} class="dialog dialog-wide" onClose={onClose} aria-labelledby="appt-title" data-testid="appointment-dialog">
      <h2 id="appt-title">{a.patient_name}</h2>
      <p data-testid="appt-summary">
        <strong>
          {calendarDate(a.local_date)}, {a.local_start}–{a.local_end}
        </strong>{" "}
        ({resources.time_zone}) · {typeName(a.type, resources)} · {where(a)}
        {a.status !== "booked" && <span class="badge badge-warn">{a.status}</span>}
      </p>
      {a.reason && <p class="muted">Reason: {a.reason}</p>}
      <p>
        <a href={`#/patients/${encodeURIComponent(a.patient_id)}`}>Open the patient's record</a>
      </p>

      {mode === "view" && a.status === "booked" && (
        <div class="actions">
          <button type="button" class="btn" onClick={() => setMode("move")} data-testid="appt-move">
            Move
          </button>
          <button type="button" class="btn btn-danger" onClick={() => setMode("cancel")} data-testid="appt-cancel">
            Cancel appointment
          </button>
        </div>
      )}

      {(mode === "cancel" || mode === "move") && (
        <div class={`field${error && !reason.trim() ? " field-invalid" : ""}`}>
          <label for="appt-reason">Reason</label>
          <textarea
            id="appt-reason"
            rows={2}
            value={reason}
            onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
            data-testid="appt-reason"
          />
        </div>
      )}

      {mode === "cancel" && (
        <form onSubmit={cancel} noValidate class="actions">
          <button type="submit" class="btn btn-danger" disabled={busy} data-testid="appt-cancel-confirm">
            Cancel this appointment
          </button>
          <button type="button" class="btn" onClick={() => setMode("view")}>
            Keep it
          </button>
        </form>
      )}

      {mode === "move" && (
        <div data-testid="move-panel">
          <h3>Next free slots</h3>
          {!moveSlots && <p class="muted">Looking for free slots…</p>}
          {moveSlots && <SlotList slots={moveSlots} action="Move here" busy={busy} onPick={(s) => move(s)} testid="move-slot" />}
          <h3>Or choose a time</h3>
          <SlotFields idPrefix="move" value={draft} onChange={setDraft} resources={resources} />
          <div class="actions">
            <button
              type="button"
              class="btn btn-primary"
              disabled={busy}
              onClick={() => move(choiceFromDraft(draft, resources.time_zone))}
              data-testid="move-confirm"
            >
              Move
            </button>
            <button type="button" class="btn" onClick={() => setMode("view")}>
              Back
            </button>
          </div>
        </div>
      )}

      {mode === "cancelled" && (
        <div data-testid="cancelled-panel">
          <p class="banner banner-success" role="status" data-testid="appt-cancelled">
            Cancelled. {rebooked ? "" : "The next free slots to re-book:"}
          </p>
          {rebooked ? (
            <p class="banner banner-success" role="status" data-testid="appt-rebooked">
              Re-booked for {calendarDate(rebooked.local_date)} at {rebooked.local_start} · {where(rebooked)}.
            </p>
          ) : (
            <SlotList slots={nextFree} action="Book this" busy={busy} onPick={rebook} testid="next-free" />
          )}
        </div>
      )}

      {error && (
        <div class="field-error" role="alert" data-testid="appt-error">
          {error}
        </div>
      )}
      <div class="actions">
        <button type="button" class="btn" onClick={close} data-testid="appt-close">
          Close
        </button>
      </div>
    </dialog>
  );
}
