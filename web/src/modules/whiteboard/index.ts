/**
 * whiteboard on the web: the group and frame nodes (ungroup; undo of a delete grouping or
 * framing their children again; a frame's export), the free shapes with their tools and default
 * sizes (an arrow drawn onto shapes binds to them), and view tabs.
 */
import type * as Y from "yjs";
import { nodesOf } from "../../../../gateway-do/src/modules/core-graph";
import { shapePosition } from "../../../../gateway-do/src/modules/whiteboard/frames";
import { absolutePosition, groupNamesOf, placementKey, placementsOf, shapesOf, viewsOf } from "../../../../gateway-do/src/modules/whiteboard/placements";
import type { SHAPE_KINDS } from "../../../../gateway-do/src/modules/whiteboard/schema";
import type { StyleProperty } from "../../../../gateway-do/src/modules/whiteboard/styles";
import { addShapesCommand, combine, connectCommand, createFrameCommand, newItemId } from "../../board/commands";
import { FRAME, boardBoxes, frameAt, itemsWithin } from "../../board/frames";
import { type ShapeFlowNode, shapeFlowId, shapeIdOf } from "../../board/flow-model";
import type { IconSpec } from "../../board/Icon";
import { centredOn } from "../../board/placement";
import type { BoardStore } from "../../board/store";
import { armTool } from "../../board/tool";
import type { Box, CreateTool, DrawTool, Drawn, FlowType, Point, WebModule } from "../kit";
import { defineNodeView } from "../kit";
import type { NodeProps, NodeTypes } from "@xyflow/react";
import type { ComponentType } from "react";
import { FRAME_FAR, GROUP_FAR, SHAPE_FAR } from "./far";
import { FRAME_NAME, FrameNode, GROUP_NAME, GroupNode } from "./GroupNode";
import { DrawShape } from "./DrawShape";
import { ArrowShape, EllipseShape, RectangleShape, TextShape } from "./ShapeNodes";
import { bindableItem } from "./arrow-ends";
import { ARROW_MARGIN, STROKE_MARGIN, thin, toShapePoints } from "./strokes";

type ShapeKind = (typeof SHAPE_KINDS)[number];

/** Whether a node is a group (what Ungroup acts on). */
export const isGroup = (doc: Y.Doc, nodeId: string) => nodesOf(doc).get(nodeId)?.kind === "group";

/** A group's or frame's name, if it has one of its own. */
const nameLookup = (doc: Y.Doc) => {
  const names = groupNamesOf(doc);
  return (nodeId: string) => {
    const name = names.get(nodeId);
    return typeof name === "string" ? name : undefined;
  };
};

