#!/usr/bin/env node
// Checks src/kclinic/http/openapi.json, with nothing but Node 20's standard library:
//
//   node tests/openapi/check.mjs                     the document alone, against the route table
//   node tests/openapi/check.mjs URL                 ... and a running server at URL
//   node tests/openapi/check.mjs URL USER:PASSWORD   ... and its answers to a logged-in user
//   node tests/openapi/check.mjs URL U1:P1 U2:P2 ... ... and to each of several users in turn
//   node tests/openapi/check.mjs --format            rewrite the file in the canonical layout
//
// The document alone: valid JSON in the canonical pretty-printed layout, OpenAPI 3.0 structure,
// every $ref resolving, every operation with responses, x-permission and x-roles, the CSRF header
// on state-changing routes, examples that fit their schemas. Against the code: exactly the routes
// that the route files src/kclinic/http/api*.cc register, each with the permission it names and
// the roles that src/kclinic/domain/access.cc grants it.
// Against a server: /api/v1/openapi.json is byte for byte the file; each path answers 405 with the
// documented methods in Allow to a method it lacks; each protected operation answers 401 without a
// session; public GETs and (given a login, read-only) the logged-in GETs answer a documented status
// with a body that fits the documented schema (200, or a documented 412 for some of the patients
// tried, as long as some login gets a 200 from that route). Writes nothing but audit events and one session
// per login.
//
// Exit status 0 when everything holds, 1 otherwise, with one line per failure.

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const docPath = `${root}src/kclinic/http/openapi.json`;
const httpDir = `${root}src/kclinic/http/`;
const accessPath = `${root}src/kclinic/domain/access.cc`;

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const STATE_CHANGING = new Set(["post", "put", "patch", "delete"]);

