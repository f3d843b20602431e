// The patient's portal home: questionnaires due, her own PHQ-9 / GAD-7 trend, her sessions and
// booking requests (booking_portal.tsx), and her record.

import { useMemo, useState } from "preact/hooks";
import { api, loadInstruments } from "../api";
import { useResource } from "../data";
import type { User } from "../types";
import { Banner } from "../components/messages";
import { dateOnly, instrumentName, parseTime } from "../format";
import { PatientDetails } from "../components/patient_details";
import { TrendChart } from "../components/trend_chart";
import { seriesFor } from "../mbc";
import { hasDraft, PhoneLinks } from "./questionnaire";
import { PortalBookings } from "./booking_portal";

export function Portal({ user }: { user: User }) {
  const pid = user.patient_id;
  const { data: patient, errorText: error } = useResource(pid ? () => api.getPatient(pid) : null, [pid]);

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
      <DueCard user={user} patientId={user.patient_id} />
      <TrendCard patientId={user.patient_id} />
      <PortalBookings patientId={user.patient_id} />
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

function DueCard({ user, patientId }: { user: User; patientId: string }) {
  const { data: due, errorText: error } = useResource(
    () => api.questionnairesDue(patientId).then((r) => [...r.due].sort((a, b) => parseTime(a.due_at) - parseTime(b.due_at))),
    [patientId],
  );
  const titles = useResource(loadInstruments, []).data ?? []; // titles are a nicety; the short names do

  const title = (id: string) => titles.find((d) => d.id === id)?.title ?? instrumentName(id);
  return (
    <section class="card" aria-labelledby="due-title" data-testid="questionnaires-due">
      <h2 id="due-title">Questionnaires due</h2>
      {error && (
        <Banner kind="error" testid="due-error">
          {error}
        </Banner>
      )}
      {!due && !error && <p class="muted">Loading…</p>}
      {due && due.length === 0 && (
        <p class="muted" data-testid="none-due">
          Nothing to fill in right now. Thank you!
        </p>
      )}
      {due && due.length > 0 && (
        <ul class="due-list">
          {due.map((q) => (
            <li key={q.instrument + q.due_at} data-testid="due-item" data-instrument={q.instrument}>
              <div>
                <strong>{title(q.instrument)}</strong>
                <div class="muted">
                  {q.overdue ? (
                    <span class="badge badge-warn" data-testid="due-overdue">
                      Overdue
                    </span>
                  ) : null}{" "}
                  {q.overdue ? "was due" : "due"} {dateOnly(q.due_at)}
                  {q.reminder && !q.overdue ? " · reminder" : ""}
                </div>
              </div>
              <a
                class="btn btn-primary btn-large"
                href={`#/portal/questionnaire/${encodeURIComponent(q.instrument)}`}
                data-testid={`due-start-${q.instrument}`}
              >
                {hasDraft(user, q.instrument) ? "Continue" : "Start"}
                <span class="visually-hidden"> {title(q.instrument)}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TrendCard({ patientId }: { patientId: string }) {
  const { data: assessments, errorText: error } = useResource(() => api.outcomes(patientId).then((o) => o.assessments), [patientId]);

  // uPlot's time axis takes Unix seconds.
  const series = useMemo(
    () => (assessments ? seriesFor(assessments, ["phq9", "gad7"], (ms) => Math.round(ms / 1000)) : []),
    [assessments],
  );
  const latest = (id: string) =>
    assessments
      ?.filter((a) => a.instrument === id && a.total != null)
      .sort((a, b) => parseTime(b.administered_at) - parseTime(a.administered_at))[0];

  return (
    <section class="card" aria-labelledby="trend-title" data-testid="own-trend">
      <h2 id="trend-title">How you have been</h2>
      {error && <Banner kind="error">{error}</Banner>}
      {!assessments && !error && <p class="muted">Loading…</p>}
      {assessments && series.length === 0 && (
        <p class="muted" data-testid="no-trend">
          Your PHQ-9 (mood) and GAD-7 (anxiety) scores will appear here once you have answered them.
        </p>
      )}
      {series.length > 0 && (
        <>
          <p class="hint">Lower is better. PHQ-9 measures mood (0–27), GAD-7 anxiety (0–21).</p>
          <TrendChart
            series={series}
            xMode="dates"
            yMax={27}
            height={200}
            label="Your PHQ-9 and GAD-7 scores over time"
            liveLegend={false}
            testid="own-trend-chart"
          />
          <ul class="trend-latest">
            {["phq9", "gad7"].map((id) => {
              const a = latest(id);
              return a ? (
                <li key={id} data-testid={`latest-${id}`}>
                  Latest {instrumentName(id)}: <strong>{a.total}</strong> on {dateOnly(a.administered_at)}
                </li>
              ) : null;
            })}
          </ul>
        </>
      )}
    </section>
  );
}

/** Always within reach on the portal: the site's crisis resources, loaded when opened. */
export function CrisisLink() {
  const [opened, setOpened] = useState(false);
  const crisis = useResource(opened ? () => api.crisisResources().then((r) => r.text) : null, [opened]);
  const text = crisis.data ?? null;
  const error = crisis.errorText;
  const open = () => {
    if (!opened) setOpened(true);
    else if (crisis.error) crisis.reload();
  };
  return (
    <details class="card crisis-link" onToggle={open} data-testid="crisis-link">
      <summary>Need help now?</summary>
      {error && <Banner kind="error">{error}</Banner>}
      {text === null && !error && <p class="muted">Loading…</p>}
      {text !== null && (
        <p class="crisis-text" data-testid="crisis-resources">
          <PhoneLinks text={text} />
        </p>
      )}
      <p class="hint">If you are in immediate danger, call your local emergency number.</p>
    </details>
  );
}