const group = defineNodeView({
  component: GroupNode,
  lookup: nameLookup,
  data: (base, name) => ({ ...base, name }),
  minimap: { small: "transparent", big: "#a8a29e" },
  far: GROUP_FAR,
  connectable: false,
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

/** A frame's box, name, and what it holds on the view, each where it lies on the board (for undo of its delete). */
interface SavedFrame {
  box: Box;
  name: string | undefined;
  nodes: { id: string; x: number; y: number }[];
  shapes: { id: string; x: number; y: number }[];
}

const frame = defineNodeView({
  component: FrameNode,
  lookup: nameLookup,
  data: (base, name) => ({ ...base, name }),
  minimap: { small: "#f5f5f4", big: "#d6d3d1" },
  far: FRAME_FAR,
  connectable: false,
  styles: ["fill", "stroke", "strokeWidth", "strokeStyle"],
  // Copied with what it holds (board/clipboard.ts), pasted holding the copies.
  clipboard: {
    copy: (doc, viewId, nodeId): (Box & { name: string | undefined }) | null => {
      const placement = placementsOf(doc).get(placementKey(viewId, nodeId));
      return placement ? { ...absolutePosition(doc, placement), width: placement.width, height: placement.height, name: groupNamesOf(doc).get(nodeId) } : null;
    },
    paste: (store, viewId, items) => {
      const made = items.map((f) => createFrameCommand(store, viewId, f, f.name ?? FRAME_NAME, []));
      return { ...combine(made), ids: made.map((c) => c.id) };
    },
  },
  menu: [
    { label: "Export frame as PNG", place: "arrange", run: ({ store, nodeId, actions }) => (store.setSelection(new Set([nodeId])), actions.exportSelection("png")) },
    { label: "Export frame as SVG", place: "arrange", run: ({ store, nodeId, actions }) => (store.setSelection(new Set([nodeId])), actions.exportSelection("svg")) },
  ],
  restore: {
    save: (doc, viewId, nodeId): SavedFrame | null => {
      const placement = placementsOf(doc).get(placementKey(viewId, nodeId));
      if (!placement) return null;
      return {
        box: { ...absolutePosition(doc, placement), width: placement.width, height: placement.height },
        name: groupNamesOf(doc).get(nodeId),
        nodes: [...placementsOf(doc).values()].filter((p) => p.viewId === viewId && p.parent === nodeId).map((p) => ({ id: p.nodeId, ...absolutePosition(doc, p) })),
        shapes: [...shapesOf(doc).values()].filter((s) => s.viewId === viewId && s.parent === nodeId).map((s) => ({ id: s.id, ...shapePosition(doc, s) })),
      };
    },
    // Back where it was, taking back what is there again (a shape brought back by the same undo comes back in it by itself).
    restore: (doc, viewId, frameId, saved: SavedFrame, present) => {
      const nodes = saved.nodes.filter((n) => present(n.id));
      const shapes = saved.shapes.filter((s) => shapesOf(doc).has(s.id));
      return [
        { type: "whiteboard:create-frame", id: frameId, viewId, ...saved.box, ...(saved.name ? { name: saved.name } : {}) },
        ...(nodes.length + shapes.length > 0 ? [{ type: "whiteboard:set-frame" as const, viewId, frameId, nodes, shapes }] : []),
      ];
    },
    order: 1,
  },
});

/** A frame's size made with a click (or from the menu). */
const FRAME_SIZE = { width: 480, height: 320 };

/** Makes a frame over `box`, taking in what lies wholly within it, named after the frames already on the view. */
async function makeFrame(store: BoardStore, viewId: string, box: Box): Promise<string[]> {
  const frames = [...placementsOf(store.doc).values()].filter((p) => p.viewId === viewId && nodesOf(store.doc).get(p.nodeId)?.kind === FRAME).length;
  const sized = { ...box, width: Math.max(MIN_FRAME.width, box.width), height: Math.max(MIN_FRAME.height, box.height) };
  const command = createFrameCommand(store, viewId, sized, `${FRAME_NAME} ${frames + 1}`, itemsWithin(store.getSnapshot().nodes, sized));
  return (await store.run(command)) ? [command.id] : [];
}
const MIN_FRAME = { width: 120, height: 80 };

const frameTool: CreateTool = {
  section: "shapes",
  icon: { d: "M7 3v18 M17 3v18 M3 7h18 M3 17h18" },
  label: "",
  title: "Frame (F)",
  menuLabel: "Frame",
  key: "f",
  size: FRAME_SIZE,
  edit: false,
  draw: { gesture: "box", outline: "dashed", make: async (store, viewId, drawn) => (drawn.gesture === "box" ? makeFrame(store, viewId, drawn.box) : []) },
  run: (store, viewId, at) => makeFrame(store, viewId, { ...at, ...FRAME_SIZE }),
};

/** Each shape kind: its view, the tool adding it, and the size and text it starts with. */
const BOX_STYLES: readonly StyleProperty[] = ["stroke", "fill", "strokeWidth", "strokeStyle", "fontSize"];
const SHAPES = {
  rectangle: { component: RectangleShape, icon: "rectangle", title: "Rectangle (R)", menuLabel: "Rectangle", key: "r", width: 200, height: 120, text: "", edit: false, styles: BOX_STYLES },
  ellipse: { component: EllipseShape, icon: "ellipse", title: "Ellipse (O)", menuLabel: "Ellipse", key: "o", width: 200, height: 120, text: "", edit: false, styles: BOX_STYLES },
  arrow: { component: ArrowShape, icon: "arrow", title: "Arrow (A)", menuLabel: "Arrow", key: "a", width: 200, height: 40, text: "", edit: false, styles: ["stroke", "strokeWidth", "strokeStyle", "arrowheads"] },
  // A label is for typing: it opens with its text selected. Its stroke is its text's colour.
  text: { component: TextShape, icon: "text", title: "Text label (T)", menuLabel: "Text", key: "t", width: 220, height: 48, text: "Label", edit: true, styles: ["stroke", "fontSize"] },
  // The pen: its width is the stroke's thickness, its stroke the ink.
  draw: { component: DrawShape, icon: { d: "M4 20l4-1L19 8l-3-3L5 16z M14 7l3 3 M4 20c3-3 6 1 9-1s4-2 7-1" }, title: "Pen (P)", menuLabel: "Pen", key: "p", width: 0, height: 0, text: "", edit: false, styles: ["stroke", "strokeWidth"] },
} satisfies {
  [K in ShapeKind]: {
    component: ComponentType<NodeProps<ShapeFlowNode<K>>>;
    icon: IconSpec;
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

/** The smallest side a dragged box gets (a flick of the pointer still makes a shape that can be grabbed). */
const MIN_DRAWN = 16;

/** Makes shapes and resolves to their flow ids (empty when refused). One made with its centre in a frame goes in it. */
async function addShapes(store: BoardStore, viewId: string, shapes: Parameters<typeof addShapesCommand>[2]): Promise<string[]> {
  const nodes = store.getSnapshot().nodes;
  const boxes = boardBoxes(nodes);
  const framed = shapes.map((s) => {
    const parent = frameAt(nodes, boxes, { x: s.x + s.width / 2, y: s.y + s.height / 2 });
    const origin = parent ? boxes.get(parent)! : null;
    return origin ? { ...s, parent: parent!, x: s.x - origin.x, y: s.y - origin.y } : s;
  });
  const command = addShapesCommand(store, viewId, framed);
  return (await store.run(command)) ? command.ids : [];
}

/** A box-shaped kind drawn by dragging its box. */
const boxTool = (kind: "rectangle" | "ellipse" | "text", outline: DrawTool["outline"]): DrawTool => ({
  gesture: "box",
  outline,
  make: async (store, viewId, drawn) => {
    if (drawn.gesture !== "box") return [];
    const { x, y, width, height } = drawn.box;
    return addShapes(store, viewId, [{ kind, x, y, width: Math.max(MIN_DRAWN, Math.round(width)), height: Math.max(MIN_DRAWN, Math.round(height)), text: SHAPES[kind].text }]);
  },
});

/**
 * The arrow: dragged from one board node to another (notes, chats, cells: those with handles), an edge between them,
 * with its arrowhead, that follows them when they move (the board's own connection, of the kind
 * chosen for links); from or onto a drawn shape, an arrow bound to what is under each of its ends,
 * following it (geometry.ts); dragged anywhere else, a free arrow from where it started to where
 * it ended; a click, the default arrow there.
 */
const arrowTool: DrawTool = {
  gesture: "line",
  make: async (store, viewId, drawn: Drawn) => {
    if (drawn.gesture !== "line") return [];
    const { fromItem, toItem } = drawn;
    // Nodes with handles (notes, chats, cells…) are linked by an edge; groups and frames have none, and bind an arrow like shapes.
    const nodes = store.getSnapshot().nodes;
    const linkable = (item: string | null) => item !== null && shapeIdOf(item) === null && (nodes.find((n) => n.id === item)?.handles?.length ?? 0) > 0;
    if (fromItem !== toItem && linkable(fromItem) && linkable(toItem)) {
      const id = newItemId();
      return (await store.run(connectCommand(store, fromItem!, toItem!, drawn.edgeKind, id))) ? [id] : [];
    }
    const { width, height } = SHAPES.arrow;
    if (Math.hypot(drawn.to.x - drawn.from.x, drawn.to.y - drawn.from.y) < MIN_DRAWN) return addShapes(store, viewId, [{ kind: "arrow", ...centredOn(drawn.from, { width, height }), width, height }]);
    const from = bindableItem(store, viewId, fromItem);
    const to = toItem !== fromItem ? bindableItem(store, viewId, toItem) : undefined;
    const { box, points } = toShapePoints([drawn.from, drawn.to], ARROW_MARGIN);
    return addShapes(store, viewId, [{ kind: "arrow", ...box, points, ...(from ? { from } : {}), ...(to ? { to } : {}) }]);
  },
};

/** The pen: a freehand stroke, kept as its points on its box's grid, with a pen's pressure at each when it reports one. */
const penTool: DrawTool = {
  gesture: "stroke",
  make: async (store, viewId, drawn) => {
    if (drawn.gesture !== "stroke" || drawn.points.length === 0) return [];
    // Repeated points dropped and a long stroke thinned here, so each kept point keeps its own pressure.
    const pressed = drawn.points.map((p, i) => ({ ...p, pressure: drawn.pressure?.[i] ?? 0.5 }));
    const kept = thin(pressed.filter((p, i) => i === 0 || p.x !== pressed[i - 1]!.x || p.y !== pressed[i - 1]!.y));
    // A tap is a dot: the same point twice (a stroke needs two).
    const stroke = kept.length === 1 ? [kept[0]!, kept[0]!] : kept;
    const { box, points } = toShapePoints(stroke, STROKE_MARGIN);
    const twice = points.length < 4;
    const pressure = drawn.pressure ? stroke.map((p) => Math.round(Math.min(1, Math.max(0, p.pressure)) * 100)) : undefined;
    return addShapes(store, viewId, [
      { kind: "draw", ...box, points: twice ? [...points, ...points] : points, ...(pressure ? { pressure: twice ? [pressure[0]!, pressure[0]!] : pressure } : {}) },
    ]);
  },
};

const DRAW: Record<ShapeKind, DrawTool> = { rectangle: boxTool("rectangle", "rectangle"), ellipse: boxTool("ellipse", "ellipse"), text: boxTool("text", "dashed"), arrow: arrowTool, draw: penTool };

/** A shape kind's tool: its key and button arm it (a drag draws), its menu item makes the default size at a point. */
function shapeTool(kind: ShapeKind): CreateTool {
  const spec = SHAPES[kind];
  const tool: CreateTool = {
    section: "shapes",
    icon: spec.icon,
    label: "",
    title: spec.title,
    menuLabel: spec.menuLabel,
    key: spec.key,
    size: { width: spec.width, height: spec.height },
    edit: spec.edit,
    draw: DRAW[kind],
    run: async (store, viewId, at: Point) => {
      // Drawn only by hand: from the menu, the pen is armed.
      if (kind === "draw") return armTool(store, tool);
      return addShapes(store, viewId, [{ kind, ...at, width: spec.width, height: spec.height, text: spec.text }]);
    },
  };
  return tool;
}

const SHAPE_MINIMAP = { small: "#d6d3d1", big: "#a8a29e" };
const shapeKinds = Object.keys(SHAPES) as ShapeKind[];

export const whiteboard = {
  title: "Whiteboard",
  memberWork: "views",
  // Named groups and frames and shapes with text on the view.
  search: (doc, viewId) => [
    ...[...groupNamesOf(doc).entries()].flatMap(([id, name]) =>
      typeof name === "string" && placementsOf(doc).has(placementKey(viewId, id)) ? [{ id, kind: nodesOf(doc).get(id)?.kind === FRAME ? FRAME_NAME : GROUP_NAME, text: name }] : [],
    ),
    ...[...shapesOf(doc).values()].flatMap((s) => (s.viewId === viewId && s.text.trim() !== "" ? [{ id: shapeFlowId(s.id), kind: SHAPES[s.kind].menuLabel, text: s.text }] : [])),
  ],
  permissions: {
    "whiteboard:create": "Create views",
    "whiteboard:delete": "Delete shapes",
    "whiteboard:[shape:*]:update": "Change shapes' text and colour",
    "whiteboard:[view:*]:update": "Change views: rename, group, lock, shapes, colours and styles",
    "whiteboard:[group:*]:update": "Rename groups and frames",
    "whiteboard:[view:*]:delete": "Delete views",
    "whiteboard:[view:*]:move": "Place, move and resize on views",
  },
  nodes: { group, frame },
  flowTypes: Object.fromEntries(shapeKinds.map((kind) => [kind, { component: SHAPES[kind].component as NodeTypes[string], minimap: SHAPE_MINIMAP, far: SHAPE_FAR[kind], styles: SHAPES[kind].styles }])) as Record<ShapeKind, FlowType>,
  tools: [...shapeKinds.map(shapeTool), frameTool],
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
