// A patient's details, read-only: used on the staff patient page and the patient's own portal.

import type { Patient, PersonRef } from "../types";
import { fullName, num, orDash, sexLabel } from "../format";

function person(p: PersonRef | undefined): string {
  if (!p || !(p.name || p.phone || p.relationship)) return "—";
  const parts = [p.name, p.relationship ? `(${p.relationship})` : "", p.phone].filter(Boolean);
  return parts.join(" ");
}

export function PatientDetails({ patient }: { patient: Patient }) {
  const p = patient;
  return (
    <div class="details" data-testid="patient-details">
      <dl>
        <dt>Name</dt>
        <dd data-testid="patient-name">{fullName(p.name)}</dd>
        <dt>Birth date</dt>
        <dd data-testid="patient-birth-date">{p.birth_date}</dd>
        <dt>Sex</dt>
        <dd data-testid="patient-sex">{sexLabel(p.sex)}</dd>
        <dt>Phone</dt>
        <dd data-testid="patient-phone">{orDash(p.contact?.phone)}</dd>
        <dt>Email</dt>
        <dd data-testid="patient-email">{orDash(p.contact?.email)}</dd>
        <dt>Address</dt>
        <dd data-testid="patient-address">{orDash(p.contact?.address)}</dd>
        <dt>Height</dt>
        <dd data-testid="patient-height">{p.height_cm == null ? "—" : `${num(p.height_cm)} cm`}</dd>
        <dt>Latest weight</dt>
        <dd data-testid="patient-latest-weight">
          {p.weights?.length ? `${num(p.weights[0].kg)} kg on ${p.weights[0].date}` : "—"}
        </dd>
        <dt>Allergies</dt>
        <dd data-testid="patient-allergies">{p.allergies?.length ? p.allergies.join(", ") : "None recorded"}</dd>
        <dt>Emergency contact</dt>
        <dd data-testid="patient-emergency-contact">{person(p.emergency_contact)}</dd>
        <dt>Escort</dt>
        <dd data-testid="patient-escort">{person(p.escort)}</dd>
      </dl>
    </div>
  );
}
