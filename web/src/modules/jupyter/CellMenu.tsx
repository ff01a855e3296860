/** A cell's ⋯ menu: run the view's cells from this one down, or all of them in reading order; shut its kernel down. */
import { useEffect, useRef } from "react";
import type { KernelRecord } from "../../../../protocol/jupyter";
import { useBoardStore } from "../../board/store-context";
import { kernelAction, runView } from "./commands";

interface Props {
  cell: string;
  kernel: KernelRecord | undefined;
  /** Why the person may not interrupt, restart or shut down the kernel, or null. */
  driveWhy: string | null;
  onClose: () => void;
}

export function CellMenu({ cell, kernel, driveWhy, onClose }: Props) {
  const store = useBoardStore();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Outside the menu, except this cell's own ⋯ (its click toggles the menu).
    const away = (e: MouseEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      const toggle = target?.closest(".jp-more") && ref.current?.parentElement?.contains(target);
      if (!ref.current?.contains(target) && !toggle) onClose();
    };
    const esc = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("mousedown", away);
    window.addEventListener("keydown", esc);
    ref.current?.querySelector<HTMLElement>("button:not(:disabled)")?.focus({ preventScroll: true });
    return () => {
      window.removeEventListener("mousedown", away);
      window.removeEventListener("keydown", esc);
    };
  }, [onClose]);
  const act = (what: () => unknown) => () => {
    onClose();
    void what();
  };
  const shutdownWhy = !kernel ? "No kernel." : (driveWhy ?? (kernel.state === "shutdown" ? "The kernel is already shut down." : null));
  return (
    <div ref={ref} className="jp-menu jp-cell-menu nodrag" role="menu" aria-label="Cell actions">
      <button type="button" role="menuitem" title="Run this cell and every cell below it on this view, in reading order" onClick={act(() => runView(store, cell))}>
        Run from here
      </button>
      <button type="button" role="menuitem" title="Run every cell of this view: top to bottom, then left to right" onClick={act(() => runView(store))}>
        Run all cells of this view
      </button>
      <button type="button" role="menuitem" className="is-danger" disabled={shutdownWhy !== null} title={shutdownWhy ?? "Shut the kernel down: its variables are lost, its cells stop"} onClick={act(() => kernel && kernelAction(store, "shutdown", kernel.id))}>
        Shut down kernel
      </button>
    </div>
  );
}
