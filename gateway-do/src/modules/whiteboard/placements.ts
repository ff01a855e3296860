/** Reading and checking node placements in a view. */
import type * as Y from "yjs";
import { z } from "zod";
import { EventError, checkedRecord, collection } from "../kit";
import type { Placement, ShapeRecord, ViewRecord } from "./schema";

export const WHITEBOARD = "whiteboard";
export const DEFAULT_SIZE = { width: 240, height: 160 };
/** Room around a group's children. */
export const GROUP_PADDING = 24;

export const viewsOf = (doc: Y.Doc) => collection<ViewRecord>(doc, WHITEBOARD, "views");

/**
 * How a placement is stored: without its view and node ids (its key `{view}/{node}` holds
 * them) and without `parent`, `locked` and `hidden` while they hold their defaults. Placements
 * are the largest part of a board's doc; this makes them 40% smaller, so a big project loads
 * faster and every move sends less. Records stored whole (before this) read the same.
 */
export type StoredPlacement = Omit<Placement, "viewId" | "nodeId" | "parent" | "locked" | "hidden"> & Partial<Pick<Placement, "viewId" | "nodeId" | "parent" | "locked" | "hidden">>;

function encodePlacement(p: Placement): StoredPlacement {
  const stored: StoredPlacement = { x: p.x, y: p.y, width: p.width, height: p.height, z: p.z };
  if (p.parent !== null) stored.parent = p.parent;
  if (p.locked) stored.locked = true;
  if (p.hidden) stored.hidden = true;
  return stored;
}

/**
 * Decoded once per stored object: Yjs hands back the same object until the entry changes, so
 * an unchanged placement reads as the same `Placement` (the board keeps such nodes as they are).
 */
const decoded = new WeakMap<StoredPlacement, Placement>();

const StoredPlacementSchema = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite(),
  height: z.number().finite(),
  z: z.number().finite(),
  parent: z.string().nullable().optional(),
  locked: z.boolean().optional(),
  hidden: z.boolean().optional(),
});

/** The placement stored under `key`, or undefined when the record is not one (skipped and logged). */
function decodePlacement(key: string, stored: StoredPlacement): Placement | undefined {
  let placement = decoded.get(stored);
  if (!placement) {
    if (!checkedRecord(StoredPlacementSchema, stored, "placement", key) || !key.includes("/")) return undefined;
    const slash = key.indexOf("/");
    placement = { parent: null, locked: false, hidden: false, ...stored, viewId: key.slice(0, slash), nodeId: key.slice(slash + 1) };
    decoded.set(stored, placement);
  }
  return placement;
}

/** The placements of a doc, read and written as whole `Placement`s (stored slimmer: StoredPlacement). */
export class Placements {
  constructor(readonly map: Y.Map<StoredPlacement>) {}
  get size(): number {
    return this.map.size;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  get(key: string): Placement | undefined {
    const stored = this.map.get(key);
    return stored === undefined ? undefined : decodePlacement(key, stored);
  }
  set(key: string, placement: Placement): void {
    this.map.set(key, encodePlacement(placement));
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  *entries(): IterableIterator<[string, Placement]> {
    for (const [key, stored] of this.map.entries()) {
      const placement = decodePlacement(key, stored);
      if (placement) yield [key, placement];
    }
  }
  *values(): IterableIterator<Placement> {
    for (const [, placement] of this.entries()) yield placement;
  }
}

export const placementsOf = (doc: Y.Doc) => new Placements(collection<StoredPlacement>(doc, WHITEBOARD, "placements"));
export const shapesOf = (doc: Y.Doc) => collection<ShapeRecord>(doc, WHITEBOARD, "shapes");
/** A group's name, by its node id (a group without one is called "Group"). */
export const groupNamesOf = (doc: Y.Doc) => collection<string>(doc, WHITEBOARD, "group-names");

export const placementKey = (viewId: string, nodeId: string) => `${viewId}/${nodeId}`;

export function requireView(doc: Y.Doc, viewId: string): ViewRecord {
  const view = viewsOf(doc).get(viewId);
  if (!view) throw new EventError("not_found", `There is no view ${viewId} in this project.`);
  return view;
}

export function requirePlacement(doc: Y.Doc, viewId: string, nodeId: string): Placement {
  const placement = placementsOf(doc).get(placementKey(viewId, nodeId));
  if (!placement) throw new EventError("not_found", `Node ${nodeId} is not on view ${viewId}.`);
  return placement;
}

/** The placement, refused if it or a group holding it is locked. */
export function requireUnlocked(doc: Y.Doc, viewId: string, nodeId: string): Placement {
  const placement = requirePlacement(doc, viewId, nodeId);
  const locked = lockedAlong(doc, placement);
  if (locked) throw new EventError("locked", locked === placement ? `Node ${nodeId} is locked: unlock it first.` : `Node ${nodeId} is in a locked group or frame.`);
  return placement;
}

/** The first locked placement from this one out through the groups and frames holding it; undefined when none is. */
export function lockedAlong(doc: Y.Doc, placement: Placement): Placement | undefined {
  let hops = 0;
  for (let p: Placement | undefined = placement; p && hops < 50; p = p.parent ? placementsOf(doc).get(placementKey(placement.viewId, p.parent)) : undefined, hops++) {
    if (p.locked) return p;
  }
  return undefined;
}

/** Every placement of a view. */
export function placementsIn(doc: Y.Doc, viewId: string): Placement[] {
  return [...placementsOf(doc).values()].filter((p) => p.viewId === viewId);
}

/**
 * The highest and lowest z of a view's items. Run for every node and shape placed, so it walks
 * the stored records in place (a placement's key starts with its view) and builds no array:
 * each record is decoded (and checked) once, then read from the cache.
 */
export function zRange(doc: Y.Doc, viewId: string): { min: number; max: number } {
  let min = 0;
  let max = 0;
  const include = (z: number) => {
    if (z < min) min = z;
    if (z > max) max = z;
  };
  const prefix = `${viewId}/`;
  placementsOf(doc).map.forEach((stored, key) => {
    if (!key.startsWith(prefix)) return;
    const placement = decodePlacement(key, stored); // decoded once per stored record, then cached
    if (placement) include(placement.z);
  });
  shapesOf(doc).forEach((shape) => {
    if (shape.viewId === viewId) include(shape.z);
  });
  return { min, max };
}

/** Absolute position of a placement (adding up its groups). */
export function absolutePosition(doc: Y.Doc, placement: Placement): { x: number; y: number } {
  let { x, y } = placement;
  for (let parent = placement.parent; parent; ) {
    const p = placementsOf(doc).get(placementKey(placement.viewId, parent));
    if (!p) break;
    x += p.x;
    y += p.y;
    parent = p.parent;
  }
  return { x, y };
}

/** Writes changed fields of a placement. */
export function updatePlacement(doc: Y.Doc, placement: Placement, changes: Partial<Placement>): void {
  placementsOf(doc).set(placementKey(placement.viewId, placement.nodeId), { ...placement, ...changes });
}
