/**
 * A cell's kernel, in its header: the kernel's name with its state live (a coloured dot and a
 * word), and a menu choosing another of the project's kernels, none, or a new one started on a
 * running container of the project.
 */
import { useEffect, useRef, useState } from "react";
import type { ContainerRecord } from "../../../../protocol/containers";
import type { KernelRecord, KernelState } from "../../../../protocol/jupyter";
import { useBoardStore } from "../../board/store-context";
import { setKernel, startKernelFor } from "./commands";
import { whyNotStart } from "./permissions";

export const KERNEL_HINTS: Record<KernelState, string> = {
  starting: "Starting: cells run once it is ready",
  idle: "Ready",
  busy: "Running a cell",
  restarting: "Restarting: its variables are gone",
  dead: "Its kernel is gone (the container stopped, or it crashed): restart it",
  shutdown: "Shut down: restart it to use it again",
};

/** A kernel's state as a dot and a word. */
export function KernelState({ state }: { state: KernelState }) {
  return (
    <span className={`jp-kstate jp-k-${state}`} title={KERNEL_HINTS[state]} data-testid="kernel-state">
      <span className="jp-dot" aria-hidden="true" />
      {state}
    </span>
  );
}

interface Props {
  cell: string;
  kernel: KernelRecord | undefined;
  kernels: ReadonlyMap<string, KernelRecord>;
  containers: ReadonlyMap<string, ContainerRecord>;
  /** Why the kernel cannot be changed now (no permission, the cell is running), or null. */
  locked: string | null;
  userId: string;
  can: (permission: string) => boolean;
  grants: readonly string[] | null;
}

export function KernelPicker({ cell, kernel, kernels, containers, locked, userId, can, grants }: Props) {
  const store = useBoardStore();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && setOpen(false);
    const esc = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    window.addEventListener("mousedown", away);
    window.addEventListener("keydown", esc);
    ref.current?.querySelector<HTMLElement>('[role="menuitemradio"]:not(:disabled), [role="menuitem"]:not(:disabled)')?.focus({ preventScroll: true });
    return () => {
      window.removeEventListener("mousedown", away);
      window.removeEventListener("keydown", esc);
    };
  }, [open]);

  // Shut-down kernels are listed only while a cell still names one.
  const choices = [...kernels.values()].filter((k) => k.state !== "shutdown" || k.id === kernel?.id).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const running = [...containers.values()].filter((c) => c.state === "running").sort((a, b) => a.name.localeCompare(b.name));
  const choose = (id: string | null) => {
    setOpen(false);
    if (id !== (kernel?.id ?? null)) void setKernel(store, cell, id);
  };

  return (
    <div className="jp-picker nodrag" ref={ref}>
      <button
        type="button"
        className="jp-kernel"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={locked !== null}
        title={locked ?? (kernel ? `${kernel.name}: ${KERNEL_HINTS[kernel.state]}${kernel.reason ? ` (${kernel.reason})` : ""}` : "Choose a kernel")}
        onClick={() => setOpen((o) => !o)}
      >
        {kernel ? (
          <>
            <span className="jp-kname">{kernel.name}</span>
            <KernelState state={kernel.state} />
          </>
        ) : (
          <span className="jp-kname muted">No kernel</span>
        )}
        <span className="jp-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div className="jp-menu" role="menu" aria-label="Kernel">
          {choices.map((k) => (
            <button key={k.id} type="button" role="menuitemradio" aria-checked={k.id === kernel?.id} onClick={() => choose(k.id)}>
              <span className="jp-kname">{k.name}</span>
              <KernelState state={k.state} />
            </button>
          ))}
          <button type="button" role="menuitemradio" aria-checked={!kernel} onClick={() => choose(null)}>
            <span className="jp-kname muted">No kernel</span>
          </button>
          <div className="jp-menu-title">Start a kernel on…</div>
          {running.length === 0 && <p className="jp-menu-empty">No container of this project is running: start one from the Container tool (the Jupyter image).</p>}
          {running.map((c) => {
            const why = whyNotStart(c, userId, can, grants);
            return (
              <button
                key={c.id}
                type="button"
                role="menuitem"
                disabled={why !== null}
                title={why ?? `Start a Python 3 kernel in ${c.name} for this cell`}
                onClick={() => {
                  setOpen(false);
                  void startKernelFor(store, cell, c);
                }}
              >
                <span className="jp-kname">{c.name}</span>
                <span className="jp-kimage">{c.image}</span>
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
