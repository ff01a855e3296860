/**
 * The one registry of the modules' web sides, typed over the gateway's module names
 * (gateway-do/src/modules/registry.ts): a gateway module without a web side, or a node kind
 * core-graph knows that no module draws, fails the typecheck. The board, the tab bar, the
 * project editor and the roles page read every kind's views here.
 */
import type { NodeTypes } from "@xyflow/react";
import type { ComponentType } from "react";
import type { ModuleName, NodeKind, TabKind } from "../../../gateway-do/src/modules/registry";
import type { StyleProperty } from "../../../gateway-do/src/modules/whiteboard/styles";
import { chats } from "./chats";
import { coreGraph } from "./core-graph";
import type { CreateTool, FarLook, FlowType, MinimapColor, NodeView, SidePanel, TabKindView, WebModule } from "./kit";
import { images } from "./images";
import { jupyter } from "./jupyter";
import { notes } from "./notes";
import { oidc } from "./oidc";
import { roles } from "./roles";
import { tabs } from "./tabs";
import { userContainers } from "./user-containers";
import { whiteboard } from "./whiteboard";

/** A web side for every gateway module, and for nothing else. */
export type WebRegistry = { readonly [N in ModuleName]: WebModule };

/**
 * The registry: one line per module. A function, read on first use: the modules import board
 * code (commands, the node frame) that imports this file, so a module may still be loading
 * when this file is.
 */
const registered = () => ({ "core-graph": coreGraph, notes, chats, whiteboard, tabs, roles, "user-containers": userContainers, oidc, jupyter, images }) as const satisfies WebRegistry;
type WebModules = ReturnType<typeof registered>;

type KindsOf<M> = M extends { nodes: infer N } ? keyof N : never;
/** The node kinds the modules' web sides draw. */
export type ViewedNodeKinds = { [N in ModuleName]: KindsOf<WebModules[N]> }[ModuleName];
/** Node kinds core-graph knows that no module's web side draws: must be none. */
export type NodeKindsWithoutView = Exclude<NodeKind, ViewedNodeKinds>;
/** Fails the typecheck, naming the kind, when a node kind has no view. */
export const everyNodeKindHasAView: [NodeKindsWithoutView] extends [never] ? true : NodeKindsWithoutView = true;

type TabKindsOf<M> = M extends { tabs: infer T } ? keyof T : never;
/** Tab kinds the gateway's modules declare that no module's web side shows: must be none. */
export type TabKindsWithoutView = Exclude<TabKind, { [N in ModuleName]: TabKindsOf<WebModules[N]> }[ModuleName]>;
/** Fails the typecheck, naming the kind, when a tab kind has no view. */
export const everyTabKindHasAView: [TabKindsWithoutView] extends [never] ? true : TabKindsWithoutView = true;

const SECTIONS: readonly CreateTool["section"][] = ["create", "shapes"];

/** What the board reads, gathered from every module on first use. */
function gather() {
  const webModules = registered();
  const all: readonly WebModule[] = Object.values(webModules);
  // Read while a module was still loading (an import cycle): say so, rather than keep a registry missing it.
  if (all.some((m) => m === undefined)) throw new Error("web/src/modules/registry.ts was read while a module was still loading");
  const nodeViews = new Map<string, NodeView>(all.flatMap((m) => Object.entries(m.nodes ?? {})));
  const flowTypes = new Map<string, FlowType>(all.flatMap((m) => Object.entries(m.flowTypes ?? {})));
  return {
    byName: new Map<string, WebModule>(Object.entries(webModules)),
    nodeViews,
    flowTypes,
    nodeTypes: Object.fromEntries([
      ...[...nodeViews].map(([kind, view]) => [kind, view.component] as const),
      ...[...flowTypes].map(([type, t]) => [type, t.component] as const),
    ]) as NodeTypes,
    // Creating things first (notes, chats), then shapes: on the toolbar and in the board's menu alike.
    createTools: all.flatMap((m) => m.tools ?? []).sort((a, b) => SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section)),
    memberWork: all.flatMap((m) => (m.memberWork ? [m.memberWork] : [])),
    // Keys of a Partial<Record<tab kind, …>>: tab kinds.
    tabKinds: all.flatMap((m) => Object.entries(m.tabs ?? {}).filter((e): e is [TabKind, TabKindView] => e[1] !== undefined)),
    sidePanels: all.flatMap((m) => m.panels ?? []),
    overlays: all.flatMap((m) => m.overlays ?? []),
    afterDeletes: all.flatMap((m) => (m.afterDelete ? [m.afterDelete] : [])),
    permissionLabels: new Map(all.flatMap((m) => Object.entries(m.permissions))),
  };
}
let gathered: ReturnType<typeof gather> | null = null;
const registry = () => (gathered ??= gather());

