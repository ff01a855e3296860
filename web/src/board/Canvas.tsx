/**
 * The whiteboard itself: xyflow bound to the board store. Drags (and arrow-key nudges,
 * use-nudge.ts) are local and shared live through awareness, then sent as one
 * `whiteboard:move` on drop; connecting two handles
 * sends `core-graph:connect`; the other people's cursors are drawn in flow coordinates.
 */
import {
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  type Connection,
  type EdgeChange,
  type EdgeTypes,
  type NodeChange,
  type OnNodeDrag,
  ReactFlow,
  useReactFlow,
  type Viewport,
} from "@xyflow/react";
import { type MouseEvent as ReactMouseEvent, useCallback, useEffect, useRef, useState } from "react";
import { BoardEdge } from "./BoardEdge";
import { BoardMinimap } from "./BoardMinimap";
import { connectCommand, dropCommand } from "./commands";
import { ContextMenu, type MenuState } from "./ContextMenu";
import { Cursors } from "./Cursors";
import { DrawLayer } from "./DrawLayer";
import { EmptyBoardHint, ZoomPercent } from "./CanvasOverlays";
import { FarBoard } from "./FarBoard";
import { IN_DOM, useShownFlow } from "./far-flow";
import { requestEdit } from "./edit-request";
import { Search } from "./Search";
import type { BoardFlowEdge, BoardFlowNode, EdgeKind } from "./flow-model";
import { minimapColorOf, nodeTypes } from "../modules/registry";
import { useBoard, useBoardStore } from "./store-context";
import { useBoardActions } from "./use-board-actions";
import { useNudge } from "./use-nudge";
import { useShortcuts } from "./use-shortcuts";
import { readViewport, writeViewport } from "./viewport-memory";
import { BIG_BOARD_NODES, FIT_VIEW, useFarZoom } from "./zoom";

const DRAG = Symbol("drag");
const RESIZE = Symbol("resize-live");
const round = (n: number) => Math.round(n);
/** At module scope: a new function each render would redraw every minimap node. */
const minimapColor = (n: BoardFlowNode) => minimapColorOf(n.type).small;

// Props of <ReactFlow> at module scope, for the same reason as the handlers below.
const MULTI_SELECT_KEYS = ["Meta", "Control", "Shift"];
/** Every edge is drawn by BoardEdge, in its style (flow-model sets its type and arrowheads). */
const EDGE_TYPES: EdgeTypes = { board: BoardEdge };
const PRO_OPTIONS = { hideAttribution: true };
/** The zoom buttons' fit: zoomed far out xyflow's nodes are hidden (FarBoard draws them) and must still count. */
const CONTROLS_FIT = { includeHiddenNodes: true };

/**
 * `memory` names the project (e.g. `org/project`) whose views' viewports are remembered in
 * this browser across reloads; without it, only while the canvas is open.
 */
