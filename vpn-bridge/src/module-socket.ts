/**
 * A WebSocket to one of an org's gateway modules, `/gw/{org}/m/{module}/bridge`, with the
 * bridge key: JSON text frames, reconnects with backoff and jitter (the gateway then sends a
 * fresh snapshot), pings to notice a dead path, and frames sent while down kept for the next
 * open (up to a bound). What the frames mean is the user of this class's business.
 */
import WebSocket from "ws";
import { BRIDGE_KEY_PREFIX } from "../../protocol/containers.ts";
import { describeError, log, warn } from "./log.ts";

export interface SocketSettings {
  kilnUrl: string;
  bridgeKey: string;
}

export interface SocketHandlers {
  /** A text frame, parsed as JSON (frames that are not JSON are logged and dropped). */
  onFrame(json: unknown, text: string): void;
  /** The socket is open (again). */
  onOpen(): void;
  /** It closed; `open` says whether it had been open. */
  onClose?(): void;
  /** The worker refused it with this HTTP status (401 key, 403/404 org). */
  onRefused(status: number): void;
}

/** The reconnect delay after `attempt` failures: doubling to 30 s, with jitter so many orgs do not reconnect at once. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + (random() * base) / 2);
}

/** The socket's URL: the app's URL as ws(s), the org's gateway, the module's bridge route. */
export function moduleSocketUrl(kilnUrl: string, org: string, module: string): string {
  return `${kilnUrl.replace(/^http/, "ws")}/gw/${org}/m/${module}/bridge`;
}

const OUTBOX_LIMIT = 1000;
const PING_EVERY_MS = 20_000;

export class ModuleSocket {
  private socket: WebSocket | null = null;
  private open = false;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly outbox: string[] = [];

  constructor(
    readonly org: string,
    private readonly module: string,
    private readonly settings: SocketSettings,
    private readonly handlers: SocketHandlers,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  /** What the log calls this socket. */
  private get name(): string {
    return `gateway for org ${this.org}${this.module === "user-containers" ? "" : ` (${this.module})`}`;
  }

  start(): void {
    if (this.socket || this.stopped) return;
    const socket = new WebSocket(moduleSocketUrl(this.settings.kilnUrl, this.org, this.module), {
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
      warn(`${this.name} ${why}`);
      response.resume();
      request.destroy();
      this.handlers.onRefused(status);
      this.closed(socket);
    });
    socket.on("open", () => {
      this.open = true;
      this.attempt = 0;
      log(`${this.name}: connected`);
      for (const frame of this.outbox.splice(0)) socket.send(frame);
      this.handlers.onOpen();
      this.startPings(socket);
    });
    socket.on("message", (data, isBinary) => {
      if (isBinary) return warn(`${this.name} sent a binary frame; ignored`);
      const text = data.toString();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return warn(`${this.name} sent a frame that is not JSON; ignored`);
      }
      this.handlers.onFrame(json, text);
    });
    socket.on("error", (error) => {
      if (!refused) warn(`${this.name}: ${describeError(error)}`);
    });
    socket.on("close", (code, reason) => {
      if (this.open) log(`${this.name}: closed (${code}${reason.length ? ` ${reason.toString()}` : ""})`);
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
    this.handlers.onClose?.();
    if (this.stopped) return;
    const delay = reconnectDelayMs(this.attempt++);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.start();
    }, delay);
  }

  /** Sends a frame now, or when the socket (re)opens. */
  send(frame: string): void {
    if (this.open && this.socket) return this.socket.send(frame);
    if (this.outbox.length >= OUTBOX_LIMIT) this.outbox.shift();
    this.outbox.push(frame);
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
