import { useCallback, useEffect, useState } from "react";
import { asApiError, type ApiError } from "../api/client";

export type Resource<T> = { status: "loading" } | { status: "ready"; data: T } | { status: "error"; error: ApiError };

/** Loads data for a page section; `reload` asks again, `set` replaces it after a change. */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [resource, setResource] = useState<Resource<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setResource({ status: "ready", data }),
      (error: unknown) => live && setResource({ status: "error", error: asApiError(error) }),
    );
    return () => {
      live = false;
    };
    // The caller names what the load depends on (as with useEffect).
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const set = useCallback((update: (data: T) => T) => {
    setResource((r) => (r.status === "ready" ? { status: "ready", data: update(r.data) } : r));
  }, []);
  return { resource, reload, set };
}
