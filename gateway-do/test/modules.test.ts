/** The modules' events through the pipeline, on a plain Y.Doc: no Durable Object needed. */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { runEvent, type EventOutcome } from "../src/events/pipeline";
import { chatsOf, messagesOf, readMarkersOf } from "../src/modules/chats";
import { edgesOf, nodesOf } from "../src/modules/core-graph";
import type { Actor } from "../src/modules/kit";
import { bodiesOf } from "../src/modules/notes";
import { eventSpecs, modules } from "../src/modules/registry";
import { customGrants } from "../src/modules/roles";
import { activeTabsOf, ownTabBarsOf, tabsFor, tabsOf } from "../src/modules/tabs";
import { absolutePosition, placementKey, placementsOf, shapesOf, viewsOf, zRange } from "../src/modules/whiteboard/placements";
import { grantsFor } from "../src/permissions/roles";

const admin: Actor = { userId: "admin", grants: ["*:*"] };
const member: Actor = { userId: "member", grants: grantsFor({ userId: "member", orgRole: "member", projectRole: "member", customGrants: [], hasCustomRoles: false }, "members") };
const other: Actor = { ...member, userId: "other" };
const viewer: Actor = { userId: "viewer", grants: ["*:read"] };
const nobody: Actor = { userId: "nobody", grants: [] };

function project(): Y.Doc {
  const doc = new Y.Doc();
  for (const m of modules) m.seed?.(doc, 0);
  return doc;
}

let counter = 0;
function run(doc: Y.Doc, actor: Actor, type: string, payload: Record<string, unknown> = {}): EventOutcome {
  return runEvent(doc, { type, requestId: `r${++counter}`, ...payload }, actor, { newId: () => `id${++counter}` });
}

function ok(outcome: EventOutcome): Extract<EventOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`${outcome.type} refused: ${outcome.error.code} ${outcome.error.message}`);
  return outcome;
}

function createNote(doc: Y.Doc, actor = member, x = 0, y = 0): string {
  ok(run(doc, actor, "notes:create", { viewId: "main", x, y, text: "hello" }));
  return [...nodesOf(doc).keys()].at(-1)!;
}

const state = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc);

describe("the pipeline", () => {
  it("hands back the follow-up events a reducer emits, for the gateway to run after the commit", async () => {
    const { z } = await import("zod");
    const { defineEvent } = await import("../src/modules/kit");
    const specs = new Map([
      ["test:ping", defineEvent({ schema: z.object({}), permission: () => "test:ping", reduce: (ctx) => (ctx.emit({ type: "test:pong", n: 1 }), () => ctx.doc.getMap("test").set("pinged", true)) })],
    ]);
    const doc = new Y.Doc();
    const outcome = runEvent(doc, { type: "test:ping", requestId: "r" }, admin, { specs });
    expect(outcome.ok && outcome.followUps).toEqual([{ type: "test:pong", n: 1 }]);
    expect(doc.getMap("test").get("pinged")).toBe(true);
  });

  it("refuses malformed envelopes, unknown types and bad payloads, naming the fields, and changes nothing", () => {
    const doc = project();
    const before = state(doc);
    for (const raw of [null, "x", 42, [], {}, { type: "notes:create" }, { type: "Notes Create", requestId: "r" }, { type: "notes:create", requestId: "" }]) {
      const outcome = runEvent(doc, raw, admin);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error.code).toBe("invalid_event");
    }
    const unknown = run(doc, admin, "nope:nothing");
    expect(!unknown.ok && unknown.error.code).toBe("unknown_event");
    const bad = run(doc, admin, "notes:create", { viewId: "main", x: "left", extra: true });
    expect(!bad.ok && bad.error).toMatchObject({ code: "invalid_payload" });
    expect(!bad.ok && Object.keys(bad.error.fields ?? {}).sort()).toEqual(["", "x"].map((k) => k || "event").sort());
    expect(state(doc)).toEqual(before);
  });

  it("checks the permission before the reducer runs", () => {
    const doc = project();
    const before = state(doc);
    const refused = run(doc, viewer, "notes:create", { viewId: "main" });
    expect(!refused.ok && refused.error).toMatchObject({ code: "forbidden", message: "You lack the permission notes:create." });
    expect(state(doc)).toEqual(before);
  });

  it("writes nothing when a reducer refuses", () => {
    const doc = project();
    createNote(doc);
    const before = state(doc);
    const refused = run(doc, member, "whiteboard:move", { viewId: "main", moves: [{ nodeId: [...nodesOf(doc).keys()][0], x: 1, y: 1 }, { nodeId: "ghost", x: 2, y: 2 }] });
    expect(!refused.ok && refused.error.code).toBe("not_found");
    expect(state(doc)).toEqual(before);
  });

  it("returns the update of the transaction, which rebuilds the change elsewhere", () => {
    const doc = project();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, state(doc));
    const outcome = ok(run(doc, member, "notes:create", { viewId: "main", text: "synced" }));
    Y.applyUpdate(replica, outcome.update!);
    const id = [...nodesOf(replica).keys()][0]!;
    expect(bodiesOf(replica).get(id)!.toString()).toBe("synced");
  });
});

