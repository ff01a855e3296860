/** The chats as this person sees them, read from the project doc, and the chat open in the side panel. */
import type * as Y from "yjs";
import { type ChatRecord, type MessageRecord, chatsOf, messagesOf, readMarkersOf } from "../../../../gateway-do/src/modules/chats";
import { DocView, UiSlot } from "../../board/module-state";
import type { BoardStore, Me } from "../../board/store";
import { useBoard, useBoardStore } from "../../board/store-context";

export interface ChatsState {
  chats: ChatRecord[];
  messages: ReadonlyMap<string, MessageRecord[]>;
  unread: ReadonlyMap<string, number>;
}

/** Every chat (oldest first), its messages in order, and this person's unread count of each. */
function readChats(doc: Y.Doc, me: Me): ChatsState {
  const chats = [...chatsOf(doc).values()].sort((a, b) => a.createdAt - b.createdAt);
  const messages = new Map<string, MessageRecord[]>();
  for (const m of messagesOf(doc).values()) messages.set(m.chatId, [...(messages.get(m.chatId) ?? []), m]);
  for (const list of messages.values()) list.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const unread = new Map<string, number>();
  const markers = readMarkersOf(doc);
  for (const chat of chats) {
    const marker = markers.get(`${chat.id}/${me.userId}`);
    const readAt = marker ? (messagesOf(doc).get(marker.messageId)?.createdAt ?? marker.at) : 0;
    unread.set(chat.id, (messages.get(chat.id) ?? []).filter((m) => !m.deleted && m.author !== me.userId && m.createdAt > readAt).length);
  }
  return { chats, messages, unread };
}

/** The chats state, the same object until the doc changes. */
const CHATS = new DocView(readChats);
export const chatsState = (store: BoardStore): ChatsState => store.fromDoc(CHATS);

/** Reads part of the chats state (select fields as they are, no new objects). */
export function useChats<T>(select: (state: ChatsState) => T): T {
  const store = useBoardStore();
  return useBoard(() => select(chatsState(store)));
}

/** The chat open in the side panel. */
const OPEN_CHAT = new UiSlot<string | null>(null);

export const openChatId = (store: BoardStore) => store.ui(OPEN_CHAT);
export const openChat = (store: BoardStore, chatId: string | null) => store.setUi(OPEN_CHAT, chatId);
export function useOpenChatId(): string | null {
  const store = useBoardStore();
  return useBoard(() => openChatId(store));
}
