/**
 * `/api/auth`: sign-in with OAuth / OpenID Connect providers. `…/start` sends the browser to
 * the provider with state, PKCE verifier and nonce kept in a short-lived HttpOnly cookie;
 * `…/callback` checks them, signs in and sends the browser back into the app. Failures
 * return to `/login?error=…` with a message the sign-in page shows.
 */
import { z } from "@hono/zod-openapi";
import { generateCodeVerifier, generateState } from "arctic";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { RedirectSchema } from "../auth/schemas";
import { clientIp, isLocalHttp } from "../auth/sessions";
import { finishSignIn } from "../auth/sign-in";
import { randomToken } from "../auth/tokens";
import type { AppEnv } from "../env";
import { OAuthProvidersSchema } from "../../../protocol/api/account";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";
import { OAuthError } from "../oauth/identity";
import { userForIdentity } from "../oauth/link";
import { configuredProviders } from "../oauth/providers";

const FLOW_COOKIE = "kiln_oauth";
const FLOW_TTL_SECONDS = 10 * 60;

const FlowSchema = z.object({ provider: z.string(), state: z.string(), codeVerifier: z.string(), nonce: z.string(), redirect: z.string() });
type Flow = z.infer<typeof FlowSchema>;

const ProviderParams = z.object({ provider: z.string().openapi({ param: { name: "provider", in: "path" }, example: "github" }) });

const providersRoute = defineRoute({
  method: "get",
  path: "/providers",
  operationId: "listOAuthProviders",
  access: "public",
  tags: ["auth"],
  summary: "The OAuth / OpenID Connect providers offered on the sign-in page",
  responses: {
    200: jsonResponse(OAuthProvidersSchema, "Configured providers (those whose client id and secret are set)."),
  },
});

const startRoute = defineRoute({
  method: "get",
  path: "/oauth/{provider}/start",
  operationId: "startOAuthSignIn",
  access: "public",
  tags: ["auth"],
  summary: "Begin signing in with a provider (redirects to it)",
  request: {
    params: ProviderParams,
    query: z.object({ redirect: RedirectSchema.default("/"), login_hint: z.email().max(254).optional() }),
  },
  responses: {
    302: { description: "To the provider's authorization page." },
    404: jsonResponse(ErrorSchema, "No such provider is configured."),
    429: jsonResponse(ErrorSchema, "Too many sign-ins from this address (see Retry-After)."),
  },
});

const callbackRoute = defineRoute({
  method: "get",
  path: "/oauth/{provider}/callback",
  operationId: "finishOAuthSignIn",
  access: "public",
  tags: ["auth"],
  summary: "Where the provider returns the browser (redirects into the app)",
  request: {
    params: ProviderParams,
    query: z.object({ code: z.string().max(2048).optional(), state: z.string().max(512).optional(), error: z.string().max(256).optional() }),
  },
  responses: {
    302: { description: "Into the app when signed in; to /login?error=… otherwise." },
    429: jsonResponse(ErrorSchema, "Too many sign-ins from this address (see Retry-After)."),
  },
});

function readFlow(c: Context<AppEnv>): Flow | null {
  const raw = getCookie(c, FLOW_COOKIE);
  if (!raw) return null;
  try {
    const parsed = FlowSchema.safeParse(JSON.parse(atob(raw.replace(/-/g, "+").replace(/_/g, "/"))));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function loginError(c: Context<AppEnv>, code: string, message: string): Response {
  const params = new URLSearchParams({ error: `oauth_${code}`, message });
  return c.redirect(`/login?${params}`, 302);
}

export const oauth = createApp()
  .openapi(providersRoute, (c) => {
    const providers = [...configuredProviders(c).values()].map((p) => ({ id: p.id, name: p.name, startUrl: `/api/auth/oauth/${p.id}/start` }));
    return c.json({ providers }, 200);
  })
  .openapi(startRoute, async (c) => {
    const { provider: id } = c.req.valid("param");
    const { redirect, login_hint: loginHint } = c.req.valid("query");
    const provider = configuredProviders(c).get(id);
    if (!provider) throw new ApiError(404, "unknown_provider", `Sign-in with "${id}" is not configured here.`);
    await enforceRateLimits(c.var.db(), [{ key: `oauth:ip:${clientIp(c) ?? "unknown"}`, limit: 60, windowSeconds: 600 }]);
    const flow: Flow = { provider: id, state: generateState(), codeVerifier: generateCodeVerifier(), nonce: randomToken(16), redirect };
    let url: URL;
    try {
      url = await provider.authorizationUrl({ ...flow, loginHint });
    } catch (error) {
      if (error instanceof OAuthError) return loginError(c, error.code, error.message);
      throw error;
    }
    const encoded = btoa(JSON.stringify(flow)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    setCookie(c, FLOW_COOKIE, encoded, { httpOnly: true, secure: !isLocalHttp(c), sameSite: "Lax", path: "/api/auth/oauth", maxAge: FLOW_TTL_SECONDS });
    return c.redirect(url.toString(), 302);
  })
  .openapi(callbackRoute, async (c) => {
    const { provider: id } = c.req.valid("param");
    const query = c.req.valid("query");
    const flow = readFlow(c);
    deleteCookie(c, FLOW_COOKIE, { path: "/api/auth/oauth", secure: !isLocalHttp(c) });
    const provider = configuredProviders(c).get(id);
    if (!provider) return loginError(c, "unknown_provider", `Sign-in with "${id}" is not configured here.`);
    if (query.error) return loginError(c, "denied", `${provider.name} did not sign you in (${query.error}).`);
    if (!flow || flow.provider !== id || !query.state || flow.state !== query.state || !query.code) {
      return loginError(c, "state_mismatch", "This sign-in link is stale or was not started here. Start again from the sign-in page.");
    }
    const db = c.var.db();
    await enforceRateLimits(db, [{ key: `oauth:ip:${clientIp(c) ?? "unknown"}`, limit: 60, windowSeconds: 600 }]);
    try {
      const identity = await provider.identify({ code: query.code, codeVerifier: flow.codeVerifier, nonce: flow.nonce });
      const result = await db.transaction(async (tx) => {
        const user = await userForIdentity(c, tx, id, identity);
        await audit(c, tx, { action: "user.login", targetType: "user", targetId: user.id, actorUserId: user.id, data: { method: `oauth:${id}` } });
        return finishSignIn(c, tx, user, `oauth:${id}`);
      });
      const next = result.status === "mfa_required" ? `/login?step=totp&redirect=${encodeURIComponent(flow.redirect)}` : flow.redirect;
      return c.redirect(next, 302);
    } catch (error) {
      if (error instanceof OAuthError) return loginError(c, error.code, error.message);
      throw error;
    }
  });
