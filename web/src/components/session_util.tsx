// Small pieces shared by the session screens: a checkbox row with a 44 px touch target and number
// helpers. Their forms use useMutation (data.ts) and the form kit (form.tsx).

import type { ComponentChildren } from "preact";

export { FormBanner } from "./form";

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
