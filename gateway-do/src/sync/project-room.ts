/**
 * One project's live state inside the org's gateway: its Yjs doc (loaded from storage, seeded
 * when new), its awareness (presence), and its connections. Client frames are synced with
 * y-protocols, client edits pass the update guard and the permission of each text touched,
 * events go through the pipeline; every change is stored before it is acknowledged or sent.
 *
 * A room opened on a freshly compacted project serves its first clients straight from the
 * stored snapshot (it is the doc's encoded state, and its state vector is stored with it),
 * and builds the Y.Doc just after sending it, or at once when something needs it: an event,
 * an edit, a client that already holds part of the doc. A 10,000-node project reaches its first
 * reader without being decoded and re-encoded on the way.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { type EventOutcome, runEvent } from "../events/pipeline";
import type { Actor } from "../modules/kit";
import { editableTexts, modules } from "../modules/registry";
import { isAllowed } from "../permissions/permission";
import { MAX_DOC_BYTES } from "../limits";
import { type DocStore, type StoredDoc, buildDoc } from "../storage/doc-store";
import { awarenessFrame, decodeFrame, syncStep1, syncStep2, updateFrame, type ServerMessage } from "./protocol";
import { captureUpdate } from "./capture";
import { checkClientUpdate } from "./update-guard";

/** The side of a connection the room needs. */
export interface RoomPeer {
  id: string;
  send(data: string | Uint8Array): void;
}

export class ProjectRoom {
  #doc: Y.Doc | null = null;
  /** Stored state not yet built into #doc. */
  #stored: StoredDoc | null = null;
  /** The doc's whole state, encoded, while it is known and current (dropped on every change). */
  #fullState: Uint8Array | null = null;
  /** The doc's state vector, while known and current. */
  #stateVector: Uint8Array | null = null;
  #unloaded = false;
  readonly awareness: awarenessProtocol.Awareness;
  /** Awareness client ids announced over each connection, removed when it leaves. */
  readonly #presence = new Map<string, Set<number>>();
  lastActive = Date.now();
  /** Bytes stored for this project, kept current as updates are appended. */
  bytes: number;

  constructor(
    readonly project: string,
    private readonly store: DocStore,
    /** The connections currently in this project. */
    private readonly peers: () => Iterable<RoomPeer>,
    /** Past this many stored bytes, events and edits are refused. */
    private readonly maxBytes = MAX_DOC_BYTES,
  ) {
    const stored = store.read(project);
    if (stored.snapshot && stored.stateVector && stored.updates.length === 0) {
      this.#stored = stored;
      this.#fullState = stored.snapshot;
      this.#stateVector = stored.stateVector;
    } else {
      this.#adopt(buildDoc(stored));
      if (stored.snapshot === null && stored.updates.length === 0) this.#seed();
    }
    this.bytes = store.size(project);
    // Awareness only needs a client id of its own: it is kept apart from the (maybe unbuilt) doc.
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    // The server has no presence of its own, and its timer would keep the object awake.
    this.awareness.setLocalState(null);
    clearInterval((this.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  }

  /** False while the room serves its stored snapshot and has not decoded it yet. */
  get built(): boolean {
    return this.#doc !== null;
  }

  /** The project's doc, built from storage on first use. */
  get doc(): Y.Doc {
    if (!this.#doc) {
      this.#adopt(buildDoc(this.#stored!));
      this.#stored = null;
    }
    return this.#doc!;
  }

  #adopt(doc: Y.Doc): void {
    this.#doc = doc;
    doc.on("update", () => {
      this.#fullState = null;
      this.#stateVector = null;
    });
  }

  /** The doc's state vector, without building the doc when it is known. */
  #currentStateVector(): Uint8Array {
    return (this.#stateVector ??= Y.encodeStateVector(this.doc));
  }

  /** What a client with state vector `stateVector` lacks, encoded once for all new clients while nothing changes. */
  #missing(stateVector: Uint8Array): Uint8Array {
    if (Y.decodeStateVector(stateVector).size > 0) return Y.encodeStateAsUpdate(this.doc, stateVector);
    if (this.#fullState && !this.#doc) this.#buildSoon();
    return (this.#fullState ??= Y.encodeStateAsUpdate(this.doc));
  }

  /** Builds the doc once the reply being sent is on its way (before anyone needs it, ideally). */
  #buildSoon(): void {
    setTimeout(() => {
      if (!this.#unloaded) void this.doc;
    }, 0);
  }

  #seed(): void {
    const update = captureUpdate(this.doc, () => this.doc.transact(() => modules.forEach((m) => m.seed?.(this.doc, Date.now())), "seed"));
    if (update) this.store.append(this.project, update);
  }

  /** Stores an update before anyone hears of it. */
  #persist(update: Uint8Array): void {
    this.store.append(this.project, update);
    this.bytes += update.length;
  }

