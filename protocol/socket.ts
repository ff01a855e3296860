/**
 * The gateway socket's text frames (JSON) and close codes. The binary frames are the Yjs
 * protocols as y-websocket frames them (gateway-do/src/sync/protocol.ts).
 */
import { z } from "zod";
import { ErrorSchema } from "./errors";
import { EventAcceptedSchema, EventRefusedSchema } from "./events";

/** What a client may send as text. The event is checked by the pipeline (envelope, then the module's schema). */
export const ClientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("event"), event: z.unknown() }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** What the gateway sends as text. */
export const ServerMessageSchema = z.union([
  EventAcceptedSchema.extend({ type: z.literal("ack") }),
  EventRefusedSchema.extend({ type: z.literal("ack") }),
  /** A direct Yjs edit was refused (the doc is resent). */
  z.object({ type: z.literal("rejected-update"), reason: z.string() }),
  /** To `{"type":"ping"}`; a bare `ping` is answered `{"type":"pong"}` by the runtime itself. */
  z.object({ type: z.literal("pong"), org: z.string().optional(), connections: z.number().optional() }),
  z.object({ type: z.literal("error"), error: ErrorSchema }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** Parses a text frame from the gateway; null when it is not a message we know. */
export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const parsed = ServerMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The codes a gateway socket is closed with (by the worker in front of the gateway, or the
 * gateway itself); the close frame's reason says the particulars for a person.
 */
export const CloseCode = {
  /** No valid token (missing, bad or expired): fetch a new one and reconnect. */
  Unauthenticated: 4001,
  /** No access to the project, or it was taken away (removed from the org or project). */
  Forbidden: 4003,
  /** Too many sockets, or too many refused frames: slow down and reconnect later. */
  RateLimited: 4029,
  /** A frame over the gateway's size limit (the standard "message too big"). */
  TooBig: 1009,
  /** A frame of a kind this socket does not speak (binary on a JSON socket: the standard "unsupported data"). */
  Unsupported: 1003,
  /** No such socket endpoint. */
  NotFound: 4004,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** What each close code means, for logs and for a person. */
export const closeCodeMeaning: Record<CloseCode, string> = {
  [CloseCode.Unauthenticated]: "unauthenticated: no valid gateway token",
  [CloseCode.Forbidden]: "forbidden: no access to this project",
  [CloseCode.RateLimited]: "rate limited: too many sockets or refused frames",
  [CloseCode.TooBig]: "too big: a frame over the size limit",
  [CloseCode.Unsupported]: "unsupported: this socket speaks JSON text frames",
  [CloseCode.NotFound]: "not found: no such socket endpoint",
};
