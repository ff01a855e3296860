/**
 * Export of the board as an image, drawn from the page's own DOM by html-to-image (SVG with
 * the nodes as foreignObject, PNG through a canvas): the view as it is on screen, or the
 * selection alone (with what its groups hold and the edges between its items) at 100 %,
 * cropped to it. The board's chrome (minimap, zoom buttons, panels, others' cursors, resize
 * handles) is left out. Only nodes drawn on the page can be exported: zoomed in on a big
 * board, those out of sight are not drawn (see zoom.ts), so the selection is what is in view.
 */
import { toPng, toSvg } from "html-to-image";
import type { BoardFlowEdge, BoardFlowNode } from "./flow-model";

export type ExportFormat = "png" | "svg";
export type ExportScope = "view" | "selection";

/** Around the selection's edge in an export of it, in px. */
const PADDING = 24;
/** The board's chrome: never in an export. */
const CHROME = ["react-flow__minimap", "react-flow__controls", "react-flow__panel", "react-flow__resize-control", "peer-cursor", "board-search", "empty-board-hint", "peer-mark"];

/** The file name of an export: the view's name, made safe, and the date. */
export function exportFileName(viewName: string, scope: ExportScope, format: ExportFormat, now = new Date()): string {
  const base = viewName.normalize("NFKD").replace(/[^\w\s-]/g, "").trim().replace(/\s+/g, "-").toLowerCase() || "board";
  return `${base}${scope === "selection" ? "-selection" : ""}-${now.toISOString().slice(0, 10)}.${format}`;
}

/** The selected nodes and, inside selected groups, what they hold. */
export function exportedNodeIds(nodes: readonly BoardFlowNode[], selected: ReadonlySet<string>): Set<string> {
  const parent = new Map(nodes.map((n) => [n.id, n.parentId]));
  const inside = (id: string): boolean => {
    for (let at: string | undefined = id, hops = 0; at !== undefined && hops < 100; at = parent.get(at), hops++) if (selected.has(at)) return true;
    return false;
  };
  return new Set(nodes.filter((n) => inside(n.id)).map((n) => n.id));
}

/** The box, in flow coordinates, around the given nodes (absolute positions, measured sizes). */
export function boundsOf(boxes: readonly { x: number; y: number; width: number; height: number }[]): { x: number; y: number; width: number; height: number } | null {
  if (boxes.length === 0) return null;
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

const isChrome = (el: Element) => CHROME.some((c) => el.classList?.contains(c));

/** Draws the view shown (`pane`: the .react-flow element) as a data URL. */
export function renderView(pane: HTMLElement, format: ExportFormat, background: string): Promise<string> {
  const render = format === "png" ? toPng : toSvg;
  return render(pane, { backgroundColor: background, skipFonts: true, pixelRatio: 1, filter: (el) => !(el instanceof Element) || !isChrome(el) });
}

/**
 * Draws only the items `keep` names (nodes, and edges between them) of the viewport element,
 * moved so that `bounds` (flow coordinates) fills the image at 100 %, as a data URL.
 */
export function renderItems(viewport: HTMLElement, bounds: { x: number; y: number; width: number; height: number }, keep: ReadonlySet<string>, edges: readonly BoardFlowEdge[], format: ExportFormat, background: string): Promise<string> {
  const keptEdges = new Set(edges.filter((e) => keep.has(e.source) && keep.has(e.target)).map((e) => e.id));
  const width = Math.ceil(bounds.width + 2 * PADDING);
  const height = Math.ceil(bounds.height + 2 * PADDING);
  const render = format === "png" ? toPng : toSvg;
  return render(viewport, {
    backgroundColor: background,
    skipFonts: true,
    pixelRatio: 1,
    width,
    height,
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${PADDING - bounds.x}px, ${PADDING - bounds.y}px) scale(1)` },
    filter: (el) => {
      if (!(el instanceof Element)) return true;
      if (isChrome(el)) return false;
      if (el.classList.contains("react-flow__node")) return keep.has(el.getAttribute("data-id") ?? "");
      if (el.classList.contains("react-flow__edge")) return keptEdges.has(el.getAttribute("data-id") ?? "");
      if (el.classList.contains("edge-label")) return keptEdges.has(el.getAttribute("data-edge") ?? "");
      return true;
    },
  });
}

/** Hands a data URL to the browser as a file download. */
export function download(dataUrl: string, fileName: string): void {
  const link = document.createElement("a");
  link.href = dataUrl;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
}