/** One valid payload per event type, given a project with a note `n`, a chat and so on. */
function samplePayloads(doc: Y.Doc): Record<string, Record<string, unknown>> {
  const n = createNote(doc, admin);
  const n2 = createNote(doc, admin, 400, 0);
  ok(run(doc, admin, "chats:create", { title: "Talk" }));
  const chatId = [...chatsOf(doc).keys()][0]!;
  ok(run(doc, admin, "chats:send", { chatId, text: "hi" }));
  const messageId = [...messagesOf(doc).keys()][0]!;
  ok(run(doc, admin, "tabs:open", { kind: "view", target: "main", title: "Board" }));
  // The admin's own tab (tabs are each person's own since they first change their bar).
  const tabId = tabsFor(doc, admin.userId).find((t) => t.title === "Board")!.id;
  ok(run(doc, admin, "roles:create-role", { name: "Viewer", permissions: ["*:read"] }));
  ok(run(doc, admin, "whiteboard:create-shape", { viewId: "main", kind: "rectangle", x: 0, y: 0, width: 50, height: 50 }));
  ok(run(doc, admin, "core-graph:connect", { from: n, to: n2, kind: "references" }));
  const edgeId = [...edgesOf(doc).keys()][0]!;
  ok(run(doc, admin, "whiteboard:create-view", { name: "Spare" }));
  const spareView = [...viewsOf(doc).keys()].find((id) => id !== "main")!;
  ok(run(doc, admin, "whiteboard:group", { viewId: "main", nodeIds: [n, n2] }));
  const groupId = [...nodesOf(doc).values()].find((node) => node.kind === "group")!.id;
  return {
    "core-graph:connect": { from: n, to: n2, kind: "depends-on" },
    "core-graph:disconnect": { edgeId },
    "core-graph:update-edge": { edgeId, label: "calls" },
    "core-graph:delete-nodes": { nodeIds: [n2] },
    "whiteboard:create-view": { name: "Second" },
    "whiteboard:rename-view": { viewId: "main", name: "Renamed" },
    "whiteboard:delete-view": { viewId: spareView },
    "whiteboard:place": { viewId: spareView, nodeId: n, x: 0, y: 0 },
    "whiteboard:move": { viewId: "main", moves: [{ nodeId: n, x: 5, y: 5 }] },
    "whiteboard:resize": { viewId: "main", nodeId: n, width: 300, height: 200 },
    "whiteboard:arrange": { viewId: "main", nodeIds: [n], to: "front" },
    "whiteboard:restack": { viewId: "main", nodes: [{ id: n, z: -5 }] },
    "whiteboard:set-locked": { viewId: "main", nodeIds: [n], value: true },
    "whiteboard:set-hidden": { viewId: "main", nodeIds: [n], value: true },
    "whiteboard:group": { viewId: "main", nodeIds: [n, n2] },
    "whiteboard:ungroup": { viewId: "main", groupId },
    "whiteboard:rename-group": { groupId, name: "Team A" },
    "whiteboard:set-style": { viewId: "main", items: [{ kind: "node", id: n }], style: { fill: "#bfdbfe" } },
    "whiteboard:create-shape": { viewId: "main", kind: "ellipse", x: 0, y: 0, width: 40, height: 40 },
    "whiteboard:create-frame": { viewId: "main", x: 0, y: 0, width: 400, height: 300, name: "Plan" },
    "whiteboard:set-frame": { viewId: "main", frameId: null, shapes: [{ id: [...shapesOf(doc).keys()][0], x: 10, y: 10 }] },
    "whiteboard:update-shape": { shapeId: [...shapesOf(doc).keys()][0], text: "label" },
    "whiteboard:delete-shapes": { shapeIds: [...shapesOf(doc).keys()] },
    "notes:create": { viewId: "main" },
    "chats:create": { title: "Another" },
    "chats:send": { chatId, text: "hello" },
    "chats:edit-message": { messageId, text: "edited" },
    "chats:delete-message": { messageId },
    "chats:mark-read": { chatId, messageId },
    "chats:resolve": { chatId, resolved: true },
    "chats:anchor": { chatId, anchorNodeId: n },
    "tabs:open": { kind: "view", target: "main", title: "Again" },
    "tabs:rename": { tabId, title: "Renamed" },
    "tabs:close": { tabId },
    "tabs:reorder": { tabIds: tabsFor(doc, admin.userId).map((t) => t.id).reverse() },
    "tabs:activate": { tabId },
    "roles:create-role": { name: "Editor", permissions: ["notes:edit"] },
    "roles:update-role": { roleId: [...customRoles(doc)][0], name: "Reader" },
    "roles:delete-role": { roleId: [...customRoles(doc)][0] },
    "roles:assign": { userId: "member", roleIds: [...customRoles(doc)] },
  };
}

