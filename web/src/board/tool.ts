/**
 * The board's current tool, this screen's own: none (select, the board's default: V or Escape)
 * or a drawing tool (a module's tool with `draw`, armed by its key or its toolbar button), which
 * DrawLayer.tsx draws with and which gives way to select again once it has drawn one thing.
 */
import type { CreateTool } from "../modules/kit";
import { UiSlot } from "./module-state";
import type { BoardStore } from "./store";
import { useBoard, useBoardStore } from "./store-context";

const ARMED = new UiSlot<CreateTool | null>(null);

/** The drawing tool armed, or null (select). */
export const armedTool = (store: BoardStore): CreateTool | null => store.ui(ARMED);

/** Arms a drawing tool, or goes back to select with null. */
export function armTool(store: BoardStore, tool: CreateTool | null): void {
  if (armedTool(store) !== tool) store.setUi(ARMED, tool);
}

/** The drawing tool armed on this screen (re-renders when it changes). */
export function useArmedTool(): CreateTool | null {
  const store = useBoardStore();
  return useBoard(() => armedTool(store));
}
