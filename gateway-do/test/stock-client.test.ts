/**
 * A stock y-websocket client (the real `WebsocketProvider`, code nobody here wrote) against
 * the gateway (issue #14): it syncs, types into a note, sees presence, and has a refused edit
 * dropped without a word it could not read; the gateway's JSON goes only to clients that ask.
 */
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { signGatewayToken } from "../../worker/src/gateway/token";
import { nodesOf } from "../src/modules/core-graph";
import { bodiesOf } from "../src/modules/notes";
import { orgWithProjects } from "./fixtures";
import { TestClient } from "./yjs-client";

/** A WebSocket as y-websocket expects one, over the worker's `SELF.fetch` upgrade; records what reached the provider and what it threw. */
class FetchWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly OPEN = 1;
  static texts: string[] = [];
  static thrown: unknown[] = [];
  binaryType = "arraybuffer";
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  #ws: WebSocket | null = null;
  #state = 0;

  constructor(url: string) {
    void SELF.fetch(url.replace(/^ws/, "http"), { headers: { upgrade: "websocket" } }).then((res) => {
      const ws = res.webSocket!;
      ws.accept();
      ws.binaryType = "arraybuffer";
      this.#ws = ws;
      this.#state = 1;
      ws.addEventListener("message", (e) => {
        if (typeof e.data === "string") FetchWebSocket.texts.push(e.data);
        try {
          this.onmessage?.({ data: e.data });
        } catch (error) {
          FetchWebSocket.thrown.push(error);
        }
      });
      ws.addEventListener("close", (e) => {
        this.#state = 3;
        this.onclose?.({ code: e.code, reason: e.reason });
      });
      this.onopen?.();
    });
  }

  get readyState(): number {
    return this.#state;
  }

  send(data: ArrayBuffer | Uint8Array): void {
    this.#ws?.send(data);
  }

  close(): void {
    this.#state = 2;
    this.#ws?.close(1000, "done");
  }
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("a stock y-websocket client", () => {
  it("syncs, types into a note, sees presence, and never gets a text frame it would choke on", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice, "Alice");
    expect((await alice.event("notes:create", { viewId: "main", text: "shared" })).ok).toBe(true);
    const noteId = [...nodesOf(alice.doc).keys()][0]!;

    const { token } = await signGatewayToken(env.JWT_PRIVATE_KEY, { sub: people.bob, org, project: projects.a, name: "Bob" });
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`ws://kiln.test/gw/${org}/projects/${projects.a}`, "ws", doc, {
      params: { token },
      WebSocketPolyfill: FetchWebSocket as never,
      disableBc: true,
    });
    await until(() => provider.synced, "the stock client's sync");
    expect(bodiesOf(doc).get(noteId)?.toString()).toBe("shared");

    // Typing goes through like any client's.
    bodiesOf(doc).get(noteId)!.insert(0, "stock ");
    await alice.until(() => bodiesOf(alice.doc).get(noteId)?.toString() === "stock shared", "the stock client's typing");
    // Presence both ways, stamped by the gateway.
    provider.awareness.setLocalStateField("cursor", { x: 1, y: 1 });
    await alice.until(() => alice.awareness.getStates().get(doc.clientID)?.name === "Bob", "the stock client's presence");
    alice.setPresence({ color: "#c2410c" });
    await until(() => provider.awareness.getStates().get(alice.doc.clientID)?.name === "Alice", "alice's presence at the stock client");

    // An edit outside the texts is refused: with a JSON client it would be told, the stock client is not.
    nodesOf(doc).set("forged", { id: "forged", kind: "note", createdBy: people.bob, createdAt: 0 } as never);
    await new Promise((r) => setTimeout(r, 200));
    expect(nodesOf(alice.doc).has("forged")).toBe(false);
    expect(FetchWebSocket.texts).toEqual([]);
    expect(FetchWebSocket.thrown).toEqual([]);
    expect(provider.wsconnected).toBe(true);
    provider.destroy();
    alice.close();
  });
});
