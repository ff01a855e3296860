/** The board's actions, shared by the toolbar, the context menu and the keyboard shortcuts; what each module creates comes from web/src/modules/. */
import { useReactFlow } from "@xyflow/react";
import { useMemo } from "react";
import { nodesOf } from "../../../gateway-do/src/modules/core-graph";
import { shapesOf } from "../../../gateway-do/src/modules/whiteboard/placements";
import type { Box, CreateTool } from "../modules/kit";
import { nodeViewOf } from "../modules/registry";
import { isGroup } from "../modules/whiteboard";
import { addShapesCommand, combine, deleteCommand, groupCommand, lockCommand, ungroupCommand } from "./commands";
import { type ShapeKind, shapeIdOf } from "./flow-model";
import type { BoardStore, Command } from "./store";
import { useBoardStore } from "./store-context";
import { FIT_PADDING } from "./zoom";

type Point = { x: number; y: number };

/** What Ctrl+C keeps: nodes (as their kind's view copies them) and shapes, relative to the copied area's corner. */
interface Clipboard {
  /** By node kind, in the order first copied. */
  nodes: Map<string, Box[]>;
  shapes: { kind: ShapeKind; x: number; y: number; width: number; height: number; text: string; color: string }[];
}

let clipboard: Clipboard | null = null;

function copySelection(store: BoardStore): Clipboard | null {
  const { doc } = store;
  const viewId = store.getSnapshot().viewId;
  const nodes = new Map<string, Box[]>();
  const shapes: Clipboard["shapes"] = [];
  for (const id of store.selected) {
    const shapeId = shapeIdOf(id);
    const shape = shapeId ? shapesOf(doc).get(shapeId) : undefined;
    if (shape) shapes.push({ kind: shape.kind, x: shape.x, y: shape.y, width: shape.width, height: shape.height, text: shape.text, color: shape.color });
    const kind = nodesOf(doc).get(id)?.kind;
    const copied = kind ? nodeViewOf(kind)?.clipboard?.copy(doc, viewId, id) : null;
    if (kind && copied) nodes.set(kind, [...(nodes.get(kind) ?? []), copied]);
  }
  const items = [...[...nodes.values()].flat(), ...shapes];
  if (items.length === 0) return null;
  const left = Math.min(...items.map((i) => i.x));
  const top = Math.min(...items.map((i) => i.y));
  return {
    nodes: new Map([...nodes].map(([kind, list]) => [kind, list.map((n) => ({ ...n, x: n.x - left, y: n.y - top }))])),
    shapes: shapes.map((s) => ({ ...s, x: s.x - left, y: s.y - top })),
  };
}

export function useBoardActions() {
  const store = useBoardStore();
  const flow = useReactFlow();
  return useMemo(() => {
    const viewId = () => store.getSnapshot().viewId;
    /** The middle of the screen, in flow coordinates, nudged so new items don't stack exactly. */
    const center = (): Point => {
      const pane = document.querySelector(".board-canvas")?.getBoundingClientRect();
      const p = flow.screenToFlowPosition({ x: (pane?.left ?? 0) + (pane?.width ?? 800) / 2, y: (pane?.top ?? 0) + (pane?.height ?? 600) / 2 });
      const jitter = () => Math.round((Math.random() - 0.5) * 60);
      return { x: p.x - 120 + jitter(), y: p.y - 80 + jitter() };
    };
    const selection = () => [...store.selected];
    const graphSelection = () => selection().filter((id) => shapeIdOf(id) === null && nodesOf(store.doc).has(id));
    return {
      center,
      /** Runs a module's creation tool (web/src/modules/), at the middle of the screen unless told where. */
      create: (tool: CreateTool, at = center()) => tool.run(store, viewId(), at),
      deleteSelection: () => {
        const ids = [...selection(), ...store.getSnapshot().edges.filter((e) => e.selected).map((e) => e.id)];
        if (ids.length > 0) void store.run(deleteCommand(store, viewId(), ids));
        store.setSelection(new Set());
      },
      selectAll: () => store.setSelection(new Set(store.getSnapshot().nodes.map((n) => n.id))),
      copy: () => {
        clipboard = copySelection(store) ?? clipboard;
      },
      paste: async (at?: Point) => {
        if (!clipboard) return;
        const origin = at ?? center();
        const { nodes, shapes } = clipboard;
        const parts: (Command & { ids: string[] })[] = [];
        for (const [kind, items] of nodes) {
          const paste = nodeViewOf(kind)?.clipboard?.paste;
          if (paste) parts.push(paste(store, viewId(), items.map((n) => ({ ...n, x: n.x + origin.x, y: n.y + origin.y }))));
        }
        parts.push(addShapesCommand(store, viewId(), shapes.map((s) => ({ ...s, x: s.x + origin.x, y: s.y + origin.y }))));
        // One undo step; what was pasted becomes the selection, ready to move.
        if (await store.run(combine(parts.filter((c) => c.events.length > 0)))) store.setSelection(new Set(parts.flatMap((c) => c.ids)));
      },
      toggleLock: () => {
        const ids = selection();
        if (ids.length === 0) return;
        const nodes = store.getSnapshot().nodes.filter((n) => store.selected.has(n.id));
        const lock = nodes.some((n) => !n.data.locked);
        void store.run(lockCommand(store, viewId(), ids, lock));
      },
      group: () => {
        const ids = graphSelection();
        if (ids.length < 1) return store.toast("Select the nodes to group first.", "info");
        void store.run(groupCommand(store, viewId(), ids));
      },
      ungroup: () => {
        const groups = graphSelection().filter((id) => isGroup(store.doc, id));
        if (groups.length === 0) return store.toast("Select a group to ungroup.", "info");
        for (const id of groups) void store.run(ungroupCommand(store, viewId(), id));
      },
      undo: () => void store.undo(),
      redo: () => void store.redo(),
      fit: () => void flow.fitView({ padding: FIT_PADDING, duration: 200 }),
      canPaste: () => clipboard !== null,
    };
  }, [store, flow]);
}

export type BoardActions = ReturnType<typeof useBoardActions>;
