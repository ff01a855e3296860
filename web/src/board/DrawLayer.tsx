/**
 * Drawing on the board with the tool armed (tool.ts): over the canvas while a tool is armed, with
 * a crosshair; a drag draws a box (Shift: a square), a line or a freehand stroke, previewed live,
 * and the tool makes its item of it (the module's `draw.make`); a click without a drag makes its
 * default size there. Then the board selects again, with what was made selected. Pointer events,
 * so a mouse, a finger and a pen all draw.
 */
import { useReactFlow } from "@xyflow/react";
import { type PointerEvent as ReactPointerEvent, useEffect, useRef, useState } from "react";
import { type CreateTool, type Drawn, createdIds } from "../modules/kit";
import { DEFAULT_PEN_WIDTH, strokePath } from "../modules/whiteboard/strokes";
import { requestEdit } from "./edit-request";
import type { EdgeKind } from "./flow-model";
import { centredOn, type Point } from "./placement";
import { itemAt } from "./item-at";
import { armTool, useArmedTool } from "./tool";
import { useBoardStore } from "./store-context";

/** Less than this (screen px) from where it started is a click, not a drag. */
const CLICK_SLOP = 4;
const DEFAULT_SIZE = { width: 200, height: 120 };

interface Gesture {
  pointerId: number;
  tool: CreateTool;
  /** Screen points relative to the layer, the first where the pointer went down. */
  points: Point[];
  /** The same, in the page's client coordinates (for the flow and for what lies under them). */
  client: Point[];
  fromItem: string | null;
  shift: boolean;
  /** A pen's pressure at each point (a mouse or a finger reports none worth keeping). */
  pressure: number[] | null;
}

/** The box from a to b, a square (on the longer side) with `square`. */
function boxOf(a: Point, b: Point, square: boolean) {
  let w = b.x - a.x;
  let h = b.y - a.y;
  if (square) {
    const side = Math.max(Math.abs(w), Math.abs(h));
    w = Math.sign(w || 1) * side;
    h = Math.sign(h || 1) * side;
  }
  return { x: Math.min(a.x, a.x + w), y: Math.min(a.y, a.y + h), width: Math.abs(w), height: Math.abs(h) };
}

