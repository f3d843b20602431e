// #/patients/<id>/intake (prescriber): a candidate's screening intake — diagnoses, every
// antidepressant trial, current medications, conditions, vitals, pregnancy, substance use and the
// evaluation checklist. Prefilled from the newest intake version (or from the record when there is
// none); sending it stores the next version and opens the screening result. A server error's
// field path ("trials[2].weeks") is shown beside that control of that row.

import { useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { useResource } from "../data";
import type { IntakeBody, Patient, User } from "../types";
import { fieldMessage, fullName, sentence } from "../format";
import { navigate } from "../router";
import { AccessDenied, Banner, NotFound } from "../components/messages";
import { Field } from "../components/field";
import {
  checklistLabel,
  conditionLabel,
  diagnosisLabel,
  EPISODES,
  episodeLabel,
  outcomeLabel,
  parsePath,
  pregnancyLabel,
  substanceLabel,
  SUBSTANCES,
} from "../screening";
import { can } from "../access";

interface DxRow {
  key: number;
  code: string;
  episode: string;
}
interface TrialRow {
  key: number;
  drug: string;
  dose: string;
  weeks: string;
  outcome: string;
  current: boolean;
}
interface MedRow {
  key: number;
  name: string;
  dose: string;
}
interface SubRow {
  key: number;
  substance: string;
  current: boolean;
}

interface Values {
  sex: string;
  age: string;
  diagnoses: DxRow[];
  trials: TrialRow[];
  medications: MedRow[];
  conditions: string[];
  systolic: string;
  diastolic: string;
  hr: string;
  weight: string;
  height: string;
  pregnancy: string;
  breastfeeding: boolean;
  substances: SubRow[];
  checklist: string[];
}

let nextKey = 1;
const key = () => nextKey++;
const str = (n: number | null | undefined) => (n == null ? "" : String(n));

const emptyTrial = (): TrialRow => ({ key: key(), drug: "", dose: "", weeks: "", outcome: "", current: true });

function ageFrom(birth: string): string {
  const b = new Date(birth + "T00:00:00");
  if (Number.isNaN(b.getTime())) return "";
  const now = new Date();
  let a = now.getFullYear() - b.getFullYear();
  if (now.getMonth() < b.getMonth() || (now.getMonth() === b.getMonth() && now.getDate() < b.getDate())) a--;
  return a >= 0 ? String(a) : "";
}

function valuesFrom(body: IntakeBody | null, p: Patient): Values {
  if (body) {
    return {
      sex: body.sex ?? "unknown",
      age: body.age_years != null ? String(body.age_years) : ageFrom(p.birth_date),
      diagnoses: (body.diagnoses ?? []).map((d) => ({ key: key(), code: d.code, episode: d.current_episode ?? "" })),
      trials: (body.trials ?? []).map((t) => ({
        key: key(),
        drug: t.drug,
        dose: str(t.daily_dose_mg),
        weeks: str(t.weeks),
        outcome: t.outcome,
        current: t.in_current_episode ?? true,
      })),
      medications: (body.medications ?? []).map((m) => ({ key: key(), name: m.name, dose: str(m.daily_dose_mg) })),
      conditions: [...(body.conditions ?? [])],
      systolic: str(body.vitals?.systolic_mmhg),
      diastolic: str(body.vitals?.diastolic_mmhg),
      hr: str(body.vitals?.heart_rate_bpm),
      weight: str(body.vitals?.weight_kg),
      height: str(body.vitals?.height_cm),
      pregnancy: body.pregnancy ?? "",
      breastfeeding: body.breastfeeding ?? false,
      substances: (body.substance_use ?? []).map((s) => ({ key: key(), substance: s.substance, current: s.current ?? true })),
      checklist: [...(body.checklist_done ?? [])],
    };
  }
  return {
    sex: p.sex || "unknown",
    age: ageFrom(p.birth_date),
    diagnoses: [{ key: key(), code: "mdd", episode: "depressive" }],
    trials: [emptyTrial()],
    medications: [],
    conditions: [],
    systolic: "",
    diastolic: "",
    hr: "",
    weight: p.weights[0] ? String(p.weights[0].kg) : "",
    height: str(p.height_cm),
    pregnancy: "",
    breastfeeding: false,
    substances: [],
    checklist: [],
  };
}

/** A client- or server-side error: which control (an id like "trials-2-weeks") and the text. */
interface FormError {
  at: string | null;
  message: string;
}

class InputError extends Error {
  constructor(
    readonly at: string,
    message: string,
  ) {
    super(message);
  }
}

function number(s: string, at: string, integer = false): number | undefined {
  const t = s.trim().replace(",", ".");
  if (!t) return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) throw new InputError(at, "Enter a number.");
  if (integer && !Number.isInteger(n)) throw new InputError(at, "Enter a whole number.");
  return n;
}

