/**
 * Draws a far scene (far-scene.ts) on a 2D canvas: the items in the doc's stacking order, in
 * batches of one path per look (a board of notes is one fill and one stroke), then the edges,
 * then selection, peers' marks and locks at a fixed size on screen. Text is each item's line,
 * only while it is legible and only for what is in view.
 */
import type { Box } from "./spatial-index";
import { type Drawn, type FarItem, type FarScene, bezierAt } from "./far-scene";

/** Text smaller than this on screen, in px, is not drawn: a grey smudge reads as nothing. */
export const LEGIBLE_PX = 6;
/** Lines of an item thinner than this on screen are drawn this wide, so notes stay apart. */
const MIN_LINE_PX = 1;
const FONT = "system-ui, sans-serif";

/** The viewport: xyflow's transform and the canvas's size in CSS px. */
export interface FarView {
  x: number;
  y: number;
  zoom: number;
  width: number;
  height: number;
}

/** What the page gives the drawing: its colours (CSS colours and variables resolved), and its pixel ratio. */
export interface FarInk {
  color: (css: string) => string;
  accent: string;
  card: string;
  border: string;
  fg: string;
  ratio: number;
}

/** Whether text of `size` flow px is drawn at `zoom`. */
export const legible = (size: number, zoom: number) => size * zoom >= LEGIBLE_PX;

/** The flow-coordinate box in view. */
export const viewBox = (view: FarView): Box => ({ x: -view.x / view.zoom, y: -view.y / view.zoom, width: view.width / view.zoom, height: view.height / view.zoom });

const meets = (a: Box, b: Box) => a.x <= b.x + b.width && a.x + a.width >= b.x && a.y <= b.y + b.height && a.y + a.height >= b.y;

/** Items drawn with one path share this (a look, and the frame clip they are drawn in, if any). */
const batchKey = ({ drawn: d, clip: c }: FarItem) => `${d.outline}|${d.radius}|${d.fill}|${d.stroke}|${d.strokeWidth}|${d.screenStroke}|${d.strokeStyle}|${c ? `${c.x},${c.y},${c.width},${c.height}` : ""}`;

/** Screen-px dash patterns per stroke style (as the DOM's dashed and dotted borders read). */
const DASH = { solid: [], dashed: [6, 4], dotted: [1.5, 3] } as const;

/** Draws the scene; `box` is a selection rectangle being dragged (flow coordinates). */
export function drawFar(ctx: CanvasRenderingContext2D, scene: FarScene, view: FarView, ink: FarInk, box: Box | null = null): void {
  const { zoom, ratio } = { zoom: view.zoom, ratio: ink.ratio };
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * view.x, ratio * view.y);
  const seen = viewBox(view);
  const inView = scene.items.filter((item) => meets(item, seen));

  // Outlines, one path per run of items that look alike.
  for (let start = 0; start < inView.length; ) {
    const key = batchKey(inView[start]!);
    let end = start + 1;
    while (end < inView.length && batchKey(inView[end]!) === key) end++;
    // Each run's text over its outlines, under what is stacked higher; what sticks out of a frame is not drawn.
    const run = inView.slice(start, end);
    const clip = run[0]!.clip;
    if (clip) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(clip.x, clip.y, clip.width, clip.height);
      ctx.clip();
    }
    drawBatch(ctx, run, zoom, ink);
    drawLines(ctx, run, zoom, ink);
    if (clip) ctx.restore();
    start = end;
  }
  drawEdges(ctx, scene, seen, zoom, ink);
  drawMarks(ctx, inView, zoom, ink);
  if (box) {
    ctx.lineWidth = 1 / zoom;
    ctx.setLineDash([]);
    ctx.fillStyle = ink.color("color-mix(in srgb, var(--accent) 10%, transparent)");
    ctx.strokeStyle = ink.accent;
    ctx.fillRect(box.x, box.y, box.width, box.height);
    ctx.strokeRect(box.x, box.y, box.width, box.height);
  }
}

/** Screen-px width `px` in flow units. */
const flowPx = (px: number, zoom: number) => px / zoom;

