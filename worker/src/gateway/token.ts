/** Signing gateway tokens with the JWT_PRIVATE_KEY secret (ES256); the gateway verifies them (gateway-do/src/auth.ts). */
import { type JWK, SignJWT, importJWK } from "jose";
import { GATEWAY_ALG, GATEWAY_AUDIENCE, GATEWAY_ISSUER, parsePrivateJwk } from "../../../gateway-do/src/auth";
import type { GatewayClaims } from "../../../protocol/tokens";

/** Gateway tokens live 5 minutes: long enough to open the socket, short enough not to matter if leaked. */
export const GATEWAY_TOKEN_TTL_SECONDS = 5 * 60;

let cachedKey: { secret: string; kid: string; key: Promise<CryptoKey | Uint8Array> } | undefined;

function signingKey(secret: string): { kid: string; key: Promise<CryptoKey | Uint8Array> } {
  if (cachedKey?.secret !== secret) {
    const jwk = parsePrivateJwk(secret);
    cachedKey = { secret, kid: jwk.kid, key: importJWK(jwk as JWK, GATEWAY_ALG) };
  }
  return cachedKey;
}

/** Signs a token naming the user, org and project, with the key's `kid` in the header. */
export async function signGatewayToken(secret: string, claims: GatewayClaims, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
  const { kid, key } = signingKey(secret);
  const issuedAt = Math.floor(now / 1000);
  const expiresAt = new Date((issuedAt + GATEWAY_TOKEN_TTL_SECONDS) * 1000);
  const token = await new SignJWT({ org: claims.org, project: claims.project, ...(claims.name === undefined ? {} : { name: claims.name }) })
    .setProtectedHeader({ alg: GATEWAY_ALG, kid, typ: "JWT" })
    .setSubject(claims.sub)
    .setAudience(GATEWAY_AUDIENCE)
    .setIssuer(GATEWAY_ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .setJti(crypto.randomUUID())
    .sign(await key);
  return { token, expiresAt };
}
