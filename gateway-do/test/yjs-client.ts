/**
 * A gateway client for tests, speaking the real protocol over a real WebSocket: y-protocols
 * sync and awareness in binary frames, events and acks in JSON. It keeps its own Y.Doc.
 */
import { SELF, env } from "cloudflare:test";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { signGatewayToken } from "../../worker/src/gateway/token";
import { MESSAGE_AWARENESS, MESSAGE_SYNC, awarenessFrame, updateFrame } from "../src/sync/protocol";

export interface Ack {
  type: "ack";
  requestId: string | null;
  ok: boolean;
  error?: { code: string; message: string; fields?: Record<string, string[]> };
}

let requests = 0;

export class TestClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** JSON messages received, in order. */
  readonly messages: Record<string, unknown>[] = [];
  /** Binary frames received, in order (to prove what a client never saw). */
  readonly frames: Uint8Array[] = [];
  closedWith: { code: number; reason: string } | null = null;
  #synced = false;

  private constructor(readonly ws: WebSocket) {
    clearInterval((this.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
    ws.addEventListener("message", (e) => this.#onMessage(e.data));
    ws.addEventListener("close", (e) => {
      this.closedWith = { code: e.code, reason: e.reason };
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== "server" && ws.readyState === WebSocket.OPEN) ws.send(updateFrame(update));
    });
  }

  /** Connects `userId` to the project with a real gateway token and syncs. */
  static async open(
    org: string,
    project: string,
    userId: string,
    /** The name in the token, which presence shows. */
    name = `user ${userId.slice(0, 8)}`,
  ): Promise<TestClient> {
    const { token } = await signGatewayToken(env.JWT_PRIVATE_KEY, { sub: userId, org, project, name });
    const res = await SELF.fetch(`http://kiln.test/gw/${org}/projects/${project}/ws?token=${encodeURIComponent(token)}&json=1`, { headers: { upgrade: "websocket" } });
    if (res.status !== 101) throw new Error(`socket refused: ${res.status}`);
    const ws = res.webSocket!;
    ws.accept();
    ws.binaryType = "arraybuffer"; // as a browser client must: the default is Blob
    const client = new TestClient(ws);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, client.doc);
    ws.send(encoding.toUint8Array(encoder));
    await client.until(() => client.#synced || client.closedWith !== null, "initial sync");
    return client;
  }

  #onMessage(data: unknown): void {
    if (typeof data === "string") {
      this.messages.push(JSON.parse(data) as Record<string, unknown>);
      return;
    }
    const bytes = new Uint8Array(data as ArrayBuffer);
    this.frames.push(bytes);
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), "server");
      return;
    }
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    const syncType = syncProtocol.readSyncMessage(decoder, reply, this.doc, "server");
    if (syncType === syncProtocol.messageYjsSyncStep2) this.#synced = true;
    if (encoding.length(reply) > 1) this.ws.send(encoding.toUint8Array(reply));
  }

  /** Waits until `check()` holds (polling), failing after `ms`. */
  async until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Sends an event and waits for its ack. */
  async event(type: string, payload: Record<string, unknown> = {}): Promise<Ack> {
    const requestId = `req-${++requests}`;
    this.ws.send(JSON.stringify({ type: "event", event: { type, requestId, ...payload } }));
    let ack: Ack | undefined;
    await this.until(() => (ack = this.messages.find((m) => m.type === "ack" && m.requestId === requestId) as Ack | undefined) !== undefined, `ack of ${type}`);
    return ack!;
  }

  /** Publishes this client's presence. */
  setPresence(state: Record<string, unknown>): void {
    this.awareness.setLocalState(state);
    this.ws.send(awarenessFrame(this.awareness, [this.doc.clientID]));
  }

  close(): void {
    this.awareness.destroy();
    this.ws.close(1000, "done");
  }
}
