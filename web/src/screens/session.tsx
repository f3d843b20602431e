// #/sessions/<id> (nurses, prescribers): one infusion or esketamine session at the chair, built
// for a tablet (768–1024 px) and the keyboard. A header with the patient, state, elapsed time
// (ticking), predicted plasma concentration now and when vitals are next due (or OVERDUE); then
// the pump buttons the server allows, the vitals row, alerts, and the panels of each stage
// (components/session_panels.tsx). A signed record is read-only with addenda and prints cleanly.

import { useEffect, useState } from "preact/hooks";
import { useResource, useMutation } from "../data";
import { elapsedText, esketamineTimers, vitalsDue } from "../session_timers";
import type { User } from "../types";
import { dateTime, doseMg, fieldMessage, num, parseTime, rateMlh, sentence, volumeMl } from "../format";
import { AccessDenied, Banner, NotFound } from "../components/messages";
import { VitalsEntry, VitalsTable } from "../components/session_vitals";
import {
  AddendaPanel,
  AlertsPanel,
  CustodyPanel,
  DischargePanel,
  DischargeRecord,
  DrawPanel,
  PrechecksPanel,
  ScoresPanel,
  SideEffectsPanel,
  SignPanel,
  TransitionsLog,
  WastePanel,
} from "../components/session_panels";
import { FormBanner, numberOrBlank } from "../components/session_util";
import {
  clock,
  kindLabel,
  patientName,
  sessionApi,
  stateLabel,
  transitionLabel,
  type InfusionSession,
} from "../session";
import { can } from "../access";
import { ApiError } from "../api";

