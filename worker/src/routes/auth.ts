/** `/api/auth`: sign up, sign in with a password, sign out. */
import { z } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import { passwords, sessions, users } from "../../../drizzle/schema";
import { issueEmailToken } from "../auth/email-tokens";
import { burnPasswordCheck, hashPassword, verifyPassword } from "../auth/password";
import { requireStrongPassword } from "../auth/password-strength";
import { EmailSchema, NameSchema, PasswordSchema, SignInResultSchema, publicUser } from "../auth/schemas";
import { clearSessionCookie, clientIp, readSessionToken, startSession } from "../auth/sessions";
import { finishSignIn, hasTotp } from "../auth/sign-in";
import { hashToken } from "../auth/tokens";
import { emails } from "../email/templates";
import { trySendEmail } from "../email/sender";
import { appUrl } from "../lib/app-url";
import { audit } from "../lib/audit";
import { ApiError, tooManyRequests } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";

/** Failed password checks in a row before the account locks, and for how long. */
export const LOCKOUT_THRESHOLD = 10;
export const LOCKOUT_MS = 15 * 60 * 1000;

const SignupSchema = z.strictObject({ email: EmailSchema, password: PasswordSchema, name: NameSchema.optional() }).openapi("Signup");
const LoginSchema = z.strictObject({ email: EmailSchema, password: z.string().max(1024) }).openapi("Login");

const signupRoute = defineRoute({
  method: "post",
  path: "/signup",
  operationId: "signUp",
  access: "public",
  tags: ["auth"],
  summary: "Create an account with email and password, and sign in",
  description: "Sends an email to confirm the address. The account works at once; some actions need a confirmed email.",
  request: { body: jsonBody(SignupSchema) },
  responses: {
    201: jsonResponse(SignInResultSchema, "Signed in to the new account."),
    400: jsonResponse(ErrorSchema, "Invalid email, password or name, or a password too easy to guess (`weak_password`, the reason in `fields.password`)."),
    409: jsonResponse(ErrorSchema, "An account with this email exists."),
    429: jsonResponse(ErrorSchema, "Too many sign-ups from this address."),
  },
});

const loginRoute = defineRoute({
  method: "post",
  path: "/login",
  operationId: "signIn",
  access: "public",
  tags: ["auth"],
  summary: "Sign in with email and password",
  description: "Answers `mfa_required` when the account has TOTP: finish with `POST /api/auth/totp`.",
  request: { body: jsonBody(LoginSchema) },
  responses: {
    200: jsonResponse(SignInResultSchema, "Signed in, or a second factor is owed."),
    401: jsonResponse(ErrorSchema, "Incorrect email or password."),
    429: jsonResponse(ErrorSchema, "Too many attempts, or the account is locked for a while (see Retry-After)."),
  },
});

const logoutRoute = defineRoute({
  method: "post",
  path: "/logout",
  operationId: "signOut",
  access: "public",
  tags: ["auth"],
  summary: "Sign out: end this session on the server and clear its cookie",
  responses: { 204: { description: "Signed out (also when there was no session)." } },
});

export const auth = createApp()
  .openapi(signupRoute, async (c) => {
    const { email, password, name } = c.req.valid("json");
    const db = c.var.db();
    await enforceRateLimits(db, [{ key: `signup:ip:${clientIp(c) ?? "unknown"}`, limit: 20, windowSeconds: 3600 }]);
    await requireStrongPassword(password, { email, name });
    const hash = await hashPassword(password);
    const { user, token } = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({ email, name: name ?? email.split("@")[0]! })
        .onConflictDoNothing({ target: users.email })
        .returning();
      if (!created) throw new ApiError(409, "email_taken", "An account with this email already exists. Sign in, or reset your password.");
      await tx.insert(passwords).values({ userId: created.id, hash });
      await audit(c, tx, { action: "user.signup", targetType: "user", targetId: created.id, actorUserId: created.id });
      const token = await issueEmailToken(tx, { purpose: "verify_email", email, userId: created.id });
      await startSession(c, tx, created.id, { method: "password", fullyAuthenticated: true });
      return { user: created, token };
    });
    // The account stands even if the email fails: the address can be confirmed later.
    await trySendEmail(c, emails.verifyEmail(email, appUrl(c, `/verify-email?token=${token}`)));
    return c.json({ status: "signed_in" as const, user: publicUser(user) }, 201);
  })
  .openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid("json");
    const db = c.var.db();
    await enforceRateLimits(db, [
      { key: `login:ip:${clientIp(c) ?? "unknown"}`, limit: 30, windowSeconds: 600 },
      { key: `login:email:${email}`, limit: 15, windowSeconds: 600 },
    ]);
    const [row] = await db.select({ user: users, hash: passwords.hash }).from(users).innerJoin(passwords, eq(passwords.userId, users.id)).where(eq(users.email, email));
    const wrong = () => new ApiError(401, "invalid_credentials", "Incorrect email or password.");
    if (!row) {
      await burnPasswordCheck(password);
      throw wrong();
    }
    const { user } = row;
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      const seconds = (user.lockedUntil.getTime() - Date.now()) / 1000;
      throw tooManyRequests("account_locked", `Too many failed sign-ins: this account is locked for ${Math.ceil(seconds / 60)} minutes. Reset your password to unlock it now.`, seconds);
    }
    const check = await verifyPassword(password, row.hash);
    if (!check.ok) {
      // One statement, so concurrent failures all count.
      const [after] = await db
        .update(users)
        .set({
          failedLoginCount: sql`case when ${users.failedLoginCount} + 1 >= ${LOCKOUT_THRESHOLD} then 0 else ${users.failedLoginCount} + 1 end`,
          lockedUntil: sql`case when ${users.failedLoginCount} + 1 >= ${LOCKOUT_THRESHOLD} then now() + make_interval(secs => ${LOCKOUT_MS / 1000}) else ${users.lockedUntil} end`,
        })
        .where(eq(users.id, user.id))
        .returning({ lockedUntil: users.lockedUntil });
      if (after?.lockedUntil && after.lockedUntil > new Date()) {
        await audit(c, db, { action: "user.locked", targetType: "user", targetId: user.id, actorUserId: user.id });
      }
      throw wrong();
    }
    const result = await db.transaction(async (tx) => {
      const changes: Partial<typeof users.$inferInsert> = {};
      // With TOTP the sign-in is not over: the count stands until the code is right, or a
      // known password would reset the lockout between batches of guessed codes.
      const clearFailures = (user.failedLoginCount > 0 || user.lockedUntil) && !(await hasTotp(tx, user.id));
      if (clearFailures) Object.assign(changes, { failedLoginCount: 0, lockedUntil: null });
      if (Object.keys(changes).length > 0) await tx.update(users).set(changes).where(eq(users.id, user.id));
      if (check.needsRehash) await tx.update(passwords).set({ hash: await hashPassword(password), updatedAt: new Date() }).where(eq(passwords.userId, user.id));
      await audit(c, tx, { action: "user.login", targetType: "user", targetId: user.id, actorUserId: user.id, data: { method: "password" } });
      return finishSignIn(c, tx, user, "password");
    });
    return c.json(result, 200);
  })
  .openapi(logoutRoute, async (c) => {
    const token = readSessionToken(c);
    if (token) await c.var.db().delete(sessions).where(eq(sessions.tokenHash, await hashToken(token)));
    clearSessionCookie(c);
    return c.body(null, 204);
  });
