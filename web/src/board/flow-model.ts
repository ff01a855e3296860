/**
 * Maps a project's Y.Doc (core-graph nodes and edges, whiteboard placements and shapes, and
 * what each node kind's view reads, see web/src/modules/) for one view to xyflow nodes and edges, with this client's optimistic overlay and
 * the other people's drags and selections on top. Pure, and it reuses the node objects
 * that did not change, so xyflow re-renders only what moved.
 */
import { type Edge, type EdgeMarker, MarkerType, type Node, type NodeHandle, Position } from "@xyflow/react";
import type * as Y from "yjs";
import { edgesOf, nodesOf } from "../../../gateway-do/src/modules/core-graph";
import type { EDGE_KINDS, NodeRecord } from "../../../gateway-do/src/modules/core-graph/schema";
import type { NodeKind as DeclaredNodeKind } from "../../../gateway-do/src/modules/registry";
import { drawnEnds } from "../../../gateway-do/src/modules/whiteboard/bindings";
import { type Box, type Outline, arrowShape } from "../../../gateway-do/src/modules/whiteboard/geometry";
import { placementsOf, shapesOf } from "../../../gateway-do/src/modules/whiteboard/placements";
import type { Placement, SHAPE_KINDS, ShapeRecord } from "../../../gateway-do/src/modules/whiteboard/schema";
import { type ItemStyle, styleOf } from "../../../gateway-do/src/modules/whiteboard/styles";
import { allNodeViews, nodeViewOf } from "../modules/registry";
import { FRAME } from "./frames";

export type NodeKind = DeclaredNodeKind;
export type ShapeKind = (typeof SHAPE_KINDS)[number];
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** Someone else who has this item selected. */
export interface PeerMark {
  name: string;
  color: string;
}

export interface GraphNodeData extends Record<string, unknown> {
  nodeId: string;
  locked: boolean;
  selectedBy: PeerMark[];
  /** How it looks on this view (the style panel's), drawn by NodeFrame's `look`; none when absent. */
  style?: ItemStyle;
}
export interface ShapeNodeData extends Record<string, unknown> {
  /** The shape as drawn now: a bound arrow's box and points follow the items it is bound to. */
  shape: ShapeRecord;
  locked: boolean;
  /** An arrow with an end bound to an item: it follows the item, so it is not dragged or resized itself. */
  bound?: boolean;
  selectedBy: PeerMark[];
  style: ItemStyle;
}

/** The xyflow node of a graph node of kind K (its view, in web/src/modules/, reads more data of its own). */
export type GraphFlowNode<K extends NodeKind = NodeKind> = K extends NodeKind ? Node<GraphNodeData, K> : never;
/** The xyflow node of a free shape of kind K; its id is `shape:{shapeId}`. */
export type ShapeFlowNode<K extends ShapeKind = ShapeKind> = K extends ShapeKind ? Node<ShapeNodeData, K> : never;
export type BoardFlowNode = GraphFlowNode | ShapeFlowNode;
export interface BoardEdgeData extends Record<string, unknown> {
  kind: EdgeKind;
  /** Its own words, shown instead of its kind; undefined when it has none. */
  label: string | undefined;
  style: ItemStyle;
  /** Its zIndex: its label is drawn at the same height, over its own line. */
  z: number;
}
export type BoardFlowEdge = Edge<BoardEdgeData, "board">;

/** The style of items that have none: one object, so unchanged nodes stay identical. */
export const NO_STYLE: ItemStyle = Object.freeze({});
/** An edge's default colour (its arrowheads' too) and width. */
export const EDGE_INK = "#78716c";
export const DEFAULT_EDGE_WIDTH = 1.5;
/** An arrowhead's size on screen, in px. */
const MARKER_PX = 22;

export const SHAPE_PREFIX = "shape:";
export const shapeFlowId = (shapeId: string) => `${SHAPE_PREFIX}${shapeId}`;
/** The shape id of a flow node id, or null for a graph node. */
export const shapeIdOf = (flowId: string) => (flowId.startsWith(SHAPE_PREFIX) ? flowId.slice(SHAPE_PREFIX.length) : null);

