// #/patients/<id>/plan (prescriber): the infusion plan for an approved candidate. mg/kg, weight
// basis, bag concentration, minutes and PK model go to the server's preview (on every change,
// debounced, or on "Preview"); the answer shows every intermediate figure of the dose (rounded
// here only for display), the BMI ≥ 30 prompt, and the predicted plasma curve of the planned
// infusion with the same dose over 60 and 100 min, each with its peak and time above 100 ng/mL,
// beside the model's name, population and note. "Save plan" stores it. For a patient in treatment
// the titration suggestion (./titration.tsx) comes first; accepting it fills mg/kg and minutes.

import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, loadSettings, settingValue } from "../api";
import { useResource } from "../data";
import type { DosingBasis, InfusionPlan, InfusionPlanInput, PkModelCode, User } from "../types";
import { dateTime, doseMg, fieldMessage, fullName, num, rateMlh, sentence, volumeMl } from "../format";
import { AccessDenied, Banner, NotFound } from "../components/messages";
import { Field } from "../components/field";
import { PkChart, curveColour } from "../components/pk_chart";
import { MODELS } from "../screening";
import { screeningState } from "./screening";
import { TitrationPanel } from "./titration";
import { can } from "../access";

interface Inputs {
  mg_per_kg: string;
  basis: DosingBasis;
  concentration_mg_per_ml: string;
  minutes: string;
  model: PkModelCode;
}

const DEFAULTS: Inputs = { mg_per_kg: "0.5", basis: "actual", concentration_mg_per_ml: "10", minutes: "40", model: "clements" };

