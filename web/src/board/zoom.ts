/**
 * Level of detail: below this zoom the board is drawn on a canvas (FarBoard.tsx), each item its
 * outline and first line; closer in, xyflow draws the nodes in the DOM.
 */
import { type ReactFlowState, useStore } from "@xyflow/react";

export const FAR_ZOOM = 0.4;
/** Above this many nodes the minimap draws them as one path per colour (see BoardMinimap). */
export const BIG_BOARD_NODES = 1000;
/**
 * Margins for fitting the board in view (on open and with F). The bottom one keeps the board
 * clear of the minimap (bottom right: 150 px and its 15 px margin) and the zoom controls (bottom
 * left), so no node of a fitted board lies under them; the others match xyflow's padding 0.2.
 */
export const FIT_PADDING = { top: "8%", right: "8%", bottom: "180px", left: "8%" } as const;
/** Fit view (on open, F, a view shown first): zoomed far out xyflow's nodes are hidden (FarBoard draws them), and still count. */
export const FIT_VIEW = { padding: FIT_PADDING, maxZoom: 1, includeHiddenNodes: true } as const;

const isFar = (s: ReactFlowState) => s.transform[2] < FAR_ZOOM;

/** True while the board is zoomed out below FAR_ZOOM; re-renders only when that flips. */
export function useFarZoom(): boolean {
  return useStore(isFar);
}
