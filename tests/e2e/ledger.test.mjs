// The controlled-substance ledger in the browser (issue 5, CLINICAL.md §7): the CS officer receives
// a lot, counts it one vial short, sees the discrepancy with its 1-business-day report deadline on
// the ledger page, a wrong witness password is refused, and the report for the month renders for
// print (the header and forms hidden, the lot's running balance shown).

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoHorizontalScroll, login, serverAndBrowser, shot, waitForText, withPage } from "./lib.mjs";

const env = serverAndBrowser();

test("receive a lot, count it with a discrepancy, see the alert, print the report", async () => {
  await withPage(env.browser, env.server.base, "ledger", async (page) => {
    await login(page, "admin");
    await page.getByTestId("nav-ledger").click();
    await page.getByTestId("ledger-lots").waitFor();
    // The demo's lots are there with their derived balances.
    await page.locator('[data-lot-number="KET-24-1187"]').waitFor();

    await page.getByTestId("ledger-receive-open").click();
    await page.getByTestId("receive-supplier_name").fill("Henry Schein Medical");
    await page.getByTestId("receive-supplier_address").fill("135 Duryea Road, Melville, NY 11747");
    await page.getByTestId("receive-dea_number").fill("AB1234564"); // wrong check digit
    await page.getByTestId("receive-lot_number").fill("E2E-LOT-7");
    await page.getByTestId("receive-expiry").fill("2030-01-31");
    await page.getByTestId("receive-vial_count").fill("4");
    await page.getByTestId("receive-submit").click();
    await waitForText(page.getByTestId("receive-error"), "Supplier's DEA number is not a DEA number");
    await page.getByTestId("receive-dea_number").fill("AB1234563");
    await page.getByTestId("receive-submit").click();
    const row = page.locator('[data-lot-number="E2E-LOT-7"]');
    await row.waitFor();
    await waitForText(row.getByTestId("ledger-lot-balance"), "2000 mg"); // 4 × 50 mg/mL × 10 mL

    await row.getByTestId("ledger-lot-link").click();
    await page.getByTestId("ledger-lot-page").waitFor();
    await waitForText(page.getByTestId("lot-balance"), "2000 mg");
    await page.getByTestId("count-mg").fill("1500");
    await page.getByTestId("count-submit").click();
    const alert = await waitForText(page.getByTestId("count-discrepancy"), "Discrepancy");
    assert.match(alert, /expected 2000 mg, counted 1500 mg/);
    assert.match(alert, /Report theft or significant loss to the DEA by/);
    await page.locator('[data-testid="ledger-entry"][data-kind="count"]').waitFor();
    // A count moves no stock.
    await waitForText(page.getByTestId("lot-balance"), "2000 mg");

    // A witnessed adjustment with the wrong password is refused and stores nothing.
    await page.getByTestId("adjust-mg").fill("-500");
    await page.getByTestId("adjust-reason").fill("one vial missing");
    await page.getByTestId("adjust-witness").fill("nurse.okafor");
    await page.getByTestId("adjust-password").fill("not-her-password");
    await page.getByTestId("adjust-submit").click();
    await waitForText(page.getByTestId("adjust-error"), "The witness's username, password or one-time code is wrong");
    assert.equal(await page.getByTestId("ledger-entry").count(), 2);
    await assertNoHorizontalScroll(page, "the lot page");
    await shot(page, "ledger-lot");

    // The discrepancy shows on the ledger page with its deadline.
    await page.goto("/#/ledger");
    const open = page.locator('[data-testid="ledger-discrepancy"][data-status="open"]').filter({ hasText: "E2E-LOT-7" });
    await open.waitFor();
    await waitForText(open.getByTestId("discrepancy-due"), "1 business day");

    // The report for a range containing today, and how it prints.
    await page.getByTestId("report-from").fill("2026-01-01");
    await page.getByTestId("report-to").fill("2030-12-31");
    await page.getByTestId("report-run").click();
    const lot = page.locator('[data-testid="report-lot"][data-lot-number="E2E-LOT-7"]');
    await lot.waitFor();
    await waitForText(lot.getByTestId("report-closing"), "2000 mg");
    await page.getByTestId("report-print").waitFor();
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("header.header").isVisible(), false, "the header is not printed");
    assert.equal(await page.getByTestId("report-run").isVisible(), false, "the form is not printed");
    assert.equal(await page.getByTestId("ledger-lots").isVisible(), false, "the lot list is not printed");
    assert.equal(await lot.isVisible(), true, "the report is printed");
    assert.ok((await lot.getByTestId("ledger-entry").count()) >= 2);
    const pdf = await page.pdf({ format: "Letter" });
    assert.ok(pdf.length > 1000, "the report renders to a PDF");
    await shot(page, "ledger-report-print");

    // The biennial inventory at close of business today (CLINICAL.md §7), and how it prints.
    await page.emulateMedia({ media: "screen" });
    await page.getByTestId("inventory-kind").selectOption("biennial");
    await page.getByTestId("inventory-time").selectOption("close");
    await page.getByTestId("inventory-run").click();
    const line = page.locator('[data-testid="inventory-line"][data-lot-number="E2E-LOT-7"]');
    await line.waitFor();
    await waitForText(line.getByTestId("inventory-balance"), "2000 mg");
    await page.getByTestId("inventory-print").waitFor();
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.getByTestId("inventory-run").isVisible(), false, "the inventory form is not printed");
    assert.equal(await line.isVisible(), true, "the inventory is printed");
    await shot(page, "ledger-inventory-print");
    await page.emulateMedia({ media: "screen" });
  });
});

test("a nurse reads the ledger but cannot receive vials", async () => {
  await withPage(env.browser, env.server.base, "ledger-nurse", async (page) => {
    await login(page, "nurse.okafor");
    await page.getByTestId("nav-ledger").click();
    await page.getByTestId("ledger-lots").waitFor();
    assert.equal(await page.getByTestId("ledger-receive-open").count(), 0);
  });
});
