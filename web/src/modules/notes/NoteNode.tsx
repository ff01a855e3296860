/**
 * A note: its markdown body is a Y.Text everyone with the permission edits live. Zoomed out
 * (below FAR_ZOOM) it draws only its first line, with no editor, so big boards stay fluid.
 */
import type { Node, NodeProps } from "@xyflow/react";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type * as Y from "yjs";
import { bodiesOf } from "../../../../gateway-do/src/modules/notes";
import type { GraphNodeData } from "../../board/flow-model";
import { Icon } from "../../board/Icon";
import { useBoard, useBoardStore } from "../../board/store-context";
import { bindTextarea } from "../../board/text-binding";
import { useEditRequest } from "../../board/edit-request";
import { useFarZoom } from "../../board/zoom";
import { NodeFrame } from "../../board/nodes/NodeFrame";
import { openChatFor } from "../chats/open-chat";
import { useChats } from "../chats/state";
import { NoteMarkdown } from "./NoteMarkdown";

export function NoteNode(props: NodeProps<Node<GraphNodeData>>) {
  const far = useFarZoom();
  return far ? <FarNote {...props} /> : <FullNote {...props} />;
}

const whole = (body: string) => body;

/** The note's text (or what `pick` takes of it); follows it live, re-rendering only when that changes. */
function useBody(text: Y.Text | undefined, pick: (body: string) => string = whole): string {
  const subscribe = useCallback(
    (changed: () => void) => {
      text?.observe(changed);
      return () => text?.unobserve(changed);
    },
    [text],
  );
  return useSyncExternalStore(subscribe, () => pick(text?.toString() ?? ""));
}

/** The note's first line, without markdown heading marks. */
export function firstLine(body: string): string {
  const line = body.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.replace(/^\s*#+\s*/, "").slice(0, 80);
}

function FarNote({ id, data, selected }: NodeProps<Node<GraphNodeData>>) {
  const text = useBoard((s) => bodiesOf(s.doc).get(id));
  const title = useBody(text, firstLine);
  return (
    <NodeFrame id={id} kind="note" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={data.style} far>
      {/* The title is the handle that drags the note, as the header does up close; the rest pans. */}
      <div className="note-far">
        <span className="node-handle">{title || <span className="muted">Empty note</span>}</span>
      </div>
    </NodeFrame>
  );
}

function FullNote({ id, data, selected }: NodeProps<Node<GraphNodeData>>) {
  const store = useBoardStore();
  // The body's Y.Text: a new one when the note was deleted and brought back by undo.
  const text = useBoard((s) => bodiesOf(s.doc).get(id));
  const chat = useChats((s) => s.chats.find((c) => c.anchorNodeId === id));
  const unread = useChats((s) => (chat ? (s.unread.get(chat.id) ?? 0) : 0));
  const textarea = useRef<HTMLTextAreaElement>(null);
  const body = useBody(text);
  // Typing here shows the markdown source; otherwise it is drawn (links clickable, the rest a click away from editing).
  const [editing, setEditing] = useState(false);
  useEditRequest(id, () => textarea.current?.focus());

  useEffect(() => {
    if (!textarea.current || !text) return;
    return bindTextarea(textarea.current, text);
  }, [text]);
  const rendered = !editing && body.trim() !== "";

  return (
    <NodeFrame id={id} kind="note" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={data.style}>
      <header className="node-handle">
        <span className="node-title">Note</span>
        <button type="button" className="node-chip nodrag" title={chat ? "Open the chat about this note" : "Start a chat about this note"} onClick={() => void openChatFor(store, id)}>
          <Icon name="chat" />
          {unread > 0 ? <b>{unread}</b> : chat ? "" : "+"}
        </button>
      </header>
      <div className="note-content">
        <textarea
          ref={textarea}
          className={`note-body nodrag nowheel${rendered ? " is-rendered" : ""}`}
          aria-label="Note text"
          placeholder="Write in markdown…"
          spellCheck
          onFocus={() => setEditing(true)}
          onBlur={() => setEditing(false)}
          onKeyDown={(e) => {
            e.stopPropagation();
            // Escape leaves the note (its markdown is drawn again); the board keeps it selected.
            if (e.key === "Escape") e.currentTarget.blur();
          }}
        />
        {/* Over the field, letting clicks through to it (except on links): a click edits. */}
        {rendered && (
          <div className="note-markdown" data-testid="note-markdown">
            <NoteMarkdown text={body} />
          </div>
        )}
      </div>
    </NodeFrame>
  );
}