export function DrawLayer({ edgeKind }: { edgeKind: EdgeKind }) {
  const store = useBoardStore();
  const tool = useArmedTool();
  const flow = useReactFlow();
  const layer = useRef<HTMLDivElement>(null);
  const gesture = useRef<Gesture | null>(null);
  // Re-rendered at each move while drawing: the preview follows the pointer.
  const [, setFrame] = useState(0);
  const [shift, setShift] = useState(false);

  // Shift held or let go mid-drag squares the box at once, without waiting for a move.
  useEffect(() => {
    if (!tool) return;
    const onKey = (e: KeyboardEvent) => setShift(e.shiftKey);
    window.addEventListener("keydown", onKey);
    window.addEventListener("keyup", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("keyup", onKey);
    };
  }, [tool]);

  if (!tool?.draw) return null;
  const draw = tool.draw;

  const local = (e: ReactPointerEvent): Point => {
    const rect = layer.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const toFlow = (p: Point) => flow.screenToFlowPosition(p);

  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || gesture.current) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const client = { x: e.clientX, y: e.clientY };
    gesture.current = { pointerId: e.pointerId, tool, points: [local(e)], client: [client], fromItem: draw.gesture === "line" ? itemAt(client) : null, shift: e.shiftKey, pressure: e.pointerType === "pen" ? [e.pressure] : null };
    setShift(e.shiftKey);
    setFrame((n) => n + 1);
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const g = gesture.current;
    if (!g || g.pointerId !== e.pointerId) return;
    // Every point a fast pen gave since the last frame, not only the last one.
    const events = draw.gesture === "stroke" ? (e.nativeEvent.getCoalescedEvents?.() ?? [e.nativeEvent]) : [e.nativeEvent];
    const rect = layer.current!.getBoundingClientRect();
    for (const ev of events.length > 0 ? events : [e.nativeEvent]) {
      const point = { x: ev.clientX - rect.left, y: ev.clientY - rect.top };
      const client = { x: ev.clientX, y: ev.clientY };
      if (draw.gesture === "stroke") {
        g.points.push(point);
        g.client.push(client);
        g.pressure?.push(ev.pressure);
      } else {
        g.points = [g.points[0]!, point];
        g.client = [g.client[0]!, client];
      }
    }
    g.shift = e.shiftKey;
    setFrame((n) => n + 1);
  };

  const finish = (e: ReactPointerEvent<HTMLDivElement>, cancelled: boolean) => {
    const g = gesture.current;
    if (!g || g.pointerId !== e.pointerId) return;
    gesture.current = null;
    setFrame((n) => n + 1);
    if (cancelled) return;
    const first = g.client[0]!;
    const last = g.client[g.client.length - 1]!;
    const dragged = g.client.some((p) => Math.hypot(p.x - first.x, p.y - first.y) >= CLICK_SLOP);
    const drawn = drawnOf(g, dragged, first, last);
    // Back to select before the gateway answers: one drawing per arming, like tldraw.
    armTool(store, null);
    const viewId = store.getSnapshot().viewId;
    void draw.make(store, viewId, drawn).then((result) => {
      const ids = createdIds(result);
      if (ids.length === 0) return;
      store.setSelection(new Set(ids));
      if (g.tool.edit) requestEdit(store, ids[0]!);
    });
  };

  const drawnOf = (g: Gesture, dragged: boolean, first: Point, last: Point): Drawn => {
    const start = toFlow(first);
    const end = toFlow(last);
    if (draw.gesture === "line") return { gesture: "line", from: start, to: end, fromItem: g.fromItem, toItem: dragged ? itemAt(last) : g.fromItem, edgeKind };
    if (draw.gesture === "stroke") return { gesture: "stroke", points: g.client.map(toFlow), ...(g.pressure ? { pressure: g.pressure } : {}) };
    if (!dragged) return { gesture: "box", box: { ...centredOn(start, g.tool.size ?? DEFAULT_SIZE), ...(g.tool.size ?? DEFAULT_SIZE) }, dragged: false };
    return { gesture: "box", box: boxOf(start, end, g.shift || shift), dragged: true };
  };

  const g = gesture.current;
  const zoom = flow.getViewport().zoom;
  return (
    <div
      ref={layer}
      className="draw-layer nodrag nopan nowheel"
      data-testid="draw-layer"
      data-tool={tool.menuLabel}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={(e) => finish(e, false)}
      onPointerCancel={(e) => finish(e, true)}
      onContextMenu={(e) => e.preventDefault()}
      // The wheel still pans and zooms the board beneath (xyflow's zoom listens on its renderer).
      onWheel={(e) => void layer.current?.parentElement?.querySelector(".react-flow__renderer")?.dispatchEvent(new WheelEvent("wheel", e.nativeEvent))}
    >
      {g && g.points.length > 0 && (
        <svg className="draw-preview" aria-hidden="true">
          <Preview draw={draw} points={g.points} pressure={g.pressure} square={g.shift || shift} zoom={zoom} />
        </svg>
      )}
    </div>
  );
}

/** What the drag draws so far, in screen px. */
function Preview({ draw, points, pressure, square, zoom }: { draw: NonNullable<CreateTool["draw"]>; points: Point[]; pressure: number[] | null; square: boolean; zoom: number }) {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (draw.gesture === "stroke") {
    return <path className="draw-preview-stroke" d={strokePath(points.map((p) => [p.x / zoom, p.y / zoom] as [number, number]), DEFAULT_PEN_WIDTH, pressure?.map((p) => p * 100))} transform={`scale(${zoom})`} />;
  }
  if (draw.gesture === "line") {
    return (
      <>
        <defs>
          <marker id="draw-preview-head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="draw-preview-head" />
          </marker>
        </defs>
        <line className="draw-preview-line" x1={first.x} y1={first.y} x2={last.x} y2={last.y} markerEnd="url(#draw-preview-head)" />
      </>
    );
  }
  const b = boxOf(first, last, square);
  if (draw.outline === "ellipse") return <ellipse className="draw-preview-box" cx={b.x + b.width / 2} cy={b.y + b.height / 2} rx={b.width / 2} ry={b.height / 2} />;
  return <rect className={`draw-preview-box${draw.outline === "dashed" ? " is-dashed" : ""}`} x={b.x} y={b.y} width={b.width} height={b.height} rx={draw.outline === "rectangle" ? 4 : 0} />;
}
