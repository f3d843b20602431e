// Booking an induction series, end to end: desk.miller opens an approved patient with no bookings
// (the demo keeps one, see src/kclinic/app/demo_schedule.cc), books the series through the proposal
// dialog and finds all six sessions on the calendar (week view, chairs as columns); then she cancels
// one with a reason, is offered the next free slots and re-books from them. The calendar also has to
// fit a 768 px tablet and a 375 px phone without the page scrolling sideways.

import { test } from "node:test";
import assert from "node:assert/strict";
import { apiLogin, assertNoHorizontalScroll, login, serverAndBrowser, shot, waitForCount, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

/** A clinic date in words, as the screens show it: "2026-12-09" → "Dec 9, 2026". */
const inWords = (ymd) =>
  new Date(`${ymd}T00:00:00Z`).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });

/** Monday of the week holding a YYYY-MM-DD date. */
function mondayOf(date) {
  const d = new Date(`${date}T00:00:00Z`);
  const w = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 1 - w);
  return d.toISOString().slice(0, 10);
}

/** An approved patient (dr.reyes reads the screening) with no appointment (desk.miller reads them). */
async function approvedUnbooked(base) {
  const reyes = await apiLogin(base, "dr.reyes");
  const desk = await apiLogin(base, "desk.miller");
  const list = await desk.get("/patients?limit=100");
  assert.equal(list.status, 200, JSON.stringify(list.body));
  for (const p of list.body.items) {
    const s = await reyes.get(`/patients/${p.id}/screening`);
    if (s.status !== 200 || s.body.decision?.decision !== "approve") continue;
    const a = await desk.get(`/patients/${p.id}/appointments`);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    if (a.body.appointments.every((x) => x.status !== "booked")) return { patient: p, desk };
  }
  throw new Error("the demo has no approved patient without bookings");
}

let booked = null; // { patientId, appointments } from the first test, used by the second

