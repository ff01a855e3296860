/**
 * The free shapes: rectangle, ellipse, arrow and text label. Double-click (or Enter when
 * selected) edits a shape's text in place: Enter or leaving the field sends the change,
 * Shift+Enter starts a new line, Escape cancels. A selected arrow shows a handle at each end:
 * dragged onto an item, that end binds to it; dropped on empty board, it is free there.
 */
import { type NodeProps, useInternalNode, useReactFlow } from "@xyflow/react";
import { type PointerEvent as ReactPointerEvent, useEffect, useRef, useState } from "react";
import { shapesOf } from "../../../../gateway-do/src/modules/whiteboard/placements";
import { shapeTextCommand } from "../../board/commands";
import type { ShapeFlowNode, ShapeNodeData } from "../../board/flow-model";
import { useBoardStore } from "../../board/store-context";
import { NodeFrame } from "../../board/nodes/NodeFrame";
import { useEditRequest } from "../../board/edit-request";
import { shapeFlowId } from "../../board/flow-model";
import type { ItemStyle } from "../../../../gateway-do/src/modules/whiteboard/styles";
import { itemAt } from "../../board/item-at";
import type { Point } from "../../board/placement";
import { arrowEndsCommand, arrowEndsOf, bindableItem, movedEnd } from "./arrow-ends";
import { pointsIn } from "./strokes";

const MAX_TEXT = 2000;
/** The colour shapes get by default (CreateShapeSchema): drawn in the theme's ink instead. */
const DEFAULT_COLOR = "#57534e";

/** A shape's look: its style on this view, its own colour as the stroke when the style names none. */
export function shapeLook({ shape, style }: ShapeNodeData): ItemStyle {
  return shape.color.toLowerCase() === DEFAULT_COLOR || style.stroke ? style : { stroke: shape.color, ...style };
}
const DASHES = { solid: undefined, dashed: "8 6", dotted: "2 5" } as const;

/** The shape's text, or a field editing it. */
function ShapeText({ data, selected, className, placeholder }: { data: ShapeNodeData; selected: boolean; className: string; placeholder?: string }) {
  const store = useBoardStore();
  const { shape, locked } = data;
  const [editing, setEditing] = useState(false);
  // Shown from the moment it is sent until the doc has it (or the gateway refused it).
  const [sent, setSent] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const done = useRef(false);

  useEffect(() => {
    if (!editing || !field.current) return;
    field.current.focus();
    field.current.select();
  }, [editing]);

  // Enter on a selected shape starts editing, as double-click does.
  useEffect(() => {
    if (!selected || locked || editing) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key !== "Enter" || e.ctrlKey || e.metaKey || target?.isContentEditable || (target && ["INPUT", "TEXTAREA", "SELECT", "BUTTON"].includes(target.tagName))) return;
      if (store.selected.size !== 1) return;
      e.preventDefault();
      start();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  // Just made with the Text tool: open for typing at once.
  useEditRequest(shapeFlowId(shape.id), () => start());

  const start = () => {
    if (locked) return store.toast("This shape is locked: unlock it to edit its text.", "info");
    done.current = false;
    setEditing(true);
  };
  const finish = (commit: boolean) => {
    if (done.current) return;
    done.current = true;
    setEditing(false);
    const next = (field.current?.value ?? shape.text).slice(0, MAX_TEXT);
    if (!commit || next === shape.text) return;
    setSent(next);
    void store.run(shapeTextCommand(store, shape.id, next, shape.text)).finally(() => setSent(null));
  };

  if (editing) {
    return (
      <textarea
        ref={field}
        className={`${className} shape-editor nodrag nowheel nopan`}
        aria-label="Shape text"
        defaultValue={shape.text}
        maxLength={MAX_TEXT}
        onBlur={() => finish(true)}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            finish(true);
          } else if (e.key === "Escape") {
            e.preventDefault();
            finish(false);
          }
        }}
      />
    );
  }
  const text = sent ?? shape.text;
  return (
    <div className={className} onDoubleClick={start} title={locked ? undefined : "Double-click to edit the text"}>
      {text || (placeholder ? <span className="shape-placeholder">{placeholder}</span> : null)}
    </div>
  );
}

