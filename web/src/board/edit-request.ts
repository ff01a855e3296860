/**
 * "Start editing this item": asked by the board when it creates something to type into (a
 * note, a text label), answered by that item's view once it is drawn (it may not be yet when
 * asked: the request waits for it). Kind-agnostic: any node view may answer with its own editor.
 */
import { useEffect, useSyncExternalStore } from "react";
import { UiSlot } from "./module-state";
import type { BoardStore } from "./store";
import { useBoardStore } from "./store-context";

const editRequest = new UiSlot<string | null>(null);

/** Asks the item with this flow id to open its editor. */
export function requestEdit(store: BoardStore, id: string): void {
  store.setUi(editRequest, id);
}

/** In a node view: calls `start` when the board asks this item to be edited (once per request). */
export function useEditRequest(id: string, start: () => void): void {
  const store = useBoardStore();
  const asked = useSyncExternalStore(store.subscribe, () => store.ui(editRequest) === id);
  useEffect(() => {
    if (!asked) return;
    store.setUi(editRequest, null);
    start();
    // `start` is the view's own, a new function each render: what matters is the request.
  }, [asked, store]);
}
