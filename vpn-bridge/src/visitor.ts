/**
 * Who may open a container host, decided from what Nginx forwards (host, cookie, origin,
 * upgrade) and what the gateway said (routes, revocations). Pure: the auth server turns a
 * decision into an answer Nginx understands.
 *
 * A visitor without a valid cookie learns nothing beyond "sign in" unless the container is
 * shared by link: whether it exists or runs is told only to someone the gateway let in.
 */
import { jwtVerify, errors as joseErrors } from "jose";
import { VisitorTicketClaimsSchema, formatContainerHost, parseContainerHost, type BridgeRoute, type ContainerHost, type VisitorAccess } from "../../protocol/containers.ts";
import { VISITOR_COOKIE_TTL_MS, mintCookieValue, readCookieValue, setCookieHeader, visitorCookieValues, type CookieClaims } from "./visitor-cookie.ts";

export interface VisitorSettings {
  domain: string;
  scheme: "http" | "https";
  kilnUrl: string;
  cookieKey: Buffer;
}

/** What the bridge knows that decides access: routes and revocations, by org. */
export interface AccessFacts {
  route(org: string, container: string): BridgeRoute | undefined;
  revokedAt(org: string, user: string): number | null;
}

export interface AccessRequest {
  /** The Host the visitor sent (may carry a port). */
  host: string;
  cookie: string;
  origin: string | null;
  upgrade: boolean;
  /** The request's path and query, to come back to after signing in. */
  uri: string;
  now: number;
}

export type AccessDecision =
  /** `user` null and `access` read: a visitor let in by a link without a cookie. */
  | { kind: "allow"; target: string; user: string | null; access: VisitorAccess }
  | { kind: "sign-in"; location: string }
  | { kind: "forbidden"; reason: string }
  | { kind: "unknown" }
  | { kind: "unavailable"; reason: "not-running" | "no-service" };

/** A container host of this bridge's domain, without port and in lower case; null otherwise. */
export function readHost(hostHeader: string, domain: string): ContainerHost | null {
  const host = parseContainerHost(hostHeader);
  return host && host.domain === domain ? host : null;
}

/** The origin a page on `hostHeader` has: scheme, host, and the port only when not the default. */
export function expectedOrigin(scheme: "http" | "https", hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  const defaultPort = scheme === "https" ? ":443" : ":80";
  return `${scheme}://${host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host}`;
}

/** Where a visitor without a cookie is sent: the app checks their session and the gateway their permission. */
export function signInLocation(kilnUrl: string, hostHeader: string, uri: string): string {
  return `${kilnUrl}/api/containers/open?host=${encodeURIComponent(hostHeader.trim().toLowerCase())}&path=${encodeURIComponent(uri)}`;
}

/** Why a cookie does not let its holder in, or null when it does. */
export function cookieRefusal(claims: CookieClaims, host: string, route: BridgeRoute, org: string, revokedAt: number | null, now: number): string | null {
  if (claims.host !== host) return "the cookie is for another host";
  if (claims.org !== org || claims.container !== route.container) return "the cookie is for another container";
  if (claims.expiresAt <= now) return "the cookie has expired";
  if (claims.accessEpoch < route.accessEpoch) return "who may open this container changed since the cookie was issued";
  if (revokedAt !== null && claims.issuedAt < revokedAt) return "the user's access was revoked";
  return null;
}

/** The decision for one request Nginx asks about. */
export function decideAccess(settings: VisitorSettings, facts: AccessFacts, request: AccessRequest): AccessDecision {
  const host = readHost(request.host, settings.domain);
  if (!host) return { kind: "unknown" };
  const hostName = formatContainerHost(host);

  // A browser always sends Origin on a WebSocket handshake. Every container host is
  // same-site with every other, so a page on another one would get our Lax cookie sent
  // along: only a page of this very host may open a socket here.
  if (request.upgrade && request.origin !== null && request.origin.toLowerCase() !== expectedOrigin(settings.scheme, request.host)) {
    return { kind: "forbidden", reason: "a WebSocket from another origin" };
  }

  const route = facts.route(host.org, host.container);
  // A link lets anyone in, and a valid cookie still says who they are (and whether they type).
  const claims = visitorCookieValues(request.cookie)
    .map((value) => readCookieValue(settings.cookieKey, value))
    .find((c): c is CookieClaims => {
      if (!c) return false;
      if (!route) return c.host === hostName && c.expiresAt > request.now;
      return cookieRefusal(c, hostName, route, host.org, facts.revokedAt(host.org, c.user), request.now) === null;
    });
  if (!claims && route?.share !== "link") return { kind: "sign-in", location: signInLocation(settings.kilnUrl, request.host, request.uri) };
  if (!route) return { kind: "unknown" };
  if (route.state !== "running" || route.address === null) return { kind: "unavailable", reason: "not-running" };
  const service = host.service === null ? route.services[0] : route.services.find((s) => s.name === host.service);
  if (!service) return { kind: "unavailable", reason: "no-service" };
  const access = claims?.access ?? "read";
  // A service that runs what its visitors send: only those who may type in the container (a link visitor never).
  if (service.runsCode && access !== "write") return { kind: "forbidden", reason: `${service.name} runs the code its visitors send: only those allowed to type in this container open it` };
  return { kind: "allow", target: `${route.address}:${service.port}`, user: claims?.user ?? null, access };
}

