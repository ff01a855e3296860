/**
 * The bridge's rules against a gateway on loopback speaking the protocol over a real
 * WebSocket: OpenVPN's client events in, management commands and gateway frames out.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { BridgeToGatewaySchema, formatContainerToken, type BridgeToGateway, type GatewayToBridge } from "../../protocol/containers.ts";
import { AddressBook } from "../src/addresses.ts";
import { Bridge } from "../src/bridge.ts";
import { Gateways } from "../src/gateway-client.ts";
import { reconnectDelayMs } from "../src/gateway-link.ts";
import type { ClientEvent } from "../src/management-parse.ts";
import { RouteTable } from "../src/routes.ts";
import { Sessions } from "../src/sessions.ts";
import { parseSubnet } from "../src/subnet.ts";

const key = "test-bridge-key-0123456789abcdef";
const org = "0b6e5a7e-8f3c-4b7a-9d1e-2f4a6c8e0b13";
const A = "aaaaaaaaaaaa";
const B = "bbbbbbbbbbbb";
const tokenA = formatContainerToken(org, A, "A".repeat(43));
const tokenB = formatContainerToken(org, B, "B".repeat(43));

async function until<T>(probe: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A gateway stand-in: answers token checks from `tokens`, or stays silent when `silent`. */
class Gateway {
  readonly received: BridgeToGateway[] = [];
  readonly sockets: WebSocket[] = [];
  server: Server;
  port = 0;
  silent = false;
  refuseWith: number | null = null;
  opened = 0;

  constructor() {
    this.server = createServer((req, res) => {
      res.writeHead(req.headers.authorization === `Bearer kbr_${key}` ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify({ orgs: [org] }));
    });
    const wss = new WebSocketServer({ noServer: true });
    this.server.on("upgrade", (req, socket, head) => {
      if (this.refuseWith !== null || req.headers.authorization !== `Bearer kbr_${key}` || req.url !== `/gw/${org}/m/user-containers/bridge`) {
        return socket.end(`HTTP/1.1 ${this.refuseWith ?? 401} No\r\ncontent-length: 0\r\n\r\n`);
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        this.opened++;
        this.sockets.push(ws);
        this.send({ type: "snapshot", org, routes: [] });
        ws.on("message", (data) => {
          const message = BridgeToGatewaySchema.parse(JSON.parse(data.toString()));
          this.received.push(message);
          if (message.type !== "check-token" || this.silent) return;
          const ok = (message.container === A && message.token === tokenA) || (message.container === B && message.token === tokenB);
          this.send({ type: "token-checked", id: message.id, ok, address: ok && message.container === A ? "172.16.4.4" : null, ...(ok ? {} : { reason: "unknown token" }) });
        });
      });
    });
  }

  send(message: GatewayToBridge): void {
    for (const ws of this.sockets) ws.send(JSON.stringify(message));
  }

  listen(): Promise<void> {
    return new Promise((resolve) =>
      this.server.listen(0, "127.0.0.1", () => {
        const address = this.server.address();
        this.port = typeof address === "object" && address ? address.port : 0;
        resolve();
      }),
    );
  }
}

