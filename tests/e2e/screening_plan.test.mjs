// Screening to infusion plan, end to end: dr.reyes registers a candidate, enters her intake
// (first getting the server's error beside the second trial's weeks), sees the TRD result and the
// findings, approves, plans the first infusion, sees the predicted plasma curve with the 60- and
// 100-min comparisons, lengthens the infusion to 100 min (the peak falls) and saves the plan.

import { test } from "node:test";
import assert from "node:assert/strict";
import { apiLogin, login, serverAndBrowser, shot, uniqueName, waitForCount, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

const CHECKLIST = [
  "psychiatric_evaluation",
  "history_and_physical",
  "medication_reconciliation",
  "informed_consent",
  "baseline_vitals",
  "pregnancy_test",
  "urine_toxicology",
  "ecg_labs",
  "baseline_rating_scales",
];

/** The planned curve's Cmax as the table shows it (data-value holds the unrounded figure). */
async function plannedCmax(page) {
  const row = page.locator('[data-testid="pk-row"][data-planned="true"]');
  return Number(await row.getByTestId("pk-cmax").getAttribute("data-value"));
}

test("intake → TRD and findings → approve → plan with the PK curve → save", async () => {
  const reyes = await apiLogin(env.server.base, "dr.reyes");
  const family = uniqueName("Screen");
  const created = await reyes.post("/patients", {
    name: { given: "Lena", family },
    birth_date: "1984-03-09",
    sex: "female",
    height_cm: 165,
    weight: { date: "2026-01-05", kg: 68 },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;

  await withPage(env.browser, env.server.base, "screening-plan", async (page) => {
    await login(page, "dr.reyes");
    await page.goto(`/#/patients/${id}`);
    const summary = page.getByTestId("screening-summary");
    await waitForText(summary.getByTestId("screening-summary-state"), "No intake");
    assert.equal(await summary.getByTestId("summary-plan-link").count(), 0, "no plan link before approval");
    await summary.getByTestId("summary-intake-link").click();

    // The intake form, prefilled from the record (sex, weight, height); MDD, depressive episode.
    await page.getByTestId("intake-form").waitFor();
    assert.equal(await page.getByTestId("intake-sex").inputValue(), "female");
    assert.equal(await page.getByTestId("intake-weight").inputValue(), "68");
    assert.equal(await page.getByTestId("intake-height").inputValue(), "165");
    assert.equal(await page.getByTestId("dx-code-0").inputValue(), "mdd");
    await page.getByTestId("trial-drug-0").fill("sertraline");
    await page.getByTestId("trial-dose-0").fill("150");
    await page.getByTestId("trial-weeks-0").fill("8");
    await page.getByTestId("trial-outcome-0").selectOption("no_response");
    await page.getByTestId("add-trial").click();
    await page.getByTestId("trial-drug-1").fill("escitalopram");
    await page.getByTestId("trial-dose-1").fill("20");
    await page.getByTestId("trial-weeks-1").fill("-2");
    await page.getByTestId("trial-outcome-1").selectOption("partial_response");
    await page.getByTestId("add-med").click();
    await page.getByTestId("med-name-0").fill("lorazepam");
    await page.getByTestId("med-dose-0").fill("2");
    await page.getByTestId("intake-systolic").fill("124");
    await page.getByTestId("intake-diastolic").fill("78");
    await page.getByTestId("intake-hr").fill("70");
    await page.getByTestId("intake-pregnancy").selectOption("not_pregnant");
    for (const c of CHECKLIST) await page.getByTestId(`check-${c}`).check();

    // trials[1].weeks is negative: the server's 400 names it, shown beside the second trial's weeks.
    const refused = page.waitForResponse((r) => r.url().endsWith(`/patients/${id}/intakes`));
    await page.getByTestId("intake-submit").click();
    const r400 = await refused;
    assert.equal(r400.status(), 400);
    assert.equal((await r400.json()).error.field, "trials[1].weeks");
    await waitForText(page.getByTestId("error-trials-1-weeks"), /Weeks must not be negative/);
    assert.equal(await page.getByTestId("error-trials-0-weeks").count(), 0);
    assert.equal(await page.getByTestId("trial-weeks-1").getAttribute("aria-invalid"), "true");

    await page.getByTestId("trial-weeks-1").fill("8");
    await page.getByTestId("intake-submit").click();

    // The result: meets TRD (two adequate failed trials), the benzodiazepine warning with its
    // source and setting, the diazepam-equivalent total, the versions.
    await page.getByTestId("screening-page").waitFor();
    await waitForText(page.getByTestId("intake-saved"), "Intake version 1 saved");
    await waitForText(page.getByTestId("screening-state"), "awaiting decision");
    assert.equal(await page.getByTestId("trd-verdict").getAttribute("data-meets"), "true");
    await waitForText(page.getByTestId("trd-verdict"), "Yes");
    await waitForCount(page.locator('[data-testid="trd-trial"][data-counted="true"]'), 2);
    const benzo = page.locator('[data-testid="finding"][data-rule="interaction.benzodiazepine"]');
    await waitForText(benzo, "lorazepam");
    assert.match(await benzo.getByTestId("finding-citation").textContent(), /Andrashko/);
    assert.match(await benzo.getByTestId("finding-setting").textContent(), /screening\.benzodiazepine/);
    assert.equal(await page.getByTestId("findings-hard_stop").count(), 0);
    await waitForText(page.getByTestId("diazepam-eq"), "20 mg/day");
    await waitForText(page.getByTestId("rules-version"), /\d/);
    await shot(page, "screening-result");

    await page.getByTestId("decision-approve").check();
    await page.getByTestId("decision-reason").fill("TRD after two adequate trials; hold lorazepam on infusion days");
    await page.getByTestId("decision-submit").click();
    await waitForText(page.getByTestId("screening-state"), "Approved");
    await waitForCount(page.getByTestId("decision-row"), 1);
    await waitForText(page.getByTestId("decision-row"), "dr.reyes");
    await waitForText(page.getByTestId("decision-row"), "hold lorazepam");

    // The plan: 0.5 mg/kg actual weight over 40 min, Clements, previewed at once.
    await page.getByTestId("plan-link").click();
    await page.getByTestId("plan-page").waitFor();
    assert.equal(await page.getByTestId("plan-mg-per-kg").inputValue(), "0.5");
    assert.equal(await page.getByTestId("plan-minutes").inputValue(), "40");
    assert.equal(await page.getByTestId("plan-basis").inputValue(), "actual");
    assert.equal(await page.getByTestId("plan-model").inputValue(), "clements");
    await waitForText(page.getByTestId("dose-mg"), /^34 mg/); // 0.5 × 68 kg
    await waitForText(page.getByTestId("dose-volume"), "3.4 mL");
    await waitForText(page.getByTestId("dose-rate-ml-h"), "5.1 mL/h");
    await waitForText(page.getByTestId("dose-rate-mg-min"), "0.850 mg/min");
    await waitForText(page.getByTestId("dose-ideal"), "56.9 kg"); // Devine: 45.5 + 2.3 × (165 / 2.54 − 60)
    assert.equal(await page.getByTestId("bmi-prompt").count(), 0, "BMI 25: no prompt");

    await waitForCount(page.getByTestId("pk-row"), 3);
    await page.locator('[data-testid="pk-chart"] canvas').first().waitFor();
    const planned = page.locator('[data-testid="pk-row"][data-planned="true"]');
    await waitForCount(planned, 1);
    assert.equal(await planned.getAttribute("data-minutes"), "40");
    await waitForText(planned.getByTestId("pk-planned"), "Planned");
    const minutes = await page.getByTestId("pk-row").evaluateAll((rows) => rows.map((r) => r.dataset.minutes));
    assert.deepEqual(minutes, ["40", "60", "100"]);
    await waitForText(page.getByTestId("pk-model-name"), "Clements");
    assert.ok((await page.getByTestId("pk-population").textContent()).length > 3);
    const cmax40 = await plannedCmax(page);
    assert.ok(cmax40 > 100 && cmax40 < 300, `Cmax at 40 min ${cmax40}`);
    await shot(page, "plan-40");

    // Over 100 minutes the same dose peaks lower.
    await page.getByTestId("plan-minutes").fill("100");
    await waitForText(page.getByTestId("dose-rate-ml-h"), "2 mL/h");
    await page.waitForFunction(
      () => document.querySelector('[data-testid="pk-row"][data-planned="true"]')?.getAttribute("data-minutes") === "100",
    );
    const cmax100 = await plannedCmax(page);
    assert.ok(cmax100 < cmax40, `Cmax over 100 min (${cmax100}) is below 40 min (${cmax40})`);
    assert.equal(
      Number(await planned.getByTestId("pk-cmax").textContent()),
      Math.round(cmax100),
      "the table shows the rounded Cmax",
    );

    // Domino: the note about over-predicting the venous peak sits beside the curve.
    await page.getByTestId("plan-model").selectOption("domino");
    await waitForText(page.getByTestId("pk-model-name"), "Domino");
    await waitForText(page.getByTestId("pk-note"), "30 %");
    await page.getByTestId("plan-model").selectOption("clements");
    await waitForText(page.getByTestId("pk-model-name"), "Clements");

    const saved = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/patients/${id}/infusion-plans`));
    await page.getByTestId("plan-save").click();
    assert.equal((await saved).status(), 201);
    await waitForText(page.getByTestId("plan-saved"), "dr.reyes");
    await waitForCount(page.getByTestId("saved-plan"), 1);
    await shot(page, "plan-saved");
  });

  // The server agrees: one approved decision, one plan over 100 min with the Clements curve.
  const overview = await reyes.get(`/patients/${id}/screening`);
  assert.equal(overview.status, 200);
  assert.equal(overview.body.decision.decision, "approve");
  assert.equal(overview.body.plans.length, 1);
  assert.equal(overview.body.plans[0].dose.minutes, 100);
  assert.equal(overview.body.plans[0].pk.model, "clements");
  assert.equal(overview.body.plans[0].created_by, "dr.reyes");
});
