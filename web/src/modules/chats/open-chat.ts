/** Opens the chat anchored to a node in the side panel, starting one if there is none. */
import type { BoardStore } from "../../board/store";
import { chatsState, openChat } from "./state";

export async function openChatFor(store: BoardStore, nodeId: string): Promise<void> {
  const find = () => chatsState(store).chats.find((c) => c.anchorNodeId === nodeId && !c.nodeId);
  const existing = find();
  if (existing) return openChat(store, existing.id);
  const ok = await store.run({ events: [{ type: "chats:create", title: "About this note", anchorNodeId: nodeId }] });
  const chat = ok ? find() : undefined;
  if (chat) openChat(store, chat.id);
}
