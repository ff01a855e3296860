/**
 * Project docs on the gateway, end to end over real WebSockets speaking the Yjs protocol:
 * sync, events and acks, per-project isolation, editable texts, read-only roles,
 * presence, persistence across a restart, idle unloading, and a fuzz of bad frames.
 */
import { abortAllDurableObjects, env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { getServerByName } from "partyserver";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { GatewayDO } from "../src/gateway-do";
import { nodesOf } from "../src/modules/core-graph";
import { bodiesOf } from "../src/modules/notes";
import { DocStore } from "../src/storage/doc-store";
import { placementKey, placementsOf, viewsOf } from "../src/modules/whiteboard/placements";
import { orgWithProjects } from "./fixtures";
import { nextVersion, pushSnapshot } from "./sockets";
import { TestClient } from "./yjs-client";


function noteIds(client: TestClient): string[] {
  return [...nodesOf(client.doc).values()].filter((n) => n.kind === "note").map((n) => n.id);
}

describe("project docs on the gateway", () => {
  it("syncs a new project's seeded doc and broadcasts acknowledged events to everyone in it", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    const bob = await TestClient.open(org, projects.a, people.bob);
    expect(viewsOf(alice.doc).get("main")?.name).toBe("Board");
    const ack = await alice.event("notes:create", { viewId: "main", x: 10, y: 20, text: "Plan" });
    expect(ack).toEqual({ type: "ack", requestId: ack.requestId, ok: true });
    await bob.until(() => noteIds(bob).length === 1, "bob sees the note");
    await alice.until(() => noteIds(alice).length === 1, "alice sees her own note");
    const id = noteIds(bob)[0]!;
    expect(bodiesOf(bob.doc).get(id)!.toString()).toBe("Plan");
    expect(placementsOf(bob.doc).get(placementKey("main", id))).toMatchObject({ x: 10, y: 20 });
    alice.close();
    bob.close();
  });

  it("never sends a byte of one project to a connection of another", async () => {
    const { org, people, projects } = await orgWithProjects();
    const inA = await TestClient.open(org, projects.a, people.alice);
    const inB = await TestClient.open(org, projects.b, people.bob);
    const framesBefore = inB.frames.length;
    expect((await inA.event("notes:create", { viewId: "main", text: "secret-of-project-a" })).ok).toBe(true);
    const probe = await TestClient.open(org, projects.a, people.owner);
    expect(noteIds(probe)).toHaveLength(1);
    expect((await inB.event("tabs:open", { kind: "view", target: "main", title: "B" })).ok).toBe(true);
    expect(noteIds(inB)).toHaveLength(0);
    const secret = new TextEncoder().encode("secret-of-project-a");
    const leaked = inB.frames.slice(framesBefore).some((f) => Buffer.from(f).includes(Buffer.from(secret)));
    expect(leaked).toBe(false);
    for (const c of [inA, inB, probe]) c.close();
  });

  it("answers a retried request id with the first answer instead of running it twice", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    const event = { type: "notes:create", requestId: "retry-1", viewId: "main", text: "once" };
    alice.ws.send(JSON.stringify({ type: "event", event }));
    alice.ws.send(JSON.stringify({ type: "event", event }));
    await alice.until(() => alice.messages.filter((m) => m.requestId === "retry-1").length === 2, "two acks");
    expect(alice.messages.filter((m) => m.requestId === "retry-1").map((m) => m.ok)).toEqual([true, true]);
    const fresh = await TestClient.open(org, projects.a, people.bob);
    expect(noteIds(fresh)).toHaveLength(1);
    // Another user's request id is theirs alone.
    const bob = await TestClient.open(org, projects.a, people.bob);
    bob.ws.send(JSON.stringify({ type: "event", event }));
    await bob.until(() => bob.messages.some((m) => m.requestId === "retry-1"), "bob's ack");
    await fresh.until(() => noteIds(fresh).length === 2, "bob's note");
    for (const c of [alice, fresh, bob]) c.close();
  });

  it("answers every bad event with an error ack and leaves the doc as it was", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    const before = Y.encodeStateAsUpdate(alice.doc);
    const unknown = await alice.event("nope:nothing");
    expect(unknown.error?.code).toBe("unknown_event");
    const invalid = await alice.event("whiteboard:move", { viewId: "main", moves: [{ nodeId: "x", x: "far" }] });
    expect(invalid.error).toMatchObject({ code: "invalid_payload", fields: { "moves.0.x": expect.any(Array) } });
    const missing = await alice.event("whiteboard:move", { viewId: "main", moves: [{ nodeId: "ghost", x: 1, y: 1 }] });
    expect(missing.error?.code).toBe("not_found");
    alice.ws.send("{not json");
    alice.ws.send(JSON.stringify({ type: "event", event: { type: "notes:create" } }));
    await alice.until(() => alice.messages.filter((m) => m.type === "error" || (m.type === "ack" && m.requestId === null)).length >= 2, "errors for malformed frames");
    const fresh = await TestClient.open(org, projects.a, people.bob);
    expect(Y.encodeStateAsUpdate(fresh.doc)).toEqual(before);
    alice.close();
    fresh.close();
  });

  it("lets permitted clients type into a note together, converging on concurrent edits", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    const bob = await TestClient.open(org, projects.a, people.bob);
    await alice.event("notes:create", { viewId: "main", text: "" });
    await bob.until(() => noteIds(bob).length === 1, "the note reaches bob");
    const id = noteIds(alice)[0]!;
    // Both type at once, neither waiting for the other.
    for (let i = 0; i < 20; i++) {
      bodiesOf(alice.doc).get(id)!.insert(0, "a");
      bodiesOf(bob.doc).get(id)!.insert(bodiesOf(bob.doc).get(id)!.length, "b");
    }
    const text = () => [bodiesOf(alice.doc).get(id)!.toString(), bodiesOf(bob.doc).get(id)!.toString()];
    await alice.until(() => text()[0] === text()[1] && text()[0]!.length === 40, "convergence");
    // Both runs survive whole; which comes first is Yjs's deterministic tie-break.
    expect([`${"a".repeat(20)}${"b".repeat(20)}`, `${"b".repeat(20)}${"a".repeat(20)}`]).toContain(text()[0]);
    const late = await TestClient.open(org, projects.a, people.owner);
    expect(bodiesOf(late.doc).get(id)!.toString()).toBe(text()[0]);
    for (const c of [alice, bob, late]) c.close();
  });

  it("rejects a client's direct write outside editable texts, whole, and tells the sender", async () => {
    const { org, people, projects } = await orgWithProjects();
    const mallory = await TestClient.open(org, projects.a, people.bob);
    await mallory.event("notes:create", { viewId: "main", text: "ok" });
    await mallory.until(() => noteIds(mallory).length === 1, "note");
    const id = noteIds(mallory)[0]!;
    mallory.doc.transact(() => {
      bodiesOf(mallory.doc).get(id)!.insert(0, "sneaky ");
      nodesOf(mallory.doc).set("forged", { id: "forged", kind: "note", createdBy: people.owner, createdAt: 0 });
    });
    await mallory.until(() => mallory.messages.some((m) => m.type === "rejected-update"), "rejection");
    const fresh = await TestClient.open(org, projects.a, people.alice);
    expect(nodesOf(fresh.doc).has("forged")).toBe(false);
    expect(bodiesOf(fresh.doc).get(id)!.toString()).toBe("ok");
    mallory.close();
    fresh.close();
  });

  it("enforces a read-only role: no events, no typing", async () => {
    const { org, people, projects } = await orgWithProjects();
    const admin = await TestClient.open(org, projects.a, people.owner);
    await admin.event("notes:create", { viewId: "main", text: "read me" });
    expect((await admin.event("roles:create-role", { name: "Viewer", permissions: ["*:read"] })).ok).toBe(true);
    const roleId = [...admin.doc.getMap("roles/roles").keys()][0]!;
    expect((await admin.event("roles:assign", { userId: people.viewer, roleIds: [roleId] })).ok).toBe(true);
    const viewer = await TestClient.open(org, projects.a, people.viewer);
    const id = noteIds(viewer)[0]!;
    expect(bodiesOf(viewer.doc).get(id)!.toString()).toBe("read me");
    const refused = await viewer.event("notes:create", { viewId: "main" });
    expect(refused.error).toMatchObject({ code: "forbidden", message: "You lack the permission notes:create." });
    bodiesOf(viewer.doc).get(id)!.insert(0, "vandal ");
    await viewer.until(() => viewer.messages.some((m) => m.type === "rejected-update" && String(m.reason).includes(`notes:[note:${id}]:edit`)), "text rejection");
    const fresh = await TestClient.open(org, projects.a, people.alice);
    expect(bodiesOf(fresh.doc).get(id)!.toString()).toBe("read me");
    for (const c of [admin, viewer, fresh]) c.close();
  });

  it("shares presence and cleans it up when a client leaves", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice, "Alice");
    const bob = await TestClient.open(org, projects.a, people.bob, "Bob");
    alice.setPresence({ name: "Alice", color: "#c2410c", cursor: { x: 5, y: 7 }, view: "main" });
    await bob.until(() => bob.awareness.getStates().get(alice.doc.clientID)?.name === "Alice", "alice's presence at bob");
    expect(bob.awareness.getStates().get(alice.doc.clientID)).toMatchObject({ userId: people.alice, color: "#c2410c", cursor: { x: 5, y: 7 } });
    alice.close();
    await bob.until(() => !bob.awareness.getStates().has(alice.doc.clientID), "alice's presence removed");
    bob.close();
  });

  it("keeps every acknowledged event across an abrupt restart", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    for (let i = 0; i < 25; i++) expect((await alice.event("notes:create", { viewId: "main", x: i * 10, text: `n${i}` })).ok).toBe(true);
    bodiesOf(alice.doc).get(noteIds(alice)[0]!)!.insert(0, "typed ");
    await new Promise((r) => setTimeout(r, 50));
    const expected = noteIds(alice).length;
    await abortAllDurableObjects();
    const after = await TestClient.open(org, projects.a, people.bob);
    expect(noteIds(after)).toHaveLength(expected);
    expect([...bodiesOf(after.doc).values()].map((t) => t.toString())).toContain("typed n0");
    after.close();
  });

  it("serves a compacted project after a restart, then runs events on it", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    for (let i = 0; i < 3; i++) expect((await alice.event("notes:create", { viewId: "main", text: `n${i}` })).ok).toBe(true);
    const stub = (await getServerByName(env.GATEWAY, org)) as DurableObjectStub<GatewayDO>;
    await runInDurableObject(stub, (_instance, state) => {
      const store = new DocStore(state.storage.sql, (f) => state.storage.transactionSync(f));
      store.compact(projects.a, store.load(projects.a).doc);
    });
    alice.close();
    await abortAllDurableObjects();
    const bob = await TestClient.open(org, projects.a, people.bob);
    expect([...bodiesOf(bob.doc).values()].map((t) => t.toString()).sort()).toEqual(["n0", "n1", "n2"]);
    expect((await bob.event("notes:create", { viewId: "main", text: "n3" })).ok).toBe(true);
    const carol = await TestClient.open(org, projects.a, people.viewer);
    expect(noteIds(carol)).toHaveLength(4);
    bob.close();
    carol.close();
  });

  it("keeps its sockets through hibernation and rebuilds the project from storage", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    const bob = await TestClient.open(org, projects.a, people.bob);
    await alice.event("notes:create", { viewId: "main", text: "before sleep" });
    const stub = (await getServerByName(env.GATEWAY, org)) as DurableObjectStub<GatewayDO>;
    await evictDurableObject(stub, { webSockets: "hibernate" });
    // Same sockets, fresh object: the next event loads the doc again and reaches both.
    expect((await alice.event("notes:create", { viewId: "main", text: "after sleep" })).ok).toBe(true);
    await bob.until(() => noteIds(bob).length === 2, "bob sees the note made after hibernation");
    expect([...bodiesOf(bob.doc).values()].map((t) => t.toString()).sort()).toEqual(["after sleep", "before sleep"]);
    alice.close();
    bob.close();
  });

  it("unloads a project nobody uses at the alarm and reloads it on demand", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    await alice.event("notes:create", { viewId: "main", text: "persisted" });
    const stub = (await getServerByName(env.GATEWAY, org)) as DurableObjectStub<GatewayDO>;
    expect(await runInDurableObject(stub, (instance) => instance.loadedProjects())).toEqual([projects.a]);
    alice.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, (instance) => instance.loadedProjects())).toEqual([]);
    // Compacted on the way out, so the next load is served from the snapshot.
    const stored = await runInDurableObject(stub, (_instance, state) => {
      const store = new DocStore(state.storage.sql, (f) => state.storage.transactionSync(f));
      return { pending: store.pending(projects.a), hasVector: store.read(projects.a).stateVector !== null };
    });
    expect(stored).toEqual({ pending: { updates: 0, bytes: 0 }, hasVector: true });
    const again = await TestClient.open(org, projects.a, people.bob);
    expect([...bodiesOf(again.doc).values()].map((t) => t.toString())).toEqual(["persisted"]);
    again.close();
  });
});

