// Security: turn on the second factor (TOTP) for the logged-in account.

import { useState } from "preact/hooks";
import { api } from "../api";
import { useMutation } from "../data";
import type { TotpEnrollment, User } from "../types";
import { Banner } from "../components/messages";
import { fieldMessage } from "../format";

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to type into a phone. */
function groups(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

export function Security({ user, onUserChange }: { user: User; onUserChange: (u: User) => void }) {
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [code, setCode] = useState("");
  const [done, setDone] = useState(false);
  const enrol = useMutation();
  const confirmation = useMutation();
  const busy = enrol.pending || confirmation.pending;
  const codeErr = confirmation.error?.field === "code" ? confirmation.error : null;
  const codeError = codeErr ? fieldMessage("The code", codeErr.message) : null;
  const error = enrol.errorText ?? (codeErr ? null : confirmation.errorText);

  const start = async () => {
    confirmation.clear();
    await enrol.run(async () => {
      setEnrollment(await api.totpEnroll());
      setCode("");
    });
  };

  const confirm = async (e: Event) => {
    e.preventDefault();
    enrol.clear();
    await confirmation.run(async () => {
      await api.totpConfirm(code.replace(/\s+/g, ""));
      setDone(true);
      setEnrollment(null);
      onUserChange({ ...user, totp_enabled: true });
    });
  };

  return (
    <section aria-labelledby="security-title" data-testid="security">
      <h1 id="security-title">Security</h1>
      <section class="card" aria-labelledby="totp-title">
        <h2 id="totp-title">Two-step login</h2>
        {error && (
          <Banner kind="error" testid="totp-error">
            {error}
          </Banner>
        )}
        {done && (
          <Banner kind="success" testid="totp-done">
            Two-step login is on. From now on you will be asked for a one-time code when you log in.
          </Banner>
        )}
        <p data-testid="totp-status">
          {user.totp_enabled
            ? "Two-step login is on for this account."
            : "Two-step login is off. Turn it on so that a stolen password alone cannot open this account."}
        </p>
        {!user.totp_enabled && !enrollment && (
          <button type="button" class="btn btn-primary" onClick={start} disabled={busy} data-testid="totp-start">
            Set up an authenticator app
          </button>
        )}
        {enrollment && (
          <div class="enrol" data-testid="totp-enrol">
            <ol class="steps">
              <li>
                In your authenticator app (for example FreeOTP, Aegis or Google Authenticator), add an account by
                entering this key:
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
              <div class={`field${codeError ? " field-invalid" : ""}`}>
                <label for="totp-code">Code</label>
                <input
                  id="totp-code"
                  inputMode="numeric"
                  autocomplete="one-time-code"
                  maxLength={8}
                  value={code}
                  onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
                  aria-invalid={codeError ? true : undefined}
                  aria-describedby={codeError ? "totp-code-error" : undefined}
                  data-testid="totp-code"
                />
                {codeError && (
                  <div class="field-error" id="totp-code-error" data-testid="totp-code-error">
                    {codeError}
                  </div>
                )}
              </div>
              <div class="actions">
                <button type="submit" class="btn btn-primary" disabled={busy || !code.trim()} data-testid="totp-confirm">
                  Confirm
                </button>
                <button type="button" class="btn" onClick={() => setEnrollment(null)}>
                  Cancel
                </button>
              </div>
            </form>
          </div>
        )}
      </section>
    </section>
  );
}