function drawBatch(ctx: CanvasRenderingContext2D, items: FarItem[], zoom: number, ink: FarInk): void {
  const d = items[0]!.drawn;
  if (d.outline === "none") return;
  ctx.beginPath();
  for (const item of items) {
    const { x, y, width, height } = item;
    if (d.outline === "ellipse") {
      ctx.moveTo(x + width, y + height / 2);
      ctx.ellipse(x + width / 2, y + height / 2, width / 2, height / 2, 0, 0, 2 * Math.PI);
    } else if (d.outline === "line") {
      const [first, ...rest] = item.path ?? [[x, y + height / 2], [x + width, y + height / 2]];
      if (!first) continue;
      ctx.moveTo(first[0], first[1]);
      for (const [px, py] of rest) ctx.lineTo(px, py);
    } else if (d.radius * zoom >= 1) ctx.roundRect(x, y, width, height, d.radius);
    else ctx.rect(x, y, width, height);
  }
  const fill = ink.color(d.fill);
  if (d.outline !== "line" && fill !== "transparent" && fill !== "rgba(0, 0, 0, 0)") {
    ctx.fillStyle = fill;
    ctx.fill();
  }
  const stroke = ink.color(d.stroke);
  ctx.strokeStyle = stroke;
  ctx.lineWidth = d.screenStroke ? flowPx(d.strokeWidth, zoom) : Math.max(d.strokeWidth, flowPx(MIN_LINE_PX, zoom));
  ctx.setLineDash(DASH[d.strokeStyle].map((n) => flowPx(n, zoom)));
  if (d.outline === "line") {
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
  }
  ctx.stroke();
  if (d.outline === "line" && d.arrowheads !== "none") {
    ctx.setLineDash([]);
    ctx.fillStyle = stroke;
    ctx.beginPath();
    const head = flowPx(Math.max(6, d.strokeWidth * 3), zoom);
    for (const { x, y, width, height, path } of items) {
      const [from, to] = path && path.length >= 2 ? [path[0]!, path[path.length - 1]!] : [[x, y + height / 2] as const, [x + width, y + height / 2] as const];
      arrowhead(ctx, to[0], to[1], to[0] - from[0], to[1] - from[1], head);
      if (d.arrowheads === "both") arrowhead(ctx, from[0], from[1], from[0] - to[0], from[1] - to[1], head);
    }
    ctx.fill();
  }
}

/** A closed arrowhead with its tip at (x, y), pointing along (dx, dy), `size` long. */
function arrowhead(ctx: CanvasRenderingContext2D, x: number, y: number, dx: number, dy: number, size: number): void {
  const length = Math.hypot(dx, dy) || 1;
  const [ux, uy] = [dx / length, dy / length];
  const [bx, by] = [x - ux * size, y - uy * size];
  ctx.moveTo(x, y);
  ctx.lineTo(bx - uy * size * 0.45, by + ux * size * 0.45);
  ctx.lineTo(bx + uy * size * 0.45, by - ux * size * 0.45);
  ctx.closePath();
}

/** Wrapped lines of a text for a width, by font: the same at every zoom (both are in flow px). */
const wrapped = new Map<string, string[]>();

