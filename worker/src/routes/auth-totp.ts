/** `/api/auth/totp`: the second step of signing in, for accounts with TOTP. */
import { z } from "@hono/zod-openapi";
import { clearFailedAttempts, assertNotLocked, recordFailedAttempt } from "../auth/lockout";
import { requireSession } from "../auth/middleware";
import { RecoveryCodeSchema, SignInResultSchema, TotpCodeSchema, publicUser } from "../auth/schemas";
import { consumeRecoveryCode, consumeTotpCode, findTotp } from "../auth/second-factor";
import { clientIp, completeSession } from "../auth/sessions";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";

const SecondFactorSchema = z
  .union([z.strictObject({ code: TotpCodeSchema }), z.strictObject({ recoveryCode: RecoveryCodeSchema })])
  .openapi("SecondFactor", { description: "A code from the authenticator app, or one of the recovery codes (each works once)." });

const totpRoute = defineRoute({
  method: "post",
  path: "/totp",
  operationId: "finishSignInWithSecondFactor",
  access: "session",
  tags: ["auth"],
  summary: "Finish signing in with a TOTP code or a recovery code",
  description: "Needs the pending session that a sign-in answering `mfa_required` opened; replaces it with a full session.",
  security: [{ session: [] }],
  request: { body: jsonBody(SecondFactorSchema) },
  responses: {
    200: jsonResponse(SignInResultSchema, "Signed in."),
    400: jsonResponse(ErrorSchema, "Neither a 6-digit code nor a recovery code."),
    409: jsonResponse(ErrorSchema, "This session is not waiting for a second factor."),
    429: jsonResponse(ErrorSchema, "Too many attempts, or the account is locked for a while (see Retry-After)."),
  },
});

export const authTotp = createApp().openapi(totpRoute, async (c) => {
  const auth = requireSession(c, { allowPending: true });
  if (auth.session.fullyAuthenticated) throw new ApiError(409, "not_pending", "You are already signed in.");
  const body = c.req.valid("json");
  const { user, session } = auth;
  const db = c.var.db();
  await enforceRateLimits(db, [
    { key: `totp:ip:${clientIp(c) ?? "unknown"}`, limit: 30, windowSeconds: 600 },
    { key: `totp:user:${user.id}`, limit: 15, windowSeconds: 600 },
  ]);
  assertNotLocked(user);
  const result = await db.transaction(async (tx) => {
    const enrolment = await findTotp(tx, user.id, "enabled");
    if (!enrolment) return null;
    const ok = "code" in body ? await consumeTotpCode(tx, enrolment, body.code) : await consumeRecoveryCode(tx, user.id, body.recoveryCode);
    if (!ok) return null;
    await clearFailedAttempts(tx, user);
    await completeSession(c, tx, session);
    const factor = "code" in body ? "totp" : "recovery_code";
    await audit(c, tx, { action: "user.login", targetType: "user", targetId: user.id, data: { method: session.method, secondFactor: factor } });
    return { status: "signed_in" as const, user: publicUser(user) };
  });
  if (!result) {
    // Outside the transaction above, so the failure counts even though nothing else was written.
    await recordFailedAttempt(c, db, user.id);
    throw new ApiError(401, "invalid_code", "That code is not valid. Use a new code from your app, or a recovery code.");
  }
  return c.json(result, 200);
});
