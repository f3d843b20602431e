// A whole IV ketamine session in the browser (issue 5, "How we will know"). nurse.okafor opens
// today's scheduled session of the demo's IV patient from #/sessions, checks her in, records the
// baseline vitals, ticks the escort and the pregnancy test (pre-checks pass), draws the planned
// dose from a lot, starts the pump at the planned rate, records vitals with SBP 185 (the alert
// with its recommended action appears; she records the action taken), pauses and resumes, changes
// the rate, sees vitals OVERDUE when none are taken for 12 minutes, enters a CADSS score, stops,
// wastes the remainder with nurse.lindqvist as witness (a wrong password first is refused beside
// the password), and after the hour of observation discharges (first refused with an item left
// unticked). dr.reyes signs: the record is locked and prints without buttons. The lot's ledger
// balance fell by exactly the amount drawn. The server's clock is moved with session_clock.mjs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { apiLogin, assertNoHorizontalScroll, shot, waitForCount, waitForText } from "./lib.mjs";
import { pageGet, serverWithClock, withClockPage } from "./session_clock.mjs";

const env = serverWithClock();

async function state(page, expected) {
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid="session-page"]')?.getAttribute("data-state") === s,
    expected,
  );
}

/** Types a vitals row and presses Enter in the last box (RR), as a nurse at the chair would. */
async function vitals(page, [sbp, dbp, hr, spo2, rr]) {
  const before = await page.getByTestId("vital-row").count();
  await page.getByTestId("vital-sbp").fill(String(sbp));
  await page.getByTestId("vital-dbp").fill(String(dbp));
  await page.getByTestId("vital-hr").fill(String(hr));
  await page.getByTestId("vital-spo2").fill(String(spo2));
  await page.getByTestId("vital-rr").fill(String(rr));
  await page.getByTestId("vital-rr").press("Enter");
  await waitForCount(page.getByTestId("vital-row"), before + 1);
  // Enter records and the cursor goes back to SBP for the next reading.
  await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "vital-sbp");
  assert.equal(await page.getByTestId("vital-sbp").inputValue(), "");
}

