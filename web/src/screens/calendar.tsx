// #/calendar?date=YYYY-MM-DD&view=week|day (front desk, nurses, prescribers): the clinic's chairs
// side by side. Day view: one column per chair, rows are time in the clinic's zone, appointments as
// blocks; week view: a row per day, a column per chair. Closed hours and holidays are shaded. Click
// an appointment to cancel or move it.

import { useMemo, useState } from "preact/hooks";
import { useResource } from "../data";
import { navigate } from "../router";
import { Banner } from "../components/messages";
import {
  addDays,
  dayLabel,
  defaultDay,
  hhmm,
  isDate,
  minutesOf,
  mondayOf,
  schedule,
  todayIn,
  typeName,
  weekday,
  type Appointment,
  type Calendar,
  type Resources,
} from "../schedule";
import { useResources } from "./booking_common";
import { AppointmentDialog } from "./booking_appointment";

type View = "week" | "day";

export function CalendarScreen({ date, view }: { date?: string; view?: string }) {
  const { resources, error: resError } = useResources();
  const v: View = view === "day" ? "day" : "week";
  // Without a date: today in the clinic's zone (the coming week on a weekend, in the week view).
  const today = resources ? todayIn(resources.time_zone) : null;
  const day = isDate(date) ? date : today && v === "week" ? defaultDay(today) : today;
  const from = day ? (v === "week" ? mondayOf(day) : day) : null;
  const to = from ? (v === "week" ? addDays(from, 6) : from) : null;
  const calendar = useResource(from && to ? () => schedule.calendar(from, to) : null, [from, to]);
  const cal = calendar.data;
  const error = calendar.errorText;
  const [open, setOpen] = useState<Appointment | null>(null);

  const go = (d: string, nv: View = v) => navigate(`#/calendar?date=${d}&view=${nv}`);
  const step = v === "week" ? 7 : 1;
  const zone = cal?.time_zone ?? resources?.time_zone ?? "";
  const loaded = cal && resources && cal.from === from;

  return (
    <section aria-labelledby="cal-title" data-testid="calendar" data-from={from ?? ""} data-view={v}>
      <div class="title-row">
        <h1 id="cal-title">Calendar</h1>
        <a class="btn btn-small" href="#/booking-requests" data-testid="cal-requests-link">
          Booking requests
        </a>
      </div>
      {(resError || error) && (
        <Banner kind="error" testid="calendar-error">
          {resError || error}
        </Banner>
      )}
      {day && (
        <div class="cal-toolbar">
          <button type="button" class="btn" onClick={() => go(addDays(day, -step))} data-testid="cal-prev" aria-label={v === "week" ? "Previous week" : "Previous day"}>
            ←
          </button>
          <button type="button" class="btn" onClick={() => resources && go(todayIn(resources.time_zone))} data-testid="cal-today">
            Today
          </button>
          <button type="button" class="btn" onClick={() => go(addDays(day, step))} data-testid="cal-next" aria-label={v === "week" ? "Next week" : "Next day"}>
            →
          </button>
          <label class="visually-hidden" for="cal-date">
            Go to date
          </label>
          <input id="cal-date" type="date" value={day} onChange={(e) => {
            const d = (e.currentTarget as HTMLInputElement).value;
            if (isDate(d)) go(d);
          }} data-testid="cal-date" />
          <div class="cal-views" role="group" aria-label="View">
            <button type="button" class={`btn${v === "week" ? " btn-primary" : ""}`} aria-pressed={v === "week"} onClick={() => go(day, "week")} data-testid="cal-view-week">
              Week
            </button>
            <button type="button" class={`btn${v === "day" ? " btn-primary" : ""}`} aria-pressed={v === "day"} onClick={() => go(day, "day")} data-testid="cal-view-day">
              Day
            </button>
          </div>
        </div>
      )}
      {from && (
        <p class="cal-range" data-testid="cal-range">
          <strong>{v === "week" ? `${dayLabel(from)} – ${dayLabel(addDays(from, 6))}` : dayLabel(from, true)}</strong>
          {zone && (
            <span class="muted" data-testid="cal-zone">
              {" "}
              · times in {zone}
            </span>
          )}
        </p>
      )}
      {!loaded && !error && !resError && <p class="muted">Loading…</p>}
      {loaded && v === "week" && <WeekGrid cal={cal} resources={resources} onOpen={setOpen} onDay={(d) => go(d, "day")} />}
      {loaded && v === "day" && <DayGrid cal={cal} resources={resources} date={from!} onOpen={setOpen} />}
      {open && resources && (
        <AppointmentDialog
          key={open.id}
          appointment={open}
          resources={resources}
          onClose={() => setOpen(null)}
          onChanged={calendar.reload}
        />
      )}
    </section>
  );
}

function closedReason(date: string, r: Resources): string | null {
  const h = r.holidays.find((x) => x.date === date);
  if (h) return `Holiday: ${h.name}`;
  if (!r.hours.some((x) => x.weekday === weekday(date))) return "Closed";
  return null;
}

function booked(cal: Calendar): Appointment[] {
  return cal.appointments.filter((a) => a.status === "booked");
}

function Block({
  a,
  onOpen,
  style,
  resources,
}: {
  a: Appointment;
  onOpen: (a: Appointment) => void;
  style?: Record<string, string>;
  resources: Resources;
}) {
  return (
    <button
      type="button"
      class="cal-appt"
      style={style}
      onClick={() => onOpen(a)}
      data-testid="cal-appointment"
      data-id={a.id}
      data-patient={a.patient_id}
      data-date={a.local_date}
      data-series={a.series_id ?? ""}
    >
      <span class="cal-appt-time">
        {a.local_start}–{a.local_end}
      </span>
      <span class="cal-appt-name">{a.patient_name}</span>
      <span class="cal-appt-meta">
        {typeName(a.type, resources)} · {a.nurse}
      </span>
    </button>
  );
}

