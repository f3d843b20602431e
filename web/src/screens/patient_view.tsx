// One patient: details, edit, weights and the record's version history. A patient user may open
// only her own record, read-only; anyone else's gets the server's 403 and the access-denied page.

import { useState } from "preact/hooks";
import { ConfirmPanel, confirmationWarnings } from "./new_patient";
import { api, ApiError } from "../api";
import { useMutation, useResource } from "../data";
import { SubmitButton } from "../components/form";
import type { Patient, User } from "../types";
import { dateTime, fieldMessage, fullName, num, sentence, today } from "../format";
import { AccessDenied, Banner, NotFound } from "../components/messages";
import { PatientDetails } from "../components/patient_details";
import { PatientForm, valuesFromPatient } from "../components/patient_form";
import { MeasurementCare } from "../components/measurement_care";
import { ScreeningSummary } from "../components/screening_summary";
import { SessionOpen } from "../components/session_open";
import { PatientBookings } from "./booking_patient";
import { can, isStaff } from "../access";

export function PatientView({ id, user }: { id: string; user: User }) {
  const load = useResource(() => api.getPatient(id), [id]);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [historyKey, setHistoryKey] = useState(0);
  const staff = isStaff(user);

  if (load.error) {
    const e = load.error;
    if (e.status === 403) return <AccessDenied />;
    // A malformed id in the address (400 on "id") names no patient either.
    if (e.status === 404 || (e.status === 400 && e.field === "id")) return <NotFound what="Patient" />;
    return (
      <Banner kind="error" testid="patient-error">
        {sentence(e.message)}
      </Banner>
    );
  }

  if (!load.data) return <p class="muted" data-testid="patient-loading">Loading…</p>;
  const p = load.data;
  const update = (patient: Patient, message: string) => {
    load.set(patient);
    setSaved(message);
    setHistoryKey((k) => k + 1);
  };

  return (
    <section aria-labelledby="patient-title" data-testid="patient-page" data-patient-id={p.id}>
      {staff && (
        <p class="crumbs">
          <a href="#/patients">← Patients</a>
        </p>
      )}
      <div class="title-row">
        <h1 id="patient-title" data-testid="patient-title">
          {fullName(p.name)}
        </h1>
        {staff && !editing && (
          <button
            type="button"
            class="btn"
            onClick={() => {
              setSaved(null);
              setEditing(true);
            }}
            data-testid="edit-patient"
          >
            Edit
          </button>
        )}
      </div>
      {saved && (
        <Banner kind="success" testid="saved">
          {saved}
        </Banner>
      )}

      {editing ? (
        <div class="card">
          <h2>Edit details</h2>
          <PatientForm
            key={p.version}
            mode="edit"
            initial={valuesFromPatient(p)}
            onSubmit={async (body) => {
              const patient = await api.patchPatient(p.id, body);
              setEditing(false);
              update(patient, "Changes saved.");
            }}
            onCancel={() => setEditing(false)}
          />
        </div>
      ) : (
        <div class="card">
          <PatientDetails patient={p} />
        </div>
      )}

      {can(user, "screening.read") && (
        <ScreeningSummary patientId={p.id} prescriber={can(user, "screening.write")} />
      )}
      {staff && can(user, "assessment.read") && <MeasurementCare patientId={p.id} />}
      {can(user, "session.write") && <SessionOpen patientId={p.id} />}
      {can(user, "schedule.read") && (
        <PatientBookings patientId={p.id} patientName={fullName(p.name)} user={user} />
      )}

      <Weights
        patient={p}
        canAdd={staff}
        onAdded={(w) =>
          update(
            { ...p, weights: [w, ...p.weights].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0)) },
            "Weight added.",
          )
        }
      />
      {staff && <History id={p.id} reload={historyKey} />}
    </section>
  );
}

/** A weight error beside its field: decoding errors name "kg"/"date", the clinical checks "weight.kg"/"weight.date". */
function weightError(err: ApiError): { field?: string; message: string } {
  if (err.status === 0 && err.code === "unknown") return { message: err.message };
  const field = err.field?.replace(/^weight\./, "");
  const label = field === "kg" ? "Weight" : field === "date" ? "Date" : (err.field ?? "");
  return { field, message: label ? fieldMessage(label, err.message) : sentence(err.message) };
}