/** A clock that re-renders every second while mounted. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function SessionScreen({ id, user }: { id: string; user: User }) {
  const allowed = can(user, "session.read");
  const load = useResource(allowed ? () => sessionApi.get(id) : null, [id, allowed]);
  const { reload } = load;

  useEffect(() => {
    if (!allowed) return;
    // Predicted concentration, due times and alerts move with the clock: re-read every 30 s.
    const t = setInterval(() => void reload(), 30_000);
    return () => clearInterval(t);
  }, [reload, allowed]);

  if (!allowed) return <AccessDenied what="infusion sessions" />;
  if (load.error) {
    const e = load.error;
    if (e.status === 403) return <AccessDenied />;
    if (e.status === 404) return <NotFound what="Session" />;
    return (
      <Banner kind="error" testid="session-load-error">
        {sentence(e.message)}
      </Banner>
    );
  }
  if (!load.data) return <p class="muted">Loading…</p>;
  return <SessionView s={load.data} user={user} apply={load.set} reload={reload} />;
}

function SessionView({
  s,
  user,
  apply,
  reload,
}: {
  s: InfusionSession;
  user: User;
  apply: (s: InfusionSession) => void;
  reload: () => Promise<void>;
}) {
  const now = useNow();
  const mayOverride = can(user, "session.override");
  const maySign = can(user, "session.sign");
  const esk = s.kind === "esketamine";
  const locked = !!s.signed || s.state === "cancelled";
  const drawn = s.custody?.drawn_mg ?? 0;
  const planned = esk ? s.plan?.planned_dose_mg : s.plan?.dose_mg;
  const elapsedMs = s.started_at ? now - parseTime(s.started_at) : NaN;
  const vitals = vitalsDue(s, now);
  const overdue = vitals.overdue;
  const remaining = s.custody ? s.custody.drawn_mg - s.custody.administered_mg - s.custody.wasted_mg : 0;
  const afterStop = ["stopped", "recovery", "monitoring", "discharged"].includes(s.state);
  const canDischarge =
    !locked && !s.discharge && (s.allowed_transitions.includes("discharged") || ["stopped", "recovery", "monitoring"].includes(s.state));

  return (
    <section aria-labelledby="session-title" data-testid="session-page" data-session-id={s.id} data-state={s.state} data-kind={s.kind}>
      <p class="crumbs no-print">
        <a href="#/sessions">← Sessions</a> · <a href={`#/patients/${encodeURIComponent(s.patient_id)}`}>Patient record</a>
        {esk && (
          <>
            {" "}
            · <a href={`#/sessions/${encodeURIComponent(s.id)}/rems`} data-testid="rems-link">REMS form</a>
          </>
        )}
      </p>
      <header class={`card session-header${overdue ? " session-header-overdue" : ""}`} data-testid="session-header">
        <div class="session-header-main">
          <h1 id="session-title">
            <span data-testid="session-patient">{patientName(s.patient.name)}</span>
            <span class="session-kind"> · {kindLabel(s.kind)}</span>
          </h1>
          <span class={`badge session-state session-state-${s.state}`} data-testid="session-state">
            {stateLabel(s.state)}
          </span>
          <button type="button" class="btn btn-small no-print" onClick={() => window.print()} data-testid="session-print">
            Print
          </button>
        </div>
        <dl class="session-stats">
          <div>
            <dt>Elapsed</dt>
            <dd data-testid="session-elapsed">{elapsedText(s, locked, now)}</dd>
          </div>
          {!esk && (
            <div>
              <dt>Predicted now</dt>
              <dd data-testid="session-concentration">
                {s.predicted_concentration_ng_per_ml != null ? `${Math.round(s.predicted_concentration_ng_per_ml)} ng/mL` : "—"}
              </dd>
            </div>
          )}
          <div>
            <dt>Next vitals</dt>
            <dd data-testid="session-vitals-due" data-overdue={String(overdue)}>
              {overdue ? <strong class="session-overdue-text">{vitals.text}</strong> : vitals.text}
            </dd>
          </div>
          {!esk && (
            <div>
              <dt>Administered</dt>
              <dd data-testid="session-administered" data-value={s.administered_mg}>
                {doseMg(s.administered_mg)} mg · {volumeMl(s.administered_ml)} mL
              </dd>
            </div>
          )}
          {!esk && s.plan && (
            <div>
              <dt>Plan</dt>
              <dd data-testid="session-plan">
                {doseMg(s.plan.dose_mg)} mg at {rateMlh(s.plan.rate_ml_per_h)} mL/h over {s.plan.duration_min != null ? num(s.plan.duration_min) : "—"} min
              </dd>
            </div>
          )}
          {esk && s.plan && (
            <div>
              <dt>Plan</dt>
              <dd data-testid="session-plan">
                {s.plan.planned_dose_mg} mg ({s.plan.devices_planned} devices)
              </dd>
            </div>
          )}
        </dl>
      </header>

      {(s.warnings ?? []).map((w, i) => (
        <Banner key={i} kind="info" testid="session-warning">
          {sentence(w)}
        </Banner>
      ))}
      {s.signed && (
        <Banner kind="info" testid="session-signed">
          Signed by {s.signed.by} on {dateTime(s.signed.at)}. The record is locked; add notes as addenda.
        </Banner>
      )}

      {!locked && <Controls s={s} apply={apply} />}
      {esk && <EsketaminePanel s={s} now={now} locked={locked} apply={apply} />}

      <PrechecksPanel s={s} prescriber={mayOverride} locked={locked} onChange={apply} />
      {!locked && !esk && drawn === 0 && ["checked_in", "prechecks_passed"].includes(s.state) && <DrawPanel s={s} planned={planned ?? undefined} reload={reload} />}
      {!locked && <VitalsEntry sessionId={s.id} onRecorded={() => void reload()} />}
      <AlertsPanel s={s} locked={locked} reload={reload} />
      <VitalsTable vitals={s.vitals} baseline={s.baseline} />
      <SideEffectsPanel s={s} locked={locked} reload={reload} />
      <ScoresPanel s={s} locked={locked} due={Number.isFinite(elapsedMs) && elapsedMs >= 40 * 60_000} reload={reload} />
      <CustodyPanel s={s} />
      {!locked && afterStop && remaining > 1e-9 && <WastePanel s={s} reload={reload} />}
      {canDischarge && <DischargePanel s={s} onChange={apply} />}
      <DischargeRecord s={s} />
      {maySign && s.state === "discharged" && !s.signed && <SignPanel s={s} onChange={apply} />}
      {s.signed && <AddendaPanel s={s} onChange={apply} />}
      <TransitionsLog s={s} />
    </section>
  );
}

/** The pump and state buttons: only the moves the server allows now; rate change while running. */
function Controls({ s, apply }: { s: InfusionSession; apply: (s: InfusionSession) => void }) {
  const lastRate = s.segments.length ? s.segments[s.segments.length - 1].rate_ml_per_h : s.plan?.rate_ml_per_h;
  const [rate, setRate] = useState(String(lastRate ?? ""));
  const [reason, setReason] = useState("");
  const [cancelReason, setCancelReason] = useState("");
  const [cancelling, setCancelling] = useState(false);
  // An infusion stopped before its planned duration: the server asks why (session rule).
  const [stopping, setStopping] = useState(false);
  const [stopReason, setStopReason] = useState("");
  const t = useMutation();
  const r = useMutation();
  const moves = s.allowed_transitions.filter((x) => x !== "discharged" && x !== "cancelled" && x !== "signed");

  const go = (to: string) =>
    void t.run(async () => {
      const extra: { rate_ml_per_h?: number } = {};
      if (to === "running") {
        const planned = s.state === "paused" ? lastRate : s.plan?.rate_ml_per_h;
        if (planned != null) extra.rate_ml_per_h = planned;
      }
      try {
        apply(await sessionApi.transition(s.id, to, extra));
      } catch (err) {
        if (to === "stopped" && err instanceof ApiError && err.field === "reason") setStopping(true);
        throw err;
      }
    });

  const stopEarly = (e: Event) => {
    e.preventDefault();
    void t.run(async () => {
      apply(await sessionApi.transition(s.id, "stopped", { reason: stopReason.trim() }));
      setStopping(false);
      setStopReason("");
    });
  };

  const changeRate = (e: Event) => {
    e.preventDefault();
    const n = numberOrBlank(rate);
    if (n === undefined || !Number.isFinite(n) || n <= 0) {
      r.fail("Enter the new rate in mL/h.", "rate_ml_per_h");
      return;
    }
    void r.run(async () => {
      apply(await sessionApi.rate(s.id, n, reason.trim() || undefined));
      setReason("");
    });
  };

  const cancel = (e: Event) => {
    e.preventDefault();
    void t.run(async () => apply(await sessionApi.transition(s.id, "cancelled", { reason: cancelReason.trim() })));
  };

  // Discharged (the checklist and signing have their own panels): nothing to press here.
  if (moves.length === 0 && !s.allowed_transitions.includes("cancelled") && s.state !== "running") return null;

  return (
    <section class="card no-print session-controls" aria-label="Session controls" data-testid="session-controls">
      <div class="actions session-buttons">
        {moves.map((to) => (
          <button
            key={to}
            type="button"
            class={`btn btn-large ${to === "stopped" || to === "paused" ? "btn-warn" : "btn-primary"}`}
            disabled={t.pending}
            onClick={() => go(to)}
            data-testid={`transition-${to}`}
          >
            {transitionLabel(to, s.state)}
            {to === "running" && s.state !== "paused" && s.plan?.rate_ml_per_h != null ? ` at ${rateMlh(s.plan.rate_ml_per_h)} mL/h` : ""}
          </button>
        ))}
        {s.allowed_transitions.includes("cancelled") && !cancelling && (
          <button type="button" class="btn btn-large" onClick={() => setCancelling(true)} data-testid="transition-cancelled">
            Cancel session…
          </button>
        )}
      </div>
      {stopping && s.state !== "stopped" && (
        <form onSubmit={stopEarly} noValidate class="inline-form" data-testid="stop-form">
          <div class={`field${t.errorFor("reason") ? " field-invalid" : ""}`}>
            <label for="stop-reason">Why stop before the planned {s.plan?.duration_min != null ? `${num(s.plan.duration_min)} min` : "time"}?</label>
            <input id="stop-reason" value={stopReason} onInput={(e) => setStopReason((e.currentTarget as HTMLInputElement).value)} data-testid="stop-reason" />
            {t.error?.field === "reason" && <div class="field-error">{fieldMessage("Reason", t.error.message, "reason")}</div>}
          </div>
          <button type="submit" class="btn btn-warn" data-testid="stop-submit">
            Stop the infusion
          </button>
        </form>
      )}
      {cancelling && (
        <form onSubmit={cancel} noValidate class="inline-form" data-testid="cancel-form">
          <div class={`field${t.errorFor("reason") ? " field-invalid" : ""}`}>
            <label for="cancel-reason">Reason for cancelling</label>
            <input id="cancel-reason" value={cancelReason} onInput={(e) => setCancelReason((e.currentTarget as HTMLInputElement).value)} data-testid="cancel-reason" />
            {t.errorFor("reason") && <div class="field-error">{t.errorFor("reason")}</div>}
          </div>
          <button type="submit" class="btn" data-testid="cancel-submit">
            Cancel the session
          </button>
        </form>
      )}
      <FormBanner message={t.general(["reason"])} testid="transition-error" />
      {s.state === "running" && (
        <form onSubmit={changeRate} noValidate class="inline-form" data-testid="rate-form">
          <div class={`field${r.errorFor("rate_ml_per_h") ? " field-invalid" : ""}`}>
            <label for="rate-value">New rate (mL/h)</label>
            <input
              id="rate-value"
              inputMode="decimal"
              value={rate}
              onInput={(e) => setRate((e.currentTarget as HTMLInputElement).value)}
              aria-invalid={r.errorFor("rate_ml_per_h") ? true : undefined}
              data-testid="rate-value"
            />
            {r.errorFor("rate_ml_per_h") && (
              <div class="field-error" data-testid="error-rate">
                {r.errorFor("rate_ml_per_h")}
              </div>
            )}
          </div>
          <div class="field">
            <label for="rate-reason">Reason</label>
            <input id="rate-reason" value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} data-testid="rate-reason" />
          </div>
          <button type="submit" class="btn btn-large" disabled={r.pending} data-testid="rate-submit">
            Change rate
          </button>
          <FormBanner message={r.general(["rate_ml_per_h", "reason"])} testid="rate-error" />
        </form>
      )}
    </section>
  );
}

