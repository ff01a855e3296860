/** The Yjs update a piece of work produces on a doc (merged if it makes several), or null. */
import * as Y from "yjs";

/** Runs `work` (which transacts or applies updates on `doc`) and returns what it changed, as one update. */
export function captureUpdate(doc: Y.Doc, work: () => void): Uint8Array | null {
  const updates: Uint8Array[] = [];
  const collect = (u: Uint8Array) => updates.push(u);
  doc.on("update", collect);
  try {
    work();
  } finally {
    doc.off("update", collect);
  }
  if (updates.length === 0) return null;
  return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}
