/** Level of detail: below this zoom the board draws nodes simplified (no editor, title only). */
import { type ReactFlowState, useStore } from "@xyflow/react";

export const FAR_ZOOM = 0.4;
/** Above this many nodes the minimap draws them as one path per colour (see BoardMinimap). */
export const BIG_BOARD_NODES = 1000;

const isFar = (s: ReactFlowState) => s.transform[2] < FAR_ZOOM;

/** True while the board is zoomed out below FAR_ZOOM; re-renders only when that flips. */
export function useFarZoom(): boolean {
  return useStore(isFar);
}
