// Login errors and the session-expired flow.

import { test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, login, shot, serverAndBrowser, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

test("a lost cookie sends the user to login with a session-expired message, then back", async () => {
  await withPage(env.browser, env.server.base, "expired-cookie", async (page, context) => {
    await login(page, "desk.miller");
    await page.getByTestId("patient-row").first().waitFor();
    const id = await page.getByTestId("patient-row").first().getAttribute("data-patient-id");

    await context.clearCookies();
    await page.getByTestId("patient-link").first().click();
    await waitForText(page.getByTestId("session-expired"), "Your session has expired. Please log in again.");
    await page.getByTestId("login-form").waitFor();
    await shot(page, "session-expired");

    // Logging in again returns to the screen she was going to.
    await page.getByTestId("login-username").fill("desk.miller");
    await page.getByTestId("login-password").fill(PASSWORD);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("patient-page").waitFor();
    assert.equal(await page.getByTestId("patient-page").getAttribute("data-patient-id"), id);
    assert.equal(await page.getByTestId("session-expired").count(), 0);
  });
});

test("a session ended on the server shows the session-expired message on the next call", async () => {
  await withPage(env.browser, env.server.base, "expired-server", async (page) => {
    await login(page, "nurse.okafor");
    await page.getByTestId("patient-row").first().waitFor();

    // End the session behind the app's back (same cookie jar, e.g. another tab logged out).
    const me = await (await page.request.get("/api/v1/auth/me")).json();
    const out = await page.request.post("/api/v1/auth/logout", { headers: { "X-CSRF-Token": me.csrf_token } });
    assert.equal(out.status(), 204);

    await page.getByTestId("patient-search").fill("a");
    await waitForText(page.getByTestId("session-expired"), "Your session has expired. Please log in again.");
  });
});

test("a fresh visit with no session shows the login screen without the expired message", async () => {
  await withPage(env.browser, env.server.base, "fresh", async (page) => {
    await page.goto("/#/patients");
    await page.getByTestId("login-form").waitFor();
    assert.equal(await page.getByTestId("session-expired").count(), 0);
  });
});

test("a wrong password shows the server's message", async () => {
  await withPage(env.browser, env.server.base, "wrong-password", async (page) => {
    await page.goto("/");
    await page.getByTestId("login-username").fill("dr.reyes");
    await page.getByTestId("login-password").fill("not-the-password");
    await page.getByTestId("login-submit").click();
    const text = await waitForText(page.getByTestId("login-error"), /\S/);
    assert.ok(text.trim().length > 3, `error message: ${text}`);
    assert.equal(await page.getByTestId("login-totp").count(), 0);
    await shot(page, "login-error");
  });
});

test("a locked account shows the server's lock message", async () => {
  // Fail over the API until the server locks the account (bounded), then try in the browser.
  // From the third failure the server asks this address to wait (429 with Retry-After, 1 s then
  // 2 s) before it locks it out.
  let locked = false;
  for (let i = 0; i < 20 && !locked; i++) {
    const r = await fetch(`${env.server.base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "admin", password: `wrong-${i}` }),
    });
    if (r.status === 429) {
      const { error } = await r.json();
      locked = /locked/.test(error.message);
      if (!locked) await new Promise((done) => setTimeout(done, Number(r.headers.get("retry-after")) * 1000));
    }
  }
  assert.ok(locked, "the server locked the account within 20 failed attempts");

  await withPage(env.browser, env.server.base, "locked", async (page) => {
    await page.goto("/");
    await page.getByTestId("login-username").fill("admin");
    await page.getByTestId("login-password").fill(PASSWORD);
    await page.getByTestId("login-submit").click();
    await waitForText(page.getByTestId("login-error"), /lock/i);
    assert.equal(await page.getByTestId("header-username").count(), 0);
  });
});
