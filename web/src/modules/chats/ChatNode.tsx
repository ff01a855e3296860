/** A chat placed on the board: its title, latest messages, unread count; opens in the side panel. */
import type { Node, NodeProps } from "@xyflow/react";
import type { GraphNodeData } from "../../board/flow-model";
import { Icon } from "../../board/Icon";
import { useBoardStore } from "../../board/store-context";
import { useFarZoom } from "../../board/zoom";
import { NodeFrame } from "../../board/nodes/NodeFrame";
import { openChat, useChats } from "./state";

/** A chat node shows its chat: the chat placed as this node (null until the doc has it). */
export interface ChatNodeData extends GraphNodeData {
  chatId: string | null;
  title: string;
}

export function ChatNode(props: NodeProps<Node<ChatNodeData>>) {
  const far = useFarZoom();
  const { id, data, selected } = props;
  if (far) {
    return (
      <NodeFrame id={id} kind="chat" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={data.style} far>
        <div className="note-far">{data.title}</div>
      </NodeFrame>
    );
  }
  return <FullChat {...props} />;
}

function FullChat({ id, data, selected }: NodeProps<Node<ChatNodeData>>) {
  const store = useBoardStore();
  const messages = useChats((s) => (data.chatId ? s.messages.get(data.chatId) : undefined));
  const unread = useChats((s) => (data.chatId ? (s.unread.get(data.chatId) ?? 0) : 0));
  const recent = (messages ?? []).filter((m) => !m.deleted).slice(-3);
  return (
    <NodeFrame id={id} kind="chat" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={data.style}>
      <header>
        <Icon name="chat" />
        <span className="node-title">{data.title}</span>
        {unread > 0 && <b className="badge">{unread}</b>}
      </header>
      <ul className="chat-preview">
        {recent.length === 0 && <li className="muted">No messages yet</li>}
        {recent.map((m) => (
          <li key={m.id}>{m.text}</li>
        ))}
      </ul>
      <button type="button" className="node-open nodrag" disabled={!data.chatId} onClick={() => data.chatId && openChat(store, data.chatId)}>
        Open chat
      </button>
    </NodeFrame>
  );
}
