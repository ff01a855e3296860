/**
 * whiteboard on the web: the group node (ungroup, and undo of a delete grouping its children
 * again), the free shapes with their tools and default sizes, and view tabs.
 */
import type * as Y from "yjs";
import { nodesOf } from "../../../../gateway-do/src/modules/core-graph";
import { groupNamesOf, placementKey, placementsOf, shapesOf, viewsOf } from "../../../../gateway-do/src/modules/whiteboard/placements";
import type { SHAPE_KINDS } from "../../../../gateway-do/src/modules/whiteboard/schema";
import type { StyleProperty } from "../../../../gateway-do/src/modules/whiteboard/styles";
import { addShapesCommand } from "../../board/commands";
import { type ShapeFlowNode, shapeFlowId } from "../../board/flow-model";
import type { IconName } from "../../board/Icon";
import type { CreateTool, FlowType, WebModule } from "../kit";
import { defineNodeView } from "../kit";
import type { NodeProps, NodeTypes } from "@xyflow/react";
import type { ComponentType } from "react";
import { GROUP_NAME, GroupNode } from "./GroupNode";
import { ArrowShape, EllipseShape, RectangleShape, TextShape } from "./ShapeNodes";

type ShapeKind = (typeof SHAPE_KINDS)[number];

/** Whether a node is a group (what Ungroup acts on). */
export const isGroup = (doc: Y.Doc, nodeId: string) => nodesOf(doc).get(nodeId)?.kind === "group";

const group = defineNodeView({
  component: GroupNode,
  // Its name, if it has one of its own.
  lookup: (doc) => {
    const names = groupNamesOf(doc);
    return (nodeId) => {
      const name = names.get(nodeId);
      return typeof name === "string" ? name : undefined;
    };
  },
  data: (base, name) => ({ ...base, name }),
  minimap: { small: "transparent", big: "#a8a29e" },
  styles: ["fill", "stroke", "strokeWidth", "strokeStyle"],
  menu: [{ label: "Ungroup", hint: "Shift+Ctrl+G", place: "arrange", run: ({ actions }) => actions.ungroup() }],
  restore: {
    // Its children on this view, and its name; the children that exist at undo time are grouped again under its id.
    save: (doc, viewId, nodeId) => ({
      children: [...placementsOf(doc).values()].filter((p) => p.viewId === viewId && p.parent === nodeId).map((p) => p.nodeId),
      name: groupNamesOf(doc).get(nodeId),
    }),
    restore: (_doc, viewId, groupId, saved: { children: string[]; name: string | undefined }, present) => {
      const back = saved.children.filter(present);
      if (back.length === 0) return null;
      const named = saved.name && saved.name !== GROUP_NAME ? [{ type: "whiteboard:rename-group" as const, groupId, name: saved.name }] : [];
      return [{ type: "whiteboard:group", viewId, nodeIds: back, groupId }, ...named];
    },
    order: 1,
  },
});

/** Each shape kind: its view, the tool adding it, and the size and text it starts with. */
const BOX_STYLES: readonly StyleProperty[] = ["stroke", "fill", "strokeWidth", "strokeStyle", "fontSize"];
const SHAPES = {
  rectangle: { component: RectangleShape, title: "Rectangle (R)", menuLabel: "Rectangle", key: "r", width: 200, height: 120, text: "", edit: false, styles: BOX_STYLES },
  ellipse: { component: EllipseShape, title: "Ellipse (O)", menuLabel: "Ellipse", key: "o", width: 200, height: 120, text: "", edit: false, styles: BOX_STYLES },
  arrow: { component: ArrowShape, title: "Arrow (A)", menuLabel: "Arrow", key: "a", width: 200, height: 40, text: "", edit: false, styles: ["stroke", "strokeWidth", "strokeStyle", "arrowheads"] },
  // A label is for typing: it opens with its text selected. Its stroke is its text's colour.
  text: { component: TextShape, title: "Text label (T)", menuLabel: "Text", key: "t", width: 220, height: 48, text: "Label", edit: true, styles: ["stroke", "fontSize"] },
} satisfies {
  [K in ShapeKind]: {
    component: ComponentType<NodeProps<ShapeFlowNode<K>>>;
    title: string;
    menuLabel: string;
    key: string;
    width: number;
    height: number;
    text: string;
    edit: boolean;
    styles: readonly StyleProperty[];
  };
};

const SHAPE_MINIMAP = { small: "#d6d3d1", big: "#a8a29e" };
const shapeKinds = Object.keys(SHAPES) as ShapeKind[];

export const whiteboard = {
  title: "Whiteboard",
  memberWork: "views",
  // Named groups and shapes with text on the view.
  search: (doc, viewId) => [
    ...[...groupNamesOf(doc).entries()].flatMap(([id, name]) => (typeof name === "string" && placementsOf(doc).has(placementKey(viewId, id)) ? [{ id, kind: "Group", text: name }] : [])),
    ...[...shapesOf(doc).values()].flatMap((s) => (s.viewId === viewId && s.text.trim() !== "" ? [{ id: shapeFlowId(s.id), kind: SHAPES[s.kind].menuLabel, text: s.text }] : [])),
  ],
  permissions: {
    "whiteboard:create": "Create views",
    "whiteboard:delete": "Delete shapes",
    "whiteboard:[shape:*]:update": "Change shapes' text and colour",
    "whiteboard:[view:*]:update": "Change views: rename, group, lock, shapes, colours and styles",
    "whiteboard:[group:*]:update": "Rename groups",
    "whiteboard:[view:*]:delete": "Delete views",
    "whiteboard:[view:*]:move": "Place, move and resize on views",
  },
  nodes: { group },
  flowTypes: Object.fromEntries(shapeKinds.map((kind) => [kind, { component: SHAPES[kind].component as NodeTypes[string], minimap: SHAPE_MINIMAP, styles: SHAPES[kind].styles }])) as Record<ShapeKind, FlowType>,
  tools: shapeKinds.map(
    (kind): CreateTool => ({
      section: "shapes",
      icon: kind satisfies IconName,
      label: "",
      title: SHAPES[kind].title,
      menuLabel: SHAPES[kind].menuLabel,
      key: SHAPES[kind].key,
      size: { width: SHAPES[kind].width, height: SHAPES[kind].height },
      edit: SHAPES[kind].edit,
      run: async (store, viewId, at) => {
        const { width, height, text } = SHAPES[kind];
        const command = addShapesCommand(store, viewId, [{ kind, ...at, width, height, text }]);
        return (await store.run(command)) ? command.ids : [];
      },
    }),
  ),
  tabs: {
    view: {
      resolve: (doc, tab) => {
        const view = viewsOf(doc).get(tab.target);
        return view ? { title: view.name, viewId: view.id } : null;
      },
      rename: (tab, name) => (tab.viewId === null ? [] : [{ type: "whiteboard:rename-view", viewId: tab.viewId, name }]),
      openable: (doc, open) =>
        [...viewsOf(doc).values()]
          .filter((v) => !open.has(v.id))
          .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
          .map((v) => ({ target: v.id, title: v.name })),
      create: async (store) => {
        const views = store.getSnapshot().views;
        const before = new Set(views.map((v) => v.id));
        const ok = await store.run({ events: [{ type: "whiteboard:create-view", name: `View ${views.length + 1}` }] });
        const created = ok ? store.getSnapshot().views.find((v) => !before.has(v.id)) : undefined;
        return created ? { target: created.id, title: created.name } : null;
      },
    },
  },
} satisfies WebModule;
