/** Client updates may touch editable texts only: checked against real Yjs updates from a replica. */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { runEvent } from "../src/events/pipeline";
import { nodesOf } from "../src/modules/core-graph";
import { bodiesOf } from "../src/modules/notes";
import { editableTexts, modules } from "../src/modules/registry";
import { assignmentsOf, rolesOf } from "../src/modules/roles";
import { captureUpdate } from "../src/doc/capture";
import { applyClientUpdate, integrate } from "../src/sync/client-update";
import { checkClientUpdate, pathOf } from "../src/sync/update-guard";
import { loadFrom, recordsOf, richProjectDoc } from "./doc-oracle";
import { type ForgedId, forgeUpdate } from "./forge";

/** A server doc with one note, and a client replica synced to it. */
function setup() {
  const server = new Y.Doc();
  for (const m of modules) m.seed?.(server, 0);
  const outcome = runEvent(server, { type: "notes:create", requestId: "r1", viewId: "main", text: "Hello" }, { userId: "u", grants: ["*:*"] });
  expect(outcome.ok).toBe(true);
  const noteId = [...nodesOf(server).keys()][0]!;
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client, noteId };
}

/** The update a client change produces. */
function edit(client: Y.Doc, change: () => void): Uint8Array {
  const before = Y.encodeStateVector(client);
  change();
  return Y.encodeStateAsUpdate(client, before);
}

describe("the client update guard", () => {
  it("accepts typing and deleting in a note body, naming the text's permission", () => {
    const { server, client, noteId } = setup();
    const body = bodiesOf(client).get(noteId)!;
    const changes = [() => body.insert(5, ", world"), () => body.delete(0, 2), () => body.insert(0, "# ")];
    for (const change of changes) {
      const update = edit(client, change);
      const result = checkClientUpdate(server, update, editableTexts);
      expect(result).toEqual({ ok: true, texts: [{ path: ["notes/bodies", noteId], permission: `notes:[note:${noteId}]:edit` }], clients: change === changes[1] ? [] : [client.clientID], changes: true });
      Y.applyUpdate(server, update);
    }
    expect(bodiesOf(server).get(noteId)!.toString()).toBe(bodiesOf(client).get(noteId)!.toString());
  });

  it("accepts a burst of typing sent as one update (items chained to each other)", () => {
    const { server, client, noteId } = setup();
    const body = bodiesOf(client).get(noteId)!;
    const update = edit(client, () => {
      for (const ch of " and more") body.insert(body.length, ch);
    });
    expect(checkClientUpdate(server, update, editableTexts).ok).toBe(true);
  });

  it("rejects writes to anything else, whole: maps, new roots, embedded types, deletions of records", () => {
    const attempts: [string, (doc: Y.Doc, noteId: string) => void][] = [
      ["set a node", (doc) => nodesOf(doc).set("forged", { id: "forged", kind: "note", createdBy: "x", createdAt: 0 })],
      ["delete a node", (doc, id) => nodesOf(doc).delete(id)],
      ["new root", (doc) => doc.getMap("mine").set("a", 1)],
      ["replace a body", (doc, id) => bodiesOf(doc).set(id, new Y.Text("owned"))],
      ["nested type in text", (doc, id) => bodiesOf(doc).get(id)!.insertEmbed(0, new Y.Map())],
      // The note editor writes plain markdown: formats and embeds are not text it makes.
      ["formatting", (doc, id) => bodiesOf(doc).get(id)!.format(0, 5, { bold: true })],
      ["an embed", (doc, id) => bodiesOf(doc).get(id)!.insertEmbed(0, { id: "r", permissions: ["*:*"] })],
      ["formatted text", (doc, id) => bodiesOf(doc).get(id)!.insert(0, "x", { href: "javascript:alert(1)" })],
      ["text in another map", (doc) => doc.getMap("whiteboard/views").set("t", new Y.Text("x"))],
      ["typing plus a forged node", (doc, id) => {
        bodiesOf(doc).get(id)!.insert(0, "innocent ");
        nodesOf(doc).set("forged", { id: "forged", kind: "note", createdBy: "x", createdAt: 0 });
      }],
    ];
    for (const [name, change] of attempts) {
      const { server, client, noteId } = setup();
      const update = edit(client, () => change(client, noteId));
      expect(update.length, name).toBeGreaterThan(2);
      expect(checkClientUpdate(server, update, editableTexts).ok, name).toBe(false);
    }
  });

  it("rejects garbage and updates that refer to state the server lacks", () => {
    const { server, client, noteId } = setup();
    expect(checkClientUpdate(server, new Uint8Array([1, 2, 3, 4, 5]), editableTexts).ok).toBe(false);
    const body = bodiesOf(client).get(noteId)!;
    edit(client, () => body.insert(0, "unsent "));
    const dependent = edit(client, () => body.insert(7, "x"));
    const result = checkClientUpdate(server, dependent, editableTexts);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining("resync") });
  });

  it("ignores what the server already has, such as deletions it made itself", () => {
    const { server, client, noteId } = setup();
    const moved = runEvent(server, { type: "whiteboard:move", requestId: "r2", viewId: "main", moves: [{ nodeId: noteId, x: 9, y: 9 }] }, { userId: "u", grants: ["*:*"] });
    expect(moved.ok).toBe(true);
    // A client's sync answer carries its whole delete set, including the server's own deletions.
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const full = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expect(checkClientUpdate(server, full, editableTexts).ok).toBe(true);
  });

  it("finds a type's path from its root", () => {
    const { server, noteId } = setup();
    expect(pathOf(bodiesOf(server).get(noteId)!)).toEqual(["notes/bodies", noteId]);
  });
});

