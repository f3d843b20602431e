// Security: the logged-in account's own credentials. Turn the second factor (TOTP) on or off and
// change the password; each asks for the password again, and each ends the account's other
// sessions (the server does both).

import { useState } from "preact/hooks";
import { api } from "../api";
import { useMutation } from "../data";
import type { TotpEnrollment, User } from "../types";
import { Banner } from "../components/messages";
import { Field, FormBanner, SubmitButton } from "../components/form";
import { fieldMessage } from "../format";

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to type into a phone. */
function groups(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

const OTHER_SESSIONS = "You stay logged in here; every other device logged in to this account has been logged out.";

/** A password box with the browser's own hints for what it holds. */
function PasswordInput({
  id,
  value,
  onInput,
  describedBy,
  invalid,
  autocomplete,
  testid,
}: {
  id: string;
  value: string;
  onInput: (v: string) => void;
  describedBy: string | undefined;
  invalid: boolean;
  autocomplete: "current-password" | "new-password";
  testid: string;
}) {
  return (
    <input
      id={id}
      type="password"
      autocomplete={autocomplete}
      value={value}
      onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      data-testid={testid}
    />
  );
}

function CodeInput({
  id,
  value,
  onInput,
  describedBy,
  invalid,
  testid,
}: {
  id: string;
  value: string;
  onInput: (v: string) => void;
  describedBy: string | undefined;
  invalid: boolean;
  testid: string;
}) {
  return (
    <input
      id={id}
      inputMode="numeric"
      autocomplete="one-time-code"
      maxLength={8}
      value={value}
      onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      data-testid={testid}
    />
  );
}

function TwoStep({ user, onUserChange }: { user: User; onUserChange: (u: User) => void }) {
  const [asking, setAsking] = useState<"enrol" | "remove" | null>(null);
  const [password, setPassword] = useState("");
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [code, setCode] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const enrol = useMutation();
  const confirmation = useMutation();
  const removal = useMutation();
  const busy = enrol.pending || confirmation.pending || removal.pending;
  const codeErr = confirmation.error?.field === "code" ? confirmation.error : null;
  const codeError = codeErr ? fieldMessage("The code", codeErr.message) : undefined;

  const reset = () => {
    setAsking(null);
    setPassword("");
    setCode("");
    enrol.clear();
    confirmation.clear();
    removal.clear();
  };

  const start = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    await enrol.run(async () => {
      setEnrollment(await api.totpEnroll(password));
      setPassword("");
      setCode("");
      setAsking(null);
    });
  };

  const confirm = async (e: Event) => {
    e.preventDefault();
    await confirmation.run(async () => {
      await api.totpConfirm(code.replace(/\s+/g, ""));
      setDone(`Two-step login is on. From now on you will be asked for a one-time code when you log in. ${OTHER_SESSIONS}`);
      setEnrollment(null);
      setCode("");
      onUserChange({ ...user, totp_enabled: true });
    });
  };

  const remove = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    await removal.run(async () => {
      await api.totpRemove(password, code.replace(/\s+/g, ""));
      setDone(`Two-step login is off. ${OTHER_SESSIONS}`);
      reset();
      onUserChange({ ...user, totp_enabled: false });
    });
  };

  return (
    <section class="card" aria-labelledby="totp-title" data-testid="totp">
      <h2 id="totp-title">Two-step login</h2>
      {done && (
        <Banner kind="success" testid="totp-done">
          {done}
        </Banner>
      )}
      <p data-testid="totp-status">
        {user.totp_enabled
          ? "Two-step login is on for this account."
          : "Two-step login is off. Turn it on so that a stolen password alone cannot open this account."}
      </p>
      {!user.totp_enabled && !enrollment && asking !== "enrol" && (
        <button type="button" class="btn btn-primary" onClick={() => (reset(), setAsking("enrol"))} disabled={busy} data-testid="totp-start">
          Set up an authenticator app
        </button>
      )}
      {asking === "enrol" && (
        <form onSubmit={start} class="stack-form" noValidate data-testid="totp-password-form">
          <FormBanner message={enrol.general(["password"])} testid="totp-error" />
          <Field id="totp-password" label="Your password" error={enrol.errorFor("password")} hint="Asked again before a change to how you log in.">
            {(d, inv) => (
              <PasswordInput id="totp-password" value={password} onInput={setPassword} describedBy={d} invalid={inv} autocomplete="current-password" testid="totp-password" />
            )}
          </Field>
          <div class="actions">
            <SubmitButton pending={enrol.pending} disabled={!password} testid="totp-password-submit">
              Continue
            </SubmitButton>
            <button type="button" class="btn" onClick={reset}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {enrollment && (
        <div class="enrol" data-testid="totp-enrol">
          <ol class="steps">
            <li>
              In your authenticator app (for example FreeOTP, Aegis or Google Authenticator), add an account by entering
              this key:
              <code class="secret" data-testid="totp-secret" data-secret={enrollment.secret}>
                {groups(enrollment.secret)}
              </code>
              <span class="hint">Or, if your app takes a setup link, use this one:</span>
              <code class="uri" data-testid="totp-uri">
                {enrollment.otpauth_uri}
              </code>
            </li>
            <li>Enter the 6-digit code the app shows to confirm.</li>
          </ol>
          <form onSubmit={confirm} class="inline-form" noValidate>
            <FormBanner message={codeErr ? null : confirmation.errorText} testid="totp-confirm-error" />
            <Field id="totp-code" label="Code" error={codeError}>
              {(d, inv) => <CodeInput id="totp-code" value={code} onInput={setCode} describedBy={d} invalid={inv} testid="totp-code" />}
            </Field>
            <div class="actions">
              <SubmitButton pending={confirmation.pending} disabled={!code.trim()} testid="totp-confirm">
                Confirm
              </SubmitButton>
              <button type="button" class="btn" onClick={() => setEnrollment(null)}>
                Cancel
              </button>
            </div>
          </form>
        </div>
      )}
      {user.totp_enabled && asking !== "remove" && (
        <button type="button" class="btn" onClick={() => (reset(), setDone(null), setAsking("remove"))} disabled={busy} data-testid="totp-remove-start">
          Turn two-step login off
        </button>
      )}
      {asking === "remove" && (
        <form onSubmit={remove} class="stack-form" noValidate data-testid="totp-remove-form">
          <p class="hint">
            To move to a new phone, turn it off here and set it up again. Lost your phone? Ask an administrator to reset it.
          </p>
          <FormBanner message={removal.general(["password", "code"])} testid="totp-remove-error" />
          <Field id="totp-remove-password" label="Your password" error={removal.errorFor("password")}>
            {(d, inv) => (
              <PasswordInput id="totp-remove-password" value={password} onInput={setPassword} describedBy={d} invalid={inv} autocomplete="current-password" testid="totp-remove-password" />
            )}
          </Field>
          <Field id="totp-remove-code" label="Code from your app" error={removal.errorFor("code")}>
            {(d, inv) => <CodeInput id="totp-remove-code" value={code} onInput={setCode} describedBy={d} invalid={inv} testid="totp-remove-code" />}
          </Field>
          <div class="actions">
            <SubmitButton pending={removal.pending} disabled={!password || !code.trim()} testid="totp-remove-submit">
              Turn off
            </SubmitButton>
            <button type="button" class="btn" onClick={reset}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [done, setDone] = useState(false);
  const change = useMutation();

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(false);
    if (next !== again) {
      change.fail("does not match the new password", "again");
      return;
    }
    const ok = await change.run(() => api.changePassword(current, next));
    if (ok) {
      setCurrent("");
      setNext("");
      setAgain("");
      setDone(true);
    }
  };

  return (
    <section class="card" aria-labelledby="password-title" data-testid="password">
      <h2 id="password-title">Password</h2>
      {done && (
        <Banner kind="success" testid="password-done">
          Your password is changed. {OTHER_SESSIONS}
        </Banner>
      )}
      <form onSubmit={submit} class="stack-form" noValidate>
        <FormBanner message={change.general(["current_password", "new_password", "again"])} testid="password-error" />
        <Field id="pw-current" label="Current password" error={change.errorFor("current_password")}>
          {(d, inv) => <PasswordInput id="pw-current" value={current} onInput={setCurrent} describedBy={d} invalid={inv} autocomplete="current-password" testid="pw-current" />}
        </Field>
        <Field
          id="pw-new"
          label="New password"
          error={change.errorFor("new_password")}
          hint="At least 12 characters. A few unrelated words make a good one; a common password is refused."
        >
          {(d, inv) => <PasswordInput id="pw-new" value={next} onInput={setNext} describedBy={d} invalid={inv} autocomplete="new-password" testid="pw-new" />}
        </Field>
        <Field id="pw-again" label="New password again" error={change.errorFor("again")}>
          {(d, inv) => <PasswordInput id="pw-again" value={again} onInput={setAgain} describedBy={d} invalid={inv} autocomplete="new-password" testid="pw-again" />}
        </Field>
        <div class="actions">
          <SubmitButton pending={change.pending} disabled={!current || !next || !again} testid="pw-submit">
            Change password
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}

export function Security({ user, onUserChange }: { user: User; onUserChange: (u: User) => void }) {
  return (
    <section aria-labelledby="security-title" data-testid="security">
      <h1 id="security-title">Security</h1>
      <TwoStep user={user} onUserChange={onUserChange} />
      <ChangePassword />
    </section>
  );
}
