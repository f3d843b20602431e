// The panels of the session screen (web/src/screens/session.tsx): pre-checks, drawing from a lot,
// alerts with the action taken, side effects, CADSS/BPRS scores, waste with a witness, the
// discharge checklist, signing and addenda. Each form keeps the server's error beside the field it
// names. In a signed session only the read-only parts render (and print).

import { useEffect, useState } from "preact/hooks";
import { loadInstruments } from "../api";
import { useResource, useMutation } from "../data";
import { calendarDate, dateTime, doseMg, fieldMessage, instrumentName, rateMlh, severityLabel } from "../format";
import type { Instrument } from "../types";
import {
  DISCHARGE_ITEMS,
  SIDE_EFFECTS,
  sessionApi,
  type InfusionSession,
  type Lot,
} from "../session";
import { CheckRow, FormBanner, mg, numberOrBlank } from "./session_util";
import { SubmitButton } from "./form";

type Apply = (s: InfusionSession) => void;
type Reload = () => Promise<void>;

const PRE_START = ["scheduled", "checked_in", "prechecks_passed"];

export function PrechecksPanel({ s, prescriber, locked, onChange }: { s: InfusionSession; prescriber: boolean; locked: boolean; onChange: Apply }) {
  const item = (k: string) => s.prechecks.items.find((i) => i.key === k);
  const [escort, setEscort] = useState(item("escort_present")?.passed === true);
  const [pregnancy, setPregnancy] = useState(() => {
    const d = item("pregnancy_test")?.detail ?? "";
    return ["negative", "positive", "not_applicable"].find((x) => d.includes(x)) ?? "";
  });
  const [reason, setReason] = useState("");
  const f = useMutation();
  const o = useMutation();
  const editable = !locked && PRE_START.includes(s.state);

  const save = (e: Event) => {
    e.preventDefault();
    if (!pregnancy) {
      f.fail("Choose the pregnancy test result.", "pregnancy_test");
      return;
    }
    void f.run(async () => onChange(await sessionApi.prechecks(s.id, { escort_present: escort, pregnancy_test: pregnancy })));
  };
  const override = (e: Event) => {
    e.preventDefault();
    void o.run(async () => {
      onChange(await sessionApi.override(s.id, reason.trim()));
      setReason("");
    });
  };

  return (
    <section class="card" aria-labelledby="prechecks-title" data-testid="prechecks">
      <h2 id="prechecks-title">
        Pre-checks{" "}
        <span class={`badge ${s.prechecks.passed ? "precheck-pass" : "precheck-fail"}`} data-testid="prechecks-status">
          {s.prechecks.passed ? "Passed" : "Not passed"}
        </span>
      </h2>
      <ul class="precheck-list">
        {s.prechecks.items.map((i) => (
          <li key={i.key} data-testid="precheck-item" data-key={i.key} data-passed={String(i.passed)}>
            <span class={`precheck-mark precheck-${i.passed === true ? "yes" : i.passed === false ? "no" : "unknown"}`} aria-hidden="true">
              {i.passed === true ? "✓" : i.passed === false ? "✗" : "?"}
            </span>
            <span>
              <strong>{i.label}</strong>
              <span class="visually-hidden">{i.passed === true ? " passed" : i.passed === false ? " failed" : " not checked"}</span>
              {i.detail && <span class="hint-block" data-testid="precheck-detail">{i.detail}</span>}
            </span>
          </li>
        ))}
      </ul>
      {s.prechecks.override && (
        <p class="banner banner-info" data-testid="precheck-override">
          Overridden by {s.prechecks.override.by} on {dateTime(s.prechecks.override.at)}: {s.prechecks.override.reason}
        </p>
      )}
      {editable && (
        <form onSubmit={save} noValidate class="no-print" data-testid="prechecks-form">
          <CheckRow id="pc-escort" checked={escort} onChange={setEscort} error={f.errorFor("escort_present")} testid="precheck-escort-present">
            Escort is present
          </CheckRow>
          <div class={`field${f.errorFor("pregnancy_test") ? " field-invalid" : ""}`}>
            <label for="pc-pregnancy">Pregnancy test</label>
            <select
              id="pc-pregnancy"
              value={pregnancy}
              onChange={(e) => setPregnancy((e.currentTarget as HTMLSelectElement).value)}
              aria-invalid={f.errorFor("pregnancy_test") ? true : undefined}
              data-testid="precheck-pregnancy"
            >
              <option value="">—</option>
              <option value="negative">Negative</option>
              <option value="positive">Positive</option>
              <option value="not_applicable">Not applicable</option>
            </select>
            {f.errorFor("pregnancy_test") && (
              <div class="field-error" data-testid="error-pregnancy_test">
                {f.errorFor("pregnancy_test")}
              </div>
            )}
          </div>
          <FormBanner message={f.general(["escort_present", "pregnancy_test"])} testid="prechecks-error" />
          <SubmitButton pending={f.pending} testid="prechecks-save">Save pre-checks</SubmitButton>
        </form>
      )}
      {editable && prescriber && !s.prechecks.passed && !s.prechecks.override && (
        <form onSubmit={override} noValidate class="no-print session-override" data-testid="override-form">
          <div class={`field${o.errorFor("reason") ? " field-invalid" : ""}`}>
            <label for="pc-override">Override failing pre-checks: reason</label>
            <input
              id="pc-override"
              value={reason}
              onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)}
              data-testid="override-reason"
            />
            {o.errorFor("reason") && <div class="field-error" data-testid="error-override-reason">{o.errorFor("reason")}</div>}
          </div>
          <FormBanner message={o.general(["reason"])} testid="override-error" />
          <button type="submit" class="btn" disabled={o.pending} data-testid="override-submit">
            Override
          </button>
        </form>
      )}
    </section>
  );
}

