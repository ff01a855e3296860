/**
 * Frames: titled regions of a view that hold nodes and shapes. What a frame holds sits relative
 * to it (a node's placement `parent`, a shape's `parent`), so it moves with the frame, is
 * exported with it and stays in it until dragged out. A deleted frame leaves what it held
 * where it was, in the frame around it if any.
 */
import type * as Y from "yjs";
import { chooseNodeId, newNode, nodesOf } from "../core-graph";
import { EventError, defineEvent } from "../kit";
import { absolutePosition, groupNamesOf, lockedAlong, placementKey, placementsIn, placementsOf, requirePlacement, requireUnlocked, requireView, shapesOf, updatePlacement, zRange } from "./placements";
import { CreateFrameSchema, SetFrameSchema, type Placement, type ShapeRecord } from "./schema";

/** A frame's placement on a view, refused when the node is not a frame there. */
export function requireFrame(doc: Y.Doc, viewId: string, frameId: string): Placement {
  if (nodesOf(doc).get(frameId)?.kind !== "frame") throw new EventError("invalid_frame", `Node ${frameId} is not a frame.`);
  return requirePlacement(doc, viewId, frameId);
}

/** The shape, refused when it is not on the view. */
export function requireShapeOn(doc: Y.Doc, viewId: string, shapeId: string): ShapeRecord {
  const shape = shapesOf(doc).get(shapeId);
  if (!shape || shape.viewId !== viewId) throw new EventError("not_found", `There is no shape ${shapeId} on view ${viewId}.`);
  return shape;
}

/** The innermost frame on a view around a point of the board that takes things in (not locked, nor in a locked one), with where it lies; undefined when none. */
export function frameAround(doc: Y.Doc, viewId: string, at: { x: number; y: number }): { id: string; x: number; y: number } | undefined {
  let best: { id: string; x: number; y: number; area: number } | undefined;
  const nodes = nodesOf(doc);
  for (const p of placementsIn(doc, viewId)) {
    if (nodes.get(p.nodeId)?.kind !== "frame" || p.hidden || lockedAlong(doc, p)) continue;
    const { x, y } = absolutePosition(doc, p);
    const area = p.width * p.height;
    if (at.x >= x && at.x <= x + p.width && at.y >= y && at.y <= y + p.height && (!best || area < best.area)) best = { id: p.nodeId, x, y, area };
  }
  return best && { id: best.id, x: best.x, y: best.y };
}

/** The frame placement holding a shape on its view, if it holds one. */
const frameOf = (doc: Y.Doc, shape: ShapeRecord) => (shape.parent ? placementsOf(doc).get(placementKey(shape.viewId, shape.parent)) : undefined);

/** Where a shape lies on the board (adding up the frames holding it). */
export function shapePosition(doc: Y.Doc, shape: ShapeRecord): { x: number; y: number } {
  const frame = frameOf(doc, shape);
  if (!frame) return { x: shape.x, y: shape.y };
  const at = absolutePosition(doc, frame);
  return { x: shape.x + at.x, y: shape.y + at.y };
}

/** Refuses changing a shape that is locked or sits in a locked frame. */
export function requireShapeUnlocked(doc: Y.Doc, shape: ShapeRecord): void {
  if (shape.locked) throw new EventError("locked", `Shape ${shape.id} is locked: unlock it first.`);
  const frame = frameOf(doc, shape);
  if (frame) requireUnlocked(doc, shape.viewId, frame.nodeId);
}

/** A shape with another parent (none: the key goes), at x, y relative to it. */
export function reparented(shape: ShapeRecord, parent: string | null, at: { x: number; y: number }): ShapeRecord {
  const { parent: _old, ...rest } = shape;
  return { ...rest, ...at, ...(parent ? { parent } : {}) };
}

/**
 * Before a frame (or group) node goes: what it holds on each view moves to the frame around
 * it, if any, keeping its place on the board.
 */
