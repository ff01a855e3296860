/**
 * whiteboard: several views per project; in each, node positions, sizes, z-order, groups
 * (children sit relative to their group, so they move with it), frames (titled regions holding
 * nodes and shapes, frames.ts), lock/unlock, hide, and free shapes (rectangle, ellipse, arrow,
 * text label, pen drawing: its points on its box's grid, schema.ts; an arrow may bind its ends
 * to items, bindings.ts), group and frame names, and how each item looks on a view (styles.ts).
 */
import type * as Y from "yjs";
import { chooseNodeId, deleteNodes, newNode, nodesOf, requireNode } from "../core-graph";
import { type ModuleDefinition, EventError, defineEvent } from "../kit";
import { releaseArrows, requireBindable, withArrowEnds } from "./bindings";
import { frameAround, frameEvents, releaseChildren, requireFrame, requireShapeOn, requireShapeUnlocked } from "./frames";
import {
  DEFAULT_SIZE,
  GROUP_PADDING,
  WHITEBOARD,
  groupNamesOf,
  placementKey,
  placementsIn,
  placementsOf,
  requirePlacement,
  requireUnlocked,
  requireView,
  shapesOf,
  updatePlacement,
  viewsOf,
  zRange,
} from "./placements";
import {
  CreateShapeSchema,
  ArrangeSchema,
  RestackSchema,
  CreateViewSchema,
  DeleteShapesSchema,
  DeleteViewSchema,
  GroupSchema,
  MoveSchema,
  PlaceSchema,
  RenameGroupSchema,
  RenameViewSchema,
  ResizeSchema,
  SetFlagSchema,
  UngroupSchema,
  UpdateShapeSchema,
  type Placement,
  type ShapeRecord,
} from "./schema";
import { SetStyleSchema, changedStyle, dropStyles, requireStylable, styleOf, stylesOf } from "./styles";

const viewPermission = (action: string) => (p: { viewId: string }) => `whiteboard:[view:${p.viewId}]:${action}`;

/**
 * Places a node on a view (for modules creating nodes of their kind) at x, y on the board; one
 * placed with its centre in a frame goes in it (the innermost), as a shape drawn there does.
 */
export function placeNode(doc: Y.Doc, p: { viewId: string; nodeId: string; x: number; y: number; width?: number; height?: number }): void {
  const z = zRange(doc, p.viewId).max + 1;
  const [width, height] = [p.width ?? DEFAULT_SIZE.width, p.height ?? DEFAULT_SIZE.height];
  const frame = frameAround(doc, p.viewId, { x: p.x + width / 2, y: p.y + height / 2 });
  const at = frame ? { x: p.x - frame.x, y: p.y - frame.y } : { x: p.x, y: p.y };
  const placement: Placement = { viewId: p.viewId, nodeId: p.nodeId, ...at, width, height, z, parent: frame?.id ?? null, locked: false, hidden: false };
  placementsOf(doc).set(placementKey(p.viewId, p.nodeId), placement);
}

