/** The notes module's board commands. */
import { nodesOf } from "../../../../gateway-do/src/modules/core-graph";
import { deleteCommand, newItemId } from "../../board/commands";
import type { BoardStore, Command } from "../../board/store";
import type { Point } from "../kit";

type NewNote = Point & { width?: number; height?: number; id?: string; text?: string };

/** Creates notes (from the toolbar, pasted, or brought back by undo); undo deletes them. */
export function createNotesCommand(store: BoardStore, viewId: string, notes: NewNote[]): Command & { ids: string[] } {
  const withIds = notes.map((n) => ({ ...n, id: n.id ?? newItemId() }));
  const ids = withIds.map((n) => n.id);
  return {
    ids,
    events: withIds.map((n) => ({ type: "notes:create", id: n.id, viewId, x: Math.round(n.x), y: Math.round(n.y), ...(n.width ? { width: n.width, height: n.height } : {}), text: n.text ?? "" })),
    inverse: () => deleteCommand(store, viewId, ids.filter((id) => nodesOf(store.doc).has(id))),
  };
}
