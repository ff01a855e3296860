/** Client for `GET /api/health`. */

export interface Health {
  status: "ok" | "degraded";
  database: { reachable: boolean; latencyMs: number; error?: string };
  time: string;
}

/** Fetches the API's health; a network failure or a non-JSON answer becomes an Error a person can read. */
export async function fetchHealth(signal?: AbortSignal): Promise<Health> {
  let res: Response;
  try {
    res = await fetch("/api/health", { signal, headers: { accept: "application/json" } });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error("The API cannot be reached. Is `npm start` still running?");
  }
  if (!res.headers.get("content-type")?.includes("application/json")) {
    throw new Error(`The API answered ${res.status} without JSON: is the worker running behind the dev server?`);
  }
  return (await res.json()) as Health;
}
