/**
 * chats on the web: the chat node (a chat placed on the board), the Chat tool, the chats side
 * panel, and undo of a delete anchoring chats again to the nodes brought back. A deleted chat
 * node is not brought back: its chat stays in the panel.
 */
import { type ChatRecord, chatsOf } from "../../../../gateway-do/src/modules/chats";
import { placementKey, placementsOf } from "../../../../gateway-do/src/modules/whiteboard/placements";
import type { Command } from "../../board/store";
import type { GatewayEvent } from "../../gateway/messages";
import { type Point, type WebModule, defineNodeView } from "../kit";
import { ChatNode, type ChatNodeData } from "./ChatNode";
import { ChatPanel } from "./ChatPanel";
import { useChats, useOpenChatId } from "./state";

/** Creates a chat as its own node on the board (anchored to a node, if given). */
export function createChatCommand(viewId: string, title: string, at: Point, anchorNodeId?: string): Command {
  return { events: [{ type: "chats:create", title, ...(anchorNodeId ? { anchorNodeId } : {}), board: { viewId, x: Math.round(at.x), y: Math.round(at.y) } }] };
}

const chat = defineNodeView({
  component: ChatNode,
  lookup: (doc) => {
    const byNode = new Map<string, ChatRecord>();
    for (const c of chatsOf(doc).values()) if (c.nodeId) byNode.set(c.nodeId, c);
    return (nodeId) => byNode.get(nodeId);
  },
  data: (base, c) => ({ ...base, chatId: c?.id ?? null, title: c?.title ?? "Chat" }),
  minimap: { small: "#bfdbfe", big: "#60a5fa" },
  // Zoomed far out, as its far form is drawn (board.css: .board-chat, .note-far): its title.
  far: {
    outline: "box",
    radius: 10,
    fill: "#eff6ff",
    stroke: "#60a5fa",
    strokeWidth: 1,
    text: { line: (node) => (node.data as ChatNodeData).title, ink: "#1c1917", size: 25.6, weight: 600, at: "top" },
  },
  styles: ["fill", "stroke", "strokeWidth", "strokeStyle"],
});

type Anchor = { chatId: string; nodeId: string };

export const chats = {
  title: "Chats",
  memberWork: "chats",
  // The chats placed on the view, by their titles.
  search: (doc, viewId) =>
    [...chatsOf(doc).values()].flatMap((c) => (c.nodeId && placementsOf(doc).has(placementKey(viewId, c.nodeId)) ? [{ id: c.nodeId, kind: "Chat", text: c.title }] : [])),
  permissions: {
    "chats:create": "Start chats",
    "chats:read": "Mark chats read",
    "chats:send": "Write in chats, edit and delete own messages",
    "chats:[chat:*]:send": "Write in any chat",
    "chats:[chat:*]:update": "Resolve and reopen chats",
  },
  nodes: { chat },
  tools: [
    {
      section: "create",
      icon: "chat",
      label: "Chat",
      title: "New chat on the board",
      menuLabel: "New chat here",
      run: (store, viewId, at) => store.run(createChatCommand(viewId, "Chat", at)),
    },
  ],
  panels: [
    {
      id: "chats",
      label: "Chats",
      icon: "chat",
      useBadge: () => useChats((s) => [...s.unread.values()].reduce((a, b) => a + b, 0)),
      useOpens: useOpenChatId,
      component: ChatPanel,
    },
  ],
  afterDelete: {
    save: (doc, doomed): Anchor[] =>
      [...chatsOf(doc).values()].filter((c) => c.anchorNodeId !== null && doomed.has(c.anchorNodeId)).map((c) => ({ chatId: c.id, nodeId: c.anchorNodeId! })),
    restore: (doc, saved, back): GatewayEvent[] =>
      (saved as Anchor[])
        .filter((a) => back.has(a.nodeId) && chatsOf(doc).has(a.chatId))
        .map((a) => ({ type: "chats:anchor", chatId: a.chatId, anchorNodeId: a.nodeId })),
  },
} satisfies WebModule;
