/**
 * Jupyter on the board: kernels in user containers and cell nodes whose outputs every viewer
 * sees live. What the gateway's `jupyter` module, the VPN bridge (the executor) and the SPA
 * say to each other, and what the module keeps in a project doc.
 *
 * Who runs a cell: the **bridge**. It is already on the org's VPN (it reaches a container's
 * Jupyter Server at the container's VPN address, where no visitor cookie is needed and nothing
 * else may connect) and already holds a WebSocket to the org's gateway. The gateway decides:
 * who may run what, the queue of each kernel (one cell at a time, durable in its tables), the
 * output cap; it sends one `execute` at a time per kernel. The bridge speaks the Jupyter
 * messaging protocol to the kernel and streams the outputs back; each batch becomes an event
 * (`jupyter:outputs`, as the bridge) that appends to the cell's outputs in the doc, so every
 * viewer sees them live and they survive reloads.
 *
 * - bridge ↔ gateway: `/gw/{org}/m/jupyter/bridge`, the bridge's key (`BridgeToJupyter`, `JupyterToBridge`);
 * - in the doc: `jupyter/kernels` (KernelRecord by kernel id), `jupyter/cells` (CellRecord by
 *   node id), `jupyter/sources` (Y.Text by node id: the code, an editable text),
 *   `jupyter/outputs` (Y.Array<CellOutput> by node id).
 */
import { z } from "zod";
import { ContainerIdSchema } from "./containers";

/** Kernel and run ids: the gateway's record ids. */
const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

/**
 * A kernel's life as the board shows it. `starting`: asked for, not yet ready; `idle`/`busy`:
 * ready, running a cell or not; `restarting`; `dead`: its Jupyter kernel is gone (the container
 * stopped, or it crashed): restart it to get a new one; `shutdown`: shut down from the board.
 */
export const KERNEL_STATES = ["starting", "idle", "busy", "restarting", "dead", "shutdown"] as const;
export const KernelStateSchema = z.enum(KERNEL_STATES);
export type KernelState = z.infer<typeof KernelStateSchema>;

/** What the bridge may report about a kernel (busy/idle follow the gateway's own queue). */
export const ReportedKernelStateSchema = z.enum(["idle", "restarting", "dead"]);

export const KernelRecordSchema = z.strictObject({
  id: Id,
  container: ContainerIdSchema,
  /** The kernel spec, e.g. `python3`. */
  spec: z.string().max(64),
  /** A name for people, e.g. "Python 3 on analysis". */
  name: z.string().max(120),
  state: KernelStateSchema,
  /** Why it is dead, in words, when it is. */
  reason: z.string().max(500).nullable(),
  since: z.number(),
  createdBy: z.string(),
});
export type KernelRecord = z.infer<typeof KernelRecordSchema>;

/** Where a cell's last run stands. */
export const RUN_STATES = ["idle", "queued", "running", "done", "error", "aborted"] as const;
export const RunStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof RunStateSchema>;

export const CellRecordSchema = z.strictObject({
  id: Id,
  /** The kernel it runs on, or null until one is chosen. */
  kernel: Id.nullable(),
  run: RunStateSchema,
  /** The run the outputs belong to (outputs of another run are ignored). */
  runId: Id.nullable(),
  /** `In [n]`: the kernel's execution count of the last run, when it finished. */
  executionCount: z.int().nullable(),
  /** Who ran it last, and when it started and ended. */
  ranBy: z.string().nullable(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** Output bytes the doc holds for this run, and bytes dropped past the cap. */
  outputBytes: z.int().nonnegative(),
  droppedBytes: z.int().nonnegative(),
});
export type CellRecord = z.infer<typeof CellRecordSchema>;

/** The MIME types kept from a kernel's rich outputs; others are dropped by the bridge. */
export const KEPT_MIME_TYPES = ["text/plain", "text/html", "text/markdown", "image/png", "image/jpeg", "image/svg+xml"] as const;
export const MimeBundleSchema = z.partialRecord(z.enum(KEPT_MIME_TYPES), z.string());
export type MimeBundle = z.infer<typeof MimeBundleSchema>;

/** One output of a cell, as stored in the doc (`jupyter/outputs`). Consecutive streams are shown joined. */
export const CellOutputSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("stream"), name: z.enum(["stdout", "stderr"]), text: z.string() }),
  /** `execute_result`: the value of the cell's last expression. */
  z.strictObject({ type: z.literal("result"), count: z.int().nullable(), data: MimeBundleSchema }),
  /** `display_data`: an image, a table, … */
  z.strictObject({ type: z.literal("display"), data: MimeBundleSchema }),
  z.strictObject({ type: z.literal("error"), ename: z.string(), evalue: z.string(), traceback: z.array(z.string()) }),
  /** From Kiln, not the kernel: output truncated, the run aborted, … */
  z.strictObject({ type: z.literal("notice"), text: z.string() }),
]);
export type CellOutput = z.infer<typeof CellOutputSchema>;

