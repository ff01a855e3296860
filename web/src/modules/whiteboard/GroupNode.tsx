/**
 * Groups and frames: regions with a name over them that hold other items (a group's children,
 * what was dropped in a frame, board/frames.ts), drawn under what they hold. Double-click the
 * name to rename it: Enter or leaving the field sends it, Escape cancels.
 */
import type { Node, NodeProps } from "@xyflow/react";
import { useRef, useState } from "react";
import { renameGroupCommand } from "../../board/commands";
import { InlineEditor } from "../../board/InlineEditor";
import type { GraphNodeData } from "../../board/flow-model";
import { NodeFrame } from "../../board/nodes/NodeFrame";
import { useBoardStore } from "../../board/store-context";

/** What a group or frame without a name of its own is called. */
export const GROUP_NAME = "Group";
export const FRAME_NAME = "Frame";
const MAX_NAME = 100;

export type GroupNodeData = GraphNodeData & { name: string | undefined };

/** A named region's node: `kind` its CSS (`board-{kind}`, `{kind}-label`) and test id, `fallback` its name until it has one. */
function regionNode(kind: "group" | "frame", fallback: string, hint: string, minimum: { width: number; height: number }) {
  const noun = fallback.toLowerCase();
  return function RegionNode({ id, data, selected }: NodeProps<Node<GroupNodeData>>) {
    const store = useBoardStore();
    const [editing, setEditing] = useState(false);
    const done = useRef(false);
    const name = data.name ?? fallback;
    const finish = (value: string | null) => {
      if (done.current) return;
      done.current = true;
      setEditing(false);
      const next = value?.trim().slice(0, MAX_NAME);
      if (next && next !== name) void store.run(renameGroupCommand(store, id, next, name));
    };
    return (
      <NodeFrame id={id} kind={kind} selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={data.style} connectable={false} minWidth={minimum.width} minHeight={minimum.height}>
        {editing ? (
          <InlineEditor className={`${kind}-label ${kind}-label-editor nodrag`} aria-label={`${fallback} name`} defaultValue={name} maxLength={MAX_NAME} onDone={finish} />
        ) : (
          <span
            className={`${kind}-label`}
            data-testid={`${kind}-name`}
            title={data.locked ? name : hint}
            onDoubleClick={(e) => {
              e.stopPropagation();
              if (data.locked) return store.toast(`This ${noun} is locked: unlock it to rename it.`, "info");
              done.current = false;
              setEditing(true);
            }}
          >
            {name}
          </span>
        )}
      </NodeFrame>
    );
  };
}

export const GroupNode = regionNode("group", GROUP_NAME, "Double-click to rename", { width: 80, height: 40 });
export const FrameNode = regionNode("frame", FRAME_NAME, "Drag the frame to move what it holds; double-click to rename", { width: 120, height: 80 });
