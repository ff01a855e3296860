/**
 * Proof of owning an address (a magic link used, a provider's verified email) on an account
 * whose email was never confirmed. Whoever registered the address without owning it must
 * not keep a way in: the password and every session go, then the email counts as confirmed.
 */
import { eq } from "drizzle-orm";
import type { Executor } from "../../../drizzle/client";
import { passwords, users } from "../../../drizzle/schema";
import { revokeOtherSessions, type User } from "./sessions";

/** The account, confirmed; if it was unconfirmed, stripped of its password and sessions first. */
export async function claimAccount(tx: Executor, user: User): Promise<User> {
  if (user.emailVerifiedAt) return user;
  await tx.delete(passwords).where(eq(passwords.userId, user.id));
  await revokeOtherSessions(tx, user.id);
  const [claimed] = await tx.update(users).set({ emailVerifiedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, user.id)).returning();
  return claimed!;
}
