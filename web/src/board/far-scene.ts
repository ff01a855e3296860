/**
 * What the far board draws and hit-tests, built from the same xyflow nodes and edges the DOM
 * board draws (flow-model.ts): each item's absolute box, its kind's far look (web/src/modules/,
 * `FarLook`) under its own style, its line of text, selection, peers' marks and lock; each edge
 * as xyflow's bezier between the handles. Pure: drawing is far-draw.ts, the canvas FarBoard.tsx.
 */
import type * as Y from "yjs";
import type { ItemStyle } from "../../../gateway-do/src/modules/whiteboard/styles";
import type { FarLook } from "../modules/kit";
import { farLookOf } from "../modules/registry";
import { type BoardFlowEdge, type BoardFlowNode, DEFAULT_EDGE_WIDTH, EDGE_INK, type PeerMark, clippedTo } from "./flow-model";
import { type Box, SpatialIndex } from "./spatial-index";

/** A look with the item's style applied: what is drawn. */
export interface Drawn {
  outline: FarLook["outline"];
  radius: number;
  fill: string;
  stroke: string;
  strokeWidth: number;
  screenStroke: boolean;
  strokeStyle: "solid" | "dashed" | "dotted";
  arrowheads: "end" | "both" | "none";
  text: { ink: string; size: number; weight: number; at: "top" | "centre" | "left" | "above" } | null;
}

/** A line's points in flow coordinates (an arrow's ends, a pen stroke). */
export type FarPath = readonly (readonly [number, number])[];

export interface FarItem extends Box {
  id: string;
  /** Its place in the stacking order (xyflow's zIndex): higher is on top. */
  z: number;
  drawn: Drawn;
  /** A line's points (flow coordinates), when its kind draws one; else across its middle. */
  path: FarPath | null;
  line: string;
  selected: boolean;
  marks: readonly PeerMark[];
  locked: boolean;
  draggable: boolean;
  parentId: string | undefined;
  /** The part of the board it is drawn in when the frames holding it clip it (flow-model's frameClips); else undefined. */
  clip?: Box;
}

export interface FarEdge extends Box {
  id: string;
  z: number;
  /** Start, the two control points and end of its bezier, as xyflow draws it. */
  curve: [number, number, number, number, number, number, number, number];
  stroke: string;
  strokeWidth: number;
  strokeStyle: "solid" | "dashed" | "dotted";
  arrowheads: "end" | "both" | "none";
  selected: boolean;
}

export interface FarScene {
  /** Bottom first, in the doc's stacking order. */
  items: FarItem[];
  edges: FarEdge[];
  byId: ReadonlyMap<string, FarItem>;
  index: SpatialIndex<FarItem | FarEdge>;
}

/** A handle's centre lies this far outside its node's side (xyflow's 10 px handles, centred on the border). */
const HANDLE_OUT = 5;

/** xyflow's bezier control offset (getBezierPath, curvature 0.25). */
const controlOffset = (distance: number) => (distance >= 0 ? 0.5 * distance : 0.25 * 25 * Math.sqrt(-distance));

/** The look drawn: the kind's, under the item's style (a `none` fill is no fill). */
export function applyStyle(look: FarLook, style: ItemStyle): Drawn {
  const stroke = style.stroke ?? look.stroke;
  return {
    outline: look.outline,
    radius: look.radius ?? 0,
    fill: style.fill === "none" ? "transparent" : (style.fill ?? look.fill),
    stroke,
    strokeWidth: style.strokeWidth ?? look.strokeWidth,
    screenStroke: look.screenStroke ?? false,
    strokeStyle: style.strokeStyle ?? look.strokeStyle ?? "solid",
    arrowheads: look.arrowheads ? (style.arrowheads ?? "end") : "none",
    text: look.text
      ? { ink: look.text.ink === "stroke" ? stroke : look.text.ink, size: (look.text.sized ? style.fontSize : undefined) ?? look.text.size, weight: look.text.weight ?? 400, at: look.text.at }
      : null,
  };
}

