/**
 * Copy and paste of board items: what Ctrl+C keeps (each node kind copies its own, see
 * web/src/modules/, and the free shapes), and where a paste lands — at the pointer when the
 * person points at the board, else offset from the original, a little further at each paste,
 * so copies never stack on each other. The system clipboard gets the items' text too: pasted
 * into another app it is text, and text copied from another app pastes as a note. An arrow
 * bound to items copied with it is bound to their copies; its other ends paste free.
 */
import { nodesOf } from "../../../gateway-do/src/modules/core-graph";
import { shapesOf } from "../../../gateway-do/src/modules/whiteboard/placements";
import type { Box } from "../modules/kit";
import { nodeViewOf } from "../modules/registry";
import { addShapesCommand, combine, newItemId } from "./commands";
import { type BoardFlowNode, type ShapeKind, type ShapeNodeData, shapeIdOf } from "./flow-model";
import { FRAME, boardBoxes } from "./frames";
import { PASTE_OFFSET, type Point, centredOn } from "./placement";
import type { BoardStore, Command } from "./store";

/** Copied items, relative to the copied area's corner, and where that area was. */
export interface Clipboard {
  /** By node kind, in the order first copied. */
  nodes: Map<string, (Box & { text?: unknown })[]>;
  /** The copied node ids, by kind, in the order of `nodes`: arrows bound to them are bound to their copies. */
  nodeIds: Map<string, string[]>;
  shapes: { id: string; kind: ShapeKind; x: number; y: number; width: number; height: number; text: string; color: string; points?: number[]; pressure?: number[]; from?: string; to?: string }[];
  origin: Point;
  size: { width: number; height: number };
  /** Pastes so far at an offset from the origin: the next one lands one offset further. */
  pasted: number;
  /** What was put on the system clipboard as text, to know it back when pasted. */
  text: string;
}

/** The selection as a clipboard; null when nothing selected can be copied. */
export function copySelection(store: BoardStore): Clipboard | null {
  const { doc } = store;
  const { viewId, nodes: flow } = store.getSnapshot();
  const nodes = new Map<string, Box[]>();
  const nodeIds = new Map<string, string[]>();
  const shapes: Clipboard["shapes"] = [];
  // Shapes as drawn now (a bound arrow where its items put it), where they lie on the board.
  const drawn = new Map(flow.map((n) => [n.id, n]));
  const boxes = boardBoxes(flow);
  for (const id of withWhatFramesHold(flow, store.selected)) {
    const shapeId = shapeIdOf(id);
    const shape = shapeId && shapesOf(doc).has(shapeId) ? (drawn.get(id)?.data as ShapeNodeData | undefined)?.shape : undefined;
    const at = boxes.get(id);
    if (shape && at) {
      const ends = { ...(shape.from ? { from: shape.from } : {}), ...(shape.to ? { to: shape.to } : {}) };
      shapes.push({ id: shape.id, kind: shape.kind, x: at.x, y: at.y, width: shape.width, height: shape.height, text: shape.text, color: shape.color, ...(shape.points ? { points: shape.points } : {}), ...(shape.pressure ? { pressure: shape.pressure } : {}), ...ends });
    }
    const kind = nodesOf(doc).get(id)?.kind;
    const copied = kind ? nodeViewOf(kind)?.clipboard?.copy(doc, viewId, id) : null;
    if (kind && copied) {
      nodes.set(kind, [...(nodes.get(kind) ?? []), copied]);
      nodeIds.set(kind, [...(nodeIds.get(kind) ?? []), id]);
    }
  }
  const items: (Box & { text?: unknown })[] = [...[...nodes.values()].flat(), ...shapes];
  if (items.length === 0) return null;
  const left = Math.min(...items.map((i) => i.x));
  const top = Math.min(...items.map((i) => i.y));
  const right = Math.max(...items.map((i) => i.x + i.width));
  const bottom = Math.max(...items.map((i) => i.y + i.height));
  return {
    nodes: new Map([...nodes].map(([kind, list]) => [kind, list.map((n) => ({ ...n, x: n.x - left, y: n.y - top }))])),
    nodeIds,
    shapes: shapes.map((s) => ({ ...s, x: s.x - left, y: s.y - top })),
    origin: { x: left, y: top },
    size: { width: right - left, height: bottom - top },
    pasted: 0,
    text: items.flatMap((i) => (typeof i.text === "string" && i.text.trim() !== "" ? [i.text] : [])).join("\n\n"),
  };
}

