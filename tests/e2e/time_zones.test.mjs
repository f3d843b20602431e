// Clinic dates and times read the same whatever the browser's zone (issue 21: with the browser in
// America/New_York the REMS list named a 6 Dec session "Dec 5"). The demo clinic is in
// America/New_York; the browsers here sit in Pacific/Auckland (a day ahead) and
// America/Los_Angeles (3 hours behind), and every screen must show the clinic's dates, naming the
// zone where it shows a time.

import { test } from "node:test";
import assert from "node:assert/strict";
import { apiLogin, login, serverAndBrowser, shot, waitForCount, withPage } from "./lib.mjs";

const env = serverAndBrowser();
const ZONES = ["Pacific/Auckland", "America/Los_Angeles"];

/** The visible text of every element matching the test id, in order. */
async function texts(page, testid) {
  return page.getByTestId(testid).allInnerTexts();
}

test("the sessions, REMS, calendar and worklist screens show the clinic's dates in any browser zone", async () => {
  const nurseApi = await apiLogin(env.server.base, "nurse.okafor");
  const me = await nurseApi.get("/auth/me");
  const zone = me.body.clinic.time_zone;
  assert.equal(zone, "America/New_York");
  const pending = await nurseApi.get("/rems/pending");
  assert.equal(pending.status, 200, JSON.stringify(pending.body));
  const forms = pending.body.forms;
  assert.ok(Array.isArray(forms) && forms.length > 0, "the demo has a REMS form to complete");
  // The form's due date in words, as a calendar date (no zone may move it).
  const dueInWords = new Date(`${forms[0].due_date}T00:00:00Z`).toLocaleDateString("en-US", {
    year: "numeric",
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });

  const seen = {};
  for (const timezoneId of ZONES) {
    const slug = timezoneId.replace("/", "-").toLowerCase();
    seen[timezoneId] = {};
    await withPage(
      env.browser,
      env.server.base,
      `zones-nurse-${slug}`,
      async (page) => {
        assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), timezoneId);
        await login(page, "nurse.okafor");
        await page.goto("/#/sessions");
        await page.getByTestId("rems-pending").waitFor();
        const due = await texts(page, "rems-pending-due");
        assert.ok(due.includes(dueInWords), `REMS due ${JSON.stringify(due)} names ${dueInWords}`);
        seen[timezoneId].rems = await texts(page, "rems-pending-row");
        // The sessions of the clinic's today, their times with the clinic's zone named.
        await page.getByTestId("sessions-date").waitFor();
        seen[timezoneId].sessionsDate = await page.getByTestId("sessions-date").inputValue();
        // Read the day's sessions once they have loaded (a table or the empty message).
        await page.locator('[data-testid="sessions-table"], [data-testid="sessions-empty"]').first().waitFor();
        const rows = page.getByTestId("session-row");
        if ((await rows.count()) > 0) {
          seen[timezoneId].sessions = await rows.allInnerTexts();
          assert.match(seen[timezoneId].sessions[0], /E[SD]T/, "a time in another zone names the clinic's");
        } else {
          seen[timezoneId].sessions = [];
        }
        await shot(page, `zones-sessions-${slug}`);
      },
      { timezoneId },
    );
    await withPage(
      env.browser,
      env.server.base,
      `zones-desk-${slug}`,
      async (page) => {
        await login(page, "desk.miller");
        await page.goto("/#/worklist");
        // The card is busy until the worklist has loaded; read it once it has.
        await page.locator('[data-testid="today-sessions"][aria-busy="false"]').waitFor();
        seen[timezoneId].worklist = await page.getByTestId("today-sessions").innerText();
        assert.doesNotMatch(seen[timezoneId].worklist, /\d{4}-\d{2}-\d{2}/, "no ISO date on the worklist");
        await page.goto("/#/calendar");
        await page.getByTestId("cal-range").waitFor();
        await waitForCount(page.getByTestId("cal-day"), 7);
        seen[timezoneId].calendar = await page.getByTestId("cal-range").innerText();
        seen[timezoneId].calendarDays = await page.getByTestId("cal-day").evaluateAll((els) => els.map((e) => e.dataset.date));
        await shot(page, `zones-calendar-${slug}`);
      },
      { timezoneId },
    );
  }
  const [a, b] = ZONES.map((z) => seen[z]);
  // The clinic's today, as the front desk in New York would see it.
  const clinicToday = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  assert.equal(a.sessionsDate, clinicToday);
  for (const key of ["rems", "sessionsDate", "sessions", "worklist", "calendar", "calendarDays"]) {
    assert.deepEqual(a[key], b[key], `${key} differs between ${ZONES[0]} and ${ZONES[1]}`);
  }
});
