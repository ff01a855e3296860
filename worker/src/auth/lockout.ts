/**
 * The account lockout shared by every credential check (password, TOTP, recovery code,
 * re-authentication): LOCKOUT_THRESHOLD failures in a row lock the account for LOCKOUT_MS.
 */
import { eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Executor } from "../../../drizzle/client";
import { users } from "../../../drizzle/schema";
import type { AppEnv } from "../env";
import { audit } from "../lib/audit";
import { tooManyRequests } from "../lib/errors";
import { LOCKOUT_MS, LOCKOUT_THRESHOLD } from "../routes/auth";

/** Throws 429 account_locked (with Retry-After) while the account is locked. */
export function assertNotLocked(user: { lockedUntil: Date | null }): void {
  if (!user.lockedUntil || user.lockedUntil <= new Date()) return;
  const seconds = (user.lockedUntil.getTime() - Date.now()) / 1000;
  throw tooManyRequests(
    "account_locked",
    `Too many failed attempts: this account is locked for ${Math.ceil(seconds / 60)} minutes. Reset your password to unlock it now.`,
    seconds,
  );
}

/** Counts one failed attempt; locks the account (and audits it) when the threshold is reached. */
export async function recordFailedAttempt(c: Context<AppEnv>, db: Executor, userId: string): Promise<void> {
  // One statement, so concurrent failures all count (the same rule as the password login).
  const [after] = await db
    .update(users)
    .set({
      failedLoginCount: sql`case when ${users.failedLoginCount} + 1 >= ${LOCKOUT_THRESHOLD} then 0 else ${users.failedLoginCount} + 1 end`,
      lockedUntil: sql`case when ${users.failedLoginCount} + 1 >= ${LOCKOUT_THRESHOLD} then now() + make_interval(secs => ${LOCKOUT_MS / 1000}) else ${users.lockedUntil} end`,
    })
    .where(eq(users.id, userId))
    .returning({ lockedUntil: users.lockedUntil });
  if (after?.lockedUntil && after.lockedUntil > new Date()) {
    await audit(c, db, { action: "user.locked", targetType: "user", targetId: userId, actorUserId: userId });
  }
}

/** Resets the failure count after a successful check. */
export async function clearFailedAttempts(db: Executor, user: { id: string; failedLoginCount: number; lockedUntil: Date | null }): Promise<void> {
  if (user.failedLoginCount === 0 && !user.lockedUntil) return;
  await db.update(users).set({ failedLoginCount: 0, lockedUntil: null }).where(eq(users.id, user.id));
}