  #full(): boolean {
    return this.bytes >= this.maxBytes;
  }

  #fullMessage(): string {
    return `This project is full (${Math.round(this.maxBytes / 1024 / 1024)} MB): delete something first.`;
  }

  #broadcast(data: Uint8Array, except?: string): void {
    for (const peer of this.peers()) {
      // A connection's id is read from its attachment: only when someone is left out.
      if (except !== undefined && peer.id === except) continue;
      try {
        peer.send(data);
      } catch {
        // Closing as we send: it will not need this update.
      }
    }
  }

  /** A new connection: ask for what it has that we lack, and show it who is here. */
  join(peer: RoomPeer): void {
    this.lastActive = Date.now();
    peer.send(syncStep1(this.#currentStateVector()));
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) peer.send(awarenessFrame(this.awareness, present));
  }

  /**
   * A binary frame from a connection. Returns a notice for the sender, if any. `actor` is
   * asked for only when an edit needs its permissions: presence frames, the busiest, skip it.
   */
  receive(peer: RoomPeer, actor: () => Actor, data: Uint8Array): ServerMessage | null {
    this.lastActive = Date.now();
    const frame = decodeFrame(data);
    switch (frame.kind) {
      case "sync-step1": {
        let reply: Uint8Array;
        try {
          reply = syncStep2(this.#missing(frame.stateVector));
        } catch {
          return { type: "error", error: { code: "invalid_frame", message: "The state vector could not be read." } };
        }
        peer.send(reply);
        return null;
      }
      case "update":
        return this.#clientUpdate(peer, actor, frame.update);
      case "awareness":
        return this.#awareness(peer, frame.update);
      case "invalid":
        return { type: "error", error: { code: "invalid_frame", message: frame.reason } };
    }
  }

  #clientUpdate(peer: RoomPeer, actor: () => Actor, update: Uint8Array): ServerMessage | null {
    // A new client's answer to sync step 1 when it has nothing: no need for the doc.
    if (isEmptyUpdate(update)) return null;
    const check = checkClientUpdate(this.doc, update, editableTexts);
    if (!check.ok) return { type: "rejected-update", reason: check.reason };
    const { grants } = actor();
    const denied = check.texts.find((t) => !isAllowed(grants, t.permission));
    if (denied) return { type: "rejected-update", reason: `You lack the permission ${denied.permission}.` };
    if (check.texts.length === 0) return null; // nothing new for the server
    if (this.#full()) return { type: "rejected-update", reason: this.#fullMessage() };
    // Store what Yjs integrated, never the client's raw bytes: a malformed update that got
    // past the guard fails here, before anything is stored or sent.
    let applied: Uint8Array | null;
    try {
      applied = captureUpdate(this.doc, () => Y.applyUpdate(this.doc, update, peer.id));
    } catch {
      return { type: "rejected-update", reason: "The update could not be read: resync." };
    }
    if (!applied) return null;
    this.#persist(applied);
    this.#broadcast(updateFrame(applied), peer.id);
    return null;
  }

  #awareness(peer: RoomPeer, update: Uint8Array): ServerMessage | null {
    const clients = this.#presence.get(peer.id) ?? new Set<number>();
    const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      for (const id of [...added, ...updated]) clients.add(id);
      for (const id of removed) clients.delete(id);
    };
    this.awareness.on("change", onChange);
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer.id);
    } catch {
      return { type: "error", error: { code: "invalid_frame", message: "not an awareness update" } };
    } finally {
      this.awareness.off("change", onChange);
    }
    this.#presence.set(peer.id, clients);
    this.#broadcast(awarenessFrame(this.awareness, [...clients]));
    return null;
  }

  /** Runs an event; a change is stored, then sent to every connection (the sender included). */
  runEvent(actor: Actor, raw: unknown): EventOutcome {
    this.lastActive = Date.now();
    if (this.#full()) {
      const requestId = typeof (raw as { requestId?: unknown })?.requestId === "string" ? (raw as { requestId: string }).requestId : null;
      return { ok: false, requestId, type: null, error: { code: "doc_too_large", message: this.#fullMessage() } };
    }
    const outcome = runEvent(this.doc, raw, actor);
    if (outcome.ok && outcome.update) {
      this.#persist(outcome.update);
      this.#broadcast(updateFrame(outcome.update));
    }
    return outcome;
  }

  /** A connection left: its presence goes, and the others are told. */
  leave(peerId: string): void {
    const clients = [...(this.#presence.get(peerId) ?? [])];
    this.#presence.delete(peerId);
    if (clients.length === 0) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, clients, "left");
    this.#broadcast(awarenessFrame(this.awareness, clients), peerId);
  }

  /** Runs the modules' periodic work in one transaction; the change is stored, then sent. */
  runPeriodic(members: ReadonlySet<string>, now = Date.now()): boolean {
    const changes = modules.map((m) => m.periodic?.({ doc: this.doc, now, members }) ?? null).filter((c) => c !== null);
    if (changes.length === 0) return false;
    const update = captureUpdate(this.doc, () => this.doc.transact(() => changes.forEach((change) => change()), "periodic"));
    if (!update) return false;
    this.#persist(update);
    this.#broadcast(updateFrame(update));
    return true;
  }

  /**
   * Compacts storage when its log has grown (run from the alarm), or, with `always`, when it
   * holds anything (before unloading: the next load is then served from the snapshot).
   */
  compactIfDue(always = false): boolean {
    if (!this.store.needsCompaction(this.project, always ? { maxUpdates: 1, maxBytes: 1 } : undefined)) return false;
    this.bytes = this.store.compact(this.project, this.doc).bytes;
    return true;
  }

  /** Releases memory; the room can be rebuilt from storage. */
  unload(): void {
    this.#unloaded = true;
    this.awareness.destroy();
    this.#doc?.destroy();
  }
}

/** A Yjs (v1) update with no structs and no deletions. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
