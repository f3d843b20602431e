// Screening decisions and who may make them, on a 375 px phone: approving the demo's hard-stop
// candidate (BP 186/104) is refused with the server's message beside the decision, an override
// without a reason is refused beside the reason; a nurse reads a screening result with no decision
// form and no plan link, and cannot open the plan or intake screens.

import { test } from "node:test";
import assert from "node:assert/strict";
import { apiLogin, assertNoHorizontalScroll, login, serverAndBrowser, shot, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();
const PHONE = { viewport: { width: 375, height: 740 } };

/** Every patient's id (the demo has a few hundred), following next_cursor. */
async function allPatients(client) {
  const ids = [];
  let cursor = "";
  for (;;) {
    const r = await client.get(`/patients?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    assert.equal(r.status, 200);
    ids.push(...r.body.items.map((p) => p.id));
    if (!r.body.next_cursor) return ids;
    cursor = r.body.next_cursor;
  }
}

/** The demo's candidates waiting for a decision, by what their screening found. */
async function candidates(client) {
  const out = { hardStop: null, checklist: null, approved: null };
  for (const id of await allPatients(client)) {
    const o = (await client.get(`/patients/${id}/screening`)).body;
    if (!o.intake) continue;
    if (o.decision?.decision === "approve") {
      out.approved ??= id;
      continue;
    }
    if (o.decision) continue;
    const sev = o.screening.findings.map((f) => f.severity);
    if (sev.includes("hard_stop")) out.hardStop ??= id;
    else if (sev.includes("missing_data")) out.checklist ??= id;
  }
  return out;
}

let found;

test("approving a hard stop is refused with the server's message; an override needs a reason", async () => {
  const reyes = await apiLogin(env.server.base, "dr.reyes");
  found = await candidates(reyes);
  assert.ok(found.hardStop, "the demo has a hard-stop candidate");
  assert.ok(found.checklist, "the demo has a candidate with the checklist not done");

  await withPage(
    env.browser,
    env.server.base,
    "screening-refused",
    async (page) => {
      await login(page, "dr.reyes");
      await page.goto(`/#/patients/${found.hardStop}/screening`);
      await waitForText(page.getByTestId("screening-state"), "awaiting decision");
      const stop = page.getByTestId("findings-hard_stop");
      await waitForText(stop, "Hard stop");
      await waitForText(stop, "186/104");
      await waitForText(stop.getByTestId("finding-setting"), "screening.bp");
      // Hard stops come first, before any other group.
      const first = await page.getByTestId("findings").locator(".finding-group").first().getAttribute("data-severity");
      assert.equal(first, "hard_stop");
      await assertNoHorizontalScroll(page, "screening result");
      await shot(page, "screening-hard-stop-phone");

      const answer = page.waitForResponse((r) => r.url().endsWith("/screening/decisions"));
      await page.getByTestId("decision-approve").check();
      await page.getByTestId("decision-submit").click();
      const res = await answer;
      assert.equal(res.status(), 400);
      const err = (await res.json()).error;
      assert.equal(err.field, "decision");
      const shown = await waitForText(page.getByTestId("error-decision"), /hard stop/);
      assert.ok(shown.toLowerCase().includes(err.message.slice(0, 30).toLowerCase()), `shows the server's message: ${shown}`);
      await waitForText(page.getByTestId("screening-state"), "awaiting decision");
      assert.equal(await page.getByTestId("plan-link").count(), 0);

      // The checklist candidate: an override without a reason is refused beside the reason.
      await page.goto(`/#/patients/${found.checklist}/screening`);
      await waitForText(page.getByTestId("findings-missing_data"), "Missing from the evaluation");
      await page.getByTestId("decision-override").check();
      await page.getByTestId("decision-submit").click();
      await waitForText(page.getByTestId("error-reason"), /Reason is required/);
      assert.equal(await page.getByTestId("decision-reason").getAttribute("aria-invalid"), "true");
      await page.getByTestId("decision-decline").check();
      await page.getByTestId("decision-reason").fill("Evaluation not done; re-screen when complete");
      await page.getByTestId("decision-submit").click();
      await waitForText(page.getByTestId("screening-state"), "Declined");
      await waitForText(page.getByTestId("decision-row"), "re-screen when complete");
      assert.equal(await page.getByTestId("plan-link").count(), 0, "no plan after a decline");
      await assertNoHorizontalScroll(page, "screening after a decision");
    },
    PHONE,
  );
});

test("a nurse sees the screening read-only: no decision form, no plan link", async () => {
  assert.ok(found?.approved, "the demo has an approved patient");
  await withPage(
    env.browser,
    env.server.base,
    "screening-nurse",
    async (page) => {
      await login(page, "nurse.okafor");
      await page.goto(`/#/patients/${found.approved}`);
      const summary = page.getByTestId("screening-summary");
      await waitForText(summary.getByTestId("screening-summary-state"), "Approved");
      assert.equal(await summary.getByTestId("summary-plan-link").count(), 0);
      assert.equal(await summary.getByTestId("summary-intake-link").count(), 0);
      await summary.getByTestId("screening-link").click();

      await page.getByTestId("screening-page").waitFor();
      await waitForText(page.getByTestId("trd-verdict"), "Yes");
      await waitForText(page.getByTestId("decision-row"), "dr.reyes");
      assert.equal(await page.getByTestId("decision-form").count(), 0, "no decision form for a nurse");
      assert.equal(await page.getByTestId("plan-link").count(), 0, "no plan link for a nurse");
      assert.equal(await page.getByTestId("intake-link").count(), 0, "no intake link for a nurse");
      await assertNoHorizontalScroll(page, "nurse screening");

      await page.goto(`/#/patients/${found.approved}/plan`);
      await page.getByTestId("access-denied").waitFor();
      await page.goto(`/#/patients/${found.approved}/intake`);
      await page.getByTestId("access-denied").waitFor();
    },
    PHONE,
  );
});

test("the plan screen fits a phone", async () => {
  await withPage(
    env.browser,
    env.server.base,
    "plan-phone",
    async (page) => {
      await login(page, "dr.reyes");
      await page.goto(`/#/patients/${found.approved}/plan`);
      await page.locator('[data-testid="pk-chart"] canvas').first().waitFor();
      await page.locator('[data-testid="pk-row"][data-planned="true"]').waitFor();
      await assertNoHorizontalScroll(page, "plan");
      await shot(page, "plan-phone");
    },
    PHONE,
  );
});
