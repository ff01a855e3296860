/**
 * Who a connection may speak for (issue #14), over real sockets: presence is stamped with
 * the user from the token, a connection may only publish or remove its own presence, and
 * only write the doc under its own Yjs client ids (never another connection's, never the
 * gateway's); a leaving client's presence is removed even after the gateway hibernated.
 */
import { env, evictDurableObject } from "cloudflare:test";
import * as encoding from "lib0/encoding";
import { getServerByName } from "partyserver";
import { describe, expect, it } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { GatewayDO } from "../src/gateway-do";
import { nodesOf } from "../src/modules/core-graph";
import { bodiesOf } from "../src/modules/notes";
import { MESSAGE_AWARENESS, updateFrame } from "../src/sync/protocol";
import { orgWithProjects } from "./fixtures";
import { TestClient } from "./yjs-client";

/** An awareness frame claiming `client`'s presence, with `state` (null: "they left"). */
function presenceAs(client: number, state: Record<string, unknown> | null, clock = 1_000_000): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  const awareness = new awarenessProtocol.Awareness(doc);
  clearInterval((awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  awareness.setLocalState(state ?? {});
  awareness.meta.set(client, { clock, lastUpdated: Date.now() });
  if (state === null) awareness.states.delete(client);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [client]));
  awareness.destroy();
  return encoding.toUint8Array(e);
}

/** Waits for every frame sent so far on `client` to have been handled: a JSON ping's pong comes after them. */
async function settled(client: TestClient): Promise<void> {
  const pongs = client.messages.filter((m) => m.type === "pong").length;
  client.ws.send(JSON.stringify({ type: "ping" }));
  await client.until(() => client.messages.filter((m) => m.type === "pong").length > pongs, "pong");
}

/** A doc under someone else's client id, holding what `source` holds, typing into a note. */
function typingAs(client: number, source: Y.Doc, noteId: string): Uint8Array {
  const forged = new Y.Doc();
  Y.applyUpdate(forged, Y.encodeStateAsUpdate(source));
  // After the sync: Yjs picks a new client id when an update brings structs under its own.
  forged.clientID = client;
  const before = Y.encodeStateVector(forged);
  bodiesOf(forged).get(noteId)!.insert(0, "forged ");
  return Y.encodeStateAsUpdate(forged, before);
}

describe("presence", () => {
  it("shows the name and user id from the token, whatever the client claims", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice, "Alice");
    const bob = await TestClient.open(org, projects.a, people.bob, "Bob");
    alice.setPresence({ name: "Bob", userId: people.bob, color: "#123456" });
    await bob.until(() => bob.awareness.getStates().has(alice.doc.clientID), "alice's presence");
    expect(bob.awareness.getStates().get(alice.doc.clientID)).toEqual({ name: "Alice", userId: people.alice, color: "#123456" });
    alice.close();
    bob.close();
  });

  it("refuses presence for another connection's client id, to change it or to remove it", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice, "Alice");
    const bob = await TestClient.open(org, projects.a, people.bob, "Bob");
    const mallory = await TestClient.open(org, projects.a, people.viewer, "Mallory");
    alice.setPresence({ color: "#c2410c", cursor: { x: 1, y: 2 } });
    await bob.until(() => bob.awareness.getStates().get(alice.doc.clientID)?.name === "Alice", "alice's presence");
    for (const state of [{ name: "Alice", color: "#000000" }, null]) {
      mallory.ws.send(presenceAs(alice.doc.clientID, state));
      await settled(mallory);
      expect(mallory.messages.at(-2)).toMatchObject({ type: "error", error: { code: "forbidden_presence" } });
      await settled(bob);
      expect(bob.awareness.getStates().get(alice.doc.clientID)).toEqual({ name: "Alice", userId: people.alice, color: "#c2410c", cursor: { x: 1, y: 2 } });
    }
    for (const c of [alice, bob, mallory]) c.close();
  });

  it("caps the entries of a frame and the client ids of a connection", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    clearInterval((awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
    const many = Array.from({ length: 20_000 }, (_, i) => i + 1);
    for (const id of many) awareness.states.set(id, { name: "x" }), awareness.meta.set(id, { clock: 1, lastUpdated: 0 });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, many));
    alice.ws.send(encoding.toUint8Array(e));
    await settled(alice);
    expect(alice.messages.at(-2)).toMatchObject({ type: "error", error: { code: "invalid_frame" } });
    for (let i = 1; i <= 17; i++) alice.ws.send(presenceAs(900_000 + i, { color: "#111111" }));
    await settled(alice);
    expect(alice.messages.filter((m) => (m.error as { code?: string } | undefined)?.code === "forbidden_presence")).toHaveLength(1);
    awareness.destroy();
    alice.close();
  });

  it("removes a leaving client's presence after the gateway hibernated and forgot it", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice, "Alice");
    const bob = await TestClient.open(org, projects.a, people.bob, "Bob");
    alice.setPresence({ color: "#c2410c" });
    await bob.until(() => bob.awareness.getStates().has(alice.doc.clientID), "alice's presence");
    const stub = (await getServerByName(env.GATEWAY, org)) as DurableObjectStub<GatewayDO>;
    await evictDurableObject(stub, { webSockets: "hibernate" });
    alice.close();
    await bob.until(() => !bob.awareness.getStates().has(alice.doc.clientID), "alice's presence removed");
    bob.close();
  });
});

describe("Yjs client ids", () => {
  it("refuses edits under another connection's client id or the gateway's, and accepts the owner's", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    const mallory = await TestClient.open(org, projects.a, people.bob);
    expect((await alice.event("notes:create", { viewId: "main", text: "mine" })).ok).toBe(true);
    await alice.until(() => nodesOf(alice.doc).size === 1, "the note");
    const noteId = [...nodesOf(alice.doc).keys()][0]!;
    bodiesOf(alice.doc).get(noteId)!.insert(4, "!");
    await settled(alice);
    await mallory.until(() => bodiesOf(mallory.doc).get(noteId)?.toString() === "mine!", "alice's typing");

    const gateway = nodesOf(mallory.doc)._map.get(noteId)!.id.client;
    for (const [client, owner] of [[alice.doc.clientID, "another connection"], [gateway, "the gateway"]] as const) {
      mallory.ws.send(updateFrame(typingAs(client, mallory.doc, noteId)));
      await settled(mallory);
      expect(mallory.messages.at(-2)).toEqual({ type: "rejected-update", reason: `Yjs client ${client} belongs to ${owner}.` });
    }
    // Alice's own id is still hers: she types on.
    bodiesOf(alice.doc).get(noteId)!.insert(0, "still ");
    await mallory.until(() => bodiesOf(mallory.doc).get(noteId)?.toString() === "still mine!", "alice's typing");
    alice.close();
    mallory.close();
  });
});
