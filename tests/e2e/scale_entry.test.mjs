// A nurse enters a clinician-rated, score-entry scale (MADRS) from the clinic's licensed paper
// form: item numbers and ranges only, never the scale's wording; the total comes back and the
// assessment appears in the chart's table.

import { test } from "node:test";
import assert from "node:assert/strict";
import { apiLogin, login, serverAndBrowser, shot, waitForCount, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

// MADRS: 10 items 0–6; 3+2+4+1+0+2+3+1+2+0 = 18, "mild" (7–19, CLINICAL.md §5).
const SCORES = [3, 2, 4, 1, 0, 2, 3, 1, 2, 0];
const TOTAL = 18;

test("nurse.okafor enters a MADRS score entry and sees the total", async () => {
  const ana = await apiLogin(env.server.base, "ana.silva");
  const patientId = ana.user.patient_id;

  await withPage(env.browser, env.server.base, "scale-entry", async (page) => {
    await login(page, "nurse.okafor");
    // Nurses get the worklist, not the prescribers' alert list.
    await page.getByTestId("nav-worklist").waitFor();
    assert.equal(await page.getByTestId("nav-alerts").count(), 0);

    await page.goto(`/#/patients/${patientId}`);
    await page.getByTestId("mbc").waitFor();
    await page.getByTestId("entry-open").click();
    await page.getByTestId("entry-instrument").selectOption("madrs");

    // Score entry: "Item N" with the range, a note about the licensed form, no item text.
    await page.getByTestId("score-entry-note").waitFor();
    await waitForCount(page.getByTestId("entry-item"), SCORES.length);
    assert.equal(await page.getByTestId("entry-item-text").count(), 0, "no MADRS wording is shown");
    const labels = await page.getByTestId("entry-label").allTextContents();
    assert.deepEqual(
      labels.map((l) => l.trim()),
      SCORES.map((_, i) => `Item ${i + 1}`),
    );
    await waitForText(page.getByTestId("entry-range-1"), "0–6");

    // Out of range is refused beside the item, before anything is sent.
    await page.getByTestId("entry-item-3").fill("7");
    await page.getByTestId("entry-submit").click();
    await waitForText(page.getByTestId("entry-error-3"), "from 0 to 6");

    for (let i = 0; i < SCORES.length; i++) await page.getByTestId(`entry-item-${i + 1}`).fill(String(SCORES[i]));
    const posted = page.waitForResponse(
      (r) => r.request().method() === "POST" && r.url().endsWith(`/api/v1/patients/${patientId}/assessments`),
    );
    await page.getByTestId("entry-submit").click();
    const res = await posted;
    assert.equal(res.status(), 201);
    const { assessment } = await res.json();
    assert.equal(assessment.instrument, "madrs");

    await waitForText(page.getByTestId("entry-total"), String(TOTAL));
    await waitForText(page.getByTestId("entry-severity"), "Mild");
    assert.equal(await page.getByTestId("entry-error-3").count(), 0);
    const row = page.locator(`[data-testid="assessment-row"][data-assessment-id="${assessment.id}"]`);
    await waitForText(row.getByTestId("assessment-total"), String(TOTAL));
    await waitForText(row.getByTestId("assessment-instrument"), "MADRS");
    await shot(page, "scale-entry");

    // The overdue list opens for a nurse (whatever the demo has due).
    await page.getByTestId("nav-worklist").click();
    await page.locator('[data-testid="worklist-table"], [data-testid="worklist-empty"]').first().waitFor();
  });
});
