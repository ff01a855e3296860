/**
 * Single-use emailed tokens (magic links, email verification, password reset): 256 random
 * bits in the link, SHA-256 at rest, consumed atomically by one UPDATE … RETURNING.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "../../../drizzle/client";
import { magicLinks } from "../../../drizzle/schema";
import { hashToken, randomToken } from "./tokens";

export type EmailTokenPurpose = (typeof magicLinks.$inferSelect)["purpose"];

export const EMAIL_TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  login: 15 * 60 * 1000,
  verify_email: 24 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};

/** Stores a new token for `email` and returns it (to put in the link, nowhere else). */
export async function issueEmailToken(
  db: Executor,
  options: { purpose: EmailTokenPurpose; email: string; userId?: string | null },
): Promise<string> {
  const token = randomToken();
  await db.insert(magicLinks).values({
    purpose: options.purpose,
    email: options.email,
    userId: options.userId ?? null,
    tokenHash: await hashToken(token),
    expiresAt: new Date(Date.now() + EMAIL_TOKEN_TTL_MS[options.purpose]),
  });
  return token;
}

/** Marks the token used and returns its row, or null if unknown, used, expired or for another purpose. */
export async function consumeEmailToken(db: Executor, purpose: EmailTokenPurpose, token: string) {
  const [row] = await db
    .update(magicLinks)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(magicLinks.tokenHash, await hashToken(token)),
        eq(magicLinks.purpose, purpose),
        isNull(magicLinks.usedAt),
        gt(magicLinks.expiresAt, new Date()),
      ),
    )
    .returning();
  return row ?? null;
}
