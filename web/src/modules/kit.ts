/**
 * What a module's web side may declare (web/src/modules/<name>/index.ts): its node views
 * (renderer, typed data, minimap colour, menu items, copy/paste, undo of a delete), its
 * creation tools, its tab kinds, its side panels and its permissions in words. The board
 * reads these through the registry (registry.ts) and never switches on a kind itself.
 */
import type { Node, NodeProps, NodeTypes } from "@xyflow/react";
import type { ComponentType } from "react";
import type * as Y from "yjs";
import type { TabRecord } from "../../../gateway-do/src/modules/tabs";
import type { ItemStyle, StyleProperty } from "../../../gateway-do/src/modules/whiteboard/styles";
import type { BoardFlowNode, EdgeKind, GraphNodeData } from "../board/flow-model";
import type { IconSpec } from "../board/Icon";
import type { BoardStore, Command } from "../board/store";
import type { BoardActions } from "../board/use-board-actions";
import type { GatewayEvent } from "../gateway/messages";

export type Point = { x: number; y: number };
export type Box = Point & { width: number; height: number };

/** The colour of a node in the minimap: xyflow's (small boards) and BoardMinimap's (big ones). */
export interface MinimapColor {
  small: string;
  big: string;
}

/** An item of a node's right-click menu: `top` before Lock, `arrange` after "Group selection". */
export interface NodeMenuItem {
  label: string;
  hint?: string;
  place: "top" | "arrange";
  run: (board: { store: BoardStore; nodeId: string; actions: BoardActions }) => unknown;
}

/** Copy and paste of a node kind: what Ctrl+C keeps (its absolute box and content), and the command pasting them. */
export interface NodeClipboard<I extends Box> {
  copy: (doc: Y.Doc, viewId: string, nodeId: string) => I | null;
  /** Its `ids` are those of the items made, in the order of `items` (a frame pasted with them takes them in). */
  paste: (store: BoardStore, viewId: string, items: I[]) => Command & { ids: string[] };
}

/** Undo of a delete: what to keep before the node goes, and the events bringing it back as itself. */
export interface NodeRestore<S> {
  /** Read before the delete; null when undo does not bring this node back. */
  save: (doc: Y.Doc, viewId: string, nodeId: string) => S | null;
  /** The events bringing it back; `present` says which nodes will exist then. Null when it cannot come back. */
  restore: (doc: Y.Doc, viewId: string, nodeId: string, saved: S, present: (id: string) => boolean) => GatewayEvent[] | null;
  /** Kinds with a lower order come back first (a group after the nodes it holds). */
  order?: number;
}

/**
 * How a kind is drawn zoomed far out, on the board's canvas (board/FarBoard.tsx), where no DOM
 * node is drawn: its outline and colours as its CSS draws them (CSS colours, var(--x) allowed),
 * under the item's own style, and the one line written on it while that is legible.
 */
export interface FarLook {
  outline: "box" | "ellipse" | "line" | "none";
  /** A box's corner radius, in flow px. */
  radius?: number;
  fill: string;
  stroke: string;
  /** In flow px; `screen` ones keep their width on screen whatever the zoom (an arrow's line). */
  strokeWidth: number;
  screenStroke?: boolean;
  strokeStyle?: "solid" | "dashed" | "dotted";
  text?: {
    line: (node: BoardFlowNode, doc: Y.Doc) => string;
    /** Its colour; "stroke" is the item's stroke (a text label's). */
    ink: string;
    /** In flow px; `sized` when the style's font size applies. */
    size: number;
    sized?: boolean;
    weight?: number;
    /** Top left inside (padded), centred, left and centred on its height, or above the item (a group's name). */
    at: "top" | "centre" | "left" | "above";
  };
  /** The item's own look on this view, when it is not `data.style` (a shape's colour counts too). */
  style?: (node: BoardFlowNode) => ItemStyle;
  /** A line's points inside its box (flow px from its corner); across its middle when absent. */
  path?: (node: BoardFlowNode, width: number, height: number) => readonly (readonly [number, number])[] | undefined;
  /** A line with arrowheads (the style's, at its end by default). */
  arrowheads?: boolean;
}

