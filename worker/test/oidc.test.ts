/**
 * The org's OpenID Connect provider, end to end through the worker and the gateway, with
 * `openid-client` 6 as the real relying party (its HTTP through the worker: `SELF.fetch` as its
 * custom fetch) and a member's browser as the helpers' cookie client: discovery, JWKS, the
 * code flow with PKCE (ID token verified by openid-client, userinfo), both client
 * authentication methods, and the refusals — wrong verifier, unknown or inexact redirect,
 * replayed and expired codes, no PKCE or `plain`, another org's user, a removed member.
 */
import { SELF, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import * as client from "openid-client";
import { getServerByName } from "partyserver";
import { describe, expect, it } from "vitest";
import { type ContainerRecord, OIDC_SECRET_LABEL } from "../../protocol/containers";
import { type Client, ORIGIN, call, expectJson, signUp } from "./helpers";
import { createOrg, createProject, orgWithRoles } from "./org-helpers";

const REDIRECT_PATH = "/oauth/callback";

/** openid-client's HTTP, through the worker under test. */
const viaWorker: client.CustomFetch = (url, options) => SELF.fetch(url, { method: options.method, headers: options.headers, body: options.body as BodyInit | null, redirect: "manual" });

const issuerOf = (org: string) => `${ORIGIN}/oidc/${org}`;
const redirectUriOf = (org: string, container: string, service = "app", path = REDIRECT_PATH) => `http://uc-${container}--${service}.org-${org}.containers.localhost:8080${path}`;

/**
 * A declared client's secret, as the container's agent derives it from its token
 * (protocol/containers.ts OIDC_SECRET_LABEL), written here with WebCrypto, apart from the gateway's.
 */
async function declaredSecretOf(token: string, clientId: string): Promise<string> {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(token.slice(token.lastIndexOf(".") + 1))));
  const hashHex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  const key = await crypto.subtle.importKey("raw", utf8(hashHex), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(`${OIDC_SECRET_LABEL}${clientId}`)));
  return btoa(String.fromCharCode(...mac)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** An org whose project has a container with a service `app` that asks for a client (it declares `oidc`). */
async function world() {
  const people = await orgWithRoles();
  const project = await createProject(people.owner.client, people.org.id, "org");
  const services = [
    { name: "app", port: 8080, protocol: "http", oidc: { redirectPath: REDIRECT_PATH } },
    { name: "plain", port: 9000, protocol: "http" },
  ];
  const created = await expectJson<{ container: ContainerRecord; token: string }>(
    call(people.owner.client, `/api/orgs/${people.org.id}/projects/${project.id}/containers`, { body: { name: "app", image: "localhost/my-app:1", services } }),
    201,
  );
  return { ...people, project, container: created.container, token: created.token };
}

/** The relying party's configuration, found by discovery. */
function discover(org: string, clientId: string, secret: string, auth: client.ClientAuth = client.ClientSecretBasic(secret)) {
  return client.discovery(new URL(issuerOf(org)), clientId, secret, auth, { execute: [client.allowInsecureRequests], [client.customFetch]: viaWorker });
}

interface Start {
  url: URL;
  verifier: string;
  nonce: string;
  state: string;
}

async function start(config: client.Configuration, redirectUri: string, extra: Record<string, string> = {}): Promise<Start> {
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const params = { redirect_uri: redirectUri, scope: "openid profile email", code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256", nonce, state, ...extra };
  return { url: client.buildAuthorizationUrl(config, params), verifier, nonce, state };
}

/** The member's browser at the authorization endpoint: the response (a redirect, or a page). */
const visit = (browser: Client, url: URL) => call(browser, `${url.pathname}${url.search}`, { headers: { accept: "text/html" } });

/** The browser lands back on the app with a code: the callback URL the app sees. */
async function callback(browser: Client, url: URL): Promise<URL> {
  const res = await visit(browser, url);
  expect(res.status, await res.clone().text()).toBe(302);
  return new URL(res.headers.get("location")!);
}

const grant = (config: client.Configuration, at: URL, s: Start, verifier = s.verifier) =>
  client.authorizationCodeGrant(config, at, { pkceCodeVerifier: verifier, expectedNonce: s.nonce, expectedState: s.state, idTokenExpected: true });

/** The OAuth error a grant was refused with (a 401 comes with its challenge, which openid-client raises as such). */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (error instanceof client.WWWAuthenticateChallengeError) {
    expect(error.status).toBe(401);
    expect(error.cause[0]?.scheme).toBe("basic");
    return (await error.response.json<{ error: string }>()).error;
  }
  expect(error, "the grant should have been refused").toBeInstanceOf(client.ResponseBodyError);
  return (error as client.ResponseBodyError).error;
}

async function gatewayRows(org: string, table: "oidc_codes" | "oidc_tokens"): Promise<number> {
  const stub = await getServerByName(env.GATEWAY, org);
  return runInDurableObject(stub, (_instance, state) => state.storage.sql.exec<{ n: number }>(`select count(*) as n from ${table}`).one().n);
}

describe("the org's OpenID Connect provider", () => {
  it("serves discovery and a JWKS with the org's ES256 key, and nothing for an unknown org", async () => {
    const { org } = await world();
    const discovery = await expectJson<Record<string, unknown>>(SELF.fetch(`${issuerOf(org.id)}/.well-known/openid-configuration`), 200);
    expect(discovery).toMatchObject({
      issuer: issuerOf(org.id),
      authorization_endpoint: `${issuerOf(org.id)}/authorize`,
      token_endpoint: `${issuerOf(org.id)}/token`,
      code_challenge_methods_supported: ["S256"],
      id_token_signing_alg_values_supported: ["ES256"],
    });
    const jwks = await expectJson<{ keys: { kty: string; crv: string; kid: string; d?: string }[] }>(SELF.fetch(`${issuerOf(org.id)}/jwks`), 200);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(jwks.keys[0]!.d).toBeUndefined();
    // The same key on the next call; another org has its own.
    expect((await expectJson<typeof jwks>(SELF.fetch(`${issuerOf(org.id)}/jwks`), 200)).keys[0]!.kid).toBe(jwks.keys[0]!.kid);
    const other = await world();
    expect((await expectJson<typeof jwks>(SELF.fetch(`${issuerOf(other.org.id)}/jwks`), 200)).keys[0]!.kid).not.toBe(jwks.keys[0]!.kid);

    expect((await SELF.fetch(`${issuerOf(crypto.randomUUID())}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await SELF.fetch(`${issuerOf(crypto.randomUUID())}/jwks`)).status).toBe(404);
    expect((await SELF.fetch(`${ORIGIN}/oidc/not-an-org/jwks`)).status).toBe(404);
  });

  it("admits public callers only through /oidc: the module's routes under /gw are not a way around the worker", async () => {
    const { org, member } = await world();
    const gw = (path: string) => `/gw/${org.id}/m/oidc${path}`;
    // No credentials: the worker refuses; a bearer of no known kind: the module knows none, so 401.
    expect((await call({ ip: member.client.ip }, gw("/jwks"))).status).toBe(401);
    expect((await call({ ip: member.client.ip, bearer: "not-a-client-secret" }, gw("/token"), { body: { form: {} } })).status).toBe(401);
    // A member is no public caller: the gateway's own rule refuses them the provider's public routes.
    expect((await call(member.client, gw("/jwks"))).status).toBe(403);
    // And authorize over /gw lacks what only the worker's /oidc route passes (issuer, site, profile).
    expect((await call(member.client, gw("/authorize?client_id=x"))).status).toBe(400);
  });

  it("signs a member in to a container app: code + PKCE, an ID token openid-client verifies, userinfo", async () => {
    const { org, owner, member, container, token } = await world();
    const clientId = `uc-${container.id}--app`;
    // A declared client authenticates with a secret its container derives from its token.
    const config = await discover(org.id, clientId, await declaredSecretOf(token, clientId));
    const flow = await start(config, redirectUriOf(org.id, container.id));

    // No session: to sign in, and back to the same authorization request afterwards.
    const anonymous = await visit({ ip: member.client.ip }, flow.url);
    expect(anonymous.status).toBe(302);
    const login = new URL(anonymous.headers.get("location")!, ORIGIN);
    expect(login.pathname).toBe("/login");
    expect(login.searchParams.get("redirect")).toBe(`${flow.url.pathname}${flow.url.search}`);

    const back = await callback(member.client, flow.url);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUriOf(org.id, container.id));
    expect(back.searchParams.get("state")).toBe(flow.state);
    const tokens = await grant(config, back, flow);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: issuerOf(org.id), sub: member.user.id, aud: clientId, nonce: flow.nonce, name: member.user.name, email: member.email, roles: ["org:member"] });
    expect(claims.exp - claims.iat).toBe(300);
    const info = await client.fetchUserInfo(config, tokens.access_token, member.user.id);
    expect(info).toEqual({ sub: member.user.id, name: member.user.name, email: member.email, roles: ["org:member"] });

    // The owner, whose roles name the project too; only the scopes asked for.
    const ownerFlow = await start(config, redirectUriOf(org.id, container.id), { scope: "openid" });
    const ownerTokens = await grant(config, await callback(owner.client, ownerFlow.url), ownerFlow);
    expect(ownerTokens.claims()).toMatchObject({ sub: owner.user.id, roles: ["org:owner", "project:admin"] });
    expect(ownerTokens.claims()!.email).toBeUndefined();

    // Only the derived secret: a wrong one, or the container's token itself (the bridge's alone), is refused.
    for (const secret of [await declaredSecretOf(`${token.slice(0, -4)}AAAA`, clientId), token]) {
      const wrong = await discover(org.id, clientId, secret);
      const again = await start(config, redirectUriOf(org.id, container.id));
      expect(await refusal(grant(wrong, await callback(member.client, again.url), again))).toBe("invalid_client");
    }
  });

  it("refuses a wrong verifier, a replayed code (revoking what it gave), an expired code, and sweeps them", async () => {
    const { org, member, container, token } = await world();
    const config = await discover(org.id, `uc-${container.id}--app`, await declaredSecretOf(token, `uc-${container.id}--app`));
    const redirect = redirectUriOf(org.id, container.id);

    const first = await start(config, redirect);
    const firstBack = await callback(member.client, first.url);
    expect(await refusal(grant(config, firstBack, first, client.randomPKCECodeVerifier()))).toBe("invalid_grant");
    // A code is spent by its first exchange, even a refused one.
    expect(await refusal(grant(config, firstBack, first))).toBe("invalid_grant");

    const second = await start(config, redirect);
    const secondBack = await callback(member.client, second.url);
    const tokens = await grant(config, secondBack, second);
    expect((await client.fetchUserInfo(config, tokens.access_token, member.user.id)).sub).toBe(member.user.id);
    expect(await refusal(grant(config, secondBack, second))).toBe("invalid_grant");
    // The replay voids the access token the code gave.
    await expect(client.fetchUserInfo(config, tokens.access_token, member.user.id)).rejects.toThrow();

    const third = await start(config, redirect);
    const thirdBack = await callback(member.client, third.url);
    const stub = await getServerByName(env.GATEWAY, org.id);
    await runInDurableObject(stub, (_instance, state) => state.storage.sql.exec("update oidc_codes set expires_at = ? where used_at is null", Date.now() - 1));
    expect(await refusal(grant(config, thirdBack, third))).toBe("invalid_grant");

    // The org's alarm sweeps expired codes and tokens, with no project open.
    expect(await gatewayRows(org.id, "oidc_codes")).toBeGreaterThan(0);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("update oidc_codes set expires_at = ?", Date.now() - 1);
      state.storage.sql.exec("update oidc_tokens set expires_at = ?", Date.now() - 1);
    });
    // Due later by the clock (so it cannot fire by itself first), run now.
    await runInDurableObject(stub, (_instance, state) => state.storage.setAlarm(Date.now() + 60_000));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await gatewayRows(org.id, "oidc_codes")).toBe(0);
    expect(await gatewayRows(org.id, "oidc_tokens")).toBe(0);
  });

  it("never redirects to a URI the client did not register, and requires PKCE S256 and openid", async () => {
    const { org, member, container, token } = await world();
    const config = await discover(org.id, `uc-${container.id}--app`, await declaredSecretOf(token, `uc-${container.id}--app`));
    const refusedPage = async (url: URL, status = 400) => {
      const res = await visit(member.client, url);
      expect(res.status).toBe(status);
      expect(res.headers.get("location")).toBeNull();
      expect(res.headers.get("content-type")).toContain("text/html");
      return res.text();
    };
    for (const redirect of [
      redirectUriOf(org.id, container.id, "app", "/other"),
      `${redirectUriOf(org.id, container.id)}/`,
      `${redirectUriOf(org.id, container.id)}?x=1`,
      redirectUriOf(org.id, container.id, "plain"),
      `https://evil.example${REDIRECT_PATH}`,
      redirectUriOf(org.id, container.id).replace("http://", "https://"),
    ]) {
      expect(await refusedPage((await start(config, redirect)).url), redirect).toContain("did not register");
    }
    // A service that asked for no client, and no container at all.
    const plain = await discover(org.id, `uc-${container.id}--plain`, await declaredSecretOf(token, `uc-${container.id}--plain`));
    expect(await refusedPage((await start(plain, redirectUriOf(org.id, container.id, "plain"))).url)).toContain("not registered");
    const ghost = await discover(org.id, "uc-aaaaaaaaaaaa--app", await declaredSecretOf(token, "uc-aaaaaaaaaaaa--app"));
    expect(await refusedPage((await start(ghost, redirectUriOf(org.id, "aaaaaaaaaaaa"))).url)).toContain("not registered");

    // Once the redirect is checked, errors go back to the app, with its state.
    const errorOf = async (url: URL) => {
      const back = await callback(member.client, url);
      expect(back.searchParams.get("code")).toBeNull();
      expect(back.searchParams.get("iss")).toBe(issuerOf(org.id));
      return back.searchParams.get("error");
    };
    const noPkce = new URL((await start(config, redirectUriOf(org.id, container.id))).url);
    noPkce.searchParams.delete("code_challenge");
    noPkce.searchParams.delete("code_challenge_method");
    expect(await errorOf(noPkce)).toBe("invalid_request");
    const verifier = client.randomPKCECodeVerifier();
    const plainMethod = await start(config, redirectUriOf(org.id, container.id), { code_challenge: verifier, code_challenge_method: "plain" });
    expect(await errorOf(plainMethod.url)).toBe("invalid_request");
    expect(await errorOf((await start(config, redirectUriOf(org.id, container.id), { scope: "profile" })).url)).toBe("invalid_scope");
    expect(await errorOf((await start(config, redirectUriOf(org.id, container.id), { response_type: "token" })).url)).toBe("unsupported_response_type");
  });

  it("refuses another org's user, and a member once removed (their codes and tokens too)", async () => {
    const { org, owner, member, container, token } = await world();
    const config = await discover(org.id, `uc-${container.id}--app`, await declaredSecretOf(token, `uc-${container.id}--app`));
    const redirect = redirectUriOf(org.id, container.id);

    const stranger = await signUp();
    await createOrg(stranger.client);
    const res = await visit(stranger.client, (await start(config, redirect)).url);
    expect(res.status).toBe(403);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("not a member of the organization");

    // A code and an access token the member got before leaving.
    const before = await start(config, redirect);
    const tokens = await grant(config, await callback(member.client, before.url), before);
    const pending = await start(config, redirect);
    const pendingBack = await callback(member.client, pending.url);
    expect((await call(owner.client, `/api/orgs/${org.id}/members/${member.user.id}`, { method: "DELETE" })).status).toBe(204);

    expect(await refusal(grant(config, pendingBack, pending))).toBe("invalid_grant");
    await expect(client.fetchUserInfo(config, tokens.access_token, member.user.id)).rejects.toThrow();
    const after = await visit(member.client, (await start(config, redirect)).url);
    expect(after.status).toBe(403);

    // The gateway keeps its own lock: asked directly for a user it does not count as a member, it refuses.
    const stub = await getServerByName(env.GATEWAY, org.id);
    const answer = (await stub.moduleRequest({
      module: "oidc",
      method: "GET",
      path: "/authorize",
      query: Object.fromEntries(new URL((await start(config, redirect)).url).searchParams),
      body: { issuer: issuerOf(org.id), site: { scheme: "http", domain: "containers.localhost:8080" }, profile: { name: "x", email: "x@kiln.test" } },
      member: member.user.id,
      bearer: null,
    })) as { status: number };
    expect(answer.status).toBe(404);
  });

  it("lets a member who may update the container register a client, with its own secret (client_secret_post)", async () => {
    const { org, owner, member, container } = await world();
    const register = (who: Client, body: Record<string, unknown>) => call(who, `/gw/${org.id}/m/oidc/clients`, { body });
    const registered = await expectJson<{ clientId: string; clientSecret: string }>(register(owner.client, { container: container.id, service: "plain", redirectPath: "/login/callback" }), 200);
    expect(registered.clientId).toBe(`uc-${container.id}--plain`);

    const config = await discover(org.id, registered.clientId, registered.clientSecret, client.ClientSecretPost(registered.clientSecret));
    const redirect = redirectUriOf(org.id, container.id, "plain", "/login/callback");
    const flow = await start(config, redirect);
    const tokens = await grant(config, await callback(member.client, flow.url), flow);
    expect(tokens.claims()).toMatchObject({ sub: member.user.id, aud: registered.clientId });

    // Registering again rotates the secret: the old one stops working.
    const rotated = await expectJson<{ clientSecret: string }>(register(owner.client, { container: container.id, service: "plain", redirectPath: "/login/callback" }), 200);
    expect(rotated.clientSecret).not.toBe(registered.clientSecret);
    const stale = await start(config, redirect);
    expect(await refusal(grant(config, await callback(member.client, stale.url), stale))).toBe("invalid_client");

    // Not a web service of the container; a path that would leave the host; someone who may not see the project; an outsider.
    expect((await register(owner.client, { container: container.id, service: "nope", redirectPath: "/cb" })).status).toBe(404);
    expect((await register(owner.client, { container: container.id, service: "plain", redirectPath: "//evil.example/cb" })).status).toBe(400);
    const hidden = await createProject(owner.client, org.id, "members");
    const hiddenContainer = await expectJson<{ container: ContainerRecord }>(
      call(owner.client, `/api/orgs/${org.id}/projects/${hidden.id}/containers`, { body: { name: "x", image: "localhost/my-app:1", services: [{ name: "app", port: 80, protocol: "http" }] } }),
      201,
    );
    expect((await register(member.client, { container: hiddenContainer.container.id, service: "app", redirectPath: "/cb" })).status).toBe(404);
    const outsider = await signUp();
    expect((await register(outsider.client, { container: container.id, service: "plain", redirectPath: "/cb" })).status).toBe(404);
  });
});