/** What this client shows ahead of the gateway: drags, changes awaiting their ack, selection. */
export interface LocalOverlay {
  positions: ReadonlyMap<string, { x: number; y: number }>;
  sizes: ReadonlyMap<string, { width: number; height: number }>;
  /** Flow ids deleted here, awaiting the ack. */
  deleted: ReadonlySet<string>;
  selected: ReadonlySet<string>;
  /** Items put in a frame (or taken out) here, awaiting the ack: their frame (null: none); their position is relative to it. */
  parents?: ReadonlyMap<string, { parent: string | null }>;
  /** Sizes xyflow measured in the DOM (it needs them back to place handles and edges). */
  measured?: ReadonlyMap<string, { width: number; height: number }>;
}

/** Other people on this view: what they drag and select. */
export interface PeerOverlay {
  positions: ReadonlyMap<string, { x: number; y: number }>;
  selectedBy: ReadonlyMap<string, PeerMark[]>;
}

export const emptyOverlay: LocalOverlay = { positions: new Map(), sizes: new Map(), deleted: new Set(), selected: new Set() };
export const emptyPeers: PeerOverlay = { positions: new Map(), selectedBy: new Map() };

/** Remembers the previous node objects and what they were built from. */
export type FlowCache = Map<string, { deps: unknown[]; node: BoardFlowNode }>;

const NO_MARKS: PeerMark[] = [];

/** NodeFrame's handles (10 px, centred on the left and right sides; board.css .board-handle). */
const HANDLE_PX = 10;
const NO_HANDLES: NodeHandle[] = [];
/**
 * Where a node's handles are, given to xyflow ahead of the DOM (with its size as `measured`): it
 * draws every node it has not measured yet, in sight or not, to find them, and holds a fit view
 * back until every node is measured. Without them a board of 2,000 notes mounted all 2,000 on
 * open, whatever the zoom.
 */
function handlesOf(width: number, height: number): NodeHandle[] {
  const y = height / 2 - HANDLE_PX / 2;
  return [
    // No id, as the DOM's handles (null: xyflow finds a handle by `{node}-{id}-{type}`).
    { id: null, type: "target", position: Position.Left, x: -HANDLE_PX / 2, y, width: HANDLE_PX, height: HANDLE_PX },
    { id: null, type: "source", position: Position.Right, x: width - HANDLE_PX / 2, y, width: HANDLE_PX, height: HANDLE_PX },
  ];
}

function reuse(cache: FlowCache, next: FlowCache, id: string, deps: unknown[], build: () => BoardFlowNode): BoardFlowNode {
  const hit = cache.get(id);
  const node = hit && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i]) ? hit.node : build();
  next.set(id, { deps, node });
  return node;
}

/** One item of a view to stack: a placed node or a free shape. */
interface Stacked {
  id: string;
  z: number;
  parent: string | null;
}

/**
 * The view's paint order, bottom first: top-level nodes and shapes by their doc `z` (ties by
 * id, the same on every screen whatever order the doc's maps iterate in), each group followed
 * at once by its children, in their own `z` order. It depends on the doc alone: never on
 * selection, nor on the order nodes were mounted, so every screen stacks alike. A group comes
 * before its children, as xyflow requires.
 */
export function paintOrder(items: readonly Stacked[]): string[] {
  const ids = new Set(items.map((i) => i.id));
  const children = new Map<string | null, Stacked[]>();
  for (const item of items) {
    const parent = item.parent && ids.has(item.parent) ? item.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), item]);
  }
  for (const list of children.values()) list.sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null) => {
    for (const item of children.get(parent) ?? []) {
      if (seen.has(item.id)) continue; // a cycle in a forged doc
      seen.add(item.id);
      order.push(item.id);
      visit(item.id);
    }
  };
  visit(null);
  // Items only a cycle of parents reaches (a forged doc) are still drawn, on top.
  for (const item of items) if (!seen.has(item.id)) order.push(item.id);
  return order;
}

/**
 * xyflow's zIndex of the item at `rank` in the paint order. Items take even numbers, so an
 * edge can sit just above the higher of its two ends (odd): above the fill of a group it enters.
 */
const zIndexOf = (rank: number) => (rank + 1) * 2;

