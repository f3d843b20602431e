// Second factor: enrol in TOTP, then log in with a one-time code.

import { test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, apiLogin, login, shot, freshTotp, serverAndBrowser, totpCode, totpStep, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

test("nurse.okafor enrols in TOTP and must then give a code to log in", async () => {
  await withPage(env.browser, env.server.base, "totp", async (page) => {
    await login(page, "nurse.okafor");
    await page.getByTestId("nav-security").click();
    await waitForText(page.getByTestId("totp-status"), "off");
    // Another device already logged in to her account: it is logged out once the factor is on.
    const otherDevice = await apiLogin(env.server.base, "nurse.okafor");
    await page.getByTestId("totp-start").click();
    // The password is asked again; a wrong one is refused beside the field.
    await page.getByTestId("totp-password").fill("not-her-password");
    await page.getByTestId("totp-password-submit").click();
    await waitForText(page.getByTestId("error-totp-password"), /password/i);
    await shot(page, "totp-password-wrong");
    await page.getByTestId("totp-password").fill(PASSWORD);
    await page.getByTestId("totp-password-submit").click();

    const secret = await page.getByTestId("totp-secret").getAttribute("data-secret");
    assert.match(secret, /^[A-Z2-7]+=*$/);
    const uri = await page.getByTestId("totp-uri").textContent();
    assert.match(uri, /^otpauth:\/\/totp\//);
    assert.ok(uri.includes(`secret=${secret}`), "the URI carries the same secret");
    await shot(page, "totp-enrol");

    // A wrong code is refused beside the field.
    const { code, step } = await freshTotp(secret);
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, "0");
    await page.getByTestId("totp-code").fill(wrong);
    await page.getByTestId("totp-confirm").click();
    await page.getByTestId("error-totp-code").waitFor();

    await page.getByTestId("totp-code").fill(code);
    await page.getByTestId("totp-confirm").click();
    await waitForText(page.getByTestId("totp-done"), /logged out/);
    await waitForText(page.getByTestId("totp-status"), "on");
    assert.equal((await otherDevice.get("/auth/me")).status, 401, "the other device's session ended");

    await page.getByTestId("logout").click();
    await page.getByTestId("login-form").waitFor();

    // Password alone now asks for the code.
    await page.getByTestId("login-username").fill("nurse.okafor");
    await page.getByTestId("login-password").fill(PASSWORD);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("login-totp").waitFor();
    assert.equal(await page.getByTestId("header-username").count(), 0);
    await shot(page, "login-totp");

    // A wrong code is refused...
    const now = totpCode(secret);
    await page.getByTestId("login-totp").fill(String((Number(now) + 500_000) % 1_000_000).padStart(6, "0"));
    await page.getByTestId("login-submit").click();
    await page.getByTestId("login-totp-error").waitFor();
    assert.equal(await page.getByTestId("header-username").count(), 0);

    // ...so is the code that confirmed the enrolment: a code is accepted once (RFC 6238 §5.2)...
    await page.getByTestId("login-totp").fill(code);
    const replayed = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/login"));
    await page.getByTestId("login-submit").click();
    assert.equal((await replayed).status(), 401, "a replayed code is refused");
    assert.equal(await page.getByTestId("header-username").count(), 0);

    // ...and a fresh one (a later step than the one used to confirm) lets her in. The server takes
    // a code one step either side of its clock (RFC 6238 §5.2, clock drift), so the next step's
    // code is good now: no waiting for the next 30 s step.
    // Three failures from this browser on her account so far (the wrong password at enrolment,
    // the wrong and the replayed code): the server asks it to wait a second before the next try.
    await new Promise((r) => setTimeout(r, 1_100));
    const loginStep = Math.max(step + 1, totpStep());
    const fresh = totpCode(secret, loginStep);
    await page.getByTestId("login-totp").fill(fresh);
    await page.getByTestId("login-submit").click();
    await waitForText(page.getByTestId("header-username"), "nurse.okafor");
    await page.getByTestId("nav-security").click();
    await waitForText(page.getByTestId("totp-status"), "on");

    // Turning it off asks for the password and a current code (a later step than the login's).
    await page.getByTestId("totp-remove-start").click();
    await page.getByTestId("totp-remove-password").fill(PASSWORD);
    await page.getByTestId("totp-remove-code").fill(fresh);
    await page.getByTestId("totp-remove-submit").click();
    await page.getByTestId("error-totp-remove-code").waitFor();  // the login's code, used once
    // The next step's code is good once the server's clock is at the login's step (±1 step).
    while (totpStep() < loginStep) await new Promise((r) => setTimeout(r, 500));
    const later = totpCode(secret, loginStep + 1);
    await page.getByTestId("totp-remove-code").fill(later);
    await page.getByTestId("totp-remove-submit").click();
    await waitForText(page.getByTestId("totp-status"), "off");
    await shot(page, "totp-removed");
  });
});
