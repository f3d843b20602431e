// #/booking-requests (front desk, nurses, prescribers): patients' open requests from the portal, then
// those with a proposed time the patient has not answered yet. For each, the front desk books a time
// (accept) or proposes another one the patient then accepts.

import { useState } from "preact/hooks";
import { useResource } from "../data";
import { Banner } from "../components/messages";
import { dateTime, calendarDate } from "../format";
import { PART_LABELS, schedule, type BookingRequest, type Resources } from "../schedule";
import { choiceFromDraft, errorText, nurses, SlotFields, useResources, type SlotDraft } from "./booking_common";

export function BookingRequests() {
  const { resources, error: resError } = useResources();
  const [done, setDone] = useState<string | null>(null);
  // Open ones first, then those proposed and waiting for the patient (the desk may still change them).
  const list = useResource(
    () => Promise.all([schedule.requests("open"), schedule.requests("proposed")]).then(([open, proposed]) => [...open.requests, ...proposed.requests]),
    [],
  );
  const requests = list.data;
  const error = list.errorText;

  return (
    <section aria-labelledby="requests-title" data-testid="booking-requests">
      <div class="title-row">
        <h1 id="requests-title">Booking requests</h1>
        <a class="btn btn-small" href="#/calendar">
          Calendar
        </a>
      </div>
      {(error || resError) && <Banner kind="error">{error || resError}</Banner>}
      {done && (
        <Banner kind="success" testid="request-done">
          {done}
        </Banner>
      )}
      {!requests && !error && <p class="muted">Loading…</p>}
      {requests && requests.length === 0 && (
        <p class="card muted" data-testid="no-requests">
          No open booking requests.
        </p>
      )}
      {requests &&
        resources &&
        requests.map((r) => (
          <RequestCard
            key={r.id}
            request={r}
            resources={resources}
            onDone={(msg) => {
              setDone(msg);
              list.reload();
            }}
          />
        ))}
    </section>
  );
}

function firstDraft(r: BookingRequest, res: Resources): SlotDraft {
  const p = r.preferred[0];
  return {
    date: p?.date ?? "",
    time: p?.part === "afternoon" ? "13:00" : "09:00",
    chair_id: res.chairs[0]?.id ?? "",
    nurse: nurses(res)[0] ?? "",
  };
}

function RequestCard({ request: r, resources, onDone }: { request: BookingRequest; resources: Resources; onDone: (m: string) => void }) {
  const [draft, setDraft] = useState<SlotDraft>(() => firstDraft(r, resources));
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (kind: "accept" | "propose") => {
    if (!draft.date || !draft.time) {
      setError("Choose a date and a time.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const choice = choiceFromDraft(draft, resources.time_zone);
      if (kind === "accept") await schedule.acceptRequest(r.id, choice);
      else await schedule.proposeRequest(r.id, note.trim() ? { ...choice, note: note.trim() } : choice);
      onDone(
        kind === "accept"
          ? `Booked ${r.patient_name ?? "the patient"} on ${calendarDate(draft.date)} at ${draft.time}.`
          : `Proposed ${calendarDate(draft.date)} at ${draft.time} to ${r.patient_name ?? "the patient"}.`,
      );
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="card" data-testid="booking-request" data-id={r.id} data-patient={r.patient_id}>
      <h2>
        <a href={`#/patients/${encodeURIComponent(r.patient_id)}`}>{r.patient_name ?? "Patient"}</a>
        <span class={`badge${r.status === "proposed" ? " badge-warn" : ""}`} data-testid="request-status">
          {r.status === "proposed" ? "waiting for the patient" : r.status}
        </span>
      </h2>
      <p class="muted small">Asked {dateTime(r.created_at)}</p>
      <p>
        Prefers:{" "}
        {r.preferred.map((p, i) => (
          <span key={i} data-testid="request-preferred">
            {i > 0 ? "; " : ""}
            {calendarDate(p.date)} ({PART_LABELS[p.part] ?? p.part})
          </span>
        ))}
      </p>
      {r.note && <p class="notes">“{r.note}”</p>}
      {r.proposed && (
        <p class="muted">
          Proposed earlier: {r.proposed.local_date && r.proposed.local_start ? `${calendarDate(r.proposed.local_date)} at ${r.proposed.local_start}` : dateTime(r.proposed.start)}
        </p>
      )}
      <SlotFields idPrefix={`req-${r.id}`} value={draft} onChange={setDraft} resources={resources} testid="request-slot" />
      <div class="field">
        <label for={`req-${r.id}-note`}>Note to the patient (with a proposal)</label>
        <input id={`req-${r.id}-note`} value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} data-testid="request-note" />
      </div>
      {error && (
        <div class="field-error" role="alert" data-testid="request-error">
          {error}
        </div>
      )}
      <div class="actions">
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => act("accept")} data-testid="request-accept">
          Book this time
        </button>
        <button type="button" class="btn" disabled={busy} onClick={() => act("propose")} data-testid="request-propose">
          Propose this time
        </button>
      </div>
    </article>
  );
}
