// Measurement-based care, end to end: a patient answers PHQ-9 on her phone with item 9 = 1 and
// sees the crisis resources at once; a prescriber sees the alert, acknowledges it with the action
// taken, and the patient's chart shows the new assessment.

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  apiLogin,
  assertNoHorizontalScroll,
  login,
  serverAndBrowser,
  shot,
  waitForCount,
  waitForText,
  withPage,
} from "./lib.mjs";

const env = serverAndBrowser();

// PHQ-9 items 1–8, then item 9 (thoughts of self-harm) = 1 "Several days": total 1+2+0+1+1+0+1+0+1 = 7.
const ANSWERS = [1, 2, 0, 1, 1, 0, 1, 0, 1];
const TOTAL = ANSWERS.reduce((a, b) => a + b, 0);

test("PHQ-9 item 9 > 0: crisis resources for the patient, an alert the prescriber acknowledges, a new point on the chart", async () => {
  const ana = await apiLogin(env.server.base, "ana.silva");
  const anaId = ana.user.patient_id;
  assert.ok(anaId, "ana.silva is linked to a patient");
  let assessmentId;

  await withPage(
    env.browser,
    env.server.base,
    "mbc-patient",
    async (page) => {
      await login(page, "ana.silva");
      await page.getByTestId("questionnaires-due").waitFor();
      await page.getByTestId("own-trend").waitFor();
      await page.goto("/#/portal/questionnaire/phq9");

      // One question per screen, with progress; the last screen reviews.
      let total = null;
      for (let i = 0; ; i++) {
        const progress = await waitForText(page.getByTestId("q-progress"), `Question ${i + 1} of`);
        total ??= Number(/of (\d+)/.exec(progress)[1]);
        assert.ok(total >= 9, `PHQ-9 has at least 9 questions, progress says ${progress}`);
        const text = await page.getByTestId("q-text").textContent();
        assert.ok(text && !/^Item \d/.test(text), "PHQ-9 shows its item text");
        if (i < ANSWERS.length) await page.getByTestId(`answer-${ANSWERS[i]}`).check();
        // Item 10 (difficulty) is optional and not scored: left blank.
        await page.getByTestId("q-next").click();
        if (i === total - 1) break;
      }
      await page.getByTestId("questionnaire-review").waitFor();
      await waitForCount(page.getByTestId("review-item"), total);
      await shot(page, "phq9-review");
      await assertNoHorizontalScroll(page, "review");

      const posted = page.waitForResponse(
        (r) => r.request().method() === "POST" && r.url().endsWith(`/api/v1/patients/${anaId}/assessments`),
      );
      await page.getByTestId("q-submit").click();
      const res = await posted;
      assert.equal(res.status(), 201);
      const body = await res.json();
      assessmentId = body.assessment.id;
      assert.equal(body.assessment.total, TOTAL);
      assert.ok(body.assessment.flags.includes("suicidal_ideation"), "item 9 > 0 raises the flag");
      assert.ok(body.crisis?.text, "the answer carries crisis resources");

      // The crisis resources come first, as an alert, with the site's text, and take the focus.
      const crisis = page.getByTestId("crisis");
      await crisis.waitFor();
      assert.equal(await crisis.getAttribute("role"), "alert");
      await waitForText(page.getByTestId("crisis-text"), body.crisis.text.trim().slice(0, 40));
      // What will really happen to the answers, from the clinic's hours, not "you have been helped".
      assert.match(body.crisis.follow_up ?? "", /your care team/);
      await waitForText(page.getByTestId("crisis-follow-up"), body.crisis.follow_up.slice(0, 40));
      // Help is within reach from this screen too, as from every portal screen.
      assert.equal(await page.getByTestId("crisis-link").count(), 1);
      const order = await page.getByTestId("questionnaire-done").evaluate((el) => {
        const first = el.firstElementChild;
        return {
          first: first?.getAttribute("data-testid"),
          focused: document.activeElement?.getAttribute("data-testid"),
          crisisTop: el.querySelector('[data-testid="crisis"]').getBoundingClientRect().top,
          thanksTop: el.querySelector('[data-testid="confirmation"]').getBoundingClientRect().top,
        };
      });
      assert.equal(order.first, "crisis", "the crisis block is the first thing on the screen");
      assert.equal(order.focused, "crisis");
      assert.ok(order.crisisTop < order.thanksTop);
      await waitForText(page.getByTestId("done-total"), String(TOTAL));
      await assertNoHorizontalScroll(page, "crisis");
      await shot(page, "phq9-crisis");

      // Back on the portal, her own trend shows the new total.
      await page.getByTestId("done-home").click();
      await waitForText(page.getByTestId("latest-phq9"), `Latest PHQ-9: ${TOTAL}`);
      await page.getByTestId("own-trend-chart").locator("canvas").first().waitFor();
    },
    { viewport: { width: 375, height: 740 } },
  );

  await withPage(env.browser, env.server.base, "mbc-prescriber", async (page) => {
    await login(page, "dr.reyes");
    // The header counts open alerts for prescribers.
    await waitForText(page.getByTestId("alert-count"), /^[1-9]\d*/);
    await page.getByTestId("nav-alerts").click();
    const alert = page.locator(
      `[data-testid="alert"][data-patient-id="${anaId}"][data-assessment-id="${assessmentId}"]`,
    );
    await alert.waitFor();
    await waitForText(alert.getByTestId("alert-kind"), "Suicidal ideation");
    await waitForText(alert.getByTestId("alert-patient"), "Ana Silva");
    const alertId = await alert.getAttribute("data-alert-id");
    const openBefore = Number((await page.getByTestId("alert-count").textContent()).match(/\d+/)[0]);
    await shot(page, "alerts");

    // An empty note is refused; a note acknowledges it.
    await alert.getByTestId("alert-ack").click();
    await page.getByTestId("ack-dialog").waitFor();
    await page.getByTestId("ack-submit").click();
    await page.getByTestId("ack-error").waitFor();
    const note = "Called patient, safety plan reviewed";
    await page.getByTestId("ack-action").fill(note);
    await page.getByTestId("ack-submit").click();
    await page.getByTestId("ack-done").waitFor();
    await waitForCount(page.locator(`[data-testid="alert"][data-alert-id="${alertId}"]`), 0);
    if (openBefore > 1) {
      await waitForText(page.getByTestId("alert-count"), String(openBefore - 1));
    } else {
      await waitForCount(page.getByTestId("alert-count"), 0);
    }

    // The acknowledged alert keeps the note, shown with "Show acknowledged".
    await page.getByTestId("alerts-show-all").check();
    const done = page.locator(`[data-testid="alert"][data-alert-id="${alertId}"]`);
    await waitForText(done.getByTestId("alert-acknowledged"), note);

    // The chart: the new PHQ-9 point is in the table, flagged, and the chart is drawn.
    await done.getByTestId("alert-patient").click();
    await page.getByTestId("mbc").waitFor();
    const row = page.locator(`[data-testid="assessment-row"][data-assessment-id="${assessmentId}"]`);
    await waitForText(row.getByTestId("assessment-total"), String(TOTAL));
    await waitForText(row.getByTestId("assessment-instrument"), "PHQ-9");
    await row.getByTestId("assessment-flag").waitFor();
    await page.getByTestId("mbc-chart").locator("canvas").first().waitFor();
    await waitForText(page.getByTestId("outcome-status"), /Responder|In remission|Relapse|Not responding|No baseline/);
    await shot(page, "chart");
  });

  // And the server kept it: acknowledged, with the note.
  const reyes = await apiLogin(env.server.base, "dr.reyes");
  const all = await reyes.get("/alerts?status=all");
  assert.equal(all.status, 200);
  const mine = all.body.alerts.find((a) => a.assessment_id === assessmentId);
  assert.ok(mine, "an alert for the new assessment");
  assert.ok(mine.acknowledged_at);
  assert.equal(mine.action, "Called patient, safety plan reviewed");
});
