/**
 * Maps a project's Y.Doc (core-graph nodes and edges, whiteboard placements and shapes,
 * chats) for one view to xyflow nodes and edges, with this client's optimistic overlay and
 * the other people's drags and selections on top. Pure, and it reuses the node objects
 * that did not change, so xyflow re-renders only what moved.
 */
import type { Edge, Node } from "@xyflow/react";
import type * as Y from "yjs";
import { chatsOf } from "../../../gateway-do/src/modules/chats";
import { edgesOf, nodesOf } from "../../../gateway-do/src/modules/core-graph";
import type { EDGE_KINDS, NODE_KINDS, NodeRecord } from "../../../gateway-do/src/modules/core-graph/schema";
import { placementsOf, shapesOf } from "../../../gateway-do/src/modules/whiteboard/placements";
import type { Placement, SHAPE_KINDS, ShapeRecord } from "../../../gateway-do/src/modules/whiteboard/schema";

export type NodeKind = (typeof NODE_KINDS)[number];
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
}
export interface ChatNodeData extends GraphNodeData {
  chatId: string | null;
  title: string;
}
export interface NodeDataByKind {
  note: GraphNodeData;
  chat: ChatNodeData;
  group: GraphNodeData;
}
export interface ShapeNodeData extends Record<string, unknown> {
  shape: ShapeRecord;
  locked: boolean;
  selectedBy: PeerMark[];
}

/** The xyflow node of a graph node of kind K. */
export type GraphFlowNode<K extends NodeKind = NodeKind> = K extends NodeKind ? Node<NodeDataByKind[K], K> : never;
/** The xyflow node of a free shape of kind K; its id is `shape:{shapeId}`. */
export type ShapeFlowNode<K extends ShapeKind = ShapeKind> = K extends ShapeKind ? Node<ShapeNodeData, K> : never;
export type BoardFlowNode = GraphFlowNode | ShapeFlowNode;
export type BoardFlowEdge = Edge<{ kind: EdgeKind }>;

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

function reuse(cache: FlowCache, next: FlowCache, id: string, deps: unknown[], build: () => BoardFlowNode): BoardFlowNode {
  const hit = cache.get(id);
  const node = hit && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i]) ? hit.node : build();
  next.set(id, { deps, node });
  return node;
}

function depthOf(p: Placement, byNode: Map<string, Placement>): number {
  let depth = 0;
  for (let parent = p.parent; parent && depth < 50; parent = byNode.get(parent)?.parent ?? null) depth++;
  return depth;
}

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
  const chatByNode = new Map<string, { id: string; title: string }>();
  for (const chat of chatsOf(doc).values()) if (chat.nodeId) chatByNode.set(chat.nodeId, chat);

  const ordered = [...placed.values()]
    .map((p) => ({ p, depth: depthOf(p, placed) }))
    // xyflow wants a group before its children; then by z.
    .sort((a, b) => a.depth - b.depth || a.p.z - b.p.z);
  const nodes: BoardFlowNode[] = [];
  for (const { p } of ordered) {
    const record = records.get(p.nodeId) as NodeRecord;
    const position = peers.positions.get(p.nodeId) ?? local.positions.get(p.nodeId);
    const size = local.sizes.get(p.nodeId);
    const selected = local.selected.has(p.nodeId);
    const marks = peers.selectedBy.get(p.nodeId) ?? NO_MARKS;
    const chat = record.kind === "chat" ? chatByNode.get(p.nodeId) : undefined;
    const parentLocked = p.parent ? (placed.get(p.parent)?.locked ?? false) : false;
    const measured = local.measured?.get(p.nodeId);
    nodes.push(
      reuse(cache, next, p.nodeId, [p, record, position, size, selected, marks, chat, parentLocked, measured], () => {
        const base = {
          id: p.nodeId,
          position: position ? { x: position.x, y: position.y } : { x: p.x, y: p.y },
          width: size?.width ?? p.width,
          height: size?.height ?? p.height,
          selected,
          hidden: p.hidden,
          draggable: !p.locked && !parentLocked,
          ...(measured ? { measured } : {}),
          ...(p.parent && placed.has(p.parent) ? { parentId: p.parent } : {}),
        };
        const data: GraphNodeData = { nodeId: p.nodeId, locked: p.locked || parentLocked, selectedBy: marks };
        switch (record.kind) {
          case "note":
            return { ...base, type: "note", dragHandle: ".node-handle", data };
          case "chat":
            return { ...base, type: "chat", data: { ...data, chatId: chat?.id ?? null, title: chat?.title ?? "Chat" } };
          case "group":
            return { ...base, type: "group", data };
        }
      }),
    );
  }

  for (const shape of shapesOf(doc).values()) {
    if (shape.viewId !== viewId) continue;
    const id = shapeFlowId(shape.id);
    if (local.deleted.has(id)) continue;
    const position = peers.positions.get(id) ?? local.positions.get(id);
    const size = local.sizes.get(id);
    const selected = local.selected.has(id);
    const marks = peers.selectedBy.get(id) ?? NO_MARKS;
    const measured = local.measured?.get(id);
    nodes.push(
      reuse(cache, next, id, [shape, position, size, selected, marks, measured], () => ({
        id,
        type: shape.kind,
        position: position ? { x: position.x, y: position.y } : { x: shape.x, y: shape.y },
        width: size?.width ?? shape.width,
        height: size?.height ?? shape.height,
        selected,
        draggable: !shape.locked,
        ...(measured ? { measured } : {}),
        zIndex: shape.z,
        data: { shape, locked: shape.locked, selectedBy: marks },
      })),
    );
  }

  const edges: BoardFlowEdge[] = [];
  for (const edge of edgesOf(doc).values()) {
    if (!placed.has(edge.from) || !placed.has(edge.to)) continue;
    edges.push({
      id: edge.id,
      source: edge.from,
      target: edge.to,
      label: edge.kind,
      selected: local.selected.has(edge.id),
      data: { kind: edge.kind },
    });
  }
  return { nodes, edges, cache: next };
}
