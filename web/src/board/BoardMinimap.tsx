/**
 * The minimap of a big board (over BIG_BOARD_NODES nodes). xyflow's MiniMap keeps a store
 * subscription and an SVG rect per node and rescales as the view moves; here the nodes are
 * one path per colour, rebuilt only when the nodes change, and a pan moves a single
 * rectangle. Click or drag in it to move the view there.
 */
import { type ReactFlowState, useReactFlow, useStore } from "@xyflow/react";
import { type PointerEvent as ReactPointerEvent, memo, useMemo, useRef } from "react";
import { minimapColorOf } from "../modules/registry";
import type { BoardFlowNode } from "./flow-model";
import { useBoard } from "./store-context";

const WIDTH = 200;
const HEIGHT = 150;

const viewportOf = (s: ReactFlowState) => `${s.transform[0]},${s.transform[1]},${s.transform[2]},${s.width},${s.height}`;

/** Absolute boxes of the nodes, in paths by colour, and their bounds. */
function layout(nodes: readonly BoardFlowNode[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const absolute = (n: BoardFlowNode): { x: number; y: number } => {
    let { x, y } = n.position;
    for (let parent = n.parentId ? byId.get(n.parentId) : undefined, depth = 0; parent && depth < 50; parent = parent.parentId ? byId.get(parent.parentId) : undefined, depth++) {
      x += parent.position.x;
      y += parent.position.y;
    }
    return { x, y };
  };
  const paths = new Map<string, string[]>();
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const n of nodes) {
    if (n.hidden) continue;
    const { x, y } = absolute(n);
    const w = n.width ?? 0;
    const h = n.height ?? 0;
    const color = minimapColorOf(n.type).big;
    const list = paths.get(color) ?? [];
    list.push(`M${Math.round(x)} ${Math.round(y)}h${Math.round(w)}v${Math.round(h)}h${-Math.round(w)}z`);
    paths.set(color, list);
    [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x + w), Math.max(bottom, y + h)];
  }
  if (left === Infinity) [left, top, right, bottom] = [0, 0, 1, 1];
  return { paths: [...paths].map(([color, d]) => ({ color, d: d.join("") })), bounds: { x: left, y: top, width: right - left, height: bottom - top } };
}

const Shapes = memo(function Shapes({ paths }: { paths: { color: string; d: string }[] }) {
  return (
    <>
      {paths.map((p) => (
        <path key={p.color} d={p.d} fill={p.color} />
      ))}
    </>
  );
});

export function BoardMinimap() {
  const nodes = useBoard((s) => s.nodes);
  const flow = useReactFlow();
  const viewport = useStore(viewportOf);
  const svg = useRef<SVGSVGElement>(null);
  const { paths, bounds } = useMemo(() => layout(nodes), [nodes]);
  const [tx, ty, zoom, width, height] = viewport.split(",").map(Number) as [number, number, number, number, number];
  const view = { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
  // Fixed to the nodes' bounds (with a margin), so panning never rescales the map.
  const pad = Math.max(bounds.width, bounds.height) * 0.05;
  const box = { x: bounds.x - pad, y: bounds.y - pad, width: bounds.width + 2 * pad, height: bounds.height + 2 * pad };
  const scale = Math.max(box.width / WIDTH, box.height / HEIGHT);

  const centerAt = (e: ReactPointerEvent<SVGSVGElement>) => {
    const rect = svg.current!.getBoundingClientRect();
    const ctm = svg.current!.getScreenCTM();
    const point = ctm ? new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse()) : { x: box.x + ((e.clientX - rect.left) / rect.width) * box.width, y: box.y + ((e.clientY - rect.top) / rect.height) * box.height };
    void flow.setCenter(point.x, point.y, { zoom });
  };

  return (
    <div className="react-flow__panel bottom right board-minimap" data-testid="board-minimap">
      <svg
        ref={svg}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${box.x + box.width / 2 - (WIDTH * scale) / 2} ${box.y + box.height / 2 - (HEIGHT * scale) / 2} ${WIDTH * scale} ${HEIGHT * scale}`}
        role="img"
        aria-label="Mini map"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          centerAt(e);
        }}
        onPointerMove={(e) => e.buttons === 1 && centerAt(e)}
      >
        <Shapes paths={paths} />
        <rect className="board-minimap-view" x={view.x} y={view.y} width={view.width} height={view.height} strokeWidth={2 * scale} />
      </svg>
    </div>
  );
}
