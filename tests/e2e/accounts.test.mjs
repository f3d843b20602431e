// Accounts (issue 22 items 2 and 5): the administrator's Accounts screen unlocks a locked-out
// account and resets a lost second factor, each with a reason; a nurse changes her own password
// on her phone. The browsers sit far from the clinic's zone.

import { test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, apiLogin, assertNoHorizontalScroll, freshTotp, login, serverAndBrowser, shot, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();
const PHONE = { width: 375, height: 740 };

/** Fails logins for `username` over the API until this address is locked out of it (waiting out the delays). */
async function lockOut(username) {
  for (let i = 0; i < 20; i++) {
    const r = await fetch(`${env.server.base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password: `wrong-${i}-password` }),
    });
    if (r.status === 429) {
      const { error } = await r.json();
      if (/locked/.test(error.message)) return;
      await new Promise((done) => setTimeout(done, Number(r.headers.get("retry-after")) * 1000));
    }
  }
  throw new Error(`${username} was not locked out within 20 tries`);
}

test("the administrator unlocks an account and resets a lost phone, each with a reason", async () => {
  // dr.reyes has two-step login on (and then loses her phone); desk.miller is locked out.
  const reyes = await apiLogin(env.server.base, "dr.reyes");
  const enrol = await reyes.post("/auth/totp/enroll", { password: PASSWORD });
  assert.equal(enrol.status, 200, JSON.stringify(enrol.body));
  const { code } = await freshTotp(enrol.body.secret);
  assert.equal((await reyes.post("/auth/totp/confirm", { code })).status, 204);
  await lockOut("desk.miller");

  await withPage(
    env.browser,
    env.server.base,
    "accounts-admin",
    async (page) => {
      await login(page, "admin");
      await page.getByTestId("nav-users").click();
      await page.getByTestId("users-table").waitFor();
      const desk = page.locator('[data-testid="user-row"][data-username="desk.miller"]');
      await desk.getByTestId("user-locked").waitFor();
      const doctor = page.locator('[data-testid="user-row"][data-username="dr.reyes"]');
      assert.equal(await doctor.getByTestId("user-totp").innerText(), "On");
      const table = await page.getByTestId("users-table").innerText();
      assert.doesNotMatch(table, /front_desk|[0-9a-f]{32}/, "roles in words, no raw ids");
      await shot(page, "accounts-list");

      // Unlock: a reason is needed.
      await desk.getByTestId("user-unlock").click();
      await page.getByTestId("account-reason").fill("   ");
      assert.equal(await page.getByTestId("account-action-submit").isDisabled(), true, "no blank reason");
      await page.getByTestId("account-reason").fill("Came to the admin office; checked her staff card");
      await shot(page, "accounts-unlock");
      await page.getByTestId("account-action-submit").click();
      await waitForText(page.getByTestId("users-done"), "desk.miller is unlocked");
      await desk.getByTestId("user-active").waitFor();

      // Reset the lost phone's second factor.
      await doctor.getByTestId("user-reset-totp").click();
      await page.getByTestId("account-reason").fill("Phone lost on the train; called from the ward, confirmed by Dr Park");
      await page.getByTestId("account-action-submit").click();
      await waitForText(page.getByTestId("users-done"), "Two-step login is off for dr.reyes");
      await waitForText(doctor.getByTestId("user-totp"), "Off");
      await shot(page, "accounts-reset");

      // Add a staff account; a common password is refused beside its field.
      await page.getByTestId("new-username").fill("nurse.kim");
      await page.getByTestId("new-role").selectOption("nurse");
      await page.getByTestId("new-password").fill("password1234");
      await page.getByTestId("new-account-submit").click();
      await waitForText(page.getByTestId("error-new-password"), /common/);
      await page.getByTestId("new-password").fill("a long first passphrase");
      await page.getByTestId("new-account-submit").click();
      await waitForText(page.getByTestId("users-done"), "nurse.kim can now log in");
      await page.locator('[data-testid="user-row"][data-username="nurse.kim"]').waitFor();
    },
    { timezoneId: "Asia/Tokyo" },
  );

  // The unlocked account logs in; the reset one's old sessions are gone and she logs in with her password alone.
  assert.equal((await apiLogin(env.server.base, "desk.miller")).user.username, "desk.miller");
  assert.equal((await reyes.get("/auth/me")).status, 401);
  assert.equal((await apiLogin(env.server.base, "dr.reyes")).user.totp_enabled, false);
  const admin = await apiLogin(env.server.base, "admin");
  const audit = await admin.get("/audit?limit=50");
  const actions = audit.body.items.map((e) => e.action);
  assert.ok(actions.includes("user.unlock") && actions.includes("user.totp_reset"), actions.join(","));
});

test("a nurse changes her own password on her phone", async () => {
  const elsewhere = await apiLogin(env.server.base, "nurse.okafor");
  await withPage(
    env.browser,
    env.server.base,
    "accounts-password",
    async (page) => {
      await login(page, "nurse.okafor");
      await page.getByTestId("nav-security").click();
      await page.getByTestId("pw-current").fill(PASSWORD);
      await page.getByTestId("pw-new").fill("a calm morning tide");
      await page.getByTestId("pw-again").fill("a calm morning tied");
      await page.getByTestId("pw-submit").click();
      await waitForText(page.getByTestId("error-pw-again"), /match/);
      await page.getByTestId("pw-current").fill("not-my-password");
      await page.getByTestId("pw-again").fill("a calm morning tide");
      await page.getByTestId("pw-submit").click();
      await waitForText(page.getByTestId("error-pw-current"), /password/);
      await page.getByTestId("pw-current").fill(PASSWORD);
      await page.getByTestId("pw-submit").click();
      await waitForText(page.getByTestId("password-done"), /logged out/);
      await assertNoHorizontalScroll(page, "security");
      await shot(page, "security-password-changed-phone");
    },
    { viewport: PHONE, timezoneId: "Pacific/Auckland" },
  );
  assert.equal((await elsewhere.get("/auth/me")).status, 401, "her other session ended");
  const old = await fetch(`${env.server.base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "nurse.okafor", password: PASSWORD }),
  });
  assert.equal(old.status, 401, "the old password no longer logs in");
});
