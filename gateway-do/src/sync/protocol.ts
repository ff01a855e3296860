/**
 * The gateway's WebSocket protocol. Binary frames are the Yjs protocols as y-websocket frames
 * them (a varuint message type, then the payload): 0 = sync (y-protocols/sync), 1 = awareness.
 * Text frames are JSON: the client's events and the gateway's acks and notices, a contract
 * of the gateway and its clients kept in protocol/socket.ts.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;

/** A decoded binary frame, or why it could not be read. */
export type BinaryFrame =
  | { kind: "sync-step1"; stateVector: Uint8Array }
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array }
  | { kind: "invalid"; reason: string };

/** Reads a binary frame without applying anything. */
export function decodeFrame(data: Uint8Array): BinaryFrame {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_AWARENESS) return { kind: "awareness", update: decoding.readVarUint8Array(decoder) };
    if (type !== MESSAGE_SYNC) return { kind: "invalid", reason: `unknown message type ${type}` };
    const syncType = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) return { kind: "sync-step1", stateVector: payload };
    if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) return { kind: "update", update: payload };
    return { kind: "invalid", reason: `unknown sync message ${syncType}` };
  } catch {
    return { kind: "invalid", reason: "not a Yjs protocol frame" };
  }
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: a doc's state vector (or the vector itself), asking the other side for what it lacks. */
export const syncStep1 = (source: Y.Doc | Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(e, source instanceof Uint8Array ? source : Y.encodeStateVector(source));
  });

/** Sync step 2: what the other side lacks, as an update (or a whole doc's state). */
export const syncStep2 = (missing: Y.Doc | Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, missing instanceof Uint8Array ? missing : Y.encodeStateAsUpdate(missing));
  });

/** An incremental document update. */
export const updateFrame = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeUpdate(e, update);
  });

/** Awareness states of the given clients. */
export const awarenessFrame = (awareness: awarenessProtocol.Awareness, clients: number[]) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  });
