/**
 * The provider's endpoints, as the worker forwards them from `{app}/oidc/{org}/…`
 * (worker/src/routes/oidc.ts), and a member's client registration. The worker passes what only
 * it knows (the issuer, where container hosts live, the signed-in member's name and email);
 * the gateway checks everything else again: membership, the client, the exact redirect URI,
 * PKCE, the code's single use and age, the client's secret.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { SignJWT } from "jose";
import { z } from "zod";
import { ContainerIdSchema, RedirectPathSchema, ServiceNameSchema } from "../../../../protocol/containers";
import { isAllowed } from "../../permissions/permission";
import type { HostContext, RouteAnswer, RouteSpec } from "../kit";
import { containerPermission, liveRow } from "../user-containers/records";
import { type Client, ContainerSiteSchema, clientIdOf, clientSecretMatches, findClient, redirectUriOf, servicesOf } from "./clients";
import { SCOPES } from "./discovery";
import { SIGNING_ALG, signingKey } from "./keys";
import { ACCESS_TOKEN_TTL_MS, CODE_TTL_MS, ID_TOKEN_TTL_S, codeRow, hashOf, newSecret, tokenRow } from "./records";

const IssuerSchema = z.url({ protocol: /^https?$/ }).max(300);
const ProfileSchema = z.strictObject({ name: z.string().max(200), email: z.string().max(320) });
type Profile = z.infer<typeof ProfileSchema>;

/** A Kiln refusal (shown to a person), or an OAuth error (read by a relying party). */
const refuse = (status: number, code: string, message: string): RouteAnswer => ({ status, body: { error: { code, message } } });
const oauthError = (status: number, error: string, description: string): RouteAnswer => ({ status, body: { error, error_description: description } });

/** The member's roles as the ID token and userinfo carry them: `org:{role}`, and `project:{role}` in the container's project. */
function rolesOf(host: HostContext, userId: string, project: string): string[] | null {
  const roles = host.roles(userId, project);
  if (!roles) return null;
  return [`org:${roles.org}`, ...(roles.project ? [`project:${roles.project}`] : [])];
}

/** The claims about the member a scope lets the client see. */
function memberClaims(scope: string, profile: Profile, roles: string[]) {
  const scopes = scope.split(" ");
  return { ...(scopes.includes("profile") && { name: profile.name }), ...(scopes.includes("email") && { email: profile.email }), roles };
}

/** `GET /jwks`: the org's public signing key. */
export const jwksRoute: RouteSpec = {
  method: "GET",
  path: "/jwks",
  principals: ["public"],
  handle: async (host) => ({ status: 200, body: { keys: [(await signingKey(host.sql, host.now)).publicJwk] } }),
};

const AuthorizeBody = z.strictObject({ issuer: IssuerSchema, site: ContainerSiteSchema, profile: ProfileSchema });
const B64URL_43 = /^[A-Za-z0-9_-]{43}$/;

/**
 * `GET /authorize` for the signed-in member: the OAuth parameters in the query. Answers
 * `{redirect}` (a code, or an error the client may hear) or a refusal for the person when the
 * client or its redirect URI is wrong (never a redirect to a URI that was not checked).
 */
