/**
 * A connection that never leaves the browser: events run through the gateway's own pipeline
 * against a local doc. For the board benchmark (and demos); the real one is GatewayProvider.
 */
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { runEvent } from "../../../gateway-do/src/client";
import { modules } from "../../../gateway-do/src/modules/registry";
import type { Ack, GatewayEvent } from "../gateway/messages";
import type { BoardConnection } from "./store";

let seq = 0;

/** A seeded doc and a connection to it acting as `userId` with every permission. */
export function localConnection(userId: string): BoardConnection {
  const doc = new Y.Doc();
  doc.transact(() => modules.forEach((m) => m.seed?.(doc, Date.now())));
  const awareness = new Awareness(doc);
  return {
    doc,
    awareness,
    status: "online",
    deniedReason: null,
    sendEvent: async (event: GatewayEvent): Promise<Ack> => {
      const requestId = `local-${++seq}`;
      const outcome = runEvent(doc, { ...event, requestId }, { userId, grants: ["*:*"] });
      return outcome.ok ? { requestId, ok: true } : { requestId, ok: false, error: outcome.error };
    },
    on: () => () => {},
  };
}
