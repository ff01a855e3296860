/**
 * What the jupyter module keeps: kernels and cells in the project doc (what every viewer sees),
 * and in its own tables what drives execution — each kernel's Jupyter id and queue of runs, one
 * running at a time — plus an outbox of messages for the bridge, written in the same change.
 */
import * as Y from "yjs";
import { type CellOutput, CellRecordSchema, type CellRecord, type JupyterToBridge, KernelRecordSchema, type KernelRecord } from "../../../../protocol/jupyter";
import { EventError, type ModuleSql, collection, defineRecord, readRecord } from "../kit";

export const JUPYTER = "jupyter";

/** The service a container's image must offer for kernels (the catalog's `kiln-jupyter`). */
export const JUPYTER_SERVICE = "jupyter";

/** Kernel states in which a cell can be queued on it (a busy or starting kernel queues it). */
export const RUNNABLE: ReadonlySet<KernelRecord["state"]> = new Set(["starting", "idle", "busy", "restarting"]);

export const kernelsOf = (doc: Y.Doc) => collection<KernelRecord>(doc, JUPYTER, "kernels");
export const cellsOf = (doc: Y.Doc) => collection<CellRecord>(doc, JUPYTER, "cells");
/** The cells' code: editable texts. */
export const sourcesOf = (doc: Y.Doc) => collection<Y.Text>(doc, JUPYTER, "sources");
export const outputsOf = (doc: Y.Doc) => collection<Y.Array<CellOutput>>(doc, JUPYTER, "outputs");
export const SOURCES = `${JUPYTER}/sources`;

export const KernelRecordType = defineRecord<KernelRecord>({ name: "kernel", version: 1, schema: KernelRecordSchema, up: [] });
export const CellRecordType = defineRecord<CellRecord>({ name: "cell", version: 1, schema: CellRecordSchema, up: [] });

export const cellPermission = (id: string, action: "edit" | "run") => `${JUPYTER}:[cell:${id}]:${action}`;
export const kernelPermission = (id: string) => `${JUPYTER}:[kernel:${id}]:update`;

export function readKernel(doc: Y.Doc, id: string): KernelRecord | undefined {
  return readRecord(KernelRecordType, kernelsOf(doc).get(id), id);
}

export function requireKernel(doc: Y.Doc, id: string): KernelRecord {
  const kernel = readKernel(doc, id);
  if (!kernel) throw new EventError("not_found", `There is no kernel ${id} in this project.`);
  return kernel;
}

export function readCell(doc: Y.Doc, id: string): CellRecord | undefined {
  return readRecord(CellRecordType, cellsOf(doc).get(id), id);
}

export function requireCell(doc: Y.Doc, id: string): CellRecord {
  const cell = readCell(doc, id);
  if (!cell) throw new EventError("not_found", `There is no code cell ${id} in this project.`);
  return cell;
}

/** A fresh cell record (no run yet). */
export function newCell(id: string, kernel: string | null): CellRecord {
  return { id, kernel, run: "idle", runId: null, executionCount: null, ranBy: null, startedAt: null, endedAt: null, outputBytes: 0, droppedBytes: 0 };
}

export const MIGRATIONS = [
  // A kernel's Jupyter id is the bridge's business and no viewer's: kept here, not in the doc.
  `create table jupyter_kernels (
     id text primary key, project text not null, container text not null, spec text not null,
     jupyter_id text, state text not null)`,
  "create index jupyter_kernels_container on jupyter_kernels (container)",
  // A kernel's runs in order; `running` marks the one the bridge executes (at most one per kernel).
  `create table jupyter_runs (
     seq integer primary key autoincrement, run text not null unique, kernel text not null,
     cell text not null, code text not null, batch text not null, project text not null, running integer not null default 0)`,
  "create index jupyter_runs_kernel on jupyter_runs (kernel, seq)",
  "create table jupyter_outbox (seq integer primary key autoincrement, message text not null)",
] as const;

export type KernelRow = { id: string; project: string; container: string; spec: string; jupyter_id: string | null; state: string };
export type RunRow = { seq: number; run: string; kernel: string; cell: string; code: string; batch: string; project: string; running: number };

export function kernelRow(sql: ModuleSql, id: string): KernelRow | undefined {
  return sql.exec<KernelRow>("select * from jupyter_kernels where id = ?", id).toArray()[0];
}

export function runRow(sql: ModuleSql, run: string): RunRow | undefined {
  return sql.exec<RunRow>("select * from jupyter_runs where run = ?", run).toArray()[0];
}

/** Queues a message for the bridge, sent once the event that queued it has committed. */
export function queueForBridge(sql: ModuleSql, message: JupyterToBridge): void {
  sql.exec("insert into jupyter_outbox (message) values (?)", JSON.stringify(message));
}
