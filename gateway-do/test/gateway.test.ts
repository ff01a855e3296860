import { SELF, env } from "cloudflare:test";
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { getServerByName } from "partyserver";
import { describe, expect, it } from "vitest";
import { signGatewayToken } from "../../worker/src/gateway/token";
import { parsePrivateJwk } from "../src/auth";
import type { MembershipSnapshot } from "../src/membership";
import { call, newClient, signUp } from "../../worker/test/helpers";
import { orgWithRoles } from "../../worker/test/org-helpers";
import { closed, nextMessage, nextVersion, openSocket, ping, pushSnapshot, storedSnapshot } from "./sockets";

const uuid = () => crypto.randomUUID();

/** An org with an owner, a member, an "org" project and a "members" project that only `insider` is in. */
function orgFixture() {
  const org = uuid();
  const people = { owner: uuid(), member: uuid(), insider: uuid() };
  const projects = { open: uuid(), closed: uuid() };
  const snapshot: MembershipSnapshot = {
    org,
    version: nextVersion(),
    members: [
      { userId: people.owner, role: "owner" },
      { userId: people.member, role: "member" },
      { userId: people.insider, role: "member" },
    ],
    projects: [
      { id: projects.open, visibility: "org", members: [] },
      { id: projects.closed, visibility: "members", members: [{ userId: people.insider, role: "admin" }] },
    ],
  };
  return { org, people, projects, snapshot };
}

async function tokenFor(org: string, project: string, sub: string) {
  return (await signGatewayToken(env.JWT_PRIVATE_KEY, { sub, org, project })).token;
}

/** Signs claims with the real key, or another, with any audience, issuer and expiry. */
async function customToken(claims: Record<string, unknown>, options: { aud?: string; iss?: string; exp?: number; key?: CryptoKey | Uint8Array; kid?: string } = {}) {
  const key = options.key ?? (await importJWK(parsePrivateJwk(env.JWT_PRIVATE_KEY) as JWK, "ES256"));
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid: options.kid ?? "k" })
    .setAudience(options.aud ?? "kiln-gateway")
    .setIssuer(options.iss ?? "kiln")
    .setIssuedAt()
    .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 60)
    .sign(key);
}

