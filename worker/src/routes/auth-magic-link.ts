/** `/api/auth/magic-link`: sign in (or sign up) with a single-use link emailed to the address. */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { users } from "../../../drizzle/schema";
import { claimAccount } from "../auth/claim";
import { consumeEmailToken, emailTokenError, issueEmailToken } from "../auth/email-tokens";
import { AcceptedSchema, EmailSchema, EmailTokenSchema, RedirectSchema, SignInResultSchema, linkWithRedirect } from "../auth/schemas";
import { clientIp } from "../auth/sessions";
import { finishSignIn } from "../auth/sign-in";
import { sendEmail } from "../email/sender";
import { emails } from "../email/templates";
import { appUrl } from "../lib/app-url";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";

const requestRoute = defineRoute({
  method: "post",
  path: "/magic-link/request",
  operationId: "requestMagicLink",
  access: "public",
  tags: ["auth"],
  summary: "Email a sign-in link",
  description:
    "Always answers 202, whether or not an account has this email: for a new address, the link creates the account. The link works once, for 15 minutes, and carries `redirect` (the page to open after signing in).",
  request: { body: jsonBody(z.strictObject({ email: EmailSchema, redirect: RedirectSchema.optional() }).openapi("MagicLinkRequest")) },
  responses: {
    202: jsonResponse(AcceptedSchema, "A sign-in link is on its way."),
    400: jsonResponse(ErrorSchema, "Not an email address."),
    429: jsonResponse(ErrorSchema, "Too many requests for this address or from this network (see Retry-After)."),
    503: jsonResponse(ErrorSchema, "The email could not be sent; try again later."),
  },
});

const verifyRoute = defineRoute({
  method: "post",
  path: "/magic-link/verify",
  operationId: "signInWithMagicLink",
  access: "public",
  tags: ["auth"],
  summary: "Sign in with the token from a sign-in link",
  description: "Confirms the email. Answers `mfa_required` when the account has TOTP: finish with `POST /api/auth/totp`.",
  request: { body: jsonBody(z.strictObject({ token: EmailTokenSchema }).openapi("MagicLinkVerify")) },
  responses: {
    200: jsonResponse(SignInResultSchema, "Signed in, or a second factor is owed."),
    400: jsonResponse(ErrorSchema, "The link is invalid, expired (`token_expired`) or already used (`token_used`)."),
    409: jsonResponse(ErrorSchema, "The account was being created by a concurrent request; try again."),
    429: jsonResponse(ErrorSchema, "Too many attempts from this address."),
  },
});

export const authMagicLink = createApp()
  .openapi(requestRoute, async (c) => {
    const { email, redirect } = c.req.valid("json");
    const db = c.var.db();
    await enforceRateLimits(db, [
      { key: `magic-link:ip:${clientIp(c) ?? "unknown"}`, limit: 10, windowSeconds: 3600 },
      { key: `magic-link:email:${email}`, limit: 5, windowSeconds: 3600 },
    ]);
    const token = await db.transaction(async (tx) => {
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
      const issued = await issueEmailToken(tx, { purpose: "login", email, userId: user?.id ?? null });
      await audit(c, tx, { action: "auth.magic_link_requested", targetType: "user", targetId: user?.id ?? null, data: { email } });
      return issued;
    });
    // Every address gets an email (new ones sign up through it), so a 503 tells nothing about accounts.
    await sendEmail(c, emails.magicLink(email, appUrl(c, linkWithRedirect(`/magic-link?token=${token}`, redirect))));
    return c.json({ status: "accepted" as const }, 202);
  })
  .openapi(verifyRoute, async (c) => {
    const { token } = c.req.valid("json");
    const db = c.var.db();
    await enforceRateLimits(db, [{ key: `magic-link-verify:ip:${clientIp(c) ?? "unknown"}`, limit: 30, windowSeconds: 600 }]);
    const result = await db.transaction(async (tx) => {
      const link = await consumeEmailToken(tx, "login", token);
      if (!link) throw await emailTokenError(tx, "login", token);
      // An account may have been created for this address since the link was sent: use it,
      // claimed from whoever may have registered the address without owning it.
      let [user] = await tx.select().from(users).where(eq(users.email, link.email)).for("update");
      if (link.userId && user?.id !== link.userId) {
        throw new ApiError(400, "token_invalid", "This link is for an address the account no longer uses.");
      }
      if (user) user = await claimAccount(tx, user);
      if (!user) {
        const [created] = await tx
          .insert(users)
          .values({ email: link.email, name: link.email.split("@")[0]!, emailVerifiedAt: new Date() })
          .onConflictDoNothing({ target: users.email })
          .returning();
        if (created) {
          await audit(c, tx, { action: "user.signup", targetType: "user", targetId: created.id, actorUserId: created.id, data: { method: "magic_link" } });
        }
        // Lost a race with another sign-up of this address: theirs is the account, claimed.
        const [raced] = created ? [created] : await tx.select().from(users).where(eq(users.email, link.email));
        user = raced && (await claimAccount(tx, raced));
      }
      if (!user) throw new ApiError(409, "conflict", "This account is being created by another request. Try the link again.");
      await audit(c, tx, { action: "user.login", targetType: "user", targetId: user.id, actorUserId: user.id, data: { method: "magic_link" } });
      return finishSignIn(c, tx, user, "magic_link");
    });
    return c.json(result, 200);
  });