test("IV session: pre-checks → draw → start → alert and action → rate → stop → waste → discharge → sign", async () => {
  const nurse = await apiLogin(env.server.base, "nurse.okafor");
  env.keepAlive.add(() => nurse.get("/auth/me"));
  const list = await nurse.get("/infusion-sessions");
  assert.equal(list.status, 200, JSON.stringify(list.body));
  // The demo seeds today's scheduled IV session for its e2e patient (src/kclinic/app/demo_sessions.cc).
  const scheduled = list.body.sessions.find((s) => s.kind === "iv_ketamine" && s.state === "scheduled");
  assert.ok(scheduled, `a scheduled IV session today: ${JSON.stringify(list.body.sessions)}`);
  const sid = scheduled.id;

  let lotId = null;
  let balanceBefore = null;
  let drawn = null;

  await withClockPage(env, "nurse.okafor", "iv-session-nurse", async (page) => {
    // Today's list: the session is there with its state; open it.
    await page.getByTestId("nav-sessions").click();
    const row = page.locator(`[data-testid="session-row"][data-session-id="${sid}"]`);
    await waitForText(row.getByTestId("session-state"), "Scheduled");
    await row.getByTestId("session-open").click();
    await page.getByTestId("session-page").waitFor();
    await waitForText(page.getByTestId("session-patient"), scheduled.patient_name);
    await state(page, "scheduled");

    // Big touch targets: every button and input on the screen is at least 44 px tall.
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="session-page"] button, [data-testid="session-page"] input:not([type=checkbox]), [data-testid="session-page"] select')]
        .filter((el) => el.getBoundingClientRect().height > 0 && el.getBoundingClientRect().height < 44)
        .map((el) => el.getAttribute("data-testid") ?? el.outerHTML.slice(0, 60)),
    );
    assert.deepEqual(small, [], "controls under 44 px");
    // A tablet in portrait (768 px) and a phone: nothing scrolls sideways.
    for (const width of [768, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await assertNoHorizontalScroll(page, `session screen at ${width} px`);
    }
    await page.setViewportSize({ width: 1024, height: 900 });

    // Only the moves the server allows: check in or cancel; no pump buttons yet.
    assert.equal(await page.getByTestId("transition-running").count(), 0);
    await page.getByTestId("transition-checked_in").click();
    await state(page, "checked_in");

    // Baseline vitals, then the nurse's pre-checks: escort present, the pregnancy test.
    await vitals(page, [128, 80, 72, 98, 14]);
    const session = (await pageGet(page, `/infusion-sessions/${sid}`)).body;
    const pregnancy = session.prechecks.items.find((i) => i.key === "pregnancy_test");
    const female = session.patient.sex === "female";
    await page.getByTestId("precheck-escort-present").check();
    await page.getByTestId("precheck-pregnancy").selectOption(female ? "negative" : "not_applicable");
    await page.getByTestId("prechecks-save").click();
    await waitForText(page.getByTestId("prechecks-status"), "Passed");
    await state(page, "prechecks_passed");
    // Automatic items show their detail (e.g. the baseline BP just recorded).
    const baseline = page.locator('[data-testid="precheck-item"][data-key="baseline_vitals"]');
    await waitForText(baseline.getByTestId("precheck-detail"), "128/80");
    assert.equal(await page.locator('[data-testid="precheck-item"][data-passed="false"]').count(), 0);
    assert.ok(pregnancy, "a pregnancy-test item");
    await shot(page, "iv-prechecks");

    // Draw the planned dose from a lot; the amount is prefilled with the plan's dose.
    const plannedDose = session.plan.dose_mg;
    assert.equal(Number(await page.getByTestId("draw-amount").inputValue()), plannedDose);
    await page.waitForFunction(() => document.querySelector('[data-testid="draw-lot"]')?.value);
    lotId = await page.getByTestId("draw-lot").inputValue();
    const lot = await pageGet(page, `/ledger/lots/${lotId}`);
    assert.equal(lot.status, 200, JSON.stringify(lot.body));
    balanceBefore = lot.body.balance_mg;
    await page.getByTestId("draw-submit").click();
    await waitForText(page.getByTestId("custody-drawn"), `${Number(plannedDose.toFixed(2))} mg`);
    drawn = plannedDose;

    // Start the pump at the planned rate.
    // The button reads the rate as the pump is programmed, to 0.1 mL/h.
    await waitForText(page.getByTestId("transition-running"), `${Number(session.plan.rate_ml_per_h.toFixed(1))} mL/h`);
    await page.getByTestId("transition-running").click();
    await state(page, "running");
    await waitForCount(page.getByTestId("segment-row"), 1);
    assert.equal(await page.getByTestId("transition-paused").count(), 1);
    assert.equal(await page.getByTestId("transition-stopped").count(), 1);
    assert.equal(await page.getByTestId("transition-checked_in").count(), 0);

    // Five minutes in: SBP 185 raises the alert with its recommended action.
    await env.advance(5);
    await vitals(page, [185, 100, 88, 97, 14]);
    await waitForText(page.getByTestId("vitals-raised"), /pause/i);
    const open = page.locator('[data-testid="session-alert"][data-open="true"]');
    await waitForCount(open, 1);
    await waitForText(open.getByTestId("session-alert-recommended"), /pause/i);
    await shot(page, "iv-alert");

    // She pauses, records the action taken, re-checks and resumes.
    await page.getByTestId("transition-paused").click();
    await state(page, "paused");
    await open.getByTestId("alert-action").fill("Paused the pump; BP re-checked after 5 min: 150/90");
    await open.getByTestId("alert-action-submit").click();
    const done = page.locator('[data-testid="session-alert"][data-open="false"]');
    await waitForCount(done, 1);
    await waitForText(done.getByTestId("session-alert-taken"), "re-checked after 5 min");
    await waitForText(done.getByTestId("session-alert-taken"), "nurse.okafor");
    await env.advance(5);
    await vitals(page, [150, 90, 80, 98, 14]);
    await page.getByTestId("transition-running").click();
    await state(page, "running");
    await waitForCount(page.getByTestId("segment-row"), 2);

    // A slower rate: a new pump segment.
    const rate = Number((session.plan.rate_ml_per_h * 0.75).toFixed(1));
    await page.getByTestId("rate-value").fill(String(rate));
    await page.getByTestId("rate-reason").fill("BP settled; slower to finish");
    await page.getByTestId("rate-submit").click();
    await waitForCount(page.getByTestId("segment-row"), 3);
    await waitForText(page.getByTestId("segment-row").last(), `${rate} mL/h`);

    // Twelve minutes without vitals: the header says OVERDUE.
    await env.advance(12);
    await page.reload();
    await page.getByTestId("session-page").waitFor();
    await waitForText(page.getByTestId("session-vitals-due"), "OVERDUE");
    assert.equal(await page.getByTestId("session-vitals-due").getAttribute("data-overdue"), "true");
    await waitForText(page.getByTestId("session-elapsed"), /^\d+:\d\d/);
    await waitForText(page.getByTestId("session-concentration"), /ng\/mL/);
    await shot(page, "iv-overdue");
    await vitals(page, [138, 84, 76, 98, 14]);
    await waitForText(page.getByTestId("session-vitals-due"), /^in \d/);

    // CADSS (score entry from the licensed form): every item 1.
    await page.getByTestId("score-instrument").selectOption("cadss");
    const items = page.locator('[data-testid^="score-item-"]');
    const n = await items.count();
    assert.ok(n > 0, "CADSS items");
    for (let i = 1; i <= n; i++) await page.getByTestId(`score-item-${i}`).fill("1");
    await page.getByTestId("score-submit").click();
    await waitForText(page.locator('[data-testid="score-row"][data-instrument="cadss"]').getByTestId("score-total"), /^\d+$/);

    // Stop: the administered amount is computed; the remainder must be wasted, witnessed.
    // Minutes into a 40-minute plan, stopping asks why.
    await page.getByTestId("transition-stopped").click();
    await page.getByTestId("stop-form").waitFor();
    await page.getByTestId("stop-submit").click();
    await waitForText(page.getByTestId("stop-form"), "Reason is required to stop after");
    await page.getByTestId("stop-reason").fill("Dissociation too strong; patient asked to stop");
    await page.getByTestId("stop-submit").click();
    await state(page, "stopped");
    const administered = Number(await page.getByTestId("custody-administered").getAttribute("data-value"));
    assert.ok(administered > 0 && administered < drawn, `administered ${administered} of ${drawn}`);
    const remainder = Number((drawn - administered).toFixed(2));
    assert.equal(Number(await page.getByTestId("waste-amount").inputValue()), remainder);
    await page.getByTestId("waste-witness").fill("nurse.lindqvist");
    await page.getByTestId("waste-password").fill("not-the-password");
    await page.getByTestId("waste-submit").click();
    await page.locator('[data-testid="error-waste-password"], [data-testid="error-waste-witness"], [data-testid="waste-error"]').first().waitFor();
    assert.equal(Number(await page.getByTestId("custody-wasted").getAttribute("data-value")), 0, "nothing wasted on a wrong password");
    await page.getByTestId("waste-password").fill("kclinic-demo");
    await page.getByTestId("waste-submit").click();
    await waitForText(page.getByTestId("custody-reconciled"), "Yes");
    assert.equal(Number(await page.getByTestId("custody-wasted").getAttribute("data-value")), remainder);
    await waitForText(page.locator('[data-testid="custody-entry"][data-kind="waste"]'), "nurse.lindqvist");

    // Recovery; vitals at the end; after the hour of observation, discharge.
    await page.getByTestId("transition-recovery").click();
    await state(page, "recovery");
    await env.advance(61);
    await page.reload();
    await page.getByTestId("session-page").waitFor();
    await vitals(page, [126, 78, 70, 99, 14]);
    for (const k of ["alert_oriented", "walks_safely", "vitals_near_baseline", "escort_present"]) {
      await page.getByTestId(`discharge-${k}`).check();
    }
    // "Nausea controlled" left unticked: refused, named beside it.
    await page.getByTestId("discharge-submit").click();
    await page.locator('[data-testid="discharge-nausea_controlled-error"], [data-testid="discharge-error"]').first().waitFor();
    await state(page, "recovery");
    await page.getByTestId("discharge-nausea_controlled").check();
    await page.getByTestId("discharge-submit").click();
    await state(page, "discharged");
    await page.getByTestId("discharge-record").waitFor();
    // A nurse does not sign.
    assert.equal(await page.getByTestId("sign-submit").count(), 0);
    await shot(page, "iv-discharged");
  });

  await withClockPage(env, "dr.reyes", "iv-session-prescriber", async (page) => {
    await page.goto(`/#/sessions/${sid}`);
    await page.getByTestId("session-page").waitFor();
    await state(page, "discharged");
    await page.getByTestId("sign-submit").click();
    await state(page, "signed");
    await waitForText(page.getByTestId("session-signed"), "dr.reyes");
    // Locked: no forms or pump buttons; addenda only.
    for (const t of ["session-controls", "vitals-form", "side-effect-form", "score-form", "waste-form", "discharge-form", "alert-action-form"]) {
      assert.equal(await page.getByTestId(t).count(), 0, `${t} after signing`);
    }
    await page.getByTestId("addendum-text").fill("Patient phoned in the evening: well.");
    await page.getByTestId("addendum-submit").click();
    await waitForText(page.getByTestId("addendum"), "Patient phoned in the evening");

    // Printed: no navigation, no buttons, and every part of the record.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("header.header").isVisible(), false, "no nav in print");
    assert.equal(await page.getByTestId("session-print").isVisible(), false, "no buttons in print");
    assert.equal(await page.getByTestId("addendum-form").isVisible(), false, "no forms in print");
    for (const t of ["session-header", "prechecks", "vitals-list", "session-alerts", "side-effects", "scores", "custody", "discharge-record", "addenda", "transitions"]) {
      assert.equal(await page.getByTestId(t).isVisible(), true, `${t} prints`);
    }
    await waitForCount(page.getByTestId("vital-row"), 5);
    await shot(page, "iv-signed-print");
    await page.emulateMedia({ media: "screen" });

    // The lot's balance fell by exactly the amount drawn (administered + wasted).
    const lot = await pageGet(page, `/ledger/lots/${lotId}`);
    assert.equal(lot.status, 200);
    assert.ok(Math.abs(balanceBefore - lot.body.balance_mg - drawn) < 1e-6, `balance ${balanceBefore} → ${lot.body.balance_mg}, drawn ${drawn}`);
  });

  // The server agrees: signed, reconciled, one alert with its action.
  const final = await nurse.get(`/infusion-sessions/${sid}`);
  assert.equal(final.body.state, "signed");
  assert.equal(final.body.custody.reconciled, true);
  assert.equal(final.body.alerts.filter((a) => a.action_taken).length, final.body.alerts.length);
  assert.equal(final.body.signed.by, "dr.reyes");
});


