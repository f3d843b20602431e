// The patient form, used to register a patient and to edit one. On edit it sends only the fields
// that changed (PATCH), with an optional reason that the server keeps in the record's history.

import { useRef, useState } from "preact/hooks";
import { ApiError } from "../api";
import type { Patient } from "../types";
import { SEX_LABELS, fieldMessage, num, sentence, today } from "../format";
import { Field } from "./field";
import { Banner } from "./messages";

/** Every control of the form, as the text the person typed. */
export interface FormValues {
  given: string;
  family: string;
  birth_date: string;
  sex: string;
  phone: string;
  email: string;
  address: string;
  height_cm: string;
  weight_kg: string;
  weight_date: string;
  allergies: string;
  ec_name: string;
  ec_phone: string;
  ec_relationship: string;
  escort_name: string;
  escort_phone: string;
  escort_relationship: string;
}
type Key = keyof FormValues;

/** The server's field path for each control (errors come back with these paths). */
const FIELD_PATHS: Record<Key, string> = {
  given: "name.given",
  family: "name.family",
  birth_date: "birth_date",
  sex: "sex",
  phone: "contact.phone",
  email: "contact.email",
  address: "contact.address",
  height_cm: "height_cm",
  weight_kg: "weight.kg",
  weight_date: "weight.date",
  allergies: "allergies",
  ec_name: "emergency_contact.name",
  ec_phone: "emergency_contact.phone",
  ec_relationship: "emergency_contact.relationship",
  escort_name: "escort.name",
  escort_phone: "escort.phone",
  escort_relationship: "escort.relationship",
};

/** What to call each control in an error message ("Given name is required"). */
const LABELS: Record<Key, string> = {
  given: "Given name",
  family: "Family name",
  birth_date: "Birth date",
  sex: "Sex",
  phone: "Phone",
  email: "Email",
  address: "Address",
  height_cm: "Height",
  weight_kg: "Weight",
  weight_date: "Weighing date",
  allergies: "Allergies",
  ec_name: "Emergency contact name",
  ec_phone: "Emergency contact phone",
  ec_relationship: "Emergency contact relationship",
  escort_name: "Escort name",
  escort_phone: "Escort phone",
  escort_relationship: "Escort relationship",
};

/** Which control a server error's "field" belongs to, or null to show it above the form. */
export function keyForField(field: string | undefined, keys: Key[]): Key | null {
  if (!field) return null;
  const f = field.replace(/\[(\d+)\]/g, ".$1");
  for (const k of keys) if (FIELD_PATHS[k] === f) return k;
  // "allergies.2" → allergies; "weight" → weight.kg; "name" → name.given.
  for (const k of keys) if (f.startsWith(FIELD_PATHS[k] + ".")) return k;
  for (const k of keys) if (FIELD_PATHS[k].startsWith(f + ".")) return k;
  return null;
}

export const EMPTY: FormValues = {
  given: "",
  family: "",
  birth_date: "",
  sex: "",
  phone: "",
  email: "",
  address: "",
  height_cm: "",
  weight_kg: "",
  weight_date: "",
  allergies: "",
  ec_name: "",
  ec_phone: "",
  ec_relationship: "",
  escort_name: "",
  escort_phone: "",
  escort_relationship: "",
};

export function valuesFromPatient(p: Patient): FormValues {
  return {
    ...EMPTY,
    given: p.name.given,
    family: p.name.family,
    birth_date: p.birth_date,
    sex: p.sex,
    phone: p.contact?.phone ?? "",
    email: p.contact?.email ?? "",
    address: p.contact?.address ?? "",
    height_cm: p.height_cm == null ? "" : num(p.height_cm),
    allergies: (p.allergies ?? []).join(", "),
    ec_name: p.emergency_contact?.name ?? "",
    ec_phone: p.emergency_contact?.phone ?? "",
    ec_relationship: p.emergency_contact?.relationship ?? "",
    escort_name: p.escort?.name ?? "",
    escort_phone: p.escort?.phone ?? "",
    escort_relationship: p.escort?.relationship ?? "",
  };
}

function allergyList(s: string): string[] {
  return s
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
}

type Errors = Partial<Record<Key, string>>;

