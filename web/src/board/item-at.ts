/** What lies under a point on the screen, for gestures that end on an item (an arrow drawn, an arrow's end dragged). */
import type { Point } from "./placement";

/** The board item (flow id) under a client point, topmost first, skipping `skip` (the item being dragged); null on empty canvas. */
export function itemAt(at: Point, skip?: string): string | null {
  for (const el of document.elementsFromPoint(at.x, at.y)) {
    const node = el.closest(".react-flow__node");
    if (node instanceof HTMLElement && node.dataset.id && node.dataset.id !== skip) return node.dataset.id;
  }
  return null;
}
