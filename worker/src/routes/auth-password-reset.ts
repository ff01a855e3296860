/** `/api/auth/password-reset`: a forgotten password, reset through a link emailed to the account. */
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { passwords, users } from "../../../drizzle/schema";
import { claimAccount } from "../auth/claim";
import { consumeEmailToken, emailTokenError, issueEmailToken, voidEmailTokens } from "../auth/email-tokens";
import { hashPassword } from "../auth/password";
import { requireStrongPassword } from "../auth/password-strength";
import { AcceptedSchema, EmailSchema, EmailTokenSchema, PasswordSchema, RedirectSchema, SignInResultSchema, linkWithRedirect } from "../auth/schemas";
import { clientIp, revokeOtherSessions } from "../auth/sessions";
import { finishSignIn } from "../auth/sign-in";
import { trySendEmail } from "../email/sender";
import { emails } from "../email/templates";
import { appUrl } from "../lib/app-url";
import { audit } from "../lib/audit";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";

const requestRoute = defineRoute({
  method: "post",
  path: "/password-reset/request",
  operationId: "requestPasswordReset",
  access: "public",
  tags: ["auth"],
  summary: "Email a password-reset link",
  description: "Always answers 202, whether or not an account has this email. The link works once, for 1 hour, and carries `redirect` (the page to open after signing in).",
  request: { body: jsonBody(z.strictObject({ email: EmailSchema, redirect: RedirectSchema.optional() }).openapi("PasswordResetRequest")) },
  responses: {
    202: jsonResponse(AcceptedSchema, "If an account has this email, a link is on its way."),
    400: jsonResponse(ErrorSchema, "Not an email address."),
    429: jsonResponse(ErrorSchema, "Too many requests for this address or from this network (see Retry-After)."),
  },
});

const resetRoute = defineRoute({
  method: "post",
  path: "/password-reset",
  operationId: "resetPassword",
  access: "public",
  tags: ["auth"],
  summary: "Choose a new password with the emailed token, and sign in",
  description:
    "Signs out every session of the account, unlocks it and confirms its email. Answers `mfa_required` when the account has TOTP: finish with `POST /api/auth/totp`.",
  request: { body: jsonBody(z.strictObject({ token: EmailTokenSchema, password: PasswordSchema }).openapi("PasswordReset")) },
  responses: {
    200: jsonResponse(SignInResultSchema, "The password is changed; signed in, or a second factor is owed."),
    400: jsonResponse(ErrorSchema, "The link is invalid, expired or used, or the password is not acceptable (`weak_password`: too easy to guess, the reason in `fields.password`)."),
    429: jsonResponse(ErrorSchema, "Too many attempts from this address."),
  },
});

/** Emails a reset link if an account has this address; a failure to send is logged (trySendEmail). */
async function emailResetLink(c: Context<AppEnv>, email: string, redirect: string | undefined): Promise<void> {
  const db = c.var.db();
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) return;
  const token = await db.transaction(async (tx) => {
    const issued = await issueEmailToken(tx, { purpose: "reset_password", email, userId: user.id });
    await audit(c, tx, { action: "user.password_reset_requested", targetType: "user", targetId: user.id });
    return issued;
  });
  await trySendEmail(c, emails.passwordReset(email, appUrl(c, linkWithRedirect(`/reset-password?token=${token}`, redirect))));
}

export const authPasswordReset = createApp()
  .openapi(requestRoute, async (c) => {
    const { email, redirect } = c.req.valid("json");
    const db = c.var.db();
    await enforceRateLimits(db, [
      { key: `password-reset:ip:${clientIp(c) ?? "unknown"}`, limit: 10, windowSeconds: 3600 },
      { key: `password-reset:email:${email}`, limit: 3, windowSeconds: 3600 },
    ]);
    // Whether the address has an account must not show in the answer nor in its timing (an
    // existing one costs a token, an audit row and an email): all of that runs after it.
    c.var.afterResponse("password reset email", () => emailResetLink(c, email, redirect));
    return c.json({ status: "accepted" as const }, 202);
  })
  .openapi(resetRoute, async (c) => {
    const { token, password } = c.req.valid("json");
    const db = c.var.db();
    await enforceRateLimits(db, [{ key: `password-reset-confirm:ip:${clientIp(c) ?? "unknown"}`, limit: 20, windowSeconds: 3600 }]);
    const result = await db.transaction(async (tx) => {
      const link = await consumeEmailToken(tx, "reset_password", token);
      if (!link?.userId) throw await emailTokenError(tx, "reset_password", token);
      const [owner] = await tx
        .select()
        .from(users)
        .where(and(eq(users.id, link.userId), eq(users.email, link.email)))
        .for("update");
      // The link was for the address the account had then; if it has changed, the link is void.
      if (!owner) throw new ApiError(400, "token_invalid", "This link is for an address the account no longer uses.");
      // Refused before anything changes: the transaction rolls back and the link still works.
      await requireStrongPassword(password, owner);
      // The link proves the address: a squatter who registered it without owning it loses every way in.
      await claimAccount(tx, owner);
      const hash = await hashPassword(password);
      await tx
        .insert(passwords)
        .values({ userId: link.userId, hash })
        .onConflictDoUpdate({ target: passwords.userId, set: { hash, updatedAt: new Date() } });
      // Whoever knew the old password (or held a session) is out; the lockout they caused is lifted.
      await revokeOtherSessions(tx, link.userId);
      await voidEmailTokens(tx, "reset_password", link.userId);
      const [user] = await tx.update(users).set({ failedLoginCount: 0, lockedUntil: null, updatedAt: new Date() }).where(eq(users.id, link.userId)).returning();
      await audit(c, tx, { action: "user.password_reset", targetType: "user", targetId: link.userId, actorUserId: link.userId });
      return finishSignIn(c, tx, user!, "password_reset");
    });
    return c.json(result, 200);
  });
