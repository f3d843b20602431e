// "Measurement-based care" on a patient's chart (nurses and prescribers): the PHQ-9 / GAD-7
// trajectory with infusions, the course baseline and the response and remission lines of the
// selected scale, its outcome status, every assessment, and the form to enter a clinician-rated
// scale.

import { useMemo, useState } from "preact/hooks";
import { api, loadInstruments } from "../api";
import { useResource } from "../data";
import type { Assessment, Course, Instrument, Outcome, Outcomes } from "../types";
import {
  dateOnly,
  dateTime,
  instrumentName,
  OUTCOME_STATUS_LABELS,
  parseTime,
  percent,
  severityLabel,
} from "../format";
import { maxTotal, seriesFor } from "../mbc";
import { Banner } from "./messages";
import { ScaleEntry } from "./scale_entry";
import { TrendChart, type RefLine } from "./trend_chart";

const DAY_MS = 86_400_000;

/** The course the chart is drawn against: the one started last. */
function currentCourse(courses: Course[]): Course | null {
  return [...courses].sort((a, b) => parseTime(b.started_at) - parseTime(a.started_at))[0] ?? null;
}

function infusionTimes(courses: Course[]): number[] {
  return courses
    .flatMap((c) => c.sessions)
    .filter((s) => s.status === "given")
    .map((s) => parseTime(s.at))
    .filter((t) => !Number.isNaN(t))
    .sort((a, b) => a - b);
}

export function StatusBadge({ status, testid }: { status: string; testid?: string }) {
  return (
    <span class={`badge status-${status}`} data-testid={testid} data-status={status}>
      {OUTCOME_STATUS_LABELS[status] ?? severityLabel(status)}
    </span>
  );
}

export function MeasurementCare({ patientId }: { patientId: string }) {
  const outcomes = useResource(() => api.outcomes(patientId), [patientId]);
  const defs = useResource(loadInstruments, []);
  const [selected, setSelected] = useState("phq9");
  const data = outcomes.data;
  const instruments = defs.data;
  const error = defs.errorText ?? outcomes.errorText;

  return (
    <section class="card" aria-labelledby="mbc-title" data-testid="mbc">
      <h2 id="mbc-title">Measurement-based care</h2>
      {error && (
        <Banner kind="error" testid="mbc-error">
          {error}
        </Banner>
      )}
      {!data && !error && <p class="muted">Loading…</p>}
      {data && (
        <Trajectory data={data} instruments={instruments ?? []} selected={selected} onSelect={setSelected} />
      )}
      {data && <AssessmentTable data={data} />}
      {instruments && (
        <details class="entry" data-testid="entry-section">
          <summary data-testid="entry-open">Enter a clinician-rated scale</summary>
          <ScaleEntry patientId={patientId} instruments={instruments} onSaved={outcomes.reload} />
        </details>
      )}
    </section>
  );
}