export function releaseChildren(doc: Y.Doc, nodeId: string): void {
  const placements = placementsOf(doc);
  const held = new Map<string, Placement>();
  for (const p of placements.values()) if (p.nodeId === nodeId) held.set(p.viewId, p);
  const freed = [...placements.values()].filter((p) => p.parent === nodeId);
  for (const p of freed) {
    const holder = held.get(p.viewId);
    updatePlacement(doc, p, holder ? { x: p.x + holder.x, y: p.y + holder.y, parent: holder.parent } : { parent: null });
  }
  for (const shape of [...shapesOf(doc).values()]) {
    if (shape.parent !== nodeId) continue;
    const holder = held.get(shape.viewId);
    shapesOf(doc).set(shape.id, reparented(shape, holder?.parent ?? null, holder ? { x: shape.x + holder.x, y: shape.y + holder.y } : shape));
  }
}

export const frameEvents = {
  "create-frame": defineEvent({
    schema: CreateFrameSchema,
    permission: (p) => `whiteboard:[view:${p.viewId}]:update`,
    reduce: (ctx, p) => {
      requireView(ctx.doc, p.viewId);
      const frame = newNode(ctx, "frame", chooseNodeId(ctx, p.id));
      // At the back of the view: a frame drawn over items never hides them. Drawn inside a
      // frame, it goes in it (drawn over it, not hidden under its sheet).
      const z = zRange(ctx.doc, p.viewId).min - 1;
      const around = frameAround(ctx.doc, p.viewId, { x: p.x + p.width / 2, y: p.y + p.height / 2 });
      const at = around ? { x: p.x - around.x, y: p.y - around.y } : { x: p.x, y: p.y };
      return () => {
        nodesOf(ctx.doc).set(frame.id, frame);
        placementsOf(ctx.doc).set(placementKey(p.viewId, frame.id), { viewId: p.viewId, nodeId: frame.id, ...at, width: p.width, height: p.height, z, parent: around?.id ?? null, locked: false, hidden: false });
        if (p.name) groupNamesOf(ctx.doc).set(frame.id, p.name);
      };
    },
  }),
  /** Puts nodes and shapes in a frame (or, with `frameId: null`, on the board itself), each where the person dropped it. */
  "set-frame": defineEvent({
    schema: SetFrameSchema,
    permission: (p) => `whiteboard:[view:${p.viewId}]:move`,
    reduce: (ctx, p) => {
      const { doc } = ctx;
      requireView(doc, p.viewId);
      const frame = p.frameId === null ? null : requireUnlocked(doc, p.viewId, requireFrame(doc, p.viewId, p.frameId).nodeId);
      const origin = frame ? absolutePosition(doc, frame) : { x: 0, y: 0 };
      // The frame and the frames around it: none of them may go inside it.
      const around = new Set<string>();
      for (let at: Placement | undefined = frame ?? undefined, hops = 0; at && hops < 100; at = at.parent ? placementsOf(doc).get(placementKey(p.viewId, at.parent)) : undefined, hops++) around.add(at.nodeId);
      const nodes = p.nodes.map((n) => {
        const placement = requireUnlocked(doc, p.viewId, n.id);
        if (around.has(n.id)) throw new EventError("invalid_frame", "A frame cannot go inside itself or a frame it holds.");
        if (placement.parent && nodesOf(doc).get(placement.parent)?.kind !== "frame") throw new EventError("invalid_frame", `Node ${n.id} is in a group: move the group instead.`);
        return { placement, at: { x: n.x - origin.x, y: n.y - origin.y } };
      });
      const shapes = p.shapes.map((s) => {
        const shape = requireShapeOn(doc, p.viewId, s.id);
        requireShapeUnlocked(doc, shape);
        return { shape, at: { x: s.x - origin.x, y: s.y - origin.y } };
      });
      return () => {
        for (const { placement, at } of nodes) updatePlacement(doc, placement, { ...at, parent: p.frameId });
        for (const { shape, at } of shapes) shapesOf(doc).set(shape.id, reparented(shape, p.frameId, at));
      };
    },
  }),
};
