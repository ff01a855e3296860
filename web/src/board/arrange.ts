/**
 * Align and distribute (pure): where each selected item goes, from the boxes as drawn. Items
 * are aligned only with items of the same parent (a group's children among themselves), since
 * their positions are relative to it.
 */
export type Box = { id: string; x: number; y: number; width: number; height: number };
export type Alignment = "left" | "centre" | "right" | "top" | "middle" | "bottom";
export type Axis = "horizontal" | "vertical";

/** New positions (only of items that move) lining the boxes up on one edge or centre of their bounds. */
export function align(boxes: readonly Box[], to: Alignment): { id: string; x: number; y: number }[] {
  if (boxes.length < 2) return [];
  const left = Math.min(...boxes.map((b) => b.x));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const top = Math.min(...boxes.map((b) => b.y));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  const place = (b: Box) => {
    switch (to) {
      case "left":
        return { x: left, y: b.y };
      case "centre":
        return { x: Math.round((left + right) / 2 - b.width / 2), y: b.y };
      case "right":
        return { x: right - b.width, y: b.y };
      case "top":
        return { x: b.x, y: top };
      case "middle":
        return { x: b.x, y: Math.round((top + bottom) / 2 - b.height / 2) };
      case "bottom":
        return { x: b.x, y: bottom - b.height };
    }
  };
  return boxes.map((b) => ({ id: b.id, ...place(b) })).filter((m, i) => m.x !== boxes[i]!.x || m.y !== boxes[i]!.y);
}

/** New positions spacing three or more boxes evenly between the first and the last along an axis (equal gaps). */
export function distribute(boxes: readonly Box[], axis: Axis): { id: string; x: number; y: number }[] {
  if (boxes.length < 3) return [];
  const start = (b: Box) => (axis === "horizontal" ? b.x : b.y);
  const size = (b: Box) => (axis === "horizontal" ? b.width : b.height);
  const sorted = [...boxes].sort((a, b) => start(a) - start(b) || (a.id < b.id ? -1 : 1));
  const first = sorted[0]!;
  const last = sorted.reduce((end, b) => (start(b) + size(b) > start(end) + size(end) ? b : end), sorted[0]!);
  const span = start(last) + size(last) - start(first);
  const gap = (span - sorted.reduce((sum, b) => sum + size(b), 0)) / (sorted.length - 1);
  let at = start(first);
  const moves: { id: string; x: number; y: number }[] = [];
  for (const b of sorted) {
    const next = Math.round(at);
    if (next !== start(b)) moves.push({ id: b.id, x: axis === "horizontal" ? next : b.x, y: axis === "horizontal" ? b.y : next });
    at += size(b) + gap;
  }
  return moves;
}
