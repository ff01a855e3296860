/** `/api/auth/verify-email`: confirm the account's email address, and send the link again. */
import { z } from "@hono/zod-openapi";
import { and, eq, isNull } from "drizzle-orm";
import { users } from "../../../drizzle/schema";
import { consumeEmailToken, emailTokenError, issueEmailToken } from "../auth/email-tokens";
import { requireSession } from "../auth/middleware";
import { EmailTokenSchema } from "../auth/schemas";
import { clientIp } from "../auth/sessions";
import { sendEmail } from "../email/sender";
import { emails } from "../email/templates";
import { appUrl } from "../lib/app-url";
import { EmailVerifiedSchema as VerifiedSchema } from "../../../protocol/api/account";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";


const verifyRoute = defineRoute({
  method: "post",
  path: "/verify-email",
  operationId: "verifyEmail",
  access: "public",
  tags: ["auth"],
  summary: "Confirm an email address with the token from the emailed link",
  description: "Works signed in or not. Each link works once, for 24 hours.",
  request: { body: jsonBody(z.strictObject({ token: EmailTokenSchema }).openapi("VerifyEmail")) },
  responses: {
    200: jsonResponse(VerifiedSchema, "The address is confirmed."),
    400: jsonResponse(ErrorSchema, "The link is invalid, expired (`token_expired`) or already used (`token_used`)."),
    429: jsonResponse(ErrorSchema, "Too many attempts from this address."),
  },
});

const resendRoute = defineRoute({
  method: "post",
  path: "/verify-email/resend",
  operationId: "resendVerificationEmail",
  access: "session",
  tags: ["auth"],
  summary: "Email a new confirmation link to the signed-in user",
  responses: {
    202: { description: "The email is on its way." },
    409: jsonResponse(ErrorSchema, "The address is already confirmed."),
    429: jsonResponse(ErrorSchema, "Too many emails asked for (see Retry-After)."),
    503: jsonResponse(ErrorSchema, "The email could not be sent; try again later."),
  },
});

export const authEmail = createApp()
  .openapi(verifyRoute, async (c) => {
    const { token } = c.req.valid("json");
    const db = c.var.db();
    await enforceRateLimits(db, [{ key: `verify-email:ip:${clientIp(c) ?? "unknown"}`, limit: 30, windowSeconds: 600 }]);
    const email = await db.transaction(async (tx) => {
      const link = await consumeEmailToken(tx, "verify_email", token);
      if (!link?.userId) throw await emailTokenError(tx, "verify_email", token);
      // The link confirms the address it was sent to: if the account's email changed since, it confirms nothing.
      const [user] = await tx.select().from(users).where(and(eq(users.id, link.userId), eq(users.email, link.email)));
      if (!user) throw new ApiError(400, "token_invalid", "This link is for an address the account no longer uses.");
      if (!user.emailVerifiedAt) {
        await tx.update(users).set({ emailVerifiedAt: new Date(), updatedAt: new Date() }).where(and(eq(users.id, user.id), isNull(users.emailVerifiedAt)));
        await audit(c, tx, { action: "user.email_verified", targetType: "user", targetId: user.id, actorUserId: user.id, data: { email: user.email } });
      }
      return user.email;
    });
    return c.json({ email, emailVerified: true as const }, 200);
  })
  .openapi(resendRoute, async (c) => {
    const { user } = requireSession(c);
    const db = c.var.db();
    await enforceRateLimits(db, [
      { key: `verify-email-resend:user:${user.id}`, limit: 5, windowSeconds: 3600 },
      { key: `verify-email-resend:ip:${clientIp(c) ?? "unknown"}`, limit: 20, windowSeconds: 3600 },
    ]);
    if (user.emailVerifiedAt) throw new ApiError(409, "already_verified", "Your email address is already confirmed.");
    const token = await db.transaction(async (tx) => {
      const issued = await issueEmailToken(tx, { purpose: "verify_email", email: user.email, userId: user.id });
      await audit(c, tx, { action: "user.email_verification_sent", targetType: "user", targetId: user.id });
      return issued;
    });
    // Asked for on purpose: if the email cannot go, say so (503) rather than pretend.
    await sendEmail(c, emails.verifyEmail(user.email, appUrl(c, `/verify-email?token=${token}`)));
    return c.body(null, 202);
  });
