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
import * as Y from "yjs";
import type { Actor, ModuleDefinition } from "../modules/kit";
import { editableTexts, modules } from "../modules/registry";
import { isAllowed } from "../permissions/permission";
import { MAX_CLIENTS_PER_CONNECTION, MAX_DOC_BYTES } from "../limits";
import { type DocStore, type StoredDoc, buildDoc } from "../storage/doc-store";
import type { ServerMessage } from "../../../protocol/socket";
import { decodeFrame, syncStep1, syncStep2, updateFrame } from "./protocol";
import { captureUpdate } from "../doc/capture";
import { applyClientUpdate } from "./client-update";
import { presenceFrame, readPresence } from "./presence";
import { editableTextOf } from "./update-guard";

/** The side of a connection a broadcast needs. */
export interface RoomPeer {
  id: string;
  send(data: string | Uint8Array): void;
}

/** The connection a frame came from, as the room judges it. */
export interface RoomSender extends RoomPeer {
  userId: string;
  /** The name presence shows, from the user's token. */
  name: string;
  /** Yjs client ids (doc and presence) this connection speaks for; kept in its state across hibernation. */
  readonly clients: readonly number[];
  /** Records one more client id as this connection's. */
  claim(client: number): void;
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
  /** Presence states by awareness client id, with the connection that owns each. */
  readonly #presence = new Map<number, { peer: string; state: Record<string, unknown> }>();
  /** Which connection (and user) each Yjs client id belongs to; rebuilt from the connections' states. */
  readonly #owners = new Map<number, { peer: string; userId: string }>();
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
    /** The modules whose seeds and periodic work the room runs (the registry's by default). */
    private readonly roomModules: readonly ModuleDefinition[] = modules,
    /** Told of each edit a person typed into the doc and the room stored (not events: their sender records those). */
    private readonly onEdit: (userId: string) => void = () => undefined,
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
  }

  /** A connection that was already here when the room was (re)built, say after hibernation: its client ids stay its own. */
  restore(peer: { id: string; userId: string; clients: readonly number[] }): void {
    for (const client of peer.clients) this.#owners.set(client, { peer: peer.id, userId: peer.userId });
  }

  get #modules() {
    return this.roomModules;
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

  /**
   * Drops the doc in memory for the one in storage: after an update changed it in a way that
   * was refused, what is in memory is not what is stored (nothing of it was stored or sent).
   */
  #rebuild(): void {
    this.#doc?.destroy();
    this.#doc = null;
    this.#stored = this.store.read(this.project);
    this.#fullState = null;
    this.#stateVector = null;
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
    const update = captureUpdate(this.doc, () => this.doc.transact(() => this.#modules.forEach((m) => m.seed?.(this.doc, Date.now())), "seed"));
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
    if (this.#presence.size > 0) peer.send(presenceFrame([...this.#presence].map(([client, { state }]) => ({ client, state }))));
  }

  /**
   * A binary frame from a connection. Returns a notice for the sender, if any. `actor` is
   * asked for only when an edit needs its permissions: presence frames, the busiest, skip it.
   */
  receive(peer: RoomSender, actor: () => Actor, data: Uint8Array): ServerMessage | null {
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

  /**
   * Why `peer` may not speak for Yjs client id `client`, or null (and it is then recorded as
   * theirs). Ids belong to the connection that used them first; another connection of the
   * same user may take one over (a reload, a reconnect). With `inDoc`, ids the gateway writes
   * under are refused too: its own doc's, and any whose last item is not an editable text.
   */
  #claim(peer: RoomSender, client: number, inDoc: boolean): string | null {
    if (inDoc) {
      if (this.#doc?.clientID === client) return `Yjs client ${client} belongs to the gateway.`;
      const last = this.#doc?.store.clients.get(client)?.at(-1);
      if (last instanceof Y.Item && (last.parentSub !== null || !editableTextOf(last.parent, editableTexts))) return `Yjs client ${client} belongs to the gateway.`;
    }
    const owner = this.#owners.get(client);
    if (owner?.peer === peer.id) return null;
    if (owner && owner.userId !== peer.userId) return `Yjs client ${client} belongs to another connection.`;
    if (peer.clients.length >= MAX_CLIENTS_PER_CONNECTION) return "This connection has used too many Yjs client ids: reconnect.";
    this.#owners.set(client, { peer: peer.id, userId: peer.userId });
    peer.claim(client);
    return null;
  }

  #clientUpdate(peer: RoomSender, actor: () => Actor, update: Uint8Array): ServerMessage | null {
    // A new client's answer to sync step 1 when it has nothing: no need for the doc.
    if (isEmptyUpdate(update)) return null;
    const result = applyClientUpdate(this.doc, update, editableTexts, {
      origin: peer.id,
      allow: ({ texts, clients }) => {
        for (const client of clients) {
          const refusal = this.#claim(peer, client, true);
          if (refusal) return refusal;
        }
        const { grants } = actor();
        const denied = texts.find((t) => !isAllowed(grants, t.permission));
        if (denied) return `You lack the permission ${denied.permission}.`;
        if (texts.length > 0 && this.#full()) return this.#fullMessage();
        return null;
      },
    });
    if (!result.ok) {
      if (result.tainted) this.#rebuild();
      return { type: "rejected-update", reason: result.reason };
    }
    if (!result.applied) return null;
    this.#persist(result.applied);
    this.onEdit(peer.userId);
    this.#broadcast(updateFrame(result.applied), peer.id);
    return null;
  }

  /** Presence from a connection: only its own client ids, stamped with who it is, relayed to everyone. */
  #awareness(peer: RoomSender, update: Uint8Array): ServerMessage | null {
    const read = readPresence(update);
    if (!read.ok) return { type: "error", error: { code: "invalid_frame", message: read.reason } };
    for (const { client } of read.entries) {
      const refusal = this.#claim(peer, client, false);
      if (refusal) return { type: "error", error: { code: "forbidden_presence", message: refusal } };
    }
    const relayed = read.entries.map(({ client, state }) => {
      if (state === null) {
        this.#presence.delete(client);
        return { client, state };
      }
      const stamped = { ...state, userId: peer.userId, name: peer.name };
      this.#presence.set(client, { peer: peer.id, state: stamped });
      return { client, state: stamped };
    });
    if (relayed.length > 0) this.#broadcast(presenceFrame(relayed));
    return null;
  }

  /** Runs an event; a change is stored, then sent to every connection (the sender included). */
  /** Why the project takes no more changes (it reached its size limit), or null. */
  get fullReason(): string | null {
    return this.#full() ? this.#fullMessage() : null;
  }

  /**
   * Runs a change on the doc (an event: the room knows nothing of events); the update it
   * returns is stored, then sent to every connection (the sender too).
   */
  apply<O extends { ok: boolean; update?: Uint8Array | null }>(work: (doc: Y.Doc) => O): O {
    this.lastActive = Date.now();
    const outcome = work(this.doc);
    if (outcome.ok && outcome.update) {
      this.#persist(outcome.update);
      this.#broadcast(updateFrame(outcome.update));
    }
    return outcome;
  }

  /**
   * A connection left: its presence goes, and the others are told. Its client ids come from
   * its state, so this works after hibernation emptied the room's memory of who was here.
   */
  leave(peerId: string, clients: readonly number[]): void {
    for (const client of clients) {
      if (this.#owners.get(client)?.peer === peerId) this.#owners.delete(client);
      this.#presence.delete(client);
    }
    if (clients.length === 0) return;
    this.#broadcast(presenceFrame(clients.map((client) => ({ client, state: null }))), peerId);
  }

  /** Runs the modules' periodic work in one transaction; the change is stored, then sent. */
  runPeriodic(members: ReadonlySet<string>, now = Date.now()): boolean {
    const changes = this.#modules.map((m) => m.periodic?.({ doc: this.doc, now, members }) ?? null).filter((c) => c !== null);
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
    this.#doc?.destroy();
  }
}

/** A Yjs (v1) update with no structs and no deletions. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
