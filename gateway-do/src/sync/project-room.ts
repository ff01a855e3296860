/**
 * One project's live state inside the org's gateway: its Yjs doc (loaded from storage, seeded
 * when new), its awareness (presence), and its connections. Client frames are synced with
 * y-protocols, client edits pass the update guard and the permission of each text touched,
 * events go through the pipeline; every change is stored before it is acknowledged or sent.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { type EventOutcome, runEvent } from "../events/pipeline";
import type { Actor } from "../modules/kit";
import { editableTexts, modules } from "../modules/registry";
import { isAllowed } from "../permissions/permission";
import { MAX_DOC_BYTES } from "../limits";
import type { DocStore } from "../storage/doc-store";
import { awarenessFrame, decodeFrame, syncStep1, syncStep2, updateFrame, type ServerMessage } from "./protocol";
import { captureUpdate } from "./capture";
import { checkClientUpdate } from "./update-guard";

/** The side of a connection the room needs. */
export interface RoomPeer {
  id: string;
  send(data: string | Uint8Array): void;
}

export class ProjectRoom {
  readonly doc: Y.Doc;
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
    const { doc, fresh } = store.load(project);
    this.doc = doc;
    if (fresh) this.#seed();
    this.bytes = store.size(project);
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server has no presence of its own, and its timer would keep the object awake.
    this.awareness.setLocalState(null);
    clearInterval((this.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
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
      if (peer.id === except) continue;
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
    peer.send(syncStep1(this.doc));
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
          reply = syncStep2(this.doc, frame.stateVector);
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

  /** Compacts storage when its log has grown (run from the alarm). */
  compactIfDue(): boolean {
    if (!this.store.needsCompaction(this.project)) return false;
    this.bytes = this.store.compact(this.project, this.doc).bytes;
    return true;
  }

  /** Releases memory; the room can be rebuilt from storage. */
  unload(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}
