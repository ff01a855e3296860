/**
 * The board's changes as commands: the gateway events to send, the optimistic overlay to
 * show meanwhile, and the inverse that undoes each (moves back, deletes what was created,
 * brings deleted items back as themselves, unlocks, ungroups…). What a command creates gets
 * an id chosen here, so undo and redo keep every id, and the edges and chats that refer to it.
 */
import { edgesOf, nodesOf } from "../../../gateway-do/src/modules/core-graph";
import type { EdgeRecord } from "../../../gateway-do/src/modules/core-graph/schema";
import { shapePosition } from "../../../gateway-do/src/modules/whiteboard/frames";
import { absolutePosition, placementKey, placementsOf, shapesOf } from "../../../gateway-do/src/modules/whiteboard/placements";
import type { ShapeRecord } from "../../../gateway-do/src/modules/whiteboard/schema";
import { type ItemStyle, type StyleChange, type StyleProperty, STYLED_KINDS, styleOf, stylesOf } from "../../../gateway-do/src/modules/whiteboard/styles";
import type { GatewayEvent } from "../gateway/messages";
import { type EdgeKind, type ShapeKind, shapeFlowId, shapeIdOf } from "./flow-model";
import { newRecordId } from "../../../gateway-do/src/modules/kit";
import { afterDeletes, allNodeViews, nodeViewOf } from "../modules/registry";
import { type FrameChange, boardBoxes, frameChangesOnDrop } from "./frames";
import type { BoardStore, Command } from "./store";

type Point = { x: number; y: number };
type Size = { width: number; height: number };

/** A new id for something this client creates: as short as the gateway's own (newRecordId). */
export const newItemId = (): string => newRecordId();

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

type NewShape = Point & Size & { id?: string; kind: ShapeKind; text?: string; color?: string; points?: number[]; pressure?: number[]; parent?: string; from?: string; to?: string };

/** A shape's create-shape event, as made or as it was (its frame and bound ends included). */
const createShapeEvent = (viewId: string, s: NewShape & { id: string }): GatewayEvent => ({
  type: "whiteboard:create-shape",
  id: s.id,
  viewId,
  kind: s.kind,
  x: Math.round(s.x),
  y: Math.round(s.y),
  width: s.width,
  height: s.height,
  text: s.text ?? "",
  ...(s.color ? { color: s.color } : {}),
  ...(s.points ? { points: s.points } : {}),
  ...(s.pressure ? { pressure: s.pressure } : {}),
  ...(s.parent ? { parent: s.parent } : {}),
  ...(s.from ? { from: s.from } : {}),
  ...(s.to ? { to: s.to } : {}),
});

/** Adds free shapes; undo deletes them. */
export function addShapesCommand(store: BoardStore, viewId: string, shapes: NewShape[]): Command & { ids: string[] } {
  const withIds = shapes.map((s) => ({ ...s, id: s.id ?? newItemId() }));
  const ids = withIds.map((s) => shapeFlowId(s.id));
  return {
    ids,
    events: withIds.map((s) => createShapeEvent(viewId, s)),
    inverse: () => deleteCommand(store, viewId, ids.filter((id) => shapesOf(store.doc).has(shapeIdOf(id)!))),
  };
}

/** Changes a shape's text; undo puts the old text back. */
export function shapeTextCommand(store: BoardStore, shapeId: string, text: string, before: string): Command {
  return { events: [{ type: "whiteboard:update-shape", shapeId, text }], inverse: () => shapeTextCommand(store, shapeId, before, text) };
}

/** What undo of a delete brings back, read before the delete. */
interface Deleted {
  /** Deleted nodes whose kind's view brings them back, with what it kept of each (web/src/modules/). */
  nodes: { id: string; kind: string; saved: unknown }[];
  shapes: ShapeRecord[];
  edges: EdgeRecord[];
  /** What each module kept of its own records about the deleted nodes (a chat's anchor). */
  modules: unknown[];
  /** Their styles, on every view: `{view}/{item}` → style. */
  styles: [string, ItemStyle][];
  /** Deleted nodes that sat in a frame, where they lay on the board: they go back in it. */
  framed: { id: string; frame: string; at: Point }[];
  /** Where each deleted shape lay on the board, for one whose frame is gone by the time it comes back. */
  shapesAt: Map<string, Point>;
}

