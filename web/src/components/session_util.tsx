// Small pieces shared by the session screens: one submit helper that keeps the server's error with
// the field it names, and a checkbox row with a 44 px touch target.

import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { sentence } from "../format";
import { Banner } from "./messages";

export type FormError = { field?: string; message: string } | null;

/** busy/error state for one form; run() catches the server's error and keeps its field. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError>(null);
  const run = async (fn: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      if (e instanceof ApiError) setError({ field: e.field, message: sentence(e.message) });
      else setError({ message: String(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  /** The error when it names this field (or one of its sub-fields: "concomitant.opioids"). */
  const errorFor = (field: string): string | undefined =>
    error?.field && (error.field === field || error.field.startsWith(field + ".") || error.field.startsWith(field + "["))
      ? error.message
      : undefined;
  /** The error when it names none of the form's own fields: shown as a banner under the form. */
  const general = (fields: string[]): string | undefined =>
    error && !fields.some((f) => errorFor(f) !== undefined) ? error.message : undefined;
  return { busy, error, setError, run, errorFor, general };
}

export function FormBanner({ message, testid }: { message?: string; testid: string }) {
  if (!message) return null;
  return (
    <Banner kind="error" testid={testid}>
      {message}
    </Banner>
  );
}

/** A labelled checkbox that is at least 44 px tall, with its own error line. */
export function CheckRow({
  id,
  checked,
  onChange,
  error,
  disabled,
  testid,
  children,
}: {
  id: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  error?: string;
  disabled?: boolean;
  testid: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`session-check${error ? " field-invalid" : ""}`}>
      <label for={id} class="session-check-label">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          disabled={disabled}
          onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          data-testid={testid}
        />
        <span>{children}</span>
      </label>
      {error && (
        <div class="field-error" id={`${id}-error`} data-testid={`${testid}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

/** A number from an input's text; undefined when blank, NaN when not a number. */
export function numberOrBlank(raw: string): number | undefined {
  const t = raw.trim().replace(",", ".");
  if (!t) return undefined;
  return Number(t);
}

export function mg(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return "—";
  return `${Number(n.toFixed(2))} mg`;
}