/**
 * Lots a dose may come from: not expired, with something left, the one that expires first first
 * (first expired, first out), so that the form offers it.
 */
export function usable(lots: Lot[]): Lot[] {
  return lots
    .filter((l) => !l.expired && l.balance_mg > 0)
    .sort((a, b) => a.expiry.localeCompare(b.expiry) || a.balance_mg - b.balance_mg || a.lot_number.localeCompare(b.lot_number));
}

export function DrawPanel({ s, planned, reload }: { s: InfusionSession; planned: number | undefined; reload: Reload }) {
  const [lot, setLot] = useState("");
  // Prefilled with the planned dose as a syringe measures it.
  const [amount, setAmount] = useState(planned != null ? doseMg(planned) : "");
  // A draw above the plan and the site's margin: a prescriber says why (the server asks).
  const [reason, setReason] = useState("");
  const f = useMutation();
  const askedWhy = f.error?.field === "reason" || reason !== "";
  const { data: lots, errorText: loadError } = useResource(() => sessionApi.lots().then((r) => usable(r.lots)), [], {
    onLoad: (u) => u.length && setLot(u[0].id),
  });

  const submit = (e: Event) => {
    e.preventDefault();
    const n = numberOrBlank(amount);
    if (n === undefined || !Number.isFinite(n) || n <= 0) {
      f.fail("Enter the amount drawn in mg.", "amount_mg");
      return;
    }
    if (!lot) {
      f.fail("Choose a lot.", "lot_id");
      return;
    }
    void f.run(async () => {
      await sessionApi.draw(s.id, lot, n, reason.trim() || undefined);
      await reload();
    });
  };

  return (
    <form class="card no-print" onSubmit={submit} noValidate aria-labelledby="draw-title" data-testid="draw-form">
      <h2 id="draw-title">Draw the dose</h2>
      {loadError && <FormBanner message={loadError} testid="lots-error" />}
      <div class="grid">
        <div class={`field${f.errorFor("lot_id") ? " field-invalid" : ""}`}>
          <label for="draw-lot">Lot</label>
          <select id="draw-lot" value={lot} onChange={(e) => setLot((e.currentTarget as HTMLSelectElement).value)} data-testid="draw-lot">
            {!lots?.length && <option value="">No usable lot</option>}
            {lots?.map((l, i) => (
              <option key={l.id} value={l.id}>
                {l.lot_number} · {l.product} {l.strength_mg_per_ml} mg/mL · {doseMg(l.balance_mg)} mg left · expires {calendarDate(l.expiry)}
                {i === 0 && lots.length > 1 ? " (expires first)" : ""}
              </option>
            ))}
          </select>
          {f.errorFor("lot_id") && <div class="field-error" data-testid="error-draw-lot">{f.errorFor("lot_id")}</div>}
        </div>
        <div class={`field${f.errorFor("amount_mg") ? " field-invalid" : ""}`}>
          <label for="draw-amount">Amount (mg)</label>
          <input
            id="draw-amount"
            inputMode="decimal"
            value={amount}
            onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={f.errorFor("amount_mg") ? true : undefined}
            data-testid="draw-amount"
          />
          <div class="hint">Prefilled with the planned dose.</div>
          {f.errorFor("amount_mg") && <div class="field-error" data-testid="error-draw-amount">{f.errorFor("amount_mg")}</div>}
        </div>
      </div>
      {askedWhy && (
        <div class={`field${f.errorFor("reason") ? " field-invalid" : ""}`}>
          <label for="draw-reason">Why draw more than the plan?</label>
          <input id="draw-reason" value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} data-testid="draw-reason" />
          {f.error?.field === "reason" && (
            <div class="field-error" data-testid="error-draw-reason">
              {fieldMessage("A reason", f.error.message, "reason")}
            </div>
          )}
        </div>
      )}
      <FormBanner message={f.general(["lot_id", "amount_mg", "reason"])} testid="draw-error" />
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={f.pending || !lots?.length} data-testid="draw-submit">
          Record draw
        </button>
      </div>
    </form>
  );
}