/** Numbers typed into the form: "" → null; anything unreadable → an error for that field. */
function parseNumber(s: string, key: Key, errors: Errors, what: string): number | null {
  const t = s.trim().replace(",", ".");
  if (!t) return null;
  const n = Number(t);
  if (!Number.isFinite(n) || n <= 0) {
    errors[key] = `Enter the ${what} as a positive number.`;
    return null;
  }
  return n;
}

/** Body for POST /patients. */
export function createBody(v: FormValues, errors: Errors): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: { given: v.given.trim(), family: v.family.trim() },
    birth_date: v.birth_date,
    sex: v.sex,
    contact: { phone: v.phone.trim(), email: v.email.trim(), address: v.address.trim() },
    height_cm: parseNumber(v.height_cm, "height_cm", errors, "height in cm"),
    allergies: allergyList(v.allergies),
    emergency_contact: {
      name: v.ec_name.trim(),
      phone: v.ec_phone.trim(),
      relationship: v.ec_relationship.trim(),
    },
    escort: {
      name: v.escort_name.trim(),
      phone: v.escort_phone.trim(),
      relationship: v.escort_relationship.trim(),
    },
  };
  const kg = parseNumber(v.weight_kg, "weight_kg", errors, "weight in kg");
  if (kg !== null) body.weight = { date: v.weight_date || today(), kg };
  return body;
}

/** Body for PATCH /patients/{id}: only what differs from `before`; empty when nothing changed. */
export function patchBody(before: FormValues, v: FormValues, errors: Errors): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const changed = (k: Key) => before[k].trim() !== v[k].trim();
  const group = (name: string, parts: [string, Key][]) => {
    const out: Record<string, string> = {};
    for (const [sub, k] of parts) if (changed(k)) out[sub] = v[k].trim();
    if (Object.keys(out).length) body[name] = out;
  };
  group("name", [
    ["given", "given"],
    ["family", "family"],
  ]);
  if (changed("birth_date")) body.birth_date = v.birth_date;
  if (changed("sex")) body.sex = v.sex;
  group("contact", [
    ["phone", "phone"],
    ["email", "email"],
    ["address", "address"],
  ]);
  if (changed("height_cm")) body.height_cm = parseNumber(v.height_cm, "height_cm", errors, "height in cm");
  if (allergyList(before.allergies).join("\n") !== allergyList(v.allergies).join("\n")) {
    body.allergies = allergyList(v.allergies);
  }
  group("emergency_contact", [
    ["name", "ec_name"],
    ["phone", "ec_phone"],
    ["relationship", "ec_relationship"],
  ]);
  group("escort", [
    ["name", "escort_name"],
    ["phone", "escort_phone"],
    ["relationship", "escort_relationship"],
  ]);
  return body;
}

interface PatientFormProps {
  mode: "create" | "edit";
  initial: FormValues;
  /** Sends the body; throws ApiError on a refusal. */
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
  onCancel: () => void;
}