export function RectangleShape({ id, data, selected }: NodeProps<ShapeFlowNode<"rectangle">>) {
  return (
    <NodeFrame id={id} kind="rectangle" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={shapeLook(data)} connectable={false} minWidth={16} minHeight={16}>
      <div className="shape-box">
        <ShapeText data={data} selected={!!selected} className="shape-label" />
      </div>
    </NodeFrame>
  );
}

export function EllipseShape({ id, data, selected }: NodeProps<ShapeFlowNode<"ellipse">>) {
  return (
    <NodeFrame id={id} kind="ellipse" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={shapeLook(data)} connectable={false} minWidth={16} minHeight={16}>
      <div className="shape-box shape-ellipse">
        <ShapeText data={data} selected={!!selected} className="shape-label" />
      </div>
    </NodeFrame>
  );
}

export function ArrowShape({ id, data, selected, width, height }: NodeProps<ShapeFlowNode<"arrow">>) {
  const { strokeWidth = 3, strokeStyle = "solid", arrowheads = "end" } = data.style;
  const color = "var(--item-stroke, var(--shape-ink))";
  const head = `url(#head-${data.shape.id})`;
  const [w, h] = [width ?? data.shape.width, height ?? data.shape.height];
  // A drawn arrow goes from its first point to its second, in px of its box now (its head keeps its
  // shape whatever the box's proportions); one made at a point goes left to right across its box.
  const ends = data.shape.points ? pointsIn(data.shape.points, w, h) : null;
  const drawn = ends ?? [[0, h / 2], [w, h / 2]];
  const dragged = useArrowEndDrag(id, data, drawn);
  const px = dragged.ends ?? ends;
  const line = px
    ? { x1: px[0]![0], y1: px[0]![1], x2: px[1]![0], y2: px[1]![1] }
    : { x1: arrowheads === "both" ? 6 : 4, y1: 50, x2: arrowheads === "none" ? 96 : 94, y2: 50 };
  return (
    <NodeFrame id={id} kind="arrow" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={shapeLook(data)} connectable={false} resizable={false} minWidth={16} minHeight={16}>
      <svg className="shape-arrow" {...(px ? {} : { viewBox: "0 0 100 100", preserveAspectRatio: "none" })} aria-label="Arrow">
        <defs>
          <marker id={`head-${data.shape.id}`} viewBox="0 0 10 10" refX="8" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" style={{ fill: color }} />
          </marker>
        </defs>
        <line
          {...line}
          style={{ stroke: color }}
          strokeWidth={strokeWidth}
          strokeLinecap="round"
          strokeDasharray={DASHES[strokeStyle]}
          vectorEffect="non-scaling-stroke"
          markerEnd={arrowheads === "none" ? undefined : head}
          markerStart={arrowheads === "both" ? head : undefined}
        />
      </svg>
      {selected &&
        !data.locked &&
        (["from", "to"] as const).map((end, i) => {
          const [x, y] = (dragged.ends ?? drawn)[i]!;
          const bound = data.shape[end] !== undefined;
          return (
            <span
              key={end}
              className={`arrow-end nodrag nopan${bound ? " is-bound" : ""}`}
              data-testid={`arrow-end-${end}`}
              title={bound ? "Drag to bind this end elsewhere, or onto empty board to free it" : "Drag onto a shape or note to bind this end to it"}
              style={{ left: x, top: y }}
              onPointerDown={(e) => dragged.start(e, i as 0 | 1)}
              onPointerMove={dragged.move}
              onPointerUp={dragged.end}
              onPointerCancel={dragged.cancel}
            />
          );
        })}
    </NodeFrame>
  );
}