/** The view's xyflow nodes and edges. Pass the cache of the previous call to keep unchanged nodes identical. */
export function buildFlow(
  doc: Y.Doc,
  viewId: string,
  local: LocalOverlay = emptyOverlay,
  peers: PeerOverlay = emptyPeers,
  cache: FlowCache = new Map(),
): { nodes: BoardFlowNode[]; edges: BoardFlowEdge[]; cache: FlowCache } {
  const next: FlowCache = new Map();
  const records = nodesOf(doc);
  const placed = new Map<string, Placement>();
  for (const p of placementsOf(doc).values()) if (p.viewId === viewId && records.has(p.nodeId) && !local.deleted.has(p.nodeId)) placed.set(p.nodeId, p);
  // What each kind's view reads beyond the placement (a chat node's chat), looked up once per build.
  const lookups = new Map([...allNodeViews()].flatMap(([kind, view]) => (view.lookup ? [[kind, view.lookup(doc)] as const] : [])));

  const shapes = [...shapesOf(doc).values()].filter((shape) => shape.viewId === viewId && !local.deleted.has(shapeFlowId(shape.id)));
  // Each item's frame or group: the one it is being put in here, else the doc's (when on the view).
  const parentOf = (id: string, stored: string | null | undefined): string | null => {
    const parent = local.parents?.get(id)?.parent ?? (local.parents?.has(id) ? null : (stored ?? null));
    return parent !== null && placed.has(parent) ? parent : null;
  };
  const order = paintOrder([
    ...[...placed.values()].map((p) => ({ id: p.nodeId, z: p.z, parent: parentOf(p.nodeId, p.parent) })),
    ...shapes.map((s) => ({ id: shapeFlowId(s.id), z: s.z, parent: parentOf(shapeFlowId(s.id), s.parent) })),
  ]);
  const boxOf = liveBoxes(placed, shapes, local, peers, parentOf);
  // Whether a frame or group, or one around it, is locked: the gateway refuses changing what it holds.
  const lockedAround = (parent: string | null): boolean => {
    for (let id = parent, hops = 0; id !== null && hops < 50; hops++) {
      const p = placed.get(id)!;
      if (p.locked) return true;
      id = parentOf(id, p.parent);
    }
    return false;
  };
  const clip = frameClips(placed, records, boxOf, parentOf, local, peers);
  const zIndex = new Map(order.map((id, rank) => [id, zIndexOf(rank)]));
  const shapeByFlowId = new Map(shapes.map((s) => [shapeFlowId(s.id), s]));
  const nodes: BoardFlowNode[] = [];
  for (const id of order) {
    const shape = shapeByFlowId.get(id);
    if (shape) {
      const parent = parentOf(id, shape.parent);
      nodes.push(shapeNode(cache, next, boundArrow(shape, boxOf, parent), shapeStyle(doc, shape), zIndex.get(id)!, local, peers, parent, lockedAround(parent), clip));
      continue;
    }
    const p = placed.get(id)!;
    const z = zIndex.get(id)!;
    const record = records.get(p.nodeId) as NodeRecord;
    const position = peers.positions.get(p.nodeId) ?? local.positions.get(p.nodeId);
    const size = local.sizes.get(p.nodeId);
    const selected = local.selected.has(p.nodeId);
    const marks = peers.selectedBy.get(p.nodeId) ?? NO_MARKS;
    const view = nodeViewOf(record.kind);
    const extra = lookups.get(record.kind)?.(p.nodeId);
    const parent = parentOf(p.nodeId, p.parent);
    const parentLocked = lockedAround(parent);
    const measured = local.measured?.get(p.nodeId);
    const style = styleOf(doc, viewId, p.nodeId) ?? NO_STYLE;
    const clipPath = clip(p.nodeId, parent, { x: (position ?? p).x, y: (position ?? p).y, width: size?.width ?? p.width, height: size?.height ?? p.height });
    nodes.push(
      reuse(cache, next, p.nodeId, [p, record, position, size, selected, marks, extra, parentLocked, measured, z, style, parent, clipPath], () => {
        const [width, height] = [size?.width ?? p.width, size?.height ?? p.height];
        const base = {
          id: p.nodeId,
          position: position ? { x: position.x, y: position.y } : { x: p.x, y: p.y },
          width,
          height,
          handles: view?.connectable === false ? NO_HANDLES : handlesOf(width, height),
          selected,
          hidden: p.hidden,
          draggable: !p.locked && !parentLocked,
          zIndex: z,
          // Until the DOM measures it, its size is the one it is drawn at (see handlesOf).
          measured: measured ?? { width, height },
          ...(parent ? { parentId: parent } : {}),
          ...(clipPath ? { style: { clipPath } } : {}),
        };
        const data: GraphNodeData = { nodeId: p.nodeId, locked: p.locked || parentLocked, selectedBy: marks, style };
        return { ...base, type: record.kind, ...(view?.dragHandle ? { dragHandle: view.dragHandle } : {}), data: view ? view.data(data, extra) : data };
      }),
    );
  }

  const edges: BoardFlowEdge[] = [];
  for (const edge of edgesOf(doc).values()) {
    if (!placed.has(edge.from) || !placed.has(edge.to)) continue;
    const style = styleOf(doc, viewId, edge.id) ?? NO_STYLE;
    const arrowheads = style.arrowheads ?? "end";
    // xyflow sizes markers in stroke widths: the same arrowhead on screen whatever the width.
    const head = MARKER_PX / (style.strokeWidth ?? DEFAULT_EDGE_WIDTH);
    const marker: EdgeMarker = { type: MarkerType.ArrowClosed, color: style.stroke ?? EDGE_INK, width: head, height: head };
    // Just above the higher of its ends: a group's fill never hides an edge into the group.
    const z = Math.max(zIndex.get(edge.from) ?? 0, zIndex.get(edge.to) ?? 0) + 1;
    edges.push({
      id: edge.id,
      type: "board",
      source: edge.from,
      target: edge.to,
      selected: local.selected.has(edge.id),
      zIndex: z,
      ...(arrowheads === "none" ? {} : { markerEnd: marker }),
      ...(arrowheads === "both" ? { markerStart: marker } : {}),
      data: { kind: edge.kind, label: edge.label, style, z },
    });
  }
  return { nodes, edges, cache: next };
}

