// #/utilisation?week=YYYY-MM-DD (administrators — the director — and prescribers): the week's chair
// and staff utilisation as bars with the percentage, and the upcoming boosters per day. No patient
// names: the server sends none.

import { useResource } from "../data";
import { navigate } from "../router";
import { Banner } from "../components/messages";
import { addDays, dayLabel, defaultDay, isDate, mondayOf, schedule, todayIn } from "../schedule";

function pct(ratio: number): string {
  return `${Math.round((Number.isFinite(ratio) ? ratio : 0) * 100)} %`;
}

function hours(min: number): string {
  return `${Math.round((min / 60) * 10) / 10} h`;
}

function Bar({ ratio, plain = false }: { ratio: number; plain?: boolean }) {
  const w = Math.max(0, Math.min(1, Number.isFinite(ratio) ? ratio : 0)) * 100;
  return (
    <span class="util-bar" aria-hidden="true">
      <span class={`util-fill${!plain && ratio > 0.9 ? " util-high" : ""}`} style={{ width: `${w}%` }} />
    </span>
  );
}

export function UtilisationScreen({ week }: { week?: string }) {
  const start = mondayOf(isDate(week) ? week : defaultDay(todayIn(undefined)));
  const r = useResource(() => schedule.utilisation(start), [start], { resetOnChange: true });
  const u = r.data;
  const error = r.errorText;

  const go = (d: string) => navigate(`#/utilisation?week=${d}`);
  const maxBoosters = Math.max(1, ...(u?.upcoming_boosters ?? []).map((b) => b.count));

  return (
    <section aria-labelledby="util-title" data-testid="utilisation">
      <h1 id="util-title">Utilisation</h1>
      <div class="cal-toolbar">
        <button type="button" class="btn" onClick={() => go(addDays(start, -7))} aria-label="Previous week" data-testid="util-prev">
          ←
        </button>
        <strong data-testid="util-week">
          Week of {dayLabel(u?.week_start ?? start)}
        </strong>
        <button type="button" class="btn" onClick={() => go(addDays(start, 7))} aria-label="Next week" data-testid="util-next">
          →
        </button>
      </div>
      {error && <Banner kind="error">{error}</Banner>}
      {!u && !error && <p class="muted">Loading…</p>}
      {u && (
        <>
          <section class="card" aria-labelledby="util-chairs">
            <h2 id="util-chairs">Chairs</h2>
            <table class="table util-table" data-testid="util-chairs">
              <thead>
                <tr>
                  <th scope="col">Chair</th>
                  <th scope="col">Booked of open</th>
                  <th scope="col" class="num">
                    %
                  </th>
                </tr>
              </thead>
              <tbody>
                {u.chairs.map((c) => (
                  <tr key={c.chair_id} data-testid="util-chair">
                    <td>{c.name}</td>
                    <td>
                      <Bar ratio={c.ratio} /> <span class="small muted">{hours(c.booked_minutes)} / {hours(c.open_minutes)}</span>
                    </td>
                    <td class="num" data-testid="util-ratio">
                      {pct(c.ratio)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="card" aria-labelledby="util-staff">
            <h2 id="util-staff">Staff</h2>
            <table class="table util-table" data-testid="util-staff">
              <thead>
                <tr>
                  <th scope="col">Staff</th>
                  <th scope="col">Booked of shift</th>
                  <th scope="col" class="num">
                    %
                  </th>
                </tr>
              </thead>
              <tbody>
                {u.staff.map((s) => (
                  <tr key={s.username} data-testid="util-person">
                    <td>{s.username}</td>
                    <td>
                      <Bar ratio={s.ratio} /> <span class="small muted">{hours(s.booked_minutes)} / {hours(s.shift_minutes)}</span>
                    </td>
                    <td class="num">{pct(s.ratio)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="card" aria-labelledby="util-boosters">
            <h2 id="util-boosters">Upcoming boosters</h2>
            {u.upcoming_boosters.length === 0 ? (
              <p class="muted" data-testid="util-no-boosters">
                No boosters due.
              </p>
            ) : (
              <table class="table util-table" data-testid="util-booster-days">
                <tbody>
                  {u.upcoming_boosters.map((b) => (
                    <tr key={b.date} data-testid="util-booster-day">
                      <td class="nowrap">{dayLabel(b.date)}</td>
                      <td>
                        <Bar ratio={b.count / maxBoosters} plain />
                      </td>
                      <td class="num">{b.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </section>
  );
}
