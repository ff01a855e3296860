/** Reading and checking node placements in a view. */
import type * as Y from "yjs";
import { EventError, collection } from "../kit";
import type { Placement, ShapeRecord, ViewRecord } from "./schema";

export const WHITEBOARD = "whiteboard";
export const DEFAULT_SIZE = { width: 240, height: 160 };
/** Room around a group's children. */
export const GROUP_PADDING = 24;

export const viewsOf = (doc: Y.Doc) => collection<ViewRecord>(doc, WHITEBOARD, "views");
export const placementsOf = (doc: Y.Doc) => collection<Placement>(doc, WHITEBOARD, "placements");
export const shapesOf = (doc: Y.Doc) => collection<ShapeRecord>(doc, WHITEBOARD, "shapes");

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
  for (let p: Placement | undefined = placement; p; p = p.parent ? placementsOf(doc).get(placementKey(viewId, p.parent)) : undefined) {
    if (p.locked) throw new EventError("locked", p === placement ? `Node ${nodeId} is locked: unlock it first.` : `Node ${nodeId} is in a locked group.`);
  }
  return placement;
}

/** Every placement of a view. */
export function placementsIn(doc: Y.Doc, viewId: string): Placement[] {
  return [...placementsOf(doc).values()].filter((p) => p.viewId === viewId);
}

/** The highest and lowest z of a view's items. */
export function zRange(doc: Y.Doc, viewId: string): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const p of placementsIn(doc, viewId)) ({ min, max } = { min: Math.min(min, p.z), max: Math.max(max, p.z) });
  for (const s of shapesOf(doc).values()) if (s.viewId === viewId) ({ min, max } = { min: Math.min(min, s.z), max: Math.max(max, s.z) });
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