/**
 * Deletes nodes, shapes and edges (flow ids); undo brings back the nodes whose kind's view
 * says how (notes on every view they were on, groups around their children), shapes, edges
 * and what modules kept about them (chat anchors), under the same ids.
 */
export function deleteCommand(store: BoardStore, viewId: string, named: readonly string[]): Command {
  const doc = store.doc;
  // An id named twice would send its delete twice, and the second be refused.
  const ids = [...new Set(named)];
  const owner = Symbol("delete");
  const nodeIds = ids.filter((id) => nodesOf(doc).has(id));
  const doomed = new Set(nodeIds);
  const shapeIds = ids.map(shapeIdOf).filter((id): id is string => id !== null && shapesOf(doc).has(id));
  const chosenEdges = ids.filter((id) => edgesOf(doc).has(id));
  const edgeIds = chosenEdges.filter((id) => !doomed.has(edgesOf(doc).get(id)!.from) && !doomed.has(edgesOf(doc).get(id)!.to));
  const saved: Deleted = { nodes: [], shapes: [], edges: [], modules: [], styles: [], framed: [], shapesAt: new Map() };
  for (const id of nodeIds) {
    const kind = nodesOf(doc).get(id)?.kind;
    const restore = kind ? nodeViewOf(kind)?.restore : undefined;
    const kept = kind && restore ? restore.save(doc, viewId, id) : null;
    if (kind && kept !== null) saved.nodes.push({ id, kind, saved: kept });
  }
  for (const id of nodeIds) {
    const placement = placementsOf(doc).get(placementKey(viewId, id));
    if (placement?.parent && nodesOf(doc).get(placement.parent)?.kind === "frame") saved.framed.push({ id, frame: placement.parent, at: absolutePosition(doc, placement) });
  }
  saved.shapes = shapeIds.map((id) => shapesOf(doc).get(id)).filter((s): s is ShapeRecord => s !== undefined);
  for (const s of saved.shapes) saved.shapesAt.set(s.id, shapePosition(doc, s));
  saved.edges = [...edgesOf(doc).values()].filter((e) => doomed.has(e.from) || doomed.has(e.to) || chosenEdges.includes(e.id));
  saved.modules = afterDeletes().map((m) => m.save(doc, doomed));
  const gone = new Set<string>([...nodeIds, ...shapeIds, ...saved.edges.map((e) => e.id)]);
  for (const key of stylesOf(doc).keys()) {
    const [view, item] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
    const style = styleOf(doc, view, item);
    if (gone.has(item) && style) saved.styles.push([key, style]);
  }

  const events: GatewayEvent[] = [];
  if (nodeIds.length > 0) events.push({ type: "core-graph:delete-nodes", nodeIds });
  if (shapeIds.length > 0) events.push({ type: "whiteboard:delete-shapes", shapeIds });
  for (const edgeId of edgeIds) events.push({ type: "core-graph:disconnect", edgeId });
  const hidden = [...nodeIds, ...shapeIds.map(shapeFlowId)];
  return {
    events,
    apply: () => hidden.forEach((id) => store.deleted.set(id, owner)),
    settle: () => hidden.forEach((id) => store.deleted.get(id) === owner && store.deleted.delete(id)),
    inverse: () => restoreCommand(store, viewId, saved),
  };
}

/** Kinds come back in the order their views give (lowest first), all of one order seeing the same nodes present. */
const restoreOrders = () => [...new Set([...allNodeViews().values()].map((v) => v.restore?.order ?? 0))].sort((a, b) => a - b);

