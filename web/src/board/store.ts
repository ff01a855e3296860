/**
 * The board's one store: it subscribes to the project's Y.Doc and awareness, keeps this
 * client's optimistic overlay, selection, undo history and toasts, and hands React an
 * immutable snapshot (read through `useBoard` in store-context.tsx). Every change to
 * shared state is an event; a refused event rolls its overlay back and says why.
 */
import type { DocView, UiSlot } from "./module-state";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import { viewsOf } from "../../../gateway-do/src/modules/whiteboard/placements";
import type { ViewRecord } from "../../../gateway-do/src/modules/whiteboard/schema";
import type { Ack, GatewayEvent } from "../gateway/messages";
import type { ConnectionStatus, Notice } from "../gateway/provider";
import { type BoardFlowEdge, type BoardFlowNode, type FlowCache, type PeerMark, type PeerOverlay, buildFlow } from "./flow-model";
import { type Peer, type Presence, assignColors, peersOf, presencesOf } from "./presence";

/** What the store needs of a gateway connection (GatewayProvider, or a fake in tests). */
export interface BoardConnection {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly status: ConnectionStatus;
  readonly deniedReason: string | null;
  /** Events sent whose answer has not come yet (GatewayProvider sends them again after a reconnect). */
  readonly waiting?: number;
  sendEvent(event: GatewayEvent): Promise<Ack>;
  on(kind: "status", listener: (status: ConnectionStatus) => void): () => void;
  on(kind: "doc", listener: (doc: Y.Doc) => void): () => void;
  on(kind: "notice", listener: (notice: Notice) => void): () => void;
  on(kind: "waiting", listener: (count: number) => void): () => void;
}

export interface Me {
  userId: string;
  name: string;
  color: string;
}

/** The org and project a board shows: what a module calling the API for this project needs (a container's launch command). */
export interface BoardPlace {
  org: string;
  project: string;
}

export interface Toast {
  id: number;
  kind: "info" | "error";
  message: string;
}

/** A change to make through the gateway, with its optimistic part and how to undo it. */
export interface Command {
  /** Sent together; the command succeeds when every one is acknowledged. */
  events: GatewayEvent[];
  /** Shows the change before the ack (overlay writes). */
  apply?: () => void;
  /** Drops the overlay once the gateway answered (the doc now tells the truth). */
  settle?: () => void;
  /** After a successful ack: the command that undoes this one, if any. */
  inverse?: () => Command | null;
}

export interface BoardSnapshot {
  status: ConnectionStatus;
  deniedReason: string | null;
  /** Changes sent whose answer has not come yet: never reported undone, sent again on reconnect. */
  waiting: number;
  doc: Y.Doc;
  me: Me;
  views: ViewRecord[];
  viewId: string;
  nodes: BoardFlowNode[];
  edges: BoardFlowEdge[];
  peers: Peer[];
  toasts: Toast[];
  canUndo: boolean;
  canRedo: boolean;
}

type DocParts = Pick<BoardSnapshot, "views">;

const UNDO_LIMIT = 100;
/** An undo or redo step: the command that will undo (or redo) something, once known; false or null when there is none. */
type Step = Promise<Command | null | false>;
const PRESENCE_INTERVAL_MS = 40;

export class BoardStore {
  readonly positions = new Map<string, { x: number; y: number; owner: symbol }>();
  readonly sizes = new Map<string, { width: number; height: number; owner: symbol }>();
  readonly deleted = new Map<string, symbol>();
  /** Items put in a frame or taken out of one here, awaiting the ack (flow-model's LocalOverlay.parents). */
  readonly parents = new Map<string, { parent: string | null; owner: symbol }>();
  readonly measured = new Map<string, { width: number; height: number }>();
  selected: ReadonlySet<string> = new Set();
  viewId: string | null = null;
  /** Where this person's pointer is on the board (flow coordinates), null when it is elsewhere: where new things go. */
  pointer: { x: number; y: number } | null = null;
  #docVersion = 0;

  #snapshot: BoardSnapshot | null = null;
  #docParts: DocParts | null = null;
  #flow: { nodes: BoardFlowNode[]; edges: BoardFlowEdge[]; cache: FlowCache } | null = null;
  #peers: Peer[] = [];
  #peerOverlay: { key: string; overlay: PeerOverlay } = { key: "", overlay: { positions: new Map(), selectedBy: new Map() } };
  #toasts: Toast[] = [];
  /**
   * Undo and redo steps, each the inverse a command will have once the gateway has answered.
   * A step takes its place when its command starts, not when it is acknowledged: an undo
   * pressed meanwhile undoes that command, not the one before. Never reassigned.
   */
  readonly #undo: Step[] = [];
  readonly #redo: Step[] = [];
  #toastSeq = 0;
  readonly #listeners = new Set<() => void>();
  readonly #unsubscribe: (() => void)[] = [];
  #presenceTimer: ReturnType<typeof setTimeout> | null = null;
  #presence: Presence;
  /** Gestures still gathering (a keyboard nudge), sent before any other command so history keeps their order. */
  readonly #gestures = new Set<() => void>();

