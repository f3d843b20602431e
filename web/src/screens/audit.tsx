// The audit trail (administrator): who did what to which record, when. Filter by person, kind of
// action, patient and the clinic's days; page back through older events; download the same
// selection as a CSV file. The filters live in the address (#/audit?actor=…), so a filtered view
// can be bookmarked or sent to a colleague without a patient's name in it.

import { useState } from "preact/hooks";
import { api } from "../api";
import { useResource } from "../data";
import type { AuditEvent } from "../types";
import { ROLE_LABELS } from "../access";
import { Banner } from "../components/messages";
import { dateTime } from "../format";
import { navigate } from "../router";

/** The kinds of action a reviewer filters by, by the start of their codes. */
const ACTION_GROUPS: [string, string][] = [
  ["", "Any action"],
  ["auth.", "Logins and logouts"],
  ["user.", "Account changes"],
  ["patient.", "Patient records"],
  ["intake.", "Intake"],
  ["screening.", "Screening"],
  ["assessment.", "Rating scales"],
  ["session.", "Sessions"],
  ["ledger.", "Controlled-substance ledger"],
  ["schedule.", "Scheduling"],
  ["settings.", "Settings"],
  ["audit.", "Audit trail reads"],
];

/** An action code as a person reads it: "auth.totp_reset" → "Auth: totp reset". */
export function actionLabel(code: string): string {
  const known: Record<string, string> = {
    "auth.login": "Login",
    "auth.logout": "Logout",
    "auth.reauthenticate": "Password asked again",
    "auth.totp_enroll": "Two-step login set up",
    "auth.totp_confirm": "Two-step login turned on",
    "auth.totp_remove": "Two-step login turned off",
    "auth.password_change": "Password changed",
    "user.create": "Account added",
    "user.list": "Accounts listed",
    "user.unlock": "Account unlocked",
    "user.totp_reset": "Two-step login reset",
    "audit.read": "Audit trail read",
    "audit.export": "Audit trail exported",
    "request.replay": "Repeated request answered again",
  };
  if (known[code]) return known[code];
  const [area, ...rest] = code.split(".");
  const what = rest.join(" ").replace(/_/g, " ");
  const head = area.replace(/_/g, " ");
  return what ? `${head[0].toUpperCase()}${head.slice(1)}: ${what}` : head;
}

const OUTCOMES: Record<string, string> = { success: "Done", failure: "Failed", denied: "Refused" };

/** The event's detail with ids and time stamps in words: user ids as usernames, instants in the clinic's zone. */
function detailText(detail: string, usernames: Map<string, string>): string {
  return detail
    .replace(/\b[0-9a-f]{32}\b/g, (id) => usernames.get(id) ?? "(a record)")
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, (iso) => dateTime(iso))
    .replace(/\b([a-z]+)_([a-z_]+)=/g, (_m, a: string, b: string) => `${a} ${b.replace(/_/g, " ")}=`);
}

function Row({ e, usernames, onPatient }: { e: AuditEvent; usernames: Map<string, string>; onPatient: (id: string) => void }) {
  return (
    <tr data-testid="audit-row" data-action={e.action} data-outcome={e.outcome}>
      <td class="nowrap">{dateTime(e.at)}</td>
      <td>
        {e.actor ?? "Not logged in"}
        <span class="muted"> · {ROLE_LABELS[e.actor_role] ?? (e.actor_role === "anonymous" ? "anyone" : e.actor_role)}</span>
      </td>
      <td>{actionLabel(e.action)}</td>
      <td>
        <span class={`badge audit-outcome-${e.outcome}`}>{OUTCOMES[e.outcome] ?? e.outcome}</span>
      </td>
      <td>
        {e.patient_id ? (
          <button type="button" class="link-button" onClick={() => onPatient(e.patient_id)} data-testid="audit-patient" title="Only this patient">
            {e.patient_name || "(a patient)"}
          </button>
        ) : (
          ""
        )}
      </td>
      <td class="muted audit-detail">{detailText(e.detail, usernames)}</td>
    </tr>
  );
}

