// The vitals row of the session screen: SBP, DBP, HR, SpO₂, RR in one line of numeric inputs.
// Enter records the reading and puts the cursor back in SBP for the next one; the alerts the
// reading raised are shown at once. Below, every reading of the session, newest first.

import { useRef, useState } from "preact/hooks";
import { useMutation } from "../data";
import { dateTime } from "../format";
import { sessionApi, type SessionAlert, type Vital, type VitalsInput } from "../session";
import { FormBanner, numberOrBlank } from "./session_util";
import { SubmitButton } from "./form";

const FIELDS: { key: keyof VitalsInput; label: string; unit: string }[] = [
  { key: "sbp", label: "SBP", unit: "mmHg" },
  { key: "dbp", label: "DBP", unit: "mmHg" },
  { key: "hr", label: "HR", unit: "/min" },
  { key: "spo2", label: "SpO₂", unit: "%" },
  { key: "rr", label: "RR", unit: "/min" },
];

export function VitalsEntry({ sessionId, onRecorded }: { sessionId: string; onRecorded: (alerts: SessionAlert[]) => void }) {
  const empty = { sbp: "", dbp: "", hr: "", spo2: "", rr: "" };
  const [values, setValues] = useState<Record<keyof VitalsInput, string>>(empty);
  const [raised, setRaised] = useState<SessionAlert[]>([]);
  const sbp = useRef<HTMLInputElement>(null);
  const f = useMutation();

  const submit = async (e: Event) => {
    e.preventDefault();
    const body: VitalsInput = {};
    for (const { key, label } of FIELDS) {
      const n = numberOrBlank(values[key]);
      if (n === undefined) continue;
      if (!Number.isFinite(n)) {
        f.fail(`${label} must be a number.`, key);
        return;
      }
      body[key] = n;
    }
    if (Object.keys(body).length === 0) {
      f.fail("Enter at least one reading.", "sbp");
      return;
    }
    const ok = await f.run(async () => {
      const r = await sessionApi.vitals(sessionId, body);
      setRaised(r.alerts);
      setValues(empty);
      onRecorded(r.alerts);
    });
    if (ok) sbp.current?.focus();
  };

  return (
    <form class="card vitals-entry" onSubmit={submit} noValidate aria-labelledby="vitals-title" data-testid="vitals-form">
      <h2 id="vitals-title">Record vitals</h2>
      <div class="vitals-row">
        {FIELDS.map(({ key, label, unit }) => {
          const err = f.errorFor(key);
          return (
            <div class={`field vitals-field${err ? " field-invalid" : ""}`} key={key}>
              <label for={`vital-${key}`}>
                {label} <span class="hint">{unit}</span>
              </label>
              <input
                id={`vital-${key}`}
                ref={key === "sbp" ? sbp : undefined}
                type="text"
                inputMode="numeric"
                autoComplete="off"
                value={values[key]}
                onInput={(e) => setValues({ ...values, [key]: (e.currentTarget as HTMLInputElement).value })}
                aria-invalid={err ? true : undefined}
                aria-describedby={err ? `vital-${key}-error` : undefined}
                data-testid={`vital-${key}`}
              />
              {err && (
                <div class="field-error" id={`vital-${key}-error`} data-testid={`error-vital-${key}`}>
                  {err}
                </div>
              )}
            </div>
          );
        })}
        <div class="vitals-submit">
          <SubmitButton pending={f.pending} testid="vital-submit">Record</SubmitButton>
        </div>
      </div>
      <p class="hint">Enter records the reading; the cursor returns to SBP.</p>
      <FormBanner message={f.general(FIELDS.map((x) => x.key))} testid="vitals-error" />
      {raised.length > 0 && (
        <div class="banner banner-error" role="alert" data-testid="vitals-raised">
          {raised.map((a) => (
            <p key={a.id}>
              <strong>{a.message}</strong> — {a.recommended_action}
            </p>
          ))}
        </div>
      )}
    </form>
  );
}

export function VitalsTable({ vitals, baseline }: { vitals: Vital[]; baseline: { sbp: number | null; dbp: number | null; hr: number | null } | null }) {
  const rows = [...vitals].sort((a, b) => (a.at < b.at ? 1 : -1));
  const v = (n: number | null) => (n == null ? "—" : String(n));
  return (
    <section class="card" aria-labelledby="vitals-list-title" data-testid="vitals-list">
      <h2 id="vitals-list-title">Vitals</h2>
      {baseline && (
        <p class="muted" data-testid="vitals-baseline">
          Baseline: BP {v(baseline.sbp)}/{v(baseline.dbp)} mmHg, HR {v(baseline.hr)}/min
        </p>
      )}
      {rows.length === 0 ? (
        <p class="muted">No readings yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col" class="num">SBP</th>
                <th scope="col" class="num">DBP</th>
                <th scope="col" class="num">HR</th>
                <th scope="col" class="num">SpO₂</th>
                <th scope="col" class="num">RR</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="vital-row">
                  <td class="nowrap">{dateTime(r.at)}</td>
                  <td class="num" data-testid="vital-row-sbp">{v(r.sbp)}</td>
                  <td class="num">{v(r.dbp)}</td>
                  <td class="num">{v(r.hr)}</td>
                  <td class="num">{v(r.spo2)}</td>
                  <td class="num">{v(r.rr)}</td>
                  <td>{r.taken_by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