/** A shape's style on its view. */
function shapeStyle(doc: Y.Doc, shape: ShapeRecord): ItemStyle {
  return styleOf(doc, shape.viewId, shape.id) ?? NO_STYLE;
}

type BoxOf = (itemId: string) => Outline | undefined;

/**
 * Where items lie on the board now (their drags and resizes here and by others included),
 * adding up the frames and groups holding them: asked only for the items bound arrows name and
 * for the frames clipping what they hold.
 */
function liveBoxes(placed: ReadonlyMap<string, Placement>, shapes: readonly ShapeRecord[], local: LocalOverlay, peers: PeerOverlay, parentOf: (id: string, stored: string | null | undefined) => string | null): BoxOf {
  const shapeById = new Map(shapes.map((s) => [s.id, s]));
  const known = new Map<string, Outline | undefined>();
  const boxOf = (itemId: string, hops = 0): Outline | undefined => {
    if (known.has(itemId) || hops > 50) return known.get(itemId);
    const shape = shapeById.get(itemId);
    const p = shape ? undefined : placed.get(itemId);
    const item = shape ?? p;
    let box: Outline | undefined;
    if (item && shape?.kind !== "arrow") {
      const flowId = shape ? shapeFlowId(itemId) : itemId;
      const at = peers.positions.get(flowId) ?? local.positions.get(flowId) ?? item;
      const size = local.sizes.get(flowId) ?? item;
      const parent = parentOf(flowId, shape ? shape.parent : p!.parent);
      const origin = parent ? boxOf(parent, hops + 1) : undefined;
      box = { x: at.x + (origin?.x ?? 0), y: at.y + (origin?.y ?? 0), width: size.width, height: size.height, round: shape?.kind === "ellipse" };
    }
    known.set(itemId, box);
    return box;
  };
  return (itemId) => boxOf(itemId);
}

type FrameClip = (id: string, parent: string | null, box: Box) => string | undefined;

/**
 * What sticks out of the frames holding an item is not drawn (as in tldraw and Figma): a CSS
 * clip for an item at `box` (relative to its parent) that overflows the frames around it, or
 * undefined. An item selected or dragged here, or dragged by someone else, is drawn whole.
 */
function frameClips(
  placed: ReadonlyMap<string, Placement>,
  records: ReturnType<typeof nodesOf>,
  boxOf: BoxOf,
  parentOf: (id: string, stored: string | null | undefined) => string | null,
  local: LocalOverlay,
  peers: PeerOverlay,
): FrameClip {
  const within = new Map<string, Box | undefined>();
  // The part of the board a frame or group lets what it holds be seen in: inside every frame around it.
  const windowOf = (id: string, hops = 0): Box | undefined => {
    if (within.has(id) || hops > 50) return within.get(id);
    const p = placed.get(id)!;
    const outer = (() => {
      const parent = parentOf(id, p.parent);
      return parent === null ? undefined : windowOf(parent, hops + 1);
    })();
    const own = records.get(id)?.kind === FRAME ? boxOf(id) : undefined;
    const box = own && outer ? intersection(own, outer) : (own ?? outer);
    within.set(id, box);
    return box;
  };
  return (id, parent, box) => {
    if (parent === null || local.selected.has(id) || local.positions.has(id) || peers.positions.has(id)) return undefined;
    const seen = windowOf(parent);
    const origin = boxOf(parent);
    if (!seen || !origin) return undefined;
    const [x, y] = [box.x + origin.x, box.y + origin.y];
    const inset = [seen.y - y, x + box.width - (seen.x + seen.width), y + box.height - (seen.y + seen.height), seen.x - x].map((n) => Math.max(0, Math.round(n)));
    return inset.every((n) => n === 0) ? undefined : `inset(${inset.map((n) => `${n}px`).join(" ")})`;
  };
}