export const whiteboard = {
  name: WHITEBOARD,
  nodeKinds: ["group", "frame"] as const,
  tabKinds: ["view"] as const,
  dependencies: ["core-graph"],
  permissions: ["whiteboard:create", "whiteboard:delete", "whiteboard:[view:*]:update", "whiteboard:[view:*]:delete", "whiteboard:[view:*]:move", "whiteboard:[shape:*]:update", "whiteboard:[group:*]:update"],
  errors: { not_found: 404, conflict: 409, locked: 409, last_view: 409, invalid_group: 400, invalid_frame: 400, invalid_arrow: 400 },
  seed(doc, now) {
    viewsOf(doc).set("main", { id: "main", name: "Board", createdBy: "kiln", createdAt: now });
  },
  onNodeDeleted(doc, nodeId) {
    const placements = placementsOf(doc);
    // What a deleted group or frame held keeps its place on the board, and arrows bound to the
    // node keep their ends: both first, while its position is still there to add up.
    releaseChildren(doc, nodeId);
    releaseArrows(doc, new Set([nodeId]));
    for (const [key, p] of [...placements.entries()]) if (p.nodeId === nodeId) placements.delete(key);
    dropStyles(doc, nodeId);
    groupNamesOf(doc).delete(nodeId);
  },
  events: {
    ...frameEvents,
    "create-view": defineEvent({
      schema: CreateViewSchema,
      permission: () => "whiteboard:create",
      reduce: (ctx, p) => {
        const view = { id: ctx.newId(), name: p.name, createdBy: ctx.actor.userId, createdAt: ctx.now };
        return () => viewsOf(ctx.doc).set(view.id, view);
      },
    }),
    "rename-view": defineEvent({
      schema: RenameViewSchema,
      permission: viewPermission("update"),
      reduce: (ctx, p) => {
        const view = requireView(ctx.doc, p.viewId);
        return () => viewsOf(ctx.doc).set(view.id, { ...view, name: p.name });
      },
    }),
    "delete-view": defineEvent({
      schema: DeleteViewSchema,
      permission: viewPermission("delete"),
      reduce: (ctx, p) => {
        requireView(ctx.doc, p.viewId);
        if (viewsOf(ctx.doc).size === 1) throw new EventError("last_view", "A project keeps at least one view.");
        return () => {
          for (const placement of placementsIn(ctx.doc, p.viewId)) placementsOf(ctx.doc).delete(placementKey(p.viewId, placement.nodeId));
          for (const [id, shape] of shapesOf(ctx.doc)) if (shape.viewId === p.viewId) shapesOf(ctx.doc).delete(id);
          for (const key of [...stylesOf(ctx.doc).keys()]) if (key.startsWith(`${p.viewId}/`)) stylesOf(ctx.doc).delete(key);
          viewsOf(ctx.doc).delete(p.viewId);
        };
      },
    }),
    place: defineEvent({
      schema: PlaceSchema,
      permission: viewPermission("move"),
      reduce: (ctx, p) => {
        requireView(ctx.doc, p.viewId);
        requireNode(ctx.doc, p.nodeId);
        if (placementsOf(ctx.doc).has(placementKey(p.viewId, p.nodeId))) throw new EventError("conflict", `Node ${p.nodeId} is already on this view.`);
        return () => placeNode(ctx.doc, p);
      },
    }),
    move: defineEvent({
      schema: MoveSchema,
      permission: viewPermission("move"),
      reduce: (ctx, p) => {
        const placements = p.moves.map((m) => ({ placement: requireUnlocked(ctx.doc, p.viewId, m.nodeId), m }));
        return () => {
          for (const { placement, m } of placements) updatePlacement(ctx.doc, placement, { x: m.x, y: m.y });
        };
      },
    }),
    resize: defineEvent({
      schema: ResizeSchema,
      permission: viewPermission("move"),
      reduce: (ctx, p) => {
        const placement = requireUnlocked(ctx.doc, p.viewId, p.nodeId);
        return () => updatePlacement(ctx.doc, placement, { width: p.width, height: p.height });
      },
    }),
    arrange: defineEvent({
      schema: ArrangeSchema,
      permission: viewPermission("move"),
      reduce: (ctx, p) => {
        const placements = p.nodeIds.map((id) => requirePlacement(ctx.doc, p.viewId, id));
        const shapes = p.shapeIds.map((id) => requireShapeOn(ctx.doc, p.viewId, id));
        const { min, max } = zRange(ctx.doc, p.viewId);
        const count = placements.length + shapes.length;
        // In the order named, nodes first: above everything (or below), keeping their order among themselves.
        const height = (i: number) => (p.to === "front" ? max + 1 + i : min - count + i);
        return () => {
          placements.forEach((placement, i) => updatePlacement(ctx.doc, placement, { z: height(i) }));
          shapes.forEach((shape, i) => shapesOf(ctx.doc).set(shape.id, { ...shape, z: height(placements.length + i) }));
        };
      },
    }),
    restack: defineEvent({
      schema: RestackSchema,
      permission: viewPermission("move"),
      reduce: (ctx, p) => {
        const placements = p.nodes.map((n) => ({ placement: requirePlacement(ctx.doc, p.viewId, n.id), z: n.z }));
        const shapes = p.shapes.map((s) => ({ shape: requireShapeOn(ctx.doc, p.viewId, s.id), z: s.z }));
        return () => {
          for (const { placement, z } of placements) updatePlacement(ctx.doc, placement, { z });
          for (const { shape, z } of shapes) shapesOf(ctx.doc).set(shape.id, { ...shape, z });
        };
      },
    }),
    "set-locked": defineEvent({
      schema: SetFlagSchema,
      permission: viewPermission("update"),
      reduce: (ctx, p) => {
        const placements = p.nodeIds.map((id) => requirePlacement(ctx.doc, p.viewId, id));
        return () => placements.forEach((placement) => updatePlacement(ctx.doc, placement, { locked: p.value }));
      },
    }),
    "set-hidden": defineEvent({
      schema: SetFlagSchema,
      permission: viewPermission("update"),
      reduce: (ctx, p) => {
        const placements = p.nodeIds.map((id) => requirePlacement(ctx.doc, p.viewId, id));
        return () => placements.forEach((placement) => updatePlacement(ctx.doc, placement, { hidden: p.value }));
      },
    }),
    group: defineEvent({
      schema: GroupSchema,
      permission: viewPermission("move"),
      reduce: (ctx, p) => {
        const children = p.nodeIds.map((id) => requireUnlocked(ctx.doc, p.viewId, id));
        const parent = children[0]!.parent;
        if (children.some((c) => c.parent !== parent)) throw new EventError("invalid_group", "Group nodes that sit in the same group (or none).");
        const left = Math.min(...children.map((c) => c.x)) - GROUP_PADDING;
        const top = Math.min(...children.map((c) => c.y)) - GROUP_PADDING;
        const right = Math.max(...children.map((c) => c.x + c.width)) + GROUP_PADDING;
        const bottom = Math.max(...children.map((c) => c.y + c.height)) + GROUP_PADDING;
        const group = newNode(ctx, "group", chooseNodeId(ctx, p.groupId));
        const z = Math.min(...children.map((c) => c.z)) - 1;
        return () => {
          nodesOf(ctx.doc).set(group.id, group);
          const placement: Placement = { viewId: p.viewId, nodeId: group.id, x: left, y: top, width: right - left, height: bottom - top, z, parent, locked: false, hidden: false };
          placementsOf(ctx.doc).set(placementKey(p.viewId, group.id), placement);
          for (const c of children) updatePlacement(ctx.doc, c, { parent: group.id, x: c.x - left, y: c.y - top });
        };
      },
    }),
    ungroup: defineEvent({
      schema: UngroupSchema,
      permission: viewPermission("move"),
      reduce: (ctx, p) => {
        const node = requireNode(ctx.doc, p.groupId);
        if (node.kind !== "group") throw new EventError("invalid_group", `Node ${p.groupId} is not a group.`);
        requireUnlocked(ctx.doc, p.viewId, p.groupId);
        // The group node goes; deleting it frees its children at their absolute positions.
        return () => deleteNodes(ctx.doc, [p.groupId], ctx.modules, ctx.sql);
      },
    }),
    "rename-group": defineEvent({
      schema: RenameGroupSchema,
      permission: (p) => `whiteboard:[group:${p.groupId}]:update`,
      reduce: (ctx, p) => {
        const kind = requireNode(ctx.doc, p.groupId).kind;
        if (kind !== "group" && kind !== "frame") throw new EventError("invalid_group", `Node ${p.groupId} is not a group or a frame.`);
        return () => groupNamesOf(ctx.doc).set(p.groupId, p.name);
      },
    }),
    "set-style": defineEvent({
      schema: SetStyleSchema,
      permission: viewPermission("update"),
      reduce: (ctx, p) => {
        requireView(ctx.doc, p.viewId);
        for (const item of p.items) requireStylable(ctx.doc, p.viewId, item);
        return () => {
          for (const item of p.items) {
            const style = changedStyle(styleOf(ctx.doc, p.viewId, item.id), p.style);
            const key = placementKey(p.viewId, item.id);
            if (Object.keys(style).length === 0) stylesOf(ctx.doc).delete(key);
            else stylesOf(ctx.doc).set(key, style);
          }
        };
      },
    }),
    "create-shape": defineEvent({
      schema: CreateShapeSchema,
      permission: viewPermission("update"),
      reduce: (ctx, p) => {
        requireView(ctx.doc, p.viewId);
        if (p.id !== undefined && shapesOf(ctx.doc).has(p.id)) throw new EventError("conflict", `A shape ${p.id} already exists.`);
        if (p.parent !== undefined) requireFrame(ctx.doc, p.viewId, p.parent);
        for (const end of [p.from, p.to]) if (end !== undefined) requireBindable(ctx.doc, p.viewId, end);
        const { id = ctx.newId(), ...fields } = p;
        const shape: ShapeRecord = { id, ...fields, z: zRange(ctx.doc, p.viewId).max + 1, locked: false };
        return () => shapesOf(ctx.doc).set(shape.id, shape);
      },
    }),
    "update-shape": defineEvent({
      schema: UpdateShapeSchema,
      permission: (p) => `whiteboard:[shape:${p.shapeId}]:update`,
      reduce: (ctx, p) => {
        const shape = shapesOf(ctx.doc).get(p.shapeId);
        if (!shape) throw new EventError("not_found", `There is no shape ${p.shapeId}.`);
        const { shapeId, points, from, to, ...changes } = p;
        const moving = Object.keys(p).some((k) => k !== "locked" && k !== "shapeId");
        if (moving) requireShapeUnlocked(ctx.doc, shape);
        const ended = withArrowEnds(ctx.doc, shape, { points, from, to });
        return () => shapesOf(ctx.doc).set(shapeId, { ...ended, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) });
      },
    }),
    "delete-shapes": defineEvent({
      schema: DeleteShapesSchema,
      permission: () => "whiteboard:delete",
      reduce: (ctx, p) => {
        for (const id of p.shapeIds) {
          const shape = shapesOf(ctx.doc).get(id);
          if (!shape) throw new EventError("not_found", `There is no shape ${id}.`);
          if (shape.locked) throw new EventError("locked", `Shape ${id} is locked: unlock it first.`);
        }
        return () => {
          releaseArrows(ctx.doc, new Set(p.shapeIds));
          for (const id of p.shapeIds) {
            shapesOf(ctx.doc).delete(id);
            dropStyles(ctx.doc, id);
          }
        };
      },
    }),
  },
} as const satisfies ModuleDefinition;
