import { api } from "../api";
import { navigate } from "../router";
import { EMPTY, PatientForm } from "../components/patient_form";

export function NewPatient() {
  return (
    <section aria-labelledby="new-title" data-testid="new-patient">
      <p class="crumbs">
        <a href="#/patients">← Patients</a>
      </p>
      <h1 id="new-title">Register patient</h1>
      <PatientForm
        mode="create"
        initial={EMPTY}
        onSubmit={async (body) => {
          const p = await api.createPatient(body);
          navigate(`#/patients/${p.id}`);
        }}
        onCancel={() => navigate("#/patients")}
      />
    </section>
  );
}
