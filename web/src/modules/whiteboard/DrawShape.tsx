/**
 * A pen drawing: its stroke's outline (perfect-freehand) through its points, drawn at its box's
 * size now, so it scales with a resize and keeps its line width; thicker where a pen pressed harder. Filled with the stroke colour;
 * the style's width is the pen's thickness.
 */
import type { NodeProps } from "@xyflow/react";
import { useMemo } from "react";
import type { ShapeFlowNode } from "../../board/flow-model";
import { NodeFrame } from "../../board/nodes/NodeFrame";
import { shapeLook } from "./ShapeNodes";
import { DEFAULT_PEN_WIDTH, pointsIn, strokePath } from "./strokes";

export function DrawShape({ id, data, selected, width, height }: NodeProps<ShapeFlowNode<"draw">>) {
  const w = width ?? data.shape.width;
  const h = height ?? data.shape.height;
  const strokeWidth = data.style.strokeWidth ?? DEFAULT_PEN_WIDTH;
  const d = useMemo(() => strokePath(pointsIn(data.shape.points ?? [], w, h), strokeWidth, data.shape.pressure), [data.shape.points, data.shape.pressure, w, h, strokeWidth]);
  return (
    <NodeFrame id={id} kind="draw" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={shapeLook(data)} connectable={false} minWidth={8} minHeight={8}>
      <svg className="shape-draw" aria-label="Drawing">
        <path d={d} />
      </svg>
    </NodeFrame>
  );
}
