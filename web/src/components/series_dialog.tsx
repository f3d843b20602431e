// "Book induction series": pick a protocol and a start date, kclinic proposes the sessions (the
// earliest valid series; any soft rule it bent said in a sentence), the front desk adjusts any
// session and confirms. All-or-nothing: a clash (409, field "sessions[i]") is shown beside that session.

import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api";
import { sentence } from "../format";
import { schedule, todayIn, type Appointment, type Resources, type SeriesProposal } from "../schedule";
import { Banner } from "./messages";
import { choiceFromDraft, draftFromSlot, SlotFields, type SlotDraft } from "../screens/booking_common";

export function SeriesDialog({
  patientId,
  patientName,
  resources,
  onClose,
  onBooked,
}: {
  patientId: string;
  patientName: string;
  resources: Resources;
  onClose: () => void;
  onBooked: (appointments: Appointment[]) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const protocols = resources.protocols.filter((p) => !p.stages || (Array.isArray(p.stages) && p.stages.length === 0));
  const choices = protocols.length ? protocols : resources.protocols;
  const [protocol, setProtocol] = useState(choices.find((p) => p.id === "iv-standard")?.id ?? choices[0]?.id ?? "iv-standard");
  const [start, setStart] = useState(todayIn(resources.time_zone));
  const [proposal, setProposal] = useState<SeriesProposal | null>(null);
  const [drafts, setDrafts] = useState<SlotDraft[]>([]);
  const [sessionErrors, setSessionErrors] = useState<Record<number, string>>({});
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<Appointment[] | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
  }, []);

  const propose = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSessionErrors({});
    try {
      const p = await schedule.propose(patientId, protocol, start);
      setProposal(p);
      setDrafts(p.sessions.map((s) => draftFromSlot(s, resources.time_zone)));
    } catch (err) {
      setProposal(null);
      setError(err instanceof ApiError ? { field: err.field, message: sentence(err.message) } : { message: String(err) });
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!proposal) return;
    setBusy(true);
    setError(null);
    setSessionErrors({});
    try {
      const r = await schedule.bookSeries(
        patientId,
        proposal.protocol || protocol,
        drafts.map((d) => choiceFromDraft(d, resources.time_zone)),
      );
      setBooked(r.appointments);
      onBooked(r.appointments);
    } catch (err) {
      if (err instanceof ApiError) {
        const m = /^sessions\[(\d+)\]/.exec(err.field ?? "");
        if (m) {
          const i = Number(m[1]);
          setSessionErrors({ [i]: sentence(err.message) });
          // Bring the refused session into view and put the focus on its time.
          setTimeout(() => {
            const el = ref.current?.querySelector<HTMLElement>(`[data-index="${i}"]`);
            el?.scrollIntoView({ block: "center" });
            el?.querySelector<HTMLInputElement>('input[type="time"]')?.focus();
          }, 0);
        }
        else setError({ field: err.field, message: sentence(err.message) });
      } else {
        setError({ message: String(err) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} class="dialog dialog-wide" onClose={onClose} aria-labelledby="series-title" data-testid="series-dialog">
      <h2 id="series-title">Book induction series</h2>
      <p class="muted">
        {patientName} · times in {resources.time_zone}
      </p>
      {booked ? (
        <>
          <Banner kind="success" testid="series-booked">
            {booked.length} sessions booked, {booked[0]?.local_date} to {booked[booked.length - 1]?.local_date}.
          </Banner>
          <ol class="series-list">
            {booked.map((a) => (
              <li key={a.id} data-testid="series-booked-session">
                {a.local_date} {a.local_start}–{a.local_end} · {a.chair_name} · {a.nurse}
              </li>
            ))}
          </ol>
          <div class="actions">
            <a class="btn btn-primary" href={`#/calendar?date=${booked[0]?.local_date ?? ""}&view=week`} data-testid="series-calendar-link">
              Show on the calendar
            </a>
            <button type="button" class="btn" onClick={() => ref.current?.close()} data-testid="series-close">
              Close
            </button>
          </div>
        </>
      ) : (
        <>
          <form class="inline-form" onSubmit={propose} noValidate>
            <div class={`field${error?.field === "protocol" ? " field-invalid" : ""}`}>
              <label for="series-protocol">Protocol</label>
              <select
                id="series-protocol"
                value={protocol}
                onChange={(e) => setProtocol((e.currentTarget as HTMLSelectElement).value)}
                data-testid="series-protocol"
              >
                {choices.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name || p.id}
                  </option>
                ))}
              </select>
            </div>
            <div class={`field${error?.field === "start" ? " field-invalid" : ""}`}>
              <label for="series-start">First possible day</label>
              <input
                id="series-start"
                type="date"
                value={start}
                onInput={(e) => setStart((e.currentTarget as HTMLInputElement).value)}
                data-testid="series-start"
              />
            </div>
            <div class="actions">
              <button type="submit" class="btn btn-primary" disabled={busy} data-testid="series-propose">
                {proposal ? "Propose again" : "Propose sessions"}
              </button>
            </div>
          </form>
          {error && (
            <Banner kind="error" testid="series-error">
              {error.message}
            </Banner>
          )}
          {proposal && (
            <div data-testid="series-proposal">
              {proposal.explanation && (
                <p class="hint-block" data-testid="series-explanation">
                  {proposal.explanation}
                </p>
              )}
              {proposal.bent.length > 0 && (
                <ul class="series-bent" data-testid="series-bent">
                  {proposal.bent.map((b) => (
                    <li key={b} data-testid="series-bent-item">
                      {b}
                    </li>
                  ))}
                </ul>
              )}
              <ol class="series-list">
                {drafts.map((d, i) => (
                  <li key={i} data-testid="series-session" data-index={i} class={sessionErrors[i] ? "series-clash" : ""}>
                    <div class="series-session-head">
                      <strong>Session {i + 1}</strong>
                    </div>
                    <SlotFields
                      idPrefix={`s${i}`}
                      value={d}
                      resources={resources}
                      error={sessionErrors[i]}
                      onChange={(nv) => setDrafts(drafts.map((x, j) => (j === i ? nv : x)))}
                    />
                  </li>
                ))}
              </ol>
              <div class="actions">
                <button type="button" class="btn btn-primary btn-large" disabled={busy} onClick={confirm} data-testid="series-confirm">
                  Book {drafts.length} sessions
                </button>
                <button type="button" class="btn" onClick={() => ref.current?.close()} data-testid="series-cancel">
                  Cancel
                </button>
              </div>
            </div>
          )}
          {!proposal && (
            <div class="actions">
              <button type="button" class="btn" onClick={() => ref.current?.close()} data-testid="series-cancel">
                Cancel
              </button>
            </div>
          )}
        </>
      )}
    </dialog>
  );
}
