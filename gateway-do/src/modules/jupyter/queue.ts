/**
 * Each kernel runs one cell at a time. Runs wait in `jupyter_runs` in the order they were
 * asked for; when the kernel is ready and none is running, the first one is sent to the bridge
 * (`execute`) and its cell shows it running. Every function here is called inside an event's
 * change, so the doc, the tables and the outbox move together.
 */
import * as Y from "yjs";
import { CELL_OUTPUT_CAP_BYTES, type CellOutput, type CellRecord, type KernelRecord, type RunState, outputBytes } from "../../../../protocol/jupyter";
import { type ModuleSql, storedRecord } from "../kit";
import { holdAwake, releaseAwake } from "../user-containers/records";
import { CellRecordType, KernelRecordType, type RunRow, cellsOf, kernelRow, kernelsOf, outputsOf, queueForBridge, readCell, readKernel } from "./records";

export interface QueueContext {
  doc: Y.Doc;
  sql: ModuleSql;
  now: number;
}

/** What keeps a container awake while one of its kernels runs a cell (idle culling). */
const holder = (kernel: string) => `jupyter:${kernel}`;

export function writeCell(doc: Y.Doc, cell: CellRecord): void {
  cellsOf(doc).set(cell.id, storedRecord(CellRecordType, cell));
}

export function writeKernel(ctx: QueueContext, kernel: KernelRecord): void {
  kernelsOf(ctx.doc).set(kernel.id, storedRecord(KernelRecordType, kernel));
  ctx.sql.exec("update jupyter_kernels set state = ? where id = ?", kernel.state, kernel.id);
}

/** The cell's outputs array, made if missing. */
export function outputsArray(doc: Y.Doc, cell: string): Y.Array<CellOutput> {
  const outputs = outputsOf(doc);
  let array = outputs.get(cell);
  if (!array) outputs.set(cell, (array = new Y.Array<CellOutput>()));
  return array;
}

/** Empties a cell's outputs. */
export function clearOutputs(doc: Y.Doc, cell: string): void {
  const array = outputsOf(doc).get(cell);
  if (array && array.length > 0) array.delete(0, array.length);
}

/**
 * Appends outputs to a cell within the cap: what passes it is dropped and counted, and the
 * first drop adds one notice saying so.
 */
export function appendOutputs(doc: Y.Doc, cell: CellRecord, outputs: readonly CellOutput[], droppedByBridge: number): CellRecord {
  let bytes = cell.outputBytes;
  let dropped = cell.droppedBytes + droppedByBridge;
  // Once a run's output was cut, nothing after the cut is kept (the bridge sends what precedes
  // its own cut in the same batch as the count of what it dropped).
  let cut = cell.droppedBytes > 0;
  const kept: CellOutput[] = [];
  for (const output of outputs) {
    const size = outputBytes(output);
    if (!cut && bytes + size <= CELL_OUTPUT_CAP_BYTES) {
      kept.push(output);
      bytes += size;
    } else {
      cut = true;
      dropped += size;
    }
  }
  // One notice at the first cut (the bridge's own, when it says why, or this one).
  if (dropped > 0 && cell.droppedBytes === 0 && kept.at(-1)?.type !== "notice") {
    kept.push({ type: "notice", text: `Output truncated: a cell keeps ${CELL_OUTPUT_CAP_BYTES / 1024 / 1024} MiB of output; the rest of this run's output is dropped.` });
  }
  if (kept.length > 0) outputsArray(doc, cell.id).push(kept);
  return { ...cell, outputBytes: bytes, droppedBytes: dropped };
}

/** Ends a run: its cell shows how, its row goes, and the kernel's next run starts. */
export function endRun(ctx: QueueContext, row: RunRow, state: Exclude<RunState, "idle" | "queued" | "running">, executionCount: number | null, notice: string | null): void {
  ctx.sql.exec("delete from jupyter_runs where run = ?", row.run);
  const cell = readCell(ctx.doc, row.cell);
  if (cell && cell.runId === row.run) {
    let next: CellRecord = { ...cell, run: state, executionCount: executionCount ?? cell.executionCount, endedAt: ctx.now };
    if (notice) next = appendOutputs(ctx.doc, next, [{ type: "notice", text: notice }], 0);
    writeCell(ctx.doc, next);
  }
}

/** Aborts every run of `kernel` (a restart, a death, a shutdown), with `why` on each cell. */
export function abortRuns(ctx: QueueContext, kernel: string, why: string): void {
  for (const row of ctx.sql.exec<RunRow>("select * from jupyter_runs where kernel = ? order by seq", kernel).toArray()) {
    endRun(ctx, row, "aborted", null, row.running ? why : `Not run: ${why.charAt(0).toLowerCase()}${why.slice(1)}`);
  }
  releaseAwake(ctx.sql, kernelRow(ctx.sql, kernel)?.container ?? "", holder(kernel), ctx.now);
}

/** Aborts the runs still waiting in `batch` (a cell of "run all" failed: the rest are not run). */
export function abortBatch(ctx: QueueContext, batch: string): void {
  for (const row of ctx.sql.exec<RunRow>("select * from jupyter_runs where batch = ? and running = 0 order by seq", batch).toArray()) {
    endRun(ctx, row, "aborted", null, "Not run: a cell above it failed.");
  }
}

/** Starts the kernel's next run if it is ready and free; marks the kernel idle when nothing waits. */
export function dispatch(ctx: QueueContext, kernelId: string): void {
  const row = kernelRow(ctx.sql, kernelId);
  const kernel = readKernel(ctx.doc, kernelId);
  if (!row || !kernel || row.jupyter_id === null || (kernel.state !== "idle" && kernel.state !== "busy")) return;
  const running = ctx.sql.exec<RunRow>("select * from jupyter_runs where kernel = ? and running = 1", kernelId).toArray()[0];
  if (running) return;
  const next = ctx.sql.exec<RunRow>("select * from jupyter_runs where kernel = ? order by seq limit 1", kernelId).toArray()[0];
  if (!next) {
    if (kernel.state === "busy") writeKernel(ctx, { ...kernel, state: "idle", since: ctx.now });
    releaseAwake(ctx.sql, row.container, holder(kernelId), ctx.now);
    return;
  }
  ctx.sql.exec("update jupyter_runs set running = 1 where run = ?", next.run);
  const cell = readCell(ctx.doc, next.cell);
  if (cell) writeCell(ctx.doc, { ...cell, run: "running", startedAt: ctx.now });
  if (kernel.state !== "busy") writeKernel(ctx, { ...kernel, state: "busy", since: ctx.now });
  holdAwake(ctx.sql, row.container, holder(kernelId), ctx.now);
  queueForBridge(ctx.sql, { type: "execute", run: next.run, cell: next.cell, kernel: kernelId, code: next.code });
}