test("desk.miller books an approved patient's induction series and sees the six sessions on the calendar", async () => {
  const { patient, desk } = await approvedUnbooked(env.server.base);
  const resources = await desk.get("/schedule/resources");
  assert.equal(resources.status, 200);
  const zone = resources.body.time_zone;

  await withPage(env.browser, env.server.base, "booking-series", async (page) => {
    await login(page, "desk.miller");
    await page.goto(`/#/patients/${patient.id}`);
    const card = page.getByTestId("patient-bookings");
    await card.getByTestId("no-appointments").waitFor();
    await card.getByTestId("book-series").click();

    const dialog = page.getByTestId("series-dialog");
    await dialog.waitFor();
    await waitForText(dialog, zone);
    assert.equal(await dialog.getByTestId("series-protocol").inputValue(), "iv-standard");
    await dialog.getByTestId("series-propose").click();
    await waitForCount(dialog.getByTestId("series-session"), 6);
    // Every proposed session names a date, a time, a chair and a nurse the desk may change.
    for (let i = 0; i < 6; i++) {
      assert.match(await dialog.getByTestId(`s${i}-date`).inputValue(), /^\d{4}-\d{2}-\d{2}$/);
      assert.match(await dialog.getByTestId(`s${i}-time`).inputValue(), /^\d{2}:\d{2}/);
      assert.ok(await dialog.getByTestId(`s${i}-chair`).inputValue());
      assert.ok(await dialog.getByTestId(`s${i}-nurse`).inputValue());
    }
    const dates = [];
    for (let i = 0; i < 6; i++) dates.push(await dialog.getByTestId(`s${i}-date`).inputValue());
    // Never two consecutive days, never more than 21 days from first to last (iv-standard).
    for (let i = 1; i < 6; i++) {
      const gap = (Date.parse(dates[i]) - Date.parse(dates[i - 1])) / 86_400_000;
      assert.ok(gap >= 2, `sessions ${i} and ${i + 1} are ${gap} days apart`);
    }
    assert.ok((Date.parse(dates[5]) - Date.parse(dates[0])) / 86_400_000 <= 21);
    await shot(page, "series-proposal");

    // Move one session onto another patient's booked chair and time: the server refuses the whole
    // series (409) naming the clash, shown beside that session; nothing is booked.
    const cal = await desk.get(`/schedule/calendar?from=${dates[0]}&to=${dates[5]}`);
    assert.equal(cal.status, 200, JSON.stringify(cal.body));
    const k = dates.findIndex((d) => cal.body.appointments.some((a) => a.status === "booked" && a.local_date === d));
    assert.ok(k >= 0, "the demo has another booking on one of the proposed days");
    const other = cal.body.appointments.find((a) => a.status === "booked" && a.local_date === dates[k]);
    const original = {
      time: await dialog.getByTestId(`s${k}-time`).inputValue(),
      chair: await dialog.getByTestId(`s${k}-chair`).inputValue(),
    };
    await dialog.getByTestId(`s${k}-time`).fill(other.local_start);
    await dialog.getByTestId(`s${k}-chair`).selectOption(other.chair_id);
    const refused = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/patients/${patient.id}/series`));
    await dialog.getByTestId("series-confirm").click();
    const r409 = await refused;
    assert.equal(r409.status(), 409, await r409.text());
    assert.equal((await r409.json()).error.field, `sessions[${k}]`);
    await waitForText(dialog.getByTestId(`s${k}-error`), /booked/);
    assert.equal(await dialog.locator(".series-clash").count(), 1, "only that session is marked");
    assert.equal(await dialog.locator(`[data-testid="series-session"][data-index="${k}"]`).getAttribute("class"), "series-clash");
    const none = await desk.get(`/patients/${patient.id}/appointments`);
    assert.equal(none.body.appointments.length, 0, "all or nothing: no session was booked");
    await shot(page, "series-clash");
    await dialog.getByTestId(`s${k}-time`).fill(original.time.slice(0, 5));
    await dialog.getByTestId(`s${k}-chair`).selectOption(original.chair);

    const confirmed = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/patients/${patient.id}/series`));
    await dialog.getByTestId("series-confirm").click();
    const res = await confirmed;
    assert.equal(res.status(), 201, await res.text());
    const body = await res.json();
    assert.equal(body.appointments.length, 6);
    assert.deepEqual(
      body.appointments.map((a) => a.local_date),
      dates,
      "the booked dates are the ones the dialog showed",
    );
    await waitForText(dialog.getByTestId("series-booked"), "6 sessions booked");
    await waitForCount(dialog.getByTestId("series-booked-session"), 6);

    // The calendar, week by week: each of the six is a block in its chair's column on its day.
    await dialog.getByTestId("series-calendar-link").click();
    await page.getByTestId("calendar").waitFor();
    await waitForText(page.getByTestId("cal-zone"), zone);
    let seen = 0;
    const weeks = [...new Set(dates.map(mondayOf))];
    for (const w of weeks) {
      await page.goto(`/#/calendar?date=${w}&view=week`);
      await page.waitForSelector(`[data-testid="calendar"][data-from="${w}"] [data-testid="cal-week"]`);
      const mine = page.locator(`[data-testid="cal-appointment"][data-patient="${patient.id}"]`);
      const inWeek = body.appointments.filter((a) => mondayOf(a.local_date) === w);
      await waitForCount(mine, inWeek.length);
      for (const a of inWeek) {
        const block = page.locator(`[data-testid="cal-appointment"][data-id="${a.id}"]`);
        await waitForText(block, a.local_start);
        const cell = page.locator(`[data-testid="cal-day"][data-date="${a.local_date}"] td[data-chair="${a.chair_id}"]`);
        assert.equal(await cell.locator(`[data-id="${a.id}"]`).count(), 1, `${a.local_date} in ${a.chair_name}'s column`);
        assert.match(await block.textContent(), new RegExp(a.nurse.replace(".", "\\.")));
      }
      seen += inWeek.length;
      await shot(page, `calendar-week-${w}`);
    }
    assert.equal(seen, 6);

    // The day view of the first session: the block sits in its chair's column.
    const first = body.appointments[0];
    await page.goto(`/#/calendar?date=${first.local_date}&view=day`);
    await page.getByTestId("cal-day-grid").waitFor();
    const col = page.locator(`[data-testid="cal-day-grid"] [data-chair="${first.chair_id}"]`);
    await waitForCount(col.locator(`[data-id="${first.id}"]`), 1);
    await shot(page, "calendar-day");
    booked = { patientId: patient.id, appointments: body.appointments };
  });

  // Tablet (768 px) and phone (375 px): the calendar scrolls inside its box, never the page.
  for (const [name, viewport] of [
    ["tablet", { width: 768, height: 1024 }],
    ["phone", { width: 375, height: 740 }],
  ]) {
    await withPage(
      env.browser,
      env.server.base,
      `calendar-${name}`,
      async (page) => {
        await login(page, "desk.miller");
        const d = booked.appointments[0].local_date;
        for (const view of ["week", "day"]) {
          await page.goto(`/#/calendar?date=${d}&view=${view}`);
          await page.locator(`[data-testid="cal-appointment"][data-patient="${booked.patientId}"]`).first().waitFor();
          await assertNoHorizontalScroll(page, `calendar ${view} view at ${viewport.width}px`);
          await shot(page, `calendar-${view}-${name}`);
        }
      },
      { viewport },
    );
  }
});

