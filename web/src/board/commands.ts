/**
 * The board's changes as commands: the gateway events to send, the optimistic overlay to
 * show meanwhile, and the inverse that undoes each (moves back, deletes what was created,
 * recreates deleted notes and shapes, unlocks, ungroups…).
 */
import { bodiesOf } from "../../../gateway-do/src/modules/notes";
import { edgesOf, nodesOf } from "../../../gateway-do/src/modules/core-graph";
import { absolutePosition, placementKey, placementsOf, shapesOf } from "../../../gateway-do/src/modules/whiteboard/placements";
import type { ShapeRecord } from "../../../gateway-do/src/modules/whiteboard/schema";
import type { GatewayEvent } from "../gateway/messages";
import { type EdgeKind, type ShapeKind, shapeIdOf } from "./flow-model";
import type { BoardStore, Command } from "./store";

type Point = { x: number; y: number };
type Size = { width: number; height: number };

/** What a command creates, found by comparing ids before and after its ack. */
function created(before: ReadonlySet<string>, now: Iterable<string>): string[] {
  return [...now].filter((id) => !before.has(id));
}

/** Moves nodes and shapes to new positions (flow ids; graph positions relative to their group). */
export function moveCommand(store: BoardStore, viewId: string, moves: (Point & { id: string; from: Point })[]): Command {
  const owner = Symbol("move");
  const graph = moves.filter((m) => shapeIdOf(m.id) === null);
  const events: GatewayEvent[] = [];
  if (graph.length > 0) events.push({ type: "whiteboard:move", viewId, moves: graph.map((m) => ({ nodeId: m.id, x: m.x, y: m.y })) });
  for (const m of moves) {
    const shapeId = shapeIdOf(m.id);
    if (shapeId) events.push({ type: "whiteboard:update-shape", shapeId, x: m.x, y: m.y });
  }
  return {
    events,
    apply: () => moves.forEach((m) => store.positions.set(m.id, { x: m.x, y: m.y, owner })),
    settle: () => moves.forEach((m) => store.positions.get(m.id)?.owner === owner && store.positions.delete(m.id)),
    inverse: () => moveCommand(store, viewId, moves.map((m) => ({ id: m.id, ...m.from, from: { x: m.x, y: m.y } }))),
  };
}

/** Resizes one node or shape (and moves it, as resizing from a top or left edge does). */
export function resizeCommand(store: BoardStore, viewId: string, id: string, to: Size & Point, from: Size & Point): Command {
  const owner = Symbol("resize");
  const shapeId = shapeIdOf(id);
  const events: GatewayEvent[] = shapeId
    ? [{ type: "whiteboard:update-shape", shapeId, ...to }]
    : [
        { type: "whiteboard:resize", viewId, nodeId: id, width: to.width, height: to.height },
        { type: "whiteboard:move", viewId, moves: [{ nodeId: id, x: to.x, y: to.y }] },
      ];
  return {
    events,
    apply: () => {
      store.sizes.set(id, { width: to.width, height: to.height, owner });
      store.positions.set(id, { x: to.x, y: to.y, owner });
    },
    settle: () => {
      if (store.sizes.get(id)?.owner === owner) store.sizes.delete(id);
      if (store.positions.get(id)?.owner === owner) store.positions.delete(id);
    },
    inverse: () => resizeCommand(store, viewId, id, from, to),
  };
}

/** Creates notes (e.g. from the toolbar, or pasted); undo deletes them. */
export function createNotesCommand(store: BoardStore, viewId: string, notes: (Point & Partial<Size> & { text?: string })[]): Command {
  const before = new Set(nodesOf(store.doc).keys());
  return {
    events: notes.map((n) => ({ type: "notes:create", viewId, x: Math.round(n.x), y: Math.round(n.y), ...(n.width ? { width: n.width, height: n.height } : {}), text: n.text ?? "" })),
    inverse: () => {
      const mine = created(before, nodesOf(store.doc).keys()).filter((id) => nodesOf(store.doc).get(id)?.createdBy === store.me.userId);
      return mine.length > 0 ? deleteCommand(store, viewId, mine) : null;
    },
  };
}

/** Creates a chat as its own node on the board (anchored to a node, if given). */
export function createChatCommand(viewId: string, title: string, at: Point, anchorNodeId?: string): Command {
  return { events: [{ type: "chats:create", title, ...(anchorNodeId ? { anchorNodeId } : {}), board: { viewId, x: Math.round(at.x), y: Math.round(at.y) } }] };
}

/** Adds free shapes; undo deletes them. */
export function addShapesCommand(store: BoardStore, viewId: string, shapes: (Point & Size & { kind: ShapeKind; text?: string; color?: string })[]): Command {
  const before = new Set(shapesOf(store.doc).keys());
  return {
    events: shapes.map((s) => ({ type: "whiteboard:add-shape", viewId, kind: s.kind, x: Math.round(s.x), y: Math.round(s.y), width: s.width, height: s.height, text: s.text ?? "", ...(s.color ? { color: s.color } : {}) })),
    inverse: () => {
      const ids = created(before, shapesOf(store.doc).keys());
      return ids.length > 0 ? deleteCommand(store, viewId, ids.map((id) => `shape:${id}`)) : null;
    },
  };
}