/** The selected items and, for each selected frame, what it holds (copied with it). */
function withWhatFramesHold(flow: readonly BoardFlowNode[], selected: ReadonlySet<string>): string[] {
  const ids = [...selected];
  const taken = new Set(ids);
  // The flow lists a frame before what it holds, so one pass takes in frames within frames too.
  for (const n of flow) {
    const parent = n.parentId ? flow.find((p) => p.id === n.parentId) : undefined;
    if (parent?.type === FRAME && taken.has(parent.id) && !taken.has(n.id)) {
      taken.add(n.id);
      ids.push(n.id);
    }
  }
  return ids;
}

/** Where a paste of `clip` goes: at `corner` if given, centred on the pointer if on the board, else one offset further from the original. */
export function pastePlace(clip: Clipboard, where: { corner?: Point; pointer: Point | null }): Point {
  if (where.corner) return where.corner;
  if (where.pointer) return centredOn(where.pointer, clip.size);
  clip.pasted += 1;
  return { x: clip.origin.x + PASTE_OFFSET * clip.pasted, y: clip.origin.y + PASTE_OFFSET * clip.pasted };
}

/** The command pasting `clip` with its corner at `at`, one undo step, and the flow ids it creates. */
export function pasteCommand(store: BoardStore, viewId: string, clip: Clipboard, at: Point): Command & { ids: string[] } {
  const parts: (Command & { ids: string[] })[] = [];
  // What each pasted item is and where it lands, to put pasted items in the pasted frames around them.
  const pasted: { id: string; frame: boolean; box: Box }[] = [];
  // Each copied item's copy (node and shape ids), for the arrows bound to them.
  const copies = new Map<string, string>();
  for (const [kind, items] of clip.nodes) {
    const paste = nodeViewOf(kind)?.clipboard?.paste;
    if (!paste) continue;
    const placed = items.map((n) => ({ ...n, x: n.x + at.x, y: n.y + at.y }));
    const part = paste(store, viewId, placed);
    parts.push(part);
    part.ids.forEach((id, i) => placed[i] && pasted.push({ id, frame: kind === FRAME, box: placed[i] }));
    clip.nodeIds.get(kind)?.forEach((original, i) => part.ids[i] && copies.set(original, part.ids[i]!));
  }
  // Arrows after the shapes they may be bound to (an arrow binds to no arrow).
  const shapeList = [...clip.shapes].sort((a, b) => Number(a.kind === "arrow") - Number(b.kind === "arrow"));
  for (const s of shapeList) copies.set(s.id, newItemId());
  const copyOf = (end: string | undefined) => (end ? copies.get(end) : undefined);
  const shapes = addShapesCommand(
    store,
    viewId,
    shapeList.map(({ id, from, to, ...s }) => ({ ...s, id: copies.get(id)!, x: s.x + at.x, y: s.y + at.y, ...(copyOf(from) ? { from: copyOf(from) } : {}), ...(copyOf(to) ? { to: copyOf(to) } : {}) })),
  );
  parts.push(shapes);
  shapes.ids.forEach((id, i) => pasted.push({ id, frame: false, box: { ...shapeList[i]!, x: shapeList[i]!.x + at.x, y: shapeList[i]!.y + at.y } }));
  const command = combine([...parts.filter((c) => c.events.length > 0), ...framing(viewId, pasted)]);
  return { ...command, ids: parts.flatMap((c) => c.ids) };
}

/** Pasted items go in the smallest pasted frame lying around them, as the copies were. */
function framing(viewId: string, pasted: { id: string; frame: boolean; box: Box }[]): Command[] {
  const within = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
  const frames = pasted.filter((p) => p.frame).sort((a, b) => a.box.width * a.box.height - b.box.width * b.box.height);
  const into = new Map<string, typeof pasted>();
  for (const item of pasted) {
    const frame = frames.find((f) => f.id !== item.id && within(item.box, f.box));
    if (frame) into.set(frame.id, [...(into.get(frame.id) ?? []), item]);
  }
  const dropped = (items: typeof pasted) => items.map((i) => ({ id: shapeIdOf(i.id) ?? i.id, x: Math.round(i.box.x), y: Math.round(i.box.y) }));
  return [...into].map(([frameId, items]) => ({
    events: [{ type: "whiteboard:set-frame", viewId, frameId, nodes: dropped(items.filter((i) => shapeIdOf(i.id) === null)), shapes: dropped(items.filter((i) => shapeIdOf(i.id) !== null)) }],
  }));
}