function customRoles(doc: Y.Doc): string[] {
  return [...doc.getMap("roles/roles").keys()];
}

describe("every module's events", () => {
  it("are refused to an actor without permissions and reach the reducer for one with them", () => {
    const fixtures = samplePayloads(project());
    // A module with private tables runs its events on the gateway only, where its own test covers
    // them (user-containers.test.ts): this pure run has a doc and no gateway.
    const onGatewayOnly = new Set(modules.filter((m) => m.storage).map((m) => m.name));
    const pure = [...eventSpecs.keys()].filter((type) => !onGatewayOnly.has(type.slice(0, type.indexOf(":"))));
    expect(onGatewayOnly.has("user-containers")).toBe(true);
    expect(Object.keys(fixtures).sort()).toEqual(pure.sort());
    for (const [type] of Object.entries(fixtures)) {
      const doc = project();
      const payload = samplePayloads(doc)[type]!;
      const denied = run(doc, nobody, type, payload);
      expect(!denied.ok && denied.error.code, type).toBe("forbidden");
      // Each sample is a real change: the reducer must carry it out, not merely get past the permission.
      const allowed = run(doc, admin, type, payload);
      expect(allowed.ok ? "ok" : `${allowed.error.code}: ${allowed.error.message}`, type).toBe("ok");
      expect(allowed.ok && allowed.update, `${type} changed nothing`).toBeTruthy();
    }
  });

  it("keep role management for admins", () => {
    const doc = project();
    const refused = run(doc, member, "roles:create-role", { name: "Sneaky", permissions: ["*:*"] });
    expect(!refused.ok && refused.error.code).toBe("forbidden");
    ok(run(doc, admin, "roles:create-role", { name: "Viewer", permissions: ["*:read"] }));
    ok(run(doc, admin, "roles:assign", { userId: "u1", roleIds: customRoles(doc) }));
    expect(customGrants(doc, "u1")).toEqual({ grants: ["*:read"], hasCustomRoles: true });
    const badPermission = run(doc, admin, "roles:create-role", { name: "Bad", permissions: ["everything"] });
    expect(!badPermission.ok && badPermission.error.code).toBe("invalid_payload");
  });
});

