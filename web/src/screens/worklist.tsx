// #/worklist (nurses, prescribers, front desk): questionnaires patients have not answered in time,
// oldest first, so someone can call them; then today's sessions, review tasks and boosters due
// (booking_worklist.tsx).

import { api, loadInstruments } from "../api";
import { useResource } from "../data";
import { age, dateTime, fullName, instrumentName, parseTime } from "../format";
import { Banner } from "../components/messages";
import type { User } from "../types";
import { ScheduleWorklist } from "./booking_worklist";

export function Worklist({ user }: { user?: User } = {}) {
  const overdue = useResource(
    () => api.overdueQuestionnaires().then((r) => [...r.items].sort((a, b) => parseTime(a.due_at) - parseTime(b.due_at))),
    [],
  );
  // Titles are a nicety: without them the short names do.
  const defs = useResource(loadInstruments, []).data ?? [];
  const items = overdue.data;
  const error = overdue.errorText;

  const title = (id: string) => defs.find((d) => d.id === id)?.title ?? instrumentName(id);
  return (
    <section aria-labelledby="worklist-title" data-testid="worklist">
      <h1 id="worklist-title">Overdue questionnaires</h1>
      {error && (
        <Banner kind="error" testid="worklist-error">
          {error}
        </Banner>
      )}
      {!items && !error && <p class="muted">Loading…</p>}
      {items && items.length === 0 && (
        <p class="card muted" data-testid="worklist-empty">
          No questionnaires are overdue.
        </p>
      )}
      {items && items.length > 0 && (
        <div class="table-scroll">
          <table class="table patients-table" data-testid="worklist-table">
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Questionnaire</th>
                <th scope="col">Was due</th>
                <th scope="col">Daily reminder</th>
              </tr>
            </thead>
            <tbody>
              {items.map((q) => (
                <tr key={q.patient.id + q.instrument + q.due_at} data-testid="worklist-row">
                  <td class="name-cell">
                    <a href={`#/patients/${encodeURIComponent(q.patient.id)}`} data-testid="worklist-patient">
                      {fullName(q.patient.name)}
                    </a>
                  </td>
                  <td>{title(q.instrument)}</td>
                  <td class="nowrap" title={dateTime(q.due_at)}>
                    {age(q.due_at)}
                  </td>
                  <td>{q.reminder ? "Yes" : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ScheduleWorklist user={user} />
    </section>
  );
}
