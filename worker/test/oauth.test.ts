/**
 * OAuth / OpenID Connect sign-in, the whole authorization-code + PKCE flow against a real
 * OIDC provider on loopback (scripts/test/oidc-setup.ts): our start → the provider's
 * authorize endpoint → our callback → the provider's token endpoint and JWKS.
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../drizzle/client";
import { oauthAccounts, passwords, totp, users } from "../../drizzle/schema";
import { githubIdentity } from "../src/oauth/github";
import { storableIdentity } from "../src/oauth/identity";
import { type ApiError, type Client, call, expectJson, newClient, signUp, uniqueEmail } from "./helpers";
import { expectSquatterLockedOut, squatter } from "./squatter";

function database() {
  return createDatabase({ databaseUrl: env.DATABASE_URL, wsProxy: env.DB_WS_PROXY });
}

/** Runs the browser's side of the flow; returns where our callback sent the browser. `claims` set the provider's profile. */
async function signInWithSso(client: Client, email: string, redirect = "/orgs", claims?: Record<string, unknown>): Promise<URL> {
  const start = await call(client, `/api/auth/oauth/oidc/start?login_hint=${encodeURIComponent(email)}&redirect=${encodeURIComponent(redirect)}`);
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin).toBe(env.OIDC_ISSUER);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("nonce")).toBeTruthy();
  const flowCookie = /kiln_oauth=[^;]+/.exec(start.headers.get("set-cookie")!)![0];
  expect(start.headers.get("set-cookie")).toContain("HttpOnly");

  // The provider (no login page: it answers at once with a code for the hinted person).
  if (claims) authorize.searchParams.set("claims", JSON.stringify(claims));
  const provider = await fetch(authorize, { redirect: "manual" });
  expect(provider.status).toBe(302);
  const callback = new URL(provider.headers.get("location")!);
  expect(callback.pathname).toBe("/api/auth/oauth/oidc/callback");

  const back = await call(client, callback.pathname + callback.search, { headers: { cookie: flowCookie } });
  expect(back.status).toBe(302);
  return new URL(back.headers.get("location")!, "http://kiln.test");
}