/**
 * A cell's outputs in the doc are capped: past this many bytes (of JSON) a run's further
 * outputs are dropped and one notice says how much. A display that alone is larger is dropped
 * whole. The doc stays small enough to load, and every viewer is spared the flood.
 */
export const CELL_OUTPUT_CAP_BYTES = 1024 * 1024;
/** One `jupyter:outputs` event carries about this many bytes of outputs at most (the bridge batches below it). */
export const OUTPUT_BATCH_BYTES = 256 * 1024;
/** A single output larger than this (a huge image, say) is dropped whole by the bridge: it would not fit a gateway frame. */
export const MAX_OUTPUT_BYTES = 768 * 1024;

/** The size an output counts for against the cap. */
export function outputBytes(output: CellOutput): number {
  return JSON.stringify(output).length;
}

/** How a run ended, as the bridge saw it. */
export const RunEndSchema = z.enum(["ok", "error", "aborted"]);

// ── Bridge ↔ gateway (`/gw/{org}/m/jupyter/bridge`, JSON text frames) ─────────────────────

/** A kernel as the gateway tells the bridge about it. `jupyterId`: Jupyter Server's id, once started. */
export const BridgeKernelSchema = z.strictObject({ kernel: Id, container: ContainerIdSchema, spec: z.string().max(64), jupyterId: z.string().max(64).nullable() });
export type BridgeKernel = z.infer<typeof BridgeKernelSchema>;

export const ExecuteSchema = z.strictObject({ type: z.literal("execute"), run: Id, cell: Id, kernel: Id, code: z.string().max(200_000) });

/** What the gateway's `jupyter` module tells the bridge. */
export const JupyterToBridgeSchema = z.discriminatedUnion("type", [
  /** On connect: the org's live kernels and the runs the gateway believes are under way (a run the bridge does not hold, it reports aborted). */
  z.strictObject({ type: z.literal("snapshot"), kernels: z.array(BridgeKernelSchema), running: z.array(Id) }),
  /** Start the kernel (a new Jupyter kernel unless `jupyterId` still exists). */
  z.strictObject({ type: z.literal("start"), kernel: BridgeKernelSchema }),
  z.strictObject({ type: z.literal("interrupt"), kernel: Id }),
  z.strictObject({ type: z.literal("restart"), kernel: Id }),
  z.strictObject({ type: z.literal("shutdown"), kernel: Id }),
  ExecuteSchema,
  z.strictObject({ type: z.literal("error"), error: z.strictObject({ code: z.string(), message: z.string() }) }),
]);
export type JupyterToBridge = z.infer<typeof JupyterToBridgeSchema>;

/** What the bridge tells the gateway's `jupyter` module. */
export const BridgeToJupyterSchema = z.discriminatedUnion("type", [
  /** The kernel is ready (`idle`, with Jupyter's id), restarting, or dead (with why). */
  z.strictObject({ type: z.literal("kernel"), kernel: Id, state: ReportedKernelStateSchema, jupyterId: z.string().max(64).nullable(), reason: z.string().max(500).nullable() }),
  /** Outputs of a run, in order; `dropped`: bytes the bridge already dropped past the cap. */
  z.strictObject({ type: z.literal("outputs"), run: Id, outputs: z.array(CellOutputSchema).max(10_000), dropped: z.int().nonnegative() }),
  z.strictObject({ type: z.literal("finished"), run: Id, end: RunEndSchema, executionCount: z.int().nullable(), reason: z.string().max(500).nullable() }),
]);
export type BridgeToJupyter = z.infer<typeof BridgeToJupyterSchema>;
