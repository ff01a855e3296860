/** `/api/account/totp`: enrol in, confirm, regenerate recovery codes for, and turn off TOTP. */
import { z } from "@hono/zod-openapi";
import { and, eq, isNull } from "drizzle-orm";
import { totp } from "../../../drizzle/schema";
import { requireSession } from "../auth/middleware";
import { reauthenticate } from "../auth/reauth";
import { TotpCodeSchema } from "../auth/schemas";
import { consumeTotpCode, findTotp } from "../auth/second-factor";
import { startSession } from "../auth/sessions";
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpUri } from "../auth/totp";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { RecoveryCodesSchema, TotpSetupSchema as SetupSchema } from "../../../protocol/api/account";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";



const CodeBodySchema = z.strictObject({ code: TotpCodeSchema }).openapi("TotpCode");
const DisableSchema = z
  .union([z.strictObject({ password: z.string().max(1024) }), z.strictObject({ code: TotpCodeSchema })])
  .openapi("TotpDisable", { description: "The account's password, or a current TOTP code." });

const tooMany = { 429: jsonResponse(ErrorSchema, "Too many attempts, or the account is locked (see Retry-After).") };

const setupRoute = defineRoute({
  method: "post",
  path: "/totp/setup",
  operationId: "startTotpSetup",
  access: "session",
  tags: ["account"],
  summary: "Start enrolling in TOTP: a new secret, not yet in force",
  description: "Replaces an unconfirmed enrolment. Confirm it with `POST /api/account/totp/enable`.",
  responses: { 200: jsonResponse(SetupSchema, "The secret to add to an authenticator app."), 409: jsonResponse(ErrorSchema, "TOTP is already on."), ...tooMany },
});

const enableRoute = defineRoute({
  method: "post",
  path: "/totp/enable",
  operationId: "enableTotp",
  access: "session",
  tags: ["account"],
  summary: "Turn TOTP on with a first code; answers the recovery codes, once",
  description: "Opens a new session in place of this one.",
  request: { body: jsonBody(CodeBodySchema) },
  responses: {
    200: jsonResponse(RecoveryCodesSchema, "TOTP is on."),
    400: jsonResponse(ErrorSchema, "The code is wrong (`invalid_code`)."),
    409: jsonResponse(ErrorSchema, "No enrolment started, or TOTP is already on."),
    ...tooMany,
  },
});

const disableRoute = defineRoute({
  method: "post",
  path: "/totp/disable",
  operationId: "disableTotp",
  access: "session",
  tags: ["account"],
  summary: "Turn TOTP off (needs the password or a current code)",
  request: { body: jsonBody(DisableSchema) },
  responses: { 204: { description: "TOTP is off; the recovery codes are void." }, 409: jsonResponse(ErrorSchema, "TOTP is not on."), ...tooMany },
});

const recoveryCodesRoute = defineRoute({
  method: "post",
  path: "/totp/recovery-codes",
  operationId: "replaceRecoveryCodes",
  access: "session",
  tags: ["account"],
  summary: "Replace the recovery codes (needs a current code)",
  request: { body: jsonBody(CodeBodySchema) },
  responses: { 200: jsonResponse(RecoveryCodesSchema, "The new codes; the old ones are void."), 409: jsonResponse(ErrorSchema, "TOTP is not on."), ...tooMany },
});

const alreadyOn = () => new ApiError(409, "totp_enabled", "Two-factor authentication is already on. Turn it off first to enrol a new device.");
const notOn = () => new ApiError(409, "totp_not_enabled", "Two-factor authentication is not on.");

async function hashAll(codes: string[]): Promise<string[]> {
  return Promise.all(codes.map(hashRecoveryCode));
}

export const accountTotp = createApp()
  .openapi(setupRoute, async (c) => {
    const { user } = requireSession(c);
    const db = c.var.db();
    await enforceRateLimits(db, [{ key: `totp-setup:user:${user.id}`, limit: 10, windowSeconds: 3600 }]);
    const secret = newTotpSecret();
    const stored = await db.transaction(async (tx) => {
      const pending = { secret, enabledAt: null, lastUsedStep: null, recoveryCodeHashes: [] };
      // The `where` keeps a confirmed enrolment out of reach, even against a concurrent enable.
      const [row] = await tx
        .insert(totp)
        .values({ userId: user.id, ...pending })
        .onConflictDoUpdate({ target: totp.userId, set: { ...pending, createdAt: new Date() }, setWhere: isNull(totp.enabledAt) })
        .returning();
      if (row) await audit(c, tx, { action: "user.totp_setup", targetType: "user", targetId: user.id });
      return row;
    });
    if (!stored) throw alreadyOn();
    return c.json({ secret, otpauthUri: totpUri(secret, user.email) }, 200);
  })
  .openapi(enableRoute, async (c) => {
    const auth = requireSession(c);
    const { code } = c.req.valid("json");
    const db = c.var.db();
    await enforceRateLimits(db, [{ key: `totp-enable:user:${auth.user.id}`, limit: 10, windowSeconds: 600 }]);
    const recoveryCodes = newRecoveryCodes();
    const hashes = await hashAll(recoveryCodes);
    await db.transaction(async (tx) => {
      const pending = await findTotp(tx, auth.user.id, "pending");
      if (!pending) throw (await findTotp(tx, auth.user.id, "enabled")) ? alreadyOn() : new ApiError(409, "totp_not_set_up", "Start with POST /api/account/totp/setup.");
      if (!(await consumeTotpCode(tx, pending, code))) {
        throw new ApiError(400, "invalid_code", "That code is not valid. Check the time on your device, and use the newest code.");
      }
      const [enabled] = await tx
        .update(totp)
        .set({ enabledAt: new Date(), recoveryCodeHashes: hashes })
        .where(and(eq(totp.userId, auth.user.id), isNull(totp.enabledAt)))
        .returning({ userId: totp.userId });
      if (!enabled) throw alreadyOn();
      await audit(c, tx, { action: "user.totp_enabled", targetType: "user", targetId: auth.user.id });
      // A privilege change: the session token in use until now is replaced.
      await startSession(c, tx, auth.user.id, { method: auth.session.method, fullyAuthenticated: true });
    });
    return c.json({ recoveryCodes }, 200);
  })
  .openapi(disableRoute, async (c) => {
    const { user } = requireSession(c);
    const proof = c.req.valid("json");
    const db = c.var.db();
    if (!(await findTotp(db, user.id, "enabled"))) throw notOn();
    await reauthenticate(c, db, user, proof);
    await db.transaction(async (tx) => {
      await tx.delete(totp).where(eq(totp.userId, user.id));
      await audit(c, tx, { action: "user.totp_disabled", targetType: "user", targetId: user.id, data: { proof: "password" in proof ? "password" : "totp" } });
    });
    return c.body(null, 204);
  })
  .openapi(recoveryCodesRoute, async (c) => {
    const { user } = requireSession(c);
    const { code } = c.req.valid("json");
    const db = c.var.db();
    if (!(await findTotp(db, user.id, "enabled"))) throw notOn();
    await reauthenticate(c, db, user, { code });
    const recoveryCodes = newRecoveryCodes();
    const hashes = await hashAll(recoveryCodes);
    await db.transaction(async (tx) => {
      const [row] = await tx.update(totp).set({ recoveryCodeHashes: hashes }).where(eq(totp.userId, user.id)).returning({ userId: totp.userId });
      if (!row) throw notOn();
      await audit(c, tx, { action: "user.totp_recovery_codes_regenerated", targetType: "user", targetId: user.id });
    });
    return c.json({ recoveryCodes }, 200);
  });
