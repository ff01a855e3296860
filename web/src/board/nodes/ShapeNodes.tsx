/** The free shapes: rectangle, ellipse, arrow and text label. Double-click edits the text. */
import type { NodeProps } from "@xyflow/react";
import type { ShapeFlowNode } from "../flow-model";
import { useBoardStore } from "../store-context";
import { NodeFrame } from "./NodeFrame";

function useEditText(shapeId: string, text: string, locked: boolean) {
  const store = useBoardStore();
  return () => {
    if (locked) return;
    const next = window.prompt("Text", text);
    if (next === null || next === text) return;
    void store.run({ events: [{ type: "whiteboard:update-shape", shapeId, text: next.slice(0, 2000) }] });
  };
}

export function RectangleShape({ id, data, selected }: NodeProps<ShapeFlowNode<"rectangle">>) {
  const edit = useEditText(data.shape.id, data.shape.text, data.locked);
  return (
    <NodeFrame id={id} kind="rectangle" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} connectable={false} minWidth={16} minHeight={16}>
      <div className="shape-box" style={{ borderColor: data.shape.color }} onDoubleClick={edit}>
        {data.shape.text}
      </div>
    </NodeFrame>
  );
}

export function EllipseShape({ id, data, selected }: NodeProps<ShapeFlowNode<"ellipse">>) {
  const edit = useEditText(data.shape.id, data.shape.text, data.locked);
  return (
    <NodeFrame id={id} kind="ellipse" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} connectable={false} minWidth={16} minHeight={16}>
      <div className="shape-box shape-ellipse" style={{ borderColor: data.shape.color }} onDoubleClick={edit}>
        {data.shape.text}
      </div>
    </NodeFrame>
  );
}

export function ArrowShape({ id, data, selected }: NodeProps<ShapeFlowNode<"arrow">>) {
  const color = data.shape.color;
  return (
    <NodeFrame id={id} kind="arrow" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} connectable={false} minWidth={16} minHeight={16}>
      <svg className="shape-arrow" viewBox="0 0 100 100" preserveAspectRatio="none" aria-label="Arrow">
        <defs>
          <marker id={`head-${data.shape.id}`} viewBox="0 0 10 10" refX="8" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill={color} />
          </marker>
        </defs>
        <line x1="4" y1="50" x2="94" y2="50" stroke={color} strokeWidth="3" vectorEffect="non-scaling-stroke" markerEnd={`url(#head-${data.shape.id})`} />
      </svg>
    </NodeFrame>
  );
}

export function TextShape({ id, data, selected }: NodeProps<ShapeFlowNode<"text">>) {
  const edit = useEditText(data.shape.id, data.shape.text, data.locked);
  return (
    <NodeFrame id={id} kind="text" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} connectable={false} minWidth={16} minHeight={16}>
      <div className="shape-text" style={{ color: data.shape.color }} onDoubleClick={edit}>
        {data.shape.text || "Double-click to write"}
      </div>
    </NodeFrame>
  );
}
