// An esketamine session to a complete REMS Patient Monitoring Form (issue 5, "How we will know").
// nurse.okafor opens today's scheduled esketamine session of the demo's candidate, checks her in,
// records the BP before dosing and the pre-checks, gives the first 28 mg device (the second is
// held back by a 5-minute countdown), gives the second, records BP at 40 minutes and at the end
// of the 2-hour monitoring, discharges with the three resolved items, and fills in the REMS form:
// "Mark complete" is refused while the clinician's phone is missing (shown beside it and in the
// list of missing fields), then completes. The form leaves the pending list. The server's clock
// is moved with session_clock.mjs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { apiLogin, shot, waitForCount, waitForText } from "./lib.mjs";
import { serverWithClock, withClockPage } from "./session_clock.mjs";

const env = serverWithClock();

async function state(page, expected) {
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid="session-page"]')?.getAttribute("data-state") === s,
    expected,
  );
}

async function vitals(page, [sbp, dbp, hr, spo2, rr]) {
  const before = await page.getByTestId("vital-row").count();
  await page.getByTestId("vital-sbp").fill(String(sbp));
  await page.getByTestId("vital-dbp").fill(String(dbp));
  await page.getByTestId("vital-hr").fill(String(hr));
  await page.getByTestId("vital-spo2").fill(String(spo2));
  await page.getByTestId("vital-rr").fill(String(rr));
  await page.getByTestId("vital-rr").press("Enter");
  await waitForCount(page.getByTestId("vital-row"), before + 1);
  await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "vital-sbp");
}

