// #/alerts (prescribers): safety alerts raised by patients' answers, open ones first. An alert
// stays until a clinician acknowledges it with the action taken.

import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import { useMutation, useResource } from "../data";
import type { Alert } from "../types";
import { age, alertKindLabel, dateTime, fullName } from "../format";
import { Banner } from "../components/messages";
import { SubmitButton } from "../components/form";

/** Tells the header's alert badge to count again. */
export function alertsChanged(): void {
  window.dispatchEvent(new Event("kclinic:alerts-changed"));
}

export function Alerts() {
  const [showAll, setShowAll] = useState(false);
  const [acking, setAcking] = useState<Alert | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = useResource(() => api.alerts(showAll ? "all" : "open").then((r) => r.alerts), [showAll]);
  const alerts = list.data;
  const error = list.errorText;

  return (
    <section aria-labelledby="alerts-title" data-testid="alerts">
      <div class="title-row">
        <h1 id="alerts-title">Alerts</h1>
        <label class="check">
          <input
            type="checkbox"
            checked={showAll}
            onChange={(e) => setShowAll((e.currentTarget as HTMLInputElement).checked)}
            data-testid="alerts-show-all"
          />{" "}
          Show acknowledged
        </label>
      </div>
      {done && (
        <Banner kind="success" testid="ack-done">
          {done}
        </Banner>
      )}
      {error && (
        <Banner kind="error" testid="alerts-error">
          {error}
        </Banner>
      )}
      {!alerts && !error && <p class="muted">Loading…</p>}
      {alerts && alerts.length === 0 && (
        <p class="card muted" data-testid="no-alerts">
          {showAll ? "No alerts." : "No open alerts."}
        </p>
      )}
      {alerts && alerts.length > 0 && (
        <ul class="alert-list">
          {alerts.map((a) => (
            <li
              key={a.id}
              class={`card alert-item${a.acknowledged_at ? " alert-done" : ""}`}
              data-testid="alert"
              data-alert-id={a.id}
              data-patient-id={a.patient.id}
              data-assessment-id={a.assessment_id ?? undefined}
            >
              <div class="alert-main">
                <a href={`#/patients/${encodeURIComponent(a.patient.id)}`} class="alert-patient" data-testid="alert-patient">
                  {fullName(a.patient.name)}
                </a>
                <span class="alert-kind" data-testid="alert-kind">
                  {alertKindLabel(a.kind)}
                </span>
                {a.escalated && !a.acknowledged_at && (
                  <span class="badge badge-danger" data-testid="alert-escalated">
                    Escalated
                  </span>
                )}
              </div>
              <div class="muted alert-meta">
                <span title={dateTime(a.created_at)} data-testid="alert-age">
                  {age(a.created_at)}
                </span>
                {a.routed_to && <> · for {a.routed_to}</>}
              </div>
              {a.acknowledged_at ? (
                <div class="alert-ack" data-testid="alert-acknowledged">
                  Acknowledged {dateTime(a.acknowledged_at)}
                  {a.acknowledged_by && <> by {a.acknowledged_by}</>}: {a.action}
                </div>
              ) : (
                <div>
                  <button
                    type="button"
                    class="btn btn-primary btn-small"
                    onClick={() => {
                      setDone(null);
                      setAcking(a);
                    }}
                    data-testid="alert-ack"
                  >
                    Acknowledge
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {acking && (
        <AckDialog
          alert={acking}
          onClose={() => setAcking(null)}
          onDone={(a) => {
            setAcking(null);
            setDone(`Alert for ${fullName(a.patient.name)} acknowledged.`);
            list.reload();
            alertsChanged();
          }}
        />
      )}
    </section>
  );
}

function AckDialog({ alert, onClose, onDone }: { alert: Alert; onClose: () => void; onDone: (a: Alert) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [action, setAction] = useState("");
  const m = useMutation();
  const error = m.errorText;

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!action.trim()) {
      m.fail("Describe the action taken (for example: called the patient, safety plan reviewed).", "action");
      return;
    }
    await m.run(async () => {
      const a = await api.acknowledgeAlert(alert.id, action.trim());
      onDone({ ...alert, ...a });
    });
  };

  return (
    <dialog ref={ref} class="dialog" onClose={onClose} aria-labelledby="ack-title" data-testid="ack-dialog">
      <form onSubmit={submit} noValidate>
        <h2 id="ack-title">Acknowledge alert</h2>
        <p>
          {fullName(alert.patient.name)}: {alertKindLabel(alert.kind)}, {age(alert.created_at)}.
        </p>
        <div class={`field${error ? " field-invalid" : ""}`}>
          <label for="ack-action">Action taken</label>
          <textarea
            id="ack-action"
            rows={3}
            value={action}
            onInput={(e) => setAction((e.currentTarget as HTMLTextAreaElement).value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "ack-error" : undefined}
            required
            data-testid="ack-action"
          />
          {error && (
            <div class="field-error" id="ack-error" role="alert" data-testid="ack-error">
              {error}
            </div>
          )}
        </div>
        <div class="actions">
          <SubmitButton pending={m.pending} testid="ack-submit">Acknowledge</SubmitButton>
          <button type="button" class="btn" onClick={() => ref.current?.close()} data-testid="ack-cancel">
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
