// "Open session" on a patient's page (nurses, prescribers): an IV ketamine session from the
// patient's latest infusion plan, or an esketamine session of 56 or 84 mg. Goes to the new session.

import { useState } from "preact/hooks";
import { useMutation } from "../data";
import { navigate } from "../router";
import { sessionApi } from "../session";
import { FormBanner } from "./session_util";
import { SubmitButton } from "./form";

export function SessionOpen({ patientId }: { patientId: string }) {
  const [kind, setKind] = useState("iv_ketamine");
  const [dose, setDose] = useState("56");
  const f = useMutation();
  const submit = (e: Event) => {
    e.preventDefault();
    void f.run(async () => {
      const s = await sessionApi.create(patientId, kind === "esketamine" ? { kind, planned_dose_mg: Number(dose) } : { kind });
      navigate(`#/sessions/${encodeURIComponent(s.id)}`);
    });
  };
  return (
    <section class="card no-print" aria-labelledby="open-session-title" data-testid="session-open-panel">
      <h2 id="open-session-title">Treatment session</h2>
      <form onSubmit={submit} noValidate class="inline-form" data-testid="session-open-form">
        <div class={`field${f.errorFor("kind") ? " field-invalid" : ""}`}>
          <label for="open-kind">Kind</label>
          <select id="open-kind" value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value)} data-testid="session-open-kind">
            <option value="iv_ketamine">IV ketamine (from the saved plan)</option>
            <option value="esketamine">Esketamine nasal spray</option>
          </select>
        </div>
        {kind === "esketamine" && (
          <div class={`field${f.errorFor("planned_dose_mg") ? " field-invalid" : ""}`}>
            <label for="open-dose">Planned dose</label>
            <select id="open-dose" value={dose} onChange={(e) => setDose((e.currentTarget as HTMLSelectElement).value)} data-testid="session-open-dose">
              <option value="56">56 mg (2 devices)</option>
              <option value="84">84 mg (3 devices)</option>
            </select>
            {f.errorFor("planned_dose_mg") && <div class="field-error">{f.errorFor("planned_dose_mg")}</div>}
          </div>
        )}
        <SubmitButton pending={f.pending} testid="session-open-submit">Open session</SubmitButton>
        <FormBanner message={f.general(["kind", "planned_dose_mg"])} testid="session-open-error" />
      </form>
    </section>
  );
}