/** Ticket ids already redeemed, kept until the ticket would have expired anyway. */
export class UsedTickets {
  private readonly used = new Map<string, number>();

  /** Records `jti`; false when it was already used. `expiresAt` in ms. */
  claim(jti: string, expiresAt: number, now: number): boolean {
    for (const [id, until] of this.used) if (until <= now) this.used.delete(id);
    if (this.used.has(jti)) return false;
    this.used.set(jti, expiresAt);
    return true;
  }
}

export type CallbackDecision = { kind: "redirect"; location: string; setCookie: string } | { kind: "refused"; reason: string };

/** Only a path on this host: one leading slash, no scheme, no `//host` or `/\host`, no control characters. */
export function safeRedirectPath(path: string | null): string {
  if (path === null || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return "/";
  // Browsers drop tabs and newlines inside URLs, so "/\t/evil.example" would become "//evil.example".
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return "/";
  return path;
}

export interface CallbackRequest {
  host: string;
  ticket: string | null;
  path: string | null;
  now: number;
  /** Signing in inside another site's frame (Kiln's app tab): the cookie is partitioned to it. */
  framed?: boolean;
}

/**
 * Redeems a visitor ticket (HS256 by the worker with the bridge key, for this host, 60 s,
 * once) for a cookie on this host, then sends the visitor to `path` on it.
 */
export async function redeemTicket(
  settings: VisitorSettings,
  ticketKey: Uint8Array,
  facts: AccessFacts,
  used: UsedTickets,
  request: CallbackRequest,
): Promise<CallbackDecision> {
  const host = readHost(request.host, settings.domain);
  if (!host) return { kind: "refused", reason: "not a container host" };
  if (!request.ticket) return { kind: "refused", reason: "no ticket" };
  const hostName = formatContainerHost(host);
  let payload: unknown;
  try {
    // The worker may name the host with the port the visitor used, or without it.
    const audience = [...new Set([hostName, request.host.trim().toLowerCase()])];
    ({ payload } = await jwtVerify(request.ticket, ticketKey, { algorithms: ["HS256"], audience, currentDate: new Date(request.now) }));
  } catch (error) {
    const reason = error instanceof joseErrors.JWTExpired ? "the ticket has expired" : error instanceof joseErrors.JWTClaimValidationFailed ? "the ticket is for another host" : "the ticket is not valid";
    return { kind: "refused", reason };
  }
  const claims = VisitorTicketClaimsSchema.safeParse(payload);
  if (!claims.success) return { kind: "refused", reason: "the ticket's claims are not a visitor ticket's" };
  if (claims.data.org !== host.org || claims.data.container !== host.container) return { kind: "refused", reason: "the ticket is for another container" };
  if (!used.claim(claims.data.jti, claims.data.exp * 1000, request.now)) return { kind: "refused", reason: "the ticket was already used" };

  const route = facts.route(host.org, host.container);
  const value = mintCookieValue(settings.cookieKey, {
    host: hostName,
    user: claims.data.sub,
    org: host.org,
    container: host.container,
    access: claims.data.access,
    // A route not known yet (its snapshot still on the way) gives epoch 0: if the real
    // one is higher, the cookie is refused and the visitor signs in once more.
    accessEpoch: route?.accessEpoch ?? 0,
    issuedAt: request.now,
    expiresAt: request.now + VISITOR_COOKIE_TTL_MS,
  });
  return { kind: "redirect", location: safeRedirectPath(request.path), setCookie: setCookieHeader(value, settings.scheme === "https", request.framed === true) };
}