describe("core-graph", () => {
  it("connects nodes with typed edges and drops a deleted node's edges, body and placements", () => {
    const doc = project();
    const a = createNote(doc);
    const b = createNote(doc);
    ok(run(doc, member, "core-graph:connect", { from: a, to: b, kind: "depends-on" }));
    expect([...edgesOf(doc).values()]).toMatchObject([{ from: a, to: b, kind: "depends-on", createdBy: "member" }]);
    const again = run(doc, member, "core-graph:connect", { from: a, to: b, kind: "depends-on" });
    expect(!again.ok && again.error.code).toBe("conflict");
    ok(run(doc, member, "core-graph:delete-nodes", { nodeIds: [b] }));
    expect(edgesOf(doc).size).toBe(0);
    expect(bodiesOf(doc).has(b)).toBe(false);
    expect(placementsOf(doc).has(placementKey("main", b))).toBe(false);
    expect(nodesOf(doc).has(a)).toBe(true);
  });
});

describe("client-chosen ids", () => {
  it("create notes, shapes, edges and groups under the id the client chose, once", () => {
    const doc = project();
    ok(run(doc, member, "notes:create", { id: "note-a", viewId: "main", text: "first" }));
    ok(run(doc, member, "notes:create", { id: "note-b", viewId: "main", x: 400 }));
    expect(nodesOf(doc).get("note-a")).toMatchObject({ id: "note-a", kind: "note", createdBy: "member" });
    expect(bodiesOf(doc).get("note-a")!.toString()).toBe("first");
    const taken = run(doc, other, "notes:create", { id: "note-a", viewId: "main", text: "overwrite" });
    expect(!taken.ok && taken.error.code).toBe("conflict");
    expect(bodiesOf(doc).get("note-a")!.toString()).toBe("first");
    const bad = run(doc, member, "notes:create", { id: "no spaces/slashes", viewId: "main" });
    expect(!bad.ok && bad.error.code).toBe("invalid_payload");

    ok(run(doc, member, "core-graph:connect", { id: "edge-1", from: "note-a", to: "note-b", kind: "references" }));
    expect(edgesOf(doc).get("edge-1")).toMatchObject({ from: "note-a", to: "note-b" });
    const edgeTaken = run(doc, member, "core-graph:connect", { id: "edge-1", from: "note-b", to: "note-a", kind: "references" });
    expect(!edgeTaken.ok && edgeTaken.error.code).toBe("conflict");

    ok(run(doc, member, "whiteboard:create-shape", { id: "shape-1", viewId: "main", kind: "text", x: 0, y: 0, width: 100, height: 30, text: "Label" }));
    expect(shapesOf(doc).get("shape-1")).toEqual({ id: "shape-1", viewId: "main", kind: "text", x: 0, y: 0, width: 100, height: 30, z: expect.any(Number), text: "Label", color: "#57534e", locked: false });
    const shapeTaken = run(doc, member, "whiteboard:create-shape", { id: "shape-1", viewId: "main", kind: "ellipse", x: 0, y: 0, width: 100, height: 30 });
    expect(!shapeTaken.ok && shapeTaken.error.code).toBe("conflict");

    ok(run(doc, member, "whiteboard:group", { viewId: "main", nodeIds: ["note-a"], groupId: "group-1" }));
    expect(placementsOf(doc).get(placementKey("main", "note-a"))!.parent).toBe("group-1");
    const groupTaken = run(doc, member, "whiteboard:group", { viewId: "main", nodeIds: ["note-b"], groupId: "note-a" });
    expect(!groupTaken.ok && groupTaken.error.code).toBe("conflict");
  });

  it("bring a deleted note back as itself, with its edges and its chat re-anchored", () => {
    const doc = project();
    ok(run(doc, member, "notes:create", { id: "keep", viewId: "main" }));
    ok(run(doc, member, "notes:create", { id: "gone", viewId: "main", x: 300, y: 40, text: "body" }));
    ok(run(doc, member, "core-graph:connect", { id: "e1", from: "keep", to: "gone", kind: "depends-on" }));
    ok(run(doc, member, "chats:create", { title: "About it", anchorNodeId: "gone" }));
    const chatId = [...chatsOf(doc).keys()][0]!;
    ok(run(doc, member, "core-graph:delete-nodes", { nodeIds: ["gone"] }));
    expect(chatsOf(doc).get(chatId)!.anchorNodeId).toBeNull();
    ok(run(doc, member, "notes:create", { id: "gone", viewId: "main", x: 300, y: 40, text: "body" }));
    ok(run(doc, member, "core-graph:connect", { id: "e1", from: "keep", to: "gone", kind: "depends-on" }));
    ok(run(doc, member, "chats:anchor", { chatId, anchorNodeId: "gone" }));
    expect(edgesOf(doc).get("e1")).toMatchObject({ from: "keep", to: "gone", kind: "depends-on" });
    expect(chatsOf(doc).get(chatId)!.anchorNodeId).toBe("gone");
    expect(bodiesOf(doc).get("gone")!.toString()).toBe("body");
    const missing = run(doc, member, "chats:anchor", { chatId, anchorNodeId: "nothing" });
    expect(!missing.ok && missing.error.code).toBe("not_found");
    const denied = run(doc, viewer, "chats:anchor", { chatId, anchorNodeId: null });
    expect(!denied.ok && denied.error.code).toBe("forbidden");
  });
});