describe("the bridge and a gateway", () => {
  let gateway: Gateway;
  let gateways: Gateways;
  let bridge: Bridge;
  let commands: string[];
  let sessions: Sessions;
  let dir: string;
  let routes: RouteTable;

  beforeEach(async () => {
    gateway = new Gateway();
    await gateway.listen();
    dir = await mkdtemp(join(tmpdir(), "kb-gw-"));
    commands = [];
    sessions = new Sessions();
    routes = new RouteTable();
    const subnet = parseSubnet("172.16.0.0/16")!;
    const addresses = new AddressBook(join(dir, "addresses.json"), subnet);
    let core: Bridge | null = null;
    gateways = new Gateways(
      { kilnUrl: `http://127.0.0.1:${gateway.port}`, bridgeKey: key, requestTimeoutMs: 300 },
      { onMessage: (o, m) => void core?.onGatewayMessage(o, m), onOpen: (o) => core?.onGatewayOpen(o), hasSessions: (o) => sessions.ofOrg(o).length > 0 },
    );
    bridge = core = new Bridge({ subnet, routes, sessions, addresses, gateways, management: (c) => commands.push(c) });
  });

  afterEach(async () => {
    gateways.stop();
    gateway.server.closeAllConnections();
    await new Promise((resolve) => gateway.server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const connect = (cid: string, username: string, password: string): ClientEvent => ({ kind: "CONNECT", cid, kid: "0", env: { username, password, untrusted_ip: "10.0.0.9" } });

  it("lets a container in at the gateway's address, then tells it connected and disconnected", async () => {
    await gateways.start();
    await bridge.onClientEvent(connect("1", A, tokenA));
    expect(commands).toEqual(["client-auth 1 0\nifconfig-push 172.16.4.4 255.255.0.0\nEND\n"]);
    expect(gateway.received[0]).toMatchObject({ type: "check-token", container: A, token: tokenA, purpose: "vpn" });
    await bridge.onClientEvent({ kind: "ESTABLISHED", cid: "1", kid: null, env: {} });
    await bridge.onClientEvent({ kind: "DISCONNECT", cid: "1", kid: null, env: {} });
    await until(() => gateway.received.some((m) => m.type === "disconnected"));
    expect(gateway.received.slice(1)).toEqual([
      { type: "connected", container: A, connection: "1", address: "172.16.4.4" },
      { type: "disconnected", container: A, connection: "1" },
    ]);
  });

  it("denies another container's token, an unknown token, and no answer in time", async () => {
    await gateways.start();
    await bridge.onClientEvent(connect("1", A, tokenB));
    expect(commands.pop()).toBe(`client-deny 1 0 "the token is container ${B}'s, not ${A}'s"\n`);
    expect(gateway.received).toEqual([]); // refused before asking anyone
    await bridge.onClientEvent(connect("2", A, formatContainerToken(org, A, "Z".repeat(43))));
    expect(commands.pop()).toBe('client-deny 2 0 "unknown token"\n');
    gateway.silent = true;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await bridge.onClientEvent(connect("3", A, tokenA));
    expect(commands.pop()).toBe('client-deny 3 0 "the gateway did not answer in time"\n');
    expect(warn.mock.calls.flat().join("\n")).toMatch(/did not answer a vpn token check for container aaaaaaaaaaaa within 0.3 s/);
    warn.mockRestore();
  });

  it("a late DISCONNECT of the old connection does not tell the gateway the container left", async () => {
    await gateways.start();
    await bridge.onClientEvent(connect("1", A, tokenA));
    await bridge.onClientEvent({ kind: "ESTABLISHED", cid: "1", kid: null, env: {} });
    await bridge.onClientEvent(connect("2", A, tokenA));
    await bridge.onClientEvent({ kind: "ESTABLISHED", cid: "2", kid: null, env: {} });
    await bridge.onClientEvent({ kind: "DISCONNECT", cid: "1", kid: null, env: {} });
    await until(() => gateway.received.filter((m) => m.type === "connected").length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gateway.received.filter((m) => m.type === "disconnected")).toEqual([]);
    expect(sessions.of(A)?.cid).toBe("2");
  });

  it("a client that gives up while the gateway is asked leaves no session", async () => {
    await gateways.start();
    gateway.silent = true;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const pending = bridge.onClientEvent(connect("1", A, tokenA));
    await bridge.onClientEvent({ kind: "DISCONNECT", cid: "1", kid: null, env: {} });
    await pending;
    warn.mockRestore();
    expect(commands).toEqual([]);
    expect(sessions.isActive(A)).toBe(false);
  });

  it("removed: drops the route, the queued command and every VPN connection of the container", async () => {
    await gateways.start();
    await bridge.onClientEvent(connect("1", A, tokenA));
    await bridge.onClientEvent({ kind: "ESTABLISHED", cid: "1", kid: null, env: {} });
    gateway.send({ type: "route", route: { container: A, owner: "u", share: "org", state: "running", address: "172.16.4.4", services: [], accessEpoch: 0 } });
    gateway.send({ type: "command", container: A, command: "stop" });
    await until(() => routes.get(org, A));
    gateway.send({ type: "removed", container: A });
    await until(() => commands.includes("client-kill 1\n"));
    expect(routes.get(org, A)).toBeUndefined();
    expect(bridge.relayReport({ org, container: A }, { kind: "beat", services: [], metrics: null })).toEqual({ command: null });
  });

  it("a command waits for the container's next report, once", async () => {
    await gateways.start();
    await until(() => gateway.sockets.length > 0 && gateways.isOpen(org));
    gateway.send({ type: "route", route: { container: A, owner: "u", share: "org", state: "running", address: null, services: [], accessEpoch: 0 } });
    gateway.send({ type: "command", container: A, command: "restart" });
    await until(() => routes.get(org, A));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(bridge.relayReport({ org, container: A }, { kind: "beat", services: [], metrics: null })).toEqual({ command: "restart" });
    expect(bridge.relayReport({ org, container: A }, { kind: "beat", services: [], metrics: null })).toEqual({ command: null });
    await until(() => gateway.received.filter((m) => m.type === "report").length === 2);
  });

  it("tells the gateway a visitor typed in a terminal (from the agent's report), once a minute at most", async () => {
    await gateways.start();
    await until(() => gateway.sockets.length > 0 && gateways.isOpen(org));
    bridge.relayReport({ org, container: A }, { kind: "beat", services: [], metrics: null, visitorInput: true });
    bridge.relayReport({ org, container: A }, { kind: "beat", services: [], metrics: null, visitorInput: true });
    bridge.relayReport({ org, container: A }, { kind: "beat", services: [], metrics: null });
    await until(() => gateway.received.filter((m) => m.type === "report").length === 3);
    expect(gateway.received.filter((m) => m.type === "activity")).toEqual([{ type: "activity", container: A }]);
    bridge.activity.stop();
  });

  it("after a reconnect the gateway hears again who is connected", async () => {
    await gateways.start();
    await bridge.onClientEvent(connect("1", A, tokenA));
    await bridge.onClientEvent({ kind: "ESTABLISHED", cid: "1", kid: null, env: {} });
    await until(() => gateway.received.some((m) => m.type === "connected"));
    gateway.received.length = 0;
    for (const ws of gateway.sockets.splice(0)) ws.terminate();
    await until(() => gateway.received.some((m) => m.type === "connected"), 5000);
    expect(gateway.opened).toBe(2);
    expect(gateway.received).toEqual([{ type: "connected", container: A, connection: "1", address: "172.16.4.4" }]);
  });

  it("says plainly when the gateway refuses the bridge key", async () => {
    gateway.refuseWith = 401;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await gateways.start();
    await until(() => warn.mock.calls.flat().some((line) => String(line).includes(`gateway for org ${org} refused the bridge key (401) — check KILN_BRIDGE_KEY`)));
    warn.mockRestore();
  });

  it("opens an org's socket on demand for a profile", async () => {
    // Not started: no orgs list read, so the org is unknown until its container asks.
    const verdict = await bridge.checkToken(tokenB, "profile");
    expect(verdict).toEqual({ ok: true, org, container: B, address: null });
    expect(gateway.received[0]).toMatchObject({ type: "check-token", container: B, purpose: "profile" });
  });

  it("reconnects with a growing, jittered delay", () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(250);
    expect(reconnectDelayMs(0, () => 1)).toBe(500);
    expect(reconnectDelayMs(3, () => 0.5)).toBe(3000);
    expect(reconnectDelayMs(50, () => 1)).toBe(30_000);
  });
});
