/**
 * How an item looks on a view: stroke and fill colour, stroke width and style, font size and,
 * for edges, arrowheads. Kept per view and item (`{view}/{item}`), beside the placements: the
 * same note may be yellow on one view and blue on another, like its place. Only what differs
 * from the kind's default is stored; a `null` in an event puts a property back to its default.
 */
import type * as Y from "yjs";
import { z } from "zod";
import { edgesOf } from "../core-graph";
import { IdSchema } from "../core-graph/schema";
import { EventError, collection } from "../kit";
import { WHITEBOARD, placementKey, placementsOf, requireUnlocked, shapesOf } from "./placements";

export const STROKE_STYLES = ["solid", "dashed", "dotted"] as const;
export const ARROWHEADS = ["end", "both", "none"] as const;
export const STYLED_KINDS = ["node", "shape", "edge"] as const;

const Colour = z.string().regex(/^#[0-9a-f]{6}$/i, "A colour is written #rrggbb.");

const Fill = z.union([Colour, z.literal("none")]);
const StrokeWidth = z.number().int().min(1).max(16);
const StrokeStyle = z.enum(STROKE_STYLES);
const FontSize = z.number().int().min(8).max(96);
const Arrowheads = z.enum(ARROWHEADS);

/** A style as stored: every property optional (absent = the kind's default). `fill: none` draws an outline only. */
export const ItemStyleSchema = z.strictObject({
  stroke: Colour.optional(),
  fill: Fill.optional(),
  strokeWidth: StrokeWidth.optional(),
  strokeStyle: StrokeStyle.optional(),
  fontSize: FontSize.optional(),
  arrowheads: Arrowheads.optional(),
});
export type ItemStyle = z.infer<typeof ItemStyleSchema>;
export type StyleProperty = keyof ItemStyle;

/** A change of style: each property named is set, or put back to its default with null. */
export const StyleChangeSchema = z
  .strictObject({
    stroke: Colour.nullable().optional(),
    fill: Fill.nullable().optional(),
    strokeWidth: StrokeWidth.nullable().optional(),
    strokeStyle: StrokeStyle.nullable().optional(),
    fontSize: FontSize.nullable().optional(),
    arrowheads: Arrowheads.nullable().optional(),
  })
  .refine((change) => Object.keys(change).length > 0, "Name at least one style property to change.");
export type StyleChange = z.infer<typeof StyleChangeSchema>;

export const StyledItemSchema = z.strictObject({ kind: z.enum(STYLED_KINDS), id: IdSchema });
export const SetStyleSchema = z.strictObject({ viewId: IdSchema, items: z.array(StyledItemSchema).min(1).max(500), style: StyleChangeSchema });

export const stylesOf = (doc: Y.Doc) => collection<ItemStyle>(doc, WHITEBOARD, "styles");

/** A stored record read as a style (null: not one), once per object: Yjs hands back the same one until it changes. */
const checked = new WeakMap<object, ItemStyle | null>();

/** The stored style of an item on a view, checked (a broken record reads as no style). Read for every item at each build of the board. */
export function styleOf(doc: Y.Doc, viewId: string, itemId: string): ItemStyle | undefined {
  const stored: unknown = stylesOf(doc).get(placementKey(viewId, itemId));
  if (typeof stored !== "object" || stored === null) return undefined;
  let style = checked.get(stored);
  if (style === undefined) checked.set(stored, (style = ItemStyleSchema.safeParse(stored).data ?? null));
  return style ?? undefined;
}

/** Refuses an item that is not on the view (or is locked there): what set-style may change. */
export function requireStylable(doc: Y.Doc, viewId: string, item: z.infer<typeof StyledItemSchema>): void {
  if (item.kind === "node") {
    requireUnlocked(doc, viewId, item.id);
  } else if (item.kind === "shape") {
    const shape = shapesOf(doc).get(item.id);
    if (!shape || shape.viewId !== viewId) throw new EventError("not_found", `There is no shape ${item.id} on view ${viewId}.`);
    if (shape.locked) throw new EventError("locked", `Shape ${item.id} is locked: unlock it first.`);
  } else {
    const edge = edgesOf(doc).get(item.id);
    const placements = placementsOf(doc);
    if (!edge || !placements.has(placementKey(viewId, edge.from)) || !placements.has(placementKey(viewId, edge.to))) {
      throw new EventError("not_found", `There is no edge ${item.id} on view ${viewId}.`);
    }
  }
}

/** The style after a change: set properties replaced, null ones dropped. */
export function changedStyle(before: ItemStyle | undefined, change: StyleChange): ItemStyle {
  const next: Record<string, unknown> = { ...before };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as ItemStyle;
}

/** Drops the styles of an item on every view (it was deleted). */
export function dropStyles(doc: Y.Doc, itemId: string): void {
  const styles = stylesOf(doc);
  for (const key of [...styles.keys()]) if (key.slice(key.indexOf("/") + 1) === itemId) styles.delete(key);
}