/** The words of `text` in lines no wider than `width`, at most `max` lines (the last cut with …). */
export function wrapLines(measure: (s: string) => number, text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (measure(next) <= width || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  let last = kept[max - 1]!;
  while (last.length > 1 && measure(`${last}…`) > width) last = last.slice(0, -1);
  kept[max - 1] = `${last}…`;
  return kept;
}

/** Padding inside an item around its text, flow px (a far note's: 0.8rem 1rem). */
const PAD = { x: 16, y: 12.8 };
const LINE_HEIGHT = 1.25;

function drawLines(ctx: CanvasRenderingContext2D, items: FarItem[], zoom: number, ink: FarInk): void {
  ctx.textBaseline = "middle";
  for (const item of items) {
    const text = item.drawn.text;
    if (!text || !item.line || !legible(text.size, zoom)) continue;
    const font = `${text.weight} ${text.size}px ${FONT}`;
    if (ctx.font !== font) ctx.font = font;
    ctx.fillStyle = ink.color(text.ink);
    const step = text.size * LINE_HEIGHT;
    if (text.at === "above") {
      ctx.textAlign = "left";
      ctx.fillText(item.line, item.x + 3, item.y - step / 2 - 2, Math.max(item.width, 1));
      continue;
    }
    const inner = text.at === "top" ? item.width - 2 * PAD.x : item.width - 8;
    const room = text.at === "top" ? item.height - 2 * PAD.y : item.height;
    const max = Math.max(1, Math.floor(room / step));
    const key = `${font}|${inner}|${max}|${item.line}`;
    let lines = wrapped.get(key);
    if (!lines) {
      lines = wrapLines((s) => ctx.measureText(s).width, item.line, inner, max);
      if (wrapped.size > 20_000) wrapped.clear();
      wrapped.set(key, lines);
    }
    ctx.textAlign = text.at === "centre" ? "center" : "left";
    const x = text.at === "top" ? item.x + PAD.x : text.at === "centre" ? item.x + item.width / 2 : item.x + 4;
    const first = text.at === "top" ? item.y + PAD.y + step / 2 : item.y + item.height / 2 - ((lines.length - 1) * step) / 2;
    lines.forEach((line, i) => ctx.fillText(line, x, first + i * step));
  }
}

function drawEdges(ctx: CanvasRenderingContext2D, scene: FarScene, seen: Box, zoom: number, ink: FarInk): void {
  const groups = new Map<string, typeof scene.edges>();
  for (const edge of scene.edges) {
    if (!meets(edge, seen)) continue;
    const key = `${edge.selected ? ink.accent : edge.stroke}|${edge.strokeWidth}|${edge.strokeStyle}`;
    groups.set(key, [...(groups.get(key) ?? []), edge]);
  }
  for (const [key, edges] of groups) {
    const [color, width, style] = key.split("|") as [string, string, keyof typeof DASH];
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = Math.max(Number(width), flowPx(MIN_LINE_PX, zoom)) * (edges[0]!.selected ? 1.6 : 1);
    ctx.setLineDash(DASH[style].map((n) => flowPx(n, zoom)));
    ctx.beginPath();
    for (const { curve: c } of edges) {
      ctx.moveTo(c[0], c[1]);
      ctx.bezierCurveTo(c[2], c[3], c[4], c[5], c[6], c[7]);
    }
    ctx.stroke();
    // Arrowheads, as flow-model's markers: 22 flow px whatever the width; none once smaller than a pixel or two.
    if (22 * zoom < 2) continue;
    ctx.setLineDash([]);
    ctx.beginPath();
    for (const { curve: c, arrowheads } of edges) {
      if (arrowheads === "none") continue;
      const [ex, ey] = bezierAt(c, 0.98);
      arrowhead(ctx, c[6], c[7], c[6] - ex, c[7] - ey, 11);
      if (arrowheads === "both") {
        const [sx, sy] = bezierAt(c, 0.02);
        arrowhead(ctx, c[0], c[1], c[0] - sx, c[1] - sy, 11);
      }
    }
    ctx.fill();
  }
}

/** Selection, peers' marks (their colour and names) and lock badges, a fixed size on screen. */
function drawMarks(ctx: CanvasRenderingContext2D, items: FarItem[], zoom: number, ink: FarInk): void {
  ctx.setLineDash([]);
  const px = (n: number) => flowPx(n, zoom);
  for (const item of items) {
    if (item.marks.length > 0) {
      const mark = item.marks[0]!;
      ctx.strokeStyle = mark.color;
      ctx.lineWidth = px(2);
      ctx.strokeRect(item.x - px(4), item.y - px(4), item.width + px(8), item.height + px(8));
      ctx.font = `600 ${px(11)}px ${FONT}`;
      const name = item.marks.map((m) => m.name).join(", ");
      const width = ctx.measureText(name).width + px(8);
      ctx.fillStyle = mark.color;
      ctx.fillRect(item.x + item.width + px(4) - width, item.y - px(22), width, px(16));
      ctx.fillStyle = "#ffffff";
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      ctx.fillText(name, item.x + item.width + px(8) - width, item.y - px(14));
    }
    if (item.selected) {
      ctx.strokeStyle = ink.accent;
      ctx.lineWidth = px(2);
      ctx.strokeRect(item.x - px(1), item.y - px(1), item.width + px(2), item.height + px(2));
    }
    if (item.locked) lockBadge(ctx, item.x, item.y, px, ink);
  }
}

/** The lock badge of NodeFrame: a round badge on the top-left corner with a padlock. */
function lockBadge(ctx: CanvasRenderingContext2D, x: number, y: number, px: (n: number) => number, ink: FarInk): void {
  ctx.beginPath();
  ctx.arc(x, y, px(8), 0, 2 * Math.PI);
  ctx.fillStyle = ink.card;
  ctx.fill();
  ctx.lineWidth = px(1);
  ctx.strokeStyle = ink.border;
  ctx.stroke();
  ctx.fillStyle = ink.fg;
  ctx.fillRect(x - px(3.5), y - px(1), px(7), px(5));
  ctx.beginPath();
  ctx.arc(x, y - px(1), px(2.5), Math.PI, 0);
  ctx.lineWidth = px(1.5);
  ctx.strokeStyle = ink.fg;
  ctx.stroke();
}