describe("whiteboard", () => {
  it("stores placements slim (ids in the key, defaults left out) and reads them whole, old whole records too", () => {
    const doc = project();
    const n = createNote(doc, member, 10, 20);
    const key = placementKey("main", n);
    const raw = doc.getMap("whiteboard/placements");
    expect(raw.get(key)).toEqual({ x: 10, y: 20, width: 240, height: 160, z: 1 });
    expect(placementsOf(doc).get(key)).toEqual({ viewId: "main", nodeId: n, x: 10, y: 20, width: 240, height: 160, z: 1, parent: null, locked: false, hidden: false });
    // The same stored entry reads as the same object (the board keeps unchanged nodes by identity).
    expect(placementsOf(doc).get(key)).toBe(placementsOf(doc).get(key));
    ok(run(doc, member, "whiteboard:set-locked", { viewId: "main", nodeIds: [n], value: true }));
    expect(raw.get(key)).toEqual({ x: 10, y: 20, width: 240, height: 160, z: 1, locked: true });
    expect(placementsOf(doc).get(key)?.locked).toBe(true);
    // A record stored whole, as before the slim form, reads the same and keeps working.
    const old = "old-note";
    nodesOf(doc).set(old, { id: old, kind: "note", createdBy: "member", createdAt: 0 });
    raw.set(placementKey("main", old), { viewId: "main", nodeId: old, x: 5, y: 6, width: 100, height: 80, z: 2, parent: null, locked: false, hidden: true });
    expect(placementsOf(doc).get(placementKey("main", old))).toMatchObject({ nodeId: old, x: 5, hidden: true, locked: false });
    ok(run(doc, member, "whiteboard:move", { viewId: "main", moves: [{ nodeId: old, x: 50, y: 60 }] }));
    expect(raw.get(placementKey("main", old))).toEqual({ x: 50, y: 60, width: 100, height: 80, z: 2, hidden: true });
  });

  it("moves, resizes and refuses to move a locked node", () => {
    const doc = project();
    const n = createNote(doc);
    ok(run(doc, member, "whiteboard:move", { viewId: "main", moves: [{ nodeId: n, x: 100, y: 50 }] }));
    ok(run(doc, member, "whiteboard:resize", { viewId: "main", nodeId: n, width: 320, height: 240 }));
    expect(placementsOf(doc).get(placementKey("main", n))).toMatchObject({ x: 100, y: 50, width: 320, height: 240 });
    ok(run(doc, member, "whiteboard:set-locked", { viewId: "main", nodeIds: [n], value: true }));
    const locked = run(doc, member, "whiteboard:move", { viewId: "main", moves: [{ nodeId: n, x: 0, y: 0 }] });
    expect(!locked.ok && locked.error.code).toBe("locked");
  });

  it("moves a group's children with it and frees them where they are on ungroup", () => {
    const doc = project();
    const a = createNote(doc, member, 100, 100);
    const b = createNote(doc, member, 500, 300);
    ok(run(doc, member, "whiteboard:group", { viewId: "main", nodeIds: [a, b] }));
    const groupId = placementsOf(doc).get(placementKey("main", a))!.parent!;
    expect(nodesOf(doc).get(groupId)!.kind).toBe("group");
    ok(run(doc, member, "whiteboard:move", { viewId: "main", moves: [{ nodeId: groupId, x: 0, y: 0 }] }));
    const after = absolutePosition(doc, placementsOf(doc).get(placementKey("main", b))!);
    expect(after).toEqual({ x: 500 - 76, y: 300 - 76 }); // the group moved from (76,76) to (0,0)
    ok(run(doc, member, "whiteboard:ungroup", { viewId: "main", groupId }));
    expect(placementsOf(doc).get(placementKey("main", b))).toMatchObject({ parent: null, x: 424, y: 224 });
    expect(nodesOf(doc).has(groupId)).toBe(false);
  });

  it("stacks each new item above the items of its own view only (nodes and shapes)", () => {
    const doc = project();
    ok(run(doc, member, "whiteboard:create-view", { name: "Plan" }));
    const plan = [...viewsOf(doc).entries()].find(([, v]) => v.name === "Plan")![0];
    const [a, b, c] = [createNote(doc), createNote(doc), createNote(doc)];
    ok(run(doc, member, "whiteboard:arrange", { viewId: "main", nodeIds: [c], to: "back" }));
    const z = (id: string) => placementsOf(doc).get(placementKey("main", id))!.z;
    expect(z(c)).toBeLessThan(Math.min(z(a), z(b)));
    expect(zRange(doc, "main")).toEqual({ min: z(c), max: z(b) });
    // A note on another view starts that view's stack: main's items do not count.
    ok(run(doc, member, "notes:create", { viewId: plan, x: 0, y: 0, text: "plan" }));
    const onPlan = [...nodesOf(doc).keys()].at(-1)!;
    expect(placementsOf(doc).get(placementKey(plan, onPlan))!.z).toBe(1);
    // A shape goes on top of its view, and counts for the next node placed there.
    ok(run(doc, member, "whiteboard:create-shape", { viewId: "main", kind: "text", x: 0, y: 0, width: 120, height: 30, text: "Top" }));
    const shape = [...shapesOf(doc).values()][0]!;
    expect(shape.z).toBe(z(b) + 1);
    const d = createNote(doc);
    expect(z(d)).toBe(shape.z + 1);
    expect(zRange(doc, plan)).toEqual({ min: 0, max: 1 });
  });

  it("keeps several views, orders by z, hides, and manages shapes", () => {
    const doc = project();
    ok(run(doc, member, "whiteboard:create-view", { name: "Plan" }));
    expect([...viewsOf(doc).values()].map((v) => v.name).sort()).toEqual(["Board", "Plan"]);
    const a = createNote(doc);
    const b = createNote(doc);
    ok(run(doc, member, "whiteboard:arrange", { viewId: "main", nodeIds: [a], to: "front" }));
    expect(placementsOf(doc).get(placementKey("main", a))!.z).toBeGreaterThan(placementsOf(doc).get(placementKey("main", b))!.z);
    ok(run(doc, member, "whiteboard:set-hidden", { viewId: "main", nodeIds: [b], value: true }));
    expect(placementsOf(doc).get(placementKey("main", b))!.hidden).toBe(true);
    ok(run(doc, member, "whiteboard:create-shape", { viewId: "main", kind: "text", x: 0, y: 0, width: 120, height: 30, text: "Milestone" }));
    const shapeId = [...shapesOf(doc).keys()][0]!;
    ok(run(doc, member, "whiteboard:update-shape", { shapeId, locked: true }));
    const refused = run(doc, member, "whiteboard:delete-shapes", { shapeIds: [shapeId] });
    expect(!refused.ok && refused.error.code).toBe("locked");
    ok(run(doc, member, "whiteboard:delete-view", { viewId: "main" }));
    const last = run(doc, member, "whiteboard:delete-view", { viewId: [...viewsOf(doc).keys()][0] });
    expect(!last.ok && last.error.code).toBe("last_view");
  });
});