function Weights({
  patient,
  canAdd,
  onAdded,
}: {
  patient: Patient;
  canAdd: boolean;
  onAdded: (w: Patient["weights"][number]) => void;
}) {
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(today());
  const [kg, setKg] = useState("");
  const m = useMutation();
  const error = m.error ? weightError(m.error) : null;
  // A BMI outside the plausible range: the server stores it only once confirmed.
  const [warnings, setWarnings] = useState<ReturnType<typeof confirmationWarnings>>(null);

  const save = async (confirm: boolean) => {
    const n = Number(kg.trim().replace(",", "."));
    if (!kg.trim() || !Number.isFinite(n) || n <= 0) {
      m.fail("Enter the weight in kg as a positive number.", "kg");
      return;
    }
    await m.run(async () => {
      try {
        const w = await api.addWeight(patient.id, date, n, confirm);
        setKg("");
        setOpen(false);
        setWarnings(null);
        onAdded(w);
      } catch (err) {
        const asked = confirmationWarnings(err);
        if (asked === null) throw err;
        setWarnings(asked);
      }
    });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    await save(false);
  };

  return (
    <section class="card" aria-labelledby="weights-title" data-testid="weights">
      <div class="title-row">
        <h2 id="weights-title">Weight</h2>
        {canAdd && !open && (
          <button type="button" class="btn btn-small" onClick={() => setOpen(true)} data-testid="add-weight">
            Add weight
          </button>
        )}
      </div>
      {open && (
        <form class="inline-form" onSubmit={submit} noValidate data-testid="weight-form">
          <div class={`field${error?.field === "date" ? " field-invalid" : ""}`}>
            <label for="w-date">Date</label>
            <input
              id="w-date"
              type="date"
              value={date}
              onInput={(e) => setDate((e.currentTarget as HTMLInputElement).value)}
              data-testid="weight-date"
            />
            {error?.field === "date" && (
              <div class="field-error" data-testid="weight-error">
                {error.message}
              </div>
            )}
          </div>
          <div class={`field${error?.field === "kg" ? " field-invalid" : ""}`}>
            <label for="w-kg">Weight (kg)</label>
            <input
              id="w-kg"
              type="number"
              step="any"
              min="0"
              inputMode="decimal"
              value={kg}
              onInput={(e) => setKg((e.currentTarget as HTMLInputElement).value)}
              data-testid="weight-kg"
            />
            {error?.field === "kg" && (
              <div class="field-error" data-testid="weight-error">
                {error.message}
              </div>
            )}
          </div>
          {warnings && (
            <ConfirmPanel
              warnings={warnings}
              busy={m.pending}
              confirmLabel="Save this weight anyway"
              onBack={() => setWarnings(null)}
              onConfirm={() => save(true)}
            />
          )}
          {error && error.field !== "kg" && error.field !== "date" && (
            <Banner kind="error" testid="weight-error">
              {error.message}
            </Banner>
          )}
          <div class="actions">
            <SubmitButton pending={m.pending} testid="save-weight">
              Save weight
            </SubmitButton>
            <button
              type="button"
              class="btn"
              onClick={() => {
                setOpen(false);
                m.clear();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      {patient.weights?.length ? (
        <table class="table" data-testid="weight-history">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col" class="num">
                kg
              </th>
              <th scope="col">Recorded by</th>
            </tr>
          </thead>
          <tbody>
            {patient.weights.map((w) => (
              <tr key={w.id} data-testid="weight-row">
                <td class="nowrap">{w.date}</td>
                <td class="num nowrap">{num(w.kg)}</td>
                <td class="muted wrap">{w.recorded_by ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted" data-testid="no-weights">
          No weight recorded yet.
        </p>
      )}
    </section>
  );
}

function History({ id, reload }: { id: string; reload: number }) {
  const { data: items, errorText: error } = useResource(
    () => api.history(id).then((h) => [...h.items].sort((a, b) => b.version - a.version)),
    [id, reload],
  );

  return (
    <section class="card" aria-labelledby="history-title" data-testid="history">
      <h2 id="history-title">History</h2>
      {error && <Banner kind="error">{error}</Banner>}
      {!items && !error && <p class="muted">Loading…</p>}
      {items && items.length === 0 && <p class="muted">No history.</p>}
      {items && items.length > 0 && (
        <ol class="history">
          {items.map((h) => (
            <li key={h.version} data-testid="history-entry">
              <div>
                <strong>Version {h.version}</strong> · {dateTime(h.changed_at)} · {h.changed_by}
              </div>
              <div class={h.reason ? "" : "muted"} data-testid="history-reason">
                {h.reason ?? (h.version === 1 ? "Registered" : "No reason given")}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