/** The body to send, and for each array which display row each sent position came from. */
function toBody(v: Values): { body: IntakeBody; rows: Record<string, number[]> } {
  const rows: Record<string, number[]> = { diagnoses: [], trials: [], medications: [], substance_use: [] };
  const body: IntakeBody = { sex: v.sex || "unknown" };
  const age = number(v.age, "age_years", true);
  if (age !== undefined) body.age_years = age;
  body.diagnoses = [];
  v.diagnoses.forEach((d, i) => {
    if (!d.code) return;
    rows.diagnoses.push(i);
    body.diagnoses!.push(d.episode ? { code: d.code, current_episode: d.episode } : { code: d.code });
  });
  body.trials = [];
  v.trials.forEach((t, i) => {
    if (!t.drug.trim() && !t.dose.trim() && !t.weeks.trim() && !t.outcome) return;
    rows.trials.push(i);
    const trial: NonNullable<IntakeBody["trials"]>[number] = {
      drug: t.drug.trim(),
      outcome: t.outcome,
      in_current_episode: t.current,
    };
    const dose = number(t.dose, `trials-${i}-daily_dose_mg`);
    if (dose !== undefined) trial.daily_dose_mg = dose;
    const weeks = number(t.weeks, `trials-${i}-weeks`);
    if (weeks !== undefined) trial.weeks = weeks;
    body.trials!.push(trial);
  });
  body.medications = [];
  v.medications.forEach((m, i) => {
    if (!m.name.trim() && !m.dose.trim()) return;
    rows.medications.push(i);
    const med: NonNullable<IntakeBody["medications"]>[number] = { name: m.name.trim() };
    const dose = number(m.dose, `medications-${i}-daily_dose_mg`);
    if (dose !== undefined) med.daily_dose_mg = dose;
    body.medications!.push(med);
  });
  body.conditions = [...v.conditions];
  const vitals: NonNullable<IntakeBody["vitals"]> = {};
  const put = (k: keyof typeof vitals, s: string) => {
    const n = number(s, `vitals-${k}`);
    if (n !== undefined) vitals[k] = n;
  };
  put("systolic_mmhg", v.systolic);
  put("diastolic_mmhg", v.diastolic);
  put("heart_rate_bpm", v.hr);
  put("weight_kg", v.weight);
  put("height_cm", v.height);
  body.vitals = vitals;
  if (v.pregnancy) body.pregnancy = v.pregnancy;
  body.breastfeeding = v.breastfeeding;
  body.substance_use = [];
  v.substances.forEach((s, i) => {
    if (!s.substance) return;
    rows.substance_use.push(i);
    body.substance_use!.push({ substance: s.substance, current: s.current });
  });
  body.checklist_done = [...v.checklist];
  return { body, rows };
}

/** "trials[1].weeks" → "trials-<display row>-weeks"; "vitals.systolic_mmhg" → "vitals-systolic_mmhg". */
function controlFor(field: string, rows: Record<string, number[]>): string {
  const parts = parsePath(field);
  const group = parts[0];
  if (typeof group === "string" && typeof parts[1] === "number" && rows[group]) {
    const row = rows[group][parts[1]] ?? parts[1];
    return [group, row, ...parts.slice(2)].join("-");
  }
  if (group === "conditions" || group === "checklist_done") return String(group);
  return parts.join("-");
}

const FIELD_LABELS: Record<string, string> = {
  sex: "Sex",
  age_years: "Age",
  code: "Diagnosis",
  current_episode: "Current episode",
  drug: "Drug",
  daily_dose_mg: "Daily dose",
  weeks: "Weeks",
  outcome: "Outcome",
  in_current_episode: "Current episode",
  name: "Medication",
  conditions: "Condition",
  systolic_mmhg: "Systolic BP",
  diastolic_mmhg: "Diastolic BP",
  heart_rate_bpm: "Heart rate",
  weight_kg: "Weight",
  height_cm: "Height",
  pregnancy: "Pregnancy",
  breastfeeding: "Breastfeeding",
  substance: "Substance",
  current: "Current use",
  checklist_done: "Checklist item",
};

