/** whiteboard: views of the graph, where each node sits in them, groups and free shapes. */
import { z } from "zod";
import { ChosenIdSchema, IdSchema } from "../core-graph/schema";

export interface ViewRecord {
  id: string;
  name: string;
  createdBy: string;
  createdAt: number;
}

/** A node's place in one view. Inside a group, x and y are relative to the group. */
export interface Placement {
  viewId: string;
  nodeId: string;
  x: number;
  y: number;
  width: number;
  height: number;
  z: number;
  parent: string | null;
  locked: boolean;
  hidden: boolean;
}

export const SHAPE_KINDS = ["rectangle", "ellipse", "arrow", "text", "draw"] as const;

/**
 * A drawn shape's points are stored flat (`[x0, y0, x1, y1, …]`), as whole numbers on a grid of
 * POINT_GRID steps across its box (0 its left or top edge, POINT_GRID its right or bottom): a
 * stroke stays small in the doc, and resizing the box scales it with nothing else to change.
 */
export const POINT_GRID = 1000;
/** The most points one stroke keeps (the pen thins a longer one before sending it). */
export const MAX_STROKE_POINTS = 2000;

export interface ShapeRecord {
  id: string;
  viewId: string;
  kind: (typeof SHAPE_KINDS)[number];
  x: number;
  y: number;
  width: number;
  height: number;
  z: number;
  text: string;
  color: string;
  locked: boolean;
  /** A drawn stroke's points (kind `draw`), or an arrow's two ends (absent: left to right across its box). */
  points?: number[];
  /** A pen stroke's pressure at each point (0 to 100), when drawn with a pen that reports it; absent: even, shaped by speed. */
  pressure?: number[];
  /** The frame holding it, if any: its x and y are then relative to the frame (as a placement's to its parent). */
  parent?: string;
  /**
   * An arrow's bound ends: the item (a node on its view, or another shape) each end points at.
   * A bound end follows its item (geometry.ts); its box and points keep where it was drawn.
   */
  from?: string;
  to?: string;
}

const Coord = z.number().finite().min(-1e7).max(1e7);
const Size = z.number().finite().min(8).max(1e5);
const Name = z.string().trim().min(1).max(100);
const NodeIds = z.array(IdSchema).min(1).max(500);

export const CreateViewSchema = z.strictObject({ name: Name });
export const RenameViewSchema = z.strictObject({ viewId: IdSchema, name: Name });
export const DeleteViewSchema = z.strictObject({ viewId: IdSchema });
export const PlaceSchema = z.strictObject({ viewId: IdSchema, nodeId: IdSchema, x: Coord, y: Coord, width: Size.optional(), height: Size.optional() });
export const MoveSchema = z.strictObject({ viewId: IdSchema, moves: z.array(z.strictObject({ nodeId: IdSchema, x: Coord, y: Coord })).min(1).max(500) });
export const ResizeSchema = z.strictObject({ viewId: IdSchema, nodeId: IdSchema, width: Size, height: Size });
const Items = z.array(IdSchema).max(500).default([]);
export const ArrangeSchema = z
  .strictObject({ viewId: IdSchema, nodeIds: Items, shapeIds: Items, to: z.enum(["front", "back"]) })
  .refine((p) => p.nodeIds.length + p.shapeIds.length > 0, "Name the nodes or shapes to bring to the front or send to the back.");
/** Puts items back at the heights they had (undo of an arrange). */
const Heights = z.array(z.strictObject({ id: IdSchema, z: z.number().finite() })).max(500).default([]);
export const RestackSchema = z
  .strictObject({ viewId: IdSchema, nodes: Heights, shapes: Heights })
  .refine((p) => p.nodes.length + p.shapes.length > 0, "Name the nodes or shapes to restack.");
