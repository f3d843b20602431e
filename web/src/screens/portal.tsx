// The patient's portal home: her own record and (later) her sessions and questionnaires.

import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import type { Patient, User } from "../types";
import { Banner } from "../components/messages";
import { sentence } from "../format";
import { PatientDetails } from "../components/patient_details";

export function Portal({ user }: { user: User }) {
  const [patient, setPatient] = useState<Patient | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!user.patient_id) return;
    let live = true;
    api
      .getPatient(user.patient_id)
      .then((p) => live && setPatient(p))
      .catch((e) => live && setError(e instanceof ApiError ? sentence(e.message) : String(e)));
    return () => {
      live = false;
    };
  }, [user.patient_id]);

  if (user.role !== "patient" || !user.patient_id) {
    return (
      <section class="card" data-testid="portal">
        <h1>Your record</h1>
        <p data-testid="portal-unlinked">
          This account is not linked to a patient record. {user.role !== "patient" && <a href="#/patients">Go to the patient list</a>}
        </p>
      </section>
    );
  }

  return (
    <section aria-labelledby="portal-title" data-testid="portal">
      <h1 id="portal-title">{patient ? `Hello, ${patient.name.given}` : "Your record"}</h1>
      <section class="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Upcoming sessions</h2>
        <p class="muted" data-testid="no-sessions">
          No sessions booked yet. The clinic will contact you to book your first session.
        </p>
      </section>
      <section class="card" aria-labelledby="record-title" data-testid="own-record">
        <h2 id="record-title">Your record</h2>
        {error && (
          <Banner kind="error" testid="portal-error">
            {error}
          </Banner>
        )}
        {!patient && !error && <p class="muted">Loading…</p>}
        {patient && <PatientDetails patient={patient} />}
        {patient && (
          <p class="hint">If anything here is wrong, please tell the front desk at your next visit or call the clinic.</p>
        )}
      </section>
    </section>
  );
}