test("cancelling a session asks why, then offers the next free slots and re-books from them", async () => {
  assert.ok(booked, "the series test booked a series");
  const victim = booked.appointments[2];
  await withPage(env.browser, env.server.base, "booking-cancel", async (page) => {
    await login(page, "desk.miller");
    await page.goto(`/#/calendar?date=${victim.local_date}&view=week`);
    const block = page.locator(`[data-testid="cal-appointment"][data-id="${victim.id}"]`);
    await block.click();
    const dialog = page.getByTestId("appointment-dialog");
    await waitForText(dialog.getByTestId("appt-summary"), victim.local_start);
    await dialog.getByTestId("appt-cancel").click();

    // No reason: refused in the form, nothing sent.
    await dialog.getByTestId("appt-cancel-confirm").click();
    await waitForText(dialog.getByTestId("appt-error"), "why");

    await dialog.getByTestId("appt-reason").fill("Patient has a fever");
    const cancelled = page.waitForResponse((r) => r.url().endsWith(`/appointments/${victim.id}/cancel`));
    await dialog.getByTestId("appt-cancel-confirm").click();
    const res = await cancelled;
    assert.equal(res.status(), 200, await res.text());
    const body = await res.json();
    assert.equal(body.appointment.status, "cancelled");
    assert.ok(body.next_free.length > 0, "the server offers at least one free slot");
    await dialog.getByTestId("appt-cancelled").waitFor();
    await waitForCount(dialog.getByTestId("next-free"), body.next_free.length);
    const firstSlot = body.next_free[0];
    await waitForText(dialog.getByTestId("next-free").first(), `${inWords(firstSlot.local_date)} at ${firstSlot.local_start}`);
    await shot(page, "cancel-next-free");

    // Gone from the calendar behind the dialog.
    await waitForCount(block, 0);

    // Re-book the first free slot.
    const rebooked = page.waitForResponse(
      (r) => r.request().method() === "POST" && r.url().endsWith(`/patients/${booked.patientId}/appointments`),
    );
    await dialog.getByTestId("next-free-pick").first().click();
    const rb = await rebooked;
    assert.equal(rb.status(), 201, await rb.text());
    const appt = await rb.json();
    assert.equal(appt.start, firstSlot.start);
    await waitForText(dialog.getByTestId("appt-rebooked"), `${inWords(firstSlot.local_date)} at ${firstSlot.local_start}`);
    await dialog.getByTestId("appt-close").click();

    await page.goto(`/#/calendar?date=${firstSlot.local_date}&view=week`);
    await waitForCount(page.locator(`[data-testid="cal-appointment"][data-id="${appt.id}"]`), 1);
  });

  // The server agrees: five of the series still booked, one cancelled with the reason, one re-booked.
  const desk = await apiLogin(env.server.base, "desk.miller");
  const list = await desk.get(`/patients/${booked.patientId}/appointments`);
  assert.equal(list.status, 200);
  const all = list.body.appointments;
  assert.equal(all.filter((a) => a.status === "booked").length, 6);
  const c = all.find((a) => a.id === victim.id);
  assert.equal(c.status, "cancelled");
  assert.equal(c.reason, "Patient has a fever");
});