/** Brings deleted items back as they were (the inverse of a delete); undo deletes them again. */
function restoreCommand(store: BoardStore, viewId: string, saved: Deleted): Command | null {
  const doc = store.doc;
  const back = new Set<string>();
  const restored: string[] = [];
  const nodeEvents: GatewayEvent[] = [];
  for (const order of restoreOrders()) {
    const before = new Set(back);
    const present = (id: string) => before.has(id) || nodesOf(doc).has(id);
    for (const n of saved.nodes) {
      const restore = nodeViewOf(n.kind)?.restore;
      if (!restore || (restore.order ?? 0) !== order || nodesOf(doc).has(n.id)) continue;
      const events = restore.restore(doc, viewId, n.id, n.saved, present);
      if (!events) continue;
      back.add(n.id);
      restored.push(n.id);
      nodeEvents.push(...events);
    }
  }
  const shapes = saved.shapes.filter((s) => !shapesOf(doc).has(s.id));
  const present = (id: string) => back.has(id) || nodesOf(doc).has(id);
  const edges = saved.edges.filter((e) => !edgesOf(doc).has(e.id) && present(e.from) && present(e.to));
  // Nodes back in the frame they sat in, when it stayed (a frame brought back takes its own back).
  const framed = saved.framed.filter((f) => back.has(f.id) && nodesOf(doc).has(f.frame));
  const shapeBack = (s: ShapeRecord): NewShape & { id: string } => {
    // Bound ends to what is still there or comes back; a shape whose frame is gone lies where it was.
    const ends = { ...(s.from && (present(s.from) || shapes.some((o) => o.id === s.from)) ? { from: s.from } : {}), ...(s.to && (present(s.to) || shapes.some((o) => o.id === s.to)) ? { to: s.to } : {}) };
    const { from: _f, to: _t, parent, ...rest } = s;
    return parent && present(parent) ? { ...rest, ...ends, parent } : { ...rest, ...ends, ...saved.shapesAt.get(s.id) };
  };
  // Shapes an arrow is bound to come back before the arrow.
  const ordered = [...shapes].sort((a, b) => Number(a.kind === "arrow") - Number(b.kind === "arrow"));
  const events: GatewayEvent[] = [
    ...nodeEvents,
    ...framed.map((f) => ({ type: "whiteboard:set-frame" as const, viewId, frameId: f.frame, nodes: [{ id: f.id, ...f.at }] })),
    ...ordered.map((s) => createShapeEvent(s.viewId, shapeBack(s))),
    ...edges.map((e) => ({ type: "core-graph:connect" as const, id: e.id, from: e.from, to: e.to, kind: e.kind, ...(e.label ? { label: e.label } : {}) })),
    ...afterDeletes().flatMap((m, i) => m.restore(doc, saved.modules[i], back)),
  ];
  if (events.length === 0) return null;
  // Styles come back before locks (a locked item refuses a new style).
  const kindOf = new Map<string, (typeof STYLED_KINDS)[number]>([...back].map((id) => [id, "node"]));
  for (const s of shapes) kindOf.set(s.id, "shape");
  for (const e of edges) kindOf.set(e.id, "edge");
  for (const [key, style] of saved.styles) {
    const [view, item] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
    const kind = kindOf.get(item);
    if (kind) events.push({ type: "whiteboard:set-style", viewId: view, items: [{ kind, id: item }], style });
  }
  // Locked shapes come back locked.
  for (const s of shapes) if (s.locked) events.push({ type: "whiteboard:update-shape", shapeId: s.id, locked: true });
  const ids = [...restored, ...shapes.map((s) => shapeFlowId(s.id)), ...edges.map((e) => e.id)];
  const exists = (id: string) => {
    const shapeId = shapeIdOf(id);
    return shapeId ? shapesOf(store.doc).has(shapeId) : nodesOf(store.doc).has(id) || edgesOf(store.doc).has(id);
  };
  return { events, inverse: () => deleteCommand(store, viewId, ids.filter(exists)) };
}

