/**
 * One org's gateway socket: `/gw/{org}/m/user-containers/bridge` with the bridge key. JSON
 * frames checked against the protocol both ways; `check-token` as a request with an id and a
 * timeout; reconnects with backoff and jitter, the gateway then sending a fresh snapshot.
 */
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { BRIDGE_KEY_PREFIX, BridgeToGatewaySchema, GatewayToBridgeSchema, type BridgeToGateway, type GatewayToBridge } from "../../protocol/containers.ts";
import { describeError, log, warn } from "./log.ts";

export type TokenPurpose = "profile" | "vpn" | "report";
export type TokenCheck = { ok: true; address: string | null } | { ok: false; reason: string };

export interface LinkSettings {
  kilnUrl: string;
  bridgeKey: string;
  /** How long a check-token may wait for its answer before the container is refused. */
  requestTimeoutMs: number;
}

export interface LinkHandlers {
  /** A frame from the gateway, already checked. */
  onMessage(org: string, message: GatewayToBridge): void;
  /** The socket is open (again): tell the gateway what it may have missed. */
  onOpen(org: string): void;
  /** The worker refused the socket with this HTTP status (401 key, 403/404 org). */
  onRefused(org: string, status: number): void;
}

/** The reconnect delay after `attempt` failures: doubling to 30 s, with jitter so many orgs do not reconnect at once. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + (random() * base) / 2);
}

/** The socket's URL: the app's URL as ws(s), the org's gateway, the user-containers module's bridge route. */
export function gatewaySocketUrl(kilnUrl: string, org: string): string {
  return `${kilnUrl.replace(/^http/, "ws")}/gw/${org}/m/user-containers/bridge`;
}

const OUTBOX_LIMIT = 1000;
const PING_EVERY_MS = 20_000;

export class GatewayLink {
  private socket: WebSocket | null = null;
  private open = false;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly outbox: string[] = [];
  private readonly pending = new Map<string, { resolve: (check: TokenCheck) => void; timer: NodeJS.Timeout }>();
  /** Last time a container of this org needed the link (on-demand links are dropped when idle). */
  lastUsed = Date.now();

  constructor(
    readonly org: string,
    private readonly settings: LinkSettings,
    private readonly handlers: LinkHandlers,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  start(): void {
    if (this.socket || this.stopped) return;
    const socket = new WebSocket(gatewaySocketUrl(this.settings.kilnUrl, this.org), {
      headers: { authorization: `Bearer ${BRIDGE_KEY_PREFIX}${this.settings.bridgeKey}` },
      handshakeTimeout: 10_000,
    });
    this.socket = socket;
    let refused = false;
    socket.on("unexpected-response", (request, response) => {
      refused = true;
      const status = response.statusCode ?? 0;
      const why =
        status === 401 ? "refused the bridge key (401) — check KILN_BRIDGE_KEY against the worker's BRIDGE_KEY"
        : status === 403 || status === 404 ? `does not know this org or bridge (${status}) — is the org pinned to this bridge?`
        : `answered HTTP ${status} instead of a WebSocket`;
      warn(`gateway for org ${this.org} ${why}`);
      response.resume();
      request.destroy();
      this.handlers.onRefused(this.org, status);
      this.closed(socket);
    });
    socket.on("open", () => {
      this.open = true;
      this.attempt = 0;
      log(`gateway for org ${this.org}: connected`);
      for (const frame of this.outbox.splice(0)) socket.send(frame);
      this.handlers.onOpen(this.org);
      this.startPings(socket);
    });
    socket.on("message", (data, isBinary) => {
      if (isBinary) return warn(`gateway for org ${this.org} sent a binary frame; ignored`);
      this.receive(data.toString());
    });
    socket.on("error", (error) => {
      if (!refused) warn(`gateway for org ${this.org}: ${describeError(error)}`);
    });
    socket.on("close", (code, reason) => {
      if (this.open) log(`gateway for org ${this.org}: closed (${code}${reason.length ? ` ${reason.toString()}` : ""})`);
      this.closed(socket);
    });
  }

  private startPings(socket: WebSocket): void {
    let answered = true;
    socket.on("pong", () => (answered = true));
    this.pingTimer = setInterval(() => {
      // No pong since the last ping: the path is dead even if TCP has not noticed.
      if (!answered) return socket.terminate();
      answered = false;
      socket.ping();
    }, PING_EVERY_MS);
  }

  private closed(socket: WebSocket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.open = false;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    for (const [id, request] of this.pending) {
      clearTimeout(request.timer);
      request.resolve({ ok: false, reason: "the gateway connection was lost" });
      this.pending.delete(id);
    }
    if (this.stopped) return;
    const delay = reconnectDelayMs(this.attempt++);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.start();
    }, delay);
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return warn(`gateway for org ${this.org} sent a frame that is not JSON; ignored`);
    }
    const parsed = GatewayToBridgeSchema.safeParse(json);
    if (!parsed.success) {
      // The gateway answers a frame it could not read with an error notice: worth a line.
      return warn(`gateway for org ${this.org} sent an unexpected frame (${text.slice(0, 200)}); ignored`);
    }
    const message = parsed.data;
    if (message.type === "token-checked") {
      const request = this.pending.get(message.id);
      if (!request) return;
      this.pending.delete(message.id);
      clearTimeout(request.timer);
      request.resolve(message.ok ? { ok: true, address: message.address } : { ok: false, reason: message.reason ?? "refused by the gateway" });
      return;
    }
    if (message.type === "snapshot" && message.org !== this.org) {
      return warn(`gateway for org ${this.org} sent a snapshot for org ${message.org}; ignored`);
    }
    this.handlers.onMessage(this.org, message);
  }

  /** Sends a frame now, or when the socket (re)opens. */
  send(message: BridgeToGateway): void {
    const frame = JSON.stringify(BridgeToGatewaySchema.parse(message));
    if (this.open && this.socket) return this.socket.send(frame);
    if (this.outbox.length >= OUTBOX_LIMIT) this.outbox.shift();
    this.outbox.push(frame);
  }

  /** Asks the gateway whether `token` is `container`'s; a refusal when no answer comes in time. */
  checkToken(container: string, token: string, purpose: TokenPurpose): Promise<TokenCheck> {
    this.lastUsed = Date.now();
    this.start();
    const id = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        warn(`gateway for org ${this.org} did not answer a ${purpose} token check for container ${container} within ${this.settings.requestTimeoutMs / 1000} s (${this.open ? "socket open" : "socket not connected"}); refusing`);
        resolve({ ok: false, reason: "the gateway did not answer in time" });
      }, this.settings.requestTimeoutMs);
      this.pending.set(id, { resolve, timer });
      this.send({ type: "check-token", id, container, token, purpose });
    });
  }

  /** Closes for good (no reconnect). */
  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    if (socket) {
      this.closed(socket);
      socket.terminate();
    }
  }
}
