/** The toolbar's Export: the view or the selection, as PNG or SVG, downloaded as a file (export-image.ts). */
import "./ExportMenu.css";
import { type ReactFlowInstance, useReactFlow } from "@xyflow/react";
import { useEffect, useRef, useState } from "react";
import { type ExportFormat, type ExportScope, boundsOf, download, exportFileName, exportedNodeIds, renderItems, renderView } from "./export-image";
import { IN_DOM, NO_ITEMS_IN_DOM } from "./far-flow";
import type { BoardStore } from "./store";
import { Icon } from "./Icon";
import { useBoard, useBoardStore } from "./store-context";
import { FAR_ZOOM } from "./zoom";

/** Resolves after `n` frames have been painted. */
const frames = (n: number): Promise<void> => new Promise((done) => (n <= 0 ? done() : requestAnimationFrame(() => void frames(n - 1).then(done))));

const CHOICES: { scope: ExportScope; format: ExportFormat; label: string }[] = [
  { scope: "view", format: "png", label: "View as PNG" },
  { scope: "view", format: "svg", label: "View as SVG" },
  { scope: "selection", format: "png", label: "Selection as PNG" },
  { scope: "selection", format: "svg", label: "Selection as SVG" },
];

export function ExportMenu() {
  const store = useBoardStore();
  const flow = useReactFlow();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const hasSelection = useBoard((s) => s.nodes.some((n) => n.selected));
  const root = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => !root.current?.contains(e.target as Node) && setOpen(false);
    window.addEventListener("mousedown", away);
    return () => window.removeEventListener("mousedown", away);
  }, [open]);

  const run = async (scope: ExportScope, format: ExportFormat) => {
    setOpen(false);
    setBusy(true);
    await exportBoard(store, flow, scope, format).finally(() => setBusy(false));
  };

  return (
    <span
      className="export-menu"
      ref={root}
      onKeyDown={(e) => {
        // Escape closes the menu (and only the menu: the selection stays, to export).
        if (e.key !== "Escape" || !open) return;
        e.stopPropagation();
        setOpen(false);
      }}
    >
      <button type="button" title="Export as an image" aria-label="Export as an image" aria-haspopup="menu" aria-expanded={open} disabled={busy} onClick={() => setOpen((o) => !o)}>
        <Icon name="download" />
        Export
      </button>
      {open && (
        <span className="export-choices" role="menu" aria-label="Export">
          {CHOICES.map((c) => (
            <button key={c.label} type="button" role="menuitem" disabled={c.scope === "selection" && !hasSelection} onClick={() => void run(c.scope, c.format)}>
              {c.label}
            </button>
          ))}
        </span>
      )}
    </span>
  );
}

/** Downloads the view, or the selection with what it holds, as PNG or SVG; says why when it cannot. */
export async function exportBoard(store: BoardStore, flow: Pick<ReactFlowInstance, "getZoom" | "getInternalNode">, scope: ExportScope, format: ExportFormat): Promise<void> {
  const pane = document.querySelector<HTMLElement>(".board-canvas .react-flow");
  const viewport = pane?.querySelector<HTMLElement>(".react-flow__viewport");
  if (!pane || !viewport) return;
  const snapshot = store.getSnapshot();
  const background = getComputedStyle(pane).getPropertyValue("--xy-background-color").trim() || getComputedStyle(document.body).backgroundColor || "#ffffff";
  const name = exportFileName(snapshot.views.find((v) => v.id === snapshot.viewId)?.name ?? "board", scope, format);
  try {
    if (scope === "view") {
      download(await renderView(pane, format, background), name);
      return;
    }
    const keep = exportedNodeIds(snapshot.nodes, store.selected);
    // Zoomed far out the board is a canvas (FarBoard): the items exported are put in the DOM, measured, then drawn.
    if (flow.getZoom() < FAR_ZOOM) {
      store.setUi(IN_DOM, keep);
      await frames(3);
    }
    const bounds = boundsOf(
      [...keep].flatMap((id) => {
        const node = flow.getInternalNode(id);
        if (!node) return [];
        return [{ ...node.internals.positionAbsolute, width: node.measured.width ?? node.width ?? 0, height: node.measured.height ?? node.height ?? 0 }];
      }),
    );
    if (!bounds) return store.toast("Select what to export first.", "info");
    download(await renderItems(viewport, bounds, keep, snapshot.edges, format, background), name);
  } catch (error) {
    store.toast(`The export failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (store.ui(IN_DOM) !== NO_ITEMS_IN_DOM) store.setUi(IN_DOM, NO_ITEMS_IN_DOM);
  }
}
