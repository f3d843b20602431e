// Front desk: register a patient, find her, edit her, and see the change survive a reload.

import { test } from "node:test";
import assert from "node:assert/strict";
import { login, shot, serverAndBrowser, uniqueName, waitForCount, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

// Dates a few days back, so no server time zone can find them in the future.
const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

test("desk.miller registers, finds, edits a patient and logs out", async () => {
  await withPage(env.browser, env.server.base, "staff", async (page) => {
    const family = uniqueName("Quill");
    const given = "Marta";
    const familyCap = family[0].toUpperCase() + family.slice(1);

    await login(page, "desk.miller");
    await waitForText(page.getByTestId("header-role"), "Front desk");
    await page.getByTestId("patient-list").waitFor();
    await page.getByTestId("patient-row").first().waitFor();
    await shot(page, "patient-list");

    // Register, first leaving out the given name: the server's error shows beside that field.
    await page.getByTestId("register-patient").click();
    await page.getByTestId("patient-form").waitFor();
    await page.getByTestId("field-family").fill(familyCap);
    await page.getByTestId("field-birth_date").fill("1990-05-17");
    await page.getByTestId("field-sex").selectOption("female");
    await page.getByTestId("field-phone").fill("+1 555 0142");
    await page.getByTestId("field-email").fill("marta@example.org");
    await page.getByTestId("field-address").fill("12 Elm Street, Springfield");
    await page.getByTestId("field-height_cm").fill("168");
    await page.getByTestId("field-weight_kg").fill("72.5");
    await page.getByTestId("field-weight_date").fill(daysAgo(3));
    await page.getByTestId("field-allergies").fill("latex, penicillin");
    await page.getByTestId("field-ec_name").fill("Jorge Quill");
    await page.getByTestId("field-ec_phone").fill("+1 555 0143");
    await page.getByTestId("field-ec_relationship").fill("brother");
    await page.getByTestId("field-escort_name").fill("Lucia Quill");
    await page.getByTestId("field-escort_phone").fill("+1 555 0144");
    await page.getByTestId("field-escort_relationship").fill("sister");
    await page.getByTestId("save-patient").click();
    await page.getByTestId("error-given").waitFor();
    await waitForText(page.getByTestId("error-given"), /^Given name \S/);
    await shot(page, "register-error");

    await page.getByTestId("field-given").fill(given);
    await page.getByTestId("save-patient").click();
    await page.getByTestId("patient-page").waitFor();
    await waitForText(page.getByTestId("patient-name"), `${given} ${familyCap}`);
    await waitForText(page.getByTestId("patient-allergies"), "latex, penicillin");
    await waitForCount(page.getByTestId("weight-row"), 1);
    await waitForText(page.getByTestId("weight-row").first(), "72.5");

    // Find her by the start of her family name, in lower case.
    await page.getByTestId("nav-patients").click();
    await page.getByTestId("patient-search").fill(family.slice(0, 9).toLowerCase());
    await waitForCount(page.getByTestId("patient-row"), 1);
    await waitForText(page.getByTestId("patient-row"), familyCap);
    await waitForText(page.getByTestId("patient-row"), "1990-05-17");
    await page.getByTestId("patient-link").click();
    await page.getByTestId("patient-page").waitFor();
    await waitForText(page.getByTestId("patient-phone"), "+1 555 0142");

    // Edit phone and escort, with a reason.
    await page.getByTestId("edit-patient").click();
    await page.getByTestId("field-phone").fill("+1 555 0199");
    await page.getByTestId("field-escort_name").fill("Pedro Quill");
    await page.getByTestId("field-escort_phone").fill("+1 555 0198");
    await page.getByTestId("field-escort_relationship").fill("husband");
    await page.getByTestId("field-reason").fill("New phone given at check-in");
    await shot(page, "edit-patient");
    const patchSent = page.waitForRequest((r) => r.method() === "PATCH");
    await page.getByTestId("save-patient").click();
    // Only what changed goes to the server.
    assert.deepEqual((await patchSent).postDataJSON(), {
      contact: { phone: "+1 555 0199" },
      escort: { name: "Pedro Quill", phone: "+1 555 0198", relationship: "husband" },
      reason: "New phone given at check-in",
    });
    await page.getByTestId("saved").waitFor();
    await waitForText(page.getByTestId("patient-phone"), "+1 555 0199");
    await waitForText(page.getByTestId("patient-escort"), "Pedro Quill");
    await waitForCount(page.getByTestId("history-entry"), 2);
    await waitForText(page.getByTestId("history-entry").first(), "New phone given at check-in");
    await waitForText(page.getByTestId("history-entry").first(), "desk.miller");

    // Add a weight.
    await page.getByTestId("add-weight").click();
    await page.getByTestId("weight-date").fill(daysAgo(2));
    await page.getByTestId("weight-kg").fill("71.8");
    await page.getByTestId("save-weight").click();
    await waitForCount(page.getByTestId("weight-row"), 2);
    await waitForText(page.getByTestId("weight-row").first(), "71.8");
    await shot(page, "patient-page");

    // A reload keeps the session and shows what the server stored.
    await page.reload();
    await page.getByTestId("patient-page").waitFor();
    await waitForText(page.getByTestId("patient-phone"), "+1 555 0199");
    await waitForText(page.getByTestId("patient-escort"), /Pedro Quill.*husband.*\+1 555 0198|Pedro Quill/);
    const escort = await page.getByTestId("patient-escort").textContent();
    assert.match(escort, /husband/);
    assert.match(escort, /\+1 555 0198/);
    await waitForText(page.getByTestId("patient-email"), "marta@example.org");
    await waitForCount(page.getByTestId("weight-row"), 2);
    await waitForText(page.getByTestId("weight-row").first(), daysAgo(2));
    await waitForCount(page.getByTestId("history-entry"), 2);

    // Log out: back at the login screen, and the server session is gone.
    await page.getByTestId("logout").click();
    await page.getByTestId("login-form").waitFor();
    assert.equal((await page.request.get("/api/v1/auth/me")).status(), 401);
    await page.goto("/#/patients");
    await page.getByTestId("login-form").waitFor();
    assert.equal(await page.getByTestId("patient-list").count(), 0);
  });
});

test("patient list pages with Load more", async () => {
  await withPage(env.browser, env.server.base, "load-more", async (page) => {
    await login(page, "desk.miller");
    await page.getByTestId("patient-row").first().waitFor();
    const first = await page.getByTestId("patient-row").count();
    if ((await page.getByTestId("load-more").count()) === 0) {
      // Fewer demo patients than one page: nothing to page through.
      assert.ok(first > 0);
      return;
    }
    await page.getByTestId("load-more").click();
    const deadline = Date.now() + 10_000;
    while ((await page.getByTestId("patient-row").count()) <= first) {
      assert.ok(Date.now() < deadline, "Load more added no rows");
      await new Promise((r) => setTimeout(r, 100));
    }
    const ids = await page.getByTestId("patient-row").evaluateAll((rows) => rows.map((r) => r.dataset.patientId));
    assert.equal(new Set(ids).size, ids.length, "Load more repeated a patient");
  });
});

test("an unknown or malformed patient id shows Patient not found", async () => {
  await withPage(env.browser, env.server.base, "not-found", async (page) => {
    await login(page, "desk.miller");
    await page.getByTestId("patient-list").waitFor();
    await page.goto("/#/patients/0123456789abcdef0123456789abcdef");
    await waitForText(page.getByTestId("not-found"), "Patient not found");
    await page.goto("/#/patients/not-an-id");
    await waitForText(page.getByTestId("not-found"), "Patient not found");
    await page.goto("/#/no-such-screen");
    await waitForText(page.getByTestId("not-found"), "Page not found");
  });
});
