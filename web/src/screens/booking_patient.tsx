// On a patient's page (front desk, nurses, prescribers): her appointments, "Book induction series"
// (the proposal dialog) and, for prescribers and nurses, the maintenance (booster) view.

import { calendarDate } from "../format";
import { useState } from "preact/hooks";
import { useResource } from "../data";
import type { User } from "../types";
import { Banner } from "../components/messages";
import { SeriesDialog } from "../components/series_dialog";
import { schedule, todayIn, typeName, where } from "../schedule";
import { useResources } from "./booking_common";
import { can } from "../access";

export function PatientBookings({ patientId, patientName, user }: { patientId: string; patientName: string; user: User }) {
  const { resources, error: resError } = useResources();
  const list = useResource(() => schedule.patientAppointments(patientId).then((r) => r.appointments), [patientId]);
  const appts = list.data;
  const error = list.errorText;
  const [dialog, setDialog] = useState(false);

  const today = resources ? todayIn(resources.time_zone) : "";
  const upcoming = (appts ?? [])
    .filter((a) => a.status === "booked" && a.local_date >= today)
    .sort((a, b) => a.start.localeCompare(b.start));

  return (
    <section class="card" aria-labelledby="bookings-title" data-testid="patient-bookings">
      <div class="title-row">
        <h2 id="bookings-title">Appointments</h2>
        <div class="actions actions-tight">
          {can(user, "assessment.read") && (
            <a class="btn btn-small" href={`#/patients/${encodeURIComponent(patientId)}/maintenance`} data-testid="maintenance-link">
              Maintenance
            </a>
          )}
          {resources && (
            <button type="button" class="btn btn-primary" onClick={() => setDialog(true)} data-testid="book-series">
              Book induction series
            </button>
          )}
        </div>
      </div>
      {(error || resError) && <Banner kind="error">{error || resError}</Banner>}
      {!appts && !error && <p class="muted">Loading…</p>}
      {appts && upcoming.length === 0 && (
        <p class="muted" data-testid="no-appointments">
          No upcoming appointments.
        </p>
      )}
      {upcoming.length > 0 && (
        <ul class="appt-list">
          {upcoming.map((a) => (
            <li key={a.id} data-testid="patient-appointment">
              <a href={`#/calendar?date=${a.local_date}&view=day`}>
                <strong>
                  {calendarDate(a.local_date)} at {a.local_start}
                </strong>
              </a>{" "}
              {typeName(a.type, resources)} · {where(a)}
            </li>
          ))}
        </ul>
      )}
      {resources && (
        <p class="hint">Times in {resources.time_zone}.</p>
      )}
      {dialog && resources && (
        <SeriesDialog
          patientId={patientId}
          patientName={patientName}
          resources={resources}
          onClose={() => setDialog(false)}
          onBooked={list.reload}
        />
      )}
    </section>
  );
}
