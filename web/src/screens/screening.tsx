// #/patients/<id>/screening (prescriber, nurse): the screening of the newest intake — does she
// meet the treatment-resistance definition and why, every finding grouped by severity with its
// source and the site setting behind it, the benzodiazepine load, the rules and settings
// versions; for prescribers the decision form (approve, decline, override with a reason); and the
// history of decisions. Nurses see it read-only.

import { useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { useMutation, useResource } from "../data";
import type { Finding, Intake, ScreeningDecision, ScreeningOverview, ScreeningResult, User } from "../types";
import { dateTime, fieldMessage, fullName, num, sentence } from "../format";
import { AccessDenied, Banner, NotFound } from "../components/messages";
import {
  DECISION_LABELS,
  outcomeLabel,
  SEVERITIES,
  SEVERITY_HINTS,
  SEVERITY_LABELS,
  STATE_LABELS,
  type ScreeningState,
} from "../screening";
import { can } from "../access";

/** The decision form's error: beside the choice or the reason when it names one, else above the form. */
function decisionError(err: ApiError): { field?: string; message: string } {
  if (err.status === 0 && err.code === "unknown") return { message: err.message };
  const field = err.field === "decision" || err.field === "reason" ? err.field : undefined;
  return { field, message: field === "reason" ? fieldMessage("Reason", err.message) : sentence(err.message) };
}

export function screeningState(o: ScreeningOverview): ScreeningState {
  if (!o.intake) return "no_intake";
  if (!o.decision) return "awaiting";
  return (o.decision.decision as ScreeningState) ?? "awaiting";
}

export function StateBadge({ state, testid }: { state: ScreeningState; testid?: string }) {
  return (
    <span class={`badge screening-${state}`} data-testid={testid} data-state={state}>
      {STATE_LABELS[state]}
    </span>
  );
}

export function ScreeningScreen({ id, user }: { id: string; user: User }) {
  const [saved, setSaved] = useState<string | null>(() => {
    const v = sessionStorage.getItem("kclinic.intake-saved");
    sessionStorage.removeItem("kclinic.intake-saved");
    return v ? `Intake version ${v} saved and screened.` : null;
  });
  const allowed = can(user, "screening.read");
  const prescriber = can(user, "screening.write");

  const load = useResource(
    allowed ? () => Promise.all([api.getPatient(id), api.screening(id)]).then(([patient, overview]) => ({ patient, overview })) : null,
    [id, allowed],
  );

  if (!allowed) return <AccessDenied what="screening" />;
  if (load.error) {
    const e = load.error;
    if (e.status === 403) return <AccessDenied />;
    if (e.status === 404 || (e.status === 400 && e.field === "id")) return <NotFound what="Patient" />;
    return <Banner kind="error">{sentence(e.message)}</Banner>;
  }
  if (!load.data) return <p class="muted">Loading…</p>;
  const { patient, overview: o } = load.data;
  const pid = encodeURIComponent(patient.id);
  const state = screeningState(o);
  const canPlan = prescriber && (state === "approve" || state === "override");

  return (
    <section aria-labelledby="screening-title" data-testid="screening-page" data-state={state}>
      <p class="crumbs">
        <a href={`#/patients/${pid}`}>← {fullName(patient.name)}</a>
      </p>
      <div class="title-row">
        <h1 id="screening-title">
          Screening <StateBadge state={state} testid="screening-state" />
        </h1>
        <div class="actions">
          {prescriber && (
            <a class="btn" href={`#/patients/${pid}/intake`} data-testid="intake-link">
              {o.intake ? "New intake version" : "Enter intake"}
            </a>
          )}
          {canPlan && (
            <a class="btn btn-primary" href={`#/patients/${pid}/plan`} data-testid="plan-link">
              Plan infusion
            </a>
          )}
        </div>
      </div>
      {saved && (
        <Banner kind="success" testid="intake-saved">
          {saved}
        </Banner>
      )}
      {!o.intake || !o.screening ? (
        <div class="card" data-testid="no-intake">
          <p>No intake has been entered for this patient yet.</p>
        </div>
      ) : (
        <>
          <IntakeMeta intake={o.intake} />
          <Trd result={o.screening} intake={o.intake} />
          <Findings result={o.screening} />
          {prescriber && (
            <DecisionForm
              patientId={patient.id}
              intake={o.intake}
              current={o.decision}
              onDecided={(d) => {
                setSaved(`Decision recorded: ${DECISION_LABELS[d.decision] ?? d.decision}.`);
                load.reload();
              }}
            />
          )}
        </>
      )}
      <DecisionHistory decisions={o.decisions} intake={o.intake} />
    </section>
  );
}

function IntakeMeta({ intake }: { intake: Intake }) {
  return (
    <p class="muted" data-testid="intake-meta">
      Intake version {intake.version}, entered {dateTime(intake.created_at)} by {intake.created_by}.
    </p>
  );
}

function Trd({ result, intake }: { result: ScreeningResult; intake: Intake }) {
  const t = result.trd;
  const trials = intake.body.trials ?? [];
  return (
    <section class="card" aria-labelledby="trd-title" data-testid="trd">
      <h2 id="trd-title">
        Meets TRD?{" "}
        <span class={`badge ${t.meets_trd ? "badge-ok" : "badge-warn"}`} data-testid="trd-verdict" data-meets={String(t.meets_trd)}>
          {t.meets_trd ? "Yes" : "No"}
        </span>
      </h2>
      <p data-testid="trd-explanation">{sentence(t.explanation)}</p>
      <p class="muted">
        {t.adequate_failed_trials} adequate failed trial{t.adequate_failed_trials === 1 ? "" : "s"} in the current episode;
        the site requires {t.required_trials}, each at least {num(t.min_weeks)} weeks (settings{" "}
        <code>screening.trd.min_failed_trials</code>, <code>screening.trd.min_weeks</code>).
      </p>
      {t.trials.length > 0 && (
        <ol class="trd-list" data-testid="trd-trials">
          {t.trials.map((r) => {
            const tr = trials[r.index];
            return (
              <li key={r.index} data-testid="trd-trial" data-counted={String(r.counted)}>
                <div>
                  <strong>{tr?.drug ?? `Trial ${r.index + 1}`}</strong>
                  {tr?.daily_dose_mg != null && ` ${num(tr.daily_dose_mg)} mg/day`}
                  {tr?.weeks != null && `, ${num(tr.weeks)} weeks`}
                  {tr?.outcome && `, ${outcomeLabel(tr.outcome).toLowerCase()}`}{" "}
                  <span class={`badge ${r.counted ? "badge-ok" : ""}`}>{r.counted ? "Counted" : "Not counted"}</span>
                </div>
                <div class="muted small">
                  Adequate: {r.adequate ? "yes" : "no"} · Failed: {r.failed ? "yes" : "no"} · {sentence(r.reason)}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function Findings({ result }: { result: ScreeningResult }) {
  const groups = SEVERITIES.map((s) => ({ severity: s, items: result.findings.filter((f) => f.severity === s) }));
  const other = result.findings.filter((f) => !(SEVERITIES as readonly string[]).includes(f.severity));
  if (other.length) groups.push({ severity: "warning", items: other });
  return (
    <section class="card" aria-labelledby="findings-title" data-testid="findings">
      <h2 id="findings-title">Findings</h2>
      {result.findings.length === 0 && (
        <p data-testid="no-findings">No contraindication, interaction or missing evaluation step.</p>
      )}
      {groups
        .filter((g) => g.items.length > 0)
        .map((g) => (
          <div class={`finding-group sev-${g.severity}`} key={g.severity} data-testid={`findings-${g.severity}`} data-severity={g.severity}>
            <h3>
              {SEVERITY_LABELS[g.severity]} ({g.items.length})
            </h3>
            <p class="hint">{SEVERITY_HINTS[g.severity]}</p>
            <ul class="finding-list">
              {g.items.map((f, i) => (
                <FindingItem f={f} key={`${f.rule_id}-${i}`} />
              ))}
            </ul>
          </div>
        ))}
      <dl class="facts" data-testid="screening-facts">
        <dt>Diazepam-equivalent benzodiazepine load</dt>
        <dd data-testid="diazepam-eq">{num(result.diazepam_equivalent_mg_per_day)} mg/day</dd>
        <dt>Rules version</dt>
        <dd data-testid="rules-version">{result.rules_version}</dd>
        <dt>Settings version</dt>
        <dd data-testid="settings-version">
          {result.settings_version}
          {result.settings_version === 0 ? " (all defaults)" : ""}
        </dd>
      </dl>
    </section>
  );
}

function FindingItem({ f }: { f: Finding }) {
  return (
    <li class="finding" data-testid="finding" data-rule={f.rule_id} data-severity={f.severity}>
      <div class="finding-message">
        <span class="sev-tag">{SEVERITY_LABELS[f.severity] ?? f.severity}:</span> {sentence(f.message)}
      </div>
      <div class="finding-meta">
        <span>
          Source: <span data-testid="finding-citation">{f.citation || "—"}</span>
        </span>
        {f.setting && (
          <span>
            Setting: <code data-testid="finding-setting">{f.setting}</code>
          </span>
        )}
        <span class="muted">
          Rule <code>{f.rule_id}</code>
        </span>
      </div>
    </li>
  );
}

function DecisionForm({
  patientId,
  intake,
  current,
  onDecided,
}: {
  patientId: string;
  intake: Intake;
  current: ScreeningDecision | null;
  onDecided: (d: ScreeningDecision) => void;
}) {
  const [decision, setDecision] = useState("");
  const [reason, setReason] = useState("");
  const m = useMutation();
  const error = m.error ? decisionError(m.error) : null;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!decision) {
      m.fail("Choose approve, decline or override.", "decision");
      return;
    }
    await m.run(async () => {
      const d = await api.decide(patientId, intake.id, decision, reason.trim());
      setDecision("");
      setReason("");
      onDecided(d);
    });
  };

  const options: [string, string, string][] = [
    ["approve", "Approve", "No hard stop and no finding that needs an override."],
    ["decline", "Decline", "Not a candidate now."],
    ["override", "Override", "Approve despite findings that need an override; the reason is required."],
  ];
  return (
    <section class="card" aria-labelledby="decide-title" data-testid="decision-form-card">
      <h2 id="decide-title">Decision on intake version {intake.version}</h2>
      {current && (
        <p data-testid="current-decision">
          In force: <strong>{DECISION_LABELS[current.decision] ?? current.decision}</strong> by {current.decided_by},{" "}
          {dateTime(current.decided_at)}. A new decision replaces it.
        </p>
      )}
      <form onSubmit={submit} noValidate data-testid="decision-form">
        <fieldset class={error?.field === "decision" ? "field-invalid" : ""} aria-describedby={error?.field === "decision" ? "decision-error" : undefined}>
          <legend>Decision</legend>
          <div class="decision-options">
            {options.map(([value, label, hint]) => (
              <label class="check decision-option" key={value}>
                <input type="radio" name="decision" value={value} checked={decision === value} onChange={() => setDecision(value)} data-testid={`decision-${value}`} />
                <span>
                  {label}
                  <span class="hint-block muted">{hint}</span>
                </span>
              </label>
            ))}
          </div>
          {error?.field === "decision" && (
            <div class="field-error" id="decision-error" role="alert" data-testid="error-decision">
              {error.message}
            </div>
          )}
        </fieldset>
        <div class={`field${error?.field === "reason" ? " field-invalid" : ""}`}>
          <label for="decision-reason">Reason{decision === "override" ? " (required for an override)" : ""}</label>
          <textarea
            id="decision-reason"
            rows={3}
            value={reason}
            onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
            aria-invalid={error?.field === "reason"}
            aria-describedby={error?.field === "reason" ? "reason-error" : undefined}
            data-testid="decision-reason"
          />
          {error?.field === "reason" && (
            <div class="field-error" id="reason-error" role="alert" data-testid="error-reason">
              {error.message}
            </div>
          )}
        </div>
        {error && !error.field && (
          <Banner kind="error" testid="decision-error">
            {error.message}
          </Banner>
        )}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={m.pending} data-testid="decision-submit">
            Record decision
          </button>
        </div>
      </form>
    </section>
  );
}

function DecisionHistory({ decisions, intake }: { decisions: ScreeningDecision[]; intake: Intake | null }) {
  return (
    <section class="card" aria-labelledby="decisions-title" data-testid="decision-history">
      <h2 id="decisions-title">Decision history</h2>
      {decisions.length === 0 ? (
        <p class="muted" data-testid="no-decisions">
          No decision yet.
        </p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Decision</th>
                <th scope="col">Reason</th>
                <th scope="col">Intake</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((d) => (
                <tr key={d.id} data-testid="decision-row" data-decision={d.decision}>
                  <td class="nowrap">{dateTime(d.decided_at)}</td>
                  <td>{d.decided_by}</td>
                  <td>
                    <strong>{DECISION_LABELS[d.decision] ?? d.decision}</strong>
                  </td>
                  <td class="wrap">{d.reason || <span class="muted">—</span>}</td>
                  <td class="muted">
                    {intake && d.intake_id === intake.id ? "current version" : "earlier version"} · rules {String(d.rules_version)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
