/** Client for `GET /api/health`. */
import { type Health, HealthSchema } from "../../../protocol/api/health";

export type { Health };

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
  const health = HealthSchema.safeParse(await res.json().catch(() => null));
  if (!health.success) throw new Error(`The API answered ${res.status} with something that is not its health: is the worker running behind the dev server?`);
  return health.data;
}
