// Shared helpers for the browser tests: start a demo kclinic server, drive Debian's Chromium with
// playwright-core (resolved from web/node_modules, so `cd web && npm ci` is the only set-up), and
// compute TOTP codes the way an authenticator app does.

import { after, before } from "node:test";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const require = createRequire(join(ROOT, "web", "package.json"));
const { chromium } = require("playwright-core");

export const PASSWORD = "kclinic-demo";
const BIN = process.env.KCLINIC_BIN || process.env.KCLINIC_BINARY || join(ROOT, "build", "kclinic");
const WEB = process.env.KCLINIC_WEB || join(ROOT, "web", "dist");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.KCLINIC_E2E_SCREENSHOTS || "";

/**
 * Starts `kclinic demo` on a fresh SQLite file and an ephemeral port. Resolves once the server
 * prints "listening on http://HOST:PORT". stop() ends it and removes its files.
 */
// Starts one demo server and one browser for the calling test file and stops both after it. The
// returned object's `server` and `browser` are set once the file's tests begin.
export function serverAndBrowser() {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "kclinic-e2e-"));
  const child = spawn(
    BIN,
    ["demo", "--db", `sqlite:${join(dir, "x.db")}`, "--listen", "127.0.0.1:0", "--web", WEB],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const exited = new Promise((res) => child.once("exit", (code, signal) => res({ code, signal })));
  const base = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start in 30 s; output:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on (http:\/\/[\w.:[\]-]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        res(m[1].replace(/\/$/, ""));
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", (c) => (output += c));
    child.once("error", (e) => {
      clearTimeout(timer);
      rej(new Error(`cannot run ${BIN}: ${e.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(new Error(`server exited (${code ?? signal}) before listening; output:\n${output}`));
    });
  });
  return {
    base,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Runs fn(page, context) in a fresh browser context (own cookies). Fails the test on any uncaught
 * error in the page; saves a screenshot to the temp directory when fn throws.
 */
export async function withPage(browser, base, name, fn, { viewport = { width: 1100, height: 900 }, timezoneId } = {}) {
  const context = await browser.newContext({ baseURL: base, viewport, ...(timezoneId ? { timezoneId } : {}) });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e));
  try {
    await fn(page, context);
    if (pageErrors.length) throw new Error(`uncaught error in the page: ${pageErrors[0].stack ?? pageErrors[0]}`);
  } catch (e) {
    const file = join(tmpdir(), `kclinic-e2e-failure-${name}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    e.message += `\n(screenshot: ${file})`;
    throw e;
  } finally {
    await context.close();
  }
}

/** Saves a full-page screenshot when KCLINIC_E2E_SCREENSHOTS names a directory. */
export async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits until the locator's text matches (string: contains; RegExp: test). Returns the text. */
export async function waitForText(locator, expected, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    last = await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null);
    if (last !== null && (typeof expected === "string" ? last.includes(expected) : expected.test(last))) {
      return last;
    }
    if (Date.now() > deadline) {
      throw new Error(`expected ${locator} to have text ${expected}, last saw ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until locator.count() equals n. */
export async function waitForCount(locator, n, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const c = await locator.count();
    if (c === n) return;
    if (Date.now() > deadline) throw new Error(`expected ${n} of ${locator}, found ${c}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Fails when the page scrolls sideways (phone layouts). */
export async function assertNoHorizontalScroll(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  if (scroll > client) throw new Error(`${what}: page is ${scroll}px wide in a ${client}px viewport`);
}

/** Logs in through the login screen and waits for the header that shows the user. */
export async function login(page, username, { totp } = {}) {
  await page.goto("/");
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(PASSWORD);
  if (totp) await page.getByTestId("login-totp").fill(totp);
  await page.getByTestId("login-submit").click();
  await waitForText(page.getByTestId("header-username"), username);
}

/** Logs in over the API (no browser); returns a small client that sends the cookie and CSRF token. */
export async function apiLogin(base, username) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`API login as ${username}: ${res.status} ${await res.text()}`);
  const { csrf_token, user } = await res.json();
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("kclinic_session="));
  if (!cookie) throw new Error("API login set no kclinic_session cookie");
  const call = async (method, path, body) => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        Cookie: cookie,
        ...(method === "GET" ? {} : { "X-CSRF-Token": csrf_token }),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  return { user, csrf_token, cookie, get: (p) => call("GET", p), post: (p, b) => call("POST", p, b) };
}

/** A name unlikely to exist: letters only, so any server-side name rule accepts it. */
export function uniqueName(prefix) {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let s = "";
  for (let i = 0; i < 8; i++) s += letters[Math.floor(Math.random() * 26)];
  return prefix + s;
}

// RFC 4648 base32 → bytes.
function base32Decode(s) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.toUpperCase().replace(/[\s=]/g, "")) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The TOTP time step (RFC 6238, 30 s) at `ms`. */
export function totpStep(ms = Date.now()) {
  return Math.floor(ms / 1000 / 30);
}

/** RFC 6238 TOTP (HMAC-SHA1, 6 digits) for a base32 secret at the given time step. */
export function totpCode(secret, step = totpStep()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = (h.readUInt32BE(o) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, "0");
}

/**
 * A code for a time step later than `usedStep` (servers may refuse a code whose step was already
 * used) and not about to expire; waits for the next 30 s step when needed.
 */
export async function freshTotp(secret, usedStep = -1) {
  for (;;) {
    const now = Date.now();
    const step = totpStep(now);
    const msLeft = (step + 1) * 30_000 - now;
    if (step > usedStep && msLeft > 3_000) return { code: totpCode(secret, step), step };
    await new Promise((r) => setTimeout(r, msLeft + 50));
  }
}
