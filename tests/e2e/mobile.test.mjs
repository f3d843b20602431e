// Phone-size screen (375 x 740): nothing scrolls sideways.

import { test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, login, shot, serverAndBrowser, withPage } from "./lib.mjs";

const env = serverAndBrowser();

async function assertNoHorizontalScroll(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what}: page is ${scroll}px wide in a ${client}px viewport`);
}

test("login, patient list, patient page, registration, security and portal fit a 375 px phone", async () => {
  await withPage(
    env.browser,
    env.server.base,
    "mobile",
    async (page) => {
      await page.goto("/");
      await page.getByTestId("login-form").waitFor();
      await assertNoHorizontalScroll(page, "login");
      await shot(page, "mobile-login");

      await login(page, "desk.miller");
      await page.getByTestId("patient-row").first().waitFor();
      await assertNoHorizontalScroll(page, "patient list");
      await shot(page, "mobile-patient-list");

      await page.getByTestId("patient-link").first().click();
      await page.getByTestId("patient-page").waitFor();
      await page.getByTestId("history-entry").first().waitFor();
      await assertNoHorizontalScroll(page, "patient page");
      await shot(page, "mobile-patient-page");

      await page.getByTestId("nav-patients").click();
      await page.getByTestId("register-patient").click();
      await page.getByTestId("patient-form").waitFor();
      await assertNoHorizontalScroll(page, "register form");
      await shot(page, "mobile-register");

      await page.getByTestId("nav-security").click();
      await page.getByTestId("totp-start").click();
      await page.getByTestId("totp-password").fill(PASSWORD);
      await page.getByTestId("totp-password-submit").click();
      await page.getByTestId("totp-secret").waitFor();
      await assertNoHorizontalScroll(page, "security");
      await shot(page, "mobile-security");

      await page.getByTestId("logout").click();
      // The login form shows once the server has ended the session. login() reloads the page: done
      // before that, the reload finds the session still valid and desk.miller signed in again.
      await page.getByTestId("login-form").waitFor();
      await login(page, "ana.silva");
      await page.getByTestId("own-record").getByTestId("patient-details").waitFor();
      await assertNoHorizontalScroll(page, "portal");
      await shot(page, "mobile-portal");
    },
    { viewport: { width: 375, height: 740 } },
  );
});