/** The id of the last character of a note's body on the server. */
function lastCharOf(doc: Y.Doc, noteId: string): ForgedId {
  let item = bodiesOf(doc).get(noteId)!._start!;
  while (item.right) item = item.right;
  return [item.id.client, item.id.clock + item.length - 1];
}

/** Applies an update with no guard at all and loads the result as storage would: what the attack does when let through. */
function unguarded(doc: Y.Doc, update: Uint8Array): Y.Doc {
  const copy = loadFrom([Y.encodeStateAsUpdate(doc)]);
  const applied = captureUpdate(copy, () => Y.applyUpdate(copy, update));
  return loadFrom([Y.encodeStateAsUpdate(doc), ...(applied ? [applied] : [])]);
}

describe("the red team's bypass: structs claiming another client's id over a clock the server has", () => {
  it("refuses an overlap under the gateway's own client id that would rewrite a role to *:*", () => {
    const { doc, notes, roleId } = richProjectDoc();
    const gateway = doc.clientID;
    const state = Y.getState(doc.store, gateway);
    // Claims to continue the note's text; Yjs keeps only the unseen remainder and hangs it on the gateway's last item: the role.
    const attack = forgeUpdate([
      {
        client: gateway,
        clock: state - 1,
        structs: [
          { origin: lastCharOf(doc, notes[0]!), content: { string: "xx" } },
          { origin: [gateway, state], content: { embed: { id: roleId, name: "Read only", permissions: ["*:*"] } } },
        ],
      },
    ]);
    // Let through, it escalates: the role grants everything once the doc is loaded again.
    expect(rolesOf(unguarded(doc, attack)).get(roleId)).toEqual({ id: roleId, name: "Read only", permissions: ["*:*"] });

    const before = recordsOf(doc);
    const result = applyClientUpdate(doc, attack, editableTexts);
    expect(result).toMatchObject({ ok: false, tainted: false });
    expect(recordsOf(doc)).toBe(before);
    expect(rolesOf(doc).get(roleId)!.permissions).toEqual(["*:read"]);
  });

  it("refuses the same with plain text, which would have turned an assignment into a string", () => {
    const { doc, notes } = richProjectDoc();
    const edit = runEvent(doc, { type: "roles:assign", requestId: "again", userId: "viewer", roleIds: [] }, { userId: "a", grants: ["*:*"] });
    expect(edit.ok).toBe(true);
    const gateway = doc.clientID;
    const state = Y.getState(doc.store, gateway);
    const ok = runEvent(doc, { type: "roles:assign", requestId: "last", userId: "viewer", roleIds: [[...rolesOf(doc).keys()][0]!] }, { userId: "a", grants: ["*:*"] });
    expect(ok.ok).toBe(true);
    const end = Y.getState(doc.store, gateway);
    expect(end).toBeGreaterThan(state);
    const attack = forgeUpdate([{ client: gateway, clock: end - 1, structs: [{ origin: lastCharOf(doc, notes[0]!), content: { string: "xoops" } }] }]);
    // The map's value is the last character of the remainder: a string where a list of role ids belongs.
    expect(assignmentsOf(unguarded(doc, attack)).get("viewer")).toBe("s");
    const before = recordsOf(doc);
    expect(applyClientUpdate(doc, attack, editableTexts).ok).toBe(false);
    expect(recordsOf(doc)).toBe(before);
  });

  it("refuses structs past a gap (they would wait, pending, and land inside a later transaction)", () => {
    const { doc, notes } = richProjectDoc();
    const gateway = doc.clientID;
    const state = Y.getState(doc.store, gateway);
    const attack = forgeUpdate([{ client: gateway, clock: state + 3, structs: [{ origin: lastCharOf(doc, notes[0]!), content: { string: "later" } }] }]);
    expect(applyClientUpdate(doc, attack, editableTexts)).toMatchObject({ ok: false, tainted: false });
    expect(doc.store.pendingStructs).toBeNull();
  });

  it("refuses an item whose left origin is in a note and right origin in a record", () => {
    const { doc, notes, roleId } = richProjectDoc();
    const roleItem = rolesOf(doc)._map.get(roleId)!;
    const attack = forgeUpdate([{ client: 4242, clock: 0, structs: [{ origin: lastCharOf(doc, notes[0]!), rightOrigin: [roleItem.id.client, roleItem.id.clock], content: { string: "x" } }] }]);
    expect(applyClientUpdate(doc, attack, editableTexts).ok).toBe(false);
  });

  it("still accepts typing that overlaps nothing, under a new client id, and text typed then deleted before it was sent", () => {
    const { doc, notes } = richProjectDoc();
    const client = loadFrom([Y.encodeStateAsUpdate(doc)]);
    const body = bodiesOf(client).get(notes[0]!)!;
    const before = Y.encodeStateVector(client);
    body.insert(body.length, " typed offline, then");
    body.delete(body.length - 5, 5); // deleted before sending: it travels as ContentDeleted
    const update = Y.encodeStateAsUpdate(client, before);
    const result = applyClientUpdate(doc, update, editableTexts);
    expect(result.ok).toBe(true);
    expect(bodiesOf(doc).get(notes[0]!)!.toString()).toBe("First note typed offline,");
  });

  it("rebuilds nothing for what the first lock refuses; the second lock alone catches the same attack", () => {
    const { doc, notes, roleId } = richProjectDoc();
    const stored = [Y.encodeStateAsUpdate(doc)];
    const gateway = doc.clientID;
    const state = Y.getState(doc.store, gateway);
    const attack = forgeUpdate([
      { client: gateway, clock: state - 1, structs: [{ origin: lastCharOf(doc, notes[0]!), content: { string: "xx" } }, { origin: [gateway, state], content: { string: "y" } }] },
    ]);
    const result = integrate(doc, attack, editableTexts, "attacker");
    expect(result).toMatchObject({ ok: false, tainted: true });
    // Tainted: the room drops its doc for storage's, where nothing of it is.
    expect(rolesOf(loadFrom(stored)).get(roleId)!.permissions).toEqual(["*:read"]);
  });
});
