/**
 * User containers end to end, every part real: `npm start` (the worker and the gateway on
 * `wrangler dev`, embedded Postgres), the VPN bridge with OpenVPN and Nginx in a "VPS"
 * namespace, podman behind the Docker API in a "user's machine" namespace, and the literal
 * `docker run` a person copies from the board, run with the `docker` CLI.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { type Server, createConnection, createServer } from "node:net";
import { join, resolve } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatContainerHost } from "../../protocol/containers.ts";
import { buildImages } from "../../vpn-bridge/images/build.ts";
import { type RunningStack, freeStackPorts, startStack } from "../test/stack.ts";
import { apiClient } from "../test/e2e-board-setup.ts";
import { runDockerCommand } from "./docker-cli.ts";
import { type DockerPingProxy, startDockerPingProxy } from "./docker-ping-proxy.ts";
import { run, stopChild, waitFor } from "./exec.ts";
import { Topology } from "./netns.ts";
import { type PodmanService, startPodmanService } from "./podman-service.ts";

if (process.getuid?.() !== 0) throw new Error("the container tests need root (network namespaces, podman, OpenVPN): run `sudo npm run test:containers`");

const root = resolve(import.meta.dirname, "../..");
const work = `/tmp/kiln-containers-e2e-${process.pid}`;
// The "VPS" on the link to this machine (.1) and to the user's machine (.1 on the second link);
// a second octet of this run's own, so that what a killed earlier run left behind is never in the way.
const OCTET = 64 + Math.floor(Math.random() * 128);
const NET = { hostSide: `10.${OCTET}.61.254`, vpsUp: `10.${OCTET}.61.1`, vps: `10.${OCTET}.62.1`, dock: `10.${OCTET}.62.2` };
const PORTS = { forward: 18787, nginx: 18480, profile: 19002, vpn: 11941, auth: 19000, report: 19001, management: 17505 };
const DOMAIN = "containers.localhost";

let topology: Topology;
let stack: RunningStack;
let forwarder: Server;
let bridge: ChildProcess;
let bridgeLog = "";
let podman: PodmanService;
let proxy: DockerPingProxy;
let bridgeKey = "";
const containersRun: string[] = [];

const docker = (command: string) => runDockerCommand(command, proxy.socket);
const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(2)} s`;

/** A plain HTTP request to the bridge's Nginx with a container host (as a browser on `*.localhost` would send it). */
function visit(host: string, path = "/api", headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: NET.vpsUp, port: PORTS.nginx, path, headers: { host: `${host}:${PORTS.nginx}`, ...headers }, timeout: 10_000 }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolvePromise({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${host}${path}`)));
    req.on("error", reject);
    req.end();
  });
}

/** The visitor's whole way in: no cookie → the app → a ticket → the bridge's cookie for this host. */
async function signInTo(host: string, session: string): Promise<string> {
  const first = await visit(host, "/api");
  expect(first.status).toBe(302);
  const open = new URL(String(first.headers.location));
  expect(open.pathname).toBe("/api/containers/open");
  // Nginx sends the visitor to the app as the bridge knows it (KILN_URL, here the forwarder in front of
  // the worker); the visitor's browser holds its session for the app's own address, loopback here.
  expect(open.host).toBe(`${NET.hostSide}:${PORTS.forward}`);
  const toWorker = await fetch(`${workerUrl()}${open.pathname}${open.search}`, { headers: { cookie: `kiln_session=${session}` }, redirect: "manual" });
  if (toWorker.status !== 302) return `refused:${toWorker.status}`;
  const callback = new URL(toWorker.headers.get("location")!);
  const cookieAnswer = await visit(host, `${callback.pathname}${callback.search}`);
  expect(cookieAnswer.status).toBe(302);
  const setCookie = String(cookieAnswer.headers["set-cookie"] ?? "");
  expect(setCookie).toMatch(/kiln_uc=[^;]+; .*HttpOnly/i);
  expect(setCookie).not.toMatch(/domain=/i);
  return /kiln_uc=[^;]+/.exec(setCookie)![0];
}

let workerPort = "";
const workerUrl = () => `http://127.0.0.1:${workerPort}`;

async function people() {
  const ada = apiClient(workerUrl());
  const ben = apiClient(workerUrl());
  const cyd = apiClient(workerUrl());
  const benEmail = `ben-${crypto.randomUUID()}@kiln.test`;
  await ada.call("/api/auth/signup", { email: `ada-${crypto.randomUUID()}@kiln.test`, password: "container test password", name: "Ada" });
  const org = await ada.call<{ id: string }>("/api/orgs", { name: "Lab" });
  const project = await ada.call<{ id: string }>(`/api/orgs/${org.id}/projects`, { name: "Models", visibility: "org" });
  await ada.call(`/api/orgs/${org.id}/invitations`, { email: benEmail, role: "member" });
  await ben.call("/api/auth/signup", { email: benEmail, password: "container test password", name: "Ben" });
  const mail = await ben.call<{ messages: { text: string }[] }>(`/api/dev/mailbox/messages?to=${encodeURIComponent(benEmail)}`);
  const link = (pattern: RegExp) => mail.messages.map((m) => pattern.exec(m.text)?.[1]).find(Boolean);
  await ben.call("/api/auth/verify-email", { token: link(/verify-email\?token=([\w-]+)/) });
  await ben.call("/api/invitations/accept", { token: link(/invitations\/accept\?token=([\w-]+)/) });
  const benMe = await ben.call<{ user: { id: string } }>("/api/me");
  await cyd.call("/api/auth/signup", { email: `cyd-${crypto.randomUUID()}@kiln.test`, password: "container test password", name: "Cyd" });
  await cyd.call("/api/orgs", { name: "Elsewhere" });
  return { ada, ben, cyd, org: org.id, project: project.id, benId: benMe.user.id };
}

type Status = { state: string; address: string | null; services: { name: string }[] };

describe("user containers, end to end", () => {
  let p: Awaited<ReturnType<typeof people>>;
  const status = (id: string) => p.ada.call<Status>(`/api/orgs/${p.org}/containers/${id}`);
  const waitState = (id: string, state: string, ms: number) => waitFor(`container ${id} ${state}`, async () => ((await status(id)).state === state ? true : null), ms, 50);
  const create = (name: string, share = "project") =>
    p.ada.call<{ container: { id: string }; token: string; command: string }>(`/api/orgs/${p.org}/projects/${p.project}/containers`, { name, image: "localhost/kiln-jupyter:1", share });

  beforeAll(async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    console.log("== images (a cached rootfs makes this seconds)");
    await buildImages((line) => console.log(`   ${line}`));

    console.log("== namespaces: vps (bridge, OpenVPN, Nginx) and dock (podman), vps linked to this machine");
    topology = await Topology.create({ roles: ["vps", "dock"], links: [{ a: "vps", aAddress: `${NET.vps}/24`, b: "dock", bAddress: `${NET.dock}/24` }], defaultRoutes: { dock: NET.vps } });
    const hostIf = `kx${topology.id}h`;
    await run("ip", ["link", "add", hostIf, "type", "veth", "peer", "name", `kx${topology.id}v`]);
    await run("ip", ["link", "set", `kx${topology.id}v`, "netns", topology.ns("vps")]);
    await run("ip", ["addr", "add", `${NET.hostSide}/24`, "dev", hostIf]);
    await run("ip", ["link", "set", hostIf, "up"]);
    await run("ip", ["-n", topology.ns("vps"), "addr", "add", `${NET.vpsUp}/24`, "dev", `kx${topology.id}v`]);
    await run("ip", ["-n", topology.ns("vps"), "link", "set", `kx${topology.id}v`, "up"]);

    console.log("== npm start");
    const ports = await freeStackPorts();
    workerPort = ports.KILN_WORKER_PORT;
    stack = await startStack({
      ...ports,
      KILN_DATA_DIR: join(work, "data"),
      KILN_CONTAINER_DOMAIN: `${DOMAIN}:${PORTS.nginx}`,
      KILN_CONTAINER_SCHEME: "http",
      KILN_BRIDGE_PUBLIC_URL: `http://${NET.vps}:${PORTS.profile}`,
    });
    bridgeKey = readFileSync(join(work, "data", "bridge-key"), "utf8").trim();
    // The bridge in its namespace reaches the worker through this forwarder (wrangler listens on loopback).
    forwarder = createServer((socket) => {
      const upstream = createConnection({ host: "127.0.0.1", port: Number(workerPort) });
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    });
    await new Promise<void>((done) => forwarder.listen(PORTS.forward, NET.hostSide, done));

    p = await people();
    // The org is pinned to the bridge when it first creates a container; the bridge then finds it.
    await create("warm-up").then(({ container }) => p.ada.call(`/gw/${p.org}/projects/${p.project}/events`, { type: "user-containers:delete", requestId: crypto.randomUUID(), container: container.id }));

    console.log("== the VPN bridge");
    const log = createWriteStream(join(work, "bridge.log"));
    bridge = spawn("nsenter", [`--net=/run/netns/${topology.ns("vps")}`, "--", process.execPath, "--import", "tsx", "vpn-bridge/src/main.ts"], {
      cwd: root,
      env: {
        ...process.env,
        KILN_URL: `http://${NET.hostSide}:${PORTS.forward}`,
        KILN_BRIDGE_KEY: bridgeKey,
        KILN_CONTAINER_DOMAIN: DOMAIN,
        KILN_CONTAINER_SCHEME: "http",
        KILN_BRIDGE_PUBLIC_URL: `http://${NET.vps}:${PORTS.profile}`,
        KILN_VPN_LISTEN: `${NET.vps}:${PORTS.vpn}`,
        KILN_VPN_SUBNET: `172.29.${OCTET}.0/24`,
        KILN_STATE_DIR: join(work, "bridge-state"),
        KILN_HTTP_LISTEN: `0.0.0.0:${PORTS.nginx}`,
        KILN_PROFILE_LISTEN: `${NET.vps}:${PORTS.profile}`,
        KILN_REPORT_PORT: String(PORTS.report),
        KILN_AUTH_PORT: String(PORTS.auth),
        KILN_MANAGEMENT_PORT: String(PORTS.management),
        KILN_VPN_DEVICE: `kt${topology.id}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [bridge.stdout!, bridge.stderr!]) stream.on("data", (chunk: Buffer) => ((bridgeLog += chunk.toString()), log.write(chunk)));
    await waitFor("the bridge to be ready", () => /ready:/.test(bridgeLog) || (bridge.exitCode !== null ? Promise.reject(new Error(`bridge exited:\n${bridgeLog}`)) : null), 90_000);

    console.log("== podman in the user's machine, behind the Docker API");
    podman = await startPodmanService(topology.enter("dock"), join(work, "podman.sock"), join(work, "podman.log"));
    proxy = await startDockerPingProxy(join(work, "docker.sock"), podman.socket);
  }, 900_000);

  afterAll(async () => {
    for (const name of containersRun) await docker(`docker rm -f -t 2 ${name}`).catch(() => undefined);
    await proxy?.close().catch(() => undefined);
    await podman?.stop().catch(() => undefined);
    if (bridge) await stopChild(bridge, 10_000).catch(() => undefined);
    forwarder?.close();
    // npm start stops on Ctrl-C; should it hang, its whole process group goes.
    if (stack) await Promise.race([stack.stop(), new Promise((done) => setTimeout(done, 20_000))]).catch(() => undefined);
    if (stack?.child.exitCode === null) process.kill(-stack.child.pid!, "SIGKILL");
    topology?.destroySync();
    if (process.env.KILN_KEEP_E2E !== "1") rmSync(work, { recursive: true, force: true });
  }, 120_000);

  let a: { id: string; token: string; command: string; host: string; address: string; cookie: string };
  let b: { id: string; token: string; command: string; host: string };

  it("runs the literal copied docker run: the node turns running, and a member opens its service", async () => {
    const created = await create("notebook");
    const { id } = created.container;
    expect(created.command).toMatch(/^docker run -d --name kiln-[a-z0-9]{12} --restart unless-stopped --cap-add=NET_ADMIN --device \/dev\/net\/tun -e KILN_CONTAINER=/);
    containersRun.push(`kiln-${id}`);
    const t0 = Date.now();
    const ran = await docker(created.command);
    expect(ran.code, ran.stderr).toBe(0);
    await waitState(id, "running", 60_000);
    const toRunning = Date.now() - t0;
    const host = formatContainerHost({ container: id, service: "jupyter", org: p.org, domain: DOMAIN });
    const cookie = await signInTo(host, p.ada.session());
    await waitFor("the first proxied 200", async () => ((await visit(host, "/api", { cookie })).status === 200 ? true : null), 60_000, 50);
    console.log(`   docker run → running ${(toRunning / 1000).toFixed(2)} s, → first proxied 200 ${elapsed(t0)}`);
    const answer = await visit(host, "/api", { cookie });
    expect(JSON.parse(answer.body)).toHaveProperty("version");
    const { address } = await status(id);
    expect(address).toMatch(new RegExp(`^172\\.29\\.${OCTET}\\.`));
    a = { id, token: created.token, command: created.command, host, address: address!, cookie };
    // Ben, a member of the project, gets in too.
    const benCookie = await signInTo(host, p.ben.session());
    expect((await visit(host, "/api", { cookie: benCookie })).status).toBe(200);
  }, 180_000);

  it("refuses: no cookie, another org's member, a forged or expired ticket, a cookie on another host, a WebSocket from another origin", async () => {
    const none = await visit(a.host, "/api");
    expect(none.status).toBe(302);
    expect(await signInTo(a.host, p.cyd.session())).toBe("refused:403");
    const forged = await visit(a.host, `/_kiln/callback?ticket=${"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA"}&path=/api`);
    expect(forged.status).toBe(403);
    const expired = await new SignJWT({ org: p.org, container: a.id })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("someone")
      .setAudience(a.host)
      .setJti(crypto.randomUUID())
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
      .sign(new TextEncoder().encode(bridgeKey));
    expect((await visit(a.host, `/_kiln/callback?ticket=${expired}&path=/api`)).status).toBe(403);
    // The same cookie on the container's other host (no service part) is not that host's.
    const otherHost = formatContainerHost({ container: a.id, service: null, org: p.org, domain: DOMAIN });
    expect([302, 401, 403]).toContain((await visit(otherHost, "/api", { cookie: a.cookie })).status);
    const upgrade = { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", cookie: a.cookie };
    const evil = formatContainerHost({ container: "zzzzzzzzzzzz", service: null, org: p.org, domain: DOMAIN });
    expect((await visit(a.host, "/api/events/subscribe", { ...upgrade, origin: `http://${evil}:${PORTS.nginx}` })).status).toBe(403);
    expect((await visit(a.host, "/api/events/subscribe", { ...upgrade, origin: `http://localhost:${PORTS.nginx}` })).status).toBe(403);
    // From its own host, the upgrade reaches Jupyter (which answers it).
    expect((await visit(a.host, "/api/events/subscribe", { ...upgrade, origin: `http://${a.host}:${PORTS.nginx}` })).status).not.toBe(403);
  }, 60_000);

  it("keeps containers apart on the VPN, and a token to its own container", async () => {
    const created = await create("second");
    b = { id: created.container.id, token: created.token, command: created.command, host: formatContainerHost({ container: created.container.id, service: "jupyter", org: p.org, domain: DOMAIN }) };
    containersRun.push(`kiln-${b.id}`);
    expect((await docker(created.command)).code).toBe(0);
    await waitState(b.id, "running", 60_000);
    // A's cookie on B's host: refused.
    expect([302, 401, 403]).toContain((await visit(b.host, "/api", { cookie: a.cookie })).status);
    const reach = await docker(`docker exec kiln-${b.id} python3 -c "import urllib.request; urllib.request.urlopen('http://${a.address}:8888/api', timeout=3)"`);
    expect(reach.code, "B reached A over the VPN").not.toBe(0);
    // B's own (valid) token, used to join as A.
    const join = await docker(
      `docker exec kiln-${b.id} sh -c "printf '%s\\n%s\\n' ${a.id} \\"\\$KILN_TOKEN\\" > /tmp/as-a && chmod 600 /tmp/as-a && timeout 10 openvpn --config /run/kiln/kiln.ovpn --dev tun9 --auth-user-pass /tmp/as-a --verb 1 2>&1 | grep -m1 -E 'AUTH_FAILED|Initialization Sequence Completed'"`,
    );
    expect(join.stdout).toContain("AUTH_FAILED");
  }, 180_000);

  it("docker stop shows stopped at once; docker start brings it back at the same URL and address", async () => {
    let t0 = Date.now();
    expect((await docker(`docker stop -t 10 kiln-${a.id}`)).code).toBe(0);
    await waitState(a.id, "stopped", 2_000 + (Date.now() - t0));
    console.log(`   docker stop → stopped ${elapsed(t0)}`);
    t0 = Date.now();
    expect((await docker(`docker start kiln-${a.id}`)).code).toBe(0);
    await waitState(a.id, "running", 60_000);
    expect((await status(a.id)).address).toBe(a.address);
    await waitFor("200 again", async () => ((await visit(a.host, "/api", { cookie: a.cookie })).status === 200 ? true : null), 30_000, 50);
    console.log(`   docker start → running and 200 ${elapsed(t0)}`);
  }, 120_000);

  it("flags a container killed hard unreachable within 20 s", async () => {
    const t0 = Date.now();
    expect((await docker(`docker kill kiln-${a.id}`)).code).toBe(0);
    await waitFor("unreachable", async () => (["unreachable"].includes((await status(a.id)).state) ? true : null), 20_000, 100);
    console.log(`   killed → unreachable ${elapsed(t0)}`);
  }, 60_000);

  it("deleting a container revokes its token; removing a member voids their cookie", async () => {
    await p.ada.call(`/gw/${p.org}/projects/${p.project}/events`, { type: "user-containers:delete", requestId: crypto.randomUUID(), container: b.id });
    const profile = await docker(`docker exec kiln-${b.id} python3 -c "import os,urllib.request; urllib.request.urlopen(urllib.request.Request(os.environ['KILN_BRIDGE']+'/v1/profile', headers={'Authorization':'Bearer '+os.environ['KILN_TOKEN']}), timeout=5)"`);
    expect(profile.code).not.toBe(0);
    expect(profile.stderr).toMatch(/401|403/);

    // Ben's cookie works on a running container until he is removed from the org.
    const c = await create("third", "org");
    containersRun.push(`kiln-${c.container.id}`);
    expect((await docker(c.command)).code).toBe(0);
    await waitState(c.container.id, "running", 60_000);
    const host = formatContainerHost({ container: c.container.id, service: "jupyter", org: p.org, domain: DOMAIN });
    const benCookie = await signInTo(host, p.ben.session());
    await waitFor("Ben's 200", async () => ((await visit(host, "/api", { cookie: benCookie })).status === 200 ? true : null), 30_000, 50);
    const res = await fetch(`${workerUrl()}/api/orgs/${p.org}/members/${p.benId}`, { method: "DELETE", headers: { cookie: `kiln_session=${p.ada.session()}`, origin: workerUrl() } });
    expect(res.status).toBeLessThan(300);
    await waitFor("Ben's cookie refused", async () => ((await visit(host, "/api", { cookie: benCookie })).status !== 200 ? true : null), 10_000, 100);
  }, 180_000);
});