export function IntakeScreen({ id, user }: { id: string; user: User }) {
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const [values, setValues] = useState<Values | null>(null);
  const allowed = can(user, "screening.write");
  const load = useResource(
    allowed
      ? () =>
          Promise.all([api.getPatient(id), api.screeningVocabulary(), api.screening(id)]).then(([patient, vocab, overview]) => ({
            patient,
            vocab,
            values: valuesFrom(overview.intake?.body ?? null, patient),
            version: overview.intake?.version ?? null,
          }))
      : null,
    [id, allowed],
    { onLoad: (d) => setValues(d.values) },
  );

  if (!allowed) return <AccessDenied what="intake entry" />;
  if (load.error) {
    const e = load.error;
    if (e.status === 403) return <AccessDenied />;
    if (e.status === 404 || (e.status === 400 && e.field === "id")) return <NotFound what="Patient" />;
    return <Banner kind="error">{sentence(e.message)}</Banner>;
  }
  if (!load.data || !values) return <p class="muted">Loading…</p>;

  const { patient, vocab, version } = load.data;
  const v = values;
  const set = (patch: Partial<Values>) => setValues({ ...v, ...patch });
  const errAt = (at: string) => (error?.at === at ? error.message : undefined);
  const known = new Set<string>();
  const mark = (at: string) => {
    known.add(at);
    return at;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    let built;
    try {
      built = toBody(v);
    } catch (err) {
      if (err instanceof InputError) {
        setError({ at: err.at, message: err.message });
        return;
      }
      throw err;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.submitIntake(patient.id, built.body);
      sessionStorage.setItem("kclinic.intake-saved", String(r.intake.version));
      navigate(`#/patients/${encodeURIComponent(patient.id)}/screening`);
    } catch (err) {
      if (err instanceof ApiError) {
        const at = err.field ? controlFor(err.field, built.rows) : null;
        const last = err.field ? parsePath(err.field).filter((x) => typeof x === "string").pop() : undefined;
        const label = last ? FIELD_LABELS[String(last)] : undefined;
        setError({ at, message: label ? fieldMessage(label, err.message) : sentence(err.message) });
      } else {
        setError({ at: null, message: String(err) });
      }
    } finally {
      setBusy(false);
    }
  };

  const updateRow = <K extends "diagnoses" | "trials" | "medications" | "substances">(
    group: K,
    i: number,
    patch: Partial<Values[K][number]>,
  ) => {
    const list = [...(v[group] as Values[K][number][])];
    list[i] = { ...list[i], ...patch };
    set({ [group]: list } as Partial<Values>);
  };
  const removeRow = (group: "diagnoses" | "trials" | "medications" | "substances", i: number) => {
    const list = [...(v[group] as { key: number }[])];
    list.splice(i, 1);
    set({ [group]: list } as Partial<Values>);
  };
  const toggle = (list: "conditions" | "checklist", code: string, on: boolean) => {
    const cur = v[list].filter((c) => c !== code);
    set({ [list]: on ? [...cur, code] : cur } as Partial<Values>);
  };
  const val = (e: Event) => (e.currentTarget as HTMLInputElement).value;

  // Ids known to the form, so an error naming none of them goes above the form.
  const ids = {
    age: mark("age_years"),
    sex: mark("sex"),
    sys: mark("vitals-systolic_mmhg"),
    dia: mark("vitals-diastolic_mmhg"),
    hr: mark("vitals-heart_rate_bpm"),
    wt: mark("vitals-weight_kg"),
    ht: mark("vitals-height_cm"),
    preg: mark("pregnancy"),
    bf: mark("breastfeeding"),
    cond: mark("conditions"),
    check: mark("checklist_done"),
  };
  v.diagnoses.forEach((_, i) => ["code", "current_episode"].forEach((f) => mark(`diagnoses-${i}-${f}`)));
  v.trials.forEach((_, i) =>
    ["drug", "daily_dose_mg", "weeks", "outcome", "in_current_episode"].forEach((f) => mark(`trials-${i}-${f}`)),
  );
  v.medications.forEach((_, i) => ["name", "daily_dose_mg"].forEach((f) => mark(`medications-${i}-${f}`)));
  v.substances.forEach((_, i) => ["substance", "current"].forEach((f) => mark(`substance_use-${i}-${f}`)));
  const general = error && (!error.at || !known.has(error.at)) ? error.message : null;

  return (
    <section aria-labelledby="intake-title" data-testid="intake-page">
      <p class="crumbs">
        <a href={`#/patients/${encodeURIComponent(patient.id)}`}>← {fullName(patient.name)}</a>
      </p>
      <h1 id="intake-title">Screening intake</h1>
      <p class="muted" data-testid="intake-prefill">
        {version
          ? `Prefilled from intake version ${version}. Sending stores version ${version + 1}.`
          : "No intake yet: prefilled from the patient's record."}
      </p>
      {general && (
        <Banner kind="error" testid="intake-error">
          {general}
        </Banner>
      )}
      <form onSubmit={submit} noValidate data-testid="intake-form">
        <div class="card">
          <fieldset>
            <legend>Patient</legend>
            <div class="grid">
              <Field id={`f-${ids.sex}`} label="Sex" error={errAt(ids.sex)}>
                {(d, inv) => (
                  <select id={`f-${ids.sex}`} value={v.sex} onChange={(e) => set({ sex: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid="intake-sex">
                    <option value="female">Female</option>
                    <option value="male">Male</option>
                    <option value="other">Other</option>
                    <option value="unknown">Unknown</option>
                  </select>
                )}
              </Field>
              <Field id={`f-${ids.age}`} label="Age (years)" error={errAt(ids.age)}>
                {(d, inv) => (
                  <input id={`f-${ids.age}`} type="number" inputMode="numeric" min="0" value={v.age} onInput={(e) => set({ age: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid="intake-age" />
                )}
              </Field>
            </div>
          </fieldset>

          <fieldset data-testid="intake-diagnoses">
            <legend>Diagnoses</legend>
            {v.diagnoses.map((dx, i) => (
              <div class="row-group" key={dx.key} data-testid="dx-row">
                <div class="grid">
                  <Field id={`f-diagnoses-${i}-code`} label={`Diagnosis ${i + 1}`} error={errAt(`diagnoses-${i}-code`)}>
                    {(d, inv) => (
                      <select id={`f-diagnoses-${i}-code`} value={dx.code} onChange={(e) => updateRow("diagnoses", i, { code: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid={`dx-code-${i}`}>
                        <option value="">Choose…</option>
                        {vocab.diagnoses.map((c) => (
                          <option value={c} key={c}>
                            {diagnosisLabel(c)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field id={`f-diagnoses-${i}-current_episode`} label="Current episode" error={errAt(`diagnoses-${i}-current_episode`)}>
                    {(d, inv) => (
                      <select id={`f-diagnoses-${i}-current_episode`} value={dx.episode} onChange={(e) => updateRow("diagnoses", i, { episode: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid={`dx-episode-${i}`}>
                        <option value="">Not stated</option>
                        {EPISODES.map((c) => (
                          <option value={c} key={c}>
                            {episodeLabel(c)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                </div>
                <button type="button" class="btn btn-small btn-remove" onClick={() => removeRow("diagnoses", i)}>
                  Remove diagnosis {i + 1}
                </button>
              </div>
            ))}
            <button type="button" class="btn btn-small" onClick={() => set({ diagnoses: [...v.diagnoses, { key: key(), code: "", episode: "" }] })} data-testid="add-dx">
              Add diagnosis
            </button>
          </fieldset>

          <fieldset data-testid="intake-trials">
            <legend>Antidepressant trials</legend>
            <p class="hint">Every trial, in this episode or earlier: the treatment-resistance count uses dose, duration and outcome.</p>
            {v.trials.map((t, i) => (
              <div class="row-group" key={t.key} data-testid="trial-row">
                <div class="row-title">Trial {i + 1}</div>
                <div class="grid grid-trial">
                  <Field id={`f-trials-${i}-drug`} label="Drug" error={errAt(`trials-${i}-drug`)}>
                    {(d, inv) => (
                      <input id={`f-trials-${i}-drug`} value={t.drug} onInput={(e) => updateRow("trials", i, { drug: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid={`trial-drug-${i}`} />
                    )}
                  </Field>
                  <Field id={`f-trials-${i}-daily_dose_mg`} label="Daily dose (mg)" error={errAt(`trials-${i}-daily_dose_mg`)}>
                    {(d, inv) => (
                      <input id={`f-trials-${i}-daily_dose_mg`} type="number" step="any" min="0" inputMode="decimal" value={t.dose} onInput={(e) => updateRow("trials", i, { dose: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid={`trial-dose-${i}`} />
                    )}
                  </Field>
                  <Field id={`f-trials-${i}-weeks`} label="Weeks" error={errAt(`trials-${i}-weeks`)}>
                    {(d, inv) => (
                      <input id={`f-trials-${i}-weeks`} type="number" step="any" min="0" inputMode="decimal" value={t.weeks} onInput={(e) => updateRow("trials", i, { weeks: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid={`trial-weeks-${i}`} />
                    )}
                  </Field>
                  <Field id={`f-trials-${i}-outcome`} label="Outcome" error={errAt(`trials-${i}-outcome`)}>
                    {(d, inv) => (
                      <select id={`f-trials-${i}-outcome`} value={t.outcome} onChange={(e) => updateRow("trials", i, { outcome: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid={`trial-outcome-${i}`}>
                        <option value="">Choose…</option>
                        {vocab.trial_outcomes.map((c) => (
                          <option value={c} key={c}>
                            {outcomeLabel(c)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                </div>
                <label class="check">
                  <input type="checkbox" checked={t.current} onChange={(e) => updateRow("trials", i, { current: (e.currentTarget as HTMLInputElement).checked })} data-testid={`trial-current-${i}`} />
                  In the current episode
                </label>
                {errAt(`trials-${i}-in_current_episode`) && <div class="field-error">{errAt(`trials-${i}-in_current_episode`)}</div>}
                <div>
                  <button type="button" class="btn btn-small btn-remove" onClick={() => removeRow("trials", i)} data-testid={`trial-remove-${i}`}>
                    Remove trial {i + 1}
                  </button>
                </div>
              </div>
            ))}
            <button type="button" class="btn btn-small" onClick={() => set({ trials: [...v.trials, emptyTrial()] })} data-testid="add-trial">
              Add trial
            </button>
          </fieldset>

          <fieldset data-testid="intake-medications">
            <legend>Current medications</legend>
            {v.medications.length === 0 && <p class="muted">None entered.</p>}
            {v.medications.map((m, i) => (
              <div class="row-group" key={m.key} data-testid="med-row">
                <div class="grid">
                  <Field id={`f-medications-${i}-name`} label={`Medication ${i + 1}`} error={errAt(`medications-${i}-name`)}>
                    {(d, inv) => (
                      <input id={`f-medications-${i}-name`} value={m.name} onInput={(e) => updateRow("medications", i, { name: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid={`med-name-${i}`} />
                    )}
                  </Field>
                  <Field id={`f-medications-${i}-daily_dose_mg`} label="Daily dose (mg)" error={errAt(`medications-${i}-daily_dose_mg`)}>
                    {(d, inv) => (
                      <input id={`f-medications-${i}-daily_dose_mg`} type="number" step="any" min="0" inputMode="decimal" value={m.dose} onInput={(e) => updateRow("medications", i, { dose: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid={`med-dose-${i}`} />
                    )}
                  </Field>
                </div>
                <button type="button" class="btn btn-small btn-remove" onClick={() => removeRow("medications", i)}>
                  Remove medication {i + 1}
                </button>
              </div>
            ))}
            <button type="button" class="btn btn-small" onClick={() => set({ medications: [...v.medications, { key: key(), name: "", dose: "" }] })} data-testid="add-med">
              Add medication
            </button>
          </fieldset>
        </div>

        <div class="card">
          <fieldset data-testid="intake-conditions" aria-describedby={errAt(ids.cond) ? "conditions-error" : undefined}>
            <legend>Conditions</legend>
            <div class="check-grid">
              {vocab.conditions.map((c) => (
                <label class="check" key={c}>
                  <input type="checkbox" checked={v.conditions.includes(c)} onChange={(e) => toggle("conditions", c, (e.currentTarget as HTMLInputElement).checked)} data-testid={`cond-${c}`} />
                  {conditionLabel(c)}
                </label>
              ))}
            </div>
            {errAt(ids.cond) && (
              <div class="field-error" id="conditions-error" data-testid="error-conditions">
                {errAt(ids.cond)}
              </div>
            )}
          </fieldset>

          <fieldset>
            <legend>Vitals</legend>
            <div class="grid grid-vitals">
              {(
                [
                  [ids.sys, "Systolic BP (mmHg)", "systolic", "intake-systolic"],
                  [ids.dia, "Diastolic BP (mmHg)", "diastolic", "intake-diastolic"],
                  [ids.hr, "Heart rate (bpm)", "hr", "intake-hr"],
                  [ids.wt, "Weight (kg)", "weight", "intake-weight"],
                  [ids.ht, "Height (cm)", "height", "intake-height"],
                ] as const
              ).map(([at, label, k, tid]) => (
                <Field id={`f-${at}`} label={label} error={errAt(at)} key={at}>
                  {(d, inv) => (
                    <input id={`f-${at}`} type="number" step="any" min="0" inputMode="decimal" value={v[k]} onInput={(e) => set({ [k]: val(e) } as Partial<Values>)} aria-describedby={d} aria-invalid={inv} data-testid={tid} />
                  )}
                </Field>
              ))}
            </div>
          </fieldset>

          <fieldset>
            <legend>Pregnancy and breastfeeding</legend>
            <div class="grid">
              <Field id={`f-${ids.preg}`} label="Pregnancy" error={errAt(ids.preg)}>
                {(d, inv) => (
                  <select id={`f-${ids.preg}`} value={v.pregnancy} onChange={(e) => set({ pregnancy: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid="intake-pregnancy">
                    <option value="">Not stated</option>
                    {vocab.pregnancy.map((c) => (
                      <option value={c} key={c}>
                        {pregnancyLabel(c)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <div class="field">
                <label class="check">
                  <input type="checkbox" checked={v.breastfeeding} onChange={(e) => set({ breastfeeding: (e.currentTarget as HTMLInputElement).checked })} data-testid="intake-breastfeeding" />
                  Breastfeeding
                </label>
                {errAt(ids.bf) && <div class="field-error">{errAt(ids.bf)}</div>}
              </div>
            </div>
          </fieldset>

          <fieldset data-testid="intake-substances">
            <legend>Substance use</legend>
            {v.substances.length === 0 && <p class="muted">None entered.</p>}
            {v.substances.map((s, i) => (
              <div class="row-group row-inline" key={s.key} data-testid="substance-row">
                <Field id={`f-substance_use-${i}-substance`} label={`Substance ${i + 1}`} error={errAt(`substance_use-${i}-substance`)}>
                  {(d, inv) => (
                    <select id={`f-substance_use-${i}-substance`} value={s.substance} onChange={(e) => updateRow("substances", i, { substance: val(e) })} aria-describedby={d} aria-invalid={inv} data-testid={`substance-${i}`}>
                      <option value="">Choose…</option>
                      {SUBSTANCES.map((c) => (
                        <option value={c} key={c}>
                          {substanceLabel(c)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <label class="check">
                  <input type="checkbox" checked={s.current} onChange={(e) => updateRow("substances", i, { current: (e.currentTarget as HTMLInputElement).checked })} />
                  Current use
                </label>
                <button type="button" class="btn btn-small btn-remove" onClick={() => removeRow("substances", i)}>
                  Remove substance {i + 1}
                </button>
              </div>
            ))}
            <button type="button" class="btn btn-small" onClick={() => set({ substances: [...v.substances, { key: key(), substance: "", current: true }] })} data-testid="add-substance">
              Add substance
            </button>
          </fieldset>

          <fieldset data-testid="intake-checklist">
            <legend>Pre-treatment evaluation done</legend>
            <div class="check-grid">
              {vocab.checklist.map((c) => (
                <label class="check" key={c}>
                  <input type="checkbox" checked={v.checklist.includes(c)} onChange={(e) => toggle("checklist", c, (e.currentTarget as HTMLInputElement).checked)} data-testid={`check-${c}`} />
                  {checklistLabel(c)}
                </label>
              ))}
            </div>
            {errAt(ids.check) && <div class="field-error" data-testid="error-checklist_done">{errAt(ids.check)}</div>}
          </fieldset>
        </div>

        {error && !general && (
          <Banner kind="error" testid="intake-error-summary">
            The intake was not sent: {error.message}
          </Banner>
        )}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="intake-submit">
            Screen this intake
          </button>
          <a class="btn" href={`#/patients/${encodeURIComponent(patient.id)}`}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
