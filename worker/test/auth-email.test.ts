import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { magicLinks, passwords, sessions, users } from "../../drizzle/schema";
import {
  type ApiError,
  auditActions,
  call,
  expectJson,
  mailbox,
  newClient,
  signUp,
  tokenFromEmail,
  uniqueEmail,
  waitForMail,
  withDatabase,
} from "./helpers";
import { squatter } from "./squatter";

/** Moves every token emailed to `email` one minute past its expiry. */
async function expireTokens(email: string): Promise<void> {
  await withDatabase((db) => db.update(magicLinks).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(magicLinks.email, email)));
}

async function userRow(email: string) {
  const [row] = await withDatabase((db) => db.select().from(users).where(eq(users.email, email)));
  return row!;
}

describe("email verification", () => {
  it("confirms the address with the signup link, signed out, and only once", async () => {
    const { email, client, user } = await signUp();
    const token = await tokenFromEmail(email, /Confirm your email/);
    const verified = await expectJson<{ email: string; emailVerified: boolean }>(call(newClient(), "/api/auth/verify-email", { body: { token } }), 200);
    expect(verified).toEqual({ email, emailVerified: true });
    const me = await expectJson<{ user: { emailVerified: boolean } }>(call(client, "/api/me"), 200);
    expect(me.user.emailVerified).toBe(true);
    const again = await expectJson<ApiError>(call(newClient(), "/api/auth/verify-email", { body: { token } }), 400);
    expect(again.error.code).toBe("token_used");
    expect(await auditActions(user.id)).toContain("user.email_verified");
  });

  it("says clearly when the link has expired, and leaves the address unconfirmed", async () => {
    const { email, client } = await signUp();
    const token = await tokenFromEmail(email, /Confirm your email/);
    await expireTokens(email);
    const error = await expectJson<ApiError>(call(client, "/api/auth/verify-email", { body: { token } }), 400);
    expect(error.error).toMatchObject({ code: "token_expired", message: "This link has expired. Ask for a new one." });
    expect((await userRow(email)).emailVerifiedAt).toBeNull();
  });

  it("refuses an unknown token, and a token made for another purpose", async () => {
    const unknown = await expectJson<ApiError>(call(newClient(), "/api/auth/verify-email", { body: { token: "x".repeat(43) } }), 400);
    expect(unknown.error.code).toBe("token_invalid");
    const email = uniqueEmail("purpose");
    await expectJson(call(newClient(), "/api/auth/magic-link/request", { body: { email } }), 202);
    const loginToken = await tokenFromEmail(email, /sign-in link/);
    const wrongPurpose = await expectJson<ApiError>(call(newClient(), "/api/auth/verify-email", { body: { token: loginToken } }), 400);
    expect(wrongPurpose.error.code).toBe("token_invalid");
    // The login link still works for what it was made for.
    await expectJson(call(newClient(), "/api/auth/magic-link/verify", { body: { token: loginToken } }), 200);
  });

  it("resends a fresh link to a signed-in user, rate-limited per account", async () => {
    const { email, client } = await signUp();
    await expectJson(call(newClient(), "/api/auth/verify-email/resend", { method: "POST" }), 401);
    const before = (await mailbox(email)).length;
    for (let i = 0; i < 5; i++) expect((await call(client, "/api/auth/verify-email/resend", { method: "POST" })).status).toBe(202);
    expect((await mailbox(email)).length).toBe(before + 5);
    const limited = await call({ ...client, ip: newClient().ip }, "/api/auth/verify-email/resend", { method: "POST" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // The newest link works.
    const token = await tokenFromEmail(email, /Confirm your email/);
    await expectJson(call(client, "/api/auth/verify-email", { body: { token } }), 200);
  });

  it("does not resend once the address is confirmed", async () => {
    const { email, client } = await signUp();
    await expectJson(call(client, "/api/auth/verify-email", { body: { token: await tokenFromEmail(email, /Confirm your email/) } }), 200);
    const error = await expectJson<ApiError>(call(client, "/api/auth/verify-email/resend", { method: "POST" }), 409);
    expect(error.error.code).toBe("already_verified");
  });
});

describe("password reset", () => {
  it("answers 202 alike for known and unknown emails, and emails only the account", async () => {
    const { email } = await signUp();
    const nobody = uniqueEmail("nobody");
    const known = await call(newClient(), "/api/auth/password-reset/request", { body: { email } });
    const unknown = await call(newClient(), "/api/auth/password-reset/request", { body: { email: nobody } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    // Nothing but the request id and the date may differ: same body, same headers.
    const headers = (res: Response) => [...res.headers].filter(([name]) => !["x-request-id", "date"].includes(name));
    expect(headers(known)).toEqual(headers(unknown));
    expect(await known.text()).toBe(await unknown.text());
    // The email goes out after the answer: wait for it.
    const [message] = await waitForMail(email, /Reset your Kiln password/);
    expect(message?.subject).toBe("Reset your Kiln password");
    expect(message?.text).toMatch(/http:\/\/kiln\.test\/reset-password\?token=[A-Za-z0-9_-]{43}/);
    expect(await mailbox(nobody)).toEqual([]);
  });

  it("sets the new password, signs out everywhere, unlocks, confirms the email and signs in", async () => {
    const { email, password, client, user } = await signUp();
    const other = newClient();
    await expectJson(call(other, "/api/auth/login", { body: { email, password } }), 200);
    // Lock the account first: the reset must lift the lock.
    for (let i = 0; i < 10; i++) await call(newClient(), "/api/auth/login", { body: { email, password: `wrong-${i}-pw` } });
    expect((await userRow(email)).lockedUntil).not.toBeNull();

    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    const token = await tokenFromEmail(email, /Reset your Kiln password/);
    const resetter = newClient();
    const result = await expectJson<{ status: string; user: { email: string; emailVerified: boolean } }>(
      call(resetter, "/api/auth/password-reset", { body: { token, password: "a brand new password" } }),
      200,
    );
    expect(result).toMatchObject({ status: "signed_in", user: { email, emailVerified: true } });
    await expectJson(call(resetter, "/api/me"), 200);
    await expectJson(call(client, "/api/me"), 401);
    await expectJson(call(other, "/api/me"), 401);
    const row = await userRow(email);
    expect(row.failedLoginCount).toBe(0);
    expect(row.lockedUntil).toBeNull();
    expect(row.emailVerifiedAt).not.toBeNull();
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password } }), 401);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password: "a brand new password" } }), 200);
    const reused = await expectJson<ApiError>(call(newClient(), "/api/auth/password-reset", { body: { token, password: "yet another password" } }), 400);
    expect(reused.error.code).toBe("token_used");
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(["user.locked", "user.password_reset_requested", "user.password_reset"]));
  }, 30_000);

  it("takes an unconfirmed account back from whoever registered the address: API keys and TOTP go with the password", async () => {
    const squat = await squatter();
    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email: squat.email } }), 202);
    const token = await tokenFromEmail(squat.email, /Reset your Kiln password/);
    const owner = newClient();
    // With the squatter's TOTP left in place this answered mfa_required: a code only the squatter has.
    const result = await expectJson<{ status: string }>(call(owner, "/api/auth/password-reset", { body: { token, password: "marmalade tugboat quietly" } }), 200);
    expect(result.status).toBe("signed_in");
    await expectJson(call(owner, "/api/me"), 200);
    const apiKeyGone = await expectJson<ApiError>(call({ ...newClient(), bearer: squat.apiKey }, "/api/me"), 401);
    expect(apiKeyGone.error.code).toBe("invalid_api_key");
    await expectJson(call(newClient(), "/api/auth/login", { body: { email: squat.email, password: squat.password } }), 401);
    const login = await expectJson<{ status: string }>(call(newClient(), "/api/auth/login", { body: { email: squat.email, password: "marmalade tugboat quietly" } }), 200);
    expect(login.status).toBe("signed_in");
  });

  it("voids the other reset links once one has worked", async () => {
    const { email } = await signUp();
    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    const first = await tokenFromEmail(email, /Reset your Kiln password/);
    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    const second = await tokenFromEmail(email, /Reset your Kiln password/, 2);
    expect(second).not.toBe(first);
    await expectJson(call(newClient(), "/api/auth/password-reset", { body: { token: second, password: "the second password" } }), 200);
    const error = await expectJson<ApiError>(call(newClient(), "/api/auth/password-reset", { body: { token: first, password: "the first password" } }), 400);
    expect(error.error.code).toBe("token_used");
  });

  it("refuses an expired link and a weak password, changing nothing", async () => {
    const { email, password, user } = await signUp();
    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    const token = await tokenFromEmail(email, /Reset your Kiln password/);
    const weak = await expectJson<ApiError>(call(newClient(), "/api/auth/password-reset", { body: { token, password: "short" } }), 400);
    expect(weak.error.fields?.password).toBeDefined();
    await expireTokens(email);
    const expired = await expectJson<ApiError>(call(newClient(), "/api/auth/password-reset", { body: { token, password: "long enough now" } }), 400);
    expect(expired.error.code).toBe("token_expired");
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password } }), 200);
    const hashes = await withDatabase((db) => db.select().from(passwords).where(eq(passwords.userId, user.id)));
    expect(hashes).toHaveLength(1);
  });

  it("gives a password to an account that had none (signed up by magic link)", async () => {
    const email = uniqueEmail("nopw");
    await expectJson(call(newClient(), "/api/auth/magic-link/request", { body: { email } }), 202);
    await expectJson(call(newClient(), "/api/auth/magic-link/verify", { body: { token: await tokenFromEmail(email, /sign-in link/) } }), 200);
    const { id } = await userRow(email);
    expect(await withDatabase((db) => db.select().from(passwords).where(eq(passwords.userId, id)))).toHaveLength(0);
    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    const token = await tokenFromEmail(email, /Reset your Kiln password/);
    await expectJson(call(newClient(), "/api/auth/password-reset", { body: { token, password: "first password ever" } }), 200);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password: "first password ever" } }), 200);
  });

  it("rate-limits requests per email and per address, with Retry-After", async () => {
    const email = uniqueEmail("reset-rl");
    for (let i = 0; i < 3; i++) await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    const perEmail = await call(newClient(), "/api/auth/password-reset/request", { body: { email } });
    expect(perEmail.status).toBe(429);
    expect(Number(perEmail.headers.get("retry-after"))).toBeGreaterThan(0);
    const client = newClient();
    for (let i = 0; i < 10; i++) await expectJson(call(client, "/api/auth/password-reset/request", { body: { email: uniqueEmail("r") } }), 202);
    const perIp = await call(client, "/api/auth/password-reset/request", { body: { email: uniqueEmail("r") } });
    expect(perIp.status).toBe(429);
    expect(((await perIp.json()) as ApiError).error.code).toBe("rate_limited");
  });

  it("keeps no session after the reset that the old password opened", async () => {
    const { email, user } = await signUp();
    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    const token = await tokenFromEmail(email, /Reset your Kiln password/);
    await expectJson(call(newClient(), "/api/auth/password-reset", { body: { token, password: "after the reset" } }), 200);
    const rows = await withDatabase((db) => db.select().from(sessions).where(and(eq(sessions.userId, user.id), eq(sessions.method, "password"))));
    expect(rows).toHaveLength(0);
  });
});
