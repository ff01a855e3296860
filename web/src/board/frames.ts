/**
 * Frames on the board, from xyflow's nodes: where items lie on the board (their positions are
 * relative to the frame or group holding them), which frame a point falls in, and what a drop
 * changes: an item dropped with its centre in a frame joins it, one dropped outside leaves it.
 * Items in a group move with their group and never leave it by a drag.
 */
import type { Box, Point } from "../../../gateway-do/src/modules/whiteboard/geometry";
import type { BoardFlowNode } from "./flow-model";

export const FRAME = "frame";

/** Every item's box on the board, by flow id. */
export function boardBoxes(nodes: readonly BoardFlowNode[]): Map<string, Box> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const boxes = new Map<string, Box>();
  const boxOf = (node: BoardFlowNode, hops = 0): Box => {
    const known = boxes.get(node.id);
    if (known) return known;
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    const origin = parent && hops < 50 ? boxOf(parent, hops + 1) : { x: 0, y: 0 };
    const box = { x: origin.x + node.position.x, y: origin.y + node.position.y, width: node.width ?? node.measured?.width ?? 0, height: node.height ?? node.measured?.height ?? 0 };
    boxes.set(node.id, box);
    return box;
  };
  for (const node of nodes) boxOf(node);
  return boxes;
}

const inside = (p: Point, b: Box) => p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height;
const centreOf = (b: Box): Point => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

/** The unlocked frame drawn topmost at `at` (not one of `skip`), or null: a locked frame takes nothing in. */
export function frameAt(nodes: readonly BoardFlowNode[], boxes: ReadonlyMap<string, Box>, at: Point, skip: ReadonlySet<string> = new Set()): string | null {
  let best: BoardFlowNode | null = null;
  for (const n of nodes) {
    if (n.type !== FRAME || n.hidden || n.data.locked || skip.has(n.id) || !inside(at, boxes.get(n.id)!)) continue;
    if (!best || (n.zIndex ?? 0) > (best.zIndex ?? 0)) best = n;
  }
  return best?.id ?? null;
}

/** An item changing frame: where it lies on the board, and its position relative to its new frame (or the board). */
export interface FrameChange {
  id: string;
  frame: string | null;
  at: Point;
  relative: Point;
}

/**
 * What a drop changes: each dropped item (its new position relative to its current parent)
 * whose centre now falls in another frame than the one holding it, or outside the one holding
 * it. Items in a group stay in it; a frame never goes into itself or a frame it holds.
 */
export function frameChangesOnDrop(nodes: readonly BoardFlowNode[], dropped: readonly { id: string; x: number; y: number }[]): FrameChange[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const boxes = boardBoxes(nodes);
  const droppedIds = new Set(dropped.map((d) => d.id));
  const changes: FrameChange[] = [];
  for (const d of dropped) {
    const node = byId.get(d.id);
    if (!node) continue;
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent && parent.type !== FRAME) continue;
    const origin = parent ? boxes.get(parent.id)! : { x: 0, y: 0 };
    const box = { x: origin.x + d.x, y: origin.y + d.y, width: boxes.get(d.id)!.width, height: boxes.get(d.id)!.height };
    // Not into itself, what it holds, or what is dropped with it.
    const skip = new Set(droppedIds);
    for (const n of nodes) for (let up: BoardFlowNode | undefined = n, hops = 0; up && hops < 50; up = up.parentId ? byId.get(up.parentId) : undefined, hops++) if (up.id === d.id) skip.add(n.id);
    const frame = frameAt(nodes, boxes, centreOf(box), skip);
    if (frame === (parent?.id ?? null)) continue;
    const frameBox = frame ? boxes.get(frame)! : { x: 0, y: 0 };
    changes.push({ id: d.id, frame, at: { x: box.x, y: box.y }, relative: { x: box.x - frameBox.x, y: box.y - frameBox.y } });
  }
  return changes;
}

/**
 * What a frame drawn over `box` takes in: the items lying wholly within it that sit where the
 * new frame goes (on the board, or in the frame around the box's centre, which will hold it).
 */
export function itemsWithin(nodes: readonly BoardFlowNode[], box: Box): { id: string; at: Point }[] {
  const boxes = boardBoxes(nodes);
  const holder = frameAt(nodes, boxes, centreOf(box));
  return nodes.flatMap((n) => {
    const b = boxes.get(n.id)!;
    const within = b.x >= box.x && b.y >= box.y && b.x + b.width <= box.x + box.width && b.y + b.height <= box.y + box.height;
    return (n.parentId ?? null) === holder && !n.hidden && within ? [{ id: n.id, at: { x: b.x, y: b.y } }] : [];
  });
}