function WeekGrid({
  cal,
  resources,
  onOpen,
  onDay,
}: {
  cal: Calendar;
  resources: Resources;
  onOpen: (a: Appointment) => void;
  onDay: (d: string) => void;
}) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(cal.from, i));
  const appts = booked(cal);
  const chairs = cal.chairs.length ? cal.chairs : resources.chairs;
  return (
    <div class="table-scroll cal-scroll">
      <table class="cal-week" data-testid="cal-week">
        <thead>
          <tr>
            <th scope="col">Day</th>
            {chairs.map((c) => (
              <th scope="col" key={c.id}>
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((d) => {
            const closed = closedReason(d, resources);
            const hours = resources.hours.find((h) => h.weekday === weekday(d));
            const onShift = cal.shifts.filter((s) => s.date === d);
            return (
              <tr key={d} class={closed ? "cal-closed" : ""} data-testid="cal-day" data-date={d}>
                <th scope="row" class="cal-day-head">
                  <button type="button" class="link-button" onClick={() => onDay(d)} data-testid="cal-day-link">
                    {dayLabel(d)}
                  </button>
                  <div class="small muted">
                    {closed ?? (hours ? `${hours.open}–${hours.close}` : "")}
                    {onShift.length > 0 && !closed && (
                      <div class="cal-shifts">
                        {onShift.map((s) => (
                          <span key={s.username + s.start}>
                            {s.username}
                            {hours && (s.start !== hours.open || s.end !== hours.close) ? ` ${s.start}–${s.end}` : ""}
                          </span>
                        ))}
                      </div>
                    )}
                  </div>
                </th>
                {chairs.map((c) => (
                  <td key={c.id} data-chair={c.id}>
                    {appts
                      .filter((a) => a.local_date === d && a.chair_id === c.id)
                      .sort((x, y) => x.local_start.localeCompare(y.local_start))
                      .map((a) => (
                        <Block key={a.id} a={a} onOpen={onOpen} resources={resources} />
                      ))}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const PX_PER_MIN = 1.1;

function DayGrid({
  cal,
  resources,
  date,
  onOpen,
}: {
  cal: Calendar;
  resources: Resources;
  date: string;
  onOpen: (a: Appointment) => void;
}) {
  const appts = booked(cal).filter((a) => a.local_date === date);
  const closed = closedReason(date, resources);
  const hours = resources.hours.find((h) => h.weekday === weekday(date));
  // The grid spans the widest opening hours of the week (and any appointment outside them).
  const opens = resources.hours.map((h) => minutesOf(h.open));
  const closes = resources.hours.map((h) => minutesOf(h.close));
  const startMin = Math.min(...opens, ...appts.map((a) => minutesOf(a.local_start)), 8 * 60);
  const endMin = Math.max(...closes, ...appts.map((a) => minutesOf(a.local_end) || 24 * 60), 18 * 60);
  const first = Math.floor(startMin / 60) * 60;
  const last = Math.ceil(endMin / 60) * 60;
  const height = (last - first) * PX_PER_MIN;
  const y = (m: number) => `${(m - first) * PX_PER_MIN}px`;
  const rows = useMemo(() => {
    const r: number[] = [];
    for (let m = first; m < last; m += 60) r.push(m);
    return r;
  }, [first, last]);
  const chairs = cal.chairs.length ? cal.chairs : resources.chairs;
  const shaded: [number, number][] = closed || !hours
    ? [[first, last]]
    : [
        [first, minutesOf(hours.open)],
        [minutesOf(hours.close), last],
      ];
  return (
    <div class="table-scroll cal-scroll">
      {closed && (
        <p class="banner banner-info" data-testid="cal-closed-day">
          {closed}
        </p>
      )}
      <div class="cal-day" data-testid="cal-day-grid" style={{ "--cal-cols": String(chairs.length) }}>
        <div class="cal-col-head cal-time-head" aria-hidden="true" />
        {chairs.map((c) => (
          <div class="cal-col-head" key={c.id}>
            {c.name}
          </div>
        ))}
        <div class="cal-times" style={{ height: `${height}px` }}>
          {rows.map((m) => (
            <div key={m} class="cal-time" style={{ top: y(m) }}>
              {hhmm(m)}
            </div>
          ))}
        </div>
        {chairs.map((c) => (
          <div class="cal-col" key={c.id} style={{ height: `${height}px` }} data-chair={c.id}>
            {rows.map((m) => (
              <div key={m} class="cal-hour-line" style={{ top: y(m) }} />
            ))}
            {shaded
              .filter(([s, e]) => e > s)
              .map(([s, e]) => (
                <div key={s} class="cal-shade" style={{ top: y(s), height: `${(e - s) * PX_PER_MIN}px` }} title="Closed" />
              ))}
            {appts
              .filter((a) => a.chair_id === c.id)
              .map((a) => {
                const s = minutesOf(a.local_start);
                const e = Math.max(minutesOf(a.local_end), s + 15);
                return (
                  <Block
                    key={a.id}
                    a={a}
                    onOpen={onOpen}
                    resources={resources}
                    style={{ position: "absolute", top: y(s), height: `${(e - s) * PX_PER_MIN}px`, left: "2px", right: "2px" }}
                  />
                );
              })}
          </div>
        ))}
      </div>
    </div>
  );
}
