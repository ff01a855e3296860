/**
 * Where new things go: at the pointer when the person is pointing at the board, else at the
 * free spot nearest the middle of what they see, so a new note never lands on another one.
 * Pure: boxes in flow coordinates.
 */
export type Point = { x: number; y: number };
export type Box = Point & { width: number; height: number };

/** Space kept between a new item and its neighbours. */
export const GAP = 16;
/** How far a paste (and Ctrl+D) lands from what was copied, each time again. */
export const PASTE_OFFSET = 24;

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** A box of `size` centred on a point. */
export const centredOn = (at: Point, size: { width: number; height: number }): Point => ({ x: Math.round(at.x - size.width / 2), y: Math.round(at.y - size.height / 2) });

/**
 * The top-left corner of a box of `size` that overlaps none of `taken` (kept GAP apart), as
 * close to the middle of `view` as can be found on rings around it, inside the view. When the
 * view is full, its middle.
 */
export function freeSpot(view: Box, taken: readonly Box[], size: { width: number; height: number }): Point {
  const middle = { x: view.x + view.width / 2, y: view.y + view.height / 2 };
  const start = centredOn(middle, size);
  const padded = taken.map((b) => ({ x: b.x - GAP, y: b.y - GAP, width: b.width + 2 * GAP, height: b.height + 2 * GAP }));
  const inView = (p: Point) => p.x >= view.x && p.y >= view.y && p.x + size.width <= view.x + view.width && p.y + size.height <= view.y + view.height;
  const free = (p: Point) => !padded.some((b) => overlaps(b, { ...p, ...size }));
  if (free(start)) return start;
  const step = Math.max(20, Math.round(Math.min(size.width, size.height) / 4));
  const rings = Math.ceil(Math.max(view.width, view.height) / step);
  for (let ring = 1; ring <= rings; ring++) {
    // Every point of the square ring `ring` steps out, nearest to the middle first.
    const candidates: Point[] = [];
    for (let i = -ring; i <= ring; i++) {
      candidates.push({ x: start.x + i * step, y: start.y - ring * step }, { x: start.x + i * step, y: start.y + ring * step });
      if (i !== -ring && i !== ring) candidates.push({ x: start.x - ring * step, y: start.y + i * step }, { x: start.x + ring * step, y: start.y + i * step });
    }
    candidates.sort((a, b) => Math.hypot(a.x - start.x, a.y - start.y) - Math.hypot(b.x - start.x, b.y - start.y));
    const found = candidates.find((p) => inView(p) && free(p));
    if (found) return found;
  }
  return start;
}
