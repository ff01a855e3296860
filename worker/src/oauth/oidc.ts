/**
 * Any OpenID Connect provider with discovery (Google is one): authorization code + PKCE
 * through arctic's OAuth2Client, the id_token verified with jose against the provider's
 * JWKS (signature, issuer, audience, expiry, nonce).
 */
import { CodeChallengeMethod, OAuth2Client } from "arctic";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { type Identity, OAuthError, type Provider } from "./identity";

const DiscoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
});
type Discovery = z.infer<typeof DiscoverySchema>;

const DISCOVERY_TTL_MS = 60 * 60 * 1000;
// Per isolate: discovery documents and key sets change rarely, and jose refetches keys it lacks.
const discoveries = new Map<string, { document: Discovery; fetchedAt: number }>();
const keySets = new Map<string, JWTVerifyGetKey>();

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** The provider's discovery document, cached for an hour. */
export async function discover(issuer: string): Promise<Discovery> {
  const cached = discoveries.get(issuer);
  if (cached && Date.now() - cached.fetchedAt < DISCOVERY_TTL_MS) return cached.document;
  const url = `${trimSlash(issuer)}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: "application/json" } });
  } catch (error) {
    throw new OAuthError("provider_unreachable", `The sign-in provider cannot be reached (${String(error)}).`);
  }
  const parsed = DiscoverySchema.safeParse(res.ok ? await res.json() : null);
  if (!parsed.success || trimSlash(parsed.data.issuer) !== trimSlash(issuer)) {
    throw new OAuthError("provider_misconfigured", `The sign-in provider's discovery document at ${url} is missing or names another issuer.`);
  }
  discoveries.set(issuer, { document: parsed.data, fetchedAt: Date.now() });
  return parsed.data;
}

const ClaimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.literal("true"), z.literal("false")]).optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
});

/** An OIDC provider: `issuer` must serve `/.well-known/openid-configuration`. */
export function oidcProvider(options: { id: string; name: string; issuer: string; clientId: string; clientSecret: string; redirectUri: string }): Provider {
  const client = new OAuth2Client(options.clientId, options.clientSecret, options.redirectUri);
  return {
    id: options.id,
    name: options.name,
    async authorizationUrl({ state, codeVerifier, nonce, loginHint }) {
      const { authorization_endpoint } = await discover(options.issuer);
      const url = client.createAuthorizationURLWithPKCE(authorization_endpoint, state, CodeChallengeMethod.S256, codeVerifier, ["openid", "email", "profile"]);
      url.searchParams.set("nonce", nonce);
      if (loginHint) url.searchParams.set("login_hint", loginHint);
      return url;
    },
    async identify({ code, codeVerifier, nonce }) {
      const discovery = await discover(options.issuer);
      let idToken: string;
      try {
        idToken = (await client.validateAuthorizationCode(discovery.token_endpoint, code, codeVerifier)).idToken();
      } catch (error) {
        throw new OAuthError("code_rejected", `The sign-in provider refused the authorization code (${error instanceof Error ? error.message : String(error)}).`);
      }
      let keys = keySets.get(discovery.jwks_uri);
      if (!keys) keySets.set(discovery.jwks_uri, (keys = createRemoteJWKSet(new URL(discovery.jwks_uri))));
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(idToken, keys, { issuer: discovery.issuer, audience: options.clientId }));
      } catch (error) {
        throw new OAuthError("id_token_invalid", `The sign-in provider's id_token did not verify (${error instanceof Error ? error.message : String(error)}).`);
      }
      if ((payload as { nonce?: unknown }).nonce !== nonce) throw new OAuthError("id_token_invalid", "The id_token was not issued for this sign-in (nonce mismatch).");
      const claims = ClaimsSchema.parse(payload);
      return {
        providerUserId: claims.sub,
        email: claims.email?.trim().toLowerCase() ?? null,
        emailVerified: claims.email_verified === true || claims.email_verified === "true",
        name: claims.name ?? null,
        avatarUrl: claims.picture ?? null,
      } satisfies Identity;
    },
  };
}