describe("tabs", () => {
  it("opens a new project's first view as a tab, active for nobody yet", () => {
    const doc = project();
    expect([...tabsOf(doc).values()]).toEqual([{ id: "tab-main", kind: "view", target: "main", title: "Board", order: 0 }]);
    expect(activeTabsOf(doc).size).toBe(0);
  });

  it("opens, renames, reorders, activates and closes one's own tabs", () => {
    const doc = project();
    ok(run(doc, member, "tabs:open", { kind: "view", target: "main", title: "Board" }));
    ok(run(doc, member, "tabs:open", { kind: "app", target: "c1/jupyterlab", title: "Jupyter" }));
    const [board, t1, t2] = tabsFor(doc, "member").map((t) => t.id);
    expect(tabsFor(doc, "member").map((t) => t.title)).toEqual(["Board", "Board", "Jupyter"]);
    ok(run(doc, member, "tabs:reorder", { tabIds: [t2, t1, board] }));
    expect(tabsOf(doc).get(t2!)!.order).toBe(0);
    const partial = run(doc, member, "tabs:reorder", { tabIds: [t1] });
    expect(!partial.ok && partial.error.code).toBe("invalid_order");
    ok(run(doc, member, "tabs:rename", { tabId: t2, title: "Lab" }));
    expect(tabsOf(doc).get(t2!)!.title).toBe("Lab");
    ok(run(doc, member, "tabs:activate", { tabId: t1 }));
    expect(activeTabsOf(doc).get("member")).toBe(t1);
    ok(run(doc, member, "tabs:close", { tabId: t1 }));
    expect(activeTabsOf(doc).has("member")).toBe(false);
    expect(tabsFor(doc, "member").map((t) => t.title)).toEqual(["Lab", "Board"]);
  });

  it("opens only tab kinds a module declares (tabKinds): whiteboard's views and user-containers' apps", () => {
    const doc = project();
    const refused = run(doc, member, "tabs:open", { kind: "terminal", target: "c1", title: "Shell" });
    expect(!refused.ok && refused.error).toMatchObject({ code: "unknown_tab_kind", message: 'No module shows tabs of kind "terminal": use one of view, app.' });
    expect(tabsFor(doc, "member").map((t) => t.id)).toEqual(["tab-main"]);
  });

  it("keeps each person's tabs their own: nobody opens, closes, reorders or renames another's", () => {
    const doc = project();
    // Before changing anything, everyone sees the starting tab.
    expect(tabsFor(doc, "member").map((t) => t.id)).toEqual(["tab-main"]);
    expect(tabsFor(doc, "other").map((t) => t.id)).toEqual(["tab-main"]);
    ok(run(doc, other, "tabs:activate", { tabId: "tab-main" }));
    // The member closes the starting tab: only their copy of the tab bar loses it.
    ok(run(doc, member, "tabs:close", { tabId: "tab-main" }));
    expect(ownTabBarsOf(doc).get("member")).toBe(true);
    expect(tabsFor(doc, "member")).toEqual([]);
    expect(tabsFor(doc, "other").map((t) => t.id)).toEqual(["tab-main"]);
    expect(activeTabsOf(doc).get("other")).toBe("tab-main");
    // The other opens a view: a tab of theirs, copying the starting tabs first.
    ok(run(doc, member, "whiteboard:create-view", { name: "Plan" }));
    const plan = [...viewsOf(doc).values()].find((v) => v.name === "Plan")!;
    ok(run(doc, other, "tabs:open", { kind: "view", target: plan.id, title: "Plan" }));
    const others = tabsFor(doc, "other");
    expect(others.map((t) => [t.target, t.owner])).toEqual([["main", "other"], [plan.id, "other"]]);
    expect(activeTabsOf(doc).get("other")).toBe(others[1]!.id);
    expect(tabsFor(doc, "member")).toEqual([]);
    expect(tabsFor(doc, "viewer").map((t) => t.id)).toEqual(["tab-main"]);
    // Someone else's tab is not there for the member, whatever the event.
    for (const [type, payload] of [
      ["tabs:close", { tabId: others[0]!.id }],
      ["tabs:rename", { tabId: others[0]!.id, title: "Mine" }],
      ["tabs:activate", { tabId: others[0]!.id }],
      ["tabs:reorder", { tabIds: others.map((t) => t.id) }],
    ] as const) {
      const refused = run(doc, member, type, payload);
      expect(!refused.ok && refused.error.code, type).toMatch(/not_found|invalid_order/);
    }
    expect(tabsFor(doc, "other")).toEqual(others);
  });
});

