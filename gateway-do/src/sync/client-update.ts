/**
 * Applies a client's update to the server's doc in two locks: the guard reads it first
 * (update-guard.ts), then it is integrated inside one transaction that is checked for what
 * it actually did before anything is stored or sent. Every item integrated must sit in an
 * editable text as plain text, with the neighbours Yjs will read its place from on the next
 * load (its origins) in that same text; every deletion must hit such text; nothing may be
 * left pending. If the second check fails (or Yjs throws half way), the doc in memory has
 * taken something storage never will: the caller must rebuild it from storage.
 */
import * as Y from "yjs";
import type { EditableText } from "../modules/kit";
import { captureUpdate } from "../doc/capture";
import { type TouchedText, checkClientUpdate, editableTextOf, isPlainTextContent } from "./update-guard";

export type ClientUpdateResult =
  | { ok: true; texts: TouchedText[]; clients: number[]; applied: Uint8Array | null }
  /** `tainted`: the doc in memory was changed and must be rebuilt from storage. */
  | { ok: false; reason: string; tainted: boolean };

/** The guard's verdict, before anything is applied (permissions and ownership are the caller's). */
export { checkClientUpdate };

/** Why the integration in `tr` is not one the guard allows, or null if it is. */
export function integrationViolation(doc: Y.Doc, tr: Y.Transaction, editable: readonly EditableText[]): string | null {
  const store = doc.store;
  const sameText = (item: Y.Item, id: Y.ID | null) => {
    if (id === null) return true;
    const neighbour = Y.getItem(store, id) as Y.Item | Y.GC;
    return neighbour instanceof Y.Item && neighbour.parent === item.parent && neighbour.parentSub === null;
  };
  for (const [client, structs] of store.clients) {
    const before = tr.beforeState.get(client) ?? 0;
    if (Y.getState(store, client) <= before) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i]!;
      if (!(struct instanceof Y.Item)) continue; // garbage: no content, no place
      if (!isPlainTextContent(struct.content) || struct.parentSub !== null) return `integrated non-text content under client ${client}`;
      if (!editableTextOf(struct.parent, editable)) return `integrated an item outside editable texts under client ${client}`;
      if (!sameText(struct, struct.origin) || !sameText(struct, struct.rightOrigin)) return `integrated an item whose origins lie outside its text under client ${client}`;
    }
  }
  let deletion: string | null = null;
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (deletion || !(struct instanceof Y.Item)) return;
    if (struct.parentSub !== null || !editableTextOf(struct.parent, editable)) deletion = "deleted something outside editable texts";
  });
  if (deletion) return deletion;
  for (const type of tr.changed.keys()) {
    if (!editableTextOf(type, editable)) return "changed a type that is not an editable text";
  }
  return null;
}

/**
 * Checks `update` with the guard, applies it, and checks what it did. Returns what Yjs
 * integrated (to store and broadcast; never the client's raw bytes), or why it was refused.
 * `allow` is asked, after the guard and before anything is applied, whether the sender may
 * write those texts under those client ids.
 */
export function applyClientUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  editable: readonly EditableText[],
  options: { origin?: unknown; allow?: (verdict: { texts: TouchedText[]; clients: number[] }) => string | null } = {},
): ClientUpdateResult {
  const check = checkClientUpdate(doc, update, editable);
  if (!check.ok) return { ok: false, reason: check.reason, tainted: false };
  const refusal = options.allow?.(check) ?? null;
  if (refusal) return { ok: false, reason: refusal, tainted: false };
  if (!check.changes) return { ok: true, texts: check.texts, clients: check.clients, applied: null };
  return integrate(doc, update, editable, options.origin, check);
}

/** Applies an update in one transaction and checks what was integrated (the second lock, usable alone). */
export function integrate(
  doc: Y.Doc,
  update: Uint8Array,
  editable: readonly EditableText[],
  origin: unknown,
  verdict: { texts: TouchedText[]; clients: number[] } = { texts: [], clients: [] },
): ClientUpdateResult {
  let violation: string | null = null;
  let applied: Uint8Array | null;
  try {
    applied = captureUpdate(doc, () =>
      doc.transact((tr) => {
        Y.applyUpdate(doc, update, origin);
        violation = integrationViolation(doc, tr, editable);
      }, origin),
    );
  } catch {
    return { ok: false, reason: "The update could not be read: resync.", tainted: true };
  }
  if (!violation && (doc.store.pendingStructs !== null || doc.store.pendingDs !== null)) violation = "left structs or deletions pending";
  if (violation) {
    console.error(`update guard: an update passed the first check but ${violation}; the doc is rebuilt from storage`);
    return { ok: false, reason: "This update writes outside the texts you may edit: resync.", tainted: true };
  }
  return { ok: true, texts: verdict.texts, clients: verdict.clients, applied };
}