export function AuditScreen({ query }: { query: string }) {
  const filters = new URLSearchParams(query);
  const [actor, setActor] = useState(filters.get("actor") ?? "");
  const [action, setAction] = useState(filters.get("action") ?? "");
  const [from, setFrom] = useState(filters.get("from") ?? "");
  const [to, setTo] = useState(filters.get("to") ?? "");
  const patient = filters.get("patient_id") ?? "";
  const [pages, setPages] = useState<number[]>([]); // the `before` cursors of the pages shown after the first
  const users = useResource(() => api.listUsers(), []);
  const usernames = new Map((users.data?.items ?? []).map((u) => [u.id, u.username] as [string, string]));
  const before = pages[pages.length - 1];
  const page = useResource(
    () => {
      const p = new URLSearchParams(filters);
      p.set("limit", "50");
      if (before) p.set("before", String(before));
      return api.audit(p);
    },
    [query, before],
  );

  const apply = (changes: Record<string, string>) => {
    const p = new URLSearchParams(filters);
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    const qs = p.toString();
    navigate(qs ? `#/audit?${qs}` : "#/audit");
  };
  const submit = (e: Event) => {
    e.preventDefault();
    apply({ actor, action, from, to });
  };
  const exportParams = new URLSearchParams(filters);
  const patientName = patient ? page.data?.items.find((e) => e.patient_id === patient)?.patient_name : undefined;

  return (
    <section aria-labelledby="audit-title" data-testid="audit">
      <h1 id="audit-title">Audit trail</h1>
      <form class="card inline-form" onSubmit={submit} noValidate data-testid="audit-filters">
        <div class="field">
          <label for="audit-actor">Who</label>
          <select id="audit-actor" value={actor} onChange={(e) => setActor((e.currentTarget as HTMLSelectElement).value)} data-testid="audit-actor">
            <option value="">Anyone</option>
            {(users.data?.items ?? []).map((u) => (
              <option key={u.id} value={u.username}>
                {u.username}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="audit-action">What</label>
          <select id="audit-action" value={action} onChange={(e) => setAction((e.currentTarget as HTMLSelectElement).value)} data-testid="audit-action">
            {ACTION_GROUPS.map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="audit-from">From</label>
          <input id="audit-from" type="date" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} data-testid="audit-from" />
        </div>
        <div class="field">
          <label for="audit-to">To</label>
          <input id="audit-to" type="date" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} data-testid="audit-to" />
        </div>
        <div class="actions">
          <button type="submit" class="btn btn-primary" data-testid="audit-apply">
            Show
          </button>
          <a class="btn" href={`/api/v1/audit/export?${exportParams}`} download="kclinic-audit.csv" data-testid="audit-export">
            Download CSV
          </a>
        </div>
      </form>
      {patient && (
        <p data-testid="audit-patient-filter">
          Only events about {patientName || "one patient"}.{" "}
          <button type="button" class="link-button" onClick={() => apply({ patient_id: "" })} data-testid="audit-patient-clear">
            Show every patient
          </button>
        </p>
      )}
      {page.errorText && (
        <Banner kind="error" testid="audit-error">
          {page.errorText}
        </Banner>
      )}
      {!page.data && !page.errorText && <p class="muted">Loading…</p>}
      {page.data && page.data.items.length === 0 && (
        <p class="card muted" data-testid="audit-empty">
          No events match.
        </p>
      )}
      {page.data && page.data.items.length > 0 && (
        <div class="table-scroll">
          <table class="table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Outcome</th>
                <th scope="col">Patient</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((e) => (
                <Row key={e.seq} e={e} usernames={usernames} onPatient={(id) => apply({ patient_id: id })} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="actions">
        {pages.length > 0 && (
          <button type="button" class="btn" onClick={() => setPages(pages.slice(0, -1))} data-testid="audit-newer">
            Newer
          </button>
        )}
        {page.data?.next_before && (
          <button type="button" class="btn" onClick={() => setPages([...pages, page.data!.next_before!])} data-testid="audit-older">
            Older
          </button>
        )}
      </div>
    </section>
  );
}
