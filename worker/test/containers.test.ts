/**
 * The worker's part of user containers, through the real worker, gateway and Postgres: the
 * launch command, the visitor's way in (sign in, access check, a ticket the bridge can
 * verify), and the bridge's own endpoints with its key.
 */
import { SELF, env } from "cloudflare:test";
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { BRIDGE_KEY_PREFIX, type ContainerRecord, GatewayToBridgeSchema, formatContainerHost } from "../../protocol/containers";
import { type ApiError, type Client, call, expectJson, newClient, signUp } from "./helpers";
import { auditActions, createOrg, createProject, joinOrg, orgWithRoles } from "./org-helpers";

const DOMAIN = "containers.localhost:8080";
const bridgeHeaders = (key = env.BRIDGE_KEY) => ({ authorization: `Bearer ${BRIDGE_KEY_PREFIX}${key}` });

interface Created {
  container: ContainerRecord;
  token: string;
  command: string;
}

async function createContainer(client: Client, org: string, project: string, body: Record<string, unknown> = {}): Promise<Created> {
  return expectJson<Created>(call(client, `/api/orgs/${org}/projects/${project}/containers`, { body: { name: "lab", image: "localhost/kiln-jupyter:1", ...body } }), 201);
}

const hostOf = (org: string, container: string, service: string | null = "jupyter") => formatContainerHost({ container, service, org, domain: "containers.localhost" });

