/**
 * The jupyter records as the board reads them, live: kernels (checked with their schema by the
 * gateway's readers, a bad one skipped), a cell's record, its code's Y.Text and its outputs.
 */
import { useEffect, useMemo, useState } from "react";
import type * as Y from "yjs";
import type { CellOutput, CellRecord, KernelRecord } from "../../../../protocol/jupyter";
import { cellsOf, kernelsOf, outputsOf, readCell, readKernel, sourcesOf } from "../../../../gateway-do/src/modules/jupyter/records";
import { DocView } from "../../board/module-state";
import type { BoardStore } from "../../board/store";
import { useBoard, useBoardStore } from "../../board/store-context";
import { type ShownOutput, joinStreams, parseOutputs } from "./outputs";

/** Every well-formed kernel of the project, by id. */
export function readKernels(doc: Y.Doc): ReadonlyMap<string, KernelRecord> {
  const out = new Map<string, KernelRecord>();
  for (const id of kernelsOf(doc).keys()) {
    const kernel = readKernel(doc, id);
    if (kernel) out.set(id, kernel);
  }
  return out;
}

const KERNELS = new DocView((doc) => readKernels(doc));
/** The kernels, the same map until the doc changes. */
export const kernelsState = (store: BoardStore) => store.fromDoc(KERNELS);

/** The project's kernels, live. */
export function useKernels(): ReadonlyMap<string, KernelRecord> {
  const store = useBoardStore();
  return useBoard(() => kernelsState(store));
}

/** A cell's record, live (undefined until the doc has it, or when it is bad). */
export function useCell(id: string): CellRecord | undefined {
  return useBoard((s) => readCell(s.doc, id));
}

/** A cell's code, the Y.Text its editor binds to (a new one when the cell came back by undo). */
export function useSource(id: string): Y.Text | undefined {
  return useBoard((s) => sourcesOf(s.doc).get(id));
}

/** A cell's outputs as drawn (streams joined), following the doc's array live. */
export function useOutputs(id: string): ShownOutput[] {
  const list = useBoard((s) => outputsOf(s.doc).get(id));
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!list) return;
    const changed = () => setVersion((v) => v + 1);
    list.observe(changed);
    return () => list.unobserve(changed);
  }, [list]);
  // `version` is what changes when the array does (the same Y.Array, new items).
  return useMemo(() => joinStreams(parseOutputs(list?.toArray() ?? ([] as CellOutput[]))), [list, version]);
}

/** Whether a node is a code cell (has a cell record). */
export const isCell = (doc: Y.Doc, nodeId: string) => cellsOf(doc).has(nodeId);

/**
 * The kernel a new cell gets: the one the project's most recently run cell used, if it is
 * still alive; else the only live kernel; else none (the person chooses).
 */
export function defaultKernel(doc: Y.Doc): string | null {
  const kernels = readKernels(doc);
  const live = [...kernels.values()].filter((k) => k.state !== "dead" && k.state !== "shutdown");
  let latest: { kernel: string; at: number } | null = null;
  for (const id of cellsOf(doc).keys()) {
    const cell = readCell(doc, id);
    if (cell?.kernel && cell.startedAt !== null && (!latest || cell.startedAt > latest.at)) latest = { kernel: cell.kernel, at: cell.startedAt };
  }
  if (latest && live.some((k) => k.id === latest.kernel)) return latest.kernel;
  const idle = live.filter((k) => k.state === "idle");
  if (idle.length === 1) return idle[0]!.id;
  return live.length === 1 ? live[0]!.id : null;
}

/** The kernel a cell names, or null. */
export const readCellKernel = (doc: Y.Doc, id: string): string | null => readCell(doc, id)?.kernel ?? null;