/** Deletes nodes, shapes and edges (flow ids); undo recreates the notes and shapes (with new ids). */
export function deleteCommand(store: BoardStore, viewId: string, ids: readonly string[]): Command {
  const doc = store.doc;
  const owner = Symbol("delete");
  const nodeIds = ids.filter((id) => nodesOf(doc).has(id));
  const shapeIds = ids.map(shapeIdOf).filter((id): id is string => id !== null && shapesOf(doc).has(id));
  const edgeIds = ids.filter((id) => edgesOf(doc).has(id) && !nodeIds.includes(edgesOf(doc).get(id)!.from) && !nodeIds.includes(edgesOf(doc).get(id)!.to));
  // What undo brings back: notes with their text where they were, and shapes.
  const notes = nodeIds.flatMap((id) => {
    const placement = placementsOf(doc).get(placementKey(viewId, id));
    if (nodesOf(doc).get(id)?.kind !== "note" || !placement) return [];
    return [{ ...absolutePosition(doc, placement), width: placement.width, height: placement.height, text: bodiesOf(doc).get(id)?.toString() ?? "" }];
  });
  const shapes = shapeIds.map((id) => shapesOf(doc).get(id)).filter((s): s is ShapeRecord => s !== undefined);
  const events: GatewayEvent[] = [];
  if (nodeIds.length > 0) events.push({ type: "core-graph:delete-nodes", nodeIds });
  if (shapeIds.length > 0) events.push({ type: "whiteboard:delete-shapes", shapeIds });
  for (const edgeId of edgeIds) events.push({ type: "core-graph:disconnect", edgeId });
  const hidden = [...nodeIds, ...shapeIds.map((id) => `shape:${id}`)];
  return {
    events,
    apply: () => hidden.forEach((id) => store.deleted.set(id, owner)),
    settle: () => hidden.forEach((id) => store.deleted.get(id) === owner && store.deleted.delete(id)),
    inverse: () => {
      const parts: Command[] = [];
      if (notes.length > 0) parts.push(createNotesCommand(store, viewId, notes));
      if (shapes.length > 0) parts.push(addShapesCommand(store, viewId, shapes));
      return parts.length > 0 ? combine(parts) : null;
    },
  };
}

/** Several commands as one (one undo step). */
function combine(parts: Command[]): Command {
  return {
    events: parts.flatMap((p) => p.events),
    apply: () => parts.forEach((p) => p.apply?.()),
    settle: () => parts.forEach((p) => p.settle?.()),
    inverse: () => {
      const inverses = parts.map((p) => p.inverse?.() ?? null).filter((c): c is Command => c !== null);
      return inverses.length > 0 ? combine(inverses) : null;
    },
  };
}

/** Connects two nodes with a typed edge; undo disconnects. */
export function connectCommand(store: BoardStore, from: string, to: string, kind: EdgeKind): Command {
  return {
    events: [{ type: "core-graph:connect", from, to, kind }],
    inverse: () => {
      const edge = [...edgesOf(store.doc).values()].find((e) => e.from === from && e.to === to && e.kind === kind);
      return edge ? { events: [{ type: "core-graph:disconnect", edgeId: edge.id }], inverse: () => connectCommand(store, from, to, kind) } : null;
    },
  };
}

/** Locks or unlocks nodes and shapes; undo flips it back. */
export function lockCommand(store: BoardStore, viewId: string, ids: readonly string[], locked: boolean): Command {
  const nodeIds = ids.filter((id) => shapeIdOf(id) === null && nodesOf(store.doc).has(id));
  const events: GatewayEvent[] = [];
  if (nodeIds.length > 0) events.push({ type: "whiteboard:set-locked", viewId, nodeIds, value: locked });
  for (const id of ids) {
    const shapeId = shapeIdOf(id);
    if (shapeId) events.push({ type: "whiteboard:update-shape", shapeId, locked });
  }
  return { events, inverse: () => lockCommand(store, viewId, ids, !locked) };
}

/** Groups nodes; undo ungroups. */
export function groupCommand(store: BoardStore, viewId: string, nodeIds: readonly string[]): Command {
  const before = new Set(nodesOf(store.doc).keys());
  return {
    events: [{ type: "whiteboard:group", viewId, nodeIds: [...nodeIds] }],
    inverse: () => {
      const group = created(before, nodesOf(store.doc).keys()).find((id) => nodesOf(store.doc).get(id)?.kind === "group");
      return group ? ungroupCommand(store, viewId, group) : null;
    },
  };
}

/** Ungroups (the group node goes; its children stay where they are); undo groups them again. */
export function ungroupCommand(store: BoardStore, viewId: string, groupId: string): Command {
  const children = [...placementsOf(store.doc).values()].filter((p) => p.viewId === viewId && p.parent === groupId).map((p) => p.nodeId);
  return { events: [{ type: "whiteboard:ungroup", viewId, groupId }], inverse: () => (children.length > 0 ? groupCommand(store, viewId, children) : null) };
}
