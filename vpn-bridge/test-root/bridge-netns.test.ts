/**
 * The bridge for real, as root: `npm run bridge`'s entry in a "VPS" network namespace
 * (OpenVPN, Nginx, its servers), an OpenVPN client and a web app in a "container"
 * namespace, and a small gateway on loopback speaking the protocol (orgs list, bridge
 * socket, token checks). Checks joining (allow, deny, the gateway's address), reports and
 * commands, the visitor's way in through Nginx, and leaving.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import {
  AgentProfileSchema,
  BridgeToGatewaySchema,
  formatContainerHost,
  formatContainerToken,
  type BridgeRoute,
  type BridgeToGateway,
  type GatewayToBridge,
} from "../../protocol/containers.ts";

const run = promisify(execFile);
const id = randomBytes(3).toString("hex");
const VPS = `kb-${id}-vps`;
const BOX = `kb-${id}-box`;
// Interface names are at most 15 characters.
const LINKS = { vpsBox: [`kb${id}v0`, `kb${id}v1`], hostVps: [`kb${id}h0`, `kb${id}h1`] } as const;
const NET = { vps: "10.231.0.1", box: "10.231.0.2", host: "10.231.9.1", vpsFromHost: "10.231.9.2" };
const PORTS = { http: 8080, profile: 9002, report: 9001, auth: 9000 };

const bridgeKey = randomBytes(24).toString("base64url");
const org = "0b6e5a7e-8f3c-4b7a-9d1e-2f4a6c8e0b13";
const containerA = "aaaaaaaaaaa1";
const containerB = "bbbbbbbbbbb2";
const tokens: Record<string, string> = { [containerA]: formatContainerToken(org, containerA, "A".repeat(43)), [containerB]: formatContainerToken(org, containerB, "B".repeat(43)) };
/** The address the gateway has on record for A: the bridge must push it. */
const addressA = "172.16.5.7";
const domain = "containers.test";
const hostA = formatContainerHost({ container: containerA, service: null, org, domain });

function routeA(overrides: Partial<BridgeRoute> = {}): BridgeRoute {
  return { container: containerA, owner: "ada", share: "org", state: "running", address: addressA, services: [{ name: "web", port: 8000, protocol: "http" }], accessEpoch: 1, ...overrides };
}

/** A gateway and worker stand-in: what the bridge needs of them, checked against the protocol. */
class FakeGateway {
  readonly received: BridgeToGateway[] = [];
  socket: WebSocket | null = null;
  private readonly http: Server;
  port = 0;

  constructor() {
    this.http = createServer((req, res) => {
      if (req.url === "/api/bridge/orgs" && req.headers.authorization === `Bearer kbr_${bridgeKey}`) {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ orgs: [org] }));
      }
      res.writeHead(401);
      res.end();
    });
    const wss = new WebSocketServer({ noServer: true });
    this.http.on("upgrade", (req, socket, head) => {
      if (req.url !== `/gw/${org}/m/user-containers/bridge` || req.headers.authorization !== `Bearer kbr_${bridgeKey}`) {
        socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        this.socket = ws;
        this.send({ type: "snapshot", org, routes: [routeA({ state: "created" })] });
        ws.on("message", (data) => {
          const message = BridgeToGatewaySchema.parse(JSON.parse(data.toString()));
          this.received.push(message);
          if (message.type === "check-token") {
            const ok = tokens[message.container] === message.token;
            this.send({ type: "token-checked", id: message.id, ok, address: ok && message.container === containerA ? addressA : null, ...(ok ? {} : { reason: "wrong token" }) });
          }
        });
      });
    });
  }

  send(message: GatewayToBridge): void {
    this.socket?.send(JSON.stringify(message));
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.http.listen(0, NET.host, () => {
      const address = this.http.address();
      this.port = typeof address === "object" && address ? address.port : 0;
      resolve();
    }));
  }

  close(): void {
    this.socket?.terminate();
    this.http.closeAllConnections();
    this.http.close();
  }
}

