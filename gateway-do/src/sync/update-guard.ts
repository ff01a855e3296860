/**
 * Clients never write shared state directly, except texts a module declares editable (a
 * note's body). Before a client's Yjs update is applied, this reads it without applying it:
 * every inserted item must be plain text content inside an editable Y.Text the server
 * already has, and every deletion must hit such text (or something already deleted).
 * Anything else rejects the whole update. It returns the texts touched, so the caller can
 * check the permission for each.
 */
import * as Y from "yjs";
import type { EditableText } from "../modules/kit";

export type GuardResult = { ok: true; texts: { path: string[]; permission: string }[] } | { ok: false; reason: string };

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

/** Content a client may put into an editable text. */
function isTextContent(content: Y.Item["content"]): boolean {
  return content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentEmbed;
}

/** The struct the server holds at `id`, or undefined if it has not got that far. */
function stored(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | undefined {
  if (Y.getState(doc.store, id.client) <= id.clock) return undefined;
  return Y.getItem(doc.store, id) as Y.Item | Y.GC;
}

/** Checks a client's update against the server's doc; nothing is applied. */
export function checkClientUpdate(doc: Y.Doc, update: Uint8Array, editable: readonly EditableText[]): GuardResult {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return { ok: false, reason: "The update is not a Yjs update." };
  }
  const touched = new Map<Y.Text, { path: string[]; permission: string }>();
  /** Items of this update, per client, with the text they go into. */
  const local = new Map<number, { clock: number; length: number; text: Y.Text }[]>();

  const editableText = (type: unknown): { text: Y.Text; path: string[]; permission: string } | null => {
    if (!(type instanceof Y.Text)) return null;
    const path = pathOf(type);
    const spec = path && editable.find((e) => matches(e.path, path));
    return spec && path ? { text: type, path, permission: spec.permission(path) } : null;
  };
  const textOf = (id: Y.ID): Y.Text | null => {
    const item = stored(doc, id);
    if (item instanceof Y.Item) return item.parent instanceof Y.Text ? item.parent : null;
    const mine = local.get(id.client)?.find((r) => id.clock >= r.clock && id.clock < r.clock + r.length);
    return mine?.text ?? null;
  };

  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue; // GC and Skip structs carry no content
    const known = Y.getState(doc.store, struct.id.client) - struct.id.clock;
    if (known >= struct.length) continue; // the server has it already: applying it changes nothing
    if (!isTextContent(struct.content)) return { ok: false, reason: "Only text can be written directly; use events for everything else." };
    if (struct.parentSub !== null || typeof struct.parent === "string") return { ok: false, reason: "Only editable texts can be written directly." };
    let parent: Y.Text | null = null;
    if (struct.parent instanceof Y.ID) {
      const holder = stored(doc, struct.parent);
      parent = holder instanceof Y.Item && holder.content instanceof Y.ContentType && holder.content.type instanceof Y.Text ? holder.content.type : null;
    } else {
      const neighbour = struct.origin ?? struct.rightOrigin;
      parent = neighbour ? textOf(neighbour) : null;
    }
    const target = editableText(parent);
    if (!target) return { ok: false, reason: "This update writes outside the texts you may edit, or refers to state the server does not have: resync." };
    touched.set(target.text, { path: target.path, permission: target.permission });
    const ranges = local.get(struct.id.client) ?? [];
    ranges.push({ clock: struct.id.clock, length: struct.length, text: target.text });
    local.set(struct.id.client, ranges);
  }

  for (const [client, deletions] of decoded.ds.clients) {
    for (const { clock, len } of deletions) {
      for (let at = clock; at < clock + len; ) {
        const id = Y.createID(client, at);
        const item = stored(doc, id);
        if (item === undefined) {
          const text = textOf(id);
          if (!text) return { ok: false, reason: "This update deletes something the server does not have: resync." };
          at++;
          continue;
        }
        const end = item.id.clock + item.length;
        if (item instanceof Y.Item && !item.deleted) {
          const target = editableText(item.parent);
          if (!target) return { ok: false, reason: "This update deletes outside the texts you may edit." };
          touched.set(target.text, { path: target.path, permission: target.permission });
        }
        at = end;
      }
    }
  }
  return { ok: true, texts: [...touched.values()] };
}
