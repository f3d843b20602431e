// The portal questionnaire on a phone, by keyboard and with the browser's Back and Forward: the
// answers stay where they were given, a reload keeps them, and the review shows them all before
// anything is sent.

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoHorizontalScroll, login, serverAndBrowser, shot, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

/** The value of the checked answer on the current question, or null. */
async function checked(page) {
  return page.evaluate(() => {
    const r = document.querySelector('[data-testid="questionnaire"] input[type="radio"]:checked');
    return r ? Number(r.value) : null;
  });
}

async function onQuestion(page, n) {
  await waitForText(page.getByTestId("q-progress"), `Question ${n} of 7`);
}

test("GAD-7 by keyboard, Back and Forward, reload: answers are kept", async () => {
  await withPage(
    env.browser,
    env.server.base,
    "questionnaire-nav",
    async (page) => {
      await login(page, "ana.silva");
      await page.getByTestId("questionnaires-due").waitFor();
      await page.goto("/#/portal/questionnaire/gad7");
      await onQuestion(page, 1);
      await assertNoHorizontalScroll(page, "question");
      await shot(page, "gad7-question");

      // Question 1 by keyboard only: the question has the focus; Tab reaches the answers, the
      // arrow keys choose, Tab Tab reaches Next, Enter goes on.
      const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-testid"));
      assert.equal(await focused(), "q-text", "a new question takes the focus");
      await page.keyboard.press("Tab");
      assert.equal(await focused(), "answer-0");
      await page.keyboard.press("ArrowDown");
      assert.equal(await checked(page), 1);
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      assert.equal(await focused(), "q-next");
      await page.keyboard.press("Enter");
      await onQuestion(page, 2);

      // Question 2: Next without an answer says so and stays.
      await page.getByTestId("q-next").click();
      await page.getByTestId("q-missing").waitFor();
      await onQuestion(page, 2);
      await page.getByTestId("answer-0").check();
      await page.getByTestId("q-next").click();
      await onQuestion(page, 3);
      await page.getByTestId("answer-2").check();

      // The browser's Back and Forward walk the questions with their answers.
      await page.goBack();
      await onQuestion(page, 2);
      assert.equal(await checked(page), 0);
      await page.goBack();
      await onQuestion(page, 1);
      assert.equal(await checked(page), 1);
      await page.goForward();
      await page.goForward();
      await onQuestion(page, 3);
      assert.equal(await checked(page), 2);

      // The app's own Back button too.
      await page.getByTestId("q-back").click();
      await onQuestion(page, 2);
      assert.equal(await checked(page), 0);

      // A reload keeps what was answered.
      await page.reload();
      await onQuestion(page, 2);
      assert.equal(await checked(page), 0);

      // Answer the rest: 1, 0, 2, 3, 0, 1, 2 (item 4 becomes 2 below, total 8).
      const rest = [2, 3, 0, 1, 2];
      await page.getByTestId("q-next").click();
      for (let i = 0; i < rest.length; i++) {
        await onQuestion(page, i + 3);
        await page.getByTestId(`answer-${rest[i]}`).check();
        await page.getByTestId("q-next").click();
      }
      await page.getByTestId("questionnaire-review").waitFor();
      await waitForText(page.getByTestId("review-answer-1"), "Several days");
      await waitForText(page.getByTestId("review-answer-3"), "More than half the days");

      // Change an answer from the review, come back to the review.
      await page.getByTestId("review-change-4").click();
      await onQuestion(page, 4);
      assert.equal(await checked(page), 3);
      await page.getByTestId("answer-2").check();
      for (let n = 4; n <= 7; n++) {
        await onQuestion(page, n);
        await page.getByTestId("q-next").click();
      }
      await page.getByTestId("questionnaire-review").waitFor();
      await waitForText(page.getByTestId("review-answer-4"), "More than half the days");
      await shot(page, "gad7-review");

      // Sent: a plain confirmation (no crisis block for GAD-7), the total, and the draft is gone.
      await page.getByTestId("q-submit").click();
      await page.getByTestId("confirmation").waitFor();
      assert.equal(await page.getByTestId("crisis").count(), 0);
      await waitForText(page.getByTestId("done-total"), "8");
      await page.goto("/#/portal/questionnaire/gad7/1");
      await onQuestion(page, 1);
      assert.equal(await checked(page), null, "a sent questionnaire starts blank");
    },
    { viewport: { width: 375, height: 740 } },
  );
});
