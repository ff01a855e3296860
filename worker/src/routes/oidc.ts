/**
 * `/oidc/{org}/…`: the organization's OpenID Connect provider, for its container apps (the
 * gateway's `oidc` module holds the keys, clients, codes and tokens). The issuer is
 * `{APP_URL}/oidc/{org}`. The worker does what only it can — reads the member's session, their
 * name and email, and Postgres membership; knows the issuer and where container hosts live —
 * and wakes an org's gateway only for an org that exists. The gateway checks everything again.
 *
 * Not in the OpenAPI document: this is the OpenID Connect protocol (form posts, redirects,
 * OAuth's error shape), described by the discovery document at
 * `/oidc/{org}/.well-known/openid-configuration`, not a Kiln JSON API.
 */
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { getServerByName } from "partyserver";
import { z } from "zod";
import { organizations } from "../../../drizzle/schema";
import { discoveryDocument } from "../../../gateway-do/src/modules/oidc/discovery";
import { authenticate } from "../auth/middleware";
import type { AppEnv } from "../env";
import { pushMembership } from "../gateway/membership-push";
import { database } from "../lib/database";
import { ApiError } from "../lib/errors";
import { requireOrgMember } from "../orgs/membership";

/** What the gateway's route answered (over RPC: read, not trusted). */
const AnswerSchema = z.object({ status: z.number().int().min(200).max(599), body: z.unknown() });
const RefusalSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const MAX_FORM_BYTES = 16_384;
/** OAuth answers with tokens are never cached (RFC 6749 §5.1). */
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

const issuerOf = (c: Context<AppEnv>, org: string) => `${(c.env.APP_URL || new URL(c.req.url).origin).replace(/\/+$/, "")}/oidc/${org}`;

/** The org from the path, once it is known to exist (else a 404 and no gateway woken). */
async function knownOrg(c: Context<AppEnv>): Promise<string> {
  const org = c.req.param("org") ?? "";
  if (!z.uuid().safeParse(org).success) throw new ApiError(404, "not_found", "No such organization.");
  const [known] = await c.var.db().select({ id: organizations.id }).from(organizations).where(eq(organizations.id, org)).limit(1);
  if (!known) throw new ApiError(404, "not_found", "No such organization.");
  return org;
}

async function askGateway(c: Context<AppEnv>, org: string, input: { method: string; path: string; query?: Record<string, string>; body: unknown; member: string | null }) {
  const gateway = await getServerByName(c.env.GATEWAY, org);
  return AnswerSchema.parse(await gateway.moduleRequest({ module: "oidc", query: {}, bearer: null, ...input }));
}

/** A refusal a person reads: they followed a link from a container app. */
function refusalPage(c: Context<AppEnv>, status: number, message: string): Response {
  const text = message.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return c.html(
    `<!doctype html><meta charset="utf-8"><title>Kiln · sign-in refused</title><body style="font:16px system-ui;margin:15vh auto;max-width:32rem;color:#1f2937"><h1 style="font-size:1.4rem">You can’t sign in to this app</h1><p>${text}</p><p><a href="/">Back to Kiln</a></p></body>`,
    status as ContentfulStatusCode,
  );
}

