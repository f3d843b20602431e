// #/sessions (nurses, prescribers): the day's infusion and esketamine sessions with their state,
// an overdue-vitals flag and open alerts, refreshed every 30 s; below, the REMS Patient Monitoring
// Forms still to complete, with their due dates and an overdue flag.

import { useEffect, useState } from "preact/hooks";
import { useResource } from "../data";
import { dateOnly, dateTime, today } from "../format";
import { Banner } from "../components/messages";
import { kindLabel, remsFieldLabel, sessionApi, stateLabel } from "../session";

export function SessionList() {
  const [date, setDate] = useState(today());
  const list = useResource(
    () => sessionApi.list(date).then((r) => [...r.sessions].sort((a, b) => (a.scheduled_at < b.scheduled_at ? -1 : 1))),
    [date],
  );
  const pending = useResource(
    () => sessionApi.pendingRems().then((r) => [...r.forms].sort((a, b) => (a.due_date < b.due_date ? -1 : 1))),
    [date],
  );
  const reloadList = list.reload;
  const reloadPending = pending.reload;
  useEffect(() => {
    const t = setInterval(() => {
      reloadList();
      reloadPending();
    }, 30_000);
    return () => clearInterval(t);
  }, [reloadList, reloadPending]);
  const sessions = list.data;
  const forms = pending.data;
  const error = list.errorText;
  const remsError = pending.errorText;

  return (
    <section aria-labelledby="sessions-title" data-testid="session-list">
      <div class="title-row">
        <h1 id="sessions-title">Sessions</h1>
        <div class="field session-date">
          <label for="sessions-date">Date</label>
          <input
            id="sessions-date"
            type="date"
            value={date}
            onChange={(e) => setDate((e.currentTarget as HTMLInputElement).value || today())}
            data-testid="sessions-date"
          />
        </div>
      </div>
      {error && (
        <Banner kind="error" testid="sessions-error">
          {error}
        </Banner>
      )}
      {!sessions && !error && <p class="muted">Loading…</p>}
      {sessions && sessions.length === 0 && (
        <p class="card muted" data-testid="sessions-empty">
          No sessions on this day. Open one from a patient's page.
        </p>
      )}
      {sessions && sessions.length > 0 && (
        <div class="table-scroll">
          <table class="table session-table" data-testid="sessions-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Patient</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Vitals</th>
                <th scope="col">Alerts</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr
                  key={s.id}
                  data-testid="session-row"
                  data-session-id={s.id}
                  data-patient-id={s.patient_id}
                  data-state={s.state}
                  data-kind={s.kind}
                >
                  <td class="nowrap">{dateTime(s.scheduled_at)}</td>
                  <td class="name-cell">
                    <a href={`#/sessions/${encodeURIComponent(s.id)}`} data-testid="session-open">
                      {s.patient_name}
                    </a>
                  </td>
                  <td>{kindLabel(s.kind)}</td>
                  <td>
                    <span class={`badge session-state session-state-${s.state}`} data-testid="session-state">
                      {stateLabel(s.state)}
                    </span>
                  </td>
                  <td>
                    {s.vitals_overdue ? (
                      <span class="badge session-overdue" data-testid="session-vitals-overdue">
                        Vitals OVERDUE
                      </span>
                    ) : s.next_vitals_due_at ? (
                      <span class="nowrap">due {dateTime(s.next_vitals_due_at)}</span>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td data-testid="session-open-alerts">
                    {s.open_alerts > 0 ? (
                      <span class="badge session-alert-count">{s.open_alerts} open</span>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="rems-pending-title">REMS forms to complete</h2>
      {remsError && (
        <Banner kind="error" testid="rems-pending-error">
          {remsError}
        </Banner>
      )}
      {forms && forms.length === 0 && (
        <p class="card muted" data-testid="rems-pending-empty">
          Every REMS Patient Monitoring Form is complete.
        </p>
      )}
      {forms && forms.length > 0 && (
        <ul class="card rems-pending" aria-labelledby="rems-pending-title" data-testid="rems-pending">
          {forms.map((f) => (
            <li key={f.session_id} data-testid="rems-pending-row" data-session-id={f.session_id} data-overdue={String(f.overdue)}>
              <a href={`#/sessions/${encodeURIComponent(f.session_id)}/rems`} data-testid="rems-pending-open">
                {f.patient_name}
              </a>{" "}
              · session {dateOnly(f.session_date)} · due <strong data-testid="rems-pending-due">{dateOnly(f.due_date)}</strong>{" "}
              {f.overdue && (
                <span class="badge session-overdue" data-testid="rems-pending-overdue">
                  OVERDUE
                </span>
              )}
              {f.missing.length > 0 && (
                <div class="hint">Missing: {f.missing.map(remsFieldLabel).join(", ")}</div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
