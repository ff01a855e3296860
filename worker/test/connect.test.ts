import { SELF } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { closed, openSocket, ping, storedSnapshot } from "../../gateway-do/test/sockets";
import { type ApiError, type Client, call, expectJson } from "./helpers";
import { auditActions, createProject, joinOrg, keyClient, orgWithRoles, withDb } from "./org-helpers";

interface Connect {
  url: string;
  token: string;
  expiresAt: string;
}

async function connectTo(client: Client, org: string, project: string): Promise<Connect> {
  return expectJson<Connect>(call(client, `/api/orgs/${org}/projects/${project}/connect`, { method: "POST" }), 200);
}

/** Opens the gateway socket the way the web app will: the URL from connect, with its token. */
async function openFrom(connect: Connect): Promise<WebSocket> {
  const [, org, project] = /\/gw\/([^/]+)\/projects\/([^/]+)\/ws$/.exec(new URL(connect.url).pathname)!;
  return openSocket(org!, project!, connect.token);
}

describe("the gateway handoff", () => {
  it("serves the public key, cacheable, without its private part", async () => {
    const res = await SELF.fetch("http://kiln.test/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    const jwks = await res.json<JSONWebKeySet>();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig", kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    const doc = await (await SELF.fetch("http://kiln.test/api/openapi.json")).json<{ paths: Record<string, unknown> }>();
    expect(doc.paths).toHaveProperty(["/.well-known/jwks.json", "get"]);
  });

  it("hands out a 5-minute ES256 token naming user, org, project and roles, verifiable with the JWKS", async () => {
    const { org, owner, member } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const result = await connectTo(member.client, org.id, project.id);
    expect(result.url).toBe(`ws://kiln.test/gw/${org.id}/projects/${project.id}/ws`);
    const jwks = await (await SELF.fetch("http://kiln.test/.well-known/jwks.json")).json<JSONWebKeySet>();
    const header = decodeProtectedHeader(result.token);
    expect(header).toMatchObject({ alg: "ES256", kid: jwks.keys[0]!.kid });
    const { payload } = await jwtVerify(result.token, createLocalJWKSet(jwks), { audience: "kiln-gateway", algorithms: ["ES256"] });
    expect(payload).toMatchObject({ sub: member.user.id, org: org.id, project: project.id, name: member.user.name, aud: "kiln-gateway" });
    // No roles: the gateway reads them from its own membership, which a removal changes at once.
    expect(payload).not.toHaveProperty("roles");
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(Date.parse(result.expiresAt)).toBe(payload.exp! * 1000);

    const mine = await connectTo(owner.client, org.id, project.id);
    const { payload: ownerClaims } = await jwtVerify(mine.token, createLocalJWKSet(jwks), { audience: "kiln-gateway" });
    expect(ownerClaims).toMatchObject({ sub: owner.user.id, name: owner.user.name });
  });

  it("allocates no VPN bridge: an org gets one when it first launches a container", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    await connectTo(owner.client, org.id, project.id);
    const rows = await withDb(async (db) => (await db.execute(sql`select bridge_id from organizations_vpn_bridges where org_id = ${org.id}`)).rows);
    expect(rows).toEqual([]);
    expect(await auditActions(org.id)).not.toContain("bridge.allocate");
  });

  it("needs the gateway:connect scope and a project the caller may see", async () => {
    const { org, owner, member } = await orgWithRoles();
    const secret = await createProject(owner.client, org.id, "members");
    const open = await createProject(owner.client, org.id, "org");
    const noScope = await keyClient(member, ["projects:read", "orgs:read"]);
    expect((await expectJson<ApiError>(call(noScope, `/api/orgs/${org.id}/projects/${open.id}/connect`, { method: "POST" }), 403)).error.code).toBe("insufficient_scope");
    const scoped = await keyClient(member, ["gateway:connect"]);
    await connectTo(scoped, org.id, open.id);
    await expectJson(call(member.client, `/api/orgs/${org.id}/projects/${secret.id}/connect`, { method: "POST" }), 404);
  });
});

describe("the gateway follows membership changes at once", () => {
  it("admits a member with the token and closes their socket when they are removed", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const memberSocket = await openFrom(await connectTo(member.client, org.id, project.id));
    const adminSocket = await openFrom(await connectTo(admin.client, org.id, project.id));
    expect(await ping(memberSocket)).toMatchObject({ type: "pong", org: org.id, connections: 2 });

    const memberClosed = closed(memberSocket);
    expect((await call(admin.client, `/api/orgs/${org.id}/members/${member.user.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await memberClosed).toEqual({ code: 4003, reason: "removed from the organization" });
    expect((await ping(adminSocket)).type).toBe("pong");

    // A role change reaches the gateway's copy.
    await expectJson(call(owner.client, `/api/orgs/${org.id}/members/${admin.user.id}`, { method: "PATCH", body: { role: "member" } }), 200);
    const snapshot = await storedSnapshot(org.id);
    expect(snapshot.members.find((m) => m.userId === admin.user.id)?.role).toBe("member");
    expect(snapshot.members.some((m) => m.userId === member.user.id)).toBe(false);

    // Deleting the org closes everyone.
    const adminClosed = closed(adminSocket);
    expect((await call(owner.client, `/api/orgs/${org.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await adminClosed).toEqual({ code: 4003, reason: "removed from the organization" });
    expect(await storedSnapshot(org.id)).toMatchObject({ members: [], projects: [] });
  });

  it("closes sockets that lose the project: visibility, project membership, deletion", async () => {
    const { org, owner, member } = await orgWithRoles();
    const other = await joinOrg(owner.client, org.id, "member");
    const project = await createProject(owner.client, org.id, "org");
    await expectJson(call(owner.client, `/api/orgs/${org.id}/projects/${project.id}/members/${member.user.id}`, { method: "PUT", body: { role: "member" } }), 200);
    const memberSocket = await openFrom(await connectTo(member.client, org.id, project.id));
    const otherSocket = await openFrom(await connectTo(other.client, org.id, project.id));
    const ownerSocket = await openFrom(await connectTo(owner.client, org.id, project.id));

    // Members-only: the org member outside the project goes, the project member stays.
    const otherClosed = closed(otherSocket);
    await expectJson(call(owner.client, `/api/orgs/${org.id}/projects/${project.id}`, { method: "PATCH", body: { visibility: "members" } }), 200);
    expect(await otherClosed).toEqual({ code: 4003, reason: "removed from the project" });
    expect((await ping(memberSocket)).type).toBe("pong");

    const memberClosed = closed(memberSocket);
    expect((await call(owner.client, `/api/orgs/${org.id}/projects/${project.id}/members/${member.user.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await memberClosed).toEqual({ code: 4003, reason: "removed from the project" });

    const ownerClosed = closed(ownerSocket);
    expect((await call(owner.client, `/api/orgs/${org.id}/projects/${project.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await ownerClosed).toEqual({ code: 4003, reason: "removed from the project" });
  });

  it("admits a new member as soon as they accept the invitation", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const newcomer = await joinOrg(owner.client, org.id, "member");
    const socket = await openFrom(await connectTo(newcomer.client, org.id, project.id));
    expect((await ping(socket)).type).toBe("pong");
    socket.close(1000, "done");
  });
});