describe("OAuth / OpenID Connect sign-in", () => {
  it("lists the configured providers", async () => {
    const body = await expectJson<{ providers: { id: string; name: string }[] }>(call(newClient(), "/api/auth/providers"), 200);
    expect(body.providers).toEqual([{ id: "oidc", name: "Test SSO", startUrl: "/api/auth/oauth/oidc/start" }]);
  });

  it("creates a verified account on first sign-in and finds it again on the next", async () => {
    const email = uniqueEmail("sso");
    const client = newClient();
    const landed = await signInWithSso(client, email);
    expect(landed.pathname).toBe("/orgs");
    const me = await expectJson<{ user: { id: string; email: string; emailVerified: boolean } }>(call(client, "/api/me"), 200);
    expect(me.user).toMatchObject({ email, emailVerified: true });

    const again = newClient();
    await signInWithSso(again, email);
    const second = await expectJson<{ user: { id: string } }>(call(again, "/api/me"), 200);
    expect(second.user.id).toBe(me.user.id);
    const { db, close } = database();
    const links = await db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, me.user.id));
    await close();
    expect(links).toHaveLength(1);
  });

  it("links to an existing account with the same verified email, keeping its password", async () => {
    const { email, password, user } = await signUp();
    const { db, close } = database();
    await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
    const client = newClient();
    await signInWithSso(client, email);
    const me = await expectJson<{ user: { id: string } }>(call(client, "/api/me"), 200);
    expect(me.user.id).toBe(user.id);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password } }), 200);
    await close();
  });

  it("takes an unconfirmed account back from whoever registered the address: password and sessions gone", async () => {
    const squatter = await signUp();
    const client = newClient();
    await signInWithSso(client, squatter.email);
    const me = await expectJson<{ user: { id: string; emailVerified: boolean } }>(call(client, "/api/me"), 200);
    expect(me.user).toMatchObject({ id: squatter.user.id, emailVerified: true });
    await expectJson(call(squatter.client, "/api/me"), 401);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email: squatter.email, password: squatter.password } }), 401);
    const { db, close } = database();
    expect(await db.select().from(passwords).where(eq(passwords.userId, squatter.user.id))).toHaveLength(0);
    await close();
  });

  it("takes the squatter's API keys and TOTP too when the owner signs in with a provider", async () => {
    const squat = await squatter();
    const client = newClient();
    await signInWithSso(client, squat.email);
    // The squatter's TOTP would have held this sign-in at a second factor the owner cannot give.
    const me = await expectJson<{ user: { id: string; totpEnabled: boolean } }>(call(client, "/api/me"), 200);
    expect(me.user).toMatchObject({ id: squat.user.id, totpEnabled: false });
    await expectSquatterLockedOut(squat);
  });

  it("refuses a provider account whose email is not verified, creating nothing", async () => {
    const email = uniqueEmail("unverified");
    const landed = await signInWithSso(newClient(), email);
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("oauth_email_unverified");
    const { db, close } = database();
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
    await close();
  });

  it("cleans a provider's name Postgres cannot store instead of failing the sign-in", async () => {
    const client = newClient();
    const landed = await signInWithSso(client, uniqueEmail("sso-name"), "/orgs", { name: "Ada\u0000 Love\ud800lace", picture: "https://avatars.example/\u0000" });
    expect(landed.pathname).toBe("/orgs");
    const me = await expectJson<{ user: { name: string; avatarUrl: string | null } }>(call(client, "/api/me"), 200);
    // NULs dropped, the lone surrogate made U+FFFD; a URL with a NUL in it is no picture.
    expect(me.user).toMatchObject({ name: "Ada Love\ufffdlace", avatarUrl: null });
  });

  it("refuses a provider email Postgres cannot store, creating nothing", async () => {
    const email = uniqueEmail("sso-email");
    for (const bad of [`nul\u0000${email}`, `half\udc00${email}`]) {
      const landed = await signInWithSso(newClient(), email, "/orgs", { email: bad });
      expect(landed.pathname).toBe("/login");
      expect(landed.searchParams.get("error")).toBe("oauth_email_unstorable");
    }
    const { db, close } = database();
    expect(await db.select().from(oauthAccounts).where(eq(oauthAccounts.providerUserId, `sub-${email}`))).toHaveLength(0);
    await close();
  });

  it("asks for the TOTP code before the session is usable", async () => {
    const email = uniqueEmail("sso-totp");
    const first = newClient();
    await signInWithSso(first, email);
    const me = await expectJson<{ user: { id: string } }>(call(first, "/api/me"), 200);
    const { db, close } = database();
    await db.insert(totp).values({ userId: me.user.id, secret: "JBSWY3DPEHPK3PXP", enabledAt: new Date() });
    const client = newClient();
    const landed = await signInWithSso(client, email, "/orgs/x");
    expect(landed.pathname + landed.search).toBe(`/login?step=totp&redirect=${encodeURIComponent("/orgs/x")}`);
    const error = await expectJson<ApiError>(call(client, "/api/me"), 401);
    expect(error.error.code).toBe("mfa_required");
    await close();
  });

  it("refuses a callback whose state does not match the browser's flow", async () => {
    const client = newClient();
    const start = await call(client, `/api/auth/oauth/oidc/start?login_hint=${uniqueEmail("csrf")}`);
    const flowCookie = /kiln_oauth=[^;]+/.exec(start.headers.get("set-cookie")!)![0];
    const provider = await fetch(start.headers.get("location")!, { redirect: "manual" });
    const callback = new URL(provider.headers.get("location")!);
    callback.searchParams.set("state", "forged");
    const back = await call(client, callback.pathname + callback.search, { headers: { cookie: flowCookie } });
    expect(new URL(back.headers.get("location")!, "http://kiln.test").searchParams.get("error")).toBe("oauth_state_mismatch");
    const noCookie = await call(newClient(), `/api/auth/oauth/oidc/callback?code=x&state=y`);
    expect(new URL(noCookie.headers.get("location")!, "http://kiln.test").searchParams.get("error")).toBe("oauth_state_mismatch");
    expect(client.cookie).toBeUndefined();
  });

  it("refuses to redirect anywhere but into the app, and unknown providers", async () => {
    for (const redirect of ["//evil.example/x", "https://evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\u0000/evil.example"]) {
      const error = await expectJson<ApiError>(call(newClient(), `/api/auth/oauth/oidc/start?redirect=${encodeURIComponent(redirect)}`), 400);
      expect(error.error.fields?.redirect).toBeDefined();
    }
    const unknown = await expectJson<ApiError>(call(newClient(), "/api/auth/oauth/myspace/start"), 404);
    expect(unknown.error.code).toBe("unknown_provider");
  });
});

describe("GitHub identity", () => {
  it("uses the primary email only when GitHub has verified it", () => {
    const user = { id: 42, login: "ada", name: null, avatar_url: "https://avatars.example/42" };
    const verified = githubIdentity(user, [
      { email: "other@example.com", primary: false, verified: true },
      { email: "Ada@Example.com", primary: true, verified: true },
    ]);
    expect(verified).toEqual({ providerUserId: "42", email: "ada@example.com", emailVerified: true, name: "ada", avatarUrl: "https://avatars.example/42" });
    expect(githubIdentity(user, [{ email: "ada@example.com", primary: true, verified: false }]).emailVerified).toBe(false);
    expect(githubIdentity(user, []).email).toBeNull();
  });
});

describe("storableIdentity", () => {
  it("cleans what can be cleaned and refuses an email or account id it would have to change", () => {
    const identity = { providerUserId: "42", email: "ada@example.com", emailVerified: true, name: "\u0000 \udfff", avatarUrl: "https://avatars.example/\ud800" };
    expect(storableIdentity(identity)).toEqual({ ...identity, name: "\ufffd", avatarUrl: null });
    expect(storableIdentity({ ...identity, name: " \u0000 " }).name).toBeNull();
    expect(() => storableIdentity({ ...identity, email: "ada\u0000@example.com" })).toThrow(expect.objectContaining({ code: "email_unstorable" }));
    expect(() => storableIdentity({ ...identity, providerUserId: "4\ud8002" })).toThrow(expect.objectContaining({ code: "provider_error" }));
  });
});
