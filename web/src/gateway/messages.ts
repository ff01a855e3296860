/**
 * What the gateway sends as JSON text frames, checked at runtime before anything acts on it
 * (the server's own type is `ServerMessage` in gateway-do/src/sync/protocol.ts).
 */
import { z } from "zod";

const ErrorSchema = z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.array(z.string())).optional() });

export const ServerMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ack"), requestId: z.string().nullable(), ok: z.boolean(), error: ErrorSchema.optional() }),
  z.object({ type: z.literal("rejected-update"), reason: z.string() }),
  z.object({ type: z.literal("pong"), org: z.string().optional(), connections: z.number().optional() }),
  z.object({ type: z.literal("error"), error: ErrorSchema }),
]);

export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** The gateway's answer to one event; failures made on this side (offline, timeout) look the same. */
export type Ack = { requestId: string; ok: true } | { requestId: string; ok: false; error: { code: string; message: string; fields?: Record<string, string[]> } };

/** An event as the client sends it, before the request id is added. */
export interface GatewayEvent {
  type: `${string}:${string}`;
  [field: string]: unknown;
}

/** Parses a text frame; null when it is not a message we know. */
export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const parsed = ServerMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
