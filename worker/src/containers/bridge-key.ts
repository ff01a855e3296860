/**
 * The VPN bridge's key (`BRIDGE_KEY`, a secret the bridge also holds): the bridge sends it as
 * `Bearer kbr_<key>`, and the worker signs visitor tickets with it (HS256) for the bridge to check.
 */
import type { Context } from "hono";
import { SignJWT } from "jose";
import { BRIDGE_KEY_PREFIX, VISITOR_TICKET_TTL_S, type VisitorTicketClaims } from "../../../protocol/containers";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";

/** The configured key, or a 503 saying containers are not set up here. */
export function bridgeKey(c: Context<AppEnv>): string {
  const key = c.env.BRIDGE_KEY;
  if (!key || key.length < 32) throw new ApiError(503, "containers_unavailable", "This Kiln has no VPN bridge configured (BRIDGE_KEY is not set), so containers cannot run.");
  return key;
}

/** Constant-time comparison of two strings of any length. */
function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** Refuses a request that does not carry the bridge's key. */
export function requireBridge(c: Context<AppEnv>): void {
  const key = bridgeKey(c);
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
  if (!bearer.startsWith(BRIDGE_KEY_PREFIX) || !sameSecret(bearer.slice(BRIDGE_KEY_PREFIX.length), key)) {
    throw new ApiError(401, "invalid_bridge_key", "This is not the VPN bridge's key: check KILN_BRIDGE_KEY on the bridge against BRIDGE_KEY here.");
  }
}

/** A visitor ticket: the gateway allowed `user` to open `host` (60 s, once). */
export async function signVisitorTicket(key: string, claims: Omit<VisitorTicketClaims, "exp" | "jti">): Promise<string> {
  return new SignJWT({ org: claims.org, container: claims.container, access: claims.access })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${VISITOR_TICKET_TTL_S}s`)
    .sign(new TextEncoder().encode(key));
}
