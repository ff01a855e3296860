/**
 * A code cell on the board: its prompt (`In [n]:`, `[*]` running), its kernel with the kernel's
 * state live, Run / Interrupt / Restart / Clear, its code (CodeMirror on the shared Y.Text) and
 * its outputs as they stream in. Only the header drags it. Zoomed out: the prompt and the
 * code's first line.
 */
import "./jupyter.css";
import type { Node, NodeProps } from "@xyflow/react";
import { useCallback, useRef, useState, useSyncExternalStore } from "react";
import type * as Y from "yjs";
import type { CellRecord, KernelRecord } from "../../../../protocol/jupyter";
import type { GraphNodeData } from "../../board/flow-model";
import { Icon } from "../../board/Icon";
import { NodeFrame } from "../../board/nodes/NodeFrame";
import { useEditRequest } from "../../board/edit-request";
import { useBoard, useBoardStore } from "../../board/store-context";
import { useFarZoom } from "../../board/zoom";
import { allows, useGrants } from "../user-containers/access";
import { containersState } from "../user-containers/records";
import { CellEditor } from "./CellEditor";
import { CellMenu } from "./CellMenu";
import { CellOutputs } from "./CellOutputs";
import { clearCells, kernelAction, runCells } from "./commands";
import { KernelPicker } from "./KernelPicker";
import { cellPermission, kernelPermission, whyNotRun } from "./permissions";
import { useCell, useKernels, useOutputs, useSource } from "./records";
import { mayTypeInTerminal } from "../user-containers/permissions";

/** A code cell, as a 24×24 line icon: angle brackets. */
export const CELL_ICON = { d: "M9 7l-5 5 5 5 M15 7l5 5-5 5" };
const RUN_ICON = { d: "M7 5l12 7-12 7z" };
const STOP_ICON = { d: "M7 7h10v10H7z" };
const RESTART_ICON = { d: "M20 12a8 8 0 1 1-2.34-5.66 M20 4v5h-5" };
const CLEAR_ICON = { d: "M5 19h14 M7 15l8-10 4 3-8 10H7z" };

/** The prompt before a cell's code, as Jupyter writes it. */
export function promptOf(cell: CellRecord | undefined): { text: string; hint: string } {
  if (!cell) return { text: "In [ ]:", hint: "Not run yet" };
  switch (cell.run) {
    case "queued":
      return { text: "In [ ]:", hint: "Queued: it runs after the cells before it on its kernel" };
    case "running":
      return { text: "In [*]:", hint: "Running" };
    case "error":
      return { text: `In [${cell.executionCount ?? " "}]:`, hint: `It raised an error${tookOf(cell)}` };
    case "aborted":
      return { text: `In [${cell.executionCount ?? " "}]:`, hint: "Aborted: it did not run to its end" };
    default:
      return { text: `In [${cell.executionCount ?? " "}]:`, hint: cell.run === "done" ? `Ran${tookOf(cell)}` : "Not run yet" };
  }
}

/** How long the last run took, for the prompt's tooltip: " in 1.2 s". */
function tookOf(cell: CellRecord): string {
  if (cell.startedAt === null || cell.endedAt === null) return "";
  const ms = Math.max(0, cell.endedAt - cell.startedAt);
  return ms < 1000 ? ` in ${ms} ms` : ms < 60_000 ? ` in ${(ms / 1000).toFixed(1)} s` : ` in ${Math.round(ms / 60_000)} min`;
}

export function CellNode(props: NodeProps<Node<GraphNodeData>>) {
  const far = useFarZoom();
  return far ? <FarCell {...props} /> : <FullCell {...props} />;
}

const firstLine = (code: string) => code.split("\n").find((l) => l.trim() !== "")?.slice(0, 80) ?? "";

/** The code's first line, re-rendering only when that changes. */
function useFirstLine(text: Y.Text | undefined): string {
  const subscribe = useCallback(
    (changed: () => void) => {
      text?.observe(changed);
      return () => text?.unobserve(changed);
    },
    [text],
  );
  return useSyncExternalStore(subscribe, () => firstLine(text?.toString() ?? ""));
}

function FarCell({ id, data, selected }: NodeProps<Node<GraphNodeData>>) {
  const cell = useCell(id);
  const line = useFirstLine(useSource(id));
  return (
    <NodeFrame id={id} kind="cell" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} far>
      <div className={`jp-far node-handle jp-run-${cell?.run ?? "idle"}`}>
        <span className="jp-prompt">{promptOf(cell).text}</span>
        <code>{line || "Empty cell"}</code>
      </div>
    </NodeFrame>
  );
}

