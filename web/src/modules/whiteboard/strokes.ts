/**
 * Drawn shapes' geometry, pure: a pen stroke or a dragged arrow (points in flow coordinates) as
 * a shape's box and its points on the box's grid (how the doc keeps them: POINT_GRID steps across,
 * whole numbers), and back; a stroke's outline drawn by perfect-freehand at the box's size, so a
 * resized drawing scales with its box and keeps its line width.
 */
import { getStroke } from "perfect-freehand";
import { POINT_GRID } from "../../../../gateway-do/src/modules/whiteboard/schema";
export { ARROW_MARGIN, thin, toShapePoints } from "../../../../gateway-do/src/modules/whiteboard/geometry";

/** Room around a stroke inside its box (its outline is wider than its points). */
export const STROKE_MARGIN = 6;
/** The pen's line width when the style names none. */
export const DEFAULT_PEN_WIDTH = 2;

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
 * the pen's `pressure` at each point (0 to 100) when it was kept, else the drawing's speed; either
 * way every screen draws a stroke alike.
 */
export function strokePath(points: readonly (readonly [number, number])[], strokeWidth: number, pressure?: readonly number[]): string {
  const input = points.map(([x, y], i) => (pressure ? [x, y, (pressure[i] ?? 50) / 100] : [x, y]));
  const outline = getStroke(input, { size: penSize(strokeWidth), thinning: 0.5, smoothing: 0.5, streamline: 0.5, simulatePressure: !pressure, last: true });
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
