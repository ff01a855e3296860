import { useCallback, useRef, useState } from "react";
import { asApiError, type ApiError } from "../api/client";

/** How an action ended; on failure the error is in `useAction().error`. */
export type Outcome<T> = { ok: true; value: T } | { ok: false };

/** Runs one API action at a time for a form or button: pending while it runs, its error after. */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const running = useRef(false);

  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<Outcome<T>> => {
    if (running.current) return { ok: false };
    running.current = true;
    setPending(true);
    setError(null);
    try {
      return { ok: true, value: await action() };
    } catch (e) {
      setError(asApiError(e));
      return { ok: false };
    } finally {
      running.current = false;
      setPending(false);
    }
  }, []);

  return { run, pending, error, setError };
}
