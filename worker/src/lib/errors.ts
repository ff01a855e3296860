/**
 * Errors in one place: handlers throw `ApiError` (or Hono's `HTTPException`), and one
 * `onError` turns every failure into `{ "error": { "code", "message" } }`.
 */
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorHandler, NotFoundHandler } from "hono";
import type { ZodError } from "zod";
import type { ErrorBody } from "../../../protocol/errors";
import type { AppEnv } from "../env";

/** An error meant for the client: a status, a stable machine code and a sentence a person can act on. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string[]>,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(status, { message });
  }
}

/** 429 with Retry-After, for rate limits and lockouts. */
export function tooManyRequests(code: string, message: string, retryAfterSeconds: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ApiError(429, code, message, undefined, { "retry-after": String(seconds) });
}

/** 400 naming the offending fields, from a failed zod validation. */
export function validationError(error: ZodError, target: string): ApiError {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const path = issue.path.length > 0 ? issue.path.join(".") : target;
    (fields[path] ??= []).push(issue.message);
  }
  const names = Object.keys(fields).join(", ");
  return new ApiError(400, "invalid_request", `Invalid ${target}: check ${names}.`, fields);
}

const defaultCodes: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
  429: "rate_limited",
};

/**
 * What lies under an error, outermost first: drizzle's "Failed query" wraps the database's
 * own error (its message and SQLSTATE code), which is what tells why the query failed.
 */
function errorCauses(err: unknown): { message: string; code?: string }[] {
  const causes: { message: string; code?: string }[] = [];
  for (let cause = err instanceof Error ? err.cause : undefined; cause !== undefined && causes.length < 5; cause = cause instanceof Error ? cause.cause : undefined) {
    const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined;
    causes.push({ message: cause instanceof Error ? cause.message : String(cause), ...(code ? { code } : {}) });
  }
  return causes;
}

/** The single error handler: client errors as JSON, crashes logged with the request id and hidden. */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const requestId = c.get("requestId");
  // ApiErrors are deliberate, whatever their status (e.g. 503 email_unavailable): say them.
  if (err instanceof ApiError || (err instanceof HTTPException && err.status < 500)) {
    const code = err instanceof ApiError ? err.code : (defaultCodes[err.status] ?? "error");
    const body: ErrorBody = { error: { code, message: err.message || code.replaceAll("_", " ") } };
    if (err instanceof ApiError && err.fields) body.error.fields = err.fields;
    const headers = err instanceof ApiError ? err.headers : undefined;
    return c.json(body, err.status, headers);
  }
  console.error(
    JSON.stringify({ level: "error", requestId, method: c.req.method, path: c.req.path, error: String(err), causes: errorCauses(err), stack: err instanceof Error ? err.stack : undefined }),
  );
  const status = err instanceof HTTPException ? err.status : 500;
  const body: ErrorBody = {
    error: { code: "internal", message: `Something went wrong on our side. Quote request id ${requestId} when reporting it.` },
  };
  return c.json(body, status as ContentfulStatusCode);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) => {
  const body: ErrorBody = { error: { code: "not_found", message: `No route for ${c.req.method} ${c.req.path}.` } };
  return c.json(body, 404);
};
