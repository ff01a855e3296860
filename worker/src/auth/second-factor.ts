/**
 * Checking a second factor against the stored enrolment, atomically: a TOTP step and a
 * recovery code can each be used once, even by two requests racing.
 */
import { and, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Executor } from "../../../drizzle/client";
import { totp } from "../../../drizzle/schema";
import { hashRecoveryCode, matchTotpStep } from "./totp";

export type TotpEnrolment = typeof totp.$inferSelect;

/** The user's enrolment: `enabled` only once confirmed, `pending` only before. */
export async function findTotp(db: Executor, userId: string, state: "enabled" | "pending"): Promise<TotpEnrolment | null> {
  const [row] = await db
    .select()
    .from(totp)
    .where(and(eq(totp.userId, userId), state === "enabled" ? isNotNull(totp.enabledAt) : isNull(totp.enabledAt)));
  return row ?? null;
}

/** Accepts a TOTP code once: records its step so that it (and older steps) cannot be replayed. */
export async function consumeTotpCode(db: Executor, enrolment: TotpEnrolment, code: string): Promise<boolean> {
  const step = matchTotpStep(enrolment.secret, code, enrolment.lastUsedStep);
  if (step === null) return false;
  const [updated] = await db
    .update(totp)
    .set({ lastUsedStep: step })
    .where(and(eq(totp.userId, enrolment.userId), or(isNull(totp.lastUsedStep), lt(totp.lastUsedStep, step))))
    .returning({ userId: totp.userId });
  return Boolean(updated);
}

/** Accepts a recovery code once, removing its hash; enabled enrolments only. */
export async function consumeRecoveryCode(db: Executor, userId: string, code: string): Promise<boolean> {
  const hash = await hashRecoveryCode(code);
  const [updated] = await db
    .update(totp)
    .set({ recoveryCodeHashes: sql`${totp.recoveryCodeHashes} - ${hash}::text` })
    .where(and(eq(totp.userId, userId), isNotNull(totp.enabledAt), sql`${totp.recoveryCodeHashes} @> jsonb_build_array(${hash}::text)`))
    .returning({ userId: totp.userId });
  return Boolean(updated);
}