export function Canvas({ edgeKind, memory }: { edgeKind: EdgeKind; memory?: string }) {
  const store = useBoardStore();
  const nodes = useBoard((s) => s.nodes);
  const edges = useBoard((s) => s.edges);
  const viewId = useBoard((s) => s.viewId);
  const big = nodes.length > BIG_BOARD_NODES;
  const flow = useReactFlow();
  // Zoomed far out, FarBoard draws the board on a canvas: xyflow keeps the nodes, hidden.
  const far = useFarZoom();
  const inDom = useBoard(() => store.ui(IN_DOM));
  const shown = useShownFlow(nodes, edges, inDom);
  const actions = useBoardActions();
  const [menu, setMenu] = useState<MenuState | null>(null);
  const dragFrom = useRef(new Map<string, { x: number; y: number }>());
  useShortcuts(actions, store);
  useNudge(store);

  const onNodesChange = useCallback(
    (changes: NodeChange<BoardFlowNode>[]) => {
      let selection: Set<string> | null = null;
      const dragged: { id: string; x: number; y: number }[] = [];
      for (const change of changes) {
        if (change.type === "position" && change.position) {
          store.positions.set(change.id, { ...change.position, owner: change.dragging ? DRAG : RESIZE });
          if (change.dragging) dragged.push({ id: change.id, x: round(change.position.x), y: round(change.position.y) });
        } else if (change.type === "dimensions" && change.dimensions) {
          if (change.resizing) store.sizes.set(change.id, { ...change.dimensions, owner: RESIZE });
          else store.measured.set(change.id, change.dimensions);
        } else if (change.type === "select") {
          selection ??= new Set(store.selected);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (dragged.length > 0) store.setPresence({ drag: dragged });
      if (selection) store.setSelection(selection);
      else store.touch();
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<BoardFlowEdge>[]) => {
      const selection = new Set(store.selected);
      let changed = false;
      for (const change of changes) {
        if (change.type !== "select") continue;
        changed = true;
        if (change.selected) selection.add(change.id);
        else selection.delete(change.id);
      }
      if (changed) store.setSelection(selection);
    },
    [store],
  );

  const onNodeDragStart: OnNodeDrag<BoardFlowNode> = useCallback((_, __, dragged) => {
    dragFrom.current = new Map(dragged.map((n) => [n.id, { ...n.position }]));
  }, []);

  const onNodeDragStop: OnNodeDrag<BoardFlowNode> = useCallback(
    (_, __, dragged) => {
      const moves = dragged
        .map((n) => ({ id: n.id, x: round(n.position.x), y: round(n.position.y), from: dragFrom.current.get(n.id) ?? n.position }))
        .filter((m) => m.x !== round(m.from.x) || m.y !== round(m.from.y));
      store.setPresence({ drag: null });
      // Dropped into a frame, or out of the one holding it, an item changes frame where it was dropped.
      const drop = moves.length > 0 ? dropCommand(store, viewId, moves) : null;
      for (const n of dragged) if (store.positions.get(n.id)?.owner === DRAG) store.positions.delete(n.id);
      if (drop) void store.run(drop);
      else store.touch();
    },
    [store, viewId],
  );

  const onConnect = useCallback((c: Connection) => void store.run(connectCommand(store, c.source, c.target, edgeKind)), [store, edgeKind]);

  const onMouseMove = useCallback(
    (e: ReactMouseEvent) => {
      store.pointer = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      store.setPresence({ cursor: store.pointer });
    },
    [store, flow],
  );
  const onMouseLeave = useCallback(() => {
    store.pointer = null;
    store.setPresence({ cursor: null });
  }, [store]);
  // A double-click on empty canvas makes a note there (xyflow's zoom on double-click is off).
  const onDoubleClick = useCallback(
    (e: ReactMouseEvent) => {
      // Empty canvas: the pane or the dotted background, not a node, an edge or a control drawn over it.
      const target = e.target instanceof Element ? e.target : null;
      if (!target?.closest(".react-flow") || target.closest(".react-flow__node, .react-flow__edge, .react-flow__panel, .react-flow__controls, .react-flow__minimap")) return;
      void actions.createAt(flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [actions, flow],
  );

  // Every handler passed to xyflow keeps its identity: a new function would re-render every
  // node of the board (xyflow hands them to each node wrapper) at each change, e.g. each drag frame.
  const onNodeDrag: OnNodeDrag<BoardFlowNode> = useCallback(
    (e) => void ("clientX" in e && store.setPresence({ cursor: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) })),
    [store, flow],
  );
  const onPaneContextMenu = useCallback(
    (e: ReactMouseEvent | MouseEvent) => {
      e.preventDefault();
      setMenu({ kind: "pane", x: e.clientX, y: e.clientY, at: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
    },
    [flow],
  );
  const onNodeContextMenu = useCallback(
    (e: ReactMouseEvent | MouseEvent, node: BoardFlowNode) => {
      e.preventDefault();
      if (!store.selected.has(node.id)) store.setSelection(new Set([node.id]));
      setMenu({ kind: "node", x: e.clientX, y: e.clientY, at: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }), nodeId: node.id });
    },
    [store, flow],
  );
  const onPaneClick = useCallback(() => setMenu(null), []);
  // A double-click on an edge writes its label (BoardEdge answers the request).
  const onEdgeDoubleClick = useCallback((e: ReactMouseEvent, edge: BoardFlowEdge) => {
    e.stopPropagation();
    requestEdit(store, edge.id);
  }, [store]);

  useEffect(() => setMenu(null), [viewId]);
  const onMoveEnd = useViewportPerView(viewId, memory);

  // The first view shown: where it was left in this browser, if remembered. Otherwise the board
  // is fitted once it has synced with the gateway and has something to show: not on the first
  // note created on an empty board, which would jump away from where it was put.
  const [remembered] = useState(() => (memory ? readViewport(memory, viewId) : null));
  const status = useBoard((s) => s.status);
  const fitted = useRef(remembered !== null);
  useEffect(() => {
    if (fitted.current || status !== "online") return;
    fitted.current = true;
    if (store.getSnapshot().nodes.length > 0) void flow.fitView(FIT_VIEW);
  }, [status, store, flow]);

  return (
    <div className="board-canvas" onMouseMove={onMouseMove} onMouseLeave={onMouseLeave} onDoubleClick={onDoubleClick}>
      <ReactFlow<BoardFlowNode, BoardFlowEdge>
        nodes={shown.nodes}
        edges={shown.edges}
        nodeTypes={nodeTypes()}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={onNodeDragStart}
        onNodeDrag={onNodeDrag}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        connectionMode={ConnectionMode.Loose}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        onlyRenderVisibleElements
        // One stacking order, the doc's (flow-model's zIndex), on every screen: xyflow lifting
        // what is selected here, or children over every top-level node, made screens differ.
        zIndexMode="manual"
        elevateNodesOnSelect={false}
        elevateEdgesOnSelect={false}
        zoomOnDoubleClick={false}
        minZoom={0.1}
        maxZoom={2.5}
        edgeTypes={EDGE_TYPES}
        onEdgeDoubleClick={onEdgeDoubleClick}
        onPaneContextMenu={onPaneContextMenu}
        onNodeContextMenu={onNodeContextMenu}
        onPaneClick={onPaneClick}
        onMoveEnd={onMoveEnd}
        defaultViewport={remembered ?? undefined}
        proOptions={PRO_OPTIONS}
      >
        <Background gap={24} size={1.5} />
        {big || far ? <BoardMinimap /> : <MiniMap pannable zoomable nodeStrokeWidth={3} nodeColor={minimapColor} ariaLabel="Mini map" />}
        <Controls showInteractive={false} fitViewOptions={CONTROLS_FIT} />
        <ZoomPercent onClick={actions.actualSize} />
        <FarBoard onNodeContextMenu={onNodeContextMenu} />
        <Cursors />
        <DrawLayer edgeKind={edgeKind} />
      </ReactFlow>
      {nodes.length === 0 && status === "online" && <EmptyBoardHint />}
      {menu && <ContextMenu menu={menu} actions={actions} onClose={() => setMenu(null)} />}
      <Search />
    </div>
  );
}

/**
 * Each view keeps its own viewport: back on a view, the board is where it was left (in this
 * browser across reloads too, with `memory`); a view shown for the first time is fitted to what
 * it holds. Returns the `onMoveEnd` handler that remembers the viewport of the view shown.
 */
function useViewportPerView(viewId: string, memory: string | undefined): (event: unknown, viewport: Viewport) => void {
  const flow = useReactFlow();
  const store = useBoardStore();
  const viewports = useRef(new Map<string, Viewport>());
  const shown = useRef(viewId);
  useEffect(() => {
    const previous = shown.current;
    if (previous === viewId) return;
    viewports.current.set(previous, flow.getViewport());
    shown.current = viewId;
    const saved = viewports.current.get(viewId) ?? (memory ? readViewport(memory, viewId) : null);
    if (saved) void flow.setViewport(saved);
    else if (store.getSnapshot().nodes.length > 0) void flow.fitView(FIT_VIEW);
    else void flow.setViewport({ x: 0, y: 0, zoom: 1 });
  }, [viewId, flow, store, memory]);
  // Every pan and zoom that ends (the user's, a fit, a restore) is remembered for the view shown.
  return useCallback(
    (_: unknown, viewport: Viewport) => {
      if (memory) writeViewport(memory, shown.current, viewport);
    },
    [memory],
  );
}
