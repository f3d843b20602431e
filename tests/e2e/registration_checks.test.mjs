// The front desk on a phone registers a patient with implausible figures, and then the same
// patient twice (issue 21): the app shows what to check, stores nothing until confirmed, and links
// to the record already there.

import { test } from "node:test";
import assert from "node:assert/strict";
import { apiLogin, assertNoHorizontalScroll, login, serverAndBrowser, shot, uniqueName, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

async function fill(page, { given, family, born, cm, kg }) {
  await page.goto("/#/patients/new");
  await page.getByTestId("field-given").fill(given);
  await page.getByTestId("field-family").fill(family);
  await page.getByTestId("field-birth_date").fill(born);
  await page.getByTestId("field-sex").selectOption("female");
  await page.getByTestId("field-height_cm").fill(String(cm));
  await page.getByTestId("field-weight_kg").fill(String(kg));
}

test("implausible figures and a duplicate are confirmed before a record is made", async () => {
  const family = uniqueName("Brandt");
  const desk = await apiLogin(env.server.base, "desk.miller");
  const count = async () => (await desk.get(`/patients?q=${encodeURIComponent(family)}`)).body.items.length;

  await withPage(
    env.browser,
    env.server.base,
    "registration-checks",
    async (page) => {
      await login(page, "desk.miller");
      // 640 kg at 150 cm.
      await fill(page, { given: "Hedda", family, born: "1980-02-02", cm: 150, kg: 640 });
      await page.getByTestId("patient-form").locator('button[type="submit"]').click();
      await page.getByTestId("confirm-panel").waitFor();
      await waitForText(page.getByTestId("confirm-warning-bmi"), "BMI of 284.4");
      await assertNoHorizontalScroll(page, "the confirmation panel on a phone");
      await shot(page, "phone-register-check-bmi");
      assert.equal(await count(), 0, "nothing is stored before it is confirmed");
      // Corrected: 64 kg, stored without a question.
      await page.getByTestId("confirm-back").click();
      await page.getByTestId("field-weight_kg").fill("64");
      await page.getByTestId("patient-form").locator('button[type="submit"]').click();
      await page.waitForURL(/#\/patients\/[0-9a-f]{32}$/);
      const first = page.url().split("/").pop();
      assert.equal(await count(), 1);

      // The same person again: the match is shown with a link to her record.
      await fill(page, { given: "hedda", family: family.toUpperCase(), born: "1980-02-02", cm: 150, kg: 64 });
      await page.getByTestId("patient-form").locator('button[type="submit"]').click();
      await page.getByTestId("confirm-warning-duplicate").waitFor();
      const link = page.getByTestId("confirm-duplicate-link");
      await waitForText(link, "born Feb 2, 1980");
      assert.equal(await link.getAttribute("href"), `#/patients/${first}`);
      await shot(page, "phone-register-check-duplicate");
      assert.equal(await count(), 1);
      // A twin with the same name and birthday: registered once confirmed.
      await page.getByTestId("confirm-anyway").click();
      await page.waitForURL((u) => /#\/patients\/[0-9a-f]{32}$/.test(u.hash) && !u.hash.endsWith(first));
      assert.equal(await count(), 2);
    },
    { viewport: { width: 390, height: 844 } },
  );
});
