/**
 * The one place that talks to the API: JSON in and out, cookies included, and every
 * failure turned into an `ApiError` a page can show and act on.
 */

/** Field name → messages, as the API's validation errors give them. */
export type FieldErrors = Record<string, string[]>;

/** A failed API call: the HTTP status, the API's stable code, a sentence for a person. */
export class ApiError extends Error {
  /** When (epoch ms) the request may be tried again, from Retry-After; null without one. */
  readonly retryAt: number | null;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldErrors = {},
    /** Seconds to wait before trying again (from Retry-After), for 429s. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.retryAt = retryAfter === null ? null : Date.now() + retryAfter * 1000;
  }

  /** The first message about one input, if the API named it. */
  field(name: string): string | undefined {
    return this.fields[name]?.[0];
  }
}

/** `status: 0`: the request never got an answer. */
export const NETWORK_ERROR = "network_error";

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function isErrorBody(value: unknown): value is { error: { code: string; message: string; fields?: FieldErrors } } {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string";
}

/** Calls `/api{path}`; resolves with the JSON body (undefined for 204), rejects with `ApiError`. */
export async function api<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  // Every non-GET request sends JSON (the API refuses other bodies), even an empty one.
  if (method !== "GET") headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: "same-origin",
      signal: options.signal,
      body: method === "GET" ? undefined : JSON.stringify(options.body ?? {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, NETWORK_ERROR, "Kiln cannot be reached. Check your connection and try again.");
  }
  if (res.status === 204) return undefined as T;
  const body: unknown = (res.headers.get("content-type") ?? "").includes("application/json") ? await res.json().catch(() => null) : null;
  if (res.ok) return body as T;
  const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
  if (isErrorBody(body)) {
    throw new ApiError(res.status, body.error.code, body.error.message, body.error.fields ?? {}, retryAfter);
  }
  throw new ApiError(res.status, "unexpected", `The server answered ${res.status} ${res.statusText}. Try again in a moment.`, {}, retryAfter);
}

/** Turns anything thrown into an ApiError, so pages handle one kind. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, "client_error", error instanceof Error ? error.message : String(error));
}