test("dr.reyes sees Ana Silva's booster proposal with its reason and chart, and changes the date only with a reason", async () => {
  const ana = await apiLogin(env.server.base, "ana.silva");
  const reyes = await apiLogin(env.server.base, "dr.reyes");
  const id = ana.user.patient_id;
  const proposal = await reyes.get(`/patients/${id}/booster-proposal`);
  assert.equal(proposal.status, 200, JSON.stringify(proposal.body));
  const proposed = proposal.body.next_booster_date;
  assert.match(proposed, /^\d{4}-\d{2}-\d{2}$/, "the demo's Ana Silva has a booster proposal");
  const later = new Date(`${proposed}T00:00:00Z`);
  later.setUTCDate(later.getUTCDate() + 3);
  const changed = later.toISOString().slice(0, 10);

  await withPage(env.browser, env.server.base, "maintenance", async (page) => {
    await login(page, "dr.reyes");
    await page.goto(`/#/patients/${id}`);
    await page.getByTestId("maintenance-link").click();
    await page.getByTestId("maintenance").waitFor();
    await waitForText(page.getByTestId("booster-date"), proposed);
    await waitForText(page.getByTestId("booster-reason"), proposal.body.reason);
    await page.locator('[data-testid="booster-chart"] canvas').first().waitFor();
    await waitForCount(page.getByTestId("booster-duration"), proposal.body.durations.length);
    await shot(page, "maintenance");

    // A changed date without a reason is refused before anything is sent.
    await page.getByTestId("booster-date-input").fill(changed);
    await page.getByTestId("booster-submit").click();
    await waitForText(page.getByTestId("booster-error"), "why");
    await page.getByTestId("booster-reason-input").fill("She travels that week");
    const sent = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/patients/${id}/booster-decisions`));
    await page.getByTestId("booster-submit").click();
    const res = await sent;
    assert.equal(res.status(), 201, await res.text());
    await waitForText(page.getByTestId("booster-decided"), changed);
    await waitForCount(page.getByTestId("booster-decision-row"), 1);
    await waitForText(page.getByTestId("booster-decision-row"), "She travels that week");
  });

  const after = await reyes.get(`/patients/${id}/booster-proposal`);
  const d = after.body.decisions.at(-1);
  assert.equal(d.date, changed);
  assert.equal(d.proposed_date, proposed);
  assert.equal(d.reason, "She travels that week");
  assert.equal(d.decided_by, "dr.reyes");
});

test("the front desk's worklist and booster screen carry no rating-scale results", async () => {
  const desk = await apiLogin(env.server.base, "desk.miller");
  const ana = await apiLogin(env.server.base, "ana.silva");
  const id = ana.user.patient_id;
  const proposal = await desk.get(`/patients/${id}/booster-proposal`);
  assert.equal(proposal.status, 200, JSON.stringify(proposal.body));
  assert.ok(!("phq9" in proposal.body) && !("durations" in proposal.body), JSON.stringify(proposal.body));

  await withPage(env.browser, env.server.base, "desk-scales", async (page) => {
    await login(page, "desk.miller");
    await page.getByTestId("nav-worklist").click();
    // The worklist has loaded when its boosters are listed (or said to be none).
    await page.locator('[data-testid="due-booster"], [data-testid="no-due-boosters"]').first().waitFor();
    assert.equal(await page.getByTestId("review-tasks").count(), 0, "no review-task card for the desk");
    await page.goto(`/#/patients/${id}/maintenance`);
    await page.getByTestId("maintenance").waitFor();
    await waitForText(page.getByTestId("booster-date"), proposal.body.next_booster_date);
    assert.equal(await page.getByTestId("booster-chart").count(), 0, "no PHQ-9 chart for the desk");
    assert.equal(await page.getByTestId("booster-durations").count(), 0);
    const text = await page.locator("main").innerText();
    assert.ok(!/PHQ-9 \d/.test(text) && !/relapse/i.test(text), text);
  });
});

test("the worklist shows today's sessions, review tasks and boosters due; dr.reyes completes a review task with a note", async () => {
  const reyes = await apiLogin(env.server.base, "dr.reyes");
  const today = await reyes.get("/worklists/today");
  assert.equal(today.status, 200, JSON.stringify(today.body));
  const tasks = today.body.review_tasks;
  assert.ok(tasks.length > 0, "the demo has an open review task");

  await withPage(env.browser, env.server.base, "worklist-tasks", async (page) => {
    await login(page, "dr.reyes");
    await page.getByTestId("nav-worklist").click();
    await page.getByTestId("today-sessions").waitFor();
    await page.getByTestId("due-boosters").waitFor();
    await waitForText(page.getByTestId("review-task-count"), `${tasks.length} open`);
    const first = page.getByTestId("review-task").first();
    await waitForText(first, tasks[0].reason);
    await first.getByTestId("task-complete").click();
    await first.getByTestId("task-submit").click();
    await waitForText(first, "Write what was decided");
    await first.getByTestId("task-note").fill("Seen in clinic: start maintenance boosters");
    const done = page.waitForResponse((r) => r.url().endsWith(`/review-tasks/${tasks[0].id}/complete`));
    await first.getByTestId("task-submit").click();
    assert.equal((await done).status(), 200);
    await waitForText(page.getByTestId("review-task-count"), `${tasks.length - 1} open`);
  });

  const open = await reyes.get("/review-tasks?status=open");
  assert.ok(!open.body.tasks.some((t) => t.id === tasks[0].id), "the task is no longer open");
});
