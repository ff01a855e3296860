/**
 * The one place that talks to the API: JSON in and out, cookies included, every answer
 * checked against its schema from protocol/, and every failure turned into an `ApiError` a
 * page can show and act on.
 */
import type { z } from "zod";
import { ErrorBodySchema, type FieldErrors } from "../../../protocol/errors";

export type { FieldErrors };

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

/** Calls `/api{path}` and resolves with the JSON body parsed by `schema`; rejects with `ApiError`, also when the body is not what the schema says. */
export async function api<S extends z.ZodType>(method: Method, path: string, schema: S, options: RequestOptions = {}): Promise<z.output<S>> {
  const { status, body } = await request(method, path, options);
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new ApiError(status, "unexpected_response", "The server answered with something this page does not understand. Reload the page and try again.");
}

/** Calls `/api{path}` for its outcome only (a 204, or a body nobody reads); rejects with `ApiError`. */
export async function send(method: Method, path: string, options: RequestOptions = {}): Promise<void> {
  await request(method, path, options);
}

/** The status and JSON body of a successful call (the body undefined for 204); a failure becomes an `ApiError`. */
async function request(method: Method, path: string, options: RequestOptions): Promise<{ status: number; body: unknown }> {
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
  if (res.status === 204) return { status: 204, body: undefined };
  const body: unknown = (res.headers.get("content-type") ?? "").includes("application/json") ? await res.json().catch(() => null) : null;
  if (res.ok) return { status: res.status, body };
  const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
  const error = ErrorBodySchema.safeParse(body);
  if (error.success) {
    throw new ApiError(res.status, error.data.error.code, error.data.error.message, error.data.error.fields ?? {}, retryAfter);
  }
  throw new ApiError(res.status, "unexpected", `The server answered ${res.status} ${res.statusText}. Try again in a moment.`, {}, retryAfter);
}

/** Turns anything thrown into an ApiError, so pages handle one kind. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, "client_error", error instanceof Error ? error.message : String(error));
}
