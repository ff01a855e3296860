/**
 * A stand-in for the org's gateway in happy-dom: one seeded project doc, the y-protocols
 * handshake, and events run through the gateway's own pipeline (gateway-do's reducers and
 * permission checks), each change sent to the client before its ack, as the gateway does.
 */
import * as Y from "yjs";
import { runEvent } from "../../gateway-do/src/events/pipeline";
import { modules } from "../../gateway-do/src/modules/registry";
import { syncStep1, syncStep2, updateFrame } from "../../gateway-do/src/sync/protocol";
import { GatewayProvider, type SocketLike } from "../src/gateway/provider";

let seq = 0;

export interface FakeGateway {
  /** The gateway's copy of the project doc. */
  doc: Y.Doc;
  /** Events received, in order. */
  events: { type: string; [field: string]: unknown }[];
  /** Opens a provider connected to this gateway (for GatewayFactory). */
  connect: (org: string, project: string) => GatewayProvider;
  /** Runs an event on the gateway's side as someone else (another browser), with every permission. */
  run: (event: { type: string; [field: string]: unknown }, userId?: string) => void;
}

/** A gateway where the connected person is `userId` holding `grants`. */
export function fakeGateway(userId: string, grants: readonly string[] = ["*:*"]): FakeGateway {
  const doc = new Y.Doc();
  doc.transact(() => modules.forEach((m) => m.seed?.(doc, 1)));
  const events: FakeGateway["events"] = [];
  const sockets = new Set<FakeSocket>();
  doc.on("update", (update: Uint8Array) => sockets.forEach((s) => s.open && s.receive(updateFrame(update))));

  class FakeSocket implements SocketLike {
    binaryType: BinaryType = "blob";
    readyState = 0;
    open = false;
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent) => void) | null = null;
    onclose: ((event: CloseEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    constructor() {
      sockets.add(this);
      setTimeout(() => {
        this.readyState = 1;
        this.open = true;
        this.onopen?.(new Event("open"));
        this.receive(syncStep1(doc));
        this.receive(syncStep2(doc));
      }, 0);
    }
    send(data: string | Uint8Array) {
      if (typeof data !== "string") return;
      const message = JSON.parse(data) as { type: string; event?: { type: string; requestId: string } };
      if (message.type !== "event" || !message.event) return;
      events.push(message.event);
      const outcome = runEvent(doc, message.event, { userId, grants }, { newId: () => `id${++seq}` });
      const ack = outcome.ok ? { type: "ack", requestId: message.event.requestId, ok: true } : { type: "ack", requestId: message.event.requestId, ok: false, error: outcome.error };
      setTimeout(() => this.receive(JSON.stringify(ack)), 0);
    }
    close() {
      this.readyState = 3;
      this.open = false;
      sockets.delete(this);
    }
    receive(data: Uint8Array | string) {
      const payload = typeof data === "string" ? data : (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
      this.onmessage?.(new MessageEvent("message", { data: payload }));
    }
  }

  return {
    doc,
    events,
    connect: (org, project) =>
      new GatewayProvider({ org, project, fetchTicket: async () => ({ url: "ws://kiln.test/gw", token: "t", expiresAt: "" }), createSocket: () => new FakeSocket() }),
    run: (event, actor = "someone-else") => {
      const outcome = runEvent(doc, { ...event, requestId: `x${++seq}` }, { userId: actor, grants: ["*:*"] }, { newId: () => `id${++seq}` });
      if (!outcome.ok) throw new Error(outcome.error.message);
    },
  };
}
