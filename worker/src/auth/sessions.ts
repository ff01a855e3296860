/**
 * Sessions: a 256-bit random token in an HttpOnly cookie, stored as SHA-256, with a sliding
 * 30-day expiry. A session whose second factor is still owed lives 10 minutes.
 */
import { and, eq, gt, ne } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { sessions, users } from "../../../drizzle/schema";
import type { Executor as Database } from "../../../drizzle/client";
import type { AppEnv } from "../env";
import { hashToken, randomToken } from "./tokens";

const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY_MS;
/** A session is extended when less than this is left. */
const RENEW_BEFORE_MS = 15 * DAY_MS;
export const PENDING_SESSION_TTL_MS = 10 * 60 * 1000;
/** last_seen_at is written at most this often. */
const SEEN_RESOLUTION_MS = 60 * 1000;

export type Session = typeof sessions.$inferSelect;
export type User = typeof users.$inferSelect;

/** Cookies may drop `Secure` only for plain-http localhost (local development). */
export function isLocalHttp(c: Context<AppEnv>): boolean {
  const url = new URL(c.req.url);
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

/** `__Host-` pins the cookie to this exact host over HTTPS; plain-http localhost cannot use it. */
export function sessionCookieName(c: Context<AppEnv>): string {
  return isLocalHttp(c) ? "kiln_session" : "__Host-kiln_session";
}

export function readSessionToken(c: Context<AppEnv>): string | undefined {
  return getCookie(c, sessionCookieName(c));
}

function writeSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  setCookie(c, sessionCookieName(c), token, {
    httpOnly: true,
    secure: !isLocalHttp(c),
    sameSite: "Lax",
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, sessionCookieName(c), { path: "/", secure: !isLocalHttp(c) });
}

function clientInfo(c: Context<AppEnv>): { ip: string | null; userAgent: string | null } {
  return { ip: clientIp(c), userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null };
}

/** The caller's address: Cloudflare's header in production, the proxy's locally. */
export function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("cf-connecting-ip") ?? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ?? null;
}

/** Opens a new session for `userId`, sets the cookie and revokes the one the request came with. */
export async function startSession(
  c: Context<AppEnv>,
  db: Database,
  userId: string,
  options: { method: string; fullyAuthenticated: boolean },
): Promise<Session> {
  const previous = readSessionToken(c);
  if (previous) await db.delete(sessions).where(eq(sessions.tokenHash, await hashToken(previous)));
  const token = randomToken();
  const expiresAt = new Date(Date.now() + (options.fullyAuthenticated ? SESSION_TTL_MS : PENDING_SESSION_TTL_MS));
  const [session] = await db
    .insert(sessions)
    .values({ userId, tokenHash: await hashToken(token), expiresAt, ...options, ...clientInfo(c) })
    .returning();
  writeSessionCookie(c, token, expiresAt);
  return session!;
}

/** Upgrades a session whose second factor was just given: a new token, full lifetime. */
export async function completeSession(c: Context<AppEnv>, db: Database, session: Session): Promise<Session> {
  return startSession(c, db, session.userId, { method: session.method, fullyAuthenticated: true });
}

/** The valid session and user behind the request's cookie, renewing the expiry when due. */
export async function validateSessionToken(c: Context<AppEnv>, db: Database, token: string): Promise<{ session: Session; user: User } | null> {
  const tokenHash = await hashToken(token);
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())));
  if (!row) return null;
  const now = Date.now();
  const { session } = row;
  const renew = session.fullyAuthenticated && session.expiresAt.getTime() - now < RENEW_BEFORE_MS;
  if (renew || now - session.lastSeenAt.getTime() > SEEN_RESOLUTION_MS) {
    const update: Partial<Session> = { lastSeenAt: new Date(now) };
    if (renew) update.expiresAt = new Date(now + SESSION_TTL_MS);
    await db.update(sessions).set(update).where(eq(sessions.id, session.id));
    Object.assign(session, update);
    if (renew) writeSessionCookie(c, token, session.expiresAt);
  }
  return row;
}

/** Revokes every session of a user but `keepSessionId` (after a password change or reset). */
export async function revokeOtherSessions(db: Database, userId: string, keepSessionId?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId));
}
