/**
 * Gateway tokens: short-lived ES256 JWTs the worker signs (`POST …/connect`) and the
 * gateway verifies on every WebSocket connection. The claims are a contract of both, in
 * protocol/tokens.ts; they are checked here.
 */
import { type JWK, errors, importJWK, jwtVerify } from "jose";
import { z } from "zod";
import { type GatewayClaims, GatewayClaimsSchema } from "../../protocol/tokens";

export const GATEWAY_AUDIENCE = "kiln-gateway";
export const GATEWAY_ISSUER = "kiln";
export const GATEWAY_ALG = "ES256";

const PrivateJwkSchema = z.looseObject({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string(),
  y: z.string(),
  d: z.string(),
  kid: z.string().min(1),
});

export type PublicJwk = { kty: "EC"; crv: "P-256"; x: string; y: string; kid: string; alg: typeof GATEWAY_ALG; use: "sig" };

/** Parses the JWT_PRIVATE_KEY secret (a private ES256 JWK with a `kid`); throws a clear error if it is not one. */
export function parsePrivateJwk(secret: string): z.infer<typeof PrivateJwkSchema> {
  let json: unknown;
  try {
    json = JSON.parse(secret);
  } catch {
    throw new Error("JWT_PRIVATE_KEY is not JSON: set it to a private ES256 JWK (`npm run keys:generate`).");
  }
  const parsed = PrivateJwkSchema.safeParse(json);
  if (!parsed.success) throw new Error("JWT_PRIVATE_KEY is not a private P-256 JWK with a kid (`npm run keys:generate`).");
  return parsed.data;
}

/** The public half of the signing key: what the JWKS serves and the gateway verifies with. No `d`. */
export function publicJwkOf(secret: string): PublicJwk {
  const { x, y, kid } = parsePrivateJwk(secret);
  return { kty: "EC", crv: "P-256", x, y, kid, alg: GATEWAY_ALG, use: "sig" };
}

let cachedKey: { secret: string; key: Promise<CryptoKey | Uint8Array> } | undefined;

/** The imported public key, kept per isolate. */
function verificationKey(secret: string): Promise<CryptoKey | Uint8Array> {
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: importJWK(publicJwkOf(secret) as JWK, GATEWAY_ALG) };
  return cachedKey.key;
}

export type TokenCheck = { ok: true; claims: GatewayClaims } | { ok: false; reason: string };

/** Verifies signature, algorithm, expiry, audience and issuer, then that the token is for this org and project. */
export async function verifyGatewayToken(token: string | null, secret: string, expected: { org: string; project: string }): Promise<TokenCheck> {
  if (!token) return { ok: false, reason: "missing token" };
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, await verificationKey(secret), {
      algorithms: [GATEWAY_ALG],
      audience: GATEWAY_AUDIENCE,
      issuer: GATEWAY_ISSUER,
      requiredClaims: ["exp", "sub"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: "token expired" };
    if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: `invalid token: ${error.claim} claim` };
    return { ok: false, reason: "invalid token" };
  }
  const claims = GatewayClaimsSchema.safeParse(payload);
  if (!claims.success) return { ok: false, reason: "invalid token: claims" };
  if (claims.data.org !== expected.org) return { ok: false, reason: "token is for another organization" };
  if (claims.data.project !== expected.project) return { ok: false, reason: "token is for another project" };
  return { ok: true, claims: claims.data };
}

/** `/gw/{org}/projects/{project}/ws` → its org and project; null for any other path. */
/** A module's socket path `/gw/{org}/m/{module}/{path}`, or null. */
export function parseModuleSocketPath(pathname: string): { org: string; module: string; path: string } | null {
  const match = /^\/gw\/([^/]+)\/m\/([a-z0-9][a-z0-9-]{0,39})(\/[A-Za-z0-9/_-]{0,200})$/.exec(pathname);
  if (!match || !z.uuid().safeParse(match[1]).success) return null;
  return { org: match[1]!, module: match[2]!, path: match[3]! };
}

/** The header in which the worker names the principal of a module socket it authenticated (`{kind}:{id}`); stripped from every client request. */
export const PRINCIPAL_HEADER = "x-kiln-principal";

export function parseSocketPath(pathname: string): { org: string; project: string } | null {
  const match = /^\/gw\/([^/]+)\/projects\/([^/]+)\/ws\/?$/.exec(pathname);
  if (!match) return null;
  const ids = z.tuple([z.uuid(), z.uuid()]).safeParse([match[1], match[2]]);
  return ids.success ? { org: ids.data[0], project: ids.data[1] } : null;
}
