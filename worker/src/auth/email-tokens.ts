/**
 * Single-use emailed tokens (magic links, email verification, password reset): 256 random
 * bits in the link, SHA-256 at rest, consumed atomically by one UPDATE … RETURNING.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "../../../drizzle/client";
import { magicLinks } from "../../../drizzle/schema";
import { ApiError } from "../lib/errors";
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

/** The 400 for a token that `consumeEmailToken` refused, saying whether it expired or was used. */
export async function emailTokenError(db: Executor, purpose: EmailTokenPurpose, token: string): Promise<ApiError> {
  const [row] = await db
    .select({ usedAt: magicLinks.usedAt, expiresAt: magicLinks.expiresAt })
    .from(magicLinks)
    .where(and(eq(magicLinks.tokenHash, await hashToken(token)), eq(magicLinks.purpose, purpose)));
  // The token is 256 random bits: saying why it failed tells nothing to someone guessing.
  if (row?.usedAt) return new ApiError(400, "token_used", "This link has already been used. Ask for a new one.");
  if (row) return new ApiError(400, "token_expired", "This link has expired. Ask for a new one.");
  return new ApiError(400, "token_invalid", "This link is not valid. Check that you copied all of it, or ask for a new one.");
}

/** Marks every unused token of `purpose` for a user as used (e.g. other reset links once one worked). */
export async function voidEmailTokens(db: Executor, purpose: EmailTokenPurpose, userId: string): Promise<void> {
  await db
    .update(magicLinks)
    .set({ usedAt: new Date() })
    .where(and(eq(magicLinks.userId, userId), eq(magicLinks.purpose, purpose), isNull(magicLinks.usedAt)));
}
