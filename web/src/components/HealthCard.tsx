import { useEffect, useState } from "react";
import { fetchHealth, type Health } from "../api/health";

const POLL_MS = 5000;

type State = { kind: "loading" } | { kind: "ready"; health: Health } | { kind: "error"; message: string };

/** Shows whether the API and its database are up, refreshed every few seconds. */
export function HealthCard() {
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      fetchHealth(controller.signal).then(
        (health) => setState({ kind: "ready", health }),
        (error: unknown) => {
          if (!controller.signal.aborted) {
            setState({ kind: "error", message: error instanceof Error ? error.message : String(error) });
          }
        },
      );
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, []);

  const pending = state.kind === "loading";
  const dbUp = state.kind === "ready" && state.health.database.reachable;
  const apiText = pending ? "Checking…" : state.kind === "ready" ? "Up" : "Unreachable";
  const dbText = pending
    ? "Checking…"
    : state.kind !== "ready"
      ? "Unknown"
      : dbUp
        ? `Healthy · ${state.health.database.latencyMs} ms`
        : "Unreachable";
  const problem = state.kind === "error" ? state.message : state.kind === "ready" ? state.health.database.error : undefined;

  return (
    <section className="card" aria-labelledby="health-title" aria-busy={pending}>
      <h2 id="health-title">Platform status</h2>
      <dl className="health">
        <div>
          <dt>API</dt>
          <dd data-testid="api-status">
            <StatusDot ok={state.kind === "ready"} pending={pending} />
            {apiText}
          </dd>
        </div>
        <div>
          <dt>Database</dt>
          <dd data-testid="database-status">
            <StatusDot ok={dbUp} pending={pending} />
            {dbText}
          </dd>
        </div>
      </dl>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

function StatusDot({ ok, pending }: { ok: boolean; pending: boolean }) {
  return <span className={`dot ${pending ? "pending" : ok ? "ok" : "down"}`} aria-hidden="true" />;
}