/** Several commands as one (one undo step). */
export function combine(parts: Command[]): Command {
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

/** Connects two nodes with a typed edge; undo disconnects, redo connects again under the same id. */
export function connectCommand(store: BoardStore, from: string, to: string, kind: EdgeKind, id = newItemId()): Command {
  return {
    events: [{ type: "core-graph:connect", id, from, to, kind }],
    inverse: () => ({ events: [{ type: "core-graph:disconnect", edgeId: id }], inverse: () => connectCommand(store, from, to, kind, id) }),
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
export function groupCommand(store: BoardStore, viewId: string, nodeIds: readonly string[], groupId = newItemId()): Command & { groupId: string } {
  return {
    groupId,
    events: [{ type: "whiteboard:group", viewId, nodeIds: [...nodeIds], groupId }],
    inverse: () => ungroupCommand(store, viewId, groupId),
  };
}

/** Ungroups (the group node goes; its children stay where they are); undo groups them again under the same id. */
export function ungroupCommand(store: BoardStore, viewId: string, groupId: string): Command {
  const children = [...placementsOf(store.doc).values()].filter((p) => p.viewId === viewId && p.parent === groupId).map((p) => p.nodeId);
  return { events: [{ type: "whiteboard:ungroup", viewId, groupId }], inverse: () => (children.length > 0 ? groupCommand(store, viewId, children, groupId) : null) };
}

/** A styled item of a view: what `whiteboard:set-style` names. */
export type StyledItem = { kind: (typeof STYLED_KINDS)[number]; id: string };

/** The styled items among flow ids (nodes, shapes, edges), as set-style names them. */
export function styledItems(store: BoardStore, ids: Iterable<string>): StyledItem[] {
  const items: StyledItem[] = [];
  for (const id of ids) {
    const shapeId = shapeIdOf(id);
    if (shapeId) items.push({ kind: "shape", id: shapeId });
    else if (nodesOf(store.doc).has(id)) items.push({ kind: "node", id });
    else if (edgesOf(store.doc).has(id)) items.push({ kind: "edge", id });
  }
  return items;
}

/** Changes the style of items on a view; undo puts back what each had (or its default). */
export function styleCommand(store: BoardStore, viewId: string, items: StyledItem[], change: StyleChange): Command {
  const properties = Object.keys(change) as StyleProperty[];
  const before = items.map((item) => {
    const style = styleOf(store.doc, viewId, item.id);
    return { item, change: Object.fromEntries(properties.map((p) => [p, style?.[p] ?? null])) as StyleChange };
  });
  return {
    events: [{ type: "whiteboard:set-style", viewId, items, style: change }],
    inverse: () => {
      const present = before.filter(({ item }) => styledItems(store, [item.kind === "shape" ? shapeFlowId(item.id) : item.id]).length > 0);
      return present.length > 0 ? combine(present.map((b) => styleCommand(store, viewId, [b.item], b.change))) : null;
    },
  };
}

/** Labels an edge or changes its kind; undo puts back what it had. */
export function edgeCommand(store: BoardStore, edgeId: string, change: { kind?: EdgeKind; label?: string }): Command {
  const edge = edgesOf(store.doc).get(edgeId);
  const before = { ...(change.kind !== undefined ? { kind: edge?.kind } : {}), ...(change.label !== undefined ? { label: edge?.label ?? "" } : {}) };
  return {
    events: [{ type: "core-graph:update-edge", edgeId, ...change }],
    inverse: () => (edgesOf(store.doc).has(edgeId) ? edgeCommand(store, edgeId, before) : null),
  };
}

/**
 * Puts items in frames or takes them out (frame null), each where it lies on the board; shown
 * in its new frame at once. Undo puts each back in the frame it was in, where it was.
 */
export function frameCommand(store: BoardStore, viewId: string, changes: (FrameChange & { from: FrameChange })[]): Command {
  const owner = Symbol("frame");
  const frames = [...new Set(changes.map((c) => c.frame))];
  const dropped = (c: FrameChange) => ({ id: shapeIdOf(c.id) ?? c.id, x: Math.round(c.at.x), y: Math.round(c.at.y) });
  return {
    events: frames.map((frameId) => {
      const into = changes.filter((c) => c.frame === frameId);
      return { type: "whiteboard:set-frame", viewId, frameId, nodes: into.filter((c) => shapeIdOf(c.id) === null).map(dropped), shapes: into.filter((c) => shapeIdOf(c.id) !== null).map(dropped) };
    }),
    apply: () =>
      changes.forEach((c) => {
        store.parents.set(c.id, { parent: c.frame, owner });
        store.positions.set(c.id, { x: Math.round(c.relative.x), y: Math.round(c.relative.y), owner });
      }),
    settle: () =>
      changes.forEach((c) => {
        if (store.parents.get(c.id)?.owner === owner) store.parents.delete(c.id);
        if (store.positions.get(c.id)?.owner === owner) store.positions.delete(c.id);
      }),
    inverse: () => frameCommand(store, viewId, changes.map((c) => ({ ...c.from, from: { id: c.id, frame: c.frame, at: c.at, relative: c.relative } }))),
  };
}

/**
 * A drop of dragged items (positions relative to their parent; `from` where each was): the
 * move, and for each item dropped into a frame or out of the one holding it, the change of
 * frame; one undo step. Null when nothing moved. Read before the drag's own positions go.
 */
export function dropCommand(store: BoardStore, viewId: string, moves: (Point & { id: string; from: Point })[]): Command | null {
  const nodes = store.getSnapshot().nodes;
  const changes = frameChangesOnDrop(nodes, moves);
  const reframed = new Set(changes.map((c) => c.id));
  const boxes = changes.length > 0 ? boardBoxes(nodes) : null;
  const framed = changes.map((c) => {
    const node = nodes.find((n) => n.id === c.id)!;
    const relative = moves.find((m) => m.id === c.id)!.from;
    const origin = node.parentId ? boxes!.get(node.parentId)! : { x: 0, y: 0 };
    return { ...c, from: { id: c.id, frame: node.parentId ?? null, at: { x: origin.x + relative.x, y: origin.y + relative.y }, relative } };
  });
  const moved = moves.filter((m) => !reframed.has(m.id));
  const parts = [...(moved.length > 0 ? [moveCommand(store, viewId, moved)] : []), ...(framed.length > 0 ? [frameCommand(store, viewId, framed)] : [])];
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : combine(parts);
}

/** Makes a frame over `box`, taking in the items given (wholly within it); undo deletes it, leaving them where they are. */
export function createFrameCommand(store: BoardStore, viewId: string, box: Point & Size, name: string, items: { id: string; at: Point }[], id = newItemId()): Command & { id: string } {
  const dropped = (list: typeof items) => list.map((i) => ({ id: shapeIdOf(i.id) ?? i.id, x: Math.round(i.at.x), y: Math.round(i.at.y) }));
  const nodes = items.filter((i) => shapeIdOf(i.id) === null);
  const shapes = items.filter((i) => shapeIdOf(i.id) !== null);
  const frame = { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) };
  return {
    id,
    events: [
      { type: "whiteboard:create-frame", id, viewId, ...frame, name },
      ...(items.length > 0 ? [{ type: "whiteboard:set-frame" as const, viewId, frameId: id, nodes: dropped(nodes), shapes: dropped(shapes) }] : []),
    ],
    inverse: () => (nodesOf(store.doc).has(id) ? deleteCommand(store, viewId, [id]) : null),
  };
}

/** Brings nodes and shapes (flow ids) to the front of the view or sends them to the back; undo puts each back at its height. */
export function arrangeCommand(store: BoardStore, viewId: string, ids: readonly string[], to: "front" | "back"): Command | null {
  const doc = store.doc;
  const nodes = ids.flatMap((id) => {
    const placement = shapeIdOf(id) === null ? placementsOf(doc).get(placementKey(viewId, id)) : undefined;
    return placement ? [{ id, z: placement.z }] : [];
  });
  const shapes = ids.flatMap((id) => {
    const shape = shapesOf(doc).get(shapeIdOf(id) ?? "");
    return shape && shape.viewId === viewId ? [{ id: shape.id, z: shape.z }] : [];
  });
  if (nodes.length + shapes.length === 0) return null;
  // Kept in their stacking order among themselves.
  const ordered = <T extends { z: number }>(list: T[]) => [...list].sort((a, b) => a.z - b.z);
  const restack = (): Command => ({
    events: [{ type: "whiteboard:restack", viewId, nodes: nodes.filter((n) => placementsOf(store.doc).has(placementKey(viewId, n.id))), shapes: shapes.filter((s) => shapesOf(store.doc).has(s.id)) }],
    inverse: () => arrangeCommand(store, viewId, ids, to),
  });
  return {
    events: [{ type: "whiteboard:arrange", viewId, nodeIds: ordered(nodes).map((n) => n.id), shapeIds: ordered(shapes).map((s) => s.id), to }],
    inverse: restack,
  };
}

/** Renames a group; undo puts its old name back. */
export function renameGroupCommand(store: BoardStore, groupId: string, name: string, before: string): Command {
  return {
    events: [{ type: "whiteboard:rename-group", groupId, name }],
    inverse: () => (nodesOf(store.doc).has(groupId) ? renameGroupCommand(store, groupId, before, name) : null),
  };
}