/** Fixed decimals for display, without "-0" or float noise. */
export function fixed(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

function toRequest(v: Inputs): { body: InfusionPlanInput } | { field: string; message: string } {
  const nums: Partial<Record<keyof Inputs, number>> = {};
  for (const k of ["mg_per_kg", "concentration_mg_per_ml", "minutes"] as const) {
    const t = v[k].trim().replace(",", ".");
    const n = Number(t);
    if (!t || !Number.isFinite(n) || n <= 0) return { field: k, message: "Enter a positive number." };
    nums[k] = n;
  }
  return {
    body: {
      mg_per_kg: nums.mg_per_kg!,
      basis: v.basis,
      concentration_mg_per_ml: nums.concentration_mg_per_ml!,
      minutes: nums.minutes!,
      model: v.model,
    },
  };
}

const PLAN_LABELS: Record<string, string> = {
  mg_per_kg: "Dose",
  basis: "Dosing weight",
  concentration_mg_per_ml: "Concentration",
  minutes: "Infusion time",
  model: "Model",
};

function planMessage(err: ApiError): string {
  const label = err.field ? PLAN_LABELS[err.field] : undefined;
  return label ? fieldMessage(label, err.message) : sentence(err.message);
}

export function PlanScreen({ id, user }: { id: string; user: User }) {
  const [inputs, setInputs] = useState<Inputs>(DEFAULTS);
  const [plan, setPlan] = useState<InfusionPlan | null>(null);
  const [error, setError] = useState<{ field?: string; message: string; status?: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<InfusionPlan | null>(null);
  const [saving, setSaving] = useState(false);
  const seq = useRef(0);
  const allowed = can(user, "screening.write");

  const load = useResource(
    allowed ? () => Promise.all([api.getPatient(id), api.screening(id)]).then(([patient, overview]) => ({ patient, overview })) : null,
    [id, allowed],
  );
  const loaded = load.data !== undefined;

  const preview = async (v: Inputs) => {
    const r = toRequest(v);
    if ("field" in r) {
      setError({ field: r.field, message: r.message });
      return;
    }
    const mine = ++seq.current;
    setBusy(true);
    try {
      const p = await api.previewPlan(id, r.body);
      if (mine !== seq.current) return;
      setPlan(p);
      setError(null);
    } catch (err) {
      if (mine !== seq.current) return;
      if (err instanceof ApiError) setError({ field: err.field, message: planMessage(err), status: err.status });
      else setError({ message: String(err) });
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  };

  // Recompute 400 ms after the last change (and at once on the first load).
  const first = useRef(true);
  useEffect(() => {
    if (!allowed || !loaded) return;
    if (first.current) {
      first.current = false;
      void preview(inputs);
      return;
    }
    const t = setTimeout(() => void preview(inputs), 400);
    return () => clearTimeout(t);
  }, [inputs, loaded, allowed]);

  if (!allowed) return <AccessDenied what="infusion planning" />;
  if (load.error) {
    const e = load.error;
    if (e.status === 403) return <AccessDenied />;
    if (e.status === 404 || (e.status === 400 && e.field === "id")) return <NotFound what="Patient" />;
    return <Banner kind="error">{sentence(e.message)}</Banner>;
  }
  if (!load.data) return <p class="muted">Loading…</p>;
  const { patient, overview } = load.data;
  const pid = encodeURIComponent(patient.id);
  const set = (patch: Partial<Inputs>) => {
    setSaved(null);
    setInputs({ ...inputs, ...patch });
  };
  const val = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  const errFor = (f: string) => (error?.field === f ? error.message : undefined);
  const INPUT_FIELDS = ["mg_per_kg", "basis", "concentration_mg_per_ml", "minutes", "model"];
  const general = error && (!error.field || !INPUT_FIELDS.includes(error.field)) ? error : null;
  const state = screeningState(overview);
  const current = plan && !error ? plan : null;

  const save = async () => {
    const r = toRequest(inputs);
    if ("field" in r) {
      setError({ field: r.field, message: r.message });
      return;
    }
    setSaving(true);
    try {
      const p = await api.savePlan(patient.id, r.body);
      setSaved(p);
      setPlan(p);
      setError(null);
      load.set({ patient, overview: { ...overview, plans: [p, ...overview.plans] } });
    } catch (err) {
      if (err instanceof ApiError) setError({ field: err.field, message: planMessage(err), status: err.status });
      else setError({ message: String(err) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby="plan-title" data-testid="plan-page">
      <p class="crumbs">
        <a href={`#/patients/${pid}`}>← {fullName(patient.name)}</a> · <a href={`#/patients/${pid}/screening`}>Screening</a>
      </p>
      <h1 id="plan-title">Infusion plan</h1>
      {state !== "approve" && state !== "override" && (
        <Banner kind="info" testid="plan-not-approved">
          The newest screening is not approved. <a href={`#/patients/${pid}/screening`}>Open the screening</a> to
          record a decision first.
        </Banner>
      )}
      <TitrationPanel
        patientId={patient.id}
        onAccept={(mg_per_kg, minutes) => {
          setSaved(null);
          setInputs((prev) => ({ ...prev, mg_per_kg, minutes }));
        }}
      />
      <div class="card">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void preview(inputs);
          }}
          noValidate
          data-testid="plan-form"
        >
          <div class="grid grid-plan">
            <Field id="f-mg_per_kg" label="Dose (mg/kg)" error={errFor("mg_per_kg")}>
              {(d, inv) => (
                <input id="f-mg_per_kg" type="number" step="0.05" min="0" inputMode="decimal" value={inputs.mg_per_kg} onInput={(e) => set({ mg_per_kg: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid="plan-mg-per-kg" />
              )}
            </Field>
            <Field id="f-basis" label="Dosing weight" error={errFor("basis")}>
              {(d, inv) => (
                <select id="f-basis" value={inputs.basis} onChange={(e) => set({ basis: val(e) as DosingBasis })} aria-describedby={d} aria-invalid={inv} data-testid="plan-basis">
                  <option value="actual">Actual body weight</option>
                  <option value="ideal">Ideal body weight (Devine)</option>
                  <option value="adjusted">Adjusted body weight</option>
                </select>
              )}
            </Field>
            <Field id="f-concentration_mg_per_ml" label="Bag concentration (mg/mL)" error={errFor("concentration_mg_per_ml")}>
              {(d, inv) => (
                <input id="f-concentration_mg_per_ml" type="number" step="any" min="0" inputMode="decimal" value={inputs.concentration_mg_per_ml} onInput={(e) => set({ concentration_mg_per_ml: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid="plan-concentration" />
              )}
            </Field>
            <Field id="f-minutes" label="Infusion time (min)" error={errFor("minutes")}>
              {(d, inv) => (
                <input id="f-minutes" type="number" step="5" min="0" inputMode="numeric" value={inputs.minutes} onInput={(e) => set({ minutes: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid="plan-minutes" />
              )}
            </Field>
            <Field id="f-model" label="PK model for the curve" error={errFor("model")}>
              {(d, inv) => (
                <select id="f-model" value={inputs.model} onChange={(e) => set({ model: val(e) as PkModelCode })} aria-describedby={d} aria-invalid={inv} data-testid="plan-model">
                  {MODELS.map((m) => (
                    <option value={m.code} key={m.code}>
                      {m.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <div class="actions">
            <button type="submit" class="btn" disabled={busy} data-testid="plan-preview">
              Preview
            </button>
            <button type="button" class="btn btn-primary" disabled={saving || !current} onClick={save} data-testid="plan-save">
              Save plan
            </button>
            {busy && <span class="muted" data-testid="plan-busy">Computing…</span>}
          </div>
        </form>
      </div>
      {general && (
        <Banner kind="error" testid="plan-error">
          {general.message}
          {general.status === 412 && (
            <>
              {" "}
              <a href={`#/patients/${pid}/screening`}>Open the screening</a>
            </>
          )}
        </Banner>
      )}
      {saved && (
        <Banner kind="success" testid="plan-saved">
          Plan saved by <span data-testid="plan-saved-by">{saved.created_by}</span>, {saved.created_at ? dateTime(saved.created_at) : ""}.
        </Banner>
      )}
      {current && <PlanResult plan={current} />}
      <SavedPlans plans={overview.plans} />
    </section>
  );
}

function PlanResult({ plan }: { plan: InfusionPlan }) {
  const d = plan.dose;
  // The prompt's threshold is the site's (dosing.bmi_prompt_threshold), as the server used it.
  const bmiThreshold = settingValue(useResource(loadSettings, []).data, "dosing.bmi_prompt_threshold");
  const rows: [string, string, string][] = [
    ["Actual weight", `${fixed(d.actual_weight_kg, 1)} kg (measured ${plan.weight_measured_on})`, "dose-actual"],
    ["BMI", `${fixed(d.bmi, 1)} kg/m²`, "dose-bmi"],
    ["Ideal body weight (Devine)", `${fixed(d.ideal_body_weight_kg, 1)} kg`, "dose-ideal"],
    ["Adjusted body weight", `${fixed(d.adjusted_body_weight_kg, 1)} kg`, "dose-adjusted"],
    [`Dosing weight (${d.basis})`, `${fixed(d.dosing_weight_kg, 1)} kg`, "dose-weight"],
    ["Dose", `${doseMg(d.dose_mg)} mg (${d.mg_per_kg} mg/kg × ${fixed(d.dosing_weight_kg, 1)} kg)`, "dose-mg"],
    ["Volume", `${volumeMl(d.volume_ml)} mL at ${d.concentration_mg_per_ml} mg/mL`, "dose-volume"],
    ["Pump rate", `${rateMlh(d.rate_ml_per_h)} mL/h over ${d.minutes} min`, "dose-rate-ml-h"],
    ["Dose rate", `${fixed(d.rate_mg_per_min, 3)} mg/min`, "dose-rate-mg-min"],
  ];
  return (
    <>
      <section class="card" aria-labelledby="dose-title" data-testid="dose">
        <h2 id="dose-title">Dose and pump</h2>
        {d.bmi_prompt && (
          <Banner kind="info" testid="bmi-prompt">
            BMI is {fixed(d.bmi, 1)} ({bmiThreshold !== undefined ? `${num(bmiThreshold)} or more` : "at or above the site's threshold"}): consider dosing on ideal or adjusted body weight (Sanacora 2017
            suggested ideal body weight at BMI ≥ 30; the landmark trials used actual weight). Choose it under "Dosing
            weight".
          </Banner>
        )}
        <dl class="facts" data-testid="dose-figures">
          {rows.map(([label, value, tid]) => (
            <div class="fact" key={tid}>
              <dt>{label}</dt>
              <dd data-testid={tid}>{value}</dd>
            </div>
          ))}
        </dl>
        {d.notes.length > 0 && (
          <ul class="notes" data-testid="dose-notes">
            {d.notes.map((n, i) => (
              <li key={i}>{sentence(n)}</li>
            ))}
          </ul>
        )}
        <p class="muted small">
          Allowed by the decision {plan.decision.decision === "override" ? "(override)" : "(approved)"}; site settings
          version {d.settings_version}: {d.settings_used.join(", ")}.
        </p>
      </section>
      {plan.pk ? (
        <section class="card" aria-labelledby="pk-title" data-testid="pk">
          <h2 id="pk-title">Predicted plasma concentration</h2>
          <div class="pk-layout">
            <div class="pk-chart-col">
              <PkChart pk={plan.pk} />
            </div>
            <aside class="pk-model" data-testid="pk-model" aria-label="Model">
              <p>
                Curve from the <strong data-testid="pk-model-name">{plan.pk.model_name}</strong> model ({plan.pk.drug}).
              </p>
              <p>
                <span class="muted">Population:</span> <span data-testid="pk-population">{plan.pk.population}</span>
              </p>
              {plan.pk.note && (
                <p class="pk-note" data-testid="pk-note">
                  {sentence(plan.pk.note)}
                </p>
              )}
              <p class="muted small">{plan.pk.citation}</p>
              <p class="muted small">A model prediction for this weight, not a measured level.</p>
            </aside>
          </div>
          <div class="table-scroll">
            <table class="table" data-testid="pk-table">
              <caption class="visually-hidden">Peak and time above {plan.pk.threshold_ng_per_ml} ng/mL per infusion time</caption>
              <thead>
                <tr>
                  <th scope="col">Same dose over</th>
                  <th scope="col" class="num">
                    Cmax ({plan.pk.unit})
                  </th>
                  <th scope="col" class="num">
                    tmax (min)
                  </th>
                  <th scope="col" class="num">
                    Min above {plan.pk.threshold_ng_per_ml}
                  </th>
                  <th scope="col" class="num">
                    AUC (ng·min/mL)
                  </th>
                </tr>
              </thead>
              <tbody>
                {plan.pk.curves.map((c, i) => (
                  <tr key={c.minutes} class={c.planned ? "row-planned" : ""} data-testid="pk-row" data-planned={String(c.planned)} data-minutes={c.minutes}>
                    <th scope="row">
                      <span class="curve-key" style={{ background: curveColour(i) }} aria-hidden="true" /> {c.minutes} min
                      {c.planned && (
                        <span class="badge badge-planned" data-testid="pk-planned">
                          Planned
                        </span>
                      )}
                    </th>
                    <td class="num" data-testid="pk-cmax" data-value={c.cmax_ng_per_ml}>
                      {Math.round(c.cmax_ng_per_ml)}
                    </td>
                    <td class="num" data-testid="pk-tmax">
                      {fixed(c.tmax_min, 0)}
                    </td>
                    <td class="num" data-testid="pk-above">
                      {fixed(c.minutes_above_threshold, 0)}
                    </td>
                    <td class="num">{Math.round(c.auc_ng_min_per_ml)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : (
        <p class="muted" data-testid="pk-none">
          No predicted curve for this plan.
        </p>
      )}
    </>
  );
}

function SavedPlans({ plans }: { plans: InfusionPlan[] }) {
  return (
    <section class="card" aria-labelledby="saved-plans-title" data-testid="saved-plans">
      <h2 id="saved-plans-title">Saved plans</h2>
      {plans.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <PlanTable plans={plans} />
      )}
    </section>
  );
}

export function PlanTable({ plans }: { plans: InfusionPlan[] }) {
  return (
    <div class="table-scroll">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Saved</th>
            <th scope="col">By</th>
            <th scope="col" class="num">
              Dose
            </th>
            <th scope="col" class="num">
              Volume
            </th>
            <th scope="col" class="num">
              Rate
            </th>
            <th scope="col">Over</th>
          </tr>
        </thead>
        <tbody>
          {plans.map((p) => (
            <tr key={p.id} data-testid="saved-plan">
              <td class="nowrap">{p.created_at ? dateTime(p.created_at) : "—"}</td>
              <td>{p.created_by ?? "—"}</td>
              <td class="num nowrap">
                {doseMg(p.dose.dose_mg)} mg
                <span class="muted"> ({p.dose.mg_per_kg} mg/kg, {p.dose.basis})</span>
              </td>
              <td class="num nowrap">{volumeMl(p.dose.volume_ml)} mL</td>
              <td class="num nowrap">{rateMlh(p.dose.rate_ml_per_h)} mL/h</td>
              <td class="nowrap">{p.dose.minutes} min</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