/** The part of a node drawn when a frame clips it (frameClips), relative to its corner; null when drawn whole. */
export function clippedTo(node: BoardFlowNode, width: number, height: number): Box | null {
  const match = /^inset\((\d+)px (\d+)px (\d+)px (\d+)px\)$/.exec(String(node.style?.clipPath ?? ""));
  if (!match) return null;
  const [top, right, bottom, left] = match.slice(1).map(Number) as [number, number, number, number];
  return { x: left, y: top, width: Math.max(0, width - left - right), height: Math.max(0, height - top - bottom) };
}

const intersection = (a: Box, b: Box): Box => {
  const [x, y] = [Math.max(a.x, b.x), Math.max(a.y, b.y)];
  return { x, y, width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x), height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y) };
};

/** Bound arrows as drawn now: their box and points from the items they are bound to (the same arrow object while those stay put). */
const followed = new WeakMap<ShapeRecord, { key: string; shape: ShapeRecord }>();
function boundArrow(shape: ShapeRecord, boxOf: BoxOf, parent: string | null): ShapeRecord {
  if (shape.kind !== "arrow" || (shape.from === undefined && shape.to === undefined)) return shape;
  const origin = parent ? boxOf(parent) : undefined;
  const at = { x: shape.x + (origin?.x ?? 0), y: shape.y + (origin?.y ?? 0) };
  const [drawnFrom, drawnTo] = drawnEnds(shape, at);
  const from = (shape.from !== undefined && boxOf(shape.from)) || drawnFrom;
  const to = (shape.to !== undefined && boxOf(shape.to)) || drawnTo;
  const { box, points } = arrowShape(from, to);
  const now = { x: box.x - (origin?.x ?? 0), y: box.y - (origin?.y ?? 0), width: box.width, height: box.height, points };
  const key = JSON.stringify(now);
  const hit = followed.get(shape);
  if (hit?.key === key) return hit.shape;
  const drawn = { ...shape, ...now };
  followed.set(shape, { key, shape: drawn });
  return drawn;
}

/** The xyflow node of a free shape (kept as it was when nothing it shows changed). */
function shapeNode(
  cache: FlowCache,
  next: FlowCache,
  shape: ShapeRecord,
  style: ItemStyle,
  z: number,
  local: LocalOverlay,
  peers: PeerOverlay,
  parent: string | null,
  parentLocked: boolean,
  clip: FrameClip,
): BoardFlowNode {
  const id = shapeFlowId(shape.id);
  const bound = shape.from !== undefined || shape.to !== undefined;
  // A bound arrow is where its items put it, whatever was dragged here.
  const position = bound ? undefined : (peers.positions.get(id) ?? local.positions.get(id));
  const size = bound ? undefined : local.sizes.get(id);
  const selected = local.selected.has(id);
  const marks = peers.selectedBy.get(id) ?? NO_MARKS;
  const measured = bound ? undefined : local.measured?.get(id);
  const locked = shape.locked || parentLocked;
  const clipPath = clip(id, parent, { ...(position ?? shape), width: size?.width ?? shape.width, height: size?.height ?? shape.height });
  return reuse(cache, next, id, [shape, position, size, selected, marks, measured, z, style, parent, locked, clipPath], () => ({
    id,
    type: shape.kind,
    ...(parent ? { parentId: parent } : {}),
    ...(clipPath ? { style: { clipPath } } : {}),
    position: position ? { x: position.x, y: position.y } : { x: shape.x, y: shape.y },
    width: size?.width ?? shape.width,
    height: size?.height ?? shape.height,
    // Shapes have no handles (NodeFrame's connectable={false}).
    handles: NO_HANDLES,
    selected,
    draggable: !locked && !bound,
    measured: measured ?? { width: size?.width ?? shape.width, height: size?.height ?? shape.height },
    zIndex: z,
    data: { shape, locked, selectedBy: marks, style, ...(bound ? { bound } : {}) },
  }));
}
