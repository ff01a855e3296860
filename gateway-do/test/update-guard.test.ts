/** Client updates may touch editable texts only: checked against real Yjs updates from a replica. */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { runEvent } from "../src/events/pipeline";
import { nodesOf } from "../src/modules/core-graph";
import { bodiesOf } from "../src/modules/notes";
import { editableTexts, modules } from "../src/modules/registry";
import { checkClientUpdate, pathOf } from "../src/sync/update-guard";

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
  it("accepts typing, formatting and deleting in a note body, naming the text's permission", () => {
    const { server, client, noteId } = setup();
    const body = bodiesOf(client).get(noteId)!;
    for (const change of [() => body.insert(5, ", world"), () => body.format(0, 5, { bold: true }), () => body.delete(0, 2), () => body.insert(0, "# ")]) {
      const update = edit(client, change);
      const result = checkClientUpdate(server, update, editableTexts);
      expect(result).toEqual({ ok: true, texts: [{ path: ["notes/bodies", noteId], permission: `notes:[note:${noteId}]:edit` }] });
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