/**
 * Dragging an arrow's end by its handle: the line follows the pointer; on release the end binds
 * to the item under it (a node or a shape other than an arrow) or is free where it was dropped,
 * the other end keeping its place and binding. One undo step.
 */
function useArrowEndDrag(id: string, data: ShapeNodeData, drawn: [number, number][]) {
  const store = useBoardStore();
  const flow = useReactFlow();
  const internal = useInternalNode(id);
  const [ends, setEnds] = useState<[number, number][] | null>(null);
  const dragging = useRef<{ end: 0 | 1; pointerId: number; start: Point } | null>(null);
  // The item the end would bind to if dropped now, outlined (a class on its xyflow node, taken off after).
  const target = useRef<Element | null>(null);
  const outline = (item: string | undefined) => {
    const flowId = item === undefined ? null : shapesOf(store.doc).has(item) ? shapeFlowId(item) : item;
    const el = flowId === null ? null : document.querySelector(`.react-flow__node[data-id="${CSS.escape(flowId)}"]`);
    if (el === target.current) return;
    target.current?.classList.remove("is-bind-target");
    el?.classList.add("is-bind-target");
    target.current = el;
  };
  useEffect(() => () => target.current?.classList.remove("is-bind-target"), []);
  const under = (e: ReactPointerEvent) => bindableItem(store, store.getSnapshot().viewId, itemAt({ x: e.clientX, y: e.clientY }, id));
  // Where the arrow's box lies on the board, and where its frame does (the board's origin when in none).
  const origin = (): { box: Point; frame: Point } => {
    const box = internal?.internals.positionAbsolute ?? { x: 0, y: 0 };
    const relative = internal?.position ?? box;
    return { box, frame: { x: box.x - relative.x, y: box.y - relative.y } };
  };
  const local = (e: ReactPointerEvent): [number, number] => {
    const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    const { box } = origin();
    return [at.x - box.x, at.y - box.y];
  };
  return {
    ends,
    start(e: ReactPointerEvent, end: 0 | 1) {
      if (e.button !== 0) return;
      e.stopPropagation();
      e.preventDefault();
      e.currentTarget.setPointerCapture(e.pointerId);
      dragging.current = { end, pointerId: e.pointerId, start: { x: e.clientX, y: e.clientY } };
    },
    move(e: ReactPointerEvent) {
      const d = dragging.current;
      if (!d || d.pointerId !== e.pointerId) return;
      e.stopPropagation();
      const next = [...drawn] as [number, number][];
      next[d.end] = local(e);
      setEnds(next);
      outline(under(e));
    },
    end(e: ReactPointerEvent) {
      const d = dragging.current;
      if (!d || d.pointerId !== e.pointerId) return;
      e.stopPropagation();
      dragging.current = null;
      setEnds(null);
      outline(undefined);
      const stored = shapesOf(store.doc).get(data.shape.id);
      if (!stored || Math.hypot(e.clientX - d.start.x, e.clientY - d.start.y) < 3) return;
      const { box, frame } = origin();
      const [fx, fy] = drawn[d.end === 0 ? 1 : 0]!;
      const [tx, ty] = local(e);
      const item = under(e);
      const next = movedEnd(stored, d.end, { x: box.x + fx, y: box.y + fy }, { x: box.x + tx, y: box.y + ty }, item, frame);
      void store.run(arrowEndsCommand(stored.id, next, arrowEndsOf(stored)));
    },
    cancel() {
      dragging.current = null;
      setEnds(null);
      outline(undefined);
    },
  };
}

export function TextShape({ id, data, selected }: NodeProps<ShapeFlowNode<"text">>) {
  return (
    <NodeFrame id={id} kind="text" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={shapeLook(data)} connectable={false} minWidth={16} minHeight={16}>
      <ShapeText data={data} selected={!!selected} className="shape-text" placeholder="Double-click to write" />
    </NodeFrame>
  );
}
