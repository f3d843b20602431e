// For the session browser tests: a demo server whose clock the test can move forward, as the
// integration tests move their FakeClock. An IV session needs 60 minutes of observation after the
// stop and an esketamine session 2 hours of monitoring (CLINICAL.md §4): a test cannot wait that
// long on the real clock. The server runs under libfaketime (scripts/setup installs it) reading
// its offset from a file; advance() rewrites the file and moves every browser context's clock by
// the same amount (Playwright's clock), so the screens' timers agree with the server.
//
// Sessions expire after 15 idle minutes (session.idle_timeout_minutes): advance() moves in steps
// of at most 10 minutes and, after each, calls every keep-alive the test registered (a page's
// /auth/me, an API client's GET), as a nurse at the chair would keep using the screen.

import { after, before } from "node:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, login, startServer } from "./lib.mjs";

const FAKETIME = process.env.KCLINIC_FAKETIME || "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
const STEP_MIN = 10;

export function serverWithClock() {
  const env = {
    server: undefined,
    browser: undefined,
    /** Minutes the server's clock is ahead of the real one. */
    offsetMin: 0,
    contexts: new Set(),
    keepAlive: new Set(),
    advance: async (minutes) => {
      let left = minutes;
      while (left > 0) {
        const step = Math.min(STEP_MIN, left);
        left -= step;
        env.offsetMin += step;
        writeFileSync(env.file, `+${env.offsetMin * 60}\n`);
        for (const c of env.contexts) await c.clock.fastForward(step * 60_000);
        for (const k of env.keepAlive) await k();
      }
    },
    /** The server's "now" in ms. */
    now: () => Date.now() + env.offsetMin * 60_000,
    /**
     * The clinic's day (YYYY-MM-DD) the demo was seeded on: its "today" sessions are on it.
     * Once advance() has moved the server's clock, the server's own today may be the next day.
     */
    seededOn: undefined,
  };
  before(async () => {
    if (!existsSync(FAKETIME)) {
      throw new Error(`libfaketime is not installed (${FAKETIME}); run scripts/setup`);
    }
    env.dir = mkdtempSync(join(tmpdir(), "kclinic-clock-"));
    env.file = join(env.dir, "offset");
    writeFileSync(env.file, "+0\n");
    const saved = {};
    const vars = {
      LD_PRELOAD: FAKETIME,
      FAKETIME_TIMESTAMP_FILE: env.file,
      FAKETIME_NO_CACHE: "1",
      // asio's timers keep the real monotonic clock; only wall time moves.
      FAKETIME_DONT_FAKE_MONOTONIC: "1",
    };
    for (const [k, v] of Object.entries(vars)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    try {
      env.server = await startServer();
      // The demo clinic's calendar day (America/New_York, its zone) at seeding.
      env.seededOn = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
    if (env.dir) rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}

/**
 * Runs fn(page) in a fresh context whose clock is the server's, logged in as `username`; the page
 * is kept alive across advance(). Fails on uncaught page errors, saving a screenshot.
 */
export async function withClockPage(env, username, name, fn, { viewport = { width: 1024, height: 900 } } = {}) {
  const context = await env.browser.newContext({ baseURL: env.server.base, viewport });
  await context.clock.install({ time: env.now() });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  const ping = async () => {
    await page.evaluate(() => fetch("/api/v1/auth/me", { credentials: "same-origin" }).then((r) => r.status));
  };
  env.contexts.add(context);
  try {
    await login(page, username);
    env.keepAlive.add(ping);
    await fn(page);
    if (errors.length) throw new Error(`uncaught error in the page: ${errors[0].stack ?? errors[0]}`);
  } catch (e) {
    const file = join(tmpdir(), `kclinic-e2e-failure-${name}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    e.message += `\n(screenshot: ${file})`;
    throw e;
  } finally {
    env.keepAlive.delete(ping);
    env.contexts.delete(context);
    await context.close();
  }
}

/** The API from the page (its cookie and CSRF token are the logged-in user's). */
export async function pageGet(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch(`/api/v1${p}`, { credentials: "same-origin" });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, path);
}
