import { createHmac } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { formatContainerHost, type BridgeRoute } from "../../protocol/containers.ts";
import { deriveCookieKey, isCrossSiteFrame, mintCookieValue, readCookieValue, stripVisitorCookie, VISITOR_COOKIE_TTL_MS, type CookieClaims } from "../src/visitor-cookie.ts";
import { UsedTickets, decideAccess, expectedOrigin, redeemTicket, safeRedirectPath, type AccessFacts, type AccessRequest, type VisitorSettings } from "../src/visitor.ts";

const bridgeKey = "test-bridge-key-0123456789abcdef";
const ticketKey = new TextEncoder().encode(bridgeKey);
const settings: VisitorSettings = { domain: "containers.localhost", scheme: "http", kilnUrl: "http://app.localhost:8787", cookieKey: deriveCookieKey(bridgeKey) };
const org = "0b6e5a7e-8f3c-4b7a-9d1e-2f4a6c8e0b13";
const otherOrg = "9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const container = "abcdefabcdef";
const host = formatContainerHost({ container, service: null, org, domain: settings.domain });
const jupyterHost = formatContainerHost({ container, service: "jupyter", org, domain: settings.domain });
const now = 1_800_000_000_000;

const route: BridgeRoute = {
  container,
  owner: "ada",
  share: "project",
  state: "running",
  address: "172.16.0.5",
  services: [
    { name: "web", port: 8000, protocol: "http" },
    { name: "jupyter", port: 8888, protocol: "http", runsCode: true },
  ],
  accessEpoch: 3,
};

function facts(overrides: { route?: BridgeRoute | null; revoked?: Record<string, number> } = {}): AccessFacts {
  const r = overrides.route === undefined ? route : overrides.route;
  return {
    route: (o, c) => (r && o === org && c === r.container ? r : undefined),
    revokedAt: (o, user) => (o === org ? (overrides.revoked?.[user] ?? null) : null),
  };
}

function cookie(claims: Partial<CookieClaims> = {}): string {
  return `kiln_uc=${mintCookieValue(settings.cookieKey, { host, user: "bob", org, container, access: "write", accessEpoch: 3, issuedAt: now - 1000, expiresAt: now + 1000, ...claims })}`;
}

function request(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return { host, cookie: "", origin: null, upgrade: false, uri: "/lab?x=1&y=2", now, ...overrides };
}

