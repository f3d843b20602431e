// A patient sees her own record on the portal and nobody else's.

import { test } from "node:test";
import assert from "node:assert/strict";
import { login, shot, apiLogin, serverAndBrowser, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

test("ana.silva sees only her own record", async () => {
  // Ana's patient id from her own login, and another patient's id found by a staff user, both
  // over the API.
  const anaApi = await apiLogin(env.server.base, "ana.silva");
  const ownId = anaApi.user.patient_id;
  assert.match(ownId ?? "", /^[0-9a-f]{32}$/, "ana.silva is linked to a patient");
  const staff = await apiLogin(env.server.base, "desk.miller");
  const list = await staff.get("/patients?limit=10");
  assert.equal(list.status, 200);
  const other = list.body.items.find((p) => p.id !== ownId);
  assert.ok(other, "the demo has a patient other than Ana Silva");

  await withPage(env.browser, env.server.base, "portal", async (page) => {
    await login(page, "ana.silva");
    await page.getByTestId("portal").waitFor();
    await waitForText(page.getByTestId("header-role"), "Patient");
    await waitForText(page.getByTestId("own-record").getByTestId("patient-name"), "Ana Silva");
    await page.getByTestId("portal-appointments").waitFor(); // her sessions (the demo books some since issue 6)
    assert.equal(await page.getByTestId("nav-patients").count(), 0, "a patient has no patient-list link");
    await shot(page, "portal");

    // Someone else's record: the server says 403, the app says so plainly.
    await page.goto(`/#/patients/${other.id}`);
    await waitForText(page.getByTestId("access-denied"), "You do not have access to this record");
    assert.equal(await page.getByTestId("patient-details").count(), 0);
    assert.equal(await page.getByText(other.contact.email || other.id).count(), 0, "no part of the other record is shown");
    await shot(page, "access-denied");

    // The patient list is not reachable, in the app or the API.
    await page.goto("/#/patients");
    await page.getByTestId("access-denied").waitFor();
    assert.equal(await page.getByTestId("patient-list").count(), 0);
    assert.equal((await page.request.get("/api/v1/patients")).status(), 403);
    await page.goto("/#/patients/new");
    await page.getByTestId("access-denied").waitFor();

    // Her own record by id opens read-only.
    await page.goto(`/#/patients/${ownId}`);
    await waitForText(page.getByTestId("patient-name"), "Ana Silva");
    assert.equal(await page.getByTestId("edit-patient").count(), 0);
    assert.equal(await page.getByTestId("add-weight").count(), 0);

    // Back home through the header.
    await page.getByTestId("nav-portal").click();
    await page.getByTestId("own-record").waitFor();
  });
});
