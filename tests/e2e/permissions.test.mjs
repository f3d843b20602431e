// The header's links and the screens follow the permissions GET /api/v1/auth/me lists for the
// logged-in person, not a copy of the role table in the app: the test takes one permission out of
// the server's answer in the browser and the link and screen it governs go away, while a role
// name alone (the same nurse) still says nothing.

import { test } from "node:test";
import assert from "node:assert/strict";
import { apiLogin, login, serverAndBrowser, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

test("the header and screens follow /auth/me's permissions", async () => {
  // The server's own list for a nurse: sessions and the worklist, no alerts, no settings.
  const nurse = await apiLogin(env.server.base, "nurse.okafor");
  const me = await nurse.get("/auth/me");
  assert.equal(me.status, 200);
  assert.ok(me.body.permissions.includes("session.read"), "a nurse reads sessions");
  assert.ok(me.body.permissions.includes("worklist.read"), "a nurse has the worklist");
  assert.ok(!me.body.permissions.includes("alert.manage"), "a nurse does not manage alerts");

  await withPage(env.browser, env.server.base, "permissions", async (page) => {
    await login(page, "nurse.okafor");
    await waitForText(page.getByTestId("header-role"), "Nurse");
    await page.getByTestId("nav-worklist").waitFor();
    await page.getByTestId("nav-sessions").waitFor();
    assert.equal(await page.getByTestId("nav-alerts").count(), 0, "no alerts link for a nurse");

    // The same nurse, but the answer of /auth/me without worklist.read: the app must hide the
    // worklist link and screen although the role is still "nurse".
    await page.route("**/api/v1/auth/me", async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      body.permissions = body.permissions.filter((p) => p !== "worklist.read");
      await route.fulfill({ response: res, json: body });
    });
    await page.reload();
    await waitForText(page.getByTestId("header-role"), "Nurse");
    await page.getByTestId("nav-sessions").waitFor();
    assert.equal(await page.getByTestId("nav-worklist").count(), 0, "no worklist link without worklist.read");
    await page.goto("/#/worklist");
    await waitForText(page.getByTestId("access-denied"), "You do not have access to the worklist");
  });
});
