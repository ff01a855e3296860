/** Opens the chat anchored to a node in the side panel, starting one if there is none. */
import type { BoardStore } from "../../board/store";

export async function openChatFor(store: BoardStore, nodeId: string): Promise<void> {
  const find = () => store.getSnapshot().chats.find((c) => c.anchorNodeId === nodeId && !c.nodeId);
  const existing = find();
  if (existing) return store.openChat(existing.id);
  const ok = await store.run({ events: [{ type: "chats:create", title: "About this note", anchorNodeId: nodeId }] });
  const chat = ok ? find() : undefined;
  if (chat) store.openChat(chat.id);
}
