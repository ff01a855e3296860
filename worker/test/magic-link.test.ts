import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { magicLinks, users } from "../../drizzle/schema";
import { type ApiError, auditActions, call, expectJson, mailbox, newClient, signUp, tokenFromEmail, uniqueEmail, waitForMail, withDatabase } from "./helpers";
import { expectSquatterLockedOut, squatter } from "./squatter";

async function requestLink(email: string, client = newClient()): Promise<string> {
  await expectJson(call(client, "/api/auth/magic-link/request", { body: { email } }), 202);
  return tokenFromEmail(email, /Your Kiln sign-in link/);
}

describe("magic-link sign-in", () => {
  it("signs an existing user in once, with a 15-minute link", async () => {
    const { email, user } = await signUp();
    const token = await requestLink(email);
    const [message] = await mailbox(email);
    expect(message!.text).toMatch(/http:\/\/kiln\.test\/magic-link\?token=[A-Za-z0-9_-]{43}/);
    const [row] = await withDatabase((db) => db.select().from(magicLinks).where(and(eq(magicLinks.email, email), eq(magicLinks.purpose, "login"))));
    const lifetime = row!.expiresAt.getTime() - row!.createdAt.getTime();
    expect(lifetime).toBeGreaterThan(14 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(15 * 60_000 + 1000);

    const client = newClient();
    const result = await expectJson<{ status: string; user: { id: string; emailVerified: boolean } }>(call(client, "/api/auth/magic-link/verify", { body: { token } }), 200);
    expect(result).toMatchObject({ status: "signed_in", user: { id: user.id, emailVerified: true } });
    await expectJson(call(client, "/api/me"), 200);
    const again = await expectJson<ApiError>(call(newClient(), "/api/auth/magic-link/verify", { body: { token } }), 400);
    expect(again.error.code).toBe("token_used");
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(["auth.magic_link_requested", "user.login"]));
  });

  it("takes an unconfirmed account back from whoever registered the address: their password and sessions go", async () => {
    const squatter = await signUp();
    const token = await requestLink(squatter.email);
    const owner = newClient();
    const result = await expectJson<{ user: { id: string; emailVerified: boolean } }>(call(owner, "/api/auth/magic-link/verify", { body: { token } }), 200);
    expect(result.user).toMatchObject({ id: squatter.user.id, emailVerified: true });
    await expectJson(call(squatter.client, "/api/me"), 401);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email: squatter.email, password: squatter.password } }), 401);
    await expectJson(call(owner, "/api/me"), 200);
  });

  it("takes the squatter's API keys and TOTP too: the key stops working and the owner is not asked for the squatter's code", async () => {
    const squat = await squatter();
    const owner = newClient();
    const result = await expectJson<{ status: string; user: { id: string } }>(call(owner, "/api/auth/magic-link/verify", { body: { token: await requestLink(squat.email) } }), 200);
    expect(result).toMatchObject({ status: "signed_in", user: { id: squat.user.id } });
    const me = await expectJson<{ user: { totpEnabled: boolean } }>(call(owner, "/api/me"), 200);
    expect(me.user.totpEnabled).toBe(false);
    await expectSquatterLockedOut(squat);
    // The next sign-in by link is not held at a second factor either.
    const again = await expectJson<{ status: string }>(call(newClient(), "/api/auth/magic-link/verify", { body: { token: await requestLink(squat.email) } }), 200);
    expect(again.status).toBe("signed_in");
  });

  it("keeps the password of an account whose email was already confirmed", async () => {
    const { email, password, user } = await signUp();
    await withDatabase((db) => db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id)));
    await expectJson(call(newClient(), "/api/auth/magic-link/verify", { body: { token: await requestLink(email) } }), 200);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password } }), 200);
  });

  it("creates a verified account for an unknown email only when the link is used", async () => {
    const email = uniqueEmail("new");
    const token = await requestLink(email);
    expect(await withDatabase((db) => db.select().from(users).where(eq(users.email, email)))).toHaveLength(0);
    const client = newClient();
    const result = await expectJson<{ status: string; user: { email: string; emailVerified: boolean } }>(call(client, "/api/auth/magic-link/verify", { body: { token } }), 200);
    expect(result).toMatchObject({ status: "signed_in", user: { email, emailVerified: true } });
    const me = await expectJson<{ user: { id: string; email: string } }>(call(client, "/api/me"), 200);
    expect(me.user.email).toBe(email);
    expect(await auditActions(me.user.id)).toEqual(["user.signup", "user.login"]);
  });

  it("answers the same for known and unknown addresses", async () => {
    const { email } = await signUp();
    const known = await call(newClient(), "/api/auth/magic-link/request", { body: { email } });
    const unknown = await call(newClient(), "/api/auth/magic-link/request", { body: { email: uniqueEmail("x") } });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(await known.json()).toEqual(await unknown.json());
  });

  it("lets only one of two simultaneous uses of a link through", async () => {
    const token = await requestLink(uniqueEmail("race"));
    const results = await Promise.all([0, 1].map(() => call(newClient(), "/api/auth/magic-link/verify", { body: { token } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it("refuses an expired link", async () => {
    const email = uniqueEmail("expired");
    const token = await requestLink(email);
    await withDatabase((db) => db.update(magicLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(magicLinks.email, email)));
    const error = await expectJson<ApiError>(call(newClient(), "/api/auth/magic-link/verify", { body: { token } }), 400);
    expect(error.error.code).toBe("token_expired");
    expect(await withDatabase((db) => db.select().from(users).where(eq(users.email, email)))).toHaveLength(0);
  });

  it("rate-limits requests per email and per address, with Retry-After", async () => {
    const email = uniqueEmail("ml-rl");
    for (let i = 0; i < 5; i++) await expectJson(call(newClient(), "/api/auth/magic-link/request", { body: { email } }), 202);
    const perEmail = await call(newClient(), "/api/auth/magic-link/request", { body: { email } });
    expect(perEmail.status).toBe(429);
    expect(Number(perEmail.headers.get("retry-after"))).toBeGreaterThan(0);
    const client = newClient();
    for (let i = 0; i < 10; i++) await expectJson(call(client, "/api/auth/magic-link/request", { body: { email: uniqueEmail("m") } }), 202);
    expect((await call(client, "/api/auth/magic-link/request", { body: { email: uniqueEmail("m") } })).status).toBe(429);
  });
});

describe("the page to return to, carried through emailed links", () => {
  // Waits: a reset email is sent after the answer.
  const linkIn = async (email: string, subject: RegExp) => new URL(/https?:\/\/\S+/.exec((await waitForMail(email, subject))[0]!.text)![0]);

  it("puts the path a person was going to into the sign-in and reset links, and leaves it out for /", async () => {
    const { email } = await signUp();
    const target = "/orgs/0f0e/projects/1a2b?tab=roles";
    await expectJson(call(newClient(), "/api/auth/magic-link/request", { body: { email, redirect: target } }), 202);
    const magic = await linkIn(email, /sign-in link/);
    expect(magic.pathname).toBe("/magic-link");
    expect(magic.searchParams.get("redirect")).toBe(target);
    expect(magic.searchParams.get("token")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email, redirect: "/account" } }), 202);
    const reset = await linkIn(email, /Reset your Kiln password/);
    expect(reset.pathname).toBe("/reset-password");
    expect(reset.searchParams.get("redirect")).toBe("/account");

    await expectJson(call(newClient(), "/api/auth/magic-link/request", { body: { email, redirect: "/" } }), 202);
    expect((await linkIn(email, /sign-in link/)).searchParams.has("redirect")).toBe(false);
  });

  it("refuses a return path that leaves the app", async () => {
    const email = uniqueEmail("redirect");
    for (const redirect of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "account", "/\t/evil.example", "/\n/evil.example", "/\r\\evil.example"]) {
      const magic = await expectJson<ApiError>(call(newClient(), "/api/auth/magic-link/request", { body: { email, redirect } }), 400);
      expect(magic.error.code).toBe("invalid_request");
      await expectJson<ApiError>(call(newClient(), "/api/auth/password-reset/request", { body: { email, redirect } }), 400);
    }
    expect(await mailbox(email)).toEqual([]);
  });
});
