/** The end of every way of signing in (password, magic link, OAuth): a session, or a TOTP step first. */
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { Executor } from "../../../drizzle/client";
import { totp } from "../../../drizzle/schema";
import type { AppEnv } from "../env";
import { publicUser, type SignInResult } from "./schemas";
import { startSession, type User } from "./sessions";

/** True when the user has confirmed a TOTP enrolment. */
export async function hasTotp(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ enabledAt: totp.enabledAt }).from(totp).where(eq(totp.userId, userId));
  return Boolean(row?.enabledAt);
}

/** Opens the session: full, or pending until the TOTP code is given (POST /api/auth/totp). */
export async function finishSignIn(c: Context<AppEnv>, db: Executor, user: User, method: string): Promise<SignInResult> {
  const mfa = await hasTotp(db, user.id);
  await startSession(c, db, user.id, { method, fullyAuthenticated: !mfa });
  return mfa ? { status: "mfa_required" } : { status: "signed_in", user: publicUser(user) };
}
