/** `/api/account/password`: change (or, for a password-less account, set) the password. */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { passwords } from "../../../drizzle/schema";
import { voidEmailTokens } from "../auth/email-tokens";
import { requireSession } from "../auth/middleware";
import { hashPassword } from "../auth/password";
import { requireStrongPassword } from "../auth/password-strength";
import { reauthenticate } from "../auth/reauth";
import { PasswordSchema } from "../auth/schemas";
import { revokeOtherSessions, startSession } from "../auth/sessions";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";

const ChangeSchema = z
  .strictObject({
    currentPassword: z.string().max(1024).optional().openapi({ description: "Required when the account has a password." }),
    newPassword: PasswordSchema,
  })
  .openapi("PasswordChange");

const changeRoute = defineRoute({
  method: "post",
  path: "/password",
  operationId: "changePassword",
  access: "session",
  tags: ["account"],
  summary: "Change the password; signs out every other session",
  description: "Opens a new session in place of this one. An account without a password (magic link, OAuth) sets one without `currentPassword`.",
  request: { body: jsonBody(ChangeSchema) },
  responses: {
    204: { description: "Changed." },
    400: jsonResponse(ErrorSchema, "The new password is not acceptable (`weak_password`: too easy to guess, the reason in `fields.newPassword`), or `currentPassword` is missing."),
    429: jsonResponse(ErrorSchema, "Too many attempts, or the account is locked (see Retry-After)."),
  },
});

export const accountPassword = createApp().openapi(changeRoute, async (c) => {
  // requireSession refuses pending sessions, so a password-less account still proved its second factor.
  const auth = requireSession(c);
  const { currentPassword, newPassword } = c.req.valid("json");
  const { user, session } = auth;
  await requireStrongPassword(newPassword, user, "newPassword");
  const db = c.var.db();
  const [existing] = await db.select({ userId: passwords.userId }).from(passwords).where(eq(passwords.userId, user.id));
  if (existing) {
    if (currentPassword === undefined) {
      throw new ApiError(400, "invalid_request", "Enter your current password.", { currentPassword: ["Enter your current password."] });
    }
    await reauthenticate(c, db, user, { password: currentPassword });
  }
  const hash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await tx.insert(passwords).values({ userId: user.id, hash }).onConflictDoUpdate({ target: passwords.userId, set: { hash, updatedAt: new Date() } });
    await revokeOtherSessions(tx, user.id, session.id);
    // A reset link sent before the change must not undo it.
    await voidEmailTokens(tx, "reset_password", user.id);
    await audit(c, tx, { action: existing ? "user.password_change" : "user.password_set", targetType: "user", targetId: user.id });
    await startSession(c, tx, user.id, { method: session.method, fullyAuthenticated: true });
  });
  return c.body(null, 204);
});
