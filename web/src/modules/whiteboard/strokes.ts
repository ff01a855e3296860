/**
 * Drawn shapes' geometry, pure: a pen stroke or a dragged arrow (points in flow coordinates) as
 * a shape's box and its points on the box's grid (how the doc keeps them: POINT_GRID steps across,
 * whole numbers), and back; a stroke's outline drawn by perfect-freehand at the box's size, so a
 * resized drawing scales with its box and keeps its line width.
 */
import { getStroke } from "perfect-freehand";
import { MAX_STROKE_POINTS, POINT_GRID } from "../../../../gateway-do/src/modules/whiteboard/schema";
import type { Box, Point } from "../kit";

/** The smallest side of a shape's box (CreateShapeSchema's Size). */
const MIN_SIDE = 8;
/** Room around a stroke inside its box (its outline is wider than its points). */
export const STROKE_MARGIN = 6;
/** Room around a drawn arrow's ends (its head). */
export const ARROW_MARGIN = 12;
/** The pen's line width when the style names none. */
export const DEFAULT_PEN_WIDTH = 2;

/** At most `max` points, evenly taken, the first and last kept. */
export function thin<P>(points: readonly P[], max = MAX_STROKE_POINTS): P[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

/** Points in flow coordinates as a shape: its box (`margin` around them, at least MIN_SIDE a side) and the points on its grid. */
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

/** A shape's grid points in pixels of a box `width` × `height` (where it is drawn now). */
export function pointsIn(points: readonly number[], width: number, height: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < points.length; i += 2) out.push([(points[i]! / POINT_GRID) * width, (points[i + 1]! / POINT_GRID) * height]);
  return out;
}

/** perfect-freehand's size for a style's stroke width: thin lines stay legible, wide ones marker-like. */
export const penSize = (strokeWidth: number) => 2 + strokeWidth * 2.5;

/**
 * The filled outline of a pen stroke through `points` (px), as an SVG path. Its thickness follows
 * the drawing's speed (the doc keeps no pressure), so every screen draws a stroke alike.
 */
export function strokePath(points: readonly (readonly [number, number])[], strokeWidth: number): string {
  const outline = getStroke(points.map(([x, y]) => [x, y]), { size: penSize(strokeWidth), thinning: 0.5, smoothing: 0.5, streamline: 0.5, simulatePressure: true, last: true });
  if (outline.length === 0) return "";
  // Quadratic curves through the midpoints of the outline: smooth, and a quarter of the size of a polyline.
  const r = (n: number) => Math.round(n * 100) / 100;
  const [first, ...rest] = outline;
  let d = `M${r(first![0]!)},${r(first![1]!)} Q`;
  outline.forEach((p, i) => {
    const next = outline[(i + 1) % outline.length]!;
    d += `${r(p[0]!)},${r(p[1]!)} ${r((p[0]! + next[0]!) / 2)},${r((p[1]! + next[1]!) / 2)} `;
  });
  return rest.length > 0 ? `${d.trimEnd()} Z` : d;
}