test("esketamine: devices 5 min apart → 2 h monitoring → discharge → REMS form refused while incomplete, then complete", async () => {
  const nurse = await apiLogin(env.server.base, "nurse.okafor");
  env.keepAlive.add(() => nurse.get("/auth/me"));
  const list = await nurse.get("/infusion-sessions");
  assert.equal(list.status, 200, JSON.stringify(list.body));
  // The demo seeds today's scheduled esketamine session for its candidate (src/kclinic/app/demo_sessions.cc).
  const scheduled = list.body.sessions.find((s) => s.kind === "esketamine" && s.state === "scheduled");
  assert.ok(scheduled, `a scheduled esketamine session today: ${JSON.stringify(list.body.sessions)}`);
  const sid = scheduled.id;

  await withClockPage(env, "nurse.okafor", "esketamine-session", async (page) => {
    await page.getByTestId("nav-sessions").click();
    const row = page.locator(`[data-testid="session-row"][data-session-id="${sid}"]`);
    await waitForText(row, "Esketamine");
    await row.getByTestId("session-open").click();
    await page.getByTestId("session-page").waitFor();
    await state(page, "scheduled");
    // No pump and no draw for a nasal spray.
    assert.equal(await page.getByTestId("draw-form").count(), 0);

    await page.getByTestId("transition-checked_in").click();
    await state(page, "checked_in");
    await vitals(page, [132, 82, 74, 98, 14]); // BP before dosing
    const session = (await nurse.get(`/infusion-sessions/${sid}`)).body;
    await page.getByTestId("precheck-escort-present").check();
    await page.getByTestId("precheck-pregnancy").selectOption(session.patient.sex === "female" ? "negative" : "not_applicable");
    await page.getByTestId("prechecks-save").click();
    await state(page, "prechecks_passed");
    await waitForText(page.getByTestId("esk-bp-checks"), "132/82");
    const planned = session.plan.devices_planned;
    assert.ok(planned >= 2, `devices planned: ${planned}`);

    // First device; the next waits 5 minutes (the button counts down, disabled).
    const give = page.getByTestId("esk-give-device");
    await waitForText(give, "Give 28 mg device");
    await give.click();
    await state(page, "dosing");
    await waitForText(page.getByTestId("esk-devices"), `1 of ${planned}`);
    await waitForText(page.getByTestId("esk-next-device"), /^in [45]:\d\d$/);
    assert.equal(await give.isDisabled(), true, "the next device waits 5 minutes");
    await waitForText(page.getByTestId("esk-monitoring"), /left$/);
    await shot(page, "esk-countdown");

    // The rest, 5 minutes apart (the clock moves 6, so that a loaded machine's few seconds between
    // the server's and the browser's "now" cannot leave the button held); after the last the
    // session is in monitoring.
    for (let d = 2; d <= planned; d++) {
      await env.advance(6);
      await waitForText(page.getByTestId("esk-next-device"), "now");
      await give.click();
      // A loaded machine (the sanitizer build runs beside these tests) can take a while to answer.
      await waitForText(page.getByTestId("esk-devices"), `${d} of ${planned}`, 30_000);
    }
    await state(page, "monitoring");

    // BP at 40 minutes after the first device, and at the end of the 2 hours.
    await env.advance(40 - 6 * (planned - 1));
    await page.reload();
    await page.getByTestId("session-page").waitFor();
    await vitals(page, [138, 86, 78, 97, 15]);
    await waitForText(page.getByTestId("esk-bp-checks"), "138/86");
    await env.advance(81);
    await page.reload();
    await page.getByTestId("session-page").waitFor();
    await waitForText(page.getByTestId("esk-monitoring"), "2 hours complete");
    await vitals(page, [128, 80, 72, 98, 14]);
    for (const k of [
      "alert_oriented",
      "walks_safely",
      "vitals_near_baseline",
      "nausea_controlled",
      "escort_present",
      "sedation_resolved",
      "dissociation_resolved",
      "respiratory_depression_resolved",
    ]) {
      await page.getByTestId(`discharge-${k}`).check();
    }
    await page.getByTestId("discharge-submit").click();
    await state(page, "discharged");

    // The REMS form: what the session knows is filled in; the nurse enters the rest.
    await page.getByTestId("rems-link").click();
    await page.getByTestId("rems-page").waitFor();
    assert.equal(await page.getByTestId("rems-page").getAttribute("data-complete"), "false");
    await waitForText(page.getByTestId("rems-auto-dose_mg"), `${28 * planned} mg`);
    await waitForText(page.getByTestId("rems-auto-bp_before"), "132/82");
    await waitForText(page.getByTestId("rems-auto-bp_40_min"), "138/86");
    await waitForText(page.getByTestId("rems-auto-bp_end"), "128/80");
    await waitForText(page.getByTestId("rems-missing-list"), "phone");
    for (const k of ["benzodiazepines", "sedative_hypnotics", "stimulants", "maois", "opioids"]) {
      await page.getByTestId(`rems-concomitant-${k}`).selectOption("no");
    }
    await page.getByTestId("rems-clinician-name").fill("Mara Okafor RN");
    await page.getByTestId("rems-setting").fill("kclinic outpatient treatment room");
    await page.getByTestId("rems-lot").fill("ESK2611A");
    // Ready to leave (without the 2-hour rule) 30 minutes ago, in the browser's zone.
    const ready = new Date(env.now() - 30 * 60_000);
    const p2 = (n) => String(n).padStart(2, "0");
    await page
      .getByTestId("rems-ready")
      .fill(`${ready.getFullYear()}-${p2(ready.getMonth() + 1)}-${p2(ready.getDate())}T${p2(ready.getHours())}:${p2(ready.getMinutes())}`);

    // The phone is still empty: refused, the missing field named beside its box and in the list.
    const refused = page.waitForResponse((r) => r.url().endsWith(`/infusion-sessions/${sid}/rems/complete`));
    await page.getByTestId("rems-mark-complete").click();
    const r = await refused;
    assert.ok(r.status() >= 400 && r.status() < 500, `complete refused with ${r.status()}`);
    await page.getByTestId("rems-complete-error").waitFor();
    await waitForText(page.getByTestId("rems-complete-error"), /phone/i);
    await page.getByTestId("error-rems-clinician-phone").waitFor();
    await waitForText(page.getByTestId("rems-missing-list"), "phone");
    assert.equal(await page.getByTestId("rems-page").getAttribute("data-complete"), "false");
    await shot(page, "rems-refused");

    await page.getByTestId("rems-clinician-phone").fill("+1 555 0100");
    await page.getByTestId("rems-mark-complete").click();
    await page.getByTestId("rems-complete").waitFor();
    await waitForText(page.getByTestId("rems-complete"), "nurse.okafor");
    assert.equal(await page.getByTestId("rems-page").getAttribute("data-complete"), "true");
    assert.equal(await page.getByTestId("rems-mark-complete").count(), 0);
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("header.header").isVisible(), false, "no nav in print");
    assert.equal(await page.getByTestId("rems-print").isVisible(), false, "no buttons in print");
    await shot(page, "rems-complete");
    await page.emulateMedia({ media: "screen" });

    // No longer pending on the dashboard.
    await page.goto("/#/sessions");
    await page.getByTestId("session-list").waitFor();
    await page.locator('[data-testid="rems-pending"], [data-testid="rems-pending-empty"]').first().waitFor();
    assert.equal(await page.locator(`[data-testid="rems-pending-row"][data-session-id="${sid}"]`).count(), 0);
  });

  const rems = (await nurse.get(`/infusion-sessions/${sid}`)).body.rems;
  assert.equal(rems.complete, true);
  assert.deepEqual(rems.missing, []);
  assert.equal(rems.fields.monitoring_clinician.phone, "+1 555 0100");
});