describe("periodic work", () => {
  it("drops the custom roles of people who left the organization at the alarm", async () => {
    const { org, people, projects } = await orgWithProjects();
    const admin = await TestClient.open(org, projects.a, people.owner);
    await admin.event("roles:create-role", { name: "Viewer", permissions: ["*:read"] });
    const roleId = [...admin.doc.getMap("roles/roles").keys()][0]!;
    await admin.event("roles:assign", { userId: people.viewer, roleIds: [roleId] });
    await admin.event("roles:assign", { userId: people.bob, roleIds: [roleId] });
    const assignments = () => [...admin.doc.getMap("roles/assignments").keys()].sort();
    await admin.until(() => assignments().length === 2, "assignments");
    const stub = (await getServerByName(env.GATEWAY, org)) as DurableObjectStub<GatewayDO>;
    const current = await runInDurableObject(stub, (instance) => instance.membership());
    expect(await pushSnapshot({ ...current, version: nextVersion(), members: current.members.filter((m) => m.userId !== people.viewer) })).toMatchObject({ applied: true });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await admin.until(() => assignments().length === 1, "the leaver's role dropped");
    expect(assignments()).toEqual([people.bob]);
    admin.close();
  });
});

describe("limits", () => {
  it("refuses events and edits once a project's doc is full, and keeps serving reads", async () => {
    const { org, people, projects } = await orgWithProjects();
    const alice = await TestClient.open(org, projects.a, people.alice);
    const big = "x".repeat(90_000);
    let refused: Awaited<ReturnType<TestClient["event"]>> | undefined;
    for (let i = 0; i < 40 && !refused; i++) {
      const ack = await alice.event("notes:create", { viewId: "main", text: big });
      if (!ack.ok) refused = ack;
    }
    expect(refused?.error).toMatchObject({ code: "doc_too_large", message: "This project is full (2 MB): delete something first." });
    bodiesOf(alice.doc).get(noteIds(alice)[0]!)!.insert(0, "more");
    await alice.until(() => alice.messages.some((m) => m.type === "rejected-update" && String(m.reason).includes("full")), "edit refused");
    const reader = await TestClient.open(org, projects.a, people.bob);
    expect(noteIds(reader).length).toBe(noteIds(alice).length);
    for (const c of [alice, reader]) c.close();
  });

  it("closes a connection that sends a frame over the size limit", async () => {
    const { org, people, projects } = await orgWithProjects();
    const client = await TestClient.open(org, projects.a, people.alice);
    client.ws.send(new Uint8Array(1024 * 1024 + 1));
    await client.until(() => client.closedWith !== null, "close");
    expect(client.closedWith).toEqual({ code: 1009, reason: "frames are limited to 1048576 bytes" });
  });

  it("answers a burst of events beyond the budget with rate_limited, then closes if it goes on", async () => {
    const { org, people, projects } = await orgWithProjects();
    const client = await TestClient.open(org, projects.a, people.alice);
    for (let i = 0; i < 60; i++) client.ws.send(JSON.stringify({ type: "event", event: { type: "tabs:open", requestId: `burst-${i}`, kind: "view", target: "main", title: `T${i}` } }));
    await client.until(() => client.messages.filter((m) => m.type === "ack").length === 60, "60 acks");
    const acks = client.messages.filter((m) => m.type === "ack") as { ok: boolean; error?: { code: string } }[];
    expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(40);
    expect(acks.filter((a) => !a.ok).every((a) => a.error?.code === "rate_limited")).toBe(true);
    expect(acks.some((a) => !a.ok)).toBe(true);
    for (let i = 0; i < 200 && !client.closedWith; i++) client.ws.send(JSON.stringify({ type: "event", event: { type: "tabs:open", requestId: `more-${i}`, kind: "view", target: "main", title: "x" } }));
    await client.until(() => client.closedWith !== null, "close after persistent excess");
    expect(client.closedWith).toEqual({ code: 4029, reason: "too many events: slow down and reconnect" });
    const other = await TestClient.open(org, projects.a, people.bob);
    expect((await other.event("tabs:open", { kind: "view", target: "main", title: "still served" })).ok).toBe(true);
    other.close();
  });
});

