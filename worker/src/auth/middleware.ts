/**
 * Who is calling: a session cookie or an `Authorization: Bearer` API key. `authenticate`
 * reads either into `c.var.auth`; `requireAuth(scope)` guards a route.
 */
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { apiKeys, users } from "../../../drizzle/schema";
import { BRIDGE_KEY_PREFIX } from "../../../protocol/containers";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import type { Scope } from "./scopes";
import { readSessionToken, validateSessionToken, type Session, type User } from "./sessions";
import { hashToken } from "./tokens";

export type ApiKey = typeof apiKeys.$inferSelect;

export type Auth = { kind: "session"; user: User; session: Session } | { kind: "api_key"; user: User; apiKey: ApiKey };

export const API_KEY_PREFIX = "kiln_";
const LAST_USED_RESOLUTION_MS = 60 * 1000;

async function authenticateApiKey(db: ReturnType<AppEnv["Variables"]["db"]>, key: string): Promise<Auth | null> {
  const now = new Date();
  const [row] = await db
    .select({ apiKey: apiKeys, user: users })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(
      and(
        eq(apiKeys.tokenHash, await hashToken(key)),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    );
  if (!row) return null;
  if (!row.apiKey.lastUsedAt || now.getTime() - row.apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.apiKey.id));
  }
  return { kind: "api_key", ...row };
}

/** Sets `c.var.auth` (or null). A bearer token that is not a valid key is refused outright. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (header) {
    const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    // A VPN bridge's key is no person's: the bridge's own routes check it (routes/bridge.ts).
    if (key?.startsWith(BRIDGE_KEY_PREFIX)) {
      c.set("auth", null);
      return next();
    }
    const auth = key?.startsWith(API_KEY_PREFIX) ? await authenticateApiKey(c.var.db(), key) : null;
    if (!auth) throw new ApiError(401, "invalid_api_key", "This API key is invalid, expired or revoked.");
    c.set("auth", auth);
    return next();
  }
  const token = readSessionToken(c);
  const found = token ? await validateSessionToken(c, c.var.db(), token) : null;
  c.set("auth", found ? { kind: "session", ...found } : null);
  return next();
});

/** The caller, or a 401/403 that says what is missing. Call it first in a handler. */
export function requireAuth(c: Context<AppEnv>, scope: Scope, options: { allowPending?: boolean } = {}): Auth {
  const auth = c.var.auth;
  if (!auth) throw new ApiError(401, "unauthenticated", "Sign in first.");
  if (auth.kind === "session") {
    if (!auth.session.fullyAuthenticated && !options.allowPending) {
      throw new ApiError(401, "mfa_required", "Enter your two-factor code to finish signing in.");
    }
    return auth;
  }
  if (scope === "account:write" || !auth.apiKey.scopes.includes(scope)) {
    throw new ApiError(403, "insufficient_scope", `This API key lacks the "${scope}" scope.`);
  }
  return auth;
}

/** A signed-in browser session (never an API key): for credentials, sessions and API keys. */
export function requireSession(c: Context<AppEnv>, options: { allowPending?: boolean } = {}): Extract<Auth, { kind: "session" }> {
  const auth = requireAuth(c, "account:write", options);
  // requireAuth already refuses keys for account:write; this narrows the type and keeps it so.
  if (auth.kind !== "session") throw new ApiError(403, "insufficient_scope", "Only a signed-in browser session can do this, not an API key.");
  return auth;
}

/**
 * Refuses a caller whose email was never confirmed: whoever registers an address they do not
 * own must not mint lasting credentials (API keys) or join organizations in its name.
 */
export function requireConfirmedEmail(user: User): void {
  if (!user.emailVerifiedAt) {
    throw new ApiError(403, "email_unconfirmed", `Confirm your email address first: open the link we emailed to ${user.email}, or ask Kiln to send a new one.`);
  }
}
