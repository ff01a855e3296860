/** A group: a frame its children sit (and move) in. */
import type { NodeProps } from "@xyflow/react";
import type { GraphFlowNode } from "../flow-model";
import { NodeFrame } from "./NodeFrame";

export function GroupNode({ id, data, selected }: NodeProps<GraphFlowNode<"group">>) {
  return (
    <NodeFrame id={id} kind="group" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} connectable={false}>
      <span className="group-label">Group</span>
    </NodeFrame>
  );
}
