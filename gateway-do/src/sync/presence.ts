/**
 * Presence (Yjs awareness) as the gateway relays it. A client may only speak for its own
 * awareness client ids, so the gateway reads each awareness update itself instead of
 * relaying it: at most a few entries, each a JSON object or null, stamped with the user's
 * id and name from their token. It also numbers the entries it relays with its own clock
 * (milliseconds, always rising), so that the removal it sends when a connection leaves
 * outranks everything the others saw, even after hibernation emptied its memory.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { MESSAGE_AWARENESS } from "./protocol";

/** Awareness entries one frame may carry, and client ids one connection may speak for. */
export const MAX_PRESENCE_ENTRIES = 4;
/** Bytes of one presence state (a selection of a few thousand ids fits). */
export const MAX_PRESENCE_STATE_BYTES = 64 * 1024;

export interface PresenceEntry {
  client: number;
  /** The state as the client sent it (an object), or null when it leaves. */
  state: Record<string, unknown> | null;
}

export type PresenceRead = { ok: true; entries: PresenceEntry[] } | { ok: false; reason: string };

/** Reads an awareness update (y-protocols' encoding) without applying it. */
export function readPresence(update: Uint8Array): PresenceRead {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_PRESENCE_ENTRIES) return { ok: false, reason: `A presence frame may carry ${MAX_PRESENCE_ENTRIES} entries at most.` };
    const entries: PresenceEntry[] = [];
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(decoder);
      decoding.readVarUint(decoder); // the client's clock: the gateway numbers what it relays itself
      const json = decoding.readVarString(decoder);
      if (json.length > MAX_PRESENCE_STATE_BYTES) return { ok: false, reason: "A presence state is too large." };
      const state: unknown = JSON.parse(json);
      if (state !== null && (typeof state !== "object" || Array.isArray(state))) return { ok: false, reason: "A presence state is a JSON object or null." };
      entries.push({ client, state: state as Record<string, unknown> | null });
    }
    return { ok: true, entries };
  } catch {
    return { ok: false, reason: "Not an awareness update." };
  }
}

/** A clock that only rises, across hibernation too (it starts from the wall clock). */
class PresenceClock {
  #last = 0;
  next(): number {
    this.#last = Math.max(Date.now(), this.#last + 1);
    return this.#last;
  }
}

/** One clock for every room of the isolate, so a removal sent without a room outranks what rooms sent. */
const clock = new PresenceClock();

/** An awareness frame (y-websocket framing) of the given entries, each numbered by the gateway's clock. */
export function presenceFrame(entries: readonly { client: number; state: Record<string, unknown> | null }[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const { client, state } of entries) {
    encoding.writeVarUint(update, client);
    encoding.writeVarUint(update, clock.next());
    encoding.writeVarString(update, JSON.stringify(state));
  }
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}
