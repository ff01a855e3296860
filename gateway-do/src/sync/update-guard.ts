/**
 * Clients never write shared state directly, except texts a module declares editable (a
 * note's body). Before a client's Yjs update is applied, this reads it without applying it
 * and judges it by what Yjs would do with it, not by what its structs claim:
 *
 * - A struct is new only where it starts exactly at the server's state for its client. One
 *   that overlaps what the server has would be cut by Yjs and anchored to the client's last
 *   item, wherever that is (the red team's bypass: a struct "in a note" under the gateway's
 *   own client id landing in a role record); one past a gap would wait as a pending struct and
 *   land later, inside someone else's transaction. Both are refused.
 * - A new item is plain text (or text already deleted) in an editable Y.Text, and everything
 *   Yjs derives its place from (left origin, right origin, or the explicit parent) lies in that
 *   same text. Formats and embeds are refused: the note editor writes plain markdown.
 * - Every deletion hits such text, or something already deleted, or text of this update.
 *
 * Anything else rejects the whole update. It returns the texts touched (the caller checks
 * each one's permission) and the client ids it writes under (the caller checks they are the
 * connection's own). `client-update.ts` then applies it and checks what was integrated.
 */
import * as Y from "yjs";
import type { EditableText } from "../modules/kit";

export interface TouchedText {
  path: string[];
  permission: string;
}

export type GuardResult =
  | {
      ok: true;
      texts: TouchedText[];
      /** Client ids the update adds structs under. */
      clients: number[];
      /** False when applying it would change nothing (the server has all of it). */
      changes: boolean;
    }
  | { ok: false; reason: string };

type SharedType = Parameters<typeof Y.findRootTypeKey>[0];

/** The path of a type from its root map (root name, then map keys), or null inside an array. */
export function pathOf(type: SharedType): string[] | null {
  const path: string[] = [];
  let current = type;
  while (current._item) {
    const item: Y.Item = current._item;
    if (item.parentSub === null) return null;
    path.unshift(item.parentSub);
    current = item.parent as SharedType;
  }
  path.unshift(Y.findRootTypeKey(current));
  return path;
}

function matches(pattern: readonly string[], path: readonly string[]): boolean {
  return pattern.length === path.length && pattern.every((part, i) => part === "*" || part === path[i]);
}

/** The editable text `type` is, with its path and the permission to edit it; null if it is none. */
export function editableTextOf(type: unknown, editable: readonly EditableText[]): (TouchedText & { text: Y.Text }) | null {
  if (!(type instanceof Y.Text) || (type._item !== null && type._item.deleted)) return null;
  const path = pathOf(type);
  const spec = path && editable.find((e) => matches(e.path, path));
  return spec && path ? { text: type, path, permission: spec.permission(path) } : null;
}

/** Content a client may put into an editable text: plain text, or text it already deleted. */
export function isPlainTextContent(content: Y.Item["content"]): boolean {
  return content instanceof Y.ContentString || content instanceof Y.ContentDeleted;
}

/** The struct the server holds at `id`, or undefined if it has not got that far. */
function stored(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | undefined {
  if (Y.getState(doc.store, id.client) <= id.clock) return undefined;
  return Y.getItem(doc.store, id) as Y.Item | Y.GC;
}

/**
 * Whether Yjs, finding the stored item at `id` to start (or end) there, would cut a UTF-16
 * surrogate pair in two: it then turns both halves into U+FFFD in that replica alone.
 */
function cutsCharacter(doc: Y.Doc, id: Y.ID, side: "start" | "end"): boolean {
  const item = stored(doc, id);
  if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentString)) return false;
  const offset = id.clock - item.id.clock + (side === "end" ? 1 : 0);
  if (offset <= 0 || offset >= item.length) return false;
  const code = item.content.str.charCodeAt(offset - 1);
  return code >= 0xd800 && code <= 0xdbff;
}

const CUT = "This update cuts a character in two: resync.";

const RESYNC = "This update refers to state the server does not have, or overlaps what it has: resync.";

