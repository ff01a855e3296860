import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { totp, users } from "../../drizzle/schema";
import {
  type ApiError,
  type Client,
  auditActions,
  awayFromStepEdge,
  call,
  expectJson,
  newClient,
  signUp,
  tokenFromEmail,
  totpCode,
  withDatabase,
} from "./helpers";

interface Enrolled {
  client: Client;
  email: string;
  password: string;
  userId: string;
  secret: string;
  recoveryCodes: string[];
}

/** Signs up, confirms the email (an unconfirmed account's TOTP goes when the address is claimed) and turns TOTP on with the code of the previous step, leaving the current and next steps usable. */
async function enrolled(): Promise<Enrolled> {
  const { client, email, password, user } = await signUp({ confirmed: true });
  await awayFromStepEdge();
  const { secret } = await expectJson<{ secret: string }>(call(client, "/api/account/totp/setup", { method: "POST" }), 200);
  const { recoveryCodes } = await expectJson<{ recoveryCodes: string[] }>(call(client, "/api/account/totp/enable", { body: { code: totpCode(secret, -1) } }), 200);
  return { client, email, password, userId: user.id, secret, recoveryCodes };
}

/** Signs in with the password: a client holding a pending session. */
async function pendingLogin(email: string, password: string): Promise<Client> {
  const client = newClient();
  const result = await expectJson<{ status: string }>(call(client, "/api/auth/login", { body: { email, password } }), 200);
  expect(result).toEqual({ status: "mfa_required" });
  return client;
}

/** Lets the next code be accepted whatever steps were used: as if time had passed. */
async function forgetUsedSteps(userId: string): Promise<void> {
  await withDatabase((db) => db.update(totp).set({ lastUsedStep: null }).where(eq(totp.userId, userId)));
}

describe("TOTP enrolment", () => {
  it("gives a secret for the app, confirms it with a code, answers 10 recovery codes and a new session", async () => {
    const { client, email, user } = await signUp();
    await awayFromStepEdge();
    const first = await expectJson<{ secret: string; otpauthUri: string }>(call(client, "/api/account/totp/setup", { method: "POST" }), 200);
    // A second setup before confirming replaces the pending secret.
    const setup = await expectJson<{ secret: string; otpauthUri: string }>(call(client, "/api/account/totp/setup", { method: "POST" }), 200);
    expect(setup.secret).not.toBe(first.secret);
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUri.startsWith(`otpauth://totp/Kiln:${encodeURIComponent(email)}?`)).toBe(true);
    const params = new URL(setup.otpauthUri).searchParams;
    expect(Object.fromEntries(params)).toEqual({ issuer: "Kiln", algorithm: "SHA1", secret: setup.secret, period: "30", digits: "6" });

    const wrong = await expectJson<ApiError>(call(client, "/api/account/totp/enable", { body: { code: totpCode(first.secret) } }), 400);
    expect(wrong.error.code).toBe("invalid_code");
    const before = client.cookie;
    const { recoveryCodes } = await expectJson<{ recoveryCodes: string[] }>(call(client, "/api/account/totp/enable", { body: { code: totpCode(setup.secret) } }), 200);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    expect(client.cookie).not.toBe(before);
    await expectJson(call({ ...client, cookie: before }, "/api/me"), 401);
    const me = await expectJson<{ user: { totpEnabled: boolean } }>(call(client, "/api/me"), 200);
    expect(me.user.totpEnabled).toBe(true);

    const [row] = await withDatabase((db) => db.select().from(totp).where(eq(totp.userId, user.id)));
    expect(row!.recoveryCodeHashes).toHaveLength(10);
    expect(row!.recoveryCodeHashes.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    expect(row!.recoveryCodeHashes).not.toContain(recoveryCodes[0]);
    const again = await expectJson<ApiError>(call(client, "/api/account/totp/setup", { method: "POST" }), 409);
    expect(again.error.code).toBe("totp_enabled");
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(["user.totp_setup", "user.totp_enabled"]));
  });

  it("refuses to enable without a setup, and refuses API keys", async () => {
    const { client } = await signUp({ confirmed: true });
    const none = await expectJson<ApiError>(call(client, "/api/account/totp/enable", { body: { code: "123456" } }), 409);
    expect(none.error.code).toBe("totp_not_set_up");
    const { key } = await expectJson<{ key: string }>(call(client, "/api/account/api-keys", { body: { name: "k", scopes: ["account:read"] } }), 201);
    const viaKey = await expectJson<ApiError>(call({ ...newClient(), bearer: key }, "/api/account/totp/setup", { method: "POST" }), 403);
    expect(viaKey.error.code).toBe("insufficient_scope");
  });
});