/** Deterministic pseudo-random numbers, so a failing fuzz run can be replayed. */
function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

describe("fuzz", () => {
  it("survives 1,000 random and mutated frames: the doc stays intact and the gateway keeps serving", async () => {
    const { org, people, projects } = await orgWithProjects();
    const honest = await TestClient.open(org, projects.a, people.alice);
    await honest.event("notes:create", { viewId: "main", text: "keep me" });
    const rand = random(42);
    const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)]!;
    // Seeds to mutate: valid frames of every kind.
    const donor = new Y.Doc();
    const validUpdate = (() => {
      let u: Uint8Array = new Uint8Array(0);
      donor.on("update", (x: Uint8Array) => (u = x));
      donor.getMap("core-graph/nodes").set("fuzz", { id: "fuzz", kind: "note" });
      return u;
    })();
    const seeds: (string | Uint8Array)[] = [
      JSON.stringify({ type: "event", event: { type: "notes:create", requestId: "f", viewId: "main", text: "x" } }),
      JSON.stringify({ type: "event", event: { type: "whiteboard:move", requestId: "f", viewId: "main", moves: [{ nodeId: "n", x: 1, y: 2 }] } }),
      JSON.stringify({ type: "ping" }),
      Uint8Array.from([0, 2, validUpdate.length, ...validUpdate]) as Uint8Array,
      new Uint8Array([1, 3, 1, 2, 3]),
      new Uint8Array([0, 0, 1, 0]),
    ];
    const mutate = (seed: string | Uint8Array): string | Uint8Array => {
      if (typeof seed === "string") {
        const chars = [...seed];
        const n = 1 + Math.floor(rand() * 4);
        for (let i = 0; i < n; i++) chars[Math.floor(rand() * chars.length)] = String.fromCharCode(32 + Math.floor(rand() * 90));
        return rand() < 0.2 ? chars.join("").slice(0, Math.floor(rand() * chars.length)) : chars.join("");
      }
      const bytes = new Uint8Array(seed);
      for (let i = 0; i < 1 + Math.floor(rand() * 3); i++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      return rand() < 0.2 ? bytes.slice(0, Math.floor(rand() * bytes.length)) : bytes;
    };
    const noise = (): Uint8Array => Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));

    // Several connections, so the per-connection event budget is not what stops the fuzz.
    let attackers = await Promise.all(Array.from({ length: 5 }, () => TestClient.open(org, projects.a, people.bob)));
    for (let i = 0; i < 1000; i++) {
      attackers = await Promise.all(attackers.map(async (c) => (c.closedWith || c.ws.readyState !== WebSocket.OPEN ? TestClient.open(org, projects.a, people.bob) : c)));
      const frame = rand() < 0.25 ? noise() : mutate(pick(seeds));
      pick(attackers).ws.send(frame);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    // Still serving: the honest client gets acks, and a fresh client syncs an intact doc.
    expect((await honest.event("notes:create", { viewId: "main", text: "after the storm" })).ok).toBe(true);
    const fresh = await TestClient.open(org, projects.a, people.owner);
    const bodies = [...bodiesOf(fresh.doc).values()].map((t) => t.toString());
    expect(bodies).toEqual(expect.arrayContaining(["keep me", "after the storm"]));
    expect(nodesOf(fresh.doc).has("fuzz")).toBe(false);
    // Every node has a consistent kind, and every note its body.
    for (const node of nodesOf(fresh.doc).values()) {
      expect(["note", "chat", "group"]).toContain(node.kind);
      if (node.kind === "note") expect(bodiesOf(fresh.doc).has(node.id)).toBe(true);
    }
    await abortAllDurableObjects();
    const reloaded = await TestClient.open(org, projects.a, people.owner);
    expect(Y.encodeStateVector(reloaded.doc)).toEqual(Y.encodeStateVector(fresh.doc));
    for (const c of [honest, fresh, reloaded, ...attackers]) c.close();
  }, 60_000);
});
