/** Where the create dialog was opened (a view and a point on it), or null while it is closed: one per board. */
import { UiSlot } from "../../board/module-state";
import type { BoardStore } from "../../board/store";
import type { Point } from "../kit";

export interface CreateAt {
  viewId: string;
  at: Point;
}

export const CREATE_AT = new UiSlot<CreateAt | null>(null);

export const openCreateDialog = (store: BoardStore, viewId: string, at: Point) => store.setUi(CREATE_AT, { viewId, at });
export const closeCreateDialog = (store: BoardStore) => store.setUi(CREATE_AT, null);