describe("visitor access", () => {
  it("lets a valid cookie through to the default service", () => {
    expect(decideAccess(settings, facts(), request({ cookie: cookie() }))).toEqual({ kind: "allow", target: "172.16.0.5:8000", user: "bob", access: "write" });
  });

  it("routes a service host to that service's port", () => {
    const decision = decideAccess(settings, facts(), request({ host: jupyterHost, cookie: cookie({ host: jupyterHost }) }));
    expect(decision).toEqual({ kind: "allow", target: "172.16.0.5:8888", user: "bob", access: "write" });
  });

  it("opens a service that runs its visitors' code only to those who may type in the container, never by a link alone", () => {
    const jupyter = (claims: Partial<CookieClaims> | null, r: BridgeRoute = route) =>
      decideAccess(settings, facts({ route: r }), request({ host: jupyterHost, cookie: claims === null ? "" : cookie({ host: jupyterHost, ...claims }) }));
    expect(jupyter({ access: "write" }).kind).toBe("allow");
    expect(jupyter({ access: "read" })).toEqual({ kind: "forbidden", reason: expect.stringContaining("runs the code its visitors send") });
    expect(jupyter(null, { ...route, share: "link" })).toMatchObject({ kind: "forbidden" });
    expect(jupyter({ access: "read" }, { ...route, share: "link" })).toMatchObject({ kind: "forbidden" });
    // The other services of the same container open as before.
    expect(decideAccess(settings, facts(), request({ cookie: cookie({ access: "read" }) }))).toMatchObject({ kind: "allow", access: "read" });
  });

  it("without a cookie: sign in, with host and path escaped", () => {
    expect(decideAccess(settings, facts(), request())).toEqual({
      kind: "sign-in",
      location: `http://app.localhost:8787/api/containers/open?host=${host}&path=%2Flab%3Fx%3D1%26y%3D2`,
    });
  });

  it("tells nothing more than 'sign in' to a visitor without a cookie: unknown, stopped and missing service look alike", () => {
    const stopped = { ...route, state: "stopped" as const };
    for (const [f, h] of [[facts({ route: null }), host], [facts({ route: stopped }), host], [facts(), formatContainerHost({ container, service: "nope", org, domain: settings.domain })]] as const) {
      expect(decideAccess(settings, f, request({ host: h })).kind).toBe("sign-in");
    }
  });

  it("refuses a forged cookie, one for another host or service, an expired one, an old epoch and a revoked user", () => {
    const [value] = cookie().split("=").slice(1);
    const forged = `kiln_uc=${value!.slice(0, -2)}AA`;
    const cases = [
      forged,
      cookie({ host: jupyterHost }),
      cookie({ host: formatContainerHost({ container: "zzzzzzzzzzzz", service: null, org, domain: settings.domain }) }),
      cookie({ expiresAt: now }),
      cookie({ accessEpoch: 2 }),
    ];
    for (const c of cases) expect(decideAccess(settings, facts(), request({ cookie: c })).kind).toBe("sign-in");
    expect(decideAccess(settings, facts({ revoked: { bob: now - 500 } }), request({ cookie: cookie() })).kind).toBe("sign-in");
    // Revoked before this cookie was issued (access given back since): still good.
    expect(decideAccess(settings, facts({ revoked: { bob: now - 5000 } }), request({ cookie: cookie() })).kind).toBe("allow");
  });

  it("a cookie signed with a key derived for another purpose (the raw bridge key) is refused", () => {
    const raw = Buffer.from(bridgeKey);
    const value = mintCookieValue(raw, { host, user: "bob", org, container, access: "write", accessEpoch: 3, issuedAt: now, expiresAt: now + 1000 });
    expect(readCookieValue(settings.cookieKey, value)).toBeNull();
  });

  it("a host of another org never finds this org's route", () => {
    const elsewhere = formatContainerHost({ container, service: null, org: otherOrg, domain: settings.domain });
    expect(decideAccess(settings, facts(), request({ host: elsewhere, cookie: cookie({ host: elsewhere, org: otherOrg }) })).kind).toBe("unknown");
  });

  it("with a valid cookie: tells unknown, not running and no such service apart", () => {
    expect(decideAccess(settings, facts({ route: null }), request({ cookie: cookie() }))).toEqual({ kind: "unknown" });
    expect(decideAccess(settings, facts({ route: { ...route, state: "unreachable" } }), request({ cookie: cookie() }))).toEqual({ kind: "unavailable", reason: "not-running" });
    const noServices = { ...route, services: [] };
    expect(decideAccess(settings, facts({ route: noServices }), request({ cookie: cookie() }))).toEqual({ kind: "unavailable", reason: "no-service" });
  });

  it("a link share needs no cookie", () => {
    expect(decideAccess(settings, facts({ route: { ...route, share: "link" } }), request())).toEqual({ kind: "allow", target: "172.16.0.5:8000", user: null, access: "read" });
    // …and a signed-in visitor is still known by their cookie.
    const known = decideAccess(settings, facts({ route: { ...route, share: "link" } }), request({ cookie: cookie({ access: "read" }) }));
    expect(known).toEqual({ kind: "allow", target: "172.16.0.5:8000", user: "bob", access: "read" });
  });

  it("a host of another domain is unknown", () => {
    expect(decideAccess(settings, facts(), request({ host: host.replace("containers.localhost", "evil.test"), cookie: cookie() })).kind).toBe("unknown");
  });

  it("WebSocket upgrades need this host's exact origin (port included); no Origin is a non-browser client", () => {
    const ws = (origin: string | null, h = host) => decideAccess(settings, facts(), request({ host: h, upgrade: true, origin, cookie: cookie() })).kind;
    expect(ws(`http://${host}`)).toBe("allow");
    expect(ws(null)).toBe("allow");
    expect(ws(`https://${host}`)).toBe("forbidden");
    expect(ws(`http://${jupyterHost}`)).toBe("forbidden");
    expect(ws("http://app.localhost:8787")).toBe("forbidden");
    expect(ws("null")).toBe("forbidden");
    expect(ws(`http://${host}:8080`, `${host}:8080`)).toBe("allow");
    expect(ws(`http://${host}`, `${host}:8080`)).toBe("forbidden");
    // Plain requests carry Origin on cross-site POSTs too; SameSite=Lax covers those.
    expect(decideAccess(settings, facts(), request({ origin: "http://evil.test", cookie: cookie() })).kind).toBe("allow");
  });

  it("drops the default port from the expected origin", () => {
    expect(expectedOrigin("https", `${host}:443`)).toBe(`https://${host}`);
    expect(expectedOrigin("http", `${host}:8080`)).toBe(`http://${host}:8080`);
  });

  it("strips every occurrence of Kiln's cookie for the app", () => {
    expect(stripVisitorCookie("a=1; kiln_uc=x; b=2;kiln_uc=y ; c")).toBe("a=1; b=2; c");
    expect(stripVisitorCookie("kiln_uc=x")).toBe("");
  });

  it("accepts the valid one among several Kiln cookies (one tossed in by a sibling host)", () => {
    const tossed = "kiln_uc=v1.e30.AAAA";
    expect(decideAccess(settings, facts(), request({ cookie: `${tossed}; ${cookie()}` })).kind).toBe("allow");
  });
});