export const authorizeRoute: RouteSpec = {
  method: "GET",
  path: "/authorize",
  principals: ["user"],
  handle: (host, request) => {
    const input = AuthorizeBody.safeParse(request.body);
    if (!input.success) return refuse(400, "invalid_request", "Sign in through {app}/oidc/{org}/authorize.");
    const { issuer, site, profile } = input.data;
    const q = request.query;
    const client = findClient(host, q.client_id ?? "");
    if (!client) return refuse(400, "invalid_client", "This app is not registered with the organization's sign-in (no such client).");
    const redirectUri = redirectUriOf(host, client, site);
    if (q.redirect_uri !== redirectUri) return refuse(400, "invalid_redirect_uri", "This app asked to send you to an address it did not register.");
    const userId = request.principal.id;
    if (!host.isMember(userId)) return refuse(403, "forbidden", "You are not a member of the organization this app belongs to.");

    const back = (params: Record<string, string>) => {
      const url = new URL(redirectUri);
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      if (q.state !== undefined) url.searchParams.set("state", q.state);
      url.searchParams.set("iss", issuer);
      return { status: 200, body: { redirect: url.toString() } };
    };
    const fail = (error: string, description: string) => back({ error, error_description: description });
    if (q.response_type !== "code") return fail("unsupported_response_type", "Only the authorization code flow (response_type=code) is supported.");
    const scopes = (q.scope ?? "").split(" ").filter(Boolean);
    if (!scopes.includes("openid")) return fail("invalid_scope", "The scope must include openid.");
    if (q.code_challenge_method !== "S256" || !B64URL_43.test(q.code_challenge ?? "")) return fail("invalid_request", "PKCE is required: code_challenge with code_challenge_method=S256.");
    if (q.response_mode !== undefined && q.response_mode !== "query") return fail("invalid_request", "Only response_mode=query is supported.");
    if (q.request !== undefined || q.request_uri !== undefined) return fail("request_not_supported", "Request objects are not supported.");
    if ((q.nonce?.length ?? 0) > 500 || (q.state?.length ?? 0) > 2000) return fail("invalid_request", "nonce or state is too long.");

    const code = newSecret();
    const scope = scopes.filter((s) => (SCOPES as readonly string[]).includes(s)).join(" ");
    host.sql.exec(
      "insert into oidc_codes (code_hash, client_id, redirect_uri, user_id, code_challenge, nonce, scope, profile, auth_time, expires_at, used_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)",
      hashOf(code),
      client.id,
      redirectUri,
      userId,
      q.code_challenge!,
      q.nonce ?? null,
      scope,
      JSON.stringify(profile),
      Math.floor(host.now / 1000),
      host.now + CODE_TTL_MS,
    );
    return back({ code });
  },
};

const TokenBody = z.strictObject({
  issuer: IssuerSchema,
  /** The form the client posted. */
  form: z.record(z.string(), z.string().max(4000)),
  /** The client's credentials from `Authorization: Basic`, decoded by the worker, or null. */
  basic: z.strictObject({ clientId: z.string().max(200), clientSecret: z.string().max(500) }).nullable(),
});

/** Which client is calling, authenticated by one method (client_secret_basic or client_secret_post). */
function authenticateClient(host: HostContext, input: z.infer<typeof TokenBody>): Client | RouteAnswer {
  const { form, basic } = input;
  if (basic && (form.client_secret !== undefined || (form.client_id !== undefined && form.client_id !== basic.clientId))) {
    return oauthError(400, "invalid_request", "Authenticate the client one way only.");
  }
  const clientId = basic?.clientId ?? form.client_id;
  const secret = basic?.clientSecret ?? form.client_secret;
  const client = clientId ? findClient(host, clientId) : null;
  if (!client || !secret || !clientSecretMatches(host, client, secret)) return oauthError(401, "invalid_client", "Unknown client or wrong client secret.");
  return client;
}

/** PKCE's S256 (RFC 7636), synchronous: the exchange decides before its first await. */
const s256 = (verifier: string) => encodeBase64urlNoPadding(sha256(new TextEncoder().encode(verifier)));