test("Open session from a patient's page: IV from the saved plan; without a plan the server's 412 is shown", async () => {
  const nurse = await apiLogin(env.server.base, "nurse.okafor");
  // The test before moved the server's clock by hours, past midnight when it runs late in the
  // (UTC) day: ask for the day the demo was seeded on, not the server's today.
  const list = await nurse.get(`/infusion-sessions?date=${env.seededOn}`);
  assert.equal(list.status, 200, JSON.stringify(list.body));
  const withPlan = list.body.sessions.find((s) => s.kind === "iv_ketamine");
  assert.ok(withPlan, `an IV session on ${env.seededOn}, so a patient with a saved plan`);
  // A new patient has no plan.
  const desk = await apiLogin(env.server.base, "desk.miller");
  const created = await desk.post("/patients", {
    name: { given: "Noor", family: "Planless" },
    birth_date: "1990-02-03",
    sex: "female",
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  await withClockPage(env, "nurse.okafor", "iv-session-open", async (page) => {
    await page.goto(`/#/patients/${created.body.id}`);
    await page.getByTestId("session-open-submit").click();
    await waitForText(page.getByTestId("session-open-error"), /plan/i);

    await page.goto(`/#/patients/${withPlan.patient_id}`);
    await page.getByTestId("session-open-kind").selectOption("iv_ketamine");
    await page.getByTestId("session-open-submit").click();
    await page.getByTestId("session-page").waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="session-page"]')?.getAttribute("data-state") === "scheduled");
    const sid = await page.getByTestId("session-page").getAttribute("data-session-id");
    assert.notEqual(sid, withPlan.id, "a new session");
    await waitForText(page.getByTestId("session-plan"), "mL/h");
  });
});
