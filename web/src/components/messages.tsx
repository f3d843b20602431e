import type { ComponentChildren } from "preact";

export function AccessDenied({ what = "this record" }: { what?: string }) {
  return (
    <section class="card notice-page" data-testid="access-denied" role="alert">
      <h1>You do not have access to {what}</h1>
      <p>
        Your account is not allowed to see it. If you think this is a mistake, please ask the clinic's front desk.
      </p>
      <p>
        <a href="#/">Go to your home page</a>
      </p>
    </section>
  );
}

export function NotFound({ what = "page" }: { what?: string }) {
  return (
    <section class="card notice-page" data-testid="not-found">
      <h1>{what === "page" ? "Page not found" : `${what} not found`}</h1>
      <p>
        <a href="#/">Go to your home page</a>
      </p>
    </section>
  );
}

/** A message box; `kind` picks the colour. Announced to screen readers when it appears. */
export function Banner({
  kind,
  children,
  testid,
}: {
  kind: "error" | "info" | "success";
  children: ComponentChildren;
  testid?: string;
}) {
  return (
    <div class={`banner banner-${kind}`} role={kind === "error" ? "alert" : "status"} data-testid={testid}>
      {children}
    </div>
  );
}
