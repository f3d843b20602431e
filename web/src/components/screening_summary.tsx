// "Screening" on a patient's chart (nurses and prescribers): the state of the newest intake (no
// intake, screened and awaiting a decision, approved, declined), a link to the result and, for
// prescribers, to the intake form and the infusion plan. The newest saved plan is shown too: it
// is what the nurse will run.

import { api } from "../api";
import { useResource } from "../data";
import { dateTime, doseMg, rateMlh, volumeMl } from "../format";
import { Banner } from "./messages";
import { screeningState, StateBadge } from "../screens/screening";

export function ScreeningSummary({ patientId, prescriber }: { patientId: string; prescriber: boolean }) {
  const { data: o, errorText: error } = useResource(() => api.screening(patientId), [patientId]);

  const pid = encodeURIComponent(patientId);
  const state = o ? screeningState(o) : null;
  const findings = o?.screening?.findings ?? [];
  const hardStops = findings.filter((f) => f.severity === "hard_stop").length;
  const overrides = findings.filter((f) => f.severity === "override_required").length;
  const plan = o?.plans[0];
  return (
    <section class="card" aria-labelledby="screening-summary-title" data-testid="screening-summary" data-state={state ?? ""}>
      <div class="title-row">
        <h2 id="screening-summary-title">
          Screening {state && <StateBadge state={state} testid="screening-summary-state" />}
        </h2>
      </div>
      {error && <Banner kind="error">{error}</Banner>}
      {!o && !error && <p class="muted">Loading…</p>}
      {o && (
        <>
          {o.intake ? (
            <p>
              Intake version {o.intake.version}, {dateTime(o.intake.created_at)} by {o.intake.created_by}.{" "}
              {o.screening && (
                <>
                  {o.screening.trd.meets_trd ? "Meets TRD." : "Does not meet TRD."}
                  {hardStops > 0 && ` ${hardStops} hard stop${hardStops === 1 ? "" : "s"}.`}
                  {overrides > 0 && ` ${overrides} finding${overrides === 1 ? "" : "s"} needing an override.`}
                </>
              )}
              {o.decision && (
                <>
                  {" "}
                  Decided by {o.decision.decided_by}, {dateTime(o.decision.decided_at)}.
                </>
              )}
            </p>
          ) : (
            <p class="muted">No screening intake yet.</p>
          )}
          {plan && (
            <p data-testid="latest-plan">
              Latest plan: <strong>{doseMg(plan.dose.dose_mg)} mg</strong> ({plan.dose.mg_per_kg} mg/kg,{" "}
              {plan.dose.basis} weight) = {volumeMl(plan.dose.volume_ml)} mL at {rateMlh(plan.dose.rate_ml_per_h)} mL/h
              over {plan.dose.minutes} min; saved by {plan.created_by}
              {plan.created_at ? `, ${dateTime(plan.created_at)}` : ""}.
            </p>
          )}
          <div class="actions">
            {o.intake && (
              <a class="btn btn-small" href={`#/patients/${pid}/screening`} data-testid="screening-link">
                Screening result
              </a>
            )}
            {prescriber && (
              <a class="btn btn-small" href={`#/patients/${pid}/intake`} data-testid="summary-intake-link">
                {o.intake ? "New intake version" : "Enter intake"}
              </a>
            )}
            {prescriber && (state === "approve" || state === "override") && (
              <a class="btn btn-small btn-primary" href={`#/patients/${pid}/plan`} data-testid="summary-plan-link">
                Plan infusion
              </a>
            )}
          </div>
        </>
      )}
    </section>
  );
}