describe("chats", () => {
  it("sends messages, lets only the author edit or delete, tracks reads and resolves", () => {
    const doc = project();
    const n = createNote(doc);
    ok(run(doc, member, "chats:create", { title: "About the note", anchorNodeId: n }));
    const chatId = [...chatsOf(doc).keys()][0]!;
    ok(run(doc, member, "chats:send", { chatId, text: "First" }));
    const messageId = [...messagesOf(doc).keys()][0]!;
    const notMine = run(doc, other, "chats:edit-message", { messageId, text: "hijack" });
    expect(!notMine.ok && notMine.error.code).toBe("forbidden");
    ok(run(doc, member, "chats:edit-message", { messageId, text: "First, edited" }));
    expect(messagesOf(doc).get(messageId)).toMatchObject({ text: "First, edited", editedAt: expect.any(Number) });
    ok(run(doc, other, "chats:mark-read", { chatId, messageId }));
    expect(readMarkersOf(doc).get(`${chatId}/other`)!.messageId).toBe(messageId);
    ok(run(doc, member, "chats:delete-message", { messageId }));
    expect(messagesOf(doc).get(messageId)).toMatchObject({ deleted: true, text: "" });
    ok(run(doc, other, "chats:resolve", { chatId, resolved: true }));
    ok(run(doc, member, "core-graph:delete-nodes", { nodeIds: [n] }));
    expect(chatsOf(doc).get(chatId)).toMatchObject({ resolved: true, anchorNodeId: null });
  });

  it("puts a chat on the board as its own node", () => {
    const doc = project();
    ok(run(doc, member, "chats:create", { title: "Standup", board: { viewId: "main", x: 10, y: 10 } }));
    const chat = [...chatsOf(doc).values()][0]!;
    expect(nodesOf(doc).get(chat.nodeId!)!.kind).toBe("chat");
    expect(placementsOf(doc).get(placementKey("main", chat.nodeId!))).toMatchObject({ x: 10, y: 10 });
  });
});
