import type { ReactNode } from "react";

/** A centred message for a whole page: loading, not found, a finished step. */
export function PageMessage({ title, busy, tone, children }: { title: string; busy?: boolean; tone?: "error" | "ok"; children?: ReactNode }) {
  return (
    <section className={`page-message ${tone ?? ""}`} aria-busy={busy} aria-live="polite">
      {busy && <span className="spinner" aria-hidden="true" />}
      <h1>{title}</h1>
      {children}
    </section>
  );
}
