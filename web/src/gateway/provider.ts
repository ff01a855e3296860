/**
 * The browser's side of a project's gateway socket. Fetches a fresh token for every
 * (re)connect, retries with backoff, syncs the project's Y.Doc and awareness with
 * y-protocols, and sends events as JSON with request ids, resolving each with its ack.
 * Edits made while offline stay in the doc and reach the gateway in the next sync.
 *
 * Offline is noticed at once from the browser's `offline` event, and otherwise by a
 * heartbeat: a silent link (a socket the browser still calls open) fails its ping. An event
 * is refused here, never sent, while offline. An event sent whose answer has not come is
 * never reported undone: the gateway may have run it. It waits (`waiting`), and once a socket
 * has synced again it is sent again under the same request id: the gateway runs a retried
 * request id once and answers it from its log, so the answer then is the truth.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { awarenessFrame, checkClientUpdate, editableTextsIn, MESSAGE_AWARENESS, MESSAGE_SYNC, syncStep1, updateFrame } from "../../../gateway-do/src/client";
import { editableTexts } from "../../../gateway-do/src/modules/registry";
import { CloseCode } from "../../../protocol/socket";
import { type GatewayTicket, TicketError, fetchTicket } from "./connect";
import { type Ack, type GatewayEvent, parseServerMessage } from "./messages";

export type ConnectionStatus = "connecting" | "online" | "offline" | "denied";

/** The part of a WebSocket the provider uses, so tests can hand it a fake. */
export interface SocketLike {
  binaryType: BinaryType;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export interface ProviderOptions {
  org: string;
  project: string;
  /** A fresh ticket per connection attempt (default: the worker's connect route). */
  fetchTicket?: (org: string, project: string) => Promise<GatewayTicket>;
  createSocket?: (url: string) => SocketLike;
  /** Backoff between attempts: min doubled per failure up to max, with jitter. */
  backoff?: { minMs: number; maxMs: number };
  /** A ping every `intervalMs` on an open socket; no word from the gateway within `timeoutMs` and the link is dropped as dead. */
  heartbeat?: { intervalMs: number; timeoutMs: number };
  /** Where the browser says it went offline or online (default: `window` and `navigator.onLine`). */
  network?: NetworkLike | null;
  /** Start connecting at once (default true). */
  connect?: boolean;
}

/** The browser's own view of the network. */
export interface NetworkLike {
  readonly onLine: boolean;
  addEventListener(kind: "online" | "offline", listener: () => void): void;
  removeEventListener(kind: "online" | "offline", listener: () => void): void;
}

function browserNetwork(): NetworkLike | null {
  if (typeof window === "undefined" || typeof navigator === "undefined") return null;
  return {
    get onLine() {
      return navigator.onLine;
    },
    addEventListener: (kind, listener) => window.addEventListener(kind, listener),
    removeEventListener: (kind, listener) => window.removeEventListener(kind, listener),
  };
}

/** Something the person should be told (a toast). */
export interface Notice {
  kind: "info" | "error";
  message: string;
}

type Listener<T> = (value: T) => void;

/** What the provider tells its listeners about. */
export interface ProviderEvents {
  status: ConnectionStatus;
  /** The doc was replaced (after a refused edit): read state from this one now. */
  doc: Y.Doc;
  notice: Notice;
  /** How many events were sent and still wait for their answer. */
  waiting: number;
}

const OPEN = 1;
/** Heartbeats an open socket may take to sync before it is dropped and opened again. */
const SYNC_BEATS = 3;

export class GatewayProvider {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  status: ConnectionStatus = "connecting";
  /** Why the gateway refused us, once `denied`. */
  deniedReason: string | null = null;
  /** True once the doc has synced over the current socket. */
  synced = false;

  readonly #options: Required<Omit<ProviderOptions, "connect">>;
  #ws: SocketLike | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #destroyed = false;
  /** The doc a resync replaced, kept until the fresh one has synced so its unsent note text can be carried over. */
  #previous: Y.Doc | null = null;
  #seq = 0;
  /** Unique per provider, so request ids never repeat across tabs and reloads (the gateway keys them per user). */
  readonly #session = Math.random().toString(36).slice(2, 10);
  /** Events sent and not yet answered, in the order sent: sent again after a reconnect. */
  readonly #pending = new Map<string, { frame: string; resolve: (ack: Ack) => void }>();
  #heartbeat: ReturnType<typeof setTimeout> | null = null;
  #pongDue: ReturnType<typeof setTimeout> | null = null;
  readonly #network: NetworkLike | null;
  readonly #listeners: { [K in keyof ProviderEvents]: Set<Listener<ProviderEvents[K]>> } = { status: new Set(), doc: new Set(), notice: new Set(), waiting: new Set() };

