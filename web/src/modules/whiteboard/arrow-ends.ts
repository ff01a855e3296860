/**
 * An arrow's ends after the arrow tool: what an end may bind to, and the command that moves one
 * end (dragged by its handle) to a point, bound to the item it was dropped on or free.
 */
import { outlineOf } from "../../../../gateway-do/src/modules/whiteboard/bindings";
import type { ShapeRecord } from "../../../../gateway-do/src/modules/whiteboard/schema";
import { shapeIdOf } from "../../board/flow-model";
import type { Point } from "../../board/placement";
import type { BoardStore, Command } from "../../board/store";
import { ARROW_MARGIN, toShapePoints } from "./strokes";

/** The node or shape id an arrow's end binds to at `item` (a flow id), or undefined: nothing there, or another arrow. */
export function bindableItem(store: BoardStore, viewId: string, item: string | null): string | undefined {
  const id = item === null ? null : (shapeIdOf(item) ?? item);
  return id !== null && outlineOf(store.doc, viewId, id) ? id : undefined;
}

/** What update-shape sets of an arrow's ends: its box (relative to its frame, if any), its two points, and both bindings (null: free). */
export interface ArrowEnds {
  x: number;
  y: number;
  width: number;
  height: number;
  points: number[];
  from: string | null;
  to: string | null;
}

/** An arrow's ends as the doc keeps them now (an arrow made at a point goes left to right across its box). */
export const arrowEndsOf = (shape: ShapeRecord): ArrowEnds => ({
  x: shape.x,
  y: shape.y,
  width: shape.width,
  height: shape.height,
  points: shape.points ?? [0, 500, 1000, 500],
  from: shape.from ?? null,
  to: shape.to ?? null,
});

/**
 * The arrow's ends with end `end` (0: its start) moved to `to` on the board and bound to `item`
 * (or free), the other end staying at `fixed` (on the board) with its binding. `origin` is where
 * the arrow's frame lies on the board ({0, 0} on the board itself).
 */
export function movedEnd(shape: ShapeRecord, end: 0 | 1, fixed: Point, to: Point, item: string | undefined, origin: Point): ArrowEnds {
  const { box, points } = toShapePoints(end === 0 ? [to, fixed] : [fixed, to], ARROW_MARGIN);
  const other = (end === 0 ? shape.to : shape.from) ?? null;
  // An end dropped on what the other end is bound to binds to nothing (the gateway refuses both ends on one item).
  const bound = item !== undefined && item !== other && item !== shape.id ? item : null;
  return { x: Math.round(box.x - origin.x), y: Math.round(box.y - origin.y), width: box.width, height: box.height, points, from: end === 0 ? bound : other, to: end === 1 ? bound : other };
}

/** Sets an arrow's ends; undo puts the old ones back. */
export function arrowEndsCommand(shapeId: string, next: ArrowEnds, before: ArrowEnds): Command {
  return { events: [{ type: "whiteboard:update-shape", shapeId, ...next }], inverse: () => arrowEndsCommand(shapeId, before, next) };
}