describe("TOTP at sign-in", () => {
  it("holds a password sign-in at a pending session until the code is given", async () => {
    const { email, password, secret, userId } = await enrolled();
    const client = await pendingLogin(email, password);
    const pending = await expectJson<ApiError>(call(client, "/api/me"), 401);
    expect(pending.error.code).toBe("mfa_required");
    const pendingCookie = client.cookie;
    const result = await expectJson<{ status: string; user: { email: string } }>(call(client, "/api/auth/totp", { body: { code: totpCode(secret) } }), 200);
    expect(result).toMatchObject({ status: "signed_in", user: { email } });
    expect(client.cookie).not.toBe(pendingCookie);
    await expectJson(call(client, "/api/me"), 200);
    await expectJson(call({ ...client, cookie: pendingCookie }, "/api/me"), 401);
    const done = await expectJson<ApiError>(call(client, "/api/auth/totp", { body: { code: totpCode(secret, 1) } }), 409);
    expect(done.error.code).toBe("not_pending");
    expect(await auditActions(userId)).toContain("user.login");
  });

  it("refuses a code replayed, older than the last one used, or beyond one step of drift", async () => {
    const { email, password, secret, userId } = await enrolled();
    const code = totpCode(secret);
    await expectJson(call(await pendingLogin(email, password), "/api/auth/totp", { body: { code } }), 200);
    const client = await pendingLogin(email, password);
    for (const stale of [code, totpCode(secret, -1)]) {
      const error = await expectJson<ApiError>(call(client, "/api/auth/totp", { body: { code: stale } }), 401);
      expect(error.error.code).toBe("invalid_code");
    }
    await forgetUsedSteps(userId);
    for (const far of [totpCode(secret, -2), totpCode(secret, 2)]) await expectJson(call(client, "/api/auth/totp", { body: { code: far } }), 401);
    await expectJson(call(client, "/api/auth/totp", { body: { code: totpCode(secret, 1) } }), 200);
  });

  it("accepts each recovery code once, however it is typed", async () => {
    const { email, password, recoveryCodes, userId } = await enrolled();
    const typed = recoveryCodes[3]!.toUpperCase().replaceAll("-", " ");
    await expectJson(call(await pendingLogin(email, password), "/api/auth/totp", { body: { recoveryCode: typed } }), 200);
    const reused = await expectJson<ApiError>(call(await pendingLogin(email, password), "/api/auth/totp", { body: { recoveryCode: recoveryCodes[3] } }), 401);
    expect(reused.error.code).toBe("invalid_code");
    const [row] = await withDatabase((db) => db.select().from(totp).where(eq(totp.userId, userId)));
    expect(row!.recoveryCodeHashes).toHaveLength(9);
  });

  it("counts failed codes toward the password lockout, then rate-limits", async () => {
    const { email, password, secret, userId } = await enrolled();
    // Failures of both kinds add up: 4 wrong passwords, then wrong codes.
    for (let i = 0; i < 4; i++) await expectJson(call(newClient(), "/api/auth/login", { body: { email, password: `wrong-${i}-pw` } }), 401);
    const client = await pendingLogin(email, password); // a success of the first factor only: the count stands
    for (let i = 0; i < 6; i++) {
      const error = await expectJson<ApiError>(call(client, "/api/auth/totp", { body: { recoveryCode: `wrong-code-${i}` } }), 401);
      expect(error.error.code).toBe("invalid_code");
    }
    const [user] = await withDatabase((db) => db.select().from(users).where(eq(users.id, userId)));
    expect(user!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const locked = await call(client, "/api/auth/totp", { body: { code: totpCode(secret) } });
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as ApiError).error.code).toBe("account_locked");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
    const login = await call(newClient(), "/api/auth/login", { body: { email, password } });
    expect(login.status).toBe(429);
    // The per-account limit on code attempts (15 per 10 minutes) applies whatever the lock.
    let last: Response | undefined;
    for (let i = 0; i < 9; i++) last = await call({ ...client, ip: newClient().ip }, "/api/auth/totp", { body: { code: "000000" } });
    expect(last!.status).toBe(429);
    expect(((await last!.json()) as ApiError).error.code).toBe("rate_limited");
    expect(await auditActions(userId)).toContain("user.locked");
  }, 30_000);

  it("requires the code after a password reset and after a magic link too", async () => {
    const { email, secret } = await enrolled();
    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    const resetter = newClient();
    const reset = await expectJson<{ status: string }>(
      call(resetter, "/api/auth/password-reset", { body: { token: await tokenFromEmail(email, /Reset your Kiln password/), password: "new password here" } }),
      200,
    );
    expect(reset).toEqual({ status: "mfa_required" });
    await expectJson(call(resetter, "/api/me"), 401);
    await expectJson(call(newClient(), "/api/auth/magic-link/request", { body: { email } }), 202);
    const linked = newClient();
    const viaLink = await expectJson<{ status: string }>(
      call(linked, "/api/auth/magic-link/verify", { body: { token: await tokenFromEmail(email, /sign-in link/) } }),
      200,
    );
    expect(viaLink).toEqual({ status: "mfa_required" });
    await expectJson(call(linked, "/api/auth/totp", { body: { code: totpCode(secret) } }), 200);
    await expectJson(call(linked, "/api/me"), 200);
  });

  it("needs a session that is waiting for it", async () => {
    const anonymous = await expectJson<ApiError>(call(newClient(), "/api/auth/totp", { body: { code: "123456" } }), 401);
    expect(anonymous.error.code).toBe("unauthenticated");
    const { client } = await signUp();
    await expectJson(call(client, "/api/auth/totp", { body: { code: "123456" } }), 409);
    const both = await expectJson<ApiError>(call(client, "/api/auth/totp", { body: { code: "123456", recoveryCode: "abcd" } }), 400);
    expect(both.error.code).toBe("invalid_request");
  });
});