export function CustodyPanel({ s }: { s: InfusionSession }) {
  const c = s.custody;
  if (!c) return null;
  return (
    <section class="card" aria-labelledby="custody-title" data-testid="custody">
      <h2 id="custody-title">Controlled substance</h2>
      <dl class="session-facts">
        <dt>Drawn</dt>
        <dd data-testid="custody-drawn" data-value={c.drawn_mg}>{mg(c.drawn_mg)}</dd>
        <dt>Administered</dt>
        <dd data-testid="custody-administered" data-value={c.administered_mg}>{mg(c.administered_mg)}</dd>
        <dt>Wasted</dt>
        <dd data-testid="custody-wasted" data-value={c.wasted_mg}>{mg(c.wasted_mg)}</dd>
        <dt>Reconciled</dt>
        <dd data-testid="custody-reconciled">{c.reconciled ? "Yes" : "No"}</dd>
      </dl>
      {c.entries.length > 0 && (
        <ul class="session-log">
          {c.entries.map((e) => (
            <li key={e.id} data-testid="custody-entry" data-kind={e.type}>
              {dateTime(e.at)} · {severityLabel(e.type)} {mg(Math.abs(e.amount_mg))} · {e.by}
              {e.witness ? ` · witness ${e.witness}` : ""}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertAction({ sessionId, alertId, reload }: { sessionId: string; alertId: string; reload: Reload }) {
  const [text, setText] = useState("");
  const f = useMutation();
  const submit = (e: Event) => {
    e.preventDefault();
    void f.run(async () => {
      await sessionApi.alertAction(sessionId, alertId, text.trim());
      await reload();
    });
  };
  const err = f.errorFor("action_taken");
  return (
    <form onSubmit={submit} noValidate class="inline-form no-print" data-testid="alert-action-form">
      <div class={`field${err ? " field-invalid" : ""}`}>
        <label for={`aa-${alertId}`}>Action taken</label>
        <input
          id={`aa-${alertId}`}
          value={text}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={err ? true : undefined}
          data-testid="alert-action"
        />
        {err && <div class="field-error" data-testid="error-alert-action">{err}</div>}
      </div>
      <FormBanner message={f.general(["action_taken"])} testid="alert-action-error" />
      <SubmitButton pending={f.pending} testid="alert-action-submit">Record action</SubmitButton>
    </form>
  );
}

export function AlertsPanel({ s, locked, reload }: { s: InfusionSession; locked: boolean; reload: Reload }) {
  const alerts = [...s.alerts].sort((a, b) => (a.at < b.at ? 1 : -1));
  return (
    <section class="card" aria-labelledby="session-alerts-title" data-testid="session-alerts">
      <h2 id="session-alerts-title">Alerts</h2>
      {alerts.length === 0 && <p class="muted">No alerts.</p>}
      <ul class="session-alert-list">
        {alerts.map((a) => (
          <li key={a.id} class={a.action_taken ? "alert-done" : "session-alert-open"} data-testid="session-alert" data-kind={a.kind} data-open={String(!a.action_taken)}>
            <div>
              <strong data-testid="session-alert-message">{a.message}</strong> <span class="muted">· {dateTime(a.at)}</span>
            </div>
            <div data-testid="session-alert-recommended">Recommended: {a.recommended_action}</div>
            {a.action_taken ? (
              <div data-testid="session-alert-taken">
                Action taken: {a.action_taken} ({a.action_by}
                {a.action_at ? `, ${dateTime(a.action_at)}` : ""})
              </div>
            ) : (
              !locked && <AlertAction sessionId={s.id} alertId={a.id} reload={reload} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SideEffectsPanel({ s, locked, reload }: { s: InfusionSession; locked: boolean; reload: Reload }) {
  const [effect, setEffect] = useState("nausea_vomiting");
  const [severity, setSeverity] = useState("mild");
  const [action, setAction] = useState("");
  const [note, setNote] = useState("");
  const f = useMutation();
  const submit = (e: Event) => {
    e.preventDefault();
    void f.run(async () => {
      await sessionApi.sideEffect(s.id, { effect, severity, action: action.trim(), ...(note.trim() ? { note: note.trim() } : {}) });
      setAction("");
      setNote("");
      await reload();
    });
  };
  const fields = ["effect", "severity", "action", "note"];
  return (
    <section class="card" aria-labelledby="se-title" data-testid="side-effects">
      <h2 id="se-title">Side effects</h2>
      {s.side_effects.length === 0 ? (
        <p class="muted">None recorded.</p>
      ) : (
        <ul class="session-log">
          {s.side_effects.map((x) => (
            <li key={x.id} data-testid="side-effect-row">
              {dateTime(x.at)} · <strong>{severityLabel(x.effect)}</strong> ({x.severity}) · {x.action}
              {x.note ? ` · ${x.note}` : ""} · {x.by}
            </li>
          ))}
        </ul>
      )}
      {!locked && (
        <form onSubmit={submit} noValidate class="no-print" data-testid="side-effect-form">
          <div class="grid">
            <div class={`field${f.errorFor("effect") ? " field-invalid" : ""}`}>
              <label for="se-effect">Effect</label>
              <select id="se-effect" value={effect} onChange={(e) => setEffect((e.currentTarget as HTMLSelectElement).value)} data-testid="side-effect-effect">
                {SIDE_EFFECTS.map((x) => (
                  <option key={x} value={x}>
                    {severityLabel(x)}
                  </option>
                ))}
              </select>
              {f.errorFor("effect") && <div class="field-error">{f.errorFor("effect")}</div>}
            </div>
            <div class={`field${f.errorFor("severity") ? " field-invalid" : ""}`}>
              <label for="se-severity">Severity</label>
              <select id="se-severity" value={severity} onChange={(e) => setSeverity((e.currentTarget as HTMLSelectElement).value)} data-testid="side-effect-severity">
                <option value="mild">Mild</option>
                <option value="moderate">Moderate</option>
                <option value="severe">Severe</option>
              </select>
              {f.errorFor("severity") && <div class="field-error">{f.errorFor("severity")}</div>}
            </div>
            <div class={`field${f.errorFor("action") ? " field-invalid" : ""}`}>
              <label for="se-action">Action</label>
              <input id="se-action" value={action} onInput={(e) => setAction((e.currentTarget as HTMLInputElement).value)} data-testid="side-effect-action" />
              {f.errorFor("action") && <div class="field-error" data-testid="error-side-effect-action">{f.errorFor("action")}</div>}
            </div>
            <div class={`field${f.errorFor("note") ? " field-invalid" : ""}`}>
              <label for="se-note">Note {effect === "other" ? "(describe the effect)" : "(optional)"}</label>
              <input id="se-note" value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} data-testid="side-effect-note" />
              {f.errorFor("note") && <div class="field-error" data-testid="error-side-effect-note">{f.errorFor("note")}</div>}
            </div>
          </div>
          <FormBanner message={f.general(fields)} testid="side-effect-error" />
          <div class="actions">
            <SubmitButton pending={f.pending} testid="side-effect-submit">Record side effect</SubmitButton>
          </div>
        </form>
      )}
    </section>
  );
}

export function ScoresPanel({ s, locked, due, reload }: { s: InfusionSession; locked: boolean; due: boolean; reload: Reload }) {
  const [instrument, setInstrument] = useState("cadss");
  const [values, setValues] = useState<Record<number, string>>({});
  const f = useMutation();
  const defs: Instrument[] = useResource(loadInstruments, []).data?.filter((x) => x.id === "cadss" || x.id === "bprs") ?? [];
  const def = defs.find((d) => d.id === instrument);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!def) return;
    const items = def.items.map((it) => {
      const n = numberOrBlank(values[it.number] ?? "");
      return n === undefined || !Number.isFinite(n) ? null : n;
    });
    void f.run(async () => {
      await sessionApi.score(s.id, instrument, items);
      setValues({});
      await reload();
    });
  };
  const itemError = (n: number) => f.errorFor(`item_${n}`) ?? f.errorFor(`items[${n - 1}]`);
  const hasCadss = s.scores.some((x) => x.instrument === "cadss");
  return (
    <section class="card" aria-labelledby="scores-title" data-testid="scores">
      <h2 id="scores-title">Scores during the session</h2>
      {due && !hasCadss && (
        <p class="banner banner-info" data-testid="cadss-due">
          CADSS is due: 40 minutes into the infusion.
        </p>
      )}
      {s.scores.length > 0 && (
        <ul class="session-log">
          {s.scores.map((x) => (
            <li key={x.id} data-testid="score-row" data-instrument={x.instrument}>
              {instrumentName(x.instrument)}: <strong data-testid="score-total">{x.total ?? "not scored"}</strong> · {dateTime(x.at)} · {x.by}
            </li>
          ))}
        </ul>
      )}
      {!locked && defs.length > 0 && (
        <form onSubmit={submit} noValidate class="no-print" data-testid="score-form">
          <div class="field">
            <label for="score-instrument">Scale</label>
            <select
              id="score-instrument"
              value={instrument}
              onChange={(e) => {
                setInstrument((e.currentTarget as HTMLSelectElement).value);
                setValues({});
              }}
              data-testid="score-instrument"
            >
              {defs.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.title}
                </option>
              ))}
            </select>
          </div>
          {def && (
            <div class="grid item-grid" key={def.id}>
              {def.items.map((it) => {
                const err = itemError(it.number);
                return (
                  <div class={`field${err ? " field-invalid" : ""}`} key={it.number}>
                    <label for={`score-item-${it.number}`}>{it.text ? `${it.number}. ${it.text}` : `Item ${it.number}`}</label>
                    <input
                      id={`score-item-${it.number}`}
                      type="number"
                      inputMode="numeric"
                      min={it.min}
                      max={it.max}
                      value={values[it.number] ?? ""}
                      onInput={(e) => setValues({ ...values, [it.number]: (e.currentTarget as HTMLInputElement).value })}
                      data-testid={`score-item-${it.number}`}
                    />
                    <div class="hint">
                      Score {it.min}–{it.max}
                    </div>
                    {err && <div class="field-error" data-testid={`error-score-item-${it.number}`}>{err}</div>}
                  </div>
                );
              })}
            </div>
          )}
          <FormBanner message={f.general(def ? def.items.flatMap((it) => [`item_${it.number}`, `items[${it.number - 1}]`]) : [])} testid="score-error" />
          <div class="actions">
            <button type="submit" class="btn btn-primary" disabled={f.pending || !def} data-testid="score-submit">
              Save score
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function WastePanel({ s, reload }: { s: InfusionSession; reload: Reload }) {
  const c = s.custody;
  // The server rounds administered mg to 0.01 and wants drawn − administered to the same.
  const remaining = c ? Number((c.drawn_mg - c.administered_mg - c.wasted_mg).toFixed(2)) : 0;
  const [amount, setAmount] = useState(String(remaining));
  const [witness, setWitness] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const f = useMutation();
  useEffect(() => setAmount(String(remaining)), [remaining]);
  const submit = (e: Event) => {
    e.preventDefault();
    const n = numberOrBlank(amount);
    if (n === undefined || !Number.isFinite(n)) {
      f.fail("Enter the amount wasted in mg.", "amount_mg");
      return;
    }
    void f.run(async () => {
      try {
        await sessionApi.waste(s.id, n, witness.trim(), password, code.trim());
      } finally {
        setPassword("");
        setCode("");
      }
      await reload();
    });
  };
  const fields = ["amount_mg", "witness_username", "witness_password"];
  return (
    <form class="card no-print" onSubmit={submit} noValidate aria-labelledby="waste-title" data-testid="waste-form">
      <h2 id="waste-title">Waste the remainder</h2>
      <p class="muted">
        Drawn {mg(c?.drawn_mg)} − administered {mg(c?.administered_mg)} = <strong data-testid="waste-remaining">{mg(remaining)}</strong> to
        waste, witnessed.
      </p>
      <div class="grid grid-3">
        <div class={`field${f.errorFor("amount_mg") ? " field-invalid" : ""}`}>
          <label for="waste-amount">Amount (mg)</label>
          <input id="waste-amount" inputMode="decimal" value={amount} onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value)} data-testid="waste-amount" />
          {f.errorFor("amount_mg") && <div class="field-error" data-testid="error-waste-amount">{f.errorFor("amount_mg")}</div>}
        </div>
        <div class={`field${f.errorFor("witness_username") ? " field-invalid" : ""}`}>
          <label for="waste-witness">Witness username</label>
          <input id="waste-witness" autoComplete="off" value={witness} onInput={(e) => setWitness((e.currentTarget as HTMLInputElement).value)} data-testid="waste-witness" />
          {f.errorFor("witness_username") && <div class="field-error" data-testid="error-waste-witness">{f.errorFor("witness_username")}</div>}
        </div>
        <div class={`field${f.errorFor("witness_password") ? " field-invalid" : ""}`}>
          <label for="waste-password">Witness password</label>
          <input
            id="waste-password"
            type="password"
            autoComplete="off"
            value={password}
            onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
            data-testid="waste-password"
          />
          {f.errorFor("witness_password") && <div class="field-error" data-testid="error-waste-password">{f.errorFor("witness_password")}</div>}
        </div>
        <div class="field">
          <label for="waste-code">Witness one-time code</label>
          <input
            id="waste-code"
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            value={code}
            onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
            aria-describedby="waste-code-hint"
            data-testid="waste-code"
          />
          <div class="hint" id="waste-code-hint">
            Only if the witness uses an authenticator app.
          </div>
        </div>
      </div>
      <FormBanner message={f.general(fields)} testid="waste-error" />
      <div class="actions">
        <SubmitButton pending={f.pending} testid="waste-submit">Record waste</SubmitButton>
      </div>
    </form>
  );
}

export function DischargePanel({ s, onChange }: { s: InfusionSession; onChange: Apply }) {
  const esk = s.kind === "esketamine";
  const items = DISCHARGE_ITEMS.filter((i) => esk || !i.esketamineOnly);
  const [values, setValues] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(items.map((i) => [i.key, s.discharge?.items[i.key] ?? false])),
  );
  const f = useMutation();
  const submit = (e: Event) => {
    e.preventDefault();
    void f.run(async () => onChange(await sessionApi.discharge(s.id, values)));
  };
  return (
    <form class="card no-print" onSubmit={submit} noValidate aria-labelledby="discharge-title" data-testid="discharge-form">
      <h2 id="discharge-title">Discharge checklist</h2>
      {s.observation_ends_at && <p class="muted">Observation ends {dateTime(s.observation_ends_at)}.</p>}
      {items.map((i) => (
        <CheckRow
          key={i.key}
          id={`dc-${i.key}`}
          checked={values[i.key] ?? false}
          onChange={(v) => setValues({ ...values, [i.key]: v })}
          error={f.errorFor(i.key)}
          testid={`discharge-${i.key}`}
        >
          {i.label}
          {i.key === "vitals_near_baseline" && s.vitals_near_baseline_computed != null && (
            <span class="hint" data-testid="discharge-near-baseline-computed">
              {" "}
              (last BP {s.vitals_near_baseline_computed ? "is" : "is not"} within the site's limit of baseline)
            </span>
          )}
        </CheckRow>
      ))}
      <FormBanner message={f.general(items.map((i) => i.key))} testid="discharge-error" />
      <div class="actions">
        <SubmitButton pending={f.pending} testid="discharge-submit">Discharge</SubmitButton>
      </div>
    </form>
  );
}

export function DischargeRecord({ s }: { s: InfusionSession }) {
  if (!s.discharge) return null;
  const labels = Object.fromEntries(DISCHARGE_ITEMS.map((i) => [i.key, i.label]));
  return (
    <section class="card" aria-labelledby="discharged-title" data-testid="discharge-record">
      <h2 id="discharged-title">Discharged</h2>
      <p>
        {dateTime(s.discharge.at)} by {s.discharge.by}
      </p>
      <ul class="session-log">
        {Object.entries(s.discharge.items).map(([k, v]) => (
          <li key={k}>
            {v ? "✓" : "✗"} {labels[k] ?? severityLabel(k)}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SignPanel({ s, onChange }: { s: InfusionSession; onChange: Apply }) {
  const f = useMutation();
  return (
    <section class="card no-print" aria-labelledby="sign-title" data-testid="sign-panel">
      <h2 id="sign-title">Sign the record</h2>
      <p class="muted">Once signed the record is locked; later notes go in addenda.</p>
      <FormBanner message={(f.errorText ?? undefined)} testid="sign-error" />
      <button
        type="button"
        class="btn btn-primary btn-large"
        disabled={f.pending}
        onClick={() => void f.run(async () => onChange(await sessionApi.sign(s.id)))}
        data-testid="sign-submit"
      >
        Sign
      </button>
    </section>
  );
}

export function AddendaPanel({ s, onChange }: { s: InfusionSession; onChange: Apply }) {
  const [text, setText] = useState("");
  const f = useMutation();
  const submit = (e: Event) => {
    e.preventDefault();
    void f.run(async () => {
      onChange(await sessionApi.addendum(s.id, text.trim()));
      setText("");
    });
  };
  return (
    <section class="card" aria-labelledby="addenda-title" data-testid="addenda">
      <h2 id="addenda-title">Addenda</h2>
      {s.addenda.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="session-log">
          {s.addenda.map((a, i) => (
            <li key={i} data-testid="addendum">
              {dateTime(a.at)} · {a.by}: {a.text}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate class="no-print" data-testid="addendum-form">
        <div class={`field${f.errorFor("text") ? " field-invalid" : ""}`}>
          <label for="addendum-text">Add an addendum</label>
          <textarea id="addendum-text" rows={2} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} data-testid="addendum-text" />
          {f.errorFor("text") && <div class="field-error" data-testid="error-addendum-text">{f.errorFor("text")}</div>}
        </div>
        <FormBanner message={f.general(["text"])} testid="addendum-error" />
        <button type="submit" class="btn" disabled={f.pending} data-testid="addendum-submit">
          Add addendum
        </button>
      </form>
    </section>
  );
}

export function TransitionsLog({ s }: { s: InfusionSession }) {
  return (
    <section class="card" aria-labelledby="transitions-title" data-testid="transitions">
      <h2 id="transitions-title">Timeline</h2>
      <ul class="session-log">
        {s.transitions.map((t, i) => (
          <li key={i} data-testid="transition-row" data-to={t.to}>
            {dateTime(t.at)} · {t.from ? `${severityLabel(t.from)} → ` : ""}
            <strong>{severityLabel(t.to)}</strong> · {t.by}
            {t.reason ? ` · ${t.reason}` : ""}
          </li>
        ))}
        {s.segments.map((g, i) => (
          <li key={`seg-${i}`} data-testid="segment-row">
            Pump {dateTime(g.start)} – {g.end ? dateTime(g.end) : "now"} at {rateMlh(g.rate_ml_per_h)} mL/h
          </li>
        ))}
      </ul>
    </section>
  );
}