/** `POST /token`: an authorization code (once, within 60 s, with its PKCE verifier) for an access token and an ID token. */
export const tokenRoute: RouteSpec = {
  method: "POST",
  path: "/token",
  principals: ["public"],
  handle: async (host, request) => {
    const input = TokenBody.safeParse(request.body);
    if (!input.success) return oauthError(400, "invalid_request", "Post the token request as a form to {app}/oidc/{org}/token.");
    const { form, issuer } = input.data;
    const client = authenticateClient(host, input.data);
    if (!("id" in client)) return client;
    if (form.grant_type !== "authorization_code") return oauthError(400, "unsupported_grant_type", "Only grant_type=authorization_code is supported.");
    const code = codeRow(host.sql, form.code ?? "");
    if (!code || code.client_id !== client.id) return oauthError(400, "invalid_grant", "Unknown or expired authorization code.");
    if (code.used_at !== null) {
      // A code presented twice was stolen, or the client is broken: what the first use gave is void.
      host.sql.exec("delete from oidc_tokens where code_hash = ?", code.code_hash);
      return oauthError(400, "invalid_grant", "This authorization code was already used.");
    }
    // Used up now, whatever follows: the one chance of this code is this request.
    host.sql.exec("update oidc_codes set used_at = ? where code_hash = ?", host.now, code.code_hash);
    if (code.expires_at <= host.now) return oauthError(400, "invalid_grant", "The authorization code has expired.");
    if (form.redirect_uri !== code.redirect_uri) return oauthError(400, "invalid_grant", "redirect_uri differs from the authorization request's.");
    const verifier = form.code_verifier ?? "";
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return oauthError(400, "invalid_grant", "A PKCE code_verifier is required.");
    if (s256(verifier) !== code.code_challenge) return oauthError(400, "invalid_grant", "PKCE verification failed: the code_verifier does not match the code_challenge.");
    const roles = rolesOf(host, code.user_id, client.container.project);
    if (!roles) return oauthError(400, "invalid_grant", "The member is no longer in the organization.");
    const profile = ProfileSchema.parse(JSON.parse(code.profile));
    const accessToken = newSecret();
    const expiresAt = host.now + ACCESS_TOKEN_TTL_MS;
    host.sql.exec(
      "insert into oidc_tokens (token_hash, code_hash, client_id, user_id, scope, profile, expires_at) values (?, ?, ?, ?, ?, ?, ?)",
      hashOf(accessToken),
      code.code_hash,
      client.id,
      code.user_id,
      code.scope,
      code.profile,
      expiresAt,
    );
    // Everything above ran before the first await: a second exchange of this code already finds it used.
    const key = await signingKey(host.sql, host.now);
    const idToken = await new SignJWT({ ...(code.nonce !== null && { nonce: code.nonce }), auth_time: code.auth_time, ...memberClaims(code.scope, profile, roles) })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: "JWT" })
      .setIssuer(issuer)
      .setSubject(code.user_id)
      .setAudience(client.id)
      .setIssuedAt(Math.floor(host.now / 1000))
      .setExpirationTime(Math.floor(host.now / 1000) + ID_TOKEN_TTL_S)
      .sign(key.privateKey);
    return { status: 200, body: { access_token: accessToken, token_type: "Bearer", expires_in: ACCESS_TOKEN_TTL_MS / 1000, id_token: idToken, scope: code.scope } };
  },
};

const UserinfoBody = z.strictObject({ accessToken: z.string().max(200) });

/** `GET /userinfo` with the access token: who the member is, as the token's scope lets the client see. */
export const userinfoRoute: RouteSpec = {
  method: "GET",
  path: "/userinfo",
  principals: ["public"],
  handle: (host, request) => {
    const input = UserinfoBody.safeParse(request.body);
    const token = input.success ? tokenRow(host.sql, input.data.accessToken) : undefined;
    const client = token ? findClient(host, token.client_id) : null;
    const roles = token && client ? rolesOf(host, token.user_id, client.container.project) : null;
    if (!token || token.expires_at <= host.now || !client || !roles) return oauthError(401, "invalid_token", "The access token is invalid, expired or revoked.");
    const profile = ProfileSchema.parse(JSON.parse(token.profile));
    return { status: 200, body: { sub: token.user_id, ...memberClaims(token.scope, profile, roles) } };
  },
};

const RegisterBody = z.strictObject({ container: ContainerIdSchema, service: ServiceNameSchema, redirectPath: RedirectPathSchema });

/**
 * `POST /clients {container, service, redirectPath}`: a member who may update the container
 * registers (or re-registers: a new secret, the old one stops working) the service's client.
 * The secret is in this answer only.
 */
export const registerRoute: RouteSpec = {
  method: "POST",
  path: "/clients",
  principals: ["user"],
  handle: (host, request) => {
    const input = RegisterBody.safeParse(request.body);
    if (!input.success) return refuse(400, "invalid_request", input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const { container, service, redirectPath } = input.data;
    const row = liveRow(host.sql, container);
    const grants = row ? host.grants(request.principal.id, row.project) : null;
    if (!row || grants === null) return refuse(404, "not_found", "No such container, or you may not see its project.");
    if (!isAllowed(grants, containerPermission(container, "update"))) return refuse(403, "forbidden", "You may not change this container's settings.");
    if (!servicesOf(row).some((s) => s.name === service && s.protocol === "http")) return refuse(404, "not_found", `The container has no web service ${service}.`);
    const clientId = clientIdOf(container, service);
    const secret = newSecret();
    host.sql.exec(
      "insert into oidc_clients (client_id, container, service, redirect_path, secret_hash, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (client_id) do update set redirect_path = excluded.redirect_path, secret_hash = excluded.secret_hash, created_by = excluded.created_by, created_at = excluded.created_at",
      clientId,
      container,
      service,
      redirectPath,
      hashOf(secret),
      request.principal.id,
      host.now,
    );
    return { status: 200, body: { clientId, clientSecret: secret, redirectPath } };
  },
};
