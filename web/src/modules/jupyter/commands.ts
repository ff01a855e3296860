/** The jupyter module's board commands and events: create cells (undo deletes them), run, clear, choose and drive kernels. */
import { nodesOf } from "../../../../gateway-do/src/modules/core-graph";
import { kernelsOf } from "../../../../gateway-do/src/modules/jupyter/records";
import { deleteCommand, newItemId } from "../../board/commands";
import type { BoardStore, Command } from "../../board/store";
import type { Point } from "../kit";
import { defaultKernel, isCell } from "./records";
import { cellsInReadingOrder, fromCell } from "./reading-order";

/** A new cell's size: wide enough for a line of code and its outputs. */
export const CELL_SIZE = { width: 480, height: 260 };

type NewCell = Point & { width?: number; height?: number; id?: string; code?: string; kernel?: string | null };

/**
 * Creates code cells (the tool, paste, undo of a delete). A cell without a kernel, or naming
 * one this project does not have (pasted from another), gets the project's default one. Undo
 * deletes them.
 */
export function createCellsCommand(store: BoardStore, viewId: string, cells: NewCell[]): Command & { ids: string[] } {
  const known = kernelsOf(store.doc);
  const kernelOf = (c: NewCell) => (c.kernel === null || (c.kernel !== undefined && known.has(c.kernel)) ? c.kernel : fallback());
  let chosen: string | null | undefined;
  const fallback = () => (chosen === undefined ? (chosen = defaultKernel(store.doc)) : chosen);
  const withIds = cells.map((c) => ({ ...c, id: c.id ?? newItemId() }));
  const ids = withIds.map((c) => c.id);
  return {
    ids,
    events: withIds.map((c) => ({
      type: "jupyter:create",
      id: c.id,
      viewId,
      x: Math.round(c.x),
      y: Math.round(c.y),
      width: c.width ?? CELL_SIZE.width,
      height: c.height ?? CELL_SIZE.height,
      kernel: kernelOf(c),
      code: c.code ?? "",
    })),
    inverse: () => deleteCommand(store, viewId, ids.filter((id) => nodesOf(store.doc).has(id))),
  };
}

/** Queues cells to run, in this order (not undoable: a run cannot be taken back). */
export const runCells = (store: BoardStore, cells: readonly string[]) => (cells.length === 0 ? Promise.resolve(true) : store.run({ events: [{ type: "jupyter:run", cells: cells.slice(0, 500) }] }));

/** Runs the cells of the board's current view in reading order, all of them or from `from` down. */
export function runView(store: BoardStore, from?: string): Promise<boolean> {
  const order = cellsInReadingOrder(store.doc, store.getSnapshot().viewId, (id) => isCell(store.doc, id));
  return runCells(store, from === undefined ? order : fromCell(order, from));
}

export const clearCells = (store: BoardStore, cells: readonly string[]) => store.run({ events: [{ type: "jupyter:clear", cells }] });

export const setKernel = (store: BoardStore, cell: string, kernel: string | null) => store.run({ events: [{ type: "jupyter:set-kernel", cell, kernel }] });

export const kernelAction = (store: BoardStore, action: "interrupt" | "restart" | "shutdown", kernel: string) => store.run({ events: [{ type: `jupyter:${action}`, kernel }] });

/** Starts a Python kernel on a container, and makes it this cell's kernel. */
export function startKernelFor(store: BoardStore, cell: string, container: { id: string; name: string }): Promise<boolean> {
  const kernel = newItemId();
  return store.run({
    events: [
      { type: "jupyter:start-kernel", id: kernel, container: container.id, spec: "python3", name: `Python 3 on ${container.name}`.slice(0, 120) },
      { type: "jupyter:set-kernel", cell, kernel },
    ],
  });
}
