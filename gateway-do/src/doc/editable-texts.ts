/**
 * The collaborative texts of a doc that modules declare editable, found by walking their
 * paths (a root map, then keys, `*` for any): for code that must treat every module's texts
 * alike (what a resync would lose) without knowing any module.
 */
import * as Y from "yjs";
import type { EditableText } from "../modules/kit";

/** Every editable text in `doc`, by its path joined with "/". */
export function editableTextsIn(doc: Y.Doc, specs: readonly EditableText[]): Map<string, Y.Text> {
  const found = new Map<string, Y.Text>();
  const walk = (value: unknown, rest: readonly string[], at: string) => {
    if (rest.length === 0) {
      if (value instanceof Y.Text) found.set(at, value);
      return;
    }
    if (!(value instanceof Y.Map)) return;
    const [key, ...tail] = rest;
    if (key === "*") for (const [k, v] of value) walk(v, tail, `${at}/${k}`);
    else walk(value.get(key!), tail, `${at}/${key}`);
  };
  for (const { path } of specs) {
    const [root, ...rest] = path;
    // Only roots that exist: getMap would create one in the doc.
    if (root !== undefined && doc.share.has(root)) walk(doc.getMap(root), rest, root);
  }
  return found;
}
