/** A group: a frame its children sit (and move) in. */
import type { Node, NodeProps } from "@xyflow/react";
import type { GraphNodeData } from "../../board/flow-model";
import { NodeFrame } from "../../board/nodes/NodeFrame";

export function GroupNode({ id, data, selected }: NodeProps<Node<GraphNodeData>>) {
  return (
    <NodeFrame id={id} kind="group" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} connectable={false}>
      <span className="group-label">Group</span>
    </NodeFrame>
  );
}