async function ticket(claims: Record<string, unknown> = {}, key = ticketKey, aud = host): Promise<string> {
  return new SignJWT({ org, container, access: "write", exp: Math.floor(now / 1000) + 60, ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("bob")
    .setAudience(aud)
    .setJti(`jti-${Math.random().toString(36).slice(2)}-0123456789`)
    .sign(key);
}

describe("visitor callback", () => {
  const redeem = (t: string | null, used = new UsedTickets(), h = host, path: string | null = "/lab") =>
    redeemTicket(settings, ticketKey, facts(), used, { host: h, ticket: t, path, now });

  it("turns a ticket into a host-only cookie with the route's epoch, and redirects to the path", async () => {
    const decision = await redeem(await ticket());
    expect(decision.kind).toBe("redirect");
    if (decision.kind !== "redirect") return;
    expect(decision.location).toBe("/lab");
    expect(decision.setCookie).toMatch(/^kiln_uc=[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    expect(decision.setCookie).not.toMatch(/Domain=/i);
    const value = decision.setCookie.split(";")[0]!.slice("kiln_uc=".length);
    expect(readCookieValue(settings.cookieKey, value)).toEqual({ host, user: "bob", org, container, access: "write", accessEpoch: 3, issuedAt: now, expiresAt: now + VISITOR_COOKIE_TTL_MS });
    expect(decideAccess(settings, facts(), request({ cookie: `kiln_uc=${value}` })).kind).toBe("allow");
  });

  it("carries the ticket's access into the cookie and on to the app; a cookie from before access was said watches", async () => {
    const decision = await redeem(await ticket({ access: "read" }));
    if (decision.kind !== "redirect") throw new Error(decision.reason);
    const value = decision.setCookie.split(";")[0]!;
    expect(decideAccess(settings, facts(), request({ cookie: value }))).toMatchObject({ kind: "allow", user: "bob", access: "read" });
    expect(await redeem(await ticket({ access: "root" }))).toEqual({ kind: "refused", reason: "the ticket's claims are not a visitor ticket's" });
    const payload = Buffer.from(JSON.stringify({ host, user: "bob", org, container, accessEpoch: 3, issuedAt: now, expiresAt: now + 1000 })).toString("base64url");
    const signature = createHmac("sha256", settings.cookieKey).update(`v1.${payload}`).digest("base64url");
    expect(readCookieValue(settings.cookieKey, `v1.${payload}.${signature}`)?.access).toBe("read");
  });

  it("marks the cookie Secure over https", async () => {
    const secure = { ...settings, scheme: "https" as const };
    const decision = await redeemTicket(secure, ticketKey, facts(), new UsedTickets(), { host, ticket: await ticket(), path: "/", now });
    expect(decision.kind === "redirect" && decision.setCookie.endsWith("; Secure")).toBe(true);
  });

  it("signs in inside another site's frame (the app tab) with a partitioned cookie, only then", async () => {
    const framed = await redeemTicket(settings, ticketKey, facts(), new UsedTickets(), { host, ticket: await ticket(), path: "/", now, framed: true });
    expect(framed.kind === "redirect" && framed.setCookie).toMatch(/; HttpOnly; SameSite=None; Secure; Partitioned$/);
    expect(isCrossSiteFrame("iframe", "cross-site")).toBe(true);
    // A top-level visit, or a frame of the container's own site: the Lax cookie.
    expect(isCrossSiteFrame("document", "cross-site")).toBe(false);
    expect(isCrossSiteFrame("iframe", "same-origin")).toBe(false);
    expect(isCrossSiteFrame(null, null)).toBe(false);
  });

  it("refuses a forged, expired, replayed or other-host ticket", async () => {
    expect(await redeem(await ticket({}, new TextEncoder().encode("another-key-0123456789abcdef")))).toEqual({ kind: "refused", reason: "the ticket is not valid" });
    expect(await redeem(await ticket({ exp: Math.floor(now / 1000) - 1 }))).toEqual({ kind: "refused", reason: "the ticket has expired" });
    expect(await redeem(await ticket({}, ticketKey, jupyterHost))).toEqual({ kind: "refused", reason: "the ticket is for another host" });
    expect(await redeem(await ticket({ container: "zzzzzzzzzzzz" }))).toEqual({ kind: "refused", reason: "the ticket is for another container" });
    expect(await redeem(null)).toEqual({ kind: "refused", reason: "no ticket" });
    const used = new UsedTickets();
    const once = await ticket();
    expect((await redeem(once, used)).kind).toBe("redirect");
    expect(await redeem(once, used)).toEqual({ kind: "refused", reason: "the ticket was already used" });
  });

  it("refuses an unsigned (alg none) ticket", async () => {
    const [, payload] = (await ticket()).split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${payload}.`;
    expect((await redeem(none)).kind).toBe("refused");
  });

  it("accepts a ticket naming the host with the visitor's port", async () => {
    expect((await redeem(await ticket({}, ticketKey, `${host}:8080`), new UsedTickets(), `${host}:8080`)).kind).toBe("redirect");
  });

  it("redirects only to a path on this host", async () => {
    for (const path of ["https://evil.test/", "//evil.test/x", "/\\evil.test", "/\t/evil.test", "evil", "", null]) {
      expect(safeRedirectPath(path)).toBe("/");
    }
    expect(safeRedirectPath("/lab/tree?a=1#x")).toBe("/lab/tree?a=1#x");
    const decision = await redeem(await ticket(), new UsedTickets(), host, "//evil.test");
    expect(decision.kind === "redirect" && decision.location).toBe("/");
  });
});
