/** A note: its markdown body is a Y.Text everyone with the permission edits live. */
import type { NodeProps } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { bodiesOf } from "../../../../gateway-do/src/modules/notes";
import type { GraphFlowNode } from "../flow-model";
import { useBoard, useBoardStore } from "../store-context";
import { Icon } from "../Icon";
import { bindTextarea } from "../text-binding";
import { openChatFor } from "./open-chat";
import { NodeFrame } from "./NodeFrame";

export function NoteNode({ id, data, selected }: NodeProps<GraphFlowNode<"note">>) {
  const store = useBoardStore();
  const doc = useBoard((s) => s.doc);
  const chat = useBoard((s) => s.chats.find((c) => c.anchorNodeId === id));
  const unread = useBoard((s) => (chat ? (s.unread.get(chat.id) ?? 0) : 0));
  const textarea = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const text = bodiesOf(doc).get(id);
    if (!textarea.current || !text) return;
    return bindTextarea(textarea.current, text);
  }, [doc, id]);

  return (
    <NodeFrame id={id} kind="note" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy}>
      <header className="node-handle">
        <span className="node-title">Note</span>
        {data.locked && <Icon name="lock" title="Locked" />}
        <button type="button" className="node-chip nodrag" title={chat ? "Open the chat about this note" : "Start a chat about this note"} onClick={() => void openChatFor(store, id)}>
          <Icon name="chat" />
          {unread > 0 ? <b>{unread}</b> : chat ? "" : "+"}
        </button>
      </header>
      <textarea
        ref={textarea}
        className="note-body nodrag nowheel"
        aria-label="Note text"
        placeholder="Write in markdown…"
        spellCheck={false}
        onKeyDown={(e) => e.stopPropagation()}
      />
    </NodeFrame>
  );
}