function Trajectory({
  data,
  instruments,
  selected,
  onSelect,
}: {
  data: Outcomes;
  instruments: Instrument[];
  selected: string;
  onSelect: (id: string) => void;
}) {
  const course = currentCourse(data.courses);
  const infusions = useMemo(() => infusionTimes(data.courses), [data]);
  // Day 0 is the course's first infusion (or its start, or the first assessment).
  const origin = useMemo(() => {
    const courseStart = course ? parseTime(course.started_at) : NaN;
    const firstGiven = course
      ? course.sessions
          .filter((s) => s.status === "given")
          .map((s) => parseTime(s.at))
          .sort((a, b) => a - b)[0]
      : undefined;
    if (firstGiven !== undefined && !Number.isNaN(firstGiven)) return firstGiven;
    if (!Number.isNaN(courseStart)) return courseStart;
    const times = data.assessments.map((a) => parseTime(a.administered_at)).filter((t) => !Number.isNaN(t));
    return times.length ? Math.min(...times) : Date.now();
  }, [data, course]);
  const toDay = (ms: number) => Math.round(((ms - origin) / DAY_MS) * 100) / 100;

  const scales = useMemo(() => {
    const withData = new Set(data.assessments.filter((a) => a.total != null).map((a) => a.instrument));
    for (const o of data.outcomes) if (o.points.length || o.baseline) withData.add(o.instrument);
    return [...withData].sort((a, b) => (a === "phq9" ? -1 : b === "phq9" ? 1 : a === "gad7" ? -1 : b === "gad7" ? 1 : a.localeCompare(b)));
  }, [data]);
  const current = scales.includes(selected) ? selected : (scales[0] ?? selected);
  const outcome: Outcome | undefined = data.outcomes.find((o) => o.instrument === current);
  const def = instruments.find((d) => d.id === current);

  const shown = useMemo(() => {
    const ids = ["phq9", "gad7"];
    if (!ids.includes(current)) ids.push(current);
    return ids;
  }, [current]);
  const series = useMemo(() => seriesFor(data.assessments, shown, toDay), [data, shown, origin]);
  const markers = useMemo(() => infusions.map(toDay), [infusions, origin]);
  const lines = useMemo(() => {
    const l: RefLine[] = [];
    if (outcome?.baseline) {
      const b = outcome.baseline.total;
      l.push({ y: b, label: `baseline ${b}`, color: "#5b6475", dash: [2, 3] });
      const resp = (b * (100 - outcome.response_threshold_percent)) / 100;
      l.push({ y: resp, label: `${outcome.response_threshold_percent} % response`, color: "#b7791f" });
    }
    if (outcome?.remission_threshold != null) {
      l.push({ y: outcome.remission_threshold, label: `remission ≤ ${outcome.remission_threshold}`, color: "#1e6b37" });
    }
    return l;
  }, [outcome]);
  const yMax = Math.max(
    ...shown.map((id) => maxTotal(instruments.find((d) => d.id === id), id === "gad7" ? 21 : 27)),
    ...series.flatMap((s) => s.points.map((p) => p.y)),
  );

  if (!scales.length) {
    return (
      <p class="muted" data-testid="mbc-empty">
        No rating scales recorded yet.
      </p>
    );
  }

  return (
    <div data-testid="trajectory">
      <div class="mbc-head">
        <div class="field mbc-select">
          <label for="mbc-scale">Scale</label>
          <select
            id="mbc-scale"
            value={current}
            onChange={(e) => onSelect((e.currentTarget as HTMLSelectElement).value)}
            data-testid="mbc-scale"
          >
            {scales.map((id) => (
              <option key={id} value={id}>
                {def && def.id === id ? def.title : instrumentName(id)}
              </option>
            ))}
          </select>
        </div>
        {outcome && <StatusBadge status={outcome.status} testid="outcome-status" />}
      </div>
      {outcome && (
        <p class="mbc-summary" data-testid="outcome-summary">
          {outcome.baseline ? (
            <>
              Course baseline <strong data-testid="baseline-total">{outcome.baseline.total}</strong> on{" "}
              {dateOnly(outcome.baseline.at)}; response at ≤{" "}
              {Math.floor((outcome.baseline.total * (100 - outcome.response_threshold_percent)) / 100)}
            </>
          ) : (
            <>No course baseline (no assessment before the first session)</>
          )}
          {outcome.remission_threshold != null && <>; remission at ≤ {outcome.remission_threshold}</>}
          {outcome.time_to_first_response_days != null && (
            <>; first response after {Math.round(outcome.time_to_first_response_days * 10) / 10} days</>
          )}
          .
        </p>
      )}
      <TrendChart
        series={series}
        xMode="days"
        markers={markers}
        markerLabel={`Infusion (${markers.length}); day 0 = first infusion of the course`}
        lines={lines}
        yMax={yMax}
        label={`${shown.map(instrumentName).join(" and ")} totals by day of the course, with ${markers.length} infusions marked`}
        testid="mbc-chart"
      />
      <p class="visually-hidden" data-testid="infusion-count">
        {markers.length} infusions
      </p>
    </div>
  );
}

function AssessmentTable({ data }: { data: Outcomes }) {
  const change = useMemo(() => {
    const m = new Map<string, number | null>();
    for (const o of data.outcomes) for (const p of o.points) if (p.assessment_id) m.set(p.assessment_id, p.change_percent);
    return m;
  }, [data]);
  const rows = [...data.assessments].sort((a, b) => parseTime(b.administered_at) - parseTime(a.administered_at));
  if (!rows.length) return null;
  return (
    <div class="table-scroll">
      <table class="table" data-testid="assessments">
        <caption class="visually-hidden">Assessments, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Scale</th>
            <th scope="col" class="num">
              Total
            </th>
            <th scope="col" class="hide-narrow">
              Severity
            </th>
            <th scope="col" class="num">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a: Assessment) => (
            <tr key={a.id} data-testid="assessment-row" data-assessment-id={a.id} data-instrument={a.instrument}>
              <td class="nowrap" title={dateTime(a.administered_at)}>
                {dateOnly(a.administered_at)}
              </td>
              <td data-testid="assessment-instrument">
                {instrumentName(a.instrument)}
                {a.flags.length > 0 && (
                  <span class="badge badge-danger" data-testid="assessment-flag">
                    {a.flags.map(severityLabel).join(", ")}
                  </span>
                )}
              </td>
              <td class="num" data-testid="assessment-total">
                {a.total ?? "—"}
                {a.prorated && <span class="muted"> (prorated)</span>}
              </td>
              <td class="hide-narrow" data-testid="assessment-severity">
                {severityLabel(a.severity)}
              </td>
              <td class="num nowrap" data-testid="assessment-change">
                {percent(change.get(a.id))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
