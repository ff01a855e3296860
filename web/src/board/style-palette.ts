/** The style panel's choices: colours, widths, sizes, in the order shown. Values are what `whiteboard:set-style` stores. */
import type { ARROWHEADS, STROKE_STYLES } from "../../../gateway-do/src/modules/whiteboard/styles";

export const STROKES = [
  { name: "ink", value: "#1c1917" },
  { name: "grey", value: "#78716c" },
  { name: "red", value: "#dc2626" },
  { name: "orange", value: "#ea580c" },
  { name: "yellow", value: "#ca8a04" },
  { name: "green", value: "#16a34a" },
  { name: "blue", value: "#2563eb" },
  { name: "violet", value: "#7c3aed" },
] as const;

/** Light fills: a note stays readable (its text is dark) whichever is chosen. */
export const FILLS = [
  { name: "none", value: "none" },
  { name: "white", value: "#ffffff" },
  { name: "yellow", value: "#fef9c3" },
  { name: "orange", value: "#ffedd5" },
  { name: "pink", value: "#fce7f3" },
  { name: "violet", value: "#ede9fe" },
  { name: "blue", value: "#dbeafe" },
  { name: "green", value: "#dcfce7" },
  { name: "grey", value: "#e7e5e4" },
] as const;

export const STROKE_WIDTHS = [1, 2, 4, 8] as const;
export const FONT_SIZES = [
  { name: "S", value: 12 },
  { name: "M", value: 16 },
  { name: "L", value: 24 },
  { name: "XL", value: 36 },
] as const;
export const STROKE_STYLE_NAMES: Record<(typeof STROKE_STYLES)[number], string> = { solid: "Solid", dashed: "Dashed", dotted: "Dotted" };
export const ARROWHEAD_NAMES: Record<(typeof ARROWHEADS)[number], string> = { none: "No arrowheads", end: "Arrowhead at the end", both: "Arrowheads at both ends" };
/** An SVG dash pattern per stroke style (edges and arrows). */
export const DASHES = { solid: undefined, dashed: "8 6", dotted: "2 5" } as const;
