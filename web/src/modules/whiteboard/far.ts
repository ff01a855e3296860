/**
 * How groups and free shapes are drawn zoomed far out, on the board's canvas (board/FarBoard.tsx):
 * as their CSS draws them (board.css: .board-group, .shape-box, .shape-text, .shape-arrow,
 * .shape-draw), under their style and a shape's own colour.
 */
import type { SHAPE_KINDS } from "../../../../gateway-do/src/modules/whiteboard/schema";
import type { ShapeNodeData } from "../../board/flow-model";
import type { FarLook } from "../kit";
import type { GroupNodeData } from "./GroupNode";
import { FRAME_NAME, GROUP_NAME } from "./GroupNode";
import { shapeLook } from "./ShapeNodes";
import { DEFAULT_PEN_WIDTH, penSize, pointsIn } from "./strokes";

type ShapeKind = (typeof SHAPE_KINDS)[number];

const INK = "var(--shape-ink)";
/** A shape's look: its style, its own colour as the stroke when the style names none. */
const shapeStyle: FarLook["style"] = (node) => shapeLook(node.data as ShapeNodeData);
const shapeText = (node: Parameters<NonNullable<FarLook["text"]>["line"]>[0]) => (node.data as ShapeNodeData).shape.text.split("\n")[0] ?? "";
const points = (node: Parameters<NonNullable<FarLook["path"]>>[0], width: number, height: number) => {
  const stored = (node.data as ShapeNodeData).shape.points;
  return stored ? pointsIn(stored, width, height) : undefined;
};

/** A group: its dashed frame and faint fill, its name above it. */
export const GROUP_FAR: FarLook = {
  outline: "box",
  radius: 10,
  fill: "rgb(168 162 158 / 0.08)",
  stroke: "#a8a29e",
  strokeWidth: 2,
  strokeStyle: "dashed",
  text: { line: (node) => (node.data as GroupNodeData).name ?? GROUP_NAME, ink: "var(--muted)", size: 12, weight: 600, at: "above" },
};

/** A frame: a sheet with a fine border, its name above it. */
export const FRAME_FAR: FarLook = {
  outline: "box",
  radius: 6,
  fill: "var(--card)",
  stroke: "var(--border)",
  strokeWidth: 1,
  text: { line: (node) => (node.data as GroupNodeData).name ?? FRAME_NAME, ink: "var(--fg)", size: 13, weight: 600, at: "above" },
};

const BOX = { radius: 4, fill: "color-mix(in srgb, var(--card) 55%, transparent)", stroke: INK, strokeWidth: 2, style: shapeStyle } as const;
const LABEL = { line: shapeText, ink: "var(--fg)", size: 14.4, sized: true, at: "centre" } as const;

export const SHAPE_FAR: Record<ShapeKind, FarLook> = {
  rectangle: { outline: "box", ...BOX, text: LABEL },
  ellipse: { outline: "ellipse", ...BOX, text: LABEL },
  // Its line keeps its width on screen (non-scaling stroke), as in the DOM.
  arrow: { outline: "line", fill: "transparent", stroke: INK, strokeWidth: 3, screenStroke: true, style: shapeStyle, path: points, arrowheads: true },
  text: { outline: "none", fill: "transparent", stroke: INK, strokeWidth: 0, style: shapeStyle, text: { line: shapeText, ink: "stroke", size: 19.2, sized: true, weight: 600, at: "left" } },
  // The pen's outline is as wide as its thickness gives (strokes.ts).
  draw: {
    outline: "line",
    fill: "transparent",
    stroke: INK,
    strokeWidth: penSize(DEFAULT_PEN_WIDTH),
    style: (node) => {
      const look = shapeLook(node.data as ShapeNodeData);
      return { ...look, strokeWidth: penSize(look.strokeWidth ?? DEFAULT_PEN_WIDTH) };
    },
    path: points,
  },
};