async function sh(...args: string[]): Promise<string> {
  const { stdout } = await run(args[0]!, args.slice(1));
  return stdout;
}

async function waitFor<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A process whose output is kept for the assertions. */
function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout?.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (text += d.toString()));
  child.on("exit", (code, signal) => (text += `\n[${name} exited ${signal ?? code}]\n`));
  return { child, output: () => text };
}

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request to Nginx in the VPS namespace, with any Host header. */
function visit(path: string, headers: Record<string, string>): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: NET.vpsFromHost, port: PORTS.http, path, headers: { host: hostA, ...headers } }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function inBox(...args: string[]): Promise<string> {
  return sh("ip", "netns", "exec", BOX, ...args);
}

describe("the bridge with real OpenVPN and Nginx", () => {
  const gateway = new FakeGateway();
  let dir = "";
  let bridge: ReturnType<typeof start> | null = null;
  const clients: ChildProcess[] = [];
  let app: ChildProcess | null = null;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error("this suite needs root (network namespaces, tun, iptables): run `sudo npm run test:bridge-root`");
    dir = await mkdtemp(join(tmpdir(), "kb-bridge-"));
    await sh("ip", "netns", "add", VPS);
    await sh("ip", "netns", "add", BOX);
    await sh("ip", "link", "add", LINKS.vpsBox[0], "type", "veth", "peer", "name", LINKS.vpsBox[1]);
    await sh("ip", "link", "set", LINKS.vpsBox[0], "netns", VPS);
    await sh("ip", "link", "set", LINKS.vpsBox[1], "netns", BOX);
    await sh("ip", "-n", VPS, "addr", "add", `${NET.vps}/24`, "dev", LINKS.vpsBox[0]);
    await sh("ip", "-n", BOX, "addr", "add", `${NET.box}/24`, "dev", LINKS.vpsBox[1]);
    await sh("ip", "link", "add", LINKS.hostVps[0], "type", "veth", "peer", "name", LINKS.hostVps[1]);
    await sh("ip", "link", "set", LINKS.hostVps[1], "netns", VPS);
    await sh("ip", "addr", "add", `${NET.host}/24`, "dev", LINKS.hostVps[0]);
    await sh("ip", "-n", VPS, "addr", "add", `${NET.vpsFromHost}/24`, "dev", LINKS.hostVps[1]);
    await sh("ip", "link", "set", LINKS.hostVps[0], "up");
    for (const [ns, link] of [[VPS, LINKS.vpsBox[0]], [VPS, LINKS.hostVps[1]], [BOX, LINKS.vpsBox[1]], [VPS, "lo"], [BOX, "lo"]] as const) {
      await sh("ip", "-n", ns, "link", "set", link, "up");
    }
    await gateway.listen();
    const env = {
      ...process.env,
      KILN_URL: `http://${NET.host}:${gateway.port}`,
      KILN_BRIDGE_KEY: bridgeKey,
      KILN_CONTAINER_DOMAIN: domain,
      KILN_CONTAINER_SCHEME: "http",
      KILN_BRIDGE_PUBLIC_URL: `http://${NET.vps}:${PORTS.profile}`,
      KILN_VPN_LISTEN: NET.vps,
      KILN_STATE_DIR: join(dir, "state"),
      KILN_HTTP_LISTEN: String(PORTS.http),
    };
    bridge = start("bridge", "ip", ["netns", "exec", VPS, process.execPath, "--import", "tsx", "vpn-bridge/src/main.ts"], env);
    await waitFor("the bridge to be ready", () => bridge!.output().includes("bridge: ready"), 45_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${bridge!.output()}`);
    });
    await waitFor("the gateway socket", () => gateway.socket);
  });

  afterAll(async () => {
    for (const child of [...clients, app]) child?.kill("SIGTERM");
    if (bridge?.child.exitCode === null) {
      bridge.child.kill("SIGTERM");
      await waitFor("the bridge to stop", () => bridge!.child.exitCode !== null || bridge!.child.signalCode !== null, 15_000).catch(() => bridge!.child.kill("SIGKILL"));
    }
    gateway.close();
    for (const ns of [VPS, BOX]) await sh("ip", "netns", "del", ns).catch(() => undefined);
    await sh("ip", "link", "del", LINKS.hostVps[0]).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
    const left = (await sh("ip", "netns", "list")).split("\n").filter((line) => line.startsWith(`kb-${id}`));
    expect(left).toEqual([]);
  });

  async function fetchProfile(token: string): Promise<Response> {
    return fetch(`http://${NET.vpsFromHost}:${PORTS.profile}/v1/profile`, { headers: { authorization: `Bearer ${token}` } });
  }

  /** Starts an OpenVPN client in the container namespace; resolves with its output once it is up or refused. */
  async function joinVpn(username: string, token: string, device: string): Promise<{ child: ChildProcess; output: () => string; up: boolean }> {
    const profile = AgentProfileSchema.parse(await (await fetchProfile(token)).json());
    const config = join(dir, `${device}.ovpn`);
    const auth = join(dir, `${device}.auth`);
    await writeFile(config, profile.ovpn);
    await writeFile(auth, `${username}\n${token}\n`, { mode: 0o600 });
    const client = start(device, "ip", ["netns", "exec", BOX, "openvpn", "--config", config, "--auth-user-pass", auth, "--dev", device, "--dev-type", "tun", "--verb", "3"]);
    clients.push(client.child);
    const outcome = await waitFor(`${device} to come up or be refused`, () => {
      const text = client.output();
      return text.includes("Initialization Sequence Completed") ? "up" : text.includes("AUTH_FAILED") ? "refused" : null;
    });
    return { ...client, up: outcome === "up" };
  }

  it("serves a profile for a valid token, and 401 with the error shape for a bad one", async () => {
    const bad = await fetchProfile(formatContainerToken(org, containerA, "x".repeat(43)));
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: { code: "invalid_token", message: "wrong token" } });
    const good = await fetchProfile(tokens[containerA]!);
    expect(good.status).toBe(200);
    const profile = AgentProfileSchema.parse(await good.json());
    expect(profile.ovpn).toContain(`remote ${NET.vps} 1194`);
    expect(profile.ovpn).toMatch(/<ca>\n-----BEGIN CERTIFICATE-----[\s\S]+<\/ca>\n<tls-crypt>\n[\s\S]+OpenVPN Static key[\s\S]+<\/tls-crypt>/);
    expect(profile.reportUrl).toBe(`http://172.16.0.1:${PORTS.report}/v1/report`);
  });

  it("refuses container B's token used as container A", async () => {
    const attempt = await joinVpn(containerA, tokens[containerB]!, "kbtbad");
    expect(attempt.up).toBe(false);
    attempt.child.kill("SIGTERM");
    expect(bridge!.output()).toContain(`the token is container ${containerB}'s, not ${containerA}'s`);
    expect(gateway.received.filter((m) => m.type === "connected")).toEqual([]);
  });

  it("lets container A in at the gateway's address and tells the gateway", async () => {
    const vpn = await joinVpn(containerA, tokens[containerA]!, "kbt0");
    expect(vpn.up).toBe(true);
    expect(await inBox("ip", "-4", "-o", "addr", "show", "kbt0")).toContain(`${addressA}/16`);
    const connected = await waitFor("connected", () => gateway.received.find((m) => m.type === "connected"));
    expect(connected).toMatchObject({ type: "connected", container: containerA, address: addressA });
    const persisted = JSON.parse(await readFile(join(dir, "state", "addresses.json"), "utf8"));
    expect(persisted.addresses[containerA]).toBe(addressA);
  });

  it("relays a report from the container's VPN address and answers with a waiting command", async () => {
    const report = JSON.stringify({ kind: "beat", services: [{ name: "web", port: 8000, protocol: "http" }], metrics: null });
    const post = (token: string) =>
      inBox("curl", "-s", "-w", "\\n%{http_code}", "-H", `authorization: Bearer ${token}`, "-H", "content-type: application/json", "--data", report, `http://172.16.0.1:${PORTS.report}/v1/report`);
    expect(await post(tokens[containerA]!)).toBe('{"command":null}\n200');
    await waitFor("the report at the gateway", () => gateway.received.find((m) => m.type === "report" && m.container === containerA));
    gateway.send({ type: "command", container: containerA, command: "restart" });
    await waitFor("the command to be queued", async () => (await post(tokens[containerA]!)) === '{"command":"restart"}\n200');
    expect(await post(tokens[containerA]!)).toBe('{"command":null}\n200');
    // B's (valid) token from A's address: the address is A's.
    expect(await post(tokens[containerB]!)).toMatch(/"code":"wrong_container".*\n403$/);
  });

  it("lets a visitor in through Nginx after the app's ticket, and only then", async () => {
    gateway.send({ type: "route", route: routeA() });
    app = spawn("ip", ["netns", "exec", BOX, process.execPath, "-e", `require("http").createServer((q, s) => s.end("hello from A, cookie=" + (q.headers.cookie ?? "none") + ", user=" + (q.headers["x-kiln-user"] ?? "none") + ", access=" + (q.headers["x-kiln-access"] ?? "none"))).listen(8000, "${addressA}")`], { stdio: "ignore" });
    const signIn = await visit("/lab?a=1&b=2", {});
    expect(signIn.status).toBe(302);
    expect(signIn.headers.location).toBe(`http://${NET.host}:${gateway.port}/api/containers/open?host=${hostA}&path=%2Flab%3Fa%3D1%26b%3D2`);

    const ticket = await new SignJWT({ org, container: containerA, access: "write" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("ada")
      .setAudience(hostA)
      .setJti(randomBytes(16).toString("hex"))
      .setExpirationTime("60s")
      .sign(new TextEncoder().encode(bridgeKey));
    const callback = await visit(`/_kiln/callback?ticket=${ticket}&path=${encodeURIComponent("/lab?a=1")}`, {});
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe("/lab?a=1");
    const setCookie = String(callback.headers["set-cookie"]);
    expect(setCookie).toMatch(/^kiln_uc=[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    const cookie = setCookie.split(";")[0]!;
    expect((await visit(`/_kiln/callback?ticket=${ticket}&path=/`, {})).status).toBe(403);

    const page = await waitFor("the app through Nginx", async () => {
      // Who the visitor claims to be is not passed on: the bridge's answer replaces it.
      const answer = await visit("/", { cookie: `${cookie}; theirs=1`, "x-kiln-user": "mallory", "x-kiln-access": "root" });
      return answer.status === 200 ? answer : null;
    });
    expect(page.body).toBe("hello from A, cookie=theirs=1, user=ada, access=write");
    const upgrade = { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", cookie };
    expect((await visit("/ws", { ...upgrade, origin: "http://evil.test" })).status).toBe(403);

    gateway.send({ type: "route", route: routeA({ state: "stopped" }) });
    await waitFor("the stopped page", async () => (await visit("/", { cookie })).status === 503);
    gateway.send({ type: "route", route: routeA({ accessEpoch: 2 }) });
    await waitFor("the old cookie to be refused", async () => (await visit("/", { cookie })).status === 302);
  });

  it("reports the container gone when its VPN session ends", async () => {
    const client = clients.at(-1)!;
    client.kill("SIGTERM");
    const gone = await waitFor("disconnected", () => gateway.received.find((m) => m.type === "disconnected"));
    expect(gone).toMatchObject({ type: "disconnected", container: containerA });
  });

  it("stops OpenVPN and Nginx with it on SIGTERM", async () => {
    bridge!.child.kill("SIGTERM");
    await waitFor("the bridge to exit", () => bridge!.child.exitCode !== null, 15_000);
    expect(bridge!.child.exitCode).toBe(0);
    expect(bridge!.output()).toContain("bridge: stopped");
    const processes = await sh("ip", "netns", "pids", VPS);
    expect(processes.trim()).toBe("");
  });
});
