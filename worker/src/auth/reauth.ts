/**
 * Re-authentication before a sensitive change (turning TOTP off, new recovery codes, a new
 * password): the account's password or a fresh TOTP code. Failures count toward the lockout.
 */
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { Executor } from "../../../drizzle/client";
import { passwords } from "../../../drizzle/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { enforceRateLimits } from "../lib/rate-limit";
import { assertNotLocked, clearFailedAttempts, recordFailedAttempt } from "./lockout";
import { verifyPassword } from "./password";
import { consumeTotpCode, findTotp } from "./second-factor";
import { clientIp, type User } from "./sessions";

export type Proof = { password: string } | { code: string };

/** Checks the proof or throws (401 `invalid_credentials`, 429 when locked or rate-limited). */
export async function reauthenticate(c: Context<AppEnv>, db: Executor, user: User, proof: Proof): Promise<void> {
  await enforceRateLimits(db, [
    { key: `reauth:user:${user.id}`, limit: 15, windowSeconds: 600 },
    { key: `reauth:ip:${clientIp(c) ?? "unknown"}`, limit: 30, windowSeconds: 600 },
  ]);
  assertNotLocked(user);
  if (!(await checkProof(db, user.id, proof))) {
    await recordFailedAttempt(c, db, user.id);
    const what = "password" in proof ? "password" : "code";
    throw new ApiError(401, "invalid_credentials", `Incorrect ${what}.`);
  }
  await clearFailedAttempts(db, user);
}

async function checkProof(db: Executor, userId: string, proof: Proof): Promise<boolean> {
  if ("password" in proof) {
    const [row] = await db.select({ hash: passwords.hash }).from(passwords).where(eq(passwords.userId, userId));
    return row ? (await verifyPassword(proof.password, row.hash)).ok : false;
  }
  const enrolment = await findTotp(db, userId, "enabled");
  return enrolment ? consumeTotpCode(db, enrolment, proof.code) : false;
}
