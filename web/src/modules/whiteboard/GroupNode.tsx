/**
 * A group: a frame its children sit (and move) in, with its name over it. Double-click the
 * name to rename it: Enter or leaving the field sends it, Escape cancels.
 */
import type { Node, NodeProps } from "@xyflow/react";
import { useRef, useState } from "react";
import { renameGroupCommand } from "../../board/commands";
import { InlineEditor } from "../../board/InlineEditor";
import type { GraphNodeData } from "../../board/flow-model";
import { NodeFrame } from "../../board/nodes/NodeFrame";
import { useBoardStore } from "../../board/store-context";

/** What a group without a name of its own is called. */
export const GROUP_NAME = "Group";
const MAX_NAME = 100;

export type GroupNodeData = GraphNodeData & { name: string | undefined };

export function GroupNode({ id, data, selected }: NodeProps<Node<GroupNodeData>>) {
  const store = useBoardStore();
  const [editing, setEditing] = useState(false);
  const done = useRef(false);
  const name = data.name ?? GROUP_NAME;
  const finish = (value: string | null) => {
    if (done.current) return;
    done.current = true;
    setEditing(false);
    const next = value?.trim().slice(0, MAX_NAME);
    if (next && next !== name) void store.run(renameGroupCommand(store, id, next, name));
  };
  return (
    <NodeFrame id={id} kind="group" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={data.style} connectable={false}>
      {editing ? (
        <InlineEditor className="group-label group-label-editor nodrag" aria-label="Group name" defaultValue={name} maxLength={MAX_NAME} onDone={finish} />
      ) : (
        <span
          className="group-label"
          data-testid="group-name"
          title={data.locked ? name : "Double-click to rename"}
          onDoubleClick={(e) => {
            e.stopPropagation();
            if (data.locked) return store.toast("This group is locked: unlock it to rename it.", "info");
            done.current = false;
            setEditing(true);
          }}
        >
          {name}
        </span>
      )}
    </NodeFrame>
  );
}
