// "Enter a clinician-rated scale": a nurse or prescriber picks an instrument and enters the item
// scores (from the clinic's licensed paper form for score-entry scales, which ship no item text).

import { useMemo, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import type { Assessment, Instrument } from "../types";
import { fieldMessage, instrumentName, sentence, severityLabel } from "../format";
import { isScoreEntry, itemFromField } from "../mbc";
import { Banner } from "./messages";

interface Props {
  patientId: string;
  instruments: Instrument[];
  onSaved: (a: Assessment) => void;
}

type Errors = { items: Record<number, string>; form: string | null };

export function ScaleEntry({ patientId, instruments, onSaved }: Props) {
  // Clinician-rated scales first: those are what staff enter in clinic.
  const sorted = useMemo(
    () =>
      [...instruments].sort(
        (a, b) => Number(a.rater !== "clinician") - Number(b.rater !== "clinician") || a.title.localeCompare(b.title),
      ),
    [instruments],
  );
  const [id, setId] = useState(sorted[0]?.id ?? "");
  const [values, setValues] = useState<Record<number, string>>({});
  const [errors, setErrors] = useState<Errors>({ items: {}, form: null });
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<Assessment | null>(null);
  const def = sorted.find((d) => d.id === id);

  const choose = (next: string) => {
    setId(next);
    setValues({});
    setErrors({ items: {}, form: null });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!def) return;
    const itemErrors: Record<number, string> = {};
    const items = def.items.map((it) => {
      const raw = (values[it.number] ?? "").trim();
      if (raw === "") return null;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < it.min || n > it.max) {
        itemErrors[it.number] = `Item ${it.number} must be a whole number from ${it.min} to ${it.max}.`;
        return null;
      }
      return n;
    });
    if (Object.keys(itemErrors).length) {
      setErrors({ items: itemErrors, form: "Some item scores are out of range." });
      return;
    }
    setBusy(true);
    setErrors({ items: {}, form: null });
    setSaved(null);
    try {
      const r = await api.submitAssessment(patientId, def.id, items);
      setSaved(r.assessment);
      setValues({});
      onSaved(r.assessment);
    } catch (err) {
      if (err instanceof ApiError) {
        const n = itemFromField(err.field, def.items);
        if (n != null) {
          setErrors({ items: { [n]: fieldMessage(`Item ${n}`, err.message, err.field) }, form: null });
        } else {
          setErrors({ items: {}, form: sentence(err.message) });
        }
      } else {
        setErrors({ items: {}, form: String(err) });
      }
    } finally {
      setBusy(false);
    }
  };

  if (!sorted.length) return <p class="muted">No rating scales are available.</p>;
  const scoreEntry = def ? isScoreEntry(def) : false;

  return (
    <form onSubmit={submit} noValidate data-testid="scale-entry">
      <div class="field">
        <label for="se-instrument">Scale</label>
        <select
          id="se-instrument"
          value={id}
          onChange={(e) => choose((e.currentTarget as HTMLSelectElement).value)}
          data-testid="entry-instrument"
        >
          {sorted.map((d) => (
            <option key={d.id} value={d.id}>
              {d.title}
              {d.rater === "clinician" ? " (clinician-rated)" : " (self-report)"}
            </option>
          ))}
        </select>
      </div>
      {saved && (
        <Banner kind="success" testid="entry-result">
          Saved {instrumentName(saved.instrument)}: total{" "}
          <strong data-testid="entry-total">{saved.total ?? "not scored"}</strong>
          {saved.prorated && " (prorated)"}
          {saved.severity && (
            <>
              , <span data-testid="entry-severity">{severityLabel(saved.severity)}</span>
            </>
          )}
          {saved.flags.length > 0 && <> · flags: {saved.flags.map(severityLabel).join(", ")}</>}.
        </Banner>
      )}
      {def && scoreEntry && (
        <p class="banner banner-info" data-testid="score-entry-note">
          Score entry: enter each item's score from the clinic's licensed {def.title} form. kclinic does not show the
          wording of this scale.
          {def.licence_note && <span class="hint-block">{def.licence_note}</span>}
        </p>
      )}
      {def && (
        <div class="grid item-grid" key={def.id}>
          {def.items.map((it) => {
            const fid = `se-item-${it.number}`;
            const err = errors.items[it.number];
            return (
              <div class={`field${err ? " field-invalid" : ""}`} key={it.number} data-testid="entry-item">
                <label for={fid} data-testid="entry-label">
                  {it.text ? (
                    <>
                      {it.number}. <span data-testid="entry-item-text">{it.text}</span>
                    </>
                  ) : (
                    `Item ${it.number}`
                  )}
                </label>
                {/* A select only for labelled answers; bare numbers are quicker typed. */}
                {it.options?.some((o) => o.label) ? (
                  <select
                    id={fid}
                    value={values[it.number] ?? ""}
                    onChange={(e) => setValues({ ...values, [it.number]: (e.currentTarget as HTMLSelectElement).value })}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={err ? `${fid}-error` : `${fid}-hint`}
                    data-testid={`entry-item-${it.number}`}
                  >
                    <option value="">—</option>
                    {it.options.map((o) => (
                      <option key={o.value} value={String(o.value)}>
                        {o.label ? `${o.value} – ${o.label}` : String(o.value)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={fid}
                    type="number"
                    inputMode="numeric"
                    min={it.min}
                    max={it.max}
                    step={1}
                    value={values[it.number] ?? ""}
                    onInput={(e) => setValues({ ...values, [it.number]: (e.currentTarget as HTMLInputElement).value })}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={err ? `${fid}-error` : `${fid}-hint`}
                    data-testid={`entry-item-${it.number}`}
                  />
                )}
                <div class="hint" id={`${fid}-hint`} data-testid={`entry-range-${it.number}`}>
                  Score {it.min}–{it.max}
                  {it.scored === false ? " (not counted in the total)" : ""}
                </div>
                {err && (
                  <div class="field-error" id={`${fid}-error`} data-testid={`entry-error-${it.number}`}>
                    {err}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      )}
      {errors.form && (
        <Banner kind="error" testid="entry-error">
          {errors.form}
        </Banner>
      )}
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy || !def} data-testid="entry-submit">
          Save scores
        </button>
      </div>
    </form>
  );
}
