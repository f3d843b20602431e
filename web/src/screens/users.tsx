// Accounts (administrator): who can log in, in which role, with two-step login or not, and who is
// locked out. Unlock an account, or reset a lost phone's second factor, each with the reason (the
// audit trail keeps it with who and when); add a staff account.

import { useState } from "preact/hooks";
import { api } from "../api";
import { useMutation, useResource } from "../data";
import type { User, UserListItem } from "../types";
import { ROLE_LABELS } from "../access";
import { Banner } from "../components/messages";
import { Field, FormBanner, SubmitButton } from "../components/form";

type Action = { kind: "unlock" | "reset"; account: UserListItem };

const ACTION_TEXT = {
  unlock: {
    title: (u: string) => `Unlock ${u}`,
    explain: "Lifts the lockout now, for every place she logs in from. Check first that she is the one asking.",
    submit: "Unlock",
    done: (u: string) => `${u} is unlocked and can log in again.`,
  },
  reset: {
    title: (u: string) => `Reset two-step login for ${u}`,
    explain:
      "For a lost or replaced phone: two-step login goes off and she is logged out everywhere. She logs in with her password and sets up the new phone on her Security page.",
    submit: "Reset two-step login",
    done: (u: string) => `Two-step login is off for ${u}; she has been logged out everywhere.`,
  },
} as const;

function ActionForm({ action, onDone, onCancel }: { action: Action; onDone: (message: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState("");
  const m = useMutation();
  const text = ACTION_TEXT[action.kind];
  const submit = async (e: Event) => {
    e.preventDefault();
    const id = action.account.id;
    const ok = await m.run(() => (action.kind === "unlock" ? api.unlockUser(id, reason) : api.resetUserTotp(id, reason)));
    if (ok) onDone(text.done(action.account.username));
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="account-action-title" data-testid="account-action">
      <h2 id="account-action-title">{text.title(action.account.username)}</h2>
      <p class="hint">{text.explain}</p>
      <FormBanner message={m.general(["reason"])} testid="account-action-error" />
      <Field id="account-reason" label="Reason" error={m.errorFor("reason")} hint="Who asked and how you checked. Kept in the audit trail." wide>
        {(d, inv) => (
          <textarea
            id="account-reason"
            rows={2}
            maxLength={500}
            value={reason}
            onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
            aria-invalid={inv || undefined}
            aria-describedby={d}
            data-testid="account-reason"
          />
        )}
      </Field>
      <div class="actions">
        <SubmitButton pending={m.pending} disabled={!reason.trim()} testid="account-action-submit">
          {text.submit}
        </SubmitButton>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const STAFF_ROLES = ["prescriber", "nurse", "front_desk", "admin"] as const;

function NewAccount({ onCreated }: { onCreated: (username: string) => void }) {
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<(typeof STAFF_ROLES)[number]>("nurse");
  const [password, setPassword] = useState("");
  const m = useMutation();
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await m.run(() => api.createUser({ username: username.trim(), role, password }));
    if (ok) {
      onCreated(username.trim());
      setUsername("");
      setPassword("");
    }
  };
  return (
    <section class="card" aria-labelledby="new-account-title" data-testid="new-account">
      <h2 id="new-account-title">Add a staff account</h2>
      <form class="stack-form" onSubmit={submit} noValidate>
        <FormBanner message={m.general(["username", "role", "password"])} testid="new-account-error" />
        <Field id="new-username" label="Username" error={m.errorFor("username")} hint="Lower-case letters, digits and . _ - (for example nurse.kim).">
          {(d, inv) => (
            <input
              id="new-username"
              autocomplete="off"
              value={username}
              onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
              aria-invalid={inv || undefined}
              aria-describedby={d}
              data-testid="new-username"
            />
          )}
        </Field>
        <Field id="new-role" label="Role" error={m.errorFor("role")}>
          {(d, inv) => (
            <select
              id="new-role"
              value={role}
              onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as (typeof STAFF_ROLES)[number])}
              aria-invalid={inv || undefined}
              aria-describedby={d}
              data-testid="new-role"
            >
              {STAFF_ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="new-password" label="First password" error={m.errorFor("password")} hint="At least 12 characters; give it to her in person. She can change it on her Security page.">
          {(d, inv) => (
            <input
              id="new-password"
              type="password"
              autocomplete="new-password"
              value={password}
              onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
              aria-invalid={inv || undefined}
              aria-describedby={d}
              data-testid="new-password"
            />
          )}
        </Field>
        <div class="actions">
          <SubmitButton pending={m.pending} disabled={!username.trim() || !password} testid="new-account-submit">
            Add account
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}

export function UsersScreen({ user }: { user: User }) {
  const list = useResource(() => api.listUsers(), []);
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const accounts = list.data?.items ?? [];
  const finish = (message: string) => {
    setAction(null);
    setDone(message);
    list.reload();
  };
  return (
    <section aria-labelledby="users-title" data-testid="users">
      <h1 id="users-title">Accounts</h1>
      {list.errorText && (
        <Banner kind="error" testid="users-error">
          {list.errorText}
        </Banner>
      )}
      {done && (
        <Banner kind="success" testid="users-done">
          {done}
        </Banner>
      )}
      {action && <ActionForm key={`${action.kind}-${action.account.id}`} action={action} onDone={finish} onCancel={() => setAction(null)} />}
      <section class="card" aria-labelledby="accounts-title">
        <h2 id="accounts-title">Who can log in</h2>
        {!list.data && !list.errorText && <p class="muted">Loading…</p>}
        {list.data && (
          <div class="table-scroll">
            <table class="table" data-testid="users-table">
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Role</th>
                  <th scope="col">Two-step login</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((a) => (
                  <tr key={a.id} data-testid="user-row" data-username={a.username}>
                    <td class="name-cell">
                      {a.username}
                      {a.id === user.id && <span class="muted"> (you)</span>}
                    </td>
                    <td>{ROLE_LABELS[a.role] ?? a.role}</td>
                    <td data-testid="user-totp">{a.totp_enabled ? "On" : "Off"}</td>
                    <td>
                      {a.locked ? (
                        <span class="badge badge-warn" data-testid="user-locked">
                          Locked
                        </span>
                      ) : (
                        <span data-testid="user-active">Active</span>
                      )}
                    </td>
                    <td class="nowrap">
                      {a.locked && (
                        <button type="button" class="btn btn-small" onClick={() => (setDone(null), setAction({ kind: "unlock", account: a }))} data-testid="user-unlock">
                          Unlock
                        </button>
                      )}{" "}
                      {a.totp_enabled && a.id !== user.id && (
                        <button type="button" class="btn btn-small" onClick={() => (setDone(null), setAction({ kind: "reset", account: a }))} data-testid="user-reset-totp">
                          Reset two-step
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <NewAccount onCreated={(u) => finish(`${u} can now log in with the first password you gave.`)} />
    </section>
  );
}
