/**
 * What xyflow is given while the board is zoomed far out and FarBoard draws it: every node, hidden
 * (xyflow keeps them for fit view, search's jump, the free-spot finder and export bounds, and draws
 * none), and no edges; except the items an export asked to have in the DOM (`IN_DOM`), and the
 * edges between them.
 */
import { useStoreApi } from "@xyflow/react";
import { useEffect, useMemo, useRef } from "react";
import type { BoardFlowEdge, BoardFlowNode } from "./flow-model";
import { UiSlot } from "./module-state";
import { FAR_ZOOM, useFarZoom } from "./zoom";

const NONE: ReadonlySet<string> = new Set();
/** Items drawn in the DOM even zoomed far out: what an export of the selection renders. */
export const IN_DOM = new UiSlot<ReadonlySet<string>>(NONE);
export const NO_ITEMS_IN_DOM = NONE;

/** One hidden copy per node object, so an unchanged node stays the same object for xyflow. */
const hiddenCopies = new WeakMap<BoardFlowNode, BoardFlowNode>();
const hide = (node: BoardFlowNode): BoardFlowNode => {
  let copy = hiddenCopies.get(node);
  if (!copy) hiddenCopies.set(node, (copy = { ...node, hidden: true }));
  return copy;
};
const NO_EDGES: BoardFlowEdge[] = [];

/** The nodes and edges xyflow draws: all of them closer in; zoomed far out, those of `inDom` only. */
export function flowShown(nodes: BoardFlowNode[], edges: BoardFlowEdge[], far: boolean, inDom: ReadonlySet<string>): { nodes: BoardFlowNode[]; edges: BoardFlowEdge[] } {
  if (!far) return { nodes, edges };
  return {
    nodes: nodes.map((n) => (n.hidden || inDom.has(n.id) ? n : hide(n))),
    edges: inDom.size === 0 ? NO_EDGES : edges.filter((e) => inDom.has(e.source) && inDom.has(e.target)),
  };
}

/**
 * The nodes and edges to give xyflow (flowShown at the zoom shown). xyflow takes new nodes in an
 * effect, after it has drawn the new zoom with the old ones: zooming out past FAR_ZOOM (fit view
 * on a big board, from 100 % to 10 % at once) it would mount every node of the board in the DOM
 * for one render, seconds on 2,000 notes. So the moment its zoom crosses, they are hidden in its
 * store too, before React draws.
 */
export function useShownFlow(nodes: BoardFlowNode[], edges: BoardFlowEdge[], inDom: ReadonlySet<string>): { nodes: BoardFlowNode[]; edges: BoardFlowEdge[] } {
  const far = useFarZoom();
  const api = useStoreApi<BoardFlowNode, BoardFlowEdge>();
  const latest = useRef({ nodes, edges, inDom });
  latest.current = { nodes, edges, inDom };
  useEffect(
    () =>
      api.subscribe((state, before) => {
        if (state.transform[2] >= FAR_ZOOM || before.transform[2] < FAR_ZOOM) return;
        const shown = flowShown(latest.current.nodes, latest.current.edges, true, latest.current.inDom);
        state.setNodes(shown.nodes);
        state.setEdges(shown.edges);
      }),
    [api],
  );
  return useMemo(() => flowShown(nodes, edges, far, inDom), [nodes, edges, far, inDom]);
}