export function PatientForm({ mode, initial, onSubmit, onCancel }: PatientFormProps) {
  const [v, setV] = useState<FormValues>(initial);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const keys = (Object.keys(FIELD_PATHS) as Key[]).filter(
    (k) => mode === "create" || (k !== "weight_kg" && k !== "weight_date"),
  );

  const focusError = (k: Key) => {
    // After the error renders, move focus there so the person sees what to fix.
    setTimeout(() => formRef.current?.querySelector<HTMLElement>(`#f-${k}`)?.focus(), 0);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const errs: Errors = {};
    const body = mode === "create" ? createBody(v, errs) : patchBody(initial, v, errs);
    setGeneral(null);
    setErrors(errs);
    const first = keys.find((k) => errs[k]);
    if (first) {
      focusError(first);
      return;
    }
    if (mode === "edit") {
      if (Object.keys(body).length === 0) {
        setGeneral("Nothing has changed, so there is nothing to save.");
        return;
      }
      if (reason.trim()) body.reason = reason.trim();
    }
    setBusy(true);
    try {
      await onSubmit(body);
    } catch (err) {
      if (err instanceof ApiError) {
        const k = keyForField(err.field, keys);
        if (k) {
          setErrors({ [k]: fieldMessage(LABELS[k], err.message, err.field) });
          focusError(k);
        } else {
          setGeneral(err.field ? fieldMessage(err.field, err.message, err.field) : sentence(err.message));
        }
      } else {
        setGeneral(String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const set = (k: Key) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    setV((old) => ({ ...old, [k]: value }));
  };

  const text = (k: Key, label: string, opts: { type?: "text" | "date" | "tel" | "email" | "number"; required?: boolean; autocomplete?: string; wide?: boolean; hint?: string } = {}) => (
    <Field id={`f-${k}`} label={label} error={errors[k]} wide={opts.wide} hint={opts.hint}>
      {(describedBy, invalid) => (
        <input
          id={`f-${k}`}
          name={k}
          // Preact types narrow attributes per input type; the set used here is valid for all of them.
          type={(opts.type ?? "text") as "text"}
          value={v[k]}
          onInput={set(k)}
          required={opts.required}
          autocomplete={opts.autocomplete ?? "off"}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          data-testid={`field-${k}`}
          {...(opts.type === "number" ? { step: "any", min: "0", inputMode: "decimal" as const } : {})}
        />
      )}
    </Field>
  );

  return (
    <form ref={formRef} class="patient-form" onSubmit={submit} noValidate data-testid="patient-form">
      {general && (
        <Banner kind="error" testid="form-error">
          {general}
        </Banner>
      )}
      {Object.keys(errors).length > 0 && !general && (
        <Banner kind="error" testid="form-error">
          Please correct the field marked below.
        </Banner>
      )}

      <fieldset>
        <legend>Patient</legend>
        <div class="grid">
          {text("given", "Given name", { required: true })}
          {text("family", "Family name", { required: true })}
          {text("birth_date", "Birth date", { type: "date", required: true })}
          <Field id="f-sex" label="Sex" error={errors.sex}>
            {(describedBy, invalid) => (
              <select
                id="f-sex"
                name="sex"
                value={v.sex}
                onChange={set("sex")}
                required
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                data-testid="field-sex"
              >
                {mode === "create" && (
                  <option value="" disabled>
                    Choose…
                  </option>
                )}
                {Object.entries(SEX_LABELS).map(([value, label]) => (
                  <option value={value}>{label}</option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Contact</legend>
        <div class="grid">
          {text("phone", "Phone", { type: "tel" })}
          {text("email", "Email", { type: "email" })}
          {text("address", "Address", { wide: true })}
        </div>
      </fieldset>

      <fieldset>
        <legend>Body and allergies</legend>
        <div class="grid">
          {text("height_cm", "Height (cm)", { type: "number" })}
          {mode === "create" && text("weight_kg", "Weight (kg)", { type: "number" })}
          {mode === "create" &&
            text("weight_date", "Weighed on", { type: "date", hint: "Leave empty for today." })}
          {text("allergies", "Allergies", { wide: true, hint: "Separate with commas, e.g. penicillin, latex" })}
        </div>
      </fieldset>

      <fieldset>
        <legend>Emergency contact</legend>
        <div class="grid grid-3">
          {text("ec_name", "Name")}
          {text("ec_phone", "Phone", { type: "tel" })}
          {text("ec_relationship", "Relationship")}
        </div>
      </fieldset>

      <fieldset>
        <legend>Escort (takes the patient home after a session)</legend>
        <div class="grid grid-3">
          {text("escort_name", "Name")}
          {text("escort_phone", "Phone", { type: "tel" })}
          {text("escort_relationship", "Relationship")}
        </div>
      </fieldset>

      {mode === "edit" && (
        <fieldset>
          <legend>Why this change</legend>
          <div class="field field-wide">
            <label for="f-reason">Reason for change (optional)</label>
            <input
              id="f-reason"
              name="reason"
              value={reason}
              onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)}
              autocomplete="off"
              data-testid="field-reason"
            />
          </div>
        </fieldset>
      )}

      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="save-patient">
          {busy ? "Saving…" : mode === "create" ? "Register patient" : "Save changes"}
        </button>
        <button type="button" class="btn" onClick={onCancel} data-testid="cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}
