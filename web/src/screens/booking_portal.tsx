// The portal's booking part: the patient's upcoming appointments, "Request a booking" (preferred days,
// morning or afternoon) and her requests — when the clinic proposed a time she accepts or declines it.

import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { useMutation, useResource } from "../data";
import { Banner } from "../components/messages";
import { dateTime, calendarDate } from "../format";
import {
  addDays,
  PART_LABELS,
  REQUEST_STATUS,
  schedule,
  todayIn,
  typeName,
  type Appointment,
  type BookingRequest,
  type PreferredDay,
} from "../schedule";
import { errorText } from "./booking_common";

async function myAppointments(patientId: string): Promise<Appointment[]> {
  try {
    return (await schedule.portalAppointments()).appointments;
  } catch (e) {
    // A server without the portal route lets the patient read her own list on the patient route.
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) {
      return (await schedule.patientAppointments(patientId)).appointments;
    }
    throw e;
  }
}

export function PortalBookings({ patientId }: { patientId: string }) {
  const apptsR = useResource(() => myAppointments(patientId), [patientId]);
  const requestsR = useResource(() => schedule.myRequests().then((r) => r.requests), [patientId]);
  const appts = apptsR.data;
  const requests = requestsR.data;
  const error = requestsR.errorText ?? apptsR.errorText;

  const refresh = () => {
    apptsR.reload();
    requestsR.reload();
  };
  const today = todayIn(undefined);
  const upcoming = (appts ?? [])
    .filter((a) => a.status === "booked" && a.local_date >= addDays(today, -1))
    .sort((a, b) => a.start.localeCompare(b.start));
  const shown = (requests ?? []).filter((r) => r.status !== "accepted" || !r.appointment);

  return (
    <>
      <section class="card" aria-labelledby="sessions-title" data-testid="portal-appointments">
        <h2 id="sessions-title">Upcoming sessions</h2>
        {error && <Banner kind="error">{error}</Banner>}
        {!appts && !error && <p class="muted">Loading…</p>}
        {appts && upcoming.length === 0 && (
          <p class="muted" data-testid="no-sessions">
            No sessions booked yet. Ask for one below, or the clinic will contact you to book your first session.
          </p>
        )}
        {upcoming.length > 0 && (
          <ul class="appt-list">
            {upcoming.map((a) => (
              <li key={a.id} data-testid="portal-appointment" data-date={a.local_date}>
                <strong>
                  {calendarDate(a.local_date)} at {a.local_start}
                </strong>{" "}
                <span class="muted">
                  {typeName(a.type)} · {a.chair_name}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <RequestForm patientId={patientId} onSent={refresh} />
      {shown.length > 0 && (
        <section class="card" aria-labelledby="requests-title" data-testid="portal-requests">
          <h2 id="requests-title">Your booking requests</h2>
          <ul class="task-list">
            {shown.map((r) => (
              <RequestItem key={r.id} request={r} onChanged={refresh} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function RequestItem({ request: r, onChanged }: { request: BookingRequest; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const respond = async (accept: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await schedule.respond(r.id, accept);
      onChanged();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const p = r.proposed;
  return (
    <li class="task-item" data-testid="portal-request" data-status={r.status}>
      <div>
        <strong data-testid="portal-request-status">{REQUEST_STATUS[r.status] ?? r.status}</strong>
        <span class="muted small"> · asked {dateTime(r.created_at)}</span>
      </div>
      <div class="muted">
        You asked for: {r.preferred.map((d) => `${calendarDate(d.date)} (${(PART_LABELS[d.part] ?? d.part).toLowerCase()})`).join("; ")}
      </div>
      {r.status === "proposed" && p && (
        <div class="proposal" data-testid="portal-proposal">
          <p>
            The clinic proposes{" "}
            <strong data-testid="portal-proposed-time">
              {p.local_date && p.local_start ? `${calendarDate(p.local_date)} at ${p.local_start}` : dateTime(p.start)}
            </strong>
            .{p.note ? ` “${p.note}”` : ""}
          </p>
          <div class="actions">
            <button type="button" class="btn btn-primary btn-large" disabled={busy} onClick={() => respond(true)} data-testid="portal-accept">
              Accept this time
            </button>
            <button type="button" class="btn btn-large" disabled={busy} onClick={() => respond(false)} data-testid="portal-decline">
              Decline
            </button>
          </div>
        </div>
      )}
      {error && (
        <div class="field-error" role="alert">
          {error}
        </div>
      )}
    </li>
  );
}

function RequestForm({ patientId, onSent }: { patientId: string; onSent: () => void }) {
  const tomorrow = addDays(todayIn(undefined), 1);
  const [days, setDays] = useState<PreferredDay[]>([{ date: tomorrow, part: "morning" }]);
  const [note, setNote] = useState("");
  const m = useMutation();
  const error = m.error && { field: m.error.field, message: m.errorText };
  const [sent, setSent] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const chosen = days.filter((d) => d.date);
    if (chosen.length === 0) {
      m.fail("Choose at least one day.", "preferred");
      return;
    }
    await m.run(async () => {
      await schedule.requestBooking(patientId, chosen, note);
      setSent(true);
      setNote("");
      setDays([{ date: tomorrow, part: "morning" }]);
      onSent();
    });
  };

  const set = (i: number, patch: Partial<PreferredDay>) => setDays(days.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <section class="card" aria-labelledby="request-title" data-testid="request-booking">
      <h2 id="request-title">Request a booking</h2>
      {sent && (
        <Banner kind="success" testid="request-sent">
          Thank you — the clinic will answer your request.
        </Banner>
      )}
      <form onSubmit={submit} noValidate>
        {days.map((d, i) => (
          <div class="inline-form" key={i} data-testid="request-day">
            <div class={`field${error?.field === `preferred[${i}].date` ? " field-invalid" : ""}`}>
              <label for={`rq-date-${i}`}>Preferred day {days.length > 1 ? i + 1 : ""}</label>
              <input
                id={`rq-date-${i}`}
                type="date"
                min={tomorrow}
                value={d.date}
                onInput={(e) => set(i, { date: (e.currentTarget as HTMLInputElement).value })}
                data-testid={`request-date-${i}`}
              />
            </div>
            <div class="field">
              <label for={`rq-part-${i}`}>Time of day</label>
              <select
                id={`rq-part-${i}`}
                value={d.part}
                onChange={(e) => set(i, { part: (e.currentTarget as HTMLSelectElement).value as PreferredDay["part"] })}
                data-testid={`request-part-${i}`}
              >
                <option value="morning">Morning</option>
                <option value="afternoon">Afternoon</option>
                <option value="any">Any time</option>
              </select>
            </div>
          </div>
        ))}
        {days.length < 3 && (
          <button
            type="button"
            class="btn btn-small"
            onClick={() => setDays([...days, { date: "", part: "any" }])}
            data-testid="request-add-day"
          >
            Add another day
          </button>
        )}
        <div class="field">
          <label for="rq-note">Anything the clinic should know (optional)</label>
          <textarea id="rq-note" rows={2} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} data-testid="request-note" />
        </div>
        {error && (
          <div class="field-error" role="alert" data-testid="request-error">
            {error.message}
          </div>
        )}
        <div class="actions">
          <button type="submit" class="btn btn-primary btn-large" disabled={m.pending} data-testid="request-submit">
            Send request
          </button>
        </div>
      </form>
    </section>
  );
}
