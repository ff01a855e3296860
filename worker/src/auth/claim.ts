/**
 * Proof of owning an address (a magic link or a password-reset link used, a provider's
 * verified email) on an account whose email was never confirmed. Whoever registered the
 * address without owning it must not keep a way in: their password, sessions, API keys and
 * TOTP enrolment (with its recovery codes) go, then the email counts as confirmed.
 */
import { eq } from "drizzle-orm";
import type { Executor } from "../../../drizzle/client";
import { apiKeys, passwords, totp, users } from "../../../drizzle/schema";
import { revokeOtherSessions, type User } from "./sessions";

/** The account, confirmed; if it was unconfirmed, stripped first of every credential its registrant set up. */
export async function claimAccount(tx: Executor, user: User): Promise<User> {
  if (user.emailVerifiedAt) return user;
  await tx.delete(passwords).where(eq(passwords.userId, user.id));
  await revokeOtherSessions(tx, user.id);
  await tx.delete(apiKeys).where(eq(apiKeys.userId, user.id));
  // Recovery codes are hashes on the TOTP row: one delete ends both.
  await tx.delete(totp).where(eq(totp.userId, user.id));
  const [claimed] = await tx.update(users).set({ emailVerifiedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, user.id)).returning();
  return claimed!;
}
