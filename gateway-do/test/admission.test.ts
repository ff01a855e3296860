/**
 * What reaches an organization's gateway, attacked from outside (issue #14): no Durable
 * Object is created or woken for an unauthenticated request, a refused socket is refused by
 * the worker, headers and parameters partyserver reads are never a client's, no stack trace
 * leaves the server, and an org id in another letter case names the same gateway.
 */
import { SELF, env, listDurableObjectIds } from "cloudflare:test";
import { getServerByName } from "partyserver";
import { describe, expect, it } from "vitest";
import { signGatewayToken } from "../../worker/src/gateway/token";
import { call, expectJson, newClient } from "../../worker/test/helpers";
import { createProject, orgWithRoles } from "../../worker/test/org-helpers";
import { closed, nextVersion, ping, pushSnapshot } from "./sockets";

const uuid = () => crypto.randomUUID();

/** Whether the org's gateway has ever been created (a created gateway has its SQLite storage). */
async function gatewayExists(org: string): Promise<boolean> {
  const id = env.GATEWAY.idFromName(org);
  return (await listDurableObjectIds(env.GATEWAY)).some((other) => other.equals(id));
}

/** Sends a WebSocket upgrade and returns the response with its socket accepted (if any). */
async function upgrade(path: string, headers: Record<string, string> = {}): Promise<{ res: Response; ws: WebSocket | null }> {
  const res = await SELF.fetch(`http://kiln.test${path}`, { headers: { upgrade: "websocket", ...headers } });
  const ws = res.webSocket ?? null;
  ws?.accept();
  return { res, ws };
}

/** Every text frame the socket receives, to prove what was (never) sent. */
function recordText(ws: WebSocket): string[] {
  const texts: string[] = [];
  ws.addEventListener("message", (e) => {
    if (typeof e.data === "string") texts.push(e.data);
  });
  return texts;
}

async function tokenFor(org: string, project: string, sub: string) {
  return (await signGatewayToken(env.JWT_PRIVATE_KEY, { sub, org, project })).token;
}

/** An org pushed to its gateway with one member and one org-visible project. */
async function pushedOrg() {
  const org = uuid();
  const member = uuid();
  const project = uuid();
  await pushSnapshot({ org, version: nextVersion(), members: [{ userId: member, role: "member" }], projects: [{ id: project, visibility: "org", members: [] }] });
  return { org, member, project };
}

describe("nothing unauthenticated reaches a gateway", () => {
  it("creates no gateway for a ping, a refused socket or an unknown path under any id", async () => {
    const org = uuid();
    expect((await SELF.fetch(`http://kiln.test/gw/${org}/ping`)).status).toBe(401);
    expect((await SELF.fetch(`http://kiln.test/gw/${org}/anything`)).status).toBe(404);
    for (const token of ["", "?token=garbage", `?token=${await tokenFor(uuid(), uuid(), uuid())}`]) {
      const { res, ws } = await upgrade(`/gw/${org}/projects/${uuid()}/ws${token}`);
      expect(res.status).toBe(101);
      const texts = recordText(ws!);
      expect((await closed(ws!)).code).toBe(4001);
      expect(texts).toEqual([]);
    }
    expect(await gatewayExists(org)).toBe(false);
  });

  it("refuses hundreds of bad upgrades in the worker: the gateway of a real org does no work for them", async () => {
    const { org, project } = await pushedOrg();
    const before = await (await getServerByName(env.GATEWAY, org)).status();
    const results = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const { ws } = await upgrade(`/gw/${org}/projects/${project}/ws?token=forged`);
        return (await closed(ws!)).code;
      }),
    );
    expect(new Set(results)).toEqual(new Set([4001]));
    expect(await (await getServerByName(env.GATEWAY, org)).status()).toEqual(before);
  });

  it("ignores a forged x-partykit-props header and an over-long _pk: the socket works, no stack trace is sent", async () => {
    const { org, member, project } = await pushedOrg();
    const token = await tokenFor(org, project, member);
    const attempts: [string, Record<string, string>][] = [
      [`&_pk=${"x".repeat(20_000)}`, {}],
      ["", { "x-partykit-props": "%%%not-json", "x-partykit-room": "another-org" }],
    ];
    for (const [query, headers] of attempts) {
      const { res, ws } = await upgrade(`/gw/${org}/projects/${project}/ws?token=${token}&json=1${query}`, headers);
      expect(res.status).toBe(101);
      const texts = recordText(ws!);
      expect(await ping(ws!)).toMatchObject({ type: "pong", org });
      expect(texts.join("\n")).not.toMatch(/at |Error|stack/);
      ws!.close(1000, "done");
    }
  });

  it("answers a failure inside the gateway with a code, never a stack trace", async () => {
    const { org } = await pushedOrg();
    const stub = await getServerByName(env.GATEWAY, org);
    // Past the worker (which would refuse it), straight to the object: a path it has no room for.
    const res = await stub.fetch(new Request(`http://kiln.test/gw/${org}/projects/not-a-project/ws`, { headers: { upgrade: "websocket" } }));
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/\bat [A-Za-z]|\.ts:\d+/);
  });
});

describe("a module's routes under /gw/{org}/m/{module}", () => {
  it("reach a gateway only for a member of the org, or with a bearer once the org is known to exist", async () => {
    const unknown = uuid();
    expect((await SELF.fetch(`http://kiln.test/gw/${unknown}/m/tickets/whoami`)).status).toBe(401);
    const forged = await SELF.fetch(`http://kiln.test/gw/${unknown}/m/tickets/whoami`, { headers: { authorization: "Bearer not-a-ticket" } });
    expect(forged.status).toBe(404);
    expect(await gatewayExists(unknown)).toBe(false);
    const { org, owner } = await orgWithRoles();
    // The org's gateway runs the registry's modules, none of which has this route: the gateway says so.
    const res = await call(owner.client, `/gw/${org.id}/m/tickets/whoami`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found", message: "Module tickets has no GET /whoami." } });
    expect((await call(newClient(), `/gw/${org.id}/m/tickets/whoami`)).status).toBe(401);
    expect((await SELF.fetch(`http://kiln.test/gw/${org.id}/m/Not_A_Module/x`)).status).toBe(404);
  });
});

describe("an org id in another letter case", () => {
  it("names the same gateway, the same rows and the same token", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const upper = org.id.toUpperCase();
    const connect = await expectJson<{ url: string; token: string }>(call(owner.client, `/api/orgs/${upper}/projects/${project.id.toUpperCase()}/connect`, { method: "POST" }), 200);
    expect(connect.url).toBe(`ws://kiln.test/gw/${org.id}/projects/${project.id}/ws`);
    // The socket opened under the upper-case path lands in the org's one gateway.
    const { ws } = await upgrade(`/gw/${upper}/projects/${project.id.toUpperCase()}/ws?token=${connect.token}&json=1`);
    expect(await ping(ws!)).toMatchObject({ type: "pong", org: org.id, connections: 1 });
    expect(await (await getServerByName(env.GATEWAY, org.id)).status()).toEqual({ org: org.id, connections: 1 });
    expect(await gatewayExists(upper)).toBe(false);
    // The org's other routes answer under the upper-case id as under its own.
    expect((await call(owner.client, `/api/orgs/${upper}`)).status).toBe(200);
    expect((await call(owner.client, `/gw/${upper}/ping`)).status).toBe(200);
    ws!.close(1000, "done");
    expect((await call(newClient(), `/gw/${upper}/ping`)).status).toBe(401);
  });
});
