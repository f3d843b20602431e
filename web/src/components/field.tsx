// A labelled form control with its own error line. The error comes from the server's "field".

import type { ComponentChildren } from "preact";

interface FieldProps {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  wide?: boolean;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}

export function Field({ id, label, error, hint, wide, children }: FieldProps) {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${wide ? " field-wide" : ""}${error ? " field-invalid" : ""}`}>
      <label for={id}>{label}</label>
      {children(ids, !!error)}
      {hint && (
        <div class="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <div class="field-error" id={`${id}-error`} data-testid={`error-${id.replace(/^f-/, "")}`}>
          {error}
        </div>
      )}
    </div>
  );
}
