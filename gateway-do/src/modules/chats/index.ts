/**
 * chats: chats free-standing or anchored to a node, messages (authors edit and delete their
 * own), a read marker per user, resolve. Typing indicators ride on awareness, not events.
 */
import { z } from "zod";
import type * as Y from "yjs";
import { newNode, nodesOf, requireNode } from "../core-graph";
import { IdSchema } from "../core-graph/schema";
import { type ModuleDefinition, EventError, collection, defineEvent } from "../kit";
import { placeNode } from "../whiteboard";
import { requireView } from "../whiteboard/placements";

export interface ChatRecord {
  id: string;
  title: string;
  /** The node the chat is about, or null. */
  anchorNodeId: string | null;
  /** The chat's own node on the board, or null. */
  nodeId: string | null;
  createdBy: string;
  createdAt: number;
  resolved: boolean;
}

export interface MessageRecord {
  id: string;
  chatId: string;
  author: string;
  text: string;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
}

export const chatsOf = (doc: Y.Doc) => collection<ChatRecord>(doc, "chats", "chats");
export const messagesOf = (doc: Y.Doc) => collection<MessageRecord>(doc, "chats", "messages");
/** `{chatId}/{userId}` → the last message read. */
export const readMarkersOf = (doc: Y.Doc) => collection<{ messageId: string; at: number }>(doc, "chats", "read");

function requireChat(doc: Y.Doc, chatId: string): ChatRecord {
  const chat = chatsOf(doc).get(chatId);
  if (!chat) throw new EventError("not_found", `There is no chat ${chatId}.`);
  return chat;
}

function requireOwnMessage(doc: Y.Doc, messageId: string, userId: string): MessageRecord {
  const message = messagesOf(doc).get(messageId);
  if (!message || message.deleted) throw new EventError("not_found", `There is no message ${messageId}.`);
  if (message.author !== userId) throw new EventError("forbidden", "You can only change your own messages.");
  return message;
}

const Text = z.string().trim().min(1).max(10_000);

export const chats = {
  name: "chats",
  nodeKinds: ["chat"] as const,
  dependencies: ["core-graph", "whiteboard"],
  permissions: ["chats:create", "chats:read", "chats:send", "chats:[chat:*]:send", "chats:[chat:*]:update"],
  errors: { not_found: 404, forbidden: 403 },
  onNodeDeleted(doc, nodeId) {
    for (const chat of chatsOf(doc).values()) {
      if (chat.anchorNodeId === nodeId || chat.nodeId === nodeId) chatsOf(doc).set(chat.id, { ...chat, anchorNodeId: chat.anchorNodeId === nodeId ? null : chat.anchorNodeId, nodeId: chat.nodeId === nodeId ? null : chat.nodeId });
    }
  },
  events: {
    create: defineEvent({
      schema: z.strictObject({
        title: z.string().trim().min(1).max(200),
        anchorNodeId: IdSchema.optional(),
        /** Put the chat on a view as its own node. */
        board: z.strictObject({ viewId: IdSchema, x: z.number().finite(), y: z.number().finite() }).optional(),
      }),
      permission: () => "chats:create",
      reduce: (ctx, p) => {
        if (p.anchorNodeId) requireNode(ctx.doc, p.anchorNodeId);
        if (p.board) requireView(ctx.doc, p.board.viewId);
        const node = p.board ? newNode(ctx, "chat") : null;
        const chat: ChatRecord = { id: ctx.newId(), title: p.title, anchorNodeId: p.anchorNodeId ?? null, nodeId: node?.id ?? null, createdBy: ctx.actor.userId, createdAt: ctx.now, resolved: false };
        return () => {
          chatsOf(ctx.doc).set(chat.id, chat);
          if (node && p.board) {
            nodesOf(ctx.doc).set(node.id, node);
            placeNode(ctx.doc, { viewId: p.board.viewId, nodeId: node.id, x: p.board.x, y: p.board.y, width: 280, height: 200 });
          }
        };
      },
    }),
    send: defineEvent({
      schema: z.strictObject({ chatId: IdSchema, text: Text }),
      permission: (p) => `chats:[chat:${p.chatId}]:send`,
      reduce: (ctx, p) => {
        requireChat(ctx.doc, p.chatId);
        const message: MessageRecord = { id: ctx.newId(), chatId: p.chatId, author: ctx.actor.userId, text: p.text, createdAt: ctx.now, editedAt: null, deleted: false };
        return () => {
          messagesOf(ctx.doc).set(message.id, message);
          readMarkersOf(ctx.doc).set(`${p.chatId}/${ctx.actor.userId}`, { messageId: message.id, at: ctx.now });
        };
      },
    }),
    "edit-message": defineEvent({
      schema: z.strictObject({ messageId: IdSchema, text: Text }),
      permission: () => "chats:send",
      reduce: (ctx, p) => {
        const message = requireOwnMessage(ctx.doc, p.messageId, ctx.actor.userId);
        return () => messagesOf(ctx.doc).set(message.id, { ...message, text: p.text, editedAt: ctx.now });
      },
    }),
    "delete-message": defineEvent({
      schema: z.strictObject({ messageId: IdSchema }),
      permission: () => "chats:send",
      reduce: (ctx, p) => {
        const message = requireOwnMessage(ctx.doc, p.messageId, ctx.actor.userId);
        // The message keeps its place in the conversation; its text is gone.
        return () => messagesOf(ctx.doc).set(message.id, { ...message, text: "", deleted: true, editedAt: ctx.now });
      },
    }),
    "mark-read": defineEvent({
      schema: z.strictObject({ chatId: IdSchema, messageId: IdSchema }),
      permission: () => "chats:read",
      reduce: (ctx, p) => {
        requireChat(ctx.doc, p.chatId);
        const message = messagesOf(ctx.doc).get(p.messageId);
        if (!message || message.chatId !== p.chatId) throw new EventError("not_found", `There is no message ${p.messageId} in this chat.`);
        return () => readMarkersOf(ctx.doc).set(`${p.chatId}/${ctx.actor.userId}`, { messageId: p.messageId, at: ctx.now });
      },
    }),
    /** Anchors a chat to a node, or frees it (null); undo of a deleted note re-anchors its chats. */
    anchor: defineEvent({
      schema: z.strictObject({ chatId: IdSchema, anchorNodeId: IdSchema.nullable() }),
      permission: (p) => `chats:[chat:${p.chatId}]:update`,
      reduce: (ctx, p) => {
        const chat = requireChat(ctx.doc, p.chatId);
        if (p.anchorNodeId !== null) requireNode(ctx.doc, p.anchorNodeId);
        return () => chatsOf(ctx.doc).set(chat.id, { ...chat, anchorNodeId: p.anchorNodeId });
      },
    }),
    resolve: defineEvent({
      schema: z.strictObject({ chatId: IdSchema, resolved: z.boolean() }),
      permission: (p) => `chats:[chat:${p.chatId}]:update`,
      reduce: (ctx, p) => {
        const chat = requireChat(ctx.doc, p.chatId);
        return () => chatsOf(ctx.doc).set(chat.id, { ...chat, resolved: p.resolved });
      },
    }),
  },
} as const satisfies ModuleDefinition;
