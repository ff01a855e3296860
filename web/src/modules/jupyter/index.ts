/**
 * jupyter on the web: the code cell node (CodeMirror on its shared code, its kernel and its
 * outputs live), the Code cell tool (and C), running the view's cells in reading order from
 * the cell's menus, copy and paste of a cell's code, and undo of a delete bringing the cell
 * back with its code and kernel (its outputs were the run's, and are gone).
 */
import { sourcesOf } from "../../../../gateway-do/src/modules/jupyter/records";
import { absolutePosition, placementKey, placementsOf } from "../../../../gateway-do/src/modules/whiteboard/placements";
import type { GatewayEvent } from "../../gateway/messages";
import { type Box, type WebModule, defineNodeView } from "../kit";
import { CELL_ICON, CellNode } from "./CellNode";
import { CELL_SIZE, createCellsCommand, runView } from "./commands";
import { PERMISSION_WORDS } from "./permissions";
import { readCellKernel } from "./records";

/** A cell as Ctrl+C keeps it, and as undo of its delete brings it back: where it was, its code and kernel. */
type SavedCell = Box & { code: string; kernel: string | null };

function saveCell(doc: Parameters<typeof placementsOf>[0], viewId: string, nodeId: string): SavedCell | null {
  const placement = placementsOf(doc).get(placementKey(viewId, nodeId));
  if (!placement) return null;
  return { ...absolutePosition(doc, placement), width: placement.width, height: placement.height, code: sourcesOf(doc).get(nodeId)?.toString() ?? "", kernel: readCellKernel(doc, nodeId) };
}

const cell = defineNodeView({
  component: CellNode,
  data: (base) => base,
  dragHandle: ".node-handle",
  minimap: { small: "#c7d2fe", big: "#4f46e5" },
  // Zoomed far out: its card (board.css and its own .board-cell).
  far: { outline: "box", radius: 10, fill: "var(--card)", stroke: "var(--border)", strokeWidth: 1 },
  menu: [
    { label: "Run from this cell down", hint: "this view, in reading order", place: "top", run: ({ store, nodeId }) => runView(store, nodeId) },
    { label: "Run all cells of this view", place: "top", run: ({ store }) => runView(store) },
  ],
  clipboard: {
    copy: saveCell,
    paste: (store, viewId, items: SavedCell[]) => createCellsCommand(store, viewId, items),
  },
  restore: {
    save: saveCell,
    restore: (_doc, viewId, nodeId, c: SavedCell): GatewayEvent[] => [
      { type: "jupyter:create", id: nodeId, viewId, x: c.x, y: c.y, width: c.width, height: c.height, kernel: c.kernel, code: c.code },
    ],
  },
});

export const jupyter = {
  title: "Code cells",
  memberWork: "code cells",
  permissions: PERMISSION_WORDS,
  nodes: { cell },
  tools: [
    {
      section: "create",
      icon: CELL_ICON,
      label: "Code",
      title: "New code cell (C)",
      menuLabel: "New code cell here",
      key: "c",
      size: CELL_SIZE,
      edit: true,
      run: async (store, viewId, at) => {
        const command = createCellsCommand(store, viewId, [at]);
        return (await store.run(command)) ? command.ids : [];
      },
    },
  ],
} satisfies WebModule;
