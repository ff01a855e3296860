/**
 * What a project doc holds outside its editable texts, read from Yjs's own structures so it
 * reads the same on a live doc and on one freshly loaded from storage (whose roots are
 * untyped): the oracle of the update guard's tests. Also a doc with every module's records.
 */
import { expect } from "vitest";
import * as Y from "yjs";
import { runEvent } from "../src/events/pipeline";
import { chatsOf } from "../src/modules/chats";
import { nodesOf } from "../src/modules/core-graph";
import type { Actor } from "../src/modules/kit";
import { bodiesOf } from "../src/modules/notes";
import { editableTexts, modules } from "../src/modules/registry";
import { rolesOf } from "../src/modules/roles";
import { editableTextOf } from "../src/sync/update-guard";

type Type = Parameters<typeof Y.findRootTypeKey>[0];

function valueOf(content: Y.Item["content"]): unknown[] {
  return content.getContent().map((v: unknown) => (v instanceof Y.AbstractType ? shape(v as Type) : v));
}

/** A type's entries and items, nested types read the same way; an editable text stands as a marker. */
function shape(type: Type): unknown {
  if (editableTextOf(type, editableTexts)) return "<editable text>";
  const map: Record<string, unknown> = {};
  for (const [key, item] of [...type._map].sort(([a], [b]) => a.localeCompare(b))) {
    if (!item.deleted) map[key] = valueOf(item.content).at(-1);
  }
  const list: unknown[] = [];
  for (let item = type._start; item !== null; item = item.right) {
    if (!item.deleted && item.countable) list.push(...valueOf(item.content));
  }
  return { kind: type.constructor.name === "AbstractType" ? "root" : type.constructor.name, map, list };
}

/** Everything in the doc outside editable texts, as JSON. */
export function recordsOf(doc: Y.Doc): string {
  const roots: Record<string, unknown> = {};
  for (const [name, type] of [...doc.share].sort(([a], [b]) => a.localeCompare(b))) {
    const s = shape(type as Type) as { map: object; list: unknown[] };
    if (Object.keys(s.map).length > 0 || s.list.length > 0) roots[name] = { map: s.map, list: s.list };
  }
  return JSON.stringify(roots);
}

/** Every editable text of the doc holds plain text only (no formats, no embeds). */
export function textsArePlain(doc: Y.Doc): boolean {
  for (const [, text] of bodiesOf(doc)) {
    if (!(text instanceof Y.Text)) continue;
    for (let item = text._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentString || item.content instanceof Y.ContentDeleted)) return false;
    }
  }
  return true;
}

/** A doc loaded from storage: a fresh Y.Doc with the stored updates applied in order. */
export function loadFrom(updates: readonly Uint8Array[], clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

export const admin: Actor = { userId: "admin", grants: ["*:*"] };

function ok(doc: Y.Doc, type: string, payload: Record<string, unknown>, requestId: string) {
  const outcome = runEvent(doc, { type, requestId, ...payload }, admin);
  expect(outcome.ok, `${type}: ${JSON.stringify(outcome)}`).toBe(true);
}

/**
 * A server doc with records of every module: notes, an edge, a shape, a group, a chat with a
 * message, a tab, a custom "Read only" role assigned to a member. Returns the ids the attacks aim at.
 */
export function richProjectDoc(clientID?: number): { doc: Y.Doc; notes: string[]; roleId: string } {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  doc.transact(() => modules.forEach((m) => m.seed?.(doc, 0)));
  ok(doc, "notes:create", { viewId: "main", text: "First note" }, "n1");
  ok(doc, "notes:create", { viewId: "main", x: 300, text: "Second" }, "n2");
  const notes = [...nodesOf(doc).keys()];
  ok(doc, "core-graph:connect", { from: notes[0], to: notes[1], kind: "references" }, "e1");
  ok(doc, "whiteboard:create-shape", { viewId: "main", kind: "rectangle", x: 0, y: 400, width: 50, height: 50 }, "s1");
  ok(doc, "whiteboard:group", { viewId: "main", nodeIds: notes }, "g1");
  ok(doc, "chats:create", { title: "Talk", board: { viewId: "main", x: 0, y: 600 } }, "c1");
  const chatId = [...chatsOf(doc).keys()][0]!;
  ok(doc, "chats:send", { chatId, text: "hello" }, "m1");
  ok(doc, "tabs:open", { kind: "view", target: "main", title: "Board" }, "t1");
  ok(doc, "roles:create-role", { name: "Read only", permissions: ["*:read"] }, "r1");
  const roleId = [...rolesOf(doc).keys()][0]!;
  ok(doc, "roles:assign", { userId: "viewer", roleIds: [roleId] }, "a1");
  // The role record last: the gateway's last item is the one the red team's overlap landed on.
  ok(doc, "roles:update-role", { roleId, name: "Read only" }, "r2");
  expect(bodiesOf(doc).get(notes[0]!)!.toString()).toBe("First note");
  return { doc, notes: notes.filter((id) => bodiesOf(doc).has(id)), roleId };
}
