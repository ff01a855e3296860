import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { syncStep1, syncStep2 } from "../../gateway-do/src/sync/protocol";
import { GatewayProvider, type SocketLike } from "../src/gateway/provider";

/** A socket the test drives: it records what the provider sends and plays the gateway's part. */
class FakeSocket implements SocketLike {
  binaryType: BinaryType = "blob";
  readyState = 0;
  sent: (string | Uint8Array)[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string | Uint8Array) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  receive(data: Uint8Array | string) {
    const payload = typeof data === "string" ? data : (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
    this.onmessage?.(new MessageEvent("message", { data: payload }));
  }
  drop(code: number, reason = "") {
    this.readyState = 3;
    this.onclose?.(new CloseEvent("close", { code, reason }));
  }
}

const server = new Y.Doc();
server.getMap("notes/bodies").set("n1", new Y.Text("hello"));

/** A browser network the test switches off and on. */
class FakeNetwork extends EventTarget {
  onLine = true;
  set(onLine: boolean) {
    this.onLine = onLine;
    this.dispatchEvent(new Event(onLine ? "online" : "offline"));
  }
}

function setup(options: { heartbeat?: { intervalMs: number; timeoutMs: number }; network?: FakeNetwork } = {}) {
  const sockets: FakeSocket[] = [];
  let tokens = 0;
  const fetchTicket = vi.fn(async () => ({ url: "ws://kiln.test/gw/o/projects/p/ws", token: `token-${++tokens}`, expiresAt: "" }));
  const provider = new GatewayProvider({
    org: "o",
    project: "p",
    fetchTicket,
    network: null,
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    backoff: { minMs: 100, maxMs: 1000 },
    ...options,
  });
  return { provider, sockets, fetchTicket };
}

/** Waits for the provider's async ticket fetch to open the next socket. */
async function nextSocket(sockets: FakeSocket[], count: number): Promise<FakeSocket> {
  await vi.waitFor(() => expect(sockets).toHaveLength(count));
  return sockets[count - 1]!;
}

/** Opens the socket and plays the gateway's side of the handshake. */
function handshake(socket: FakeSocket) {
  socket.open();
  socket.receive(syncStep1(server));
  socket.receive(syncStep2(server));
}

/** Applies a sync reply the provider sent (as the gateway would). */
function applyToServer(frame: string | Uint8Array) {
  if (typeof frame !== "string") applyFrame(server, frame);
}

/** Applies a sync frame to `doc` (as the gateway would). */
function applyFrame(doc: Y.Doc, frame: Uint8Array) {
  const decoder = decoding.createDecoder(frame);
  if (decoding.readVarUint(decoder) !== 0) return;
  syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, "client");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("GatewayProvider", () => {
  it("connects with a token, syncs, and goes online", async () => {
    const { provider, sockets } = setup();
    expect(provider.status).toBe("connecting");
    const socket = await nextSocket(sockets, 1);
    // json=1: the gateway sends its JSON messages (acks) only to clients that ask.
    expect(socket.url).toBe("ws://kiln.test/gw/o/projects/p/ws?token=token-1&json=1");
    expect(socket.binaryType).toBe("arraybuffer");
    handshake(socket);
    expect(provider.status).toBe("online");
    expect(provider.doc.getMap<Y.Text>("notes/bodies").get("n1")?.toString()).toBe("hello");
    provider.destroy();
  });

  it("fetches a fresh token and reconnects at once when the gateway refuses the token (4001)", async () => {
    const { provider, sockets, fetchTicket } = setup();
    handshake(await nextSocket(sockets, 1));
    sockets[0]!.drop(4001, "token expired");
    expect(provider.status).toBe("offline");
    const second = await nextSocket(sockets, 2);
    expect(fetchTicket).toHaveBeenCalledTimes(2);
    expect(second.url).toContain("token=token-2");
    handshake(second);
    expect(provider.status).toBe("online");
    provider.destroy();
  });

  it("backs off after a dropped connection, with a fresh token each attempt, and keeps offline typing", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { provider, sockets, fetchTicket } = setup();
    handshake(await nextSocket(sockets, 1));
    sockets[0]!.drop(1006);
    expect(provider.status).toBe("offline");
    // Typed while offline: stays in the doc, nothing is sent on a closed socket.
    const sentBefore = sockets[0]!.sent.length;
    provider.doc.getMap<Y.Text>("notes/bodies").get("n1")!.insert(5, " world");
    expect(sockets[0]!.sent.length).toBe(sentBefore);
    expect(sockets).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(200); // the first backoff (100 ms ± jitter)
    const second = await nextSocket(sockets, 2);
    expect(fetchTicket).toHaveBeenCalledTimes(2);
    expect(second.url).toContain("token=token-2");
    second.drop(1006); // and again: a longer wait
    await vi.advanceTimersByTimeAsync(120);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(200);
    const third = await nextSocket(sockets, 3);
    expect(third.url).toContain("token=token-3");

    // The gateway asks for what it lacks; the reply carries the offline edit.
    third.open();
    third.receive(syncStep1(server));
    third.sent.forEach(applyToServer);
    expect(server.getMap<Y.Text>("notes/bodies").get("n1")?.toString()).toBe("hello world");
    provider.destroy();
  });

  it("stops and says why when access is denied (4003)", async () => {
    const { provider, sockets } = setup();
    const notices: string[] = [];
    provider.on("notice", (n) => notices.push(n.message));
    handshake(await nextSocket(sockets, 1));
    sockets[0]!.drop(4003, "You are no longer a member of this organization.");
    expect(provider.status).toBe("denied");
    expect(provider.deniedReason).toBe("You are no longer a member of this organization.");
    expect(notices).toEqual(["You are no longer a member of this organization."]);
    await new Promise((r) => setTimeout(r, 50));
    expect(sockets).toHaveLength(1);
    provider.destroy();
  });

  it("resolves events with their acks, and refuses them offline, unsent", async () => {
    const { provider, sockets } = setup();
    const offline = await provider.sendEvent({ type: "notes:create" });
    expect(offline).toMatchObject({ ok: false, error: { code: "offline" } });
    const socket = await nextSocket(sockets, 1);
    handshake(socket);

    const pending = provider.sendEvent({ type: "notes:create", viewId: "main" });
    const sent = JSON.parse(socket.sent.at(-1) as string) as { type: string; event: { type: string; requestId: string; viewId: string } };
    expect(sent).toMatchObject({ type: "event", event: { type: "notes:create", viewId: "main" } });
    socket.receive(JSON.stringify({ type: "ack", requestId: sent.event.requestId, ok: false, error: { code: "forbidden", message: "You lack the permission notes:create." } }));
    expect(await pending).toEqual({ requestId: sent.event.requestId, ok: false, error: { code: "forbidden", message: "You lack the permission notes:create." } });
    provider.destroy();
  });

  it("never reports an unanswered event undone: it waits, and is sent again under its request id once synced", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { provider, sockets } = setup();
    handshake(await nextSocket(sockets, 1));
    const waiting: number[] = [];
    provider.on("waiting", (n) => waiting.push(n));
    let answer: unknown = null;
    void provider.sendEvent({ type: "notes:create", viewId: "main" }).then((ack) => (answer = ack));
    const first = JSON.parse(sockets[0]!.sent.at(-1) as string) as { event: { requestId: string } };
    expect(provider.waiting).toBe(1);
    // The link drops before the answer: the gateway may have run it. Nothing is said undone.
    sockets[0]!.drop(1006);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(answer).toBeNull();
    expect(provider.waiting).toBe(1);
    // Back: after the sync, the same frame goes again, with the same request id.
    const second = await nextSocket(sockets, 2);
    handshake(second);
    const again = second.sent.filter((f): f is string => typeof f === "string" && f.startsWith("{")).map((f) => JSON.parse(f) as { event: { requestId: string } });
    expect(again.map((m) => m.event.requestId)).toEqual([first.event.requestId]);
    // The gateway ran it the first time and answers the retry from its log: the truth.
    second.receive(JSON.stringify({ type: "ack", requestId: first.event.requestId, ok: true }));
    await vi.advanceTimersByTimeAsync(0);
    expect(answer).toEqual({ requestId: first.event.requestId, ok: true });
    expect(provider.waiting).toBe(0);
    expect(waiting).toEqual([1, 0]);
    provider.destroy();
  });