describe("GatewayDO through /gw/{orgId}", () => {
  it("answers a member's ping over HTTP, named after its organization", async () => {
    const { org, owner } = await orgWithRoles();
    const res = await call(owner.client, `/gw/${org.id}/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pong: true, org: org.id, connections: 0 });
    expect((await call(newClient(), `/gw/${org.id}/ping`)).status).toBe(401);
    const stranger = await signUp({ confirmed: true });
    expect((await call(stranger.client, `/gw/${org.id}/ping`)).status).toBe(404);
  });

  it("counts its admitted WebSocket connections, per organization", async () => {
    const a = orgFixture();
    const b = orgFixture();
    await pushSnapshot(a.snapshot);
    await pushSnapshot(b.snapshot);
    const one = await openSocket(a.org, a.projects.open, await tokenFor(a.org, a.projects.open, a.people.owner));
    const two = await openSocket(a.org, a.projects.open, await tokenFor(a.org, a.projects.open, a.people.member));
    const three = await openSocket(b.org, b.projects.open, await tokenFor(b.org, b.projects.open, b.people.member));

    expect(await ping(one)).toEqual({ type: "pong", org: a.org, connections: 2 });
    expect(await (await getServerByName(env.GATEWAY, b.org)).status()).toEqual({ org: b.org, connections: 1 });
    for (const ws of [one, two, three]) ws.close(1000, "done");
  });

  it("tells a client what it does not understand", async () => {
    const { org, people, projects, snapshot } = orgFixture();
    await pushSnapshot(snapshot);
    const ws = await openSocket(org, projects.open, await tokenFor(org, projects.open, people.member));
    const notJson = nextMessage(ws);
    ws.send("hello");
    expect(await notJson).toMatchObject({ type: "error", error: { code: "invalid_json" } });
    const unknown = nextMessage(ws);
    ws.send(JSON.stringify({ type: "dance" }));
    expect(await unknown).toMatchObject({ type: "error", error: { code: "unknown_message" } });
    ws.close(1000, "done");
  });

  it("refuses an organization id that is not a UUID with a 400 naming the field", async () => {
    const res = await SELF.fetch("http://kiln.test/gw/not-an-id/ping");
    expect(res.status).toBe(400);
    const body = await res.json<{ error: { code: string; fields: Record<string, string[]> } }>();
    expect(body.error.code).toBe("invalid_request");
    expect(Object.keys(body.error.fields)).toEqual(["org"]);
  });

  it("answers an unknown gateway path with a JSON 404, sockets included", async () => {
    const res = await SELF.fetch(`http://kiln.test/gw/${uuid()}/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
    for (const path of ["ws", "projects/not-a-uuid/ws", `projects/${uuid()}/other`]) {
      const socket = await SELF.fetch(`http://kiln.test/gw/${uuid()}/${path}`, { headers: { upgrade: "websocket" } });
      expect(socket.status, path).toBe(404);
    }
  });
});

describe("admitting a socket", () => {
  it("closes with 4001 and a reason when the token is missing, forged, expired or for elsewhere", async () => {
    const { org, people, projects, snapshot } = orgFixture();
    await pushSnapshot(snapshot);
    const claims = { sub: people.owner, org, project: projects.open };
    const otherKey = (await generateKeyPair("ES256", { extractable: true })).privateKey;
    const cases: [string | undefined, RegExp, string?][] = [
      [undefined, /missing token/],
      ["not.a.jwt", /invalid token/],
      [await customToken(claims, { key: otherKey }), /invalid token/],
      [await customToken(claims, { exp: Math.floor(Date.now() / 1000) - 10 }), /token expired/],
      [await customToken(claims, { aud: "someone-else" }), /invalid token: aud/],
      [await customToken(claims, { iss: "elsewhere" }), /invalid token: iss/],
      [await customToken({ ...claims, org: uuid() }), /another organization/],
      [await customToken({ ...claims, project: projects.closed }), /another project/],
      [await customToken({ ...claims, sub: "not-a-uuid" }), /claims/],
    ];
    for (const [token, reason] of cases) {
      const ws = await openSocket(org, projects.open, token);
      const close = await closed(ws);
      expect(close.code, String(reason)).toBe(4001);
      expect(close.reason).toMatch(reason);
    }
    const ok = await openSocket(org, projects.open, await customToken(claims));
    expect((await ping(ok)).type).toBe("pong");
    ok.close(1000, "done");
  });

  it("closes with 4003 when its copy of the membership does not admit the user to the project", async () => {
    const { org, people, projects, snapshot } = orgFixture();
    const stranger = uuid();
    // Before any push the gateway knows no one.
    const early = await openSocket(org, projects.open, await tokenFor(org, projects.open, people.owner));
    expect(await closed(early)).toEqual({ code: 4003, reason: "not a member of this organization" });

    await pushSnapshot(snapshot);
    const cases: [string, string, string][] = [
      [stranger, projects.open, "not a member of this organization"],
      [people.member, projects.closed, "no access to this project"],
      [people.member, uuid(), "no access to this project"],
    ];
    for (const [user, project, reason] of cases) {
      const ws = await openSocket(org, project, await tokenFor(org, project, user));
      expect(await closed(ws)).toEqual({ code: 4003, reason });
    }
    // Members-only projects admit their members and the org's owners and admins.
    for (const user of [people.insider, people.owner]) {
      const ws = await openSocket(org, projects.closed, await tokenFor(org, projects.closed, user));
      expect((await ping(ws)).type).toBe("pong");
      ws.close(1000, "done");
    }
  });
});

describe("membership pushes", () => {
  it("stores the snapshot and closes, at once, exactly the sockets it takes access from", async () => {
    const { org, people, projects, snapshot } = orgFixture();
    await pushSnapshot(snapshot);
    const open = (user: string, project: string) => tokenFor(org, project, user).then((t) => openSocket(org, project, t));
    const memberOpen = await open(people.member, projects.open);
    const insiderClosed = await open(people.insider, projects.closed);
    const insiderOpen = await open(people.insider, projects.open);
    const ownerClosed = await open(people.owner, projects.closed);
    for (const ws of [memberOpen, insiderClosed, insiderOpen, ownerClosed]) expect((await ping(ws)).type).toBe("pong");

    // The member leaves the org; the insider leaves the members-only project.
    const next: MembershipSnapshot = {
      ...snapshot,
      version: nextVersion(),
      members: snapshot.members.filter((m) => m.userId !== people.member),
      projects: snapshot.projects.map((p) => ({ ...p, members: [] })),
    };
    const memberClosed = closed(memberOpen);
    const insiderClosedClosed = closed(insiderClosed);
    expect(await pushSnapshot(next)).toEqual({ applied: true, version: next.version, closed: 2 });
    expect(await memberClosed).toEqual({ code: 4003, reason: "removed from the organization" });
    expect(await insiderClosedClosed).toEqual({ code: 4003, reason: "removed from the project" });
    // The others stay connected.
    expect(await ping(insiderOpen)).toMatchObject({ type: "pong", connections: 2 });
    expect((await ping(ownerClosed)).type).toBe("pong");
    expect(await storedSnapshot(org)).toEqual(next);

    // Pushing the same snapshot again changes nothing; an older one is ignored.
    expect(await pushSnapshot(next)).toEqual({ applied: true, version: next.version, closed: 0 });
    expect(await pushSnapshot({ ...snapshot, version: snapshot.version })).toEqual({ applied: false, reason: "stale", version: next.version });
    expect(await storedSnapshot(org)).toEqual(next);

    // An empty snapshot (the org was deleted) closes everyone.
    const all = [closed(insiderOpen), closed(ownerClosed)];
    expect(await pushSnapshot({ org, version: nextVersion(), members: [], projects: [] })).toMatchObject({ applied: true, closed: 2 });
    for (const close of await Promise.all(all)) expect(close).toEqual({ code: 4003, reason: "removed from the organization" });
  });

  it("refuses a malformed snapshot or one for another org, and keeps what it had", async () => {
    const { org, snapshot } = orgFixture();
    await pushSnapshot(snapshot);
    const invalid = { applied: false, reason: "invalid" };
    expect(await pushSnapshot({ ...snapshot, version: nextVersion(), members: [{ userId: uuid(), role: "superuser" }] })).toMatchObject({ ...invalid, message: expect.stringMatching(/role/) });
    expect(await pushSnapshot({ ...snapshot, version: nextVersion(), extra: true })).toMatchObject({ ...invalid, message: expect.stringMatching(/extra/) });
    const gateway = await getServerByName(env.GATEWAY, org);
    expect(await gateway.syncMembership({ ...snapshot, org: uuid(), version: nextVersion() })).toMatchObject({ ...invalid, message: expect.stringMatching(/sent to the gateway of/) });
    expect(await storedSnapshot(org)).toEqual(snapshot);
  });
});