/** How the board shows one node kind, D being the data its renderer reads. */
export interface NodeViewSpec<D extends GraphNodeData, X, I extends Box, S> {
  component: ComponentType<NodeProps<Node<D>>>;
  /** Read once per build of the board: what a node shows beyond its placement (a chat's title). Part of its cache key. */
  lookup?: (doc: Y.Doc) => (nodeId: string) => X;
  data: (base: GraphNodeData, extra: X | undefined) => D;
  /** The CSS selector of the part that drags the node (the whole node when absent). */
  dragHandle?: string;
  minimap: MinimapColor;
  /** Drawn zoomed far out (the minimap's colours when absent). */
  far?: FarLook;
  /** False when its view draws no connection handles (NodeFrame's `connectable`): a group. */
  connectable?: boolean;
  /** What the style panel may change of it (its view draws these through NodeFrame's `look`). */
  styles?: readonly StyleProperty[];
  menu?: readonly NodeMenuItem[];
  clipboard?: NodeClipboard<I>;
  restore?: NodeRestore<S>;
}

/** A node view with its types checked and then erased, to sit in the registry beside other kinds'. */
export interface NodeView {
  component: NodeTypes[string];
  lookup?: (doc: Y.Doc) => (nodeId: string) => unknown;
  data: (base: GraphNodeData, extra: unknown) => GraphNodeData;
  dragHandle?: string;
  minimap: MinimapColor;
  far?: FarLook;
  connectable: boolean;
  styles: readonly StyleProperty[];
  menu: readonly NodeMenuItem[];
  clipboard?: NodeClipboard<Box>;
  restore?: NodeRestore<unknown>;
}

/** Checks a node view against its own data, clipboard and saved types, then erases them. */
export function defineNodeView<D extends GraphNodeData, X = never, I extends Box = Box, S = never>(spec: NodeViewSpec<D, X, I, S>): NodeView {
  return {
    // xyflow's NodeTypes is untyped per kind; `spec` was checked against its own data above.
    component: spec.component as NodeTypes[string],
    lookup: spec.lookup,
    data: (base, extra) => spec.data(base, extra as X | undefined),
    dragHandle: spec.dragHandle,
    minimap: spec.minimap,
    far: spec.far,
    connectable: spec.connectable ?? true,
    styles: spec.styles ?? [],
    menu: spec.menu ?? [],
    clipboard: spec.clipboard as NodeClipboard<Box> | undefined,
    restore: spec.restore as NodeRestore<unknown> | undefined,
  };
}

/** A tool creating something at a point: on the toolbar, in the board's right-click menu, maybe a key. */
export interface CreateTool {
  /** `create` tools come first on the toolbar, then `shapes`. */
  section: "create" | "shapes";
  icon: IconSpec;
  /** Shown beside the icon on the toolbar (may be empty). */
  label: string;
  /** The toolbar button's title and accessible name. */
  title: string;
  /** In the board's right-click menu. */
  menuLabel: string;
  /** A single key (no modifier) that runs it where the person is working (at the pointer, else a free spot in view). */
  key?: string;
  /** The size of what it creates, so that it lands centred on the pointer or on a free spot. */
  size?: { width: number; height: number };
  /** What it creates is for typing into: it opens in edit mode (its view answers `useEditRequest`). */
  edit?: boolean;
  /** The tool a double-click on empty canvas runs (one on the board). */
  onDoubleClick?: boolean;
  /** Makes what text pasted from outside the board becomes (a note with it), at `at`; resolves like `run`. */
  fromText?: (store: BoardStore, viewId: string, at: Point, text: string) => Promise<unknown>;
  /**
   * Creates at `at` (the top-left corner). Resolves to the flow ids created, which become the
   * selection, or to anything else when there are none to select (a tool opening a dialog).
   */
  run: (store: BoardStore, viewId: string, at: Point) => Promise<unknown>;
  /**
   * A tool that draws: its key and toolbar button arm it (board/tool.ts) instead of running it,
   * and a drag on the canvas (board/DrawLayer.tsx) makes what it draws; the board then selects again.
   */
  draw?: DrawTool;
}

/** What a drag on the canvas with a drawing tool armed gave, in flow coordinates. */
export type Drawn =
  /** A box dragged (Shift: a square), or the tool's default size centred on a click (`dragged` false). */
  | { gesture: "box"; box: Box; dragged: boolean }
  /** A line from one point to another, with the flow ids of the items under each end (null: empty canvas). */
  | { gesture: "line"; from: Point; to: Point; fromItem: string | null; toItem: string | null; edgeKind: EdgeKind }
  /** The points of a freehand stroke, in the order drawn; with a pen that reports it, its pressure at each (0 to 1). */
  | { gesture: "stroke"; points: Point[]; pressure?: number[] };