function bp(v: unknown): string {
  if (v == null) return "due";
  if (typeof v === "object") {
    const o = v as { sbp?: number; dbp?: number; at?: string };
    if (o.sbp != null || o.dbp != null) return `${o.sbp ?? "—"}/${o.dbp ?? "—"} mmHg${o.at ? ` at ${dateTime(o.at)}` : ""}`;
  }
  if (typeof v === "boolean") return v ? "done" : "due";
  return String(v);
}

/** Esketamine: 28 mg devices at least 5 minutes apart, the 2-hour monitoring timer, BP checks. */
function EsketaminePanel({ s, now, locked, apply }: { s: InfusionSession; now: number; locked: boolean; apply: (s: InfusionSession) => void }) {
  const e = s.esketamine;
  const f = useMutation();
  if (!e) return null;
  const planned = s.plan?.devices_planned ?? 0;
  const given = e.devices.length;
  const timers = esketamineTimers(e, { state: s.state, devices_planned: planned, locked }, now);
  const { canGive, wait, nextIn } = timers;
  const checks = e.bp_checks ?? {};
  return (
    <section class="card" aria-labelledby="esk-title" data-testid="esketamine-panel">
      <h2 id="esk-title">Esketamine nasal spray</h2>
      <dl class="session-stats">
        <div>
          <dt>Devices</dt>
          <dd data-testid="esk-devices" data-count={given}>
            {given} of {planned} ({given * 28} mg)
          </dd>
        </div>
        <div>
          <dt>Next device</dt>
          <dd data-testid="esk-next-device">{timers.nextDevice}</dd>
        </div>
        <div>
          <dt>Monitoring</dt>
          <dd data-testid="esk-monitoring">{timers.monitoring}</dd>
        </div>
      </dl>
      <ul class="session-log">
        {e.devices.map((d, i) => (
          <li key={i} data-testid="esk-device-row">
            Device {i + 1}: {d.mg} mg at {dateTime(d.at)} · {d.by}
          </li>
        ))}
      </ul>
      <p data-testid="esk-bp-checks">
        BP before dosing: <strong>{bp(checks.before_dosing)}</strong> · at 40 min: <strong>{bp(checks.at_40_min)}</strong> · at the end:{" "}
        <strong>{bp(checks.at_end)}</strong>
      </p>
      {canGive && (
        <div class="no-print">
          <button
            type="button"
            class="btn btn-primary btn-large"
            disabled={f.pending || wait}
            onClick={() => void f.run(async () => apply(await sessionApi.device(s.id, 28)))}
            data-testid="esk-give-device"
          >
            Give 28 mg device{wait ? ` (in ${clock(nextIn)})` : ""}
          </button>
          <FormBanner message={(f.errorText ?? undefined)} testid="esk-device-error" />
        </div>
      )}
    </section>
  );
}
