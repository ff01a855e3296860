/**
 * A ProjectRoom opened on a compacted project, on a real Durable Object's SQLite: it serves
 * new clients from the stored snapshot without decoding it, and builds the doc when
 * something needs it (or just after, on its own), with the same answers either way.
 */
import { env, runInDurableObject } from "cloudflare:test";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { runEvent } from "../src/events/pipeline";
import { nodesOf } from "../src/modules/core-graph";
import { modules } from "../src/modules/registry";
import { DocStore } from "../src/storage/doc-store";
import { MESSAGE_SYNC, syncStep1, syncStep2, updateFrame } from "../src/sync/protocol";
import { ProjectRoom, type RoomSender } from "../src/sync/project-room";

const actor = { userId: "u1", grants: ["*:*"] };

/** A project doc with `n` notes, as the gateway's reducers make them. */
function projectDoc(n: number): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => modules.forEach((m) => m.seed?.(doc, Date.now())));
  for (let i = 0; i < n; i++) expect(runEvent(doc, { type: "notes:create", requestId: `r${i}`, viewId: "main", x: i, text: `note ${i}` }, actor).ok).toBe(true);
  return doc;
}

class Peer implements RoomSender {
  readonly frames: Uint8Array[] = [];
  readonly userId = "u1";
  readonly name = "Ada";
  clients: number[] = [];
  constructor(readonly id: string) {}
  claim(client: number): void {
    this.clients.push(client);
  }
  send(data: string | Uint8Array): void {
    if (typeof data !== "string") this.frames.push(data);
  }
}

/** Applies the sync frames a peer received to `doc` (as a client would). */
function applyFrames(doc: Y.Doc, frames: Uint8Array[]): void {
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) continue;
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, "server");
  }
}

const emptyStep1 = () => syncStep1(new Y.Doc());

async function inObject<T>(fn: (store: DocStore) => T | Promise<T>): Promise<T> {
  const stub = env.GATEWAY.get(env.GATEWAY.idFromName(crypto.randomUUID()));
  return runInDurableObject(stub, (_instance, state) => fn(new DocStore(state.storage.sql, (f) => state.storage.transactionSync(f))));
}

describe("a room on a compacted project", () => {
  it("serves new clients the stored snapshot byte for byte, without building the doc", async () => {
    await inObject((store) => {
      const original = projectDoc(50);
      store.compact("p", original);
      const peers: Peer[] = [];
      const room = new ProjectRoom("p", store, () => peers);
      const reader = new Peer("reader");
      peers.push(reader);
      room.join(reader);
      expect(reader.frames[0]).toEqual(syncStep1(Y.encodeStateVector(original)));
      expect(room.receive(reader, () => actor, emptyStep1())).toBeNull();
      expect(reader.frames[1]).toEqual(syncStep2(store.read("p").snapshot!));
      // The new client's own (empty) answer does not need the doc either.
      expect(room.receive(reader, () => actor, updateFrame(Y.encodeStateAsUpdate(new Y.Doc())))).toBeNull();
      expect(room.built).toBe(false);
      const client = new Y.Doc();
      applyFrames(client, reader.frames);
      expect(nodesOf(client).size).toBe(50);
      room.unload();
    });
  });

  it("builds the doc for an event, and new clients then get the changed state", async () => {
    await inObject((store) => {
      store.compact("p", projectDoc(5));
      const peers: Peer[] = [];
      const room = new ProjectRoom("p", store, () => peers);
      expect(room.apply((doc) => runEvent(doc, { type: "notes:create", requestId: "after", viewId: "main", text: "after" }, actor)).ok).toBe(true);
      expect(room.built).toBe(true);
      const late = new Peer("late");
      peers.push(late);
      room.join(late);
      room.receive(late, () => actor, emptyStep1());
      const client = new Y.Doc();
      applyFrames(client, late.frames);
      expect(nodesOf(client).size).toBe(6);
      expect(Y.encodeStateVector(client)).toEqual(Y.encodeStateVector(room.doc));
      room.unload();
    });
  });

  it("answers a returning client with only what it lacks", async () => {
    await inObject((store) => {
      const original = projectDoc(5);
      const returning = new Y.Doc();
      Y.applyUpdate(returning, Y.encodeStateAsUpdate(original));
      expect(runEvent(original, { type: "notes:create", requestId: "missed", viewId: "main", text: "missed" }, actor).ok).toBe(true);
      store.compact("p", original);
      const peer = new Peer("returning");
      const room = new ProjectRoom("p", store, () => [peer]);
      room.receive(peer, () => actor, syncStep1(returning));
      const reply = peer.frames.at(-1)!;
      expect(reply.length).toBeLessThan(syncStep2(original).length / 2);
      applyFrames(returning, [reply]);
      expect(nodesOf(returning).size).toBe(6);
      room.unload();
    });
  });

  it("builds the doc on its own once it has sent the snapshot", async () => {
    const built = await inObject(async (store) => {
      store.compact("p", projectDoc(5));
      const reader = new Peer("reader");
      const room = new ProjectRoom("p", store, () => [reader]);
      await new Promise((r) => setTimeout(r, 10));
      room.receive(reader, () => actor, emptyStep1());
      const before = room.built;
      await new Promise((r) => setTimeout(r, 10));
      const after = room.built;
      room.unload();
      return { before, after };
    });
    expect(built).toEqual({ before: false, after: true });
  });
});