/** Checks a client's update against the server's doc; nothing is applied. */
export function checkClientUpdate(doc: Y.Doc, update: Uint8Array, editable: readonly EditableText[]): GuardResult {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return { ok: false, reason: "The update is not a Yjs update." };
  }

  // 1. Which structs are new, by the rule Yjs integrates with: per client, from the server's state on.
  const fresh: (Y.Item | Y.GC)[] = [];
  /** Structs the server has already: Yjs skips them, but only after looking up what they refer to. */
  const known: Y.Item[] = [];
  /** The clock each client's new structs have reached. */
  const reached = new Map<number, number>();
  let previousClient: number | null = null;
  for (const struct of decoded.structs) {
    const client = struct.id.client;
    // Yjs keeps only the last block of a client listed twice: the guard would judge the others.
    if (client !== previousClient && reached.has(client)) return { ok: false, reason: "The update lists a client twice." };
    previousClient = client;
    const state = Y.getState(doc.store, client);
    if (!reached.has(client)) reached.set(client, state);
    if (struct instanceof Y.Skip) continue; // a hole: the next struct of this client must not follow it
    const end = struct.id.clock + struct.length;
    if (end <= state) {
      if (struct instanceof Y.Item) known.push(struct); // the server has it: applying it changes nothing
      continue;
    }
    if (struct.id.clock !== reached.get(client)) return { ok: false, reason: RESYNC };
    reached.set(client, end);
    fresh.push(struct as Y.Item | Y.GC);
  }

  // 2. Where each new item would land: resolved through the server's items and this update's own.
  const texts = new Map<Y.Text, TouchedText>();
  const landing = new Map<Y.Item | Y.GC, Y.Text | null>();
  const localAt = (id: Y.ID): Y.Item | Y.GC | undefined =>
    fresh.find((s) => s.id.client === id.client && id.clock >= s.id.clock && id.clock < s.id.clock + s.length);
  /** The editable text the struct holding `id` is in, or null. */
  const textAt = (id: Y.ID, visiting: Set<Y.Item | Y.GC>): Y.Text | null => {
    const item = stored(doc, id);
    if (item !== undefined) {
      if (!(item instanceof Y.Item) || item.parentSub !== null) return null;
      return editableTextOf(item.parent, editable)?.text ?? null;
    }
    const local = localAt(id);
    return local ? landingOf(local, visiting) : null;
  };
  const landingOf = (struct: Y.Item | Y.GC, visiting: Set<Y.Item | Y.GC>): Y.Text | null => {
    if (landing.has(struct)) return landing.get(struct)!;
    if (!(struct instanceof Y.Item) || visiting.has(struct)) return null;
    visiting.add(struct);
    let text: Y.Text | null = null;
    if (isPlainTextContent(struct.content) && struct.parentSub === null) {
      const left = struct.origin ? textAt(struct.origin, visiting) : undefined;
      const right = struct.rightOrigin ? textAt(struct.rightOrigin, visiting) : undefined;
      if (left === undefined && right === undefined) {
        // No neighbours: the parent is named, and must be an editable text's own item.
        const holder = struct.parent instanceof Y.ID ? stored(doc, struct.parent) : undefined;
        const type = holder instanceof Y.Item && holder.content instanceof Y.ContentType ? holder.content.type : null;
        text = editableTextOf(type, editable)?.text ?? null;
      } else if (left !== null && right !== null && (left === undefined || right === undefined || left === right)) {
        text = (left ?? right)!;
      }
    }
    landing.set(struct, text);
    return text;
  };
  // Yjs integrates a client's structs in clock order, each once what it refers to is in: a
  // reference to this update's own structs that can only be met later (a cycle between two
  // clients, or a forward reference) would leave structs pending.
  const ready = new Map<Y.Item | Y.GC, boolean>();
  const isReady = (struct: Y.Item | Y.GC, path: Set<Y.Item | Y.GC>): boolean => {
    if (ready.has(struct)) return ready.get(struct)!;
    if (path.has(struct)) return false;
    path.add(struct);
    const index = fresh.indexOf(struct);
    const previous = fresh.slice(0, index).findLast((s) => s.id.client === struct.id.client);
    let ok = previous === undefined || isReady(previous, path);
    if (ok && struct instanceof Y.Item) {
      for (const id of [struct.origin, struct.rightOrigin]) {
        if (id === null || stored(doc, id) !== undefined) continue;
        const local = localAt(id);
        if (!local || !isReady(local, path)) ok = false;
      }
    }
    path.delete(struct);
    ready.set(struct, ok);
    return ok;
  };
  // A struct the server has is still read by Yjs: a reference to something missing leaves it pending.
  for (const struct of [...known, ...fresh]) {
    if (!(struct instanceof Y.Item)) continue;
    if ((struct.origin && cutsCharacter(doc, struct.origin, "end")) || (struct.rightOrigin && cutsCharacter(doc, struct.rightOrigin, "start"))) return { ok: false, reason: CUT };
  }
  for (const struct of known) {
    const parent = struct.parent instanceof Y.ID ? struct.parent : null;
    for (const id of [struct.origin, struct.rightOrigin, parent]) {
      if (id === null || stored(doc, id) !== undefined) continue;
      const local = localAt(id);
      if (!local || !isReady(local, new Set())) return { ok: false, reason: RESYNC };
    }
  }
  for (const struct of fresh) {
    if (!isReady(struct, new Set())) return { ok: false, reason: RESYNC };
    if (struct instanceof Y.GC) continue; // garbage carries no content and lands nowhere
    const text = landingOf(struct, new Set());
    if (!text) {
      const reason = isPlainTextContent(struct.content)
        ? "This update writes outside the texts you may edit, or refers to state the server does not have: resync."
        : "Only plain text can be written directly; use events for everything else.";
      return { ok: false, reason };
    }
    const target = editableTextOf(text, editable)!;
    texts.set(text, { path: target.path, permission: target.permission });
  }

  // 3. Deletions: of editable text the server has, of something already gone, or of this update's own text.
  let deletes = false;
  for (const [client, deletions] of decoded.ds.clients) {
    const state = Y.getState(doc.store, client);
    const local = reached.get(client) ?? state;
    for (const { clock, len } of deletions) {
      if (len <= 0) continue;
      if (clock + len > local) return { ok: false, reason: "This update deletes something the server does not have: resync." };
      if (cutsCharacter(doc, Y.createID(client, clock), "start") || cutsCharacter(doc, Y.createID(client, clock + len - 1), "end")) return { ok: false, reason: CUT };
      for (let at = clock; at < Math.min(clock + len, state); ) {
        const item = stored(doc, Y.createID(client, at))!;
        if (item instanceof Y.Item && !item.deleted) {
          const target = item.parentSub === null ? editableTextOf(item.parent, editable) : null;
          if (!target) return { ok: false, reason: "This update deletes outside the texts you may edit." };
          texts.set(target.text, { path: target.path, permission: target.permission });
          deletes = true;
        }
        at = item.id.clock + item.length;
      }
      if (clock + len > state) deletes = true; // of its own new text
    }
  }
  const clients = [...new Set(fresh.map((s) => s.id.client))];
  return { ok: true, texts: [...texts.values()], clients, changes: fresh.length > 0 || deletes };
}
