/**
 * Benchmark clients: one WebSocket and one Y.Doc each, speaking y-protocols sync as the
 * three servers frame it. Kiln and y-websocket frame it the same way (a varuint message type,
 * then the payload); Hocuspocus puts the document name in front and wants an auth message
 * first. Kiln clients also send JSON events and wait for their acks.
 *
 * Sockets come from `ws` with permessage-deflate off, for every server. Node's built-in
 * WebSocket always offers deflate; the peers never accept it, but `wrangler dev`'s entry
 * worker does, so Kiln alone compressed every frame (and the clients inflated them).
 * Production Kiln does not compress (`no_web_socket_compression` in wrangler.toml).
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import { WebSocket } from "ws";
import * as Y from "yjs";

export type ServerKind = "kiln" | "y-websocket" | "hocuspocus";

const MESSAGE_SYNC = 0;
const HOCUSPOCUS_AUTH = 2;
const HOCUSPOCUS_SYNC_REPLY = 4;
const HOCUSPOCUS_SYNC_STATUS = 8;

interface Ack {
  ok: boolean;
  error?: { code: string; message?: string };
  /** What the event returned to its sender alone (a new kernel, say). */
  result?: unknown;
}

let requests = 0;

export class BenchClient {
  readonly doc = new Y.Doc();
  /** Called after every update this client applied (to time when a change arrives). */
  onApplied: (() => void) | null = null;
  /** While false, incoming updates are not applied (sustained phase: keeps the load generator light). */
  applying = true;
  /** Called when the server confirms one of this client's own writes (Kiln ack, Hocuspocus sync status, y-websocket echo). */
  onOwnWrite: (() => void) | null = null;
  framesReceived = 0;
  /** Time spent applying the server's initial sync step 2 in this client's doc. */
  initialApplyMs = 0;
  #synced = false;
  #syncedWaiter: (() => void) | null = null;
  readonly #acks = new Map<string, (ack: Ack) => void>();
  closed: { code: number; reason: string } | null = null;

  private constructor(
    readonly kind: ServerKind,
    readonly ws: WebSocket,
    /** Hocuspocus's document name (it names the doc inside every frame). */
    readonly docName: string,
  ) {
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (e) => this.#onMessage(e.data as string | ArrayBuffer));
    ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
      for (const resolve of this.#acks.values()) resolve({ ok: false, error: { code: `closed ${e.code}` } });
      this.#acks.clear();
    });
    // Peers' writers edit their doc directly; Kiln clients change shared state through events only.
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== "server" && kind !== "kiln" && ws.readyState === WebSocket.OPEN) ws.send(this.#frame(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update)));
    });
  }

  /** Opens a socket to `url` and resolves once the initial sync is done (the server's sync step 2 applied). */
  static async open(kind: ServerKind, url: string, docName = "", timeoutMs = 30_000): Promise<BenchClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const client = new BenchClient(kind, ws, docName);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true });
      ws.addEventListener("error", (e) => reject(new Error(`could not open ${url.split("?")[0]}: ${e.message}`)), { once: true });
    });
    const synced = new Promise<void>((resolve) => (client.#syncedWaiter = resolve));
    if (kind === "hocuspocus") {
      ws.send(client.#frame(HOCUSPOCUS_AUTH, (e) => (encoding.writeVarUint(e, 0), encoding.writeVarString(e, ""))));
    }
    ws.send(client.#frame(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, client.doc)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      synced,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`initial sync with ${kind} took over ${timeoutMs} ms${client.closed ? ` (closed ${client.closed.code} ${client.closed.reason})` : ""}`)), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    return client;
  }

  get synced(): boolean {
    return this.#synced;
  }

  #frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
    const encoder = encoding.createEncoder();
    if (this.kind === "hocuspocus") encoding.writeVarString(encoder, this.docName);
    encoding.writeVarUint(encoder, type);
    write(encoder);
    return encoding.toUint8Array(encoder);
  }

  #onMessage(data: string | ArrayBuffer): void {
    if (typeof data === "string") {
      const message = JSON.parse(data) as { type: string; requestId?: string | null; ok?: boolean; error?: { code: string; message?: string }; result?: unknown };
      if (message.type !== "ack" || !message.requestId) return;
      const resolve = this.#acks.get(message.requestId);
      this.#acks.delete(message.requestId);
      resolve?.({ ok: message.ok === true, error: message.error, result: message.result });
      return;
    }
    this.framesReceived++;
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (this.kind === "hocuspocus") decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === HOCUSPOCUS_SYNC_STATUS && this.kind === "hocuspocus") {
      if (this.#synced) this.onOwnWrite?.();
      return;
    }
    if (type !== MESSAGE_SYNC && !(type === HOCUSPOCUS_SYNC_REPLY && this.kind === "hocuspocus")) return; // awareness, auth
    if (!this.applying && this.#synced) {
      if (this.kind === "y-websocket" && this.onOwnWrite && this.#isOwnEcho(decoder)) this.onOwnWrite();
      return;
    }
    const reply = encoding.createEncoder();
    if (this.kind === "hocuspocus") encoding.writeVarString(reply, this.docName);
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    const header = encoding.length(reply);
    const t0 = performance.now();
    const syncType = syncProtocol.readSyncMessage(decoder, reply, this.doc, "server");
    if (syncType === syncProtocol.messageYjsSyncStep2 && !this.#synced) {
      this.initialApplyMs = performance.now() - t0;
      this.#synced = true;
      this.#syncedWaiter?.();
    }
    if (encoding.length(reply) > header) this.ws.send(encoding.toUint8Array(reply));
    this.onApplied?.();
  }

  /** y-websocket sends every update to every connection, the writer's included: that echo is its confirmation. */
  #isOwnEcho(decoder: decoding.Decoder): boolean {
    if (decoding.readVarUint(decoder) !== syncProtocol.messageYjsUpdate) return false;
    return Y.parseUpdateMeta(decoding.readVarUint8Array(decoder)).from.has(this.doc.clientID);
  }

  /** Sends a Kiln event and resolves with its ack. */
  event(type: string, payload: Record<string, unknown>): Promise<Ack> {
    const requestId = `b${++requests}`;
    const ack = new Promise<Ack>((resolve) => this.#acks.set(requestId, resolve));
    this.ws.send(JSON.stringify({ type: "event", event: { type, requestId, ...payload } }));
    return ack;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000, "done");
  }
}

/** Opens `count` clients, at most `parallel` handshakes at a time; `url(i)` gives each its URL. */
export async function openClients(kind: ServerKind, count: number, url: (i: number) => string, docName = "", parallel = 20): Promise<BenchClient[]> {
  const clients: BenchClient[] = new Array(count);
  let next = 0;
  const workers = Array.from({ length: Math.min(parallel, count) }, async () => {
    while (next < count) {
      const i = next++;
      clients[i] = await BenchClient.open(kind, url(i), docName);
    }
  });
  try {
    await Promise.all(workers);
  } catch (error) {
    for (const c of clients) c?.close();
    throw error;
  }
  return clients;
}