/** A module's web side by name (undefined for a name the gateway does not register). */
export const webModuleOf = (name: string): WebModule | undefined => registry().byName.get(name);

/** The view of a node kind. */
export const nodeViewOf = (kind: string): NodeView | undefined => registry().nodeViews.get(kind);
/** Every node kind with a view, and its view. */
export const allNodeViews = (): ReadonlyMap<string, NodeView> => registry().nodeViews;

/** For <ReactFlow nodeTypes>: always the same object, so xyflow never sees a new one. */
export const nodeTypes = (): NodeTypes => registry().nodeTypes;

const FALLBACK_MINIMAP: MinimapColor = { small: "#d6d3d1", big: "#a8a29e" };
/** The minimap colour of an xyflow node type. */
export const minimapColorOf = (type: string | undefined): MinimapColor =>
  (type !== undefined ? (registry().nodeViews.get(type)?.minimap ?? registry().flowTypes.get(type)?.minimap) : undefined) ?? FALLBACK_MINIMAP;

/** How an xyflow node type is drawn zoomed far out: its kind's look, else a box in its minimap colours. */
export const farLookOf = (type: string | undefined): FarLook => {
  const declared = type !== undefined ? (registry().nodeViews.get(type)?.far ?? registry().flowTypes.get(type)?.far) : undefined;
  if (declared) return declared;
  const { small, big } = minimapColorOf(type);
  return { outline: "box", radius: 6, fill: small, stroke: big, strokeWidth: 1 };
};

/** The tools creating things, in registry order. */
export const createTools = (): readonly CreateTool[] => registry().createTools;

/** How each tab kind is shown; a tab of a kind no module shows is not shown. */
export const tabKindOf = (kind: TabKind): TabKindView | undefined => registry().tabKinds.find(([k]) => k === kind)?.[1];
/** Every tab kind some module shows, with its view, in registry order. */
export const tabKinds = (): readonly (readonly [TabKind, TabKindView])[] => registry().tabKinds;

/** The project editor's side panels. */
export const sidePanels = (): readonly SidePanel[] => registry().sidePanels;

/** What the modules draw over the editor (their dialogs). */
export const boardOverlays = (): readonly ComponentType[] => registry().overlays;

/** Every module's own records about deleted nodes that undo brings back. */
export const afterDeletes = () => registry().afterDeletes;

/** What a project member does on the board, module by module ("notes, chats, views, tabs"). */
export const memberWork = (): readonly string[] => registry().memberWork;

/** A declared permission in words. */
export const permissionLabelOf = (permission: string): string | undefined => registry().permissionLabels.get(permission);

/** What the style panel may change of an xyflow node type (none for a type that says nothing). */
export const stylesOfType = (type: string | undefined): readonly StyleProperty[] =>
  (type !== undefined ? (registry().nodeViews.get(type)?.styles ?? registry().flowTypes.get(type)?.styles) : undefined) ?? [];

/** What takes files dropped or pasted onto the board (the images module's). */
export const fileTakers = (): readonly NonNullable<WebModule["fromFiles"]>[] => [...registry().byName.values()].flatMap((m) => (m.fromFiles ? [m.fromFiles] : []));

/** Every module's text finder, for the board's search. */
export const searchers = (): readonly NonNullable<WebModule["search"]>[] => [...registry().byName.values()].flatMap((m) => (m.search ? [m.search] : []));
