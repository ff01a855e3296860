/**
 * What the gateway and the board say to each other as text: the contract is protocol/socket.ts
 * (checked at runtime by `parseServerMessage` before anything acts on it); here only what the
 * board adds on its side.
 */
import type { EventAck } from "../../../protocol/events";

export { type ServerMessage, ServerMessageSchema, parseServerMessage } from "../../../protocol/socket";

/** The gateway's answer to one event as the board keeps it (always for a request id it sent); failures made on this side (offline, timeout) look the same. */
export type Ack = EventAck & { requestId: string };

/** An event as the client sends it, before the request id is added. */
export interface GatewayEvent {
  type: `${string}:${string}`;
  [field: string]: unknown;
}