export const SetFlagSchema = z.strictObject({ viewId: IdSchema, nodeIds: NodeIds, value: z.boolean() });
export const GroupSchema = z.strictObject({ viewId: IdSchema, nodeIds: NodeIds, groupId: ChosenIdSchema });
export const UngroupSchema = z.strictObject({ viewId: IdSchema, groupId: IdSchema });
export const RenameGroupSchema = z.strictObject({ groupId: IdSchema, name: Name });
// One check for every point, so a bad stroke is one clear refusal, not one per point.
const Points = z
  .array(z.number())
  .max(MAX_STROKE_POINTS * 2, `A stroke keeps at most ${MAX_STROKE_POINTS} points.`)
  .refine((points) => points.length % 2 === 0, "Points come in x, y pairs.")
  .refine((points) => points.every((n) => Number.isInteger(n) && n >= 0 && n <= POINT_GRID), `Each point is a whole number from 0 to ${POINT_GRID} (its place across the box).`);

const PRESSURE = "Each pressure is a whole number from 0 to 100.";
const Pressure = z.array(z.int(PRESSURE).min(0, PRESSURE).max(100, PRESSURE)).max(MAX_STROKE_POINTS, `A stroke keeps at most ${MAX_STROKE_POINTS} points.`);

export const CreateShapeSchema = z
  .strictObject({
    id: ChosenIdSchema,
    viewId: IdSchema,
    kind: z.enum(SHAPE_KINDS),
    x: Coord,
    y: Coord,
    width: Size,
    height: Size,
    text: z.string().max(2000).default(""),
    color: z.string().regex(/^#[0-9a-f]{6}$/i).default("#57534e"),
    points: Points.optional(),
    pressure: Pressure.optional(),
    parent: IdSchema.optional(),
    from: IdSchema.optional(),
    to: IdSchema.optional(),
  })
  .superRefine((shape, ctx) => {
    const count = (shape.points?.length ?? 0) / 2;
    // A stroke needs two points to be seen; an arrow has its two ends or none; the others none.
    if (shape.kind === "draw" && count < 2) ctx.addIssue({ code: "custom", path: ["points"], message: "A drawing needs at least 2 points." });
    if (shape.kind === "arrow" && shape.points && count !== 2) ctx.addIssue({ code: "custom", path: ["points"], message: "An arrow's points are its 2 ends." });
    if (shape.kind !== "draw" && shape.kind !== "arrow" && shape.points) ctx.addIssue({ code: "custom", path: ["points"], message: `A ${shape.kind} has no points.` });
    if (shape.pressure && (shape.kind !== "draw" || shape.pressure.length !== count)) ctx.addIssue({ code: "custom", path: ["pressure"], message: "A pen stroke has one pressure per point (and other shapes none)." });
    for (const end of ["from", "to"] as const) {
      if (shape[end] !== undefined && shape.kind !== "arrow") ctx.addIssue({ code: "custom", path: [end], message: `Only an arrow binds to items; a ${shape.kind} does not.` });
    }
    if (shape.from !== undefined && shape.from === shape.to) ctx.addIssue({ code: "custom", path: ["to"], message: "An arrow binds its two ends to two different items." });
  });
export const UpdateShapeSchema = z.strictObject({
  shapeId: IdSchema,
  x: Coord.optional(),
  y: Coord.optional(),
  width: Size.optional(),
  height: Size.optional(),
  text: z.string().max(2000).optional(),
  color: z.string().regex(/^#[0-9a-f]{6}$/i).optional(),
  locked: z.boolean().optional(),
  /** An arrow's two ends on its box's grid, when an end is dragged (with its new box). */
  points: Points.optional(),
  /** What an arrow's end is bound to now; null frees it. */
  from: IdSchema.nullable().optional(),
  to: IdSchema.nullable().optional(),
});
export const CreateFrameSchema = z.strictObject({ id: ChosenIdSchema, viewId: IdSchema, x: Coord, y: Coord, width: Size, height: Size, name: Name.optional() });
/** Items put in a frame or taken out of one, each where it now lies on the board (not relative to anything). */
const Dropped = z.array(z.strictObject({ id: IdSchema, x: Coord, y: Coord })).max(500);
export const SetFrameSchema = z
  .strictObject({ viewId: IdSchema, frameId: IdSchema.nullable(), nodes: Dropped.default([]), shapes: Dropped.default([]) })
  .refine((p) => p.nodes.length + p.shapes.length > 0, "Name the nodes or shapes to put in the frame (or take out).");
export const DeleteShapesSchema = z.strictObject({ shapeIds: z.array(IdSchema).min(1).max(500) });