function FullCell({ id, data, selected }: NodeProps<Node<GraphNodeData>>) {
  const store = useBoardStore();
  const cell = useCell(id);
  const text = useSource(id);
  const outputs = useOutputs(id);
  const kernels = useKernels();
  const containers = useBoard(() => containersState(store));
  const grants = useGrants();
  const can = useCallback((permission: string) => allows(grants, permission), [grants]);
  const [menu, setMenu] = useState(false);
  const closeMenu = useCallback(() => setMenu(false), []);
  const focus = useRef<(() => void) | null>(null);
  const setFocus = useCallback((f: (() => void) | null) => (focus.current = f), []);
  useEditRequest(id, () => focus.current?.());

  const kernel: KernelRecord | undefined = cell?.kernel ? kernels.get(cell.kernel) : undefined;
  const container = kernel ? containers.get(kernel.container) : undefined;
  const userId = store.me.userId;
  const canEdit = can(cellPermission(id, "edit"));
  const inFlight = cell?.run === "queued" || cell?.run === "running";
  const whyNot = cell ? (whyNotRun(id, kernel, container, userId, can, grants) ?? (inFlight ? `Already ${cell.run}.` : null)) : "This cell is still loading.";
  const run = () => {
    if (whyNot === null) void runCells(store, [id]);
    else store.toast(whyNot, "info");
  };
  // Acting on a kernel is acting on its container's processes: the gateway asks the container's terminal rule too.
  const mayTypeThere = !container || mayTypeInTerminal(container, userId, grants);
  const mayDrive = kernel !== undefined && can(kernelPermission(kernel.id)) && mayTypeThere;
  const noDriving = mayTypeThere ? "Your roles in this project do not let you interrupt, restart or shut down kernels." : "Interrupting, restarting or shutting down a kernel is for those who may type in its container: ask its owner.";
  const interruptWhy = !kernel ? "No kernel." : !mayDrive ? noDriving : kernel.state !== "busy" ? `Nothing to interrupt: the kernel is ${kernel.state}.` : null;
  const restartWhy = !kernel ? "No kernel." : !mayDrive ? noDriving : container && container.state !== "running" ? `${container.name} is ${container.state}: start it first.` : null;
  const clearWhy = !canEdit ? "Your roles in this project do not let you change this cell." : outputs.length === 0 ? "No outputs to clear." : null;
  const prompt = promptOf(cell);
  const frame = { id, kind: "cell", selected: !!selected, locked: data.locked, selectedBy: data.selectedBy, minWidth: 280, minHeight: 120 };

  return (
    <NodeFrame {...frame}>
      <header className="node-handle jp-head">
        <span className={`jp-prompt jp-run-${cell?.run ?? "idle"}`} title={prompt.hint} data-testid="cell-prompt">
          {prompt.text}
        </span>
        <KernelPicker
          cell={id}
          kernel={kernel}
          kernels={kernels}
          containers={containers}
          locked={!canEdit ? "Your roles in this project do not let you change this cell's kernel." : inFlight ? "The cell is running: interrupt it, or wait, before choosing another kernel." : null}
          userId={userId}
          can={can}
          grants={grants}
        />
        <span className="jp-spacer" />
        <ToolButton icon={RUN_ICON} label="Run" why={whyNot} title="Run this cell (Shift+Enter)" onClick={run} primary />
        <ToolButton icon={STOP_ICON} label="Interrupt" why={interruptWhy} title="Interrupt the kernel: stops the cell it runs" onClick={() => kernel && void kernelAction(store, "interrupt", kernel.id)} />
        <ToolButton icon={RESTART_ICON} label="Restart" why={restartWhy} title="Restart the kernel: its variables are lost, queued cells are aborted" onClick={() => kernel && void kernelAction(store, "restart", kernel.id)} />
        <ToolButton icon={CLEAR_ICON} label="Clear" why={clearWhy} title="Clear this cell's outputs" onClick={() => void clearCells(store, [id])} />
        <button type="button" className="jp-more nodrag" aria-label="Cell actions" aria-haspopup="menu" aria-expanded={menu} onClick={() => setMenu((m) => !m)}>
          ⋯
        </button>
      </header>
      {menu && <CellMenu cell={id} kernel={kernel} driveWhy={mayDrive ? null : noDriving} onClose={closeMenu} />}
      <div className="jp-body">
        {text ? <CellEditor text={text} readOnly={!canEdit} onRun={run} focusRef={setFocus} /> : <div className="jp-editor muted">Loading…</div>}
        <CellOutputs outputs={outputs} />
      </div>
    </NodeFrame>
  );
}

/** A header button: an icon, disabled with the reason as its tooltip. */
function ToolButton({ icon, label, title, why, onClick, primary = false }: { icon: { d: string }; label: string; title: string; why: string | null; onClick: () => void; primary?: boolean }) {
  return (
    <button type="button" className={`jp-tool nodrag${primary ? " is-primary" : ""}`} aria-label={label} title={why ?? title} disabled={why !== null} onClick={onClick}>
      <Icon name={icon} />
    </button>
  );
}
