/**
 * Board geometry shared by the gateway and the board, pure: points as a shape's box and grid
 * (how the doc keeps a drawn stroke or arrow), and where an arrow bound to two items starts and
 * ends (on their outlines, along the line between their centres), so every screen and the
 * gateway draw a bound arrow alike.
 */
import { MAX_STROKE_POINTS, POINT_GRID } from "./schema";

export type Point = { x: number; y: number };
export type Box = Point & { width: number; height: number };
/** An item an arrow is bound to: its box on the board, and whether its outline is an ellipse. */
export type Outline = Box & { round: boolean };

/** The smallest side of a shape's box (CreateShapeSchema's Size). */
const MIN_SIDE = 8;
/** Room around a drawn arrow's ends (its head). */
export const ARROW_MARGIN = 12;
/** The space left between a bound arrow's end and the outline it points at. */
export const ARROW_GAP = 6;

/** At most `max` points, evenly taken, the first and last kept. */
export function thin<P>(points: readonly P[], max = MAX_STROKE_POINTS): P[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

/** Points on the board as a shape: its box (`margin` around them, at least MIN_SIDE a side) and the points on its grid. */
export function toShapePoints(points: readonly Point[], margin: number): { box: Box; points: number[] } {
  const kept = thin(points.filter((p, i) => i === 0 || p.x !== points[i - 1]!.x || p.y !== points[i - 1]!.y));
  const xs = kept.map((p) => p.x);
  const ys = kept.map((p) => p.y);
  const side = (lo: number, hi: number) => {
    const size = Math.max(MIN_SIDE, Math.ceil(hi - lo + 2 * margin));
    return { start: Math.floor((lo + hi) / 2 - size / 2), size };
  };
  const h = side(Math.min(...xs), Math.max(...xs));
  const v = side(Math.min(...ys), Math.max(...ys));
  const box = { x: h.start, y: v.start, width: h.size, height: v.size };
  const grid = (n: number, start: number, size: number) => Math.min(POINT_GRID, Math.max(0, Math.round(((n - start) / size) * POINT_GRID)));
  return { box, points: kept.flatMap((p) => [grid(p.x, box.x, box.width), grid(p.y, box.y, box.height)]) };
}

/** A shape's grid points back on the board, in its box there. */
export function gridToBoard(points: readonly number[], box: Box): Point[] {
  const out: Point[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) out.push({ x: box.x + (points[i]! / POINT_GRID) * box.width, y: box.y + (points[i + 1]! / POINT_GRID) * box.height });
  return out;
}

const centre = (b: Box): Point => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
const isOutline = (end: Outline | Point): end is Outline => "width" in end;

/** Where the line from `outline`'s centre towards `toward` leaves it, ARROW_GAP further out. */
function exitPoint(outline: Outline, toward: Point): Point {
  const c = centre(outline);
  const [dx, dy] = [toward.x - c.x, toward.y - c.y];
  const length = Math.hypot(dx, dy);
  if (length === 0) return c;
  const [a, b] = [outline.width / 2, outline.height / 2];
  // The fraction of (dx, dy) that reaches the outline: the ellipse's, or the box's nearer side.
  const t = outline.round ? 1 / Math.hypot(dx / a, dy / b) : Math.min(dx === 0 ? Infinity : a / Math.abs(dx), dy === 0 ? Infinity : b / Math.abs(dy));
  const out = Math.min(1, t + ARROW_GAP / length);
  return { x: c.x + dx * out, y: c.y + dy * out };
}

/**
 * An arrow's two ends on the board: a bound end on its item's outline, facing the other end
 * (its centre when bound too); a free end where it is. Items that overlap still give two ends.
 */
export function arrowEnds(from: Outline | Point, to: Outline | Point): [Point, Point] {
  const aim = (end: Outline | Point) => (isOutline(end) ? centre(end) : end);
  const start = isOutline(from) ? exitPoint(from, aim(to)) : from;
  const end = isOutline(to) ? exitPoint(to, aim(from)) : to;
  return [start, end];
}

/** A bound arrow's box and grid points (as a drawn arrow keeps them), from its two ends. */
export function arrowShape(from: Outline | Point, to: Outline | Point): { box: Box; points: number[] } {
  const [a, b] = arrowEnds(from, to);
  const shape = toShapePoints([a, b], ARROW_MARGIN);
  // Two ends that round to the same point are still an arrow's two ends.
  return shape.points.length === 4 ? shape : { box: shape.box, points: [...shape.points, ...shape.points] };
}
