/**
 * Arrows bound to items: an arrow's `from` and `to` name a node on its view or another shape,
 * and each bound end follows its item (geometry.ts draws it). When an item goes, the arrows
 * bound to it keep that end where it was last drawn, free.
 */
import type * as Y from "yjs";
import { EventError } from "../kit";
import { shapePosition } from "./frames";
import { type Outline, type Point, arrowShape, gridToBoard } from "./geometry";
import { absolutePosition, placementKey, placementsOf, shapesOf } from "./placements";
import type { ShapeRecord } from "./schema";

/** The outline of an item an arrow on `viewId` may bind to, or undefined when there is none. */
export function outlineOf(doc: Y.Doc, viewId: string, itemId: string): Outline | undefined {
  const shape = shapesOf(doc).get(itemId);
  if (shape) {
    if (shape.viewId !== viewId || shape.kind === "arrow") return undefined;
    return { ...shapePosition(doc, shape), width: shape.width, height: shape.height, round: shape.kind === "ellipse" };
  }
  const placement = placementsOf(doc).get(placementKey(viewId, itemId));
  return placement ? { ...absolutePosition(doc, placement), width: placement.width, height: placement.height, round: false } : undefined;
}

/** Refuses binding an arrow end to what is not on its view (another arrow included). */
export function requireBindable(doc: Y.Doc, viewId: string, itemId: string): void {
  if (!outlineOf(doc, viewId, itemId)) throw new EventError("not_found", `There is no node or shape ${itemId} on view ${viewId} to bind the arrow to.`);
}

/** A shape with changed arrow ends (`update-shape`'s points, from, to), refused when it is not an arrow or binds badly. */
export function withArrowEnds(doc: Y.Doc, shape: ShapeRecord, change: { points?: number[]; from?: string | null; to?: string | null }): ShapeRecord {
  const { points, from, to } = change;
  if (points === undefined && from === undefined && to === undefined) return shape;
  if (shape.kind !== "arrow") throw new EventError("invalid_arrow", `Only an arrow has ends to move or bind; shape ${shape.id} is a ${shape.kind}.`);
  if (points !== undefined && points.length !== 4) throw new EventError("invalid_arrow", "An arrow's points are its 2 ends.");
  for (const end of [from, to]) if (end) requireBindable(doc, shape.viewId, end);
  const { from: oldFrom, to: oldTo, ...rest } = shape;
  const next = { from: from === undefined ? oldFrom : (from ?? undefined), to: to === undefined ? oldTo : (to ?? undefined) };
  if (next.from !== undefined && next.from === next.to) throw new EventError("invalid_arrow", "An arrow binds its two ends to two different items.");
  return { ...rest, ...(points ? { points } : {}), ...(next.from ? { from: next.from } : {}), ...(next.to ? { to: next.to } : {}) };
}

/** An arrow's ends as drawn: its grid points on its box on the board (left to right across it without points). */
export function drawnEnds(arrow: ShapeRecord, at: Point): [Point, Point] {
  const box = { ...at, width: arrow.width, height: arrow.height };
  const [a, b] = arrow.points ? gridToBoard(arrow.points, box) : [{ x: at.x, y: at.y + arrow.height / 2 }, { x: at.x + arrow.width, y: at.y + arrow.height / 2 }];
  return [a!, b!];
}

/**
 * Arrows bound to items that are about to go: each keeps the ends it has now, the doomed ones
 * free. Run in the change, before the items are removed.
 */
export function releaseArrows(doc: Y.Doc, doomed: ReadonlySet<string>): void {
  for (const arrow of [...shapesOf(doc).values()]) {
    const bound = (end: string | undefined) => end !== undefined && doomed.has(end);
    if (arrow.kind !== "arrow" || doomed.has(arrow.id) || (!bound(arrow.from) && !bound(arrow.to))) continue;
    const at = shapePosition(doc, arrow);
    const [drawnFrom, drawnTo] = drawnEnds(arrow, at);
    const from = (arrow.from && outlineOf(doc, arrow.viewId, arrow.from)) || drawnFrom;
    const to = (arrow.to && outlineOf(doc, arrow.viewId, arrow.to)) || drawnTo;
    const { box, points } = arrowShape(from, to);
    const { from: _from, to: _to, ...rest } = arrow;
    const kept = { ...(arrow.from && !doomed.has(arrow.from) ? { from: arrow.from } : {}), ...(arrow.to && !doomed.has(arrow.to) ? { to: arrow.to } : {}) };
    // Its box stays relative to its frame, if it is in one.
    const offset = { x: at.x - arrow.x, y: at.y - arrow.y };
    shapesOf(doc).set(arrow.id, { ...rest, ...kept, x: box.x - offset.x, y: box.y - offset.y, width: box.width, height: box.height, points });
  }
}
