/** Create (each module's tools: notes, chats, shapes) and arrange: group, lock, delete, undo/redo, and the kind of new edges. */
import { EDGE_KINDS } from "../../../gateway-do/src/modules/core-graph/schema";
import { createTools } from "../modules/registry";
import { type EdgeKind, SHAPE_PREFIX } from "./flow-model";
import { ExportMenu } from "./ExportMenu";
import { Icon, type IconSpec } from "./Icon";
import { useBoard, useBoardStore } from "./store-context";
import { armTool, useArmedTool } from "./tool";
import type { BoardActions } from "./use-board-actions";
import { Fragment } from "react";

const SECTIONS = ["create", "shapes"] as const;

interface Props {
  actions: BoardActions;
  edgeKind: EdgeKind;
  onEdgeKind: (kind: EdgeKind) => void;
}

export function Toolbar({ actions, edgeKind, onEdgeKind }: Props) {
  const store = useBoardStore();
  const armed = useArmedTool();
  const canUndo = useBoard((s) => s.canUndo);
  const canRedo = useBoard((s) => s.canRedo);
  const online = useBoard((s) => s.status === "online");
  // Grouping is for two or more nodes: never offered on one item alone (a group).
  const groupable = useBoard((s) => s.nodes.reduce((n, node) => n + (node.selected && !node.id.startsWith(SHAPE_PREFIX) ? 1 : 0), 0) > 1);
  // A drawing tool's button stays pressed while it is armed; pressed again, it gives way to select.
  const tool = (icon: IconSpec, label: string, title: string, run: () => unknown, disabled = !online, pressed?: boolean) => (
    <button type="button" title={title} aria-label={title} aria-pressed={pressed} disabled={disabled} onClick={() => void run()}>
      <Icon name={icon} />
      {label}
    </button>
  );
  return (
    <div className="board-toolbar" role="toolbar" aria-label="Board tools">
      {SECTIONS.map((section) => (
        <Fragment key={section}>
          {section === "shapes" && tool("select", "", "Select (V)", () => armTool(store, null), false, armed === null)}
          {createTools()
            .filter((t) => t.section === section)
            .map((t) => (
              <Fragment key={t.title}>{t.draw ? tool(t.icon, t.label, t.title, () => armTool(store, armed === t ? null : t), !online, armed === t) : tool(t.icon, t.label, t.title, () => actions.create(t))}</Fragment>
            ))}
          <span className="sep" />
        </Fragment>
      ))}
      {tool("group", "Group", "Group the selection (Ctrl+G)", actions.group, !online || !groupable)}
      {tool("ungroup", "Ungroup", "Ungroup (Shift+Ctrl+G)", actions.ungroup)}
      {tool("lock", "Lock", "Lock or unlock the selection (Ctrl+L)", actions.toggleLock)}
      {tool("trash", "", "Delete the selection (Del)", actions.deleteSelection)}
      <span className="sep" />
      {tool("undo", "", "Undo (Ctrl+Z)", actions.undo, !canUndo || !online)}
      {tool("redo", "", "Redo (Shift+Ctrl+Z)", actions.redo, !canRedo || !online)}
      <span className="sep" />
      {tool("search", "", "Search the board (Ctrl+F)", actions.search, false)}
      <ExportMenu />
      <span className="sep" />
      <label className="edge-kind" title="Kind of the edges you draw between nodes">
        Link
        <select value={edgeKind} onChange={(e) => onEdgeKind(e.target.value as EdgeKind)}>
          {EDGE_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
