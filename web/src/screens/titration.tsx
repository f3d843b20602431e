// The titration suggestion on the infusion plan screen: what the server suggests for the next
// infusion of a patient in treatment (GET /patients/:id/titration), learned from the sessions of
// the current course with the plan in force at each and the PHQ-9 before and after. Ticking a
// tolerability event of the latest session asks again with ?events=…. "Accept suggestion" only
// fills the plan form (which previews); the prescriber may change it and saves as usual.

import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { useResource } from "../data";
import type { ToleranceEvent } from "../types";
import { dateOnly } from "../format";
import { Banner } from "../components/messages";

export const EVENTS: { code: ToleranceEvent; label: string }[] = [
  { code: "severe_dissociation", label: "Severe dissociation" },
  { code: "bp_event", label: "Blood pressure event" },
  { code: "vomiting", label: "Vomiting" },
];

const ACTION_LABELS: Record<string, string> = {
  step_up: "Step up",
  step_down: "Step down",
  lengthen: "Lengthen",
  keep: "Keep",
};

/** A dose or a duration without float noise: 0.6000000000000001 → "0.6". */
export function plain(n: number): string {
  return String(Number(n.toFixed(4)));
}

export function TitrationPanel({
  patientId,
  onAccept,
}: {
  patientId: string;
  onAccept: (mgPerKg: string, minutes: string) => void;
}) {
  const [events, setEvents] = useState<ToleranceEvent[]>([]);
  const [accepted, setAccepted] = useState(false);
  const result = useResource(() => api.titration(patientId, events), [patientId, events.join(",")]);
  const busy = result.loading;
  // A new question (another tolerability event ticked) asks again: the old answer is not accepted.
  useEffect(() => setAccepted(false), [patientId, events.join(",")]);

  // 412: no course or no given infusion with a saved plan yet.
  if (result.error?.status === 412) {
    return (
      <p class="muted small" data-testid="titration-none">
        No titration suggestion: no infusion history yet.
      </p>
    );
  }
  if (result.error) {
    return (
      <Banner kind="error" testid="titration-error">
        Titration suggestion: {result.errorText}
      </Banner>
    );
  }
  if (!result.data) return null;
  const { suggestion: s, history, baseline_phq9 } = result.data;
  const toggle = (code: ToleranceEvent, on: boolean) =>
    setEvents(EVENTS.map((e) => e.code).filter((c) => (c === code ? on : events.includes(c))));
  const improvement = s.improvement_percent;

  return (
    <section class="card titration" aria-labelledby="titration-title" data-testid="titration" aria-busy={busy}>
      <h2 id="titration-title">Titration suggestion</h2>
      <p class="titration-head">
        <span class={`badge titration-${s.action}`} data-testid="titration-action" data-action={s.action}>
          {ACTION_LABELS[s.action] ?? s.action}
        </span>{" "}
        <strong data-testid="titration-dose">
          <span data-testid="titration-mg-per-kg">{plain(s.mg_per_kg)}</span> mg/kg over{" "}
          <span data-testid="titration-minutes">{plain(s.minutes)}</span> min
        </strong>
      </p>
      <p data-testid="titration-reason">{s.reason}</p>
      <p class="muted small">
        PHQ-9 improvement from baseline{baseline_phq9 != null ? ` (${baseline_phq9})` : ""}:{" "}
        <span data-testid="titration-improvement">
          {improvement == null ? "not known" : `${Math.round(improvement)} %`}
        </span>
        {" · "}
        {s.sessions_at_current_dose} infusion{s.sessions_at_current_dose === 1 ? "" : "s"} at the current dose
      </p>
      <fieldset class="titration-events">
        <legend>Tolerability in the latest infusion</legend>
        <div class="check-row">
          {EVENTS.map((e) => (
            <label class="check" key={e.code}>
              <input
                type="checkbox"
                checked={events.includes(e.code)}
                onChange={(ev) => toggle(e.code, (ev.currentTarget as HTMLInputElement).checked)}
                data-testid={`titration-event-${e.code}`}
              />
              {e.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="table-scroll">
        <table class="table" data-testid="titration-history">
          <caption class="visually-hidden">Infusions the suggestion learned from</caption>
          <thead>
            <tr>
              <th scope="col">Infusion</th>
              <th scope="col" class="num">
                mg/kg
              </th>
              <th scope="col" class="num">
                Minutes
              </th>
              <th scope="col" class="num">
                PHQ-9 before
              </th>
              <th scope="col" class="num">
                PHQ-9 after
              </th>
            </tr>
          </thead>
          <tbody>
            {history.map((h, i) => (
              <tr key={`${h.at}-${i}`} data-testid="titration-session">
                <td class="nowrap">{dateOnly(h.at)}</td>
                <td class="num">{plain(h.mg_per_kg)}</td>
                <td class="num">{plain(h.minutes)}</td>
                <td class="num">{h.phq9_before ?? "—"}</td>
                <td class="num">{h.phq9_after ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="actions">
        <button
          type="button"
          class="btn"
          disabled={busy}
          onClick={() => {
            onAccept(plain(s.mg_per_kg), plain(s.minutes));
            setAccepted(true);
          }}
          data-testid="titration-accept"
        >
          Accept suggestion
        </button>
        {accepted && (
          <span class="muted small" role="status" data-testid="titration-accepted">
            Put into the plan below: check it, change it if needed, and save.
          </span>
        )}
      </div>
      <p class="muted small">
        A suggestion from the site's titration settings (version {s.settings_version}); the prescriber decides.
      </p>
    </section>
  );
}
