/**
 * "Place it on a view": the one payload shape of every event that creates a node and may put it
 * on a view of the board (a note, a code cell, a container), and the one way to do it.
 */
import type * as Y from "yjs";
import { z } from "zod";
import { IdSchema } from "../core-graph/schema";
import { placeNode } from "./index";
import { requireView } from "./placements";

/** Fields to spread into a creating event's schema. Without `viewId` the node is on no view. */
export const PlaceOnView = {
  viewId: IdSchema.optional(),
  x: z.number().finite().min(-1e7).max(1e7).default(0),
  y: z.number().finite().min(-1e7).max(1e7).default(0),
  width: z.number().finite().min(8).max(1e5).optional(),
  height: z.number().finite().min(8).max(1e5).optional(),
};

export interface Place {
  viewId?: string;
  x: number;
  y: number;
  width?: number;
  height?: number;
}

/** Refuses a view that does not exist (in the reducer, before the change). */
export function checkPlace(doc: Y.Doc, place: Place): void {
  if (place.viewId) requireView(doc, place.viewId);
}

/** Puts the node on the view asked for, if any, at the size asked for or the kind's own (in the change). */
export function placeAsAsked(doc: Y.Doc, nodeId: string, place: Place, size: { width: number; height: number }): void {
  if (place.viewId) placeNode(doc, { viewId: place.viewId, nodeId, x: place.x, y: place.y, width: place.width ?? size.width, height: place.height ?? size.height });
}
