// The form kit: a labelled control with the error the server's `field` names beside it (Field,
// in field.tsx), the error that names none of the form's fields (FormBanner), and a submit button
// that is disabled while the form's mutation is pending (SubmitButton). Forms keep their state in
// useMutation (data.ts): `m.errorFor("kg")` for a field, `m.general([...fields])` for the banner.

import type { ComponentChildren } from "preact";
import { Banner } from "./messages";

export { Field } from "./field";

/** The form's error that names none of its fields (or a failure before sending); nothing when none. */
export function FormBanner({ message, testid }: { message?: string | null; testid: string }) {
  if (!message) return null;
  return (
    <Banner kind="error" testid={testid}>
      {message}
    </Banner>
  );
}

/** The form's submit button: disabled while `pending` (or `disabled`), with `pendingLabel` then if given. */
export function SubmitButton({
  pending,
  disabled,
  testid,
  primary = true,
  large,
  pendingLabel,
  children,
}: {
  pending: boolean;
  disabled?: boolean;
  testid?: string;
  primary?: boolean;
  large?: boolean;
  pendingLabel?: string;
  children: ComponentChildren;
}) {
  const cls = ["btn", primary ? "btn-primary" : "", large ? "btn-large" : ""].filter(Boolean).join(" ");
  return (
    <button type="submit" class={cls} disabled={pending || disabled} data-testid={testid}>
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}