describe("turning TOTP off and new recovery codes", () => {
  it("turns off with the password (not a wrong one), after which sign-in needs no code", async () => {
    const { client, email, password, userId } = await enrolled();
    const wrong = await expectJson<ApiError>(call(client, "/api/account/totp/disable", { body: { password: "not the password" } }), 401);
    expect(wrong.error.code).toBe("invalid_credentials");
    await expectJson(call(client, "/api/account/totp/disable", { body: { password } }), 204);
    const login = await expectJson<{ status: string }>(call(newClient(), "/api/auth/login", { body: { email, password } }), 200);
    expect(login.status).toBe("signed_in");
    await expectJson(call(client, "/api/account/totp/disable", { body: { password } }), 409);
    expect(await auditActions(userId)).toContain("user.totp_disabled");
  });

  it("turns off with a current code, not with a replayed one", async () => {
    const { client, secret } = await enrolled();
    const code = totpCode(secret);
    await expectJson(call(client, "/api/account/totp/recovery-codes", { body: { code } }), 200);
    await expectJson(call(client, "/api/account/totp/disable", { body: { code } }), 401);
    await expectJson(call(client, "/api/account/totp/disable", { body: { code: totpCode(secret, 1) } }), 204);
    const me = await expectJson<{ user: { totpEnabled: boolean } }>(call(client, "/api/me"), 200);
    expect(me.user.totpEnabled).toBe(false);
  });

  it("replaces the recovery codes: the old ones stop working, the new ones work", async () => {
    const { client, email, password, secret, recoveryCodes: old } = await enrolled();
    await expectJson(call(client, "/api/account/totp/recovery-codes", { body: { code: "000000" } }), 401);
    const { recoveryCodes } = await expectJson<{ recoveryCodes: string[] }>(call(client, "/api/account/totp/recovery-codes", { body: { code: totpCode(secret) } }), 200);
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes).not.toContain(old[0]);
    await expectJson(call(await pendingLogin(email, password), "/api/auth/totp", { body: { recoveryCode: old[0] } }), 401);
    await expectJson(call(await pendingLogin(email, password), "/api/auth/totp", { body: { recoveryCode: recoveryCodes[0] } }), 200);
  });
});
