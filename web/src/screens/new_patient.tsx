import { useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { navigate } from "../router";
import { EMPTY, PatientForm } from "../components/patient_form";
import { calendarDate, fullName } from "../format";
import type { Schemas } from "../types";

type Warning = Schemas["ConfirmationRequired"]["warnings"][number];

/** The warnings of a 409 confirmation_required, or null for any other error. */
export function confirmationWarnings(err: unknown): Warning[] | null {
  if (!(err instanceof ApiError) || err.code !== "confirmation_required") return null;
  const w = (err.details as { warnings?: Warning[] } | undefined)?.warnings;
  return Array.isArray(w) ? w : [];
}

/** What the server asked to confirm, with "store it anyway" and "go back" (CLINICAL.md §9). */
export function ConfirmPanel({
  warnings,
  busy,
  confirmLabel,
  onConfirm,
  onBack,
}: {
  warnings: Warning[];
  busy: boolean;
  confirmLabel: string;
  onConfirm: () => void;
  onBack: () => void;
}) {
  return (
    <div class="banner banner-warning" role="alert" data-testid="confirm-panel">
      <p>
        <strong>Check before saving.</strong> Nothing has been saved yet.
      </p>
      <ul>
        {warnings.map((w) => (
          <li key={w.code} data-testid={`confirm-warning-${w.code}`}>
            {w.message}.
            {w.matches && w.matches.length > 0 && (
              <ul>
                {w.matches.map((m) => (
                  <li key={m.id}>
                    <a href={`#/patients/${m.id}`} data-testid="confirm-duplicate-link">
                      {fullName(m.name)}, born {calendarDate(m.birth_date)}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" class="btn" onClick={onBack} disabled={busy} data-testid="confirm-back">
          Go back and correct
        </button>
        <button type="button" class="btn btn-primary" onClick={onConfirm} disabled={busy} data-testid="confirm-anyway">
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}

export function NewPatient() {
  const [pending, setPending] = useState<{ body: Record<string, unknown>; warnings: Warning[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async (body: Record<string, unknown>) => {
    try {
      const p = await api.createPatient(body);
      setPending(null);
      navigate(`#/patients/${p.id}`);
    } catch (err) {
      const warnings = confirmationWarnings(err);
      if (warnings === null) throw err;
      setPending({ body, warnings });
    }
  };

  return (
    <section aria-labelledby="new-title" data-testid="new-patient">
      <p class="crumbs">
        <a href="#/patients">← Patients</a>
      </p>
      <h1 id="new-title">Register patient</h1>
      {pending && (
        <ConfirmPanel
          warnings={pending.warnings}
          busy={busy}
          confirmLabel="Register anyway"
          onBack={() => setPending(null)}
          onConfirm={async () => {
            setBusy(true);
            setError(null);
            try {
              const p = await api.createPatient({ ...pending.body, confirm: true });
              setPending(null);
              navigate(`#/patients/${p.id}`);
            } catch (err) {
              setError(err instanceof Error ? err.message : String(err));
            } finally {
              setBusy(false);
            }
          }}
        />
      )}
      {error && (
        <p class="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <PatientForm mode="create" initial={EMPTY} onSubmit={create} onCancel={() => navigate("#/patients")} />
    </section>
  );
}