describe("user containers through the worker", () => {
  it("creates a container and returns the literal docker run, pinning the org to the bridge", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const { container, token, command } = await createContainer(owner.client, org.id, project.id);
    expect(container).toMatchObject({ name: "lab", state: "created", project: project.id, owner: owner.user.id });
    expect(command).toBe(
      `docker run -d --name kiln-${container.id} --restart unless-stopped --cap-add=NET_ADMIN --device /dev/net/tun -e KILN_CONTAINER=${container.id} -e KILN_TOKEN=${token} -e KILN_BRIDGE=http://10.203.0.1:9002 localhost/kiln-jupyter:1`,
    );
    expect(await auditActions(org.id)).toEqual(expect.arrayContaining(["bridge.allocate", "container.create"]));
    const pinned = await expectJson<{ orgs: string[] }>(SELF.fetch("http://kiln.test/api/bridge/orgs", { headers: bridgeHeaders() }), 200);
    expect(pinned.orgs).toContain(org.id);

    const status = await expectJson<{ state: string; address: string | null }>(call(owner.client, `/api/orgs/${org.id}/containers/${container.id}`), 200);
    expect(status).toMatchObject({ state: "created", address: null, share: "project" });
    expect((await call(newClient(), `/api/orgs/${org.id}/containers/${container.id}`)).status).toBe(401);

    // A new launch command: a new token, and the old one is refused by the gateway.
    const renewed = await expectJson<{ token: string; command: string }>(call(owner.client, `/api/orgs/${org.id}/containers/${container.id}/launch`, { method: "POST" }), 200);
    expect(renewed.token).not.toBe(token);
    expect(renewed.command).toContain(`KILN_TOKEN=${renewed.token} `);
  });

  it("refuses a bad image or name with the field named, and a shell-breaking image", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    for (const body of [{ image: "x; rm -rf /" }, { image: "" }, { name: "" }, { image: "Upper/Case" }]) {
      const res = await call(owner.client, `/api/orgs/${org.id}/projects/${project.id}/containers`, { body: { name: "lab", image: "localhost/kiln-jupyter:1", ...body } });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json<ApiError>()).error.code).toMatch(/invalid/);
    }
  });

  it("lets a member in through sign-in and a ticket; refuses another org's member and a stranger's forged host", async () => {
    const { org, owner, member } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    // A web app that does not run its visitors' code (Jupyter does: below).
    const { container } = await createContainer(owner.client, org.id, project.id, { share: "org", image: "example.org/app:1", services: [{ name: "web", port: 8000, protocol: "http" }] });
    const host = hostOf(org.id, container.id, "web");
    const open = (client: Client, h = host, path = "/lab?x=1") => call(client, `/api/containers/open?${new URLSearchParams({ host: h, path })}`, { headers: { accept: "text/html" } });

    // No session: to sign in, and back here afterwards.
    const anonymous = await open(newClient());
    expect(anonymous.status).toBe(302);
    const login = new URL(anonymous.headers.get("location")!, "http://kiln.test");
    expect(login.pathname).toBe("/login");
    expect(login.searchParams.get("redirect")).toBe(`/containers/open?${new URLSearchParams({ host, path: "/lab?x=1" })}`);

    // A member: back to the host's callback with a ticket for exactly this host.
    const res = await open(member.client);
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get("location")!);
    expect(`${back.protocol}//${back.host}${back.pathname}`).toBe(`http://${host}:8080/_kiln/callback`);
    expect(back.searchParams.get("path")).toBe("/lab?x=1");
    const { payload } = await jwtVerify(back.searchParams.get("ticket")!, new TextEncoder().encode(env.BRIDGE_KEY), { audience: host, algorithms: ["HS256"] });
    // A project member (the built-in role) watches a terminal; the container's owner types.
    expect(payload).toMatchObject({ sub: member.user.id, org: org.id, container: container.id, access: "read" });
    expect(payload.exp! - payload.iat!).toBe(60);
    const ownersTicket = new URL((await open(owner.client)).headers.get("location")!).searchParams.get("ticket")!;
    expect((await jwtVerify(ownersTicket, new TextEncoder().encode(env.BRIDGE_KEY), { audience: host })).payload.access).toBe("write");

    // Another org's member: 403, as a page.
    const stranger = await signUp();
    await createOrg(stranger.client);
    const refused = await open(stranger.client);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("text/html");
    expect(await refused.text()).toContain("not a member of the organization");

    // Jupyter runs the code its visitors send: it opens for those who may type in the container alone.
    const notebook = (await createContainer(owner.client, org.id, project.id, { share: "org" })).container;
    const jupyterRefused = await open(member.client, hostOf(org.id, notebook.id, "jupyter"));
    expect(jupyterRefused.status).toBe(403);
    expect(await jupyterRefused.text()).toContain("runs the code its visitors send");
    expect((await open(owner.client, hostOf(org.id, notebook.id, "jupyter"))).status).toBe(302);

    // Not a container host of this Kiln; a path that would leave the host.
    expect((await open(member.client, `uc-${container.id}.org-${org.id}.evil.example`)).status).toBe(400);
    expect((await open(member.client, host, "//evil.example/")).status).toBe(400);
  });

  it("keeps an owner-only container to its owner and the org's admins", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    const project = await createProject(member.client, org.id, "org");
    const { container } = await createContainer(member.client, org.id, project.id, { share: "owner" });
    const status = async (client: Client) => (await call(client, `/api/containers/open?${new URLSearchParams({ host: hostOf(org.id, container.id), path: "/" })}`)).status;
    expect(await status(member.client)).toBe(302);
    expect(await status(admin.client)).toBe(302);
    expect(await status(owner.client)).toBe(302);
    const colleague = await joinOrg(owner.client, org.id, "member");
    expect(await status(colleague.client)).toBe(403);
  });

  it("opens the bridge's socket only with the bridge's key, for an org pinned to it", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const { container } = await createContainer(owner.client, org.id, project.id);
    const url = `http://kiln.test/gw/${org.id}/m/user-containers/bridge`;
    expect((await SELF.fetch(url, { headers: { upgrade: "websocket" } })).status).toBe(401);
    expect((await SELF.fetch(url, { headers: { upgrade: "websocket", ...bridgeHeaders("wrong-key-wrong-key-wrong-key-wrong") } })).status).toBe(401);
    // A client cannot name itself the bridge.
    expect((await SELF.fetch(url, { headers: { upgrade: "websocket", "x-kiln-principal": "bridge:x" } })).status).toBe(401);
    expect((await SELF.fetch(`http://kiln.test/gw/${crypto.randomUUID()}/m/user-containers/bridge`, { headers: { upgrade: "websocket", ...bridgeHeaders() } })).status).toBe(404);
    expect((await SELF.fetch("http://kiln.test/api/bridge/orgs", { headers: bridgeHeaders("nope-nope-nope-nope-nope-nope-nope-nope") })).status).toBe(401);

    const res = await SELF.fetch(url, { headers: { upgrade: "websocket", ...bridgeHeaders() } });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    const first = new Promise<unknown>((resolve) => ws.addEventListener("message", (e) => resolve(JSON.parse(e.data as string)), { once: true }));
    ws.accept();
    const snapshot = GatewayToBridgeSchema.parse(await first);
    expect(snapshot).toMatchObject({ type: "snapshot", org: org.id, routes: [expect.objectContaining({ container: container.id })] });
    ws.close();
  });

  it("keeps the org's idle culling setting: off by default, read by members, set by admins and owners only", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    const path = `/api/orgs/${org.id}/container-settings`;
    expect(await expectJson(call(member.client, path), 200)).toEqual({ idleMinutes: null });
    const refused = await call(member.client, path, { method: "PUT", body: { idleMinutes: 30 } });
    expect(refused.status).toBe(403);
    expect((await call(admin.client, path, { method: "PUT", body: { idleMinutes: 1 } })).status).toBe(400);
    expect(await expectJson(call(admin.client, path, { method: "PUT", body: { idleMinutes: 45 } }), 200)).toEqual({ idleMinutes: 45 });
    expect(await expectJson(call(member.client, path), 200)).toEqual({ idleMinutes: 45 });
    expect(await expectJson(call(owner.client, path, { method: "PUT", body: { idleMinutes: null } }), 200)).toEqual({ idleMinutes: null });
    expect(await auditActions(org.id)).toContain("containers.settings");
  });

  it("serves the catalog with where container hosts live", async () => {
    const { owner } = await orgWithRoles();
    const catalog = await expectJson<{ images: { image: string }[]; domain: string; scheme: string }>(call(owner.client, "/api/containers/catalog"), 200);
    expect(catalog.domain).toBe(DOMAIN);
    expect(catalog.scheme).toBe("http");
    expect(catalog.images.map((i) => i.image)).toEqual(expect.arrayContaining(["localhost/kiln-jupyter:1", "localhost/kiln-terminal:1"]));
  });
});