  constructor(
    readonly connection: BoardConnection,
    readonly me: Me,
    /** Null for a board with no project behind it (tests, benches). */
    readonly place: BoardPlace | null = null,
  ) {
    // The colour is a claim: the project's present people settle who has which (#settleColors).
    this.#presence = { userId: me.userId, name: me.name, color: me.color, cursor: null, view: null, selection: [], drag: null, typing: null, arrived: Date.now() };
    this.#me = me;
    this.#unsubscribe.push(
      connection.on("status", () => this.#changed("status")),
      connection.on("doc", () => {
        this.#watch();
        this.#changed("doc");
      }),
      connection.on("notice", (notice) => this.toast(notice.message, notice.kind)),
      connection.on("waiting", () => this.#changed("status")),
    );
    this.#watch();
  }

  #unwatch: (() => void) | null = null;

  /** Follows the connection's current doc and awareness (they are replaced after a resync). */
  #watch(): void {
    this.#unwatch?.();
    const { doc, awareness } = this.connection;
    const onDoc = () => this.#changed("doc");
    // Our own presence (a cursor moving) changes nothing on our screen.
    const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      if ([...added, ...updated, ...removed].some((id) => id !== doc.clientID)) this.#changed("peers");
    };
    doc.on("update", onDoc);
    awareness.on("change", onAwareness);
    this.#unwatch = () => {
      doc.off("update", onDoc);
      awareness.off("change", onAwareness);
    };
    awareness.setLocalState(this.#presence);
    this.#settleColors();
  }

  #me: Me;

  /**
   * Reads everyone's presence: the peers, with the colours given by order of arrival
   * (assignColors), and this person's own colour, claimed in presence once given so that it
   * stays theirs while they are here.
   */
  #settleColors(): void {
    const { awareness, doc } = this.connection;
    const presences = presencesOf(awareness.getStates() as Map<number, Record<string, unknown>>);
    if (!presences.has(doc.clientID)) presences.set(doc.clientID, this.#presence);
    const colors = assignColors(presences.values());
    this.#peers = peersOf(presences, doc.clientID, colors);
    const mine = colors.get(this.me.userId);
    if (mine && mine !== this.#me.color) {
      this.#me = { ...this.#me, color: mine };
      this.setPresence({ color: mine });
    }
  }

  get doc(): Y.Doc {
    return this.connection.doc;
  }

  #changed(part: "doc" | "status" | "peers" | "local" | "ui"): void {
    if (part === "doc") {
      this.#docParts = null;
      this.#docVersion++;
      this.#flow = null;
    }
    if (part === "local") this.#flow = null;
    if (part === "peers") {
      this.#settleColors();
      if (this.#updatePeerOverlay()) this.#flow = null;
    }
    this.#snapshot = null;
    for (const listener of this.#listeners) listener();
  }

  /** Rebuilds what others drag and select on this view; true when it changed. */
  #updatePeerOverlay(): boolean {
    const view = this.#currentView();
    const here = this.#peers.filter((p) => p.view === view);
    const key = JSON.stringify(here.map((p) => [p.color, p.name, p.selection, p.drag ?? null]));
    if (key === this.#peerOverlay.key) return false;
    const positions = new Map<string, { x: number; y: number }>();
    const selectedBy = new Map<string, PeerMark[]>();
    for (const peer of here) {
      for (const d of peer.drag ?? []) positions.set(d.id, { x: d.x, y: d.y });
      for (const id of peer.selection) selectedBy.set(id, [...(selectedBy.get(id) ?? []), { name: peer.name, color: peer.color }]);
    }
    this.#peerOverlay = { key, overlay: { positions, selectedBy } };
    return true;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #currentView(): string {
    const views = viewsOf(this.doc);
    if (this.viewId && views.has(this.viewId)) return this.viewId;
    return [...views.values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))[0]?.id ?? "main";
  }

  #buildDocParts(): DocParts {
    const views = [...viewsOf(this.doc).values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    return { views };
  }

  /** Counts the doc's changes (and its replacement after a resync): what a DocView's kept value is checked against. */
  get docVersion(): number {
    return this.#docVersion;
  }

  /** A module's view of its records, the same object until the doc changes. */
  fromDoc<T>(view: DocView<T>): T {
    return view.read(this);
  }

  /** A module's piece of this screen's UI state. */
  ui<T>(slot: UiSlot<T>): T {
    return slot.read(this);
  }

  setUi<T>(slot: UiSlot<T>, value: T): void {
    slot.hold(this, value);
    this.#changed("ui");
  }

  /** The current state; the same object until something changes (for useSyncExternalStore). */
  getSnapshot = (): BoardSnapshot => {
    if (this.#snapshot) return this.#snapshot;
    const viewId = this.#currentView();
    this.#docParts ??= this.#buildDocParts();
    if (!this.#flow) {
      const local = { positions: this.positions, sizes: this.sizes, deleted: new Set(this.deleted.keys()), selected: this.selected, parents: this.parents, measured: this.measured };
      this.#flow = buildFlow(this.doc, viewId, local, this.#peerOverlay.overlay, this.#lastCache);
      this.#lastCache = this.#flow.cache;
    }
    this.#snapshot = {
      status: this.connection.status,
      deniedReason: this.connection.deniedReason,
      waiting: this.connection.waiting ?? 0,
      doc: this.doc,
      me: this.#me,
      ...this.#docParts,
      viewId,
      nodes: this.#flow.nodes,
      edges: this.#flow.edges,
      peers: this.#peers,
      toasts: this.#toasts,
      canUndo: this.#undo.length > 0,
      canRedo: this.#redo.length > 0,
    };
    return this.#snapshot;
  };

  #lastCache: FlowCache = new Map();

  /** Marks local overlay or selection as changed. */
  touch(): void {
    this.#changed("local");
  }

  setView(viewId: string): void {
    this.viewId = viewId;
    this.selected = new Set();
    this.#updatePeerOverlay();
    this.setPresence({ view: viewId, selection: [], cursor: null });
    this.#changed("local");
  }

  setSelection(ids: ReadonlySet<string>): void {
    this.selected = ids;
    this.setPresence({ selection: [...ids] });
    this.#changed("local");
  }

  /** Updates this client's presence; sent at most every 40 ms. */
  setPresence(change: Partial<Presence>): void {
    this.#presence = { ...this.#presence, view: this.#currentView(), ...change };
    if (this.#presenceTimer) return;
    this.#presenceTimer = setTimeout(() => {
      this.#presenceTimer = null;
      this.connection.awareness.setLocalState(this.#presence);
    }, PRESENCE_INTERVAL_MS);
  }

  toast(message: string, kind: Toast["kind"] = "error"): void {
    const toast = { id: ++this.#toastSeq, kind, message };
    this.#toasts = [...this.#toasts, toast].slice(-4);
    this.#changed("ui");
    setTimeout(() => this.dismiss(toast.id), 6000);
  }

  dismiss(id: number): void {
    if (!this.#toasts.some((t) => t.id === id)) return;
    this.#toasts = this.#toasts.filter((t) => t.id !== id);
    this.#changed("ui");
  }

  /** Sends a command's event with its optimistic change; returns its inverse on success, null if none, false if refused. */
  async #exec(command: Command): Promise<Command | null | false> {
    command.apply?.();
    this.#changed("local");
    const acks = await Promise.all(command.events.map((event) => this.connection.sendEvent(event)));
    command.settle?.();
    this.#changed("local");
    const refused = acks.find((ack) => !ack.ok);
    if (refused && !refused.ok) {
      this.toast(refused.error.message);
      return false;
    }
    return command.inverse?.() ?? null;
  }

  /**
   * Registers a gesture still gathering input (arrow keys held down): `send` runs it as a
   * command, and runs before any other command, undo or redo. Returns the unregister.
   */
  gathering(send: () => void): () => void {
    this.#gestures.add(send);
    return () => this.#gestures.delete(send);
  }

  #sendGestures(): void {
    for (const send of [...this.#gestures]) {
      this.#gestures.delete(send);
      send();
    }
  }

  /** Runs a command and records its inverse for undo. Resolves true when the gateway accepted it. */
  async run(command: Command): Promise<boolean> {
    this.#sendGestures();
    const step = this.#exec(command);
    this.#undo.push(step);
    if (this.#undo.length > UNDO_LIMIT) this.#undo.shift();
    this.#redo.length = 0;
    this.#changed("ui");
    const inverse = await step;
    // Refused, or nothing to undo: the step leaves the history.
    if (!inverse) this.#forget(this.#undo, step);
    return inverse !== false;
  }

  undo(): Promise<void> {
    this.#sendGestures();
    return this.#step(this.#undo, this.#redo);
  }

  redo(): Promise<void> {
    this.#sendGestures();
    return this.#step(this.#redo, this.#undo);
  }

  /** Takes the last step of `from`, once its command is answered, runs it and records its inverse in `to`. */
  async #step(from: Step[], to: Step[]): Promise<void> {
    const step = from.pop();
    if (!step) return;
    this.#changed("ui");
    const command = await step;
    // Its command was refused or had nothing to undo: the step before is the one meant.
    if (!command) return this.#step(from, to);
    const back = this.#exec(command);
    to.push(back);
    this.#changed("ui");
    if (!(await back)) this.#forget(to, back);
  }

  #forget(steps: Step[], step: Step): void {
    const at = steps.indexOf(step);
    if (at < 0) return;
    steps.splice(at, 1);
    this.#changed("ui");
  }

  destroy(): void {
    if (this.#presenceTimer) clearTimeout(this.#presenceTimer);
    this.#unwatch?.();
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#listeners.clear();
  }
}