  it("notices a silent link by its heartbeat: no answer to a ping and it goes offline and reconnects", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { provider, sockets } = setup({ heartbeat: { intervalMs: 1_000, timeoutMs: 500 } });
    const socket = await nextSocket(sockets, 1);
    handshake(socket);
    // The gateway answers the first ping: still online.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(socket.sent.at(-1)).toBe("ping");
    socket.receive(JSON.stringify({ type: "pong", org: "o", connections: 1 }));
    await vi.advanceTimersByTimeAsync(600);
    expect(provider.status).toBe("online");
    // Then silence (the browser still calls the socket open): offline within interval + timeout.
    await vi.advanceTimersByTimeAsync(900);
    expect(provider.status).toBe("offline");
    expect(socket.readyState).toBe(3);
    await vi.advanceTimersByTimeAsync(200);
    handshake(await nextSocket(sockets, 2));
    expect(provider.status).toBe("online");
    provider.destroy();
  });

  it("starts again on a socket that answers pings but never synced (its sync reply was lost)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { provider, sockets } = setup({ heartbeat: { intervalMs: 1_000, timeoutMs: 500 } });
    const socket = await nextSocket(sockets, 1);
    socket.open();
    for (let beat = 0; beat < 3; beat++) {
      await vi.advanceTimersByTimeAsync(1_000);
      socket.receive(JSON.stringify({ type: "pong", org: "o", connections: 1 }));
    }
    expect(socket.readyState).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(socket.readyState).toBe(3);
    await vi.advanceTimersByTimeAsync(200);
    handshake(await nextSocket(sockets, 2));
    expect(provider.status).toBe("online");
    provider.destroy();
  });

  it("goes offline at once when the browser does, refuses events meanwhile, and reconnects when it is back", async () => {
    const network = new FakeNetwork();
    const { provider, sockets } = setup({ network });
    handshake(await nextSocket(sockets, 1));
    network.set(false);
    expect(provider.status).toBe("offline");
    expect(await provider.sendEvent({ type: "notes:create" })).toMatchObject({ ok: false, error: { code: "offline", message: "You are offline: the change was not sent." } });
    await new Promise((r) => setTimeout(r, 300));
    expect(sockets).toHaveLength(1); // no attempt while the browser is offline
    network.set(true);
    handshake(await nextSocket(sockets, 2));
    expect(provider.status).toBe("online");
    provider.destroy();
  });

  it("reloads the doc when the gateway rejects an edit", async () => {
    const { provider, sockets } = setup();
    const socket = await nextSocket(sockets, 1);
    handshake(socket);
    const docs: Y.Doc[] = [];
    provider.on("doc", (doc) => docs.push(doc));
    const old = provider.doc;
    old.getMap("core-graph/nodes").set("forged", { id: "forged" });
    socket.receive(JSON.stringify({ type: "rejected-update", reason: "Only note bodies may be edited directly." }));
    expect(docs).toHaveLength(1);
    expect(provider.doc).not.toBe(old);
    socket.receive(syncStep2(server));
    expect(provider.doc.getMap("core-graph/nodes").has("forged")).toBe(false);
    expect(provider.doc.getMap<Y.Text>("notes/bodies").get("n1")).toBeDefined();
    provider.destroy();
  });

  it("keeps note text typed before a refused edit, and sends it again after the resync", async () => {
    const { provider, sockets } = setup();
    const socket = await nextSocket(sockets, 1);
    handshake(socket);
    const notices: string[] = [];
    provider.on("notice", (n) => notices.push(n.message));
    const base = server.getMap<Y.Text>("notes/bodies").get("n1")!.toString();
    provider.doc.getMap<Y.Text>("notes/bodies").get("n1")!.insert(0, "typed: ");
    socket.receive(JSON.stringify({ type: "rejected-update", reason: "The project is full." }));
    const sentBefore = socket.sent.length;
    socket.receive(syncStep2(server));
    expect(provider.doc.getMap<Y.Text>("notes/bodies").get("n1")!.toString()).toBe(`typed: ${base}`);
    // Sent on as an update the gateway can take: it applies to the gateway's state.
    const resent = socket.sent.slice(sentBefore).filter((f): f is Uint8Array => typeof f !== "string");
    const gateway = new Y.Doc();
    Y.applyUpdate(gateway, Y.encodeStateAsUpdate(server));
    for (const frame of resent) applyFrame(gateway, frame);
    expect(gateway.getMap<Y.Text>("notes/bodies").get("n1")!.toString()).toBe(`typed: ${base}`);
    expect(notices.at(-1)).toMatch(/unsent note text was kept/);
    provider.destroy();
  });

  it("names the note text it could not keep when the note is gone after a resync", async () => {
    const { provider, sockets } = setup();
    const socket = await nextSocket(sockets, 1);
    handshake(socket);
    const notices: string[] = [];
    provider.on("notice", (n) => notices.push(n.message));
    provider.doc.getMap<Y.Text>("notes/bodies").get("n1")!.insert(0, "my draft: ");
    socket.receive(JSON.stringify({ type: "rejected-update", reason: "This update writes outside the texts you may edit." }));
    const gone = new Y.Doc();
    Y.applyUpdate(gone, Y.encodeStateAsUpdate(server));
    gone.getMap("notes/bodies").delete("n1");
    socket.receive(syncStep2(gone));
    expect(provider.doc.getMap("notes/bodies").has("n1")).toBe(false);
    expect(notices.at(-1)).toContain(`my draft: ${server.getMap<Y.Text>("notes/bodies").get("n1")!.toString()}`);
    provider.destroy();
  });
});
