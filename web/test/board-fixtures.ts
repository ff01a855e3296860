/** Test helpers for the board: a project doc built by the gateway's own reducers, and a fake connection. */
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { runEvent } from "../../gateway-do/src/events/pipeline";
import { modules } from "../../gateway-do/src/modules/registry";
import type { Ack, GatewayEvent } from "../src/gateway/messages";
import type { ConnectionStatus } from "../src/gateway/provider";
import type { BoardConnection } from "../src/board/store";

let seq = 0;

/** A seeded project doc, changed only through the gateway's event pipeline. */
export function projectDoc(): { doc: Y.Doc; event: (event: GatewayEvent, userId?: string) => void } {
  const doc = new Y.Doc();
  doc.transact(() => modules.forEach((m) => m.seed?.(doc, 1)));
  const event = (event: GatewayEvent, userId = "ada") => {
    const outcome = runEvent(doc, { ...event, requestId: `r${++seq}` }, { userId, grants: ["*:*"] }, { newId: () => `id${++seq}` });
    if (!outcome.ok) throw new Error(outcome.error.message);
  };
  return { doc, event };
}

/** A connection whose acks the test decides. */
export function fakeConnection(doc: Y.Doc, answer: (event: GatewayEvent) => Promise<Ack>): BoardConnection & { sent: GatewayEvent[] } {
  const awareness = new Awareness(doc);
  const sent: GatewayEvent[] = [];
  return {
    doc,
    awareness,
    status: "online" as ConnectionStatus,
    deniedReason: null,
    sent,
    sendEvent: (event: GatewayEvent) => {
      sent.push(event);
      return answer(event);
    },
    on: () => () => {},
  };
}

/** A connection that runs each event on the doc as the gateway would, and answers with its outcome. */
export function gatewayConnection(doc: Y.Doc, event: (event: GatewayEvent) => void): BoardConnection & { sent: GatewayEvent[] } {
  return fakeConnection(doc, async (e) => {
    try {
      event(e);
      return { requestId: "r", ok: true };
    } catch (error) {
      return { requestId: "r", ok: false, error: { code: "refused", message: (error as Error).message } };
    }
  });
}