let passed = 0;
const failures = [];
function check(ok, message) {
  if (ok) passed++;
  else failures.push(message);
  return ok;
}
function finish() {
  for (const f of failures) console.error(`FAIL ${f}`);
  console.log(`openapi check: ${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}
function fatal(message) {
  failures.push(message);
  finish();
}

// ---- Load -------------------------------------------------------------------------------------

const text = readFileSync(docPath, "utf8");
let doc;
try {
  doc = JSON.parse(text);
} catch (e) {
  fatal(`${docPath} is not valid JSON: ${e.message}`);
}
const canonical = JSON.stringify(doc, null, 2) + "\n";
if (process.argv[2] === "--format") {
  writeFileSync(docPath, canonical);
  console.log(`rewrote ${docPath}`);
  process.exit(0);
}

// ---- The document on its own ------------------------------------------------------------------

check(text === canonical,
      "openapi.json is not in the canonical layout (2-space JSON.stringify, final newline); run: node tests/openapi/check.mjs --format");
check(!text.includes(')kc_embed"'), 'openapi.json contains )kc_embed" and cannot be embedded in C++');
check(typeof doc === "object" && doc !== null && !Array.isArray(doc), "the document is not a JSON object");
check(/^3\.0\.\d+$/.test(doc.openapi ?? ""), `openapi is ${JSON.stringify(doc.openapi)}, not 3.0.x`);
check(typeof doc.info?.title === "string" && typeof doc.info?.version === "string",
      "info.title and info.version must be strings");
check(typeof doc.paths === "object" && doc.paths !== null, "paths is missing");

// JSON pointer lookup for local $refs.
function resolvePointer(ref) {
  if (typeof ref !== "string" || !ref.startsWith("#/")) return undefined;
  let node = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}
// Follows $ref chains (for parameters, responses, request bodies).
function deref(node) {
  for (let i = 0; node && typeof node === "object" && "$ref" in node; i++) {
    if (i > 20) return undefined;
    node = resolvePointer(node.$ref);
  }
  return node;
}

// Every $ref anywhere must resolve inside the document.
(function walk(node, where) {
  if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${where}/${i}`));
  if (node === null || typeof node !== "object") return;
  for (const [k, v] of Object.entries(node)) {
    if (k === "$ref") {
      check(resolvePointer(v) !== undefined, `$ref ${JSON.stringify(v)} at ${where} does not resolve`);
    } else {
      walk(v, `${where}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    }
  }
})(doc, "#");

const schemes = doc.components?.securitySchemes ?? {};
for (const [name, s] of Object.entries(schemes)) {
  check(["apiKey", "http", "oauth2", "openIdConnect"].includes(s.type), `securityScheme ${name} has type ${s.type}`);
}
const globalSecurity = doc.security ?? [];
const checkSecurity = (reqs, where) => {
  for (const req of reqs) {
    for (const name of Object.keys(req)) check(name in schemes, `${where}: security scheme ${name} is not defined`);
  }
};
checkSecurity(globalSecurity, "security");

const operations = []; // {method, path, op}
const operationIds = new Set();
for (const [path, item] of Object.entries(doc.paths ?? {})) {
  check(path.startsWith("/"), `path ${path} does not start with /`);
  const templateParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const pathLevel = (item.parameters ?? []).map((p) => deref(p));
  for (const method of Object.keys(item)) {
    if (["parameters", "summary", "description", "servers"].includes(method) || method.startsWith("x-")) continue;
    if (!check(METHODS.includes(method), `${path}: ${method} is not an HTTP method`)) continue;
    const op = item[method];
    const where = `${method.toUpperCase()} ${path}`;
    operations.push({ method, path, op, where });

    if (op.operationId !== undefined) {
      check(!operationIds.has(op.operationId), `${where}: operationId ${op.operationId} is used twice`);
      operationIds.add(op.operationId);
    }
    const responses = op.responses ?? {};
    check(Object.keys(responses).length > 0, `${where}: has no responses`);
    for (const [code, r] of Object.entries(responses)) {
      check(/^([1-5][0-9][0-9]|[1-5]XX|default)$/.test(code), `${where}: response key ${code} is not a status`);
      const resolved = deref(r);
      check(typeof resolved?.description === "string", `${where}: response ${code} has no description`);
    }
    check(Object.keys(responses).some((c) => /^[23]/.test(c)), `${where}: has no success response`);

    check(typeof op["x-permission"] === "string" && op["x-permission"] !== "", `${where}: has no x-permission`);
    check(Array.isArray(op["x-roles"]) && op["x-roles"].length > 0 && op["x-roles"].every((r) => typeof r === "string"),
          `${where}: x-roles is not a non-empty list of role names`);

    const params = [...pathLevel, ...(op.parameters ?? []).map((p) => deref(p))];
    const seen = new Set();
    for (const p of params) {
      if (!check(p && typeof p.name === "string", `${where}: a parameter does not resolve or has no name`)) continue;
      check(["query", "header", "path", "cookie"].includes(p.in), `${where}: parameter ${p.name} has in=${p.in}`);
      check("schema" in p || "content" in p, `${where}: parameter ${p.name} has neither schema nor content`);
      check(!seen.has(`${p.in}:${p.name}`), `${where}: parameter ${p.name} is declared twice`);
      seen.add(`${p.in}:${p.name}`);
      if (p.in === "path") {
        check(p.required === true, `${where}: path parameter ${p.name} is not required: true`);
        check(templateParams.includes(p.name), `${where}: path parameter ${p.name} is not in the path`);
      }
    }
    for (const t of templateParams) check(seen.has(`path:${t}`), `${where}: {${t}} is not declared as a parameter`);

    if (op.requestBody) {
      const body = deref(op.requestBody);
      check(body && typeof body.content === "object" && Object.keys(body.content).length > 0,
            `${where}: requestBody has no content`);
    }
    const security = op.security ?? globalSecurity;
    checkSecurity(security, where);
    const isPublic = op["x-permission"] === "public";
    const needsSession = security.length > 0 && security.every((req) => Object.keys(req).length > 0);
    check(isPublic ? !needsSession : needsSession,
          `${where}: x-permission ${op["x-permission"]} but security ${isPublic ? "requires" : "does not require"} a session`);
    if (!isPublic) check("401" in responses, `${where}: needs a session but documents no 401`);
    if (!isPublic && STATE_CHANGING.has(method)) {
      check(params.some((p) => p?.in === "header" && p.name.toLowerCase() === "x-csrf-token" && p.required === true),
            `${where}: changes state but does not require the X-CSRF-Token header`);
      check("403" in responses, `${where}: changes state but documents no 403 (CSRF)`);
    }
  }
}

// Examples must fit their schemas: those of media types and parameters, and of component schemas.
(function walkExamples(node, where) {
  if (node === null || typeof node !== "object") return;
  if (!Array.isArray(node) && "schema" in node && "example" in node) {
    const errors = [];
    validate(node.schema, node.example, "example", errors);
    check(errors.length === 0, `${where}: the example does not fit the schema: ${errors.slice(0, 3).join("; ")}`);
  }
  for (const [k, v] of Object.entries(node)) walkExamples(v, `${where}/${k}`);
})(doc, "#");
for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
  if (!("example" in schema)) continue;
  const errors = [];
  validate(schema, schema.example, "example", errors);
  check(errors.length === 0, `components/schemas/${name}: the example does not fit: ${errors.slice(0, 3).join("; ")}`);
}

// ---- The document against the code -----------------------------------------------------------

function read(path) {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    fatal(`cannot read ${path}: ${e.message}`);
  }
}
// The route table: every router_.Add in the route files src/kclinic/http/api*.cc (api.cc,
// api_care.cc, api_screening.cc, ...).
const apiFiles = readdirSync(httpDir).filter((f) => /^api.*\.cc$/.test(f) && !f.endsWith("_test.cc")).sort();
const routes = apiFiles.flatMap((f) =>
  [...read(httpDir + f).matchAll(/router_\.Add\(\s*\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*Permission::(k\w+)/g)]
    .map((m) => ({ method: m[1].toLowerCase(), path: m[2], permission: m[3], file: f })));
if (routes.length === 0) fatal(`found no router_.Add({"METHOD", "/path", Permission::kX entries in ${httpDir}api*.cc`);

const accessSource = read(accessPath);
const permissionNames = Object.fromEntries(
  [...accessSource.matchAll(/case Permission::(k\w+):\s*return "([^"]+)"/g)].map((m) => [m[1], m[2]]));
const roleNames = Object.fromEntries(
  [...accessSource.matchAll(/case Role::(k\w+):\s*return "([^"]+)"/g)].map((m) => [m[1], m[2]]));
const grants = Object.fromEntries(
  [...accessSource.matchAll(/\{\s*Permission::(k\w+)\s*,\s*\{([^}]*)\}\s*\}/g)].map((m) => [
    m[1],
    m[2].split(",").map((r) => r.trim().replace(/^Role::/, "")).filter(Boolean).map((r) => roleNames[r] ?? `?${r}`),
  ]));
if (!Object.keys(permissionNames).length || !Object.keys(roleNames).length || !Object.keys(grants).length) {
  fatal(`cannot read the permission names, role names or grant table from ${accessPath}`);
}

const key = (method, path) => `${method.toUpperCase()} ${path}`;
const documented = new Map(operations.map((o) => [key(o.method, o.path), o]));
const inTable = new Map(routes.map((r) => [key(r.method, r.path), r]));
for (const [k, r] of inTable) {
  const o = documented.get(k);
  if (!check(o, `${k} is in the route table (${r.file}) but not in openapi.json`)) continue;
  const name = permissionNames[r.permission];
  check(name !== undefined, `${k}: Permission::${r.permission} has no name in access.cc`);
  check(o.op["x-permission"] === name, `${k}: x-permission is ${o.op["x-permission"]}, the route table says ${name}`);
  const want = [...(grants[r.permission] ?? [])].sort();
  const have = [...(o.op["x-roles"] ?? [])].sort();
  check(JSON.stringify(want) === JSON.stringify(have),
        `${k}: x-roles is [${have}], access.cc grants ${name} to [${want}]`);
}
for (const k of documented.keys()) check(inTable.has(k), `${k} is in openapi.json but not in the route table (src/kclinic/http/api*.cc)`);

// ---- The document against a running server ----------------------------------------------------

// A small JSON Schema (OpenAPI 3.0 dialect) validator: enough for this document's own schemas.
function validate(schema, value, at, errors) {
  schema = deref(schema);
  if (!schema) return errors.push(`${at}: schema does not resolve`);
  if (value === null) {
    if (schema.nullable) return;
    if (schema.allOf && schema.allOf.some((s) => deref(s)?.nullable)) return;
  }
  for (const sub of schema.allOf ?? []) validate(sub, value, at, errors);
  if (schema.oneOf || schema.anyOf) {
    const options = schema.oneOf ?? schema.anyOf;
    const fits = options.filter((s) => { const e = []; validate(s, value, at, e); return e.length === 0; }).length;
    if (schema.oneOf ? fits !== 1 : fits === 0) errors.push(`${at}: fits ${fits} of the ${schema.oneOf ? "oneOf" : "anyOf"} options`);
  }
  const type = schema.type;
  const actual = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  if (type) {
    const fits = type === "integer" ? Number.isInteger(value) : type === "number" ? actual === "number" : actual === type;
    if (!fits) return errors.push(`${at}: is ${JSON.stringify(value)?.slice(0, 60)}, expected ${type}${schema.nullable ? " or null" : ""}`);
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`);
  if (actual === "string") {
    const len = [...value].length;
    if (schema.minLength !== undefined && len < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && len > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    if (schema.format === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(value)) errors.push(`${at}: ${JSON.stringify(value)} is not a date`);
    if (schema.format === "date-time" && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) errors.push(`${at}: ${JSON.stringify(value)} is not a date-time`);
  }
  if (actual === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: ${value} is below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: ${value} is above ${schema.maximum}`);
  }
  if (actual === "array") {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((v, i) => validate(schema.items, v, `${at}[${i}]`, errors));
  }
  if (actual === "object") {
    for (const r of schema.required ?? []) if (!(r in value)) errors.push(`${at}: lacks required member ${r}`);
    const props = schema.properties ?? {};
    for (const [k, v] of Object.entries(value)) {
      if (k in props) validate(props[k], v, `${at}.${k}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${at}: has undocumented member ${k}`);
      else if (typeof schema.additionalProperties === "object") validate(schema.additionalProperties, v, `${at}.${k}`, errors);
    }
    if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties) errors.push(`${at}: too many members`);
  }
}

async function live(base, logins) {
  base = base.replace(/\/+$/, "");
  const call = async (method, path, { headers = {}, body } = {}) => {
    const init = { method, headers: { ...headers }, redirect: "manual", signal: AbortSignal.timeout(10000) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["content-type"] = "application/json";
    }
    let res;
    try {
      res = await fetch(base + path, init);
    } catch (e) {
      fatal(`cannot reach ${base}${path}: ${e.cause?.message ?? e.message}`);
    }
    const raw = await res.text();
    let json;
    try { json = raw ? JSON.parse(raw) : undefined; } catch { json = undefined; }
    return { status: res.status, headers: res.headers, raw, json };
  };

  // The served document is the file.
  const served = await call("GET", "/api/v1/openapi.json");
  check(served.status === 200, `GET ${base}/api/v1/openapi.json answered ${served.status}`);
  if (served.raw !== text) {
    const sameContent = served.json !== undefined && JSON.stringify(served.json) === JSON.stringify(doc);
    check(false, sameContent
      ? "the served /api/v1/openapi.json has the file's content but not its exact bytes"
      : "the served /api/v1/openapi.json differs from src/kclinic/http/openapi.json (rebuild the server: cmake --build --preset release)");
  } else {
    check(true);
  }

  // Checks an answer against the operation's documented responses.
  const conforms = (o, res, what) => {
    const documentedStatus = String(res.status) in o.op.responses;
    if (!check(documentedStatus, `${what}: answered ${res.status}, which ${o.where} does not document (${res.raw.slice(0, 160)})`)) return;
    const r = deref(o.op.responses[String(res.status)]);
    const media = r.content ? Object.keys(r.content) : [];
    const type = (res.headers.get("content-type") ?? "").split(";")[0].trim();
    if (media.length === 0) return check(res.raw === "", `${what}: ${res.status} should have no body`);
    if (!check(media.includes(type), `${what}: content-type ${type}, documented ${media.join(", ")}`)) return;
    if (type !== "application/json") return;
    const errors = [];
    validate(r.content[type].schema, res.json, "body", errors);
    check(errors.length === 0, `${what}: the ${res.status} body does not fit the schema: ${errors.slice(0, 5).join("; ")}`);
  };
  const fill = (path, id) => path.replace(/\{[^}]+\}/g, id);

  // Each path: a method it lacks gets 405 and an Allow header listing exactly the documented ones.
  const errorSchema = { $ref: "#/components/schemas/Error" };
  for (const [path, item] of Object.entries(doc.paths)) {
    const methods = Object.keys(item).filter((m) => METHODS.includes(m));
    const probe = ["DELETE", "PUT", "OPTIONS", "TRACE"].find((m) => !methods.includes(m.toLowerCase()));
    const res = await call(probe, fill(path, "0".repeat(32)));
    const what = `${probe} ${path}`;
    if (!check(res.status === 405, `${what}: answered ${res.status}, expected 405 (is the path served at all?)`)) continue;
    const allow = (res.headers.get("allow") ?? "").split(",").map((m) => m.trim().toLowerCase()).filter(Boolean).sort();
    check(JSON.stringify(allow) === JSON.stringify([...methods].sort()),
          `${what}: Allow is [${allow}], the document has [${[...methods].sort()}]`);
    const errors = [];
    validate(errorSchema, res.json, "body", errors);
    check(errors.length === 0 && res.json?.error?.code === "method_not_allowed", `${what}: 405 body is not a method_not_allowed Error`);
  }

  // Without a session: protected operations answer 401; public GETs answer as documented.
  for (const o of operations) {
    const isPublic = o.op["x-permission"] === "public";
    if (isPublic && o.method !== "get") continue; // login needs credentials; see below
    const res = await call(o.method.toUpperCase(), fill(o.path, "0".repeat(32)),
                           o.op.requestBody && !isPublic ? { body: {} } : {});
    const what = `${o.where} without a session`;
    if (!isPublic) check(res.status === 401, `${what}: answered ${res.status}, expected 401`);
    conforms(o, res, what);
  }

  const answered200 = new Map(); // operation → whether any login got a 200 (for routes with a 412)
  for (const login of logins) await loggedIn(login);
  for (const [where, ok] of answered200) {
    check(ok, `${where}: answered 412 to every login and patient tried, never 200 (the 200 schema went unchecked)`);
  }

  // Logged in: every GET the user may make, and a few answers that change nothing.
  async function loggedIn(login) {
    const op = (method, path) => documented.get(key(method, path));
    const sep = login.indexOf(":");
    const username = login.slice(0, sep), password = login.slice(sep + 1);
    const res = await call("POST", "/api/v1/auth/login", { body: { username, password } });
    conforms(op("post", "/api/v1/auth/login"), res, `login as ${username}`);
    if (!check(res.status === 200, `login as ${username} answered ${res.status}: ${res.raw.slice(0, 160)}`)) return;
    const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).find((c) => c.startsWith("kclinic_session="));
    if (!check(cookie, "login set no kclinic_session cookie")) return;
    const csrf = res.json.csrf_token;
    const role = res.json.user.role;
    const as = (method, path, opts = {}) => call(method, path, { ...opts, headers: { cookie, ...(opts.headers ?? {}) } });

    let patientId = res.json.user.patient_id ?? "0".repeat(32);
    const list = await as("GET", "/api/v1/patients?limit=1");
    if (list.status === 200 && list.json.items.length) patientId = list.json.items[0].id;
    if (list.json?.next_cursor) {
      const next = await as("GET", `/api/v1/patients?limit=1&cursor=${list.json.next_cursor}`);
      conforms(op("get", "/api/v1/patients"), next, "GET /api/v1/patients with a cursor");
      check(next.status !== 200 || next.json.items[0]?.id !== patientId, "the next page repeats the first");
    }
    // Patients to read per-patient GETs for: the first of the list, and (where the role may list
    // them) one with an overdue questionnaire and one with a safety alert, who have treatment data.
    const patientIds = [patientId];
    const overdue = await as("GET", "/api/v1/questionnaires/overdue");
    if (overdue.status === 200 && overdue.json?.items?.length) patientIds.push(overdue.json.items[0].patient.id);
    const alerts = await as("GET", "/api/v1/alerts?status=all");
    if (alerts.status === 200 && alerts.json?.alerts?.length) patientIds.push(alerts.json.alerts[0].patient.id);
    // Path parameters that are not patient ids: a real id from a listing (where the role may read
    // it; a role that may not gets 403 whatever the id).
    const lots = await as("GET", "/api/v1/ledger/lots");
    const otherIds = { lot_id: lots.status === 200 ? lots.json?.lots?.[0]?.id : undefined };
    const sessions = await as("GET", "/api/v1/infusion-sessions");
    otherIds.session_id = sessions.status === 200 ? sessions.json?.sessions?.[0]?.id : undefined;
    const calendar = await as("GET", "/api/v1/schedule/calendar");
    otherIds.appointment_id = calendar.status === 200 ? calendar.json?.appointments?.[0]?.id : undefined;
    for (const o of operations) {
      if (o.method !== "get" || o.op["x-permission"] === "public") continue;
      // Each documented enum value of a query parameter, besides no query at all.
      const queries = [""];
      for (const p of [...(doc.paths[o.path].parameters ?? []), ...(o.op.parameters ?? [])].map((p) => deref(p))) {
        if (p?.in === "query" && Array.isArray(p.schema?.enum)) {
          for (const v of p.schema.enum) queries.push(`?${encodeURIComponent(p.name)}=${encodeURIComponent(v)}`);
        }
      }
      const other = Object.keys(otherIds).find((p) => o.path.includes(`{${p}}`));
      const ids = other ? [otherIds[other] ?? "0".repeat(32)] : o.path.includes("{") ? [...new Set(patientIds)] : [patientId];
      // A route that documents 412 (e.g. a titration suggestion for a patient without infusions)
      // may answer it for a patient; over all the logins it must answer 200 at least once.
      const may412 = "412" in o.op.responses;
      const allowed = o.op["x-roles"].includes(role);
      for (const id of ids) {
        for (const q of queries) {
          const r = await as("GET", fill(o.path, id) + q);
          const what = `${o.where}${q} as ${role}${ids.length > 1 ? ` (patient ${id})` : ""}`;
          if (allowed && may412) {
            if (!answered200.has(o.where)) answered200.set(o.where, false);
            if (r.status === 200) answered200.set(o.where, true);
          }
          check(allowed ? r.status === 200 || (may412 && r.status === 412) : r.status === 403,
                `${what}: answered ${r.status}, expected ${allowed ? (may412 ? "200 or 412" : 200) : 403}`);
          conforms(o, r, what);
        }
      }
    }
    const bad = await as("GET", "/api/v1/patients?limit=0");
    conforms(op("get", "/api/v1/patients"), bad, "GET /api/v1/patients?limit=0");
    const noCsrf = await as("PATCH", `/api/v1/patients/${patientId}`, { body: {} });
    check(noCsrf.status === 403 && noCsrf.json?.error?.field === "X-CSRF-Token", `PATCH without X-CSRF-Token answered ${noCsrf.status}`);
    conforms(op("patch", "/api/v1/patients/{id}"), noCsrf, "PATCH without X-CSRF-Token");
    const patch = op("patch", "/api/v1/patients/{id}");
    const unknown = await as("PATCH", `/api/v1/patients/${patientId}`, { headers: { "x-csrf-token": csrf }, body: { not_a_field: 1 } });
    const mayPatch = patch.op["x-roles"].includes(role);
    check(mayPatch ? unknown.status === 400 && unknown.json?.error?.field === "not_a_field" : unknown.status === 403,
          `PATCH with an unknown member as ${role} answered ${unknown.status} ${unknown.raw.slice(0, 160)}`);
    conforms(patch, unknown, "PATCH with an unknown member");
    const out = await as("POST", "/api/v1/auth/logout", { headers: { "x-csrf-token": csrf } });
    check(out.status === 204, `logout answered ${out.status}`);
    conforms(op("post", "/api/v1/auth/logout"), out, "logout");
    const after = await as("GET", "/api/v1/auth/me");
    check(after.status === 401, `GET /api/v1/auth/me after logout answered ${after.status}`);
  }
}

if (process.argv[2]) await live(process.argv[2], process.argv.slice(3));
finish();
