/**
 * Copy and paste of board items: what Ctrl+C keeps (each node kind copies its own, see
 * web/src/modules/, and the free shapes), and where a paste lands — at the pointer when the
 * person points at the board, else offset from the original, a little further at each paste,
 * so copies never stack on each other. The system clipboard gets the items' text too: pasted
 * into another app it is text, and text copied from another app pastes as a note.
 */
import { nodesOf } from "../../../gateway-do/src/modules/core-graph";
import { shapesOf } from "../../../gateway-do/src/modules/whiteboard/placements";
import type { Box } from "../modules/kit";
import { nodeViewOf } from "../modules/registry";
import { addShapesCommand, combine } from "./commands";
import { type ShapeKind, shapeIdOf } from "./flow-model";
import { PASTE_OFFSET, type Point, centredOn } from "./placement";
import type { BoardStore, Command } from "./store";

/** Copied items, relative to the copied area's corner, and where that area was. */
export interface Clipboard {
  /** By node kind, in the order first copied. */
  nodes: Map<string, (Box & { text?: unknown })[]>;
  shapes: { kind: ShapeKind; x: number; y: number; width: number; height: number; text: string; color: string; points?: number[] }[];
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
  const viewId = store.getSnapshot().viewId;
  const nodes = new Map<string, Box[]>();
  const shapes: Clipboard["shapes"] = [];
  for (const id of store.selected) {
    const shapeId = shapeIdOf(id);
    const shape = shapeId ? shapesOf(doc).get(shapeId) : undefined;
    if (shape) shapes.push({ kind: shape.kind, x: shape.x, y: shape.y, width: shape.width, height: shape.height, text: shape.text, color: shape.color, ...(shape.points ? { points: shape.points } : {}) });
    const kind = nodesOf(doc).get(id)?.kind;
    const copied = kind ? nodeViewOf(kind)?.clipboard?.copy(doc, viewId, id) : null;
    if (kind && copied) nodes.set(kind, [...(nodes.get(kind) ?? []), copied]);
  }
  const items: (Box & { text?: unknown })[] = [...[...nodes.values()].flat(), ...shapes];
  if (items.length === 0) return null;
  const left = Math.min(...items.map((i) => i.x));
  const top = Math.min(...items.map((i) => i.y));
  const right = Math.max(...items.map((i) => i.x + i.width));
  const bottom = Math.max(...items.map((i) => i.y + i.height));
  return {
    nodes: new Map([...nodes].map(([kind, list]) => [kind, list.map((n) => ({ ...n, x: n.x - left, y: n.y - top }))])),
    shapes: shapes.map((s) => ({ ...s, x: s.x - left, y: s.y - top })),
    origin: { x: left, y: top },
    size: { width: right - left, height: bottom - top },
    pasted: 0,
    text: items.flatMap((i) => (typeof i.text === "string" && i.text.trim() !== "" ? [i.text] : [])).join("\n\n"),
  };
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
  for (const [kind, items] of clip.nodes) {
    const paste = nodeViewOf(kind)?.clipboard?.paste;
    if (paste) parts.push(paste(store, viewId, items.map((n) => ({ ...n, x: n.x + at.x, y: n.y + at.y }))));
  }
  parts.push(addShapesCommand(store, viewId, clip.shapes.map((s) => ({ ...s, x: s.x + at.x, y: s.y + at.y }))));
  return { ...combine(parts.filter((c) => c.events.length > 0)), ids: parts.flatMap((c) => c.ids) };
}
