// #/patients/{id}/maintenance (prescribers, nurses, front desk read; prescribers decide): the booster
// proposal from the patient's own pattern — the reason in a sentence, the small chart (PHQ-9, infusions,
// threshold, predicted relapse, proposed booster) and how long the benefit lasted after each past
// infusion. The prescriber accepts the date or changes it (a reason is required when changed).

import { useState } from "preact/hooks";
import { useMutation, useResource } from "../data";
import type { User } from "../types";
import { AccessDenied, Banner } from "../components/messages";
import { BoosterChart } from "../components/booster_chart";
import { dateTime, sentence, calendarDate } from "../format";
import { schedule, type BoosterProposal } from "../schedule";
import { can } from "../access";

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function MaintenanceScreen({ id, user }: { id: string; user: User }) {
  const { data: p, error, reload } = useResource(() => schedule.boosterProposal(id), [id]);

  if (error?.status === 403) return <AccessDenied />;
  const lastInfusion = p?.infusions.length ? [...p.infusions].sort().at(-1)! : null;

  return (
    <section aria-labelledby="mnt-title" data-testid="maintenance">
      <p class="crumbs">
        <a href={`#/patients/${encodeURIComponent(id)}`}>← Patient</a>
      </p>
      <h1 id="mnt-title">Maintenance: next booster</h1>
      {error && (
        <Banner kind={error.status === 412 || error.status === 404 ? "info" : "error"} testid="maintenance-error">
          {sentence(error.message)}
        </Banner>
      )}
      {!p && !error && <p class="muted">Loading…</p>}
      {p && (
        <>
          <section class="card" aria-labelledby="proposal-title">
            <h2 id="proposal-title">
              {p.next_booster_date ? (
                <>
                  Proposed booster: <span data-testid="booster-date">{p.next_booster_date}</span>
                  {p.interval_days != null && (
                    <span class="muted" data-testid="booster-interval">
                      {" "}
                      ({p.interval_days} days after the last infusion)
                    </span>
                  )}
                </>
              ) : (
                "No booster proposed yet"
              )}
            </h2>
            <p class="booster-reason" data-testid="booster-reason">
              {p.reason}
            </p>
            {p.predicted_relapse_date && (
              <p class="muted" data-testid="booster-relapse">
                Predicted loss of benefit around {p.predicted_relapse_date}.
              </p>
            )}
            {p.phq9 && (
              <BoosterChart
                phq9={p.phq9}
                infusions={p.infusions}
                threshold={p.threshold ?? null}
                predictedRelapse={p.predicted_relapse_date ?? null}
                proposed={p.next_booster_date}
              />
            )}
            {p.method && <p class="hint">Method: {p.method}</p>}
            {p.bounds && (
              <p class="hint">
                Site bounds: {p.bounds.min}–{p.bounds.max} days between infusions.
              </p>
            )}
          </section>

          {p.durations && (
          <section class="card" aria-labelledby="durations-title">
            <h2 id="durations-title">How long each infusion helped</h2>
            {p.durations.length === 0 ? (
              <p class="muted">No past intervals yet.</p>
            ) : (
              <div class="table-scroll">
                <table class="table" data-testid="booster-durations">
                  <thead>
                    <tr>
                      <th scope="col">Infusion</th>
                      <th scope="col" class="num">
                        Benefit (days)
                      </th>
                      <th scope="col">Note</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.durations.map((d) => (
                      <tr key={d.infusion_date} data-testid="booster-duration">
                        <td class="nowrap">{d.infusion_date}</td>
                        <td class="num">
                          {d.benefit_days ?? (d.observed_days != null ? `≥ ${d.observed_days}` : "—")}
                        </td>
                        <td class="muted">
                          {d.censored ? "no relapse seen before the next infusion or today (at least this long)" : "PHQ-9 crossed the threshold"}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          )}

          {p.decisions && p.decisions.length > 0 && (
            <section class="card" aria-labelledby="decisions-title">
              <h2 id="decisions-title">Decisions</h2>
              <ul class="task-list">
                {p.decisions.map((d) => (
                  <li key={d.id} class="task-item" data-testid="booster-decision-row">
                    <strong>{d.accepted ? `Booster on ${calendarDate(d.date)}` : "Declined"}</strong>{" "}
                    <span class="muted">
                      ({d.interval_days} days{d.proposed_date && d.proposed_date !== d.date ? `; proposed ${d.proposed_date}` : ""}) ·{" "}
                      {d.decided_by} · {dateTime(d.decided_at)}
                    </span>
                    {d.reason && <div>{d.reason}</div>}
                  </li>
                ))}
              </ul>
            </section>
          )}

          {can(user, "booster.decide") && p.next_booster_date && (
            <Decision patientId={id} proposal={p} lastInfusion={lastInfusion} onDecided={reload} />
          )}
        </>
      )}
    </section>
  );
}

function Decision({
  patientId,
  proposal,
  lastInfusion,
  onDecided,
}: {
  patientId: string;
  proposal: BoosterProposal;
  lastInfusion: string | null;
  onDecided: () => void;
}) {
  const proposed = proposal.next_booster_date!;
  const [date, setDate] = useState(proposed);
  const [reason, setReason] = useState("");
  const m = useMutation();
  const [done, setDone] = useState<string | null>(null);
  const changed = date !== proposed;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (changed && !reason.trim()) {
      m.fail("Say why the date is changed.", "reason");
      return;
    }
    await m.run(async () => {
      const interval = lastInfusion ? daysBetween(lastInfusion, date) : (proposal.interval_days ?? 0);
      await schedule.decideBooster(patientId, {
        date,
        interval_days: changed ? interval : (proposal.interval_days ?? interval),
        // "accepted" is the booster itself (false would decline it); a changed date carries its reason.
        accepted: true,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setDone(changed ? `Booster date changed to ${date}.` : `Booster on ${date} accepted.`);
      onDecided();
    });
  };

  return (
    <section class="card" aria-labelledby="decide-title" data-testid="booster-decision">
      <h2 id="decide-title">Decision</h2>
      {done ? (
        <Banner kind="success" testid="booster-decided">
          {done} Book it from the calendar or the patient's page.
        </Banner>
      ) : (
        <form class="inline-form" onSubmit={submit} noValidate>
          <div class={`field${m.error?.field === "date" ? " field-invalid" : ""}`}>
            <label for="booster-date-input">Booster date</label>
            <input
              id="booster-date-input"
              type="date"
              value={date}
              onInput={(e) => setDate((e.currentTarget as HTMLInputElement).value)}
              data-testid="booster-date-input"
            />
          </div>
          {changed && (
            <div class={`field field-wide${m.error?.field === "reason" ? " field-invalid" : ""}`}>
              <label for="booster-reason-input">Why change the proposed date?</label>
              <textarea
                id="booster-reason-input"
                rows={2}
                value={reason}
                onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
                data-testid="booster-reason-input"
              />
            </div>
          )}
          {m.errorText && (
            <div class="field-error" role="alert" data-testid="booster-error">
              {m.errorText}
            </div>
          )}
          <div class="actions">
            <button type="submit" class="btn btn-primary" disabled={m.pending} data-testid="booster-submit">
              {changed ? "Save the changed date" : "Accept the proposed date"}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
