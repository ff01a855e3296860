/**
 * The order "Run all" runs a view's cells in: reading order, top to bottom, then left to right.
 * Cells laid side by side are rarely at exactly the same height, so a row is every cell whose
 * top lies above the middle of the row's first (highest) cell; a row runs left to right.
 */
import type * as Y from "yjs";
import { absolutePosition, placementsIn } from "../../../../gateway-do/src/modules/whiteboard/placements";
import type { Box } from "../kit";

type Placed = Box & { id: string };

/** The ids in reading order: rows top to bottom, each row left to right. */
export function readingOrder(items: readonly Placed[]): string[] {
  const byTop = [...items].sort((a, b) => a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : 1));
  const order: string[] = [];
  for (let i = 0; i < byTop.length; ) {
    const first = byTop[i]!;
    const middle = first.y + first.height / 2;
    let end = i + 1;
    while (end < byTop.length && byTop[end]!.y < middle) end++;
    const row = byTop.slice(i, end).sort((a, b) => a.x - b.x || a.y - b.y);
    order.push(...row.map((c) => c.id));
    i = end;
  }
  return order;
}

/** The cells placed on a view (absolute boxes, groups added up), in reading order; `isCell` says which nodes are cells. */
export function cellsInReadingOrder(doc: Y.Doc, viewId: string, isCell: (nodeId: string) => boolean): string[] {
  const placed = placementsIn(doc, viewId)
    .filter((p) => !p.hidden && isCell(p.nodeId))
    .map((p) => ({ id: p.nodeId, ...absolutePosition(doc, p), width: p.width, height: p.height }));
  return readingOrder(placed);
}

/** The cells from `from` on, in reading order (all of them when it is not among them). */
export function fromCell(order: readonly string[], from: string): string[] {
  const at = order.indexOf(from);
  return at < 0 ? [...order] : order.slice(at);
}