/** The client's credentials from `Authorization: Basic` (each part form-encoded, RFC 6749 §2.3.1), or null; undefined when malformed. */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "")?.[1];
  if (!header) return null;
  if (!encoded) return undefined;
  try {
    const decoded = atob(encoded);
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    const part = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return { clientId: part(decoded.slice(0, colon)), clientSecret: part(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export const oidc = new Hono<AppEnv>();
oidc.use("*", database);

oidc.get("/:org/.well-known/openid-configuration", async (c) => {
  const org = await knownOrg(c);
  return c.json(discoveryDocument(issuerOf(c, org)), 200, { "cache-control": "public, max-age=300" });
});

oidc.get("/:org/jwks", async (c) => {
  const org = await knownOrg(c);
  const answer = await askGateway(c, org, { method: "GET", path: "/jwks", body: null, member: null });
  return c.json(answer.body as object, answer.status as ContentfulStatusCode, { "cache-control": "public, max-age=300" });
});

/**
 * The member's browser, sent by a container app. No session: to sign in, and back here. A
 * member of another org, an unknown client or a redirect URI the client did not register: a
 * page saying so (never a redirect to an unchecked address).
 */
oidc.get("/:org/authorize", authenticate, async (c) => {
  const org = await knownOrg(c);
  const auth = c.var.auth;
  if (!auth || (auth.kind === "session" && !auth.session.fullyAuthenticated)) {
    const here = new URL(c.req.url);
    return c.redirect(`/login?${new URLSearchParams({ redirect: `${here.pathname}${here.search}` })}`, 302);
  }
  if (auth.kind !== "session") return refusalPage(c, 401, "Sign in to Kiln in your browser: an API key cannot sign in to an app.");
  const domain = c.env.CONTAINER_DOMAIN;
  if (!domain) return refusalPage(c, 503, "This Kiln has no container domain configured, so container apps cannot sign in.");
  try {
    await requireOrgMember(c.var.db(), org, auth.user.id);
  } catch {
    return refusalPage(c, 403, "You are not a member of the organization this app belongs to.");
  }
  const input = {
    method: "GET",
    path: "/authorize",
    query: Object.fromEntries(new URL(c.req.url).searchParams),
    body: {
      issuer: issuerOf(c, org),
      site: { scheme: c.env.CONTAINER_SCHEME === "http" ? "http" : "https", domain },
      profile: { name: auth.user.name, email: auth.user.email },
    },
    member: auth.user.id,
  };
  let answer = await askGateway(c, org, input);
  // The gateway's copy of the membership may be behind Postgres (a push that failed): once, bring it up to date.
  if (answer.status === 404 && (await pushMembership(c, org))) answer = await askGateway(c, org, input);
  const redirect = z.object({ redirect: z.url() }).safeParse(answer.body);
  if (answer.status === 200 && redirect.success) return c.redirect(redirect.data.redirect, 302);
  const refused = RefusalSchema.safeParse(answer.body);
  return refusalPage(c, answer.status === 200 ? 500 : answer.status, refused.data?.error.message ?? "The organization's gateway refused.");
});

oidc.post("/:org/token", async (c) => {
  const org = await knownOrg(c);
  const oauthError = (status: ContentfulStatusCode, error: string, description: string) => c.json({ error, error_description: description }, status, NO_STORE);
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) return oauthError(400, "invalid_request", "Post the token request as application/x-www-form-urlencoded.");
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MAX_FORM_BYTES) return oauthError(400, "invalid_request", "The token request is too large.");
  const text = new TextDecoder().decode(bytes);
  const params = new URLSearchParams(text);
  const form: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in form) return oauthError(400, "invalid_request", `Parameter ${key} is repeated.`);
    form[key] = value;
  }
  const basic = basicCredentials(c.req.header("authorization"));
  if (basic === undefined) return oauthError(401, "invalid_client", "Malformed Authorization: Basic header.");
  const answer = await askGateway(c, org, { method: "POST", path: "/token", body: { issuer: issuerOf(c, org), form, basic }, member: null });
  const headers: Record<string, string> = { ...NO_STORE, ...(answer.status === 401 && { "www-authenticate": 'Basic realm="kiln"' }) };
  return c.json(answer.body as object, answer.status as ContentfulStatusCode, headers);
});

/** The access token as a bearer (RFC 6750 §2.1): GET or POST. */
const userinfo = async (c: Context<AppEnv>) => {
  const org = await knownOrg(c);
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!token) return c.json({ error: "invalid_request", error_description: "Send the access token as Authorization: Bearer." }, 401, { "www-authenticate": 'Bearer realm="kiln"' });
  const answer = await askGateway(c, org, { method: "GET", path: "/userinfo", body: { accessToken: token }, member: null });
  const headers: Record<string, string> = { ...NO_STORE, ...(answer.status === 401 && { "www-authenticate": 'Bearer error="invalid_token"' }) };
  return c.json(answer.body as object, answer.status as ContentfulStatusCode, headers);
};
oidc.get("/:org/userinfo", userinfo);
oidc.post("/:org/userinfo", userinfo);

oidc.all("/*", () => {
  throw new ApiError(404, "not_found", "The OpenID Connect provider has no such endpoint.");
});
