/**
 * One org's gateway socket for containers: `/gw/{org}/m/user-containers/bridge` with the
 * bridge key (`ModuleSocket`). JSON frames checked against the protocol both ways;
 * `check-token` as a request with an id and a timeout.
 */
import { randomUUID } from "node:crypto";
import { BridgeToGatewaySchema, GatewayToBridgeSchema, type BridgeToGateway, type GatewayToBridge } from "../../protocol/containers.ts";
import { warn } from "./log.ts";
import { ModuleSocket } from "./module-socket.ts";

export { reconnectDelayMs } from "./module-socket.ts";

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

export class GatewayLink {
  private readonly socket: ModuleSocket;
  private readonly pending = new Map<string, { resolve: (check: TokenCheck) => void; timer: NodeJS.Timeout }>();
  /** Last time a container of this org needed the link (on-demand links are dropped when idle). */
  lastUsed = Date.now();

  constructor(
    readonly org: string,
    private readonly settings: LinkSettings,
    private readonly handlers: LinkHandlers,
  ) {
    this.socket = new ModuleSocket(org, "user-containers", settings, {
      onFrame: (json, text) => this.receive(json, text),
      onOpen: () => handlers.onOpen(org),
      onClose: () => this.failPending(),
      onRefused: (status) => handlers.onRefused(org, status),
    });
  }

  get isOpen(): boolean {
    return this.socket.isOpen;
  }

  start(): void {
    this.socket.start();
  }

  private failPending(): void {
    for (const [id, request] of this.pending) {
      clearTimeout(request.timer);
      request.resolve({ ok: false, reason: "the gateway connection was lost" });
      this.pending.delete(id);
    }
  }

  private receive(json: unknown, text: string): void {
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
    this.socket.send(JSON.stringify(BridgeToGatewaySchema.parse(message)));
  }

  /** Asks the gateway whether `token` is `container`'s; a refusal when no answer comes in time. */
  checkToken(container: string, token: string, purpose: TokenPurpose): Promise<TokenCheck> {
    this.lastUsed = Date.now();
    this.start();
    const id = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        warn(`gateway for org ${this.org} did not answer a ${purpose} token check for container ${container} within ${this.settings.requestTimeoutMs / 1000} s (${this.isOpen ? "socket open" : "socket not connected"}); refusing`);
        resolve({ ok: false, reason: "the gateway did not answer in time" });
      }, this.settings.requestTimeoutMs);
      this.pending.set(id, { resolve, timer });
      this.send({ type: "check-token", id, container, token, purpose });
    });
  }

  /** Closes for good (no reconnect). */
  stop(): void {
    this.socket.stop();
  }
}