  constructor(options: ProviderOptions) {
    this.#options = {
      fetchTicket,
      createSocket: (url) => new WebSocket(url) as SocketLike,
      backoff: { minMs: 500, maxMs: 15_000 },
      heartbeat: { intervalMs: 5_000, timeoutMs: 3_000 },
      network: browserNetwork(),
      ...options,
    };
    this.#network = this.#options.network;
    this.#network?.addEventListener("offline", this.#onBrowserOffline);
    this.#network?.addEventListener("online", this.#onBrowserOnline);
    this.doc = new Y.Doc();
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.#bind();
    if (options.connect !== false) void this.#connect();
  }

  /** How many events were sent and still wait for the gateway's answer (sent again on reconnect). */
  get waiting(): number {
    return this.#pending.size;
  }

  // The browser knows first: a socket it still calls open is dead once the network is gone.
  readonly #onBrowserOffline = () => {
    if (this.#destroyed || this.status === "denied") return;
    if (this.#ws) this.#dropDead(this.#ws, "The browser went offline.");
    else this.#setStatus("offline");
  };
  readonly #onBrowserOnline = () => this.reconnectNow();

  /** Subscribes to status changes, doc replacements (after a resync) or notices; returns the unsubscribe. */
  on<K extends keyof ProviderEvents>(kind: K, listener: Listener<ProviderEvents[K]>): () => void {
    const set = this.#listeners[kind] as Set<Listener<ProviderEvents[K]>>;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  #emit<K extends keyof ProviderEvents>(kind: K, value: ProviderEvents[K]): void {
    for (const listener of this.#listeners[kind] as Set<Listener<ProviderEvents[K]>>) listener(value);
  }

  #setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.#emit("status", status);
  }

  // Local doc edits (note text) and local presence go out as they happen, when connected.
  readonly #onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== this) this.#sendBinary(updateFrame(update));
  };
  readonly #onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin !== "local") return;
    this.#sendBinary(awarenessFrame(this.awareness, [...added, ...updated, ...removed]));
  };

  #bind(): void {
    this.doc.on("update", this.#onDocUpdate);
    this.awareness.on("update", this.#onAwarenessUpdate);
  }

  #unbind(): void {
    this.doc.off("update", this.#onDocUpdate);
    this.awareness.off("update", this.#onAwarenessUpdate);
  }

  #sendBinary(frame: Uint8Array): void {
    if (this.#ws?.readyState === OPEN) this.#ws.send(frame);
  }

  async #connect(): Promise<void> {
    if (this.#destroyed || this.status === "denied") return;
    this.#timer = null;
    // Nothing to reach while the browser is offline: wait (its `online` event tries at once).
    if (this.#network && !this.#network.onLine) return this.#retry();
    let ticket: GatewayTicket;
    try {
      ticket = await this.#options.fetchTicket(this.#options.org, this.#options.project);
    } catch (error) {
      if (error instanceof TicketError && error.kind === "denied") return this.#deny(error.message);
      return this.#retry();
    }
    if (this.#destroyed) return;
    const ws = this.#options.createSocket(`${ticket.url}?token=${encodeURIComponent(ticket.token)}&json=1`);
    ws.binaryType = "arraybuffer";
    this.#ws = ws;
    ws.onopen = () => {
      ws.send(syncStep1(this.doc));
      if (this.awareness.getLocalState() !== null) ws.send(awarenessFrame(this.awareness, [this.doc.clientID]));
      this.#beat(ws);
    };
    ws.onmessage = (event) => this.#receive(ws, event.data);
    ws.onclose = (event) => this.#closed(ws, event.code, event.reason);
    ws.onerror = () => {}; // a close event follows
  }

  #receive(ws: SocketLike, data: unknown): void {
    if (ws !== this.#ws) return;
    this.#heard();
    if (typeof data === "string") return this.#text(data);
    if (!(data instanceof ArrayBuffer)) return;
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
      return;
    }
    if (type !== MESSAGE_SYNC) return;
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    const syncType = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
    if (encoding.length(reply) > 1) ws.send(encoding.toUint8Array(reply));
    if (syncType === syncProtocol.messageYjsSyncStep2 && !this.synced) {
      if (this.#previous) this.#carryOver(this.#previous);
      this.synced = true;
      this.#attempt = 0;
      // What was sent and never answered goes again, in order, under the same request ids.
      for (const { frame } of this.#pending.values()) ws.send(frame);
      this.#setStatus("online");
    }
  }

  #text(text: string): void {
    const message = parseServerMessage(text);
    if (!message) return;
    switch (message.type) {
      case "ack": {
        const pending = message.requestId ? this.#pending.get(message.requestId) : undefined;
        if (!pending || !message.requestId) return;
        this.#pending.delete(message.requestId);
        this.#emit("waiting", this.#pending.size);
        pending.resolve(
          message.ok
            ? { requestId: message.requestId, ok: true }
            : { requestId: message.requestId, ok: false, error: message.error },
        );
        return;
      }
      case "rejected-update":
        this.#emit("notice", { kind: "error", message: `The gateway refused an edit (${message.reason}): reloading the board.` });
        return this.#resync();
      case "error":
        this.#emit("notice", { kind: "error", message: message.error.message });
        return;
      case "pong":
        return;
    }
  }

  /**
   * Replaces the local doc (it holds something the gateway refused) with a freshly synced
   * one. Note text typed here and not yet stored by the gateway is carried over once the
   * fresh doc has synced (see #carryOver).
   */
  #resync(): void {
    const local = this.awareness.getLocalState();
    this.awareness.setLocalState(null);
    this.#unbind();
    this.awareness.destroy();
    this.#previous?.destroy();
    this.#previous = this.doc;
    this.doc = new Y.Doc();
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.#bind();
    this.synced = false;
    this.#emit("doc", this.doc);
    if (local) this.awareness.setLocalState(local);
    const ws = this.#ws;
    if (ws?.readyState === OPEN) ws.send(syncStep1(this.doc));
  }

  /**
   * After a resync: what the old doc has that the gateway's state lacks is the person's
   * unsent typing (and whatever was refused). If the gateway's own check accepts it now, it
   * is applied as a local edit and sent; otherwise the notes whose text could not be kept
   * are named, with the text, so nothing typed vanishes silently.
   */
  #carryOver(old: Y.Doc): void {
    this.#previous = null;
    const missing = Y.encodeStateAsUpdate(old, Y.encodeStateVector(this.doc));
    if (checkClientUpdate(this.doc, missing, editableTexts).ok) {
      let changed = false;
      const mark = () => (changed = true);
      this.doc.on("update", mark);
      Y.applyUpdate(this.doc, missing, "carried-over"); // sent on by #onDocUpdate
      this.doc.off("update", mark);
      if (changed) this.#emit("notice", { kind: "info", message: "Your unsent note text was kept and sent again." });
    } else {
      const now = editableTextsIn(this.doc, editableTexts);
      const lost = [...editableTextsIn(old, editableTexts)].filter(([path, text]) => now.get(path)?.toString() !== text.toString());
      if (lost.length > 0) {
        const excerpt = lost.map(([, text]) => `“${text.toString().slice(0, 200)}”`).join(", ");
        this.#emit("notice", { kind: "error", message: `The gateway did not take your latest text (its item was deleted, or you may no longer edit it). Your text: ${excerpt}` });
      }
    }
    old.destroy();
  }

  /**
   * A ping now and then; any frame from the gateway counts as its answer. Silence past the
   * timeout means the link is dead even if the browser still calls the socket open (it can
   * for minutes when the network goes): drop it and reconnect.
   */
  #beat(ws: SocketLike, beats = 0): void {
    this.#stopBeating();
    const { intervalMs, timeoutMs } = this.#options.heartbeat;
    this.#heartbeat = setTimeout(() => {
      if (ws !== this.#ws || ws.readyState !== OPEN) return;
      // A socket that answers pings but never synced (its sync reply was lost) would stay
      // "connecting" for ever: after three beats, start again.
      if (!this.synced && beats >= SYNC_BEATS) return this.#dropDead(ws, "The gateway did not sync.");
      ws.send("ping");
      this.#pongDue = setTimeout(() => this.#dropDead(ws, "The gateway stopped answering."), timeoutMs);
      this.#beat(ws, beats + 1);
    }, intervalMs);
  }

  #heard(): void {
    if (this.#pongDue) clearTimeout(this.#pongDue);
    this.#pongDue = null;
  }

  #stopBeating(): void {
    if (this.#heartbeat) clearTimeout(this.#heartbeat);
    this.#heartbeat = null;
  }

  /** Gives up on a socket that can no longer carry anything, without waiting for its close handshake. */
  #dropDead(ws: SocketLike, reason: string): void {
    if (ws !== this.#ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close(4000, reason);
    } catch {
      // already closing
    }
    this.#closed(ws, 1006, reason);
  }

  #closed(ws: SocketLike, code: number, reason: string): void {
    if (ws !== this.#ws) return;
    this.#ws = null;
    this.synced = false;
    this.#stopBeating();
    this.#heard();
    // Unanswered events stay pending: they may have run. They go again after the next sync.
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
    if (this.#destroyed) return;
    if (code === CloseCode.Forbidden) return this.#deny(reason || "You no longer have access to this project.");
    if (code === CloseCode.Unauthenticated) {
      // The token expired or was refused: the next attempt fetches a fresh one, at once the first time.
      this.#setStatus("offline");
      if (this.#attempt === 0) {
        this.#attempt = 1;
        void this.#connect();
        return;
      }
    }
    if (code === CloseCode.RateLimited) this.#emit("notice", { kind: "error", message: "Too many changes at once: reconnecting shortly." });
    if (code === CloseCode.TooBig) this.#emit("notice", { kind: "error", message: "A change was too big to send." });
    this.#retry();
  }

  #retry(): void {
    if (this.#destroyed || this.status === "denied") return;
    this.#setStatus(this.status === "connecting" && this.#attempt === 0 ? "connecting" : "offline");
    const { minMs, maxMs } = this.#options.backoff;
    const delay = Math.min(maxMs, minMs * 2 ** this.#attempt) * (0.75 + Math.random() * 0.5);
    this.#attempt++;
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }

  #deny(reason: string): void {
    this.deniedReason = reason;
    this.#setStatus("denied");
    this.#emit("notice", { kind: "error", message: reason });
  }

  #failPending(code: string, message: string): void {
    for (const [requestId, pending] of this.#pending) pending.resolve({ requestId, ok: false, error: { code, message } });
    this.#pending.clear();
  }

  /** Tries again now (e.g. when the browser comes back online), skipping the backoff wait. */
  reconnectNow(): void {
    if (this.#ws || this.#destroyed || this.status === "denied" || this.#timer === null) return;
    clearTimeout(this.#timer);
    this.#attempt = 0;
    void this.#connect();
  }

  /**
   * Sends an event; resolves with the gateway's answer. Refused here, unsent, while offline.
   * Once sent it resolves only with the gateway's answer, however long that takes (it is
   * sent again after a reconnect), or when the board is closed first.
   */
  sendEvent(event: GatewayEvent): Promise<Ack> {
    const requestId = `${this.#session}-${++this.#seq}`;
    const ws = this.#ws;
    if (!ws || ws.readyState !== OPEN || !this.synced || this.#network?.onLine === false) {
      return Promise.resolve({ requestId, ok: false, error: { code: "offline", message: "You are offline: the change was not sent." } });
    }
    return new Promise<Ack>((resolve) => {
      const frame = JSON.stringify({ type: "event", event: { ...event, requestId } });
      this.#pending.set(requestId, { frame, resolve });
      this.#emit("waiting", this.#pending.size);
      ws.send(frame);
    });
  }

  /** Leaves: presence goes, the socket closes, nothing reconnects. */
  destroy(): void {
    this.#destroyed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#stopBeating();
    this.#heard();
    this.#network?.removeEventListener("offline", this.#onBrowserOffline);
    this.#network?.removeEventListener("online", this.#onBrowserOnline);
    this.awareness.setLocalState(null); // tells the others we left while the socket is open
    this.#failPending("closed", "The board was closed before the gateway answered: the change may or may not have been saved.");
    const ws = this.#ws;
    this.#ws = null;
    ws?.close(1000, "left");
    this.#unbind();
    this.awareness.destroy();
    this.doc.destroy();
    this.#previous?.destroy();
  }
}
