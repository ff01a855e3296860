/**
 * The chats side panel: every chat with its unread count, one chat's messages (author,
 * time; edit and delete your own), a composer, and who is typing (awareness).
 */
import { useEffect, useRef, useState } from "react";
import type { MessageRecord } from "../../../../gateway-do/src/modules/chats";
import { useJumpTo } from "../../board/jump";
import { useBoard, useBoardStore } from "../../board/store-context";
import { openChat, useChats, useOpenChatId } from "./state";

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

export function ChatPanel({ names }: { names: ReadonlyMap<string, string> }) {
  const store = useBoardStore();
  const chats = useChats((s) => s.chats);
  const unread = useChats((s) => s.unread);
  const openId = useOpenChatId();
  const open = chats.find((c) => c.id === openId);
  return (
    <aside className="chat-panel" aria-label="Chats">
      {open ? (
        <ChatThread chatId={open.id} title={open.title} anchorNodeId={open.anchorNodeId} names={names} onBack={() => openChat(store, null)} />
      ) : (
        <>
          <header className="panel-head">
            <h2>Chats</h2>
            <button type="button" onClick={() => void store.run({ events: [{ type: "chats:create", title: `Chat ${chats.length + 1}` }] })}>
              + New
            </button>
          </header>
          <ul className="chat-list">
            {chats.length === 0 && <li className="muted">No chats yet. Start one here, from a note, or with the Chat tool.</li>}
            {chats.map((c) => (
              <li key={c.id}>
                <button type="button" onClick={() => openChat(store, c.id)}>
                  <span>{c.title}</span>
                  {(unread.get(c.id) ?? 0) > 0 && <b className="badge">{unread.get(c.id)}</b>}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}

function ChatThread({ chatId, title, anchorNodeId, names, onBack }: { chatId: string; title: string; anchorNodeId: string | null; names: ReadonlyMap<string, string>; onBack: () => void }) {
  const store = useBoardStore();
  const jumpTo = useJumpTo();
  const messages = useChats((s) => s.messages.get(chatId));
  const me = useBoard((s) => s.me);
  const peers = useBoard((s) => s.peers);
  const unread = useChats((s) => s.unread.get(chatId) ?? 0);
  const [draft, setDraft] = useState("");
  const [editing, setEditing] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const typing = [...new Set(peers.filter((p) => p.typing === chatId).map((p) => p.name))];
  const last = messages?.at(-1);

  // Reading the chat moves the read marker to its last message.
  useEffect(() => {
    if (unread > 0 && last) void store.run({ events: [{ type: "chats:mark-read", chatId, messageId: last.id }] });
  }, [store, chatId, unread, last]);
  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [messages?.length]);
  useEffect(() => () => store.setPresence({ typing: null }), [store]);

  const send = async () => {
    const text = draft.trim();
    if (!text) return;
    store.setPresence({ typing: null });
    const event = editing ? { type: "chats:edit-message" as const, messageId: editing, text } : { type: "chats:send" as const, chatId, text };
    setDraft("");
    setEditing(null);
    if (!(await store.run({ events: [event] }))) setDraft(text);
  };

  return (
    <section className="chat-thread" aria-label={`Chat ${title}`}>
      <header className="panel-head">
        <button type="button" onClick={onBack} aria-label="All chats">
          ←
        </button>
        <h2>{title}</h2>
        {/* A chat about a note (or another node) leads to it on the board. */}
        {anchorNodeId && (
          <button type="button" className="chat-anchor" onClick={() => jumpTo(anchorNodeId) || store.toast("What this chat is about is not on this view.", "info")}>
            Show on board
          </button>
        )}
      </header>
      <ol ref={list} className="messages">
        {(messages ?? []).length === 0 && <li className="muted">Say something.</li>}
        {(messages ?? []).map((m) => (
          <Message
            key={m.id}
            message={m}
            author={m.author === me.userId ? "You" : (names.get(m.author) ?? "Someone")}
            mine={m.author === me.userId}
            onEdit={() => {
              setEditing(m.id);
              setDraft(m.text);
            }}
            onDelete={() => void store.run({ events: [{ type: "chats:delete-message", messageId: m.id }] })}
          />
        ))}
      </ol>
      <p className="typing" aria-live="polite">
        {typing.length > 0 ? `${typing.join(", ")} ${typing.length > 1 ? "are" : "is"} typing…` : " "}
      </p>
      <form
        className="composer"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <textarea
          value={draft}
          rows={2}
          aria-label={editing ? "Edit your message" : "Message"}
          placeholder={editing ? "Edit your message…" : "Write a message…"}
          onChange={(e) => {
            setDraft(e.target.value);
            store.setPresence({ typing: e.target.value ? chatId : null });
          }}
          onBlur={() => store.setPresence({ typing: null })}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              void send();
            }
            if (e.key === "Escape" && editing) {
              setEditing(null);
              setDraft("");
            }
          }}
        />
        <button type="submit" disabled={!draft.trim()}>
          {editing ? "Save" : "Send"}
        </button>
      </form>
    </section>
  );
}

function Message({ message, author, mine, onEdit, onDelete }: { message: MessageRecord; author: string; mine: boolean; onEdit: () => void; onDelete: () => void }) {
  return (
    <li className={`message${mine ? " is-mine" : ""}`}>
      <div className="message-meta">
        <b>{author}</b>
        <time dateTime={new Date(message.createdAt).toISOString()}>{time(message.createdAt)}</time>
        {message.editedAt && !message.deleted && <span className="muted">(edited)</span>}
        {mine && !message.deleted && (
          <span className="message-actions">
            <button type="button" onClick={onEdit}>
              Edit
            </button>
            <button type="button" onClick={onDelete}>
              Delete
            </button>
          </span>
        )}
      </div>
      <p className={message.deleted ? "muted" : undefined}>{message.deleted ? "Message deleted" : message.text}</p>
    </li>
  );
}
