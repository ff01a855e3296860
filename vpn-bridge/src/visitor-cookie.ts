/**
 * The visitor cookie (`kiln_uc`): proof that the gateway let `user` open one container
 * host, minted by the bridge after a ticket and checked on every request. HMAC-SHA256 with
 * a key derived from the bridge key for this purpose alone, so a cookie can never pass for
 * a ticket (which the worker signs with the bridge key itself), nor the other way round.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { VISITOR_COOKIE, VisitorAccessSchema } from "../../protocol/containers.ts";

/** How long a visitor stays signed in to one container host. */
export const VISITOR_COOKIE_TTL_MS = 12 * 60 * 60 * 1000;

const VERSION = "v1";

const CookieClaimsSchema = z.strictObject({
  host: z.string(),
  user: z.string(),
  org: z.string(),
  container: z.string(),
  /** Type or watch in the container's terminal; a cookie minted before there was a choice watches. */
  access: VisitorAccessSchema.default("read"),
  accessEpoch: z.number().int(),
  issuedAt: z.number(),
  expiresAt: z.number(),
});
export type CookieClaims = z.infer<typeof CookieClaimsSchema>;

/** The cookie key: the bridge key, separated by purpose (see the file comment). */
export function deriveCookieKey(bridgeKey: string): Buffer {
  return createHmac("sha256", bridgeKey).update("kiln-bridge/visitor-cookie/v1").digest();
}

function sign(key: Buffer, payload: string): string {
  return createHmac("sha256", key).update(`${VERSION}.${payload}`).digest("base64url");
}

/** The cookie's value for these claims. */
export function mintCookieValue(key: Buffer, claims: CookieClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${VERSION}.${payload}.${sign(key, payload)}`;
}

/** The claims of a cookie value whose signature is right, else null (expiry and host are the caller's). */
export function readCookieValue(key: Buffer, value: string): CookieClaims | null {
  const [version, payload, signature, ...rest] = value.split(".");
  if (version !== VERSION || !payload || !signature || rest.length > 0) return null;
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = CookieClaimsSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Every value of Kiln's cookie in a Cookie header (an app on a sibling host may toss in more than one). */
export function visitorCookieValues(cookieHeader: string): string[] {
  return splitCookies(cookieHeader)
    .filter(([name]) => name === VISITOR_COOKIE)
    .map(([, value]) => value);
}

/** The Cookie header without Kiln's cookie, every occurrence of it, for the app behind. */
export function stripVisitorCookie(cookieHeader: string): string {
  return splitCookies(cookieHeader)
    .filter(([name]) => name !== VISITOR_COOKIE)
    .map(([name, value]) => (name === "" ? value : `${name}=${value}`))
    .join("; ");
}

function splitCookies(header: string): Array<[string, string]> {
  return header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const eq = part.indexOf("=");
      return eq < 0 ? ["", part] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    });
}

/**
 * The Set-Cookie header: host-only (no Domain), HttpOnly, Lax, Secure over https. Signing in
 * inside a frame of another site (Kiln's app tab): a cookie that site's frames alone send —
 * SameSite=None with `Partitioned` (CHIPS), keyed to the top-level site that framed it, so a
 * page of any other site framing or posting to the host never carries it, and the visitor's
 * own Lax cookie is not weakened. Partitioned cookies must be Secure (browsers allow that on
 * http://*.localhost).
 */
export function setCookieHeader(value: string, secure: boolean, framed = false): string {
  const maxAge = Math.floor(VISITOR_COOKIE_TTL_MS / 1000);
  const site = framed ? "SameSite=None; Secure; Partitioned" : `SameSite=Lax${secure ? "; Secure" : ""}`;
  return `${VISITOR_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; ${site}`;
}

/** Whether a navigation is a frame inside another site's page (the browser's Fetch Metadata says so). */
export function isCrossSiteFrame(dest: string | null, site: string | null): boolean {
  return dest === "iframe" && site === "cross-site";
}
