// Titration on the infusion plan screen: dr.reyes opens the plan of the demo patient Ana Silva (in
// treatment, with a saved plan for her first infusion), sees the suggestion to keep the dose and
// the sessions it learned from, ticks "vomiting" for the latest session and sees the suggestion
// turn to lengthening the infusion to 60 min, accepts it, and sees the plan form and the preview's
// planned curve follow (60 min). Nothing is saved: the prescriber decides.

import { test } from "node:test";
import assert from "node:assert/strict";
import { apiLogin, login, serverAndBrowser, shot, waitForCount, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

test("plan screen: titration suggestion, a tolerability event, accept into the form", async () => {
  const ana = await apiLogin(env.server.base, "ana.silva");
  const id = ana.user.patient_id;
  assert.match(id ?? "", /^[0-9a-f]{32}$/, "ana.silva is linked to her record");

  // The server's own answer, to compare the screen with.
  const reyes = await apiLogin(env.server.base, "dr.reyes");
  const plain = await reyes.get(`/patients/${id}/titration`);
  assert.equal(plain.status, 200, JSON.stringify(plain.body));
  assert.equal(plain.body.suggestion.action, "keep");
  assert.ok(plain.body.history.length >= 1, "she has at least one given session with a plan");
  const plansBefore = (await reyes.get(`/patients/${id}/screening`)).body.plans.length;

  await withPage(env.browser, env.server.base, "titration", async (page) => {
    await login(page, "dr.reyes");
    await page.goto(`/#/patients/${id}/plan`);
    const panel = page.getByTestId("titration");
    await panel.waitFor();
    const action = panel.getByTestId("titration-action");
    await waitForText(action, "Keep");
    assert.equal(await action.getAttribute("data-action"), "keep");
    await waitForText(panel.getByTestId("titration-reason"), plain.body.suggestion.reason);
    await waitForCount(panel.getByTestId("titration-session"), plain.body.history.length);
    const improvement = plain.body.suggestion.improvement_percent;
    await waitForText(
      panel.getByTestId("titration-improvement"),
      improvement == null ? "not known" : `${Math.round(improvement)} %`,
    );
    const keptMinutes = Number(await panel.getByTestId("titration-minutes").textContent());
    assert.equal(keptMinutes, plain.body.suggestion.minutes);
    // The default preview has run (40 min) before anything is accepted.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="pk-row"][data-planned="true"]')?.getAttribute("data-minutes") === "40",
    );
    await shot(page, "titration-keep");

    // Vomiting in the latest infusion: the same dose over 20 min more.
    const asked = page.waitForResponse((r) => r.url().includes(`/patients/${id}/titration?events=vomiting`));
    await panel.getByTestId("titration-event-vomiting").check();
    assert.equal((await asked).status(), 200);
    await waitForText(action, "Lengthen");
    assert.equal(await action.getAttribute("data-action"), "lengthen");
    await waitForText(panel.getByTestId("titration-minutes"), "60");
    await waitForText(panel.getByTestId("titration-reason"), "vomiting");
    const mg = await panel.getByTestId("titration-mg-per-kg").textContent();
    assert.equal(Number(mg), plain.body.history.at(-1).mg_per_kg, "lengthening keeps the dose");
    await shot(page, "titration-lengthen");

    // Accept: the form takes 60 min and the suggested mg/kg, and the preview follows.
    await panel.getByTestId("titration-accept").click();
    await waitForText(panel.getByTestId("titration-accepted"), "save");
    assert.equal(await page.getByTestId("plan-minutes").inputValue(), "60");
    assert.equal(Number(await page.getByTestId("plan-mg-per-kg").inputValue()), Number(mg));
    await page.waitForFunction(
      () => document.querySelector('[data-testid="pk-row"][data-planned="true"]')?.getAttribute("data-minutes") === "60",
    );
    const planned = page.locator('[data-testid="pk-row"][data-planned="true"]');
    await waitForText(planned, "60 min");
    await waitForText(page.getByTestId("dose-rate-ml-h"), "over 60 min");
    const minutes = await page.getByTestId("pk-row").evaluateAll((rows) => rows.map((r) => r.dataset.minutes));
    assert.deepEqual(minutes, ["60", "100"], "60 min planned, 100 min for comparison");

    // The clinician may still change it before saving; unticking asks again without events.
    await page.getByTestId("plan-minutes").fill("50");
    await page.waitForFunction(
      () => document.querySelector('[data-testid="pk-row"][data-planned="true"]')?.getAttribute("data-minutes") === "50",
    );
    await panel.getByTestId("titration-event-vomiting").uncheck();
    await waitForText(action, "Keep");
    assert.equal(await page.getByTestId("plan-minutes").inputValue(), "50", "re-asking does not touch the form");
    await shot(page, "titration-changed");
  });

  // Accepting saved nothing.
  assert.equal((await reyes.get(`/patients/${id}/screening`)).body.plans.length, plansBefore);
});

test("plan screen: a candidate without infusions gets no suggestion, quietly", async () => {
  const reyes = await apiLogin(env.server.base, "dr.reyes");
  const created = await reyes.post("/patients", {
    name: { given: "Nora", family: "Titrationless" },
    birth_date: "1979-05-02",
    sex: "female",
    height_cm: 170,
    weight: { date: "2026-01-05", kg: 64 },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const t = await reyes.get(`/patients/${id}/titration`);
  assert.equal(t.status, 412, JSON.stringify(t.body));

  await withPage(env.browser, env.server.base, "titration-none", async (page) => {
    await login(page, "dr.reyes");
    await page.goto(`/#/patients/${id}/plan`);
    await waitForText(page.getByTestId("titration-none"), "no infusion history yet");
    assert.equal(await page.getByTestId("titration").count(), 0);
    assert.equal(await page.getByTestId("titration-error").count(), 0);
  });
});
