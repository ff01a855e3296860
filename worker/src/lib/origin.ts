/**
 * Cross-site protection. Cookie-authenticated writes must come from our own origin (or one
 * listed in ALLOWED_ORIGINS): a non-GET request with a missing or foreign Origin is refused.
 * Requests with an Authorization header (API keys) are not sent by browsers on their own,
 * so they need no Origin. CORS is allowed only for the listed origins.
 */
import type { Context } from "hono";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "./errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Origins trusted besides the request's own. */
function allowedOrigins(c: Context<AppEnv>): Set<string> {
  const listed = c.env.ALLOWED_ORIGINS.split(",").map((o) => o.trim()).filter(Boolean);
  if (c.env.APP_URL) listed.push(new URL(c.env.APP_URL).origin);
  return new Set(listed);
}

export const requireSameOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (SAFE_METHODS.has(c.req.method) || c.req.header("authorization")) return next();
  const origin = c.req.header("origin");
  if (!origin) {
    throw new ApiError(403, "origin_required", "This request needs an Origin header: send it from the Kiln app, or use an API key.");
  }
  if (origin !== new URL(c.req.url).origin && !allowedOrigins(c).has(origin)) {
    throw new ApiError(403, "origin_forbidden", `Requests from ${origin} are not allowed.`);
  }
  return next();
});

/** CORS for the listed origins only; any other origin gets no CORS headers. */
export const strictCors = createMiddleware<AppEnv>(async (c, next) => {
  const handler = cors({
    origin: (origin) => (allowedOrigins(c).has(origin) ? origin : null),
    credentials: true,
    allowHeaders: ["content-type", "authorization", "x-request-id"],
    allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE"],
    exposeHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  });
  return handler(c, next);
});