/** Builds the scene of the board shown. */
export function farScene(nodes: readonly BoardFlowNode[], edges: readonly BoardFlowEdge[], doc: Y.Doc, lookOf: (type: string | undefined) => FarLook = farLookOf): FarScene {
  const byId = new Map<string, FarItem>();
  const items: FarItem[] = [];
  // Parents come before their children (paintOrder), so a child's absolute place is known.
  for (const node of nodes) {
    if (node.hidden) continue;
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    const look = lookOf(node.type);
    const style = look.style ? look.style(node) : ((node.data.style as ItemStyle | undefined) ?? {});
    const [x, y] = [node.position.x + (parent?.x ?? 0), node.position.y + (parent?.y ?? 0)];
    const [width, height] = [node.width ?? node.measured?.width ?? 0, node.height ?? node.measured?.height ?? 0];
    const path = look.path?.(node, width, height)?.map(([px, py]) => [x + px, y + py] as const) ?? null;
    const item: FarItem = {
      id: node.id,
      x,
      y,
      width,
      height,
      path,
      z: node.zIndex ?? 0,
      drawn: applyStyle(look, style),
      line: look.text ? look.text.line(node, doc) : "",
      selected: !!node.selected,
      marks: node.data.selectedBy,
      locked: node.data.locked,
      draggable: node.draggable !== false,
      parentId: node.parentId,
    };
    const clip = clippedTo(node, width, height);
    if (clip) item.clip = { ...clip, x: x + clip.x, y: y + clip.y };
    items.push(item);
    byId.set(node.id, item);
  }
  const farEdges: FarEdge[] = [];
  for (const edge of edges) {
    const from = byId.get(edge.source);
    const to = byId.get(edge.target);
    if (!from || !to || edge.hidden) continue;
    const [sx, sy] = [from.x + from.width + HANDLE_OUT, from.y + from.height / 2];
    const [tx, ty] = [to.x - HANDLE_OUT, to.y + to.height / 2];
    const offset = controlOffset(tx - sx);
    const curve: FarEdge["curve"] = [sx, sy, sx + offset, sy, tx - offset, ty, tx, ty];
    const xs = [curve[0], curve[2], curve[4], curve[6]];
    const ys = [curve[1], curve[3], curve[5], curve[7]];
    const style = edge.data?.style ?? {};
    farEdges.push({
      id: edge.id,
      z: edge.zIndex ?? 0,
      x: Math.min(...xs),
      y: Math.min(...ys),
      width: Math.max(...xs) - Math.min(...xs),
      height: Math.max(...ys) - Math.min(...ys),
      curve,
      stroke: style.stroke ?? EDGE_INK,
      strokeWidth: style.strokeWidth ?? DEFAULT_EDGE_WIDTH,
      strokeStyle: style.strokeStyle ?? "solid",
      arrowheads: style.arrowheads ?? "end",
      selected: !!edge.selected,
    });
  }
  return { items, edges: farEdges, byId, index: new SpatialIndex<FarItem | FarEdge>([...items, ...farEdges]) };
}

const isEdge = (thing: FarItem | FarEdge): thing is FarEdge => "curve" in thing;

/** The point of a bezier at t. */
export function bezierAt(c: FarEdge["curve"], t: number): [number, number] {
  const u = 1 - t;
  const [a, b, d, e] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return [a * c[0] + b * c[2] + d * c[4] + e * c[6], a * c[1] + b * c[3] + d * c[5] + e * c[7]];
}

/** Distance from a point to a bezier, through 24 straight pieces of it. */
function distanceToCurve(c: FarEdge["curve"], x: number, y: number): number {
  let best = Infinity;
  let [px, py] = [c[0], c[1]];
  for (let i = 1; i <= 24; i++) {
    const [qx, qy] = bezierAt(c, i / 24);
    const [dx, dy] = [qx - px, qy - py];
    const length = dx * dx + dy * dy;
    const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((x - px) * dx + (y - py) * dy) / length));
    best = Math.min(best, Math.hypot(x - (px + t * dx), y - (py + t * dy)));
    [px, py] = [qx, qy];
  }
  return best;
}

/** Whether an item's drawn outline holds the point (`slack` flow px around a line counts). */
/** Whether (x, y) is in the part of an item drawn: none of what a frame clips away. */
const drawnAt = ({ clip }: FarItem, x: number, y: number) => !clip || (x >= clip.x && x <= clip.x + clip.width && y >= clip.y && y <= clip.y + clip.height);

function holds(item: FarItem, x: number, y: number, slack: number): boolean {
  const { x: left, y: top, width, height } = item;
  if (item.drawn.outline === "ellipse") {
    const [rx, ry] = [width / 2, height / 2];
    if (rx <= 0 || ry <= 0) return false;
    return ((x - left - rx) / rx) ** 2 + ((y - top - ry) / ry) ** 2 <= 1;
  }
  return x >= left - slack && x <= left + width + slack && y >= top - slack && y <= top + height + slack;
}

/**
 * What a click at (x, y) (flow coordinates) is on: the topmost item or edge there, as on the DOM
 * board (an edge lies just above the higher of its ends), or null on empty canvas. `slack` is
 * how near a line counts, in flow px (a few screen pixels at the zoom shown).
 */
export function hitAt(scene: FarScene, x: number, y: number, slack: number): { kind: "node"; item: FarItem } | { kind: "edge"; edge: FarEdge } | null {
  let best: FarItem | FarEdge | null = null;
  for (const thing of scene.index.at(x, y, slack)) {
    if (best && thing.z <= best.z) continue;
    if (isEdge(thing) ? distanceToCurve(thing.curve, x, y) <= slack + thing.strokeWidth / 2 : holds(thing, x, y, 0) && drawnAt(thing, x, y)) best = thing;
  }
  if (!best) return null;
  return isEdge(best) ? { kind: "edge", edge: best } : { kind: "node", item: best };
}

/** The items wholly inside a box (a selection rectangle), top-level ones and children alike. */
export function itemsInside(scene: FarScene, box: Box): FarItem[] {
  return scene.index
    .within(box)
    .filter((t): t is FarItem => !isEdge(t) && t.x >= box.x && t.y >= box.y && t.x + t.width <= box.x + box.width && t.y + t.height <= box.y + box.height);
}