/** How a tool draws: the gesture, its preview's outline (box gestures), and what it makes of a drawing. */
export interface DrawTool {
  gesture: Drawn["gesture"];
  outline?: "rectangle" | "ellipse" | "dashed";
  /** Resolves like `run`: to the flow ids (or edge ids) made, which become the selection. */
  make: (store: BoardStore, viewId: string, drawn: Drawn) => Promise<unknown>;
}

/** The flow ids a tool's `run` resolved to, if it says. */
export const createdIds = (result: unknown): string[] => (Array.isArray(result) && result.every((id) => typeof id === "string") ? result : []);

/** Something a tab of some kind may show (a view): its target and title. */
export interface TabTarget {
  target: string;
  title: string;
}

/** What an open tab shows: a view of the board, or a module's own content (a container's app) over it. */
export type TabShows = { title: string; viewId: string } | { title: string; viewId: null; content: ComponentType<{ target: string }> };

/** What a tab of some kind shows: the view it opens (or its content), how renaming it is sent, what may be opened, "+". */
export interface TabKindView {
  /** What the tab shows and its title, or null when it shows nothing here any more. */
  resolve: (doc: Y.Doc, tab: TabRecord) => TabShows | null;
  rename: (tab: { id: string; viewId: string | null }, name: string) => GatewayEvent[];
  /** What could be opened as a tab of this kind, in order, besides the targets already open. */
  openable?: (doc: Y.Doc, open: ReadonlySet<string>) => TabTarget[];
  /** The tab bar's "+": creates a new target (a view) for everyone; null when refused. */
  create?: (store: BoardStore) => Promise<TabTarget | null>;
}

/** A side panel of the project editor, with its toggle button. */
export interface SidePanel {
  id: string;
  label: string;
  icon: IconSpec;
  /** A hook: the count shown on its toggle (unread messages). */
  useBadge?: () => number;
  /** A hook: opens the panel whenever it turns to something new and truthy (a chat opened from the board). */
  useOpens?: () => unknown;
  component: ComponentType<{ names: ReadonlyMap<string, string> }>;
}

/** Another kind of xyflow node a module draws (the whiteboard's free shapes), by xyflow type. */
export interface FlowType {
  component: NodeTypes[string];
  minimap: MinimapColor;
  far?: FarLook;
  /** What the style panel may change of it. */
  styles?: readonly StyleProperty[];
}

/** A piece of text on a view that the board's search finds, and the item it jumps to. */
export interface SearchHit {
  /** The flow id to centre and select. */
  id: string;
  /** What it is, in a word ("Note", "Group"). */
  kind: string;
  text: string;
}

/** A module's web side. */
export interface WebModule {
  /** What a project member works on with it, in a word or two ("notes"), for the members page. */
  memberWork?: string;
  /** Its title over its permissions (the roles page). */
  title: string;
  /** Every permission the gateway module declares, in words. */
  permissions: Readonly<Record<string, string>>;
  /** Views of the node kinds it creates (its gateway module's `nodeKinds`): the registry must cover them all. */
  nodes?: Readonly<Record<string, NodeView>>;
  flowTypes?: Readonly<Record<string, FlowType>>;
  tools?: readonly CreateTool[];
  tabs?: Readonly<Partial<Record<TabRecord["kind"], TabKindView>>>;
  panels?: readonly SidePanel[];
  /** What it draws over the whole editor, mounted once with it (a dialog its tool opens); each shows itself from the module's own state. */
  overlays?: readonly ComponentType[];
  /** The text of its items on a view, for the board's search (Ctrl+F). */
  search?: (doc: Y.Doc, viewId: string) => SearchHit[];
  /**
   * What files dropped or pasted onto the board become (images): `place` gives the top-left
   * corner for something of a size, where they were dropped or the pointer is. Resolves to the
   * flow ids made. The first module that takes any of the files gets them all.
   */
  fromFiles?: { takes: (file: File) => boolean; add: (store: BoardStore, viewId: string, files: readonly File[], place: (size: { width: number; height: number }) => Point) => Promise<unknown> };
  /** What undo of a delete brings back of this module's own records about deleted nodes (a chat's anchor). */
  afterDelete?: {
    save: (doc: Y.Doc, doomed: ReadonlySet<string>) => unknown;
    restore: (doc: Y.Doc, saved: unknown, back: ReadonlySet<string>) => GatewayEvent[];
  };
}
