// Login: username and password, then a one-time code when the account has a second factor.

import { useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import type { Me } from "../types";
import { Banner } from "../components/messages";
import { sentence } from "../format";

export function Login({ expired, onLoggedIn }: { expired: boolean; onLoggedIn: (s: Me) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [totpError, setTotpError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setTotpError(null);
    try {
      const s = await api.login(username.trim(), password, needTotp ? totp.trim() : undefined);
      onLoggedIn(s);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && err.field === "totp") {
        if (needTotp) {
          setTotpError(sentence(err.message));
        } else {
          setNeedTotp(true);
        }
        setTotp("");
        setTimeout(() => totpRef.current?.focus(), 0);
      } else if (err instanceof ApiError) {
        setError(sentence(err.message));
      } else {
        setError(String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="login card" aria-labelledby="login-title">
      <h1 id="login-title">
        <span class="brand">kclinic</span> Log in
      </h1>
      {expired && !error && (
        <Banner kind="info" testid="session-expired">
          Your session has expired. Please log in again.
        </Banner>
      )}
      {error && (
        <Banner kind="error" testid="login-error">
          {error}
        </Banner>
      )}
      <form onSubmit={submit} data-testid="login-form">
        <div class="field">
          <label for="login-username">Username</label>
          <input
            id="login-username"
            name="username"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(e) => {
              setUsername((e.currentTarget as HTMLInputElement).value);
              setNeedTotp(false);
            }}
            required
            data-testid="login-username"
          />
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
            required
            data-testid="login-password"
          />
        </div>
        {needTotp && (
          <div class={`field${totpError ? " field-invalid" : ""}`}>
            <label for="login-totp">One-time code</label>
            <input
              id="login-totp"
              ref={totpRef}
              name="totp"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]*"
              maxLength={8}
              value={totp}
              onInput={(e) => setTotp((e.currentTarget as HTMLInputElement).value)}
              aria-describedby={totpError ? "login-totp-error" : "login-totp-hint"}
              aria-invalid={totpError ? true : undefined}
              data-testid="login-totp"
            />
            {totpError ? (
              <div class="field-error" id="login-totp-error" data-testid="login-totp-error">
                {totpError}
              </div>
            ) : (
              <div class="hint" id="login-totp-hint" data-testid="login-totp-hint">
                Enter the 6-digit code from your authenticator app.
              </div>
            )}
          </div>
        )}
        <div class="actions">
          <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
            {busy ? "Logging in…" : "Log in"}
          </button>
        </div>
      </form>
    </section>
  );
}
