/**
 * jupyter: kernels in the project's user containers, and code cells on the board whose
 * outputs every viewer sees live. People create cells, start kernels and run cells; the VPN
 * bridge executes (see `protocol/jupyter.ts` for why the bridge) and reports outputs and ends,
 * each an event through the pipeline as the bridge. Running code in a container is what typing
 * in its terminal is: a cell runs only for someone allowed both.
 */
import * as Y from "yjs";
import { z } from "zod";
import { BridgeToJupyterSchema, type CellOutput, type KernelRecord } from "../../../../protocol/jupyter";
import { chooseNodeId, newNode, nodesOf } from "../core-graph";
import { ChosenIdSchema, IdSchema } from "../core-graph/schema";
import { type ModuleDefinition, type ReduceContext, EventError, defineEvent } from "../kit";
import { mayTypeInContainer } from "../user-containers/access";
import { readContainer, requireContainer } from "../user-containers/records";
import { PlaceOnView, checkPlace, placeAsAsked } from "../whiteboard/place";
import { bridgeSocket } from "./bridge";
import { type QueueContext, abortBatch, abortRuns, appendOutputs, clearOutputs, dispatch, endRun, writeCell, writeKernel } from "./queue";
import {
  JUPYTER,
  JUPYTER_SERVICE,
  MIGRATIONS,
  RUNNABLE,
  SOURCES,
  cellPermission,
  cellsOf,
  kernelPermission,
  kernelRow,
  newCell,
  outputsOf,
  queueForBridge,
  readCell,
  readKernel,
  requireCell,
  requireKernel,
  runRow,
  sourcesOf,
} from "./records";

export { JUPYTER } from "./records";

/** A new cell's size on the board, unless the event says. */
const CELL_SIZE = { width: 480, height: 260 };


const KernelRef = z.strictObject({ kernel: IdSchema });
const CellList = z.strictObject({ cells: z.array(IdSchema).min(1, "Name at least one cell.").max(500) });

export const CreateCellSchema = z.strictObject({
  id: ChosenIdSchema,
  ...PlaceOnView,
  kernel: IdSchema.nullable().default(null),
  code: z.string().max(200_000).default(""),
});

export const StartKernelSchema = z.strictObject({
  id: ChosenIdSchema,
  container: z.string().max(64),
  spec: z.enum(["python3"]).default("python3"),
  name: z.string().trim().min(1).max(120).optional(),
});

/** The module's tables and time, on the gateway. */
function queueOf(ctx: ReduceContext): QueueContext & { project: string } {
  if (!ctx.sql || !ctx.project) throw new EventError("unavailable", "Kernels run through the organization's gateway.");
  return { doc: ctx.doc, sql: ctx.sql, now: ctx.now, project: ctx.project };
}

/** Refuses unless the actor may run code in the kernel's container (its owner, or allowed to type in its terminal). */
function requireMayRunIn(ctx: ReduceContext, kernel: KernelRecord): void {
  const container = readContainer(ctx.doc, kernel.container);
  if (!container || container.state === "deleted") throw new EventError("kernel_unavailable", `Kernel ${kernel.name} belonged to a container that was deleted: start a kernel on another.`);
  if (!mayTypeInContainer(container, ctx.actor.userId, ctx.actor.grants)) {
    throw new EventError("forbidden", `Running code in ${container.name} is for its owner and those allowed to type in its terminal: ask its owner.`);
  }
}

/** Refuses unless the kernel's container runs (a stopped or unreachable one would leave the cell waiting on nothing). */
function requireContainerRunning(ctx: ReduceContext, kernel: KernelRecord): void {
  const container = readContainer(ctx.doc, kernel.container);
  if (container && container.state !== "running") throw new EventError("kernel_unavailable", `${container.name} is ${container.state}: start it, then restart the kernel.`);
}

/** A person's action on a kernel, sent on to the bridge. */
function kernelAction(action: "interrupt" | "restart" | "shutdown") {
  return defineEvent({
    schema: KernelRef,
    permission: (p) => kernelPermission(p.kernel),
    reduce: (ctx, p) => {
      const kernel = requireKernel(ctx.doc, p.kernel);
      const q = queueOf(ctx);
      // Acting on a kernel is acting on its container's processes: for those who may run code there.
      requireMayRunIn(ctx, kernel);
      if (action === "interrupt") {
        if (kernel.state !== "busy") throw new EventError("kernel_unavailable", `Nothing to interrupt: the kernel is ${kernel.state}.`);
        return () => queueForBridge(q.sql, { type: "interrupt", kernel: kernel.id });
      }
      if (action === "shutdown") {
        if (kernel.state === "shutdown") throw new EventError("kernel_unavailable", "The kernel is already shut down.");
        return () => {
          abortRuns(q, kernel.id, "The kernel was shut down.");
          writeKernel(q, { ...kernel, state: "shutdown", reason: null, since: ctx.now });
          queueForBridge(q.sql, { type: "shutdown", kernel: kernel.id });
        };
      }
      requireContainerRunning(ctx, kernel);
      const row = kernelRow(q.sql, kernel.id);
      // A dead or shut-down kernel restarts as a new Jupyter kernel.
      const fresh = kernel.state === "dead" || kernel.state === "shutdown" || !row?.jupyter_id;
      return () => {
        abortRuns(q, kernel.id, "The kernel was restarted.");
        writeKernel(q, { ...kernel, state: fresh ? "starting" : "restarting", reason: null, since: ctx.now });
        if (fresh) {
          q.sql.exec("update jupyter_kernels set jupyter_id = null where id = ?", kernel.id);
          queueForBridge(q.sql, { type: "start", kernel: { kernel: kernel.id, container: kernel.container, spec: kernel.spec, jupyterId: null } });
        } else queueForBridge(q.sql, { type: "restart", kernel: kernel.id });
      };
    },
  });
}

export const jupyter = {
  name: JUPYTER,
  nodeKinds: ["cell"],
  dependencies: ["core-graph", "whiteboard", "user-containers"],
  permissions: ["jupyter:create", "jupyter:[cell:*]:edit", "jupyter:[cell:*]:run", "jupyter:[kernel:*]:update"],
  errors: { not_found: 404, conflict: 409, forbidden: 403, unavailable: 503, no_kernel: 409, kernel_unavailable: 409, no_jupyter: 409, busy: 409 },
  storage: { migrations: MIGRATIONS },
  editableTexts: [{ path: [SOURCES, "*"], permission: (path) => cellPermission(path[1] ?? "", "edit") }],
  onNodeDeleted(doc, nodeId, sql) {
    if (cellsOf(doc).has(nodeId)) {
      // A queued run goes (named by its run id: cell ids repeat across projects); a running one
      // ends when the bridge reports it (its cell is gone by then).
      const runId = readCell(doc, nodeId)?.runId;
      if (runId) sql?.exec("delete from jupyter_runs where run = ? and running = 0", runId);
      cellsOf(doc).delete(nodeId);
      sourcesOf(doc).delete(nodeId);
      outputsOf(doc).delete(nodeId);
    }
    // A deleted container takes its kernels with it.
    if (sql) {
      for (const row of sql.exec<{ id: string }>("select id from jupyter_kernels where container = ? and state not in ('dead', 'shutdown')", nodeId).toArray()) {
        const kernel = readKernel(doc, row.id);
        const q = { doc, sql, now: Date.now() };
        abortRuns(q, row.id, "The kernel's container was deleted.");
        if (kernel) writeKernel(q, { ...kernel, state: "dead", reason: "Its container was deleted.", since: q.now });
        queueForBridge(sql, { type: "shutdown", kernel: row.id });
      }
    }
  },
  events: {
    create: defineEvent({
      schema: CreateCellSchema,
      permission: () => "jupyter:create",
      reduce: (ctx, p) => {
        checkPlace(ctx.doc, p);
        if (p.kernel !== null) requireKernel(ctx.doc, p.kernel);
        const node = newNode(ctx, "cell", chooseNodeId(ctx, p.id));
        return () => {
          nodesOf(ctx.doc).set(node.id, node);
          writeCell(ctx.doc, newCell(node.id, p.kernel));
          sourcesOf(ctx.doc).set(node.id, new Y.Text(p.code));
          outputsOf(ctx.doc).set(node.id, new Y.Array<CellOutput>());
          placeAsAsked(ctx.doc, node.id, p, CELL_SIZE);
        };
      },
    }),
    "set-kernel": defineEvent({
      schema: z.strictObject({ cell: IdSchema, kernel: IdSchema.nullable() }),
      permission: (p) => cellPermission(p.cell, "edit"),
      reduce: (ctx, p) => {
        const cell = requireCell(ctx.doc, p.cell);
        if (p.kernel !== null) requireKernel(ctx.doc, p.kernel);
        if (cell.run === "queued" || cell.run === "running") throw new EventError("busy", "The cell is running: interrupt it, or wait, before choosing another kernel.");
        return () => writeCell(ctx.doc, { ...cell, kernel: p.kernel });
      },
    }),
    run: defineEvent({
      schema: CellList,
      permission: (p) => cellPermission(p.cells[0] ?? "", "run"),
      reduce: (ctx, p) => {
        const q = queueOf(ctx);
        const cells = [...new Set(p.cells)].map((id) => {
          if (!ctx.can(cellPermission(id, "run"))) throw new EventError("forbidden", "You may not run this cell.");
          const cell = requireCell(ctx.doc, id);
          if (cell.kernel === null) throw new EventError("no_kernel", "Choose a kernel for the cell first (its header's kernel menu).");
          const kernel = requireKernel(ctx.doc, cell.kernel);
          if (!RUNNABLE.has(kernel.state)) throw new EventError("kernel_unavailable", `The kernel ${kernel.name} is ${kernel.state}: restart it first.`);
          requireMayRunIn(ctx, kernel);
          requireContainerRunning(ctx, kernel);
          return cell;
        });
        // A cell already waiting or running is not queued twice.
        const queued = cells.filter((cell) => cell.run !== "queued" && cell.run !== "running");
        const batch = ctx.newId();
        const runs = queued.map((cell) => ({ cell, run: ctx.newId(), code: sourcesOf(ctx.doc).get(cell.id)?.toString() ?? "" }));
        return {
          change: () => {
            for (const { cell, run, code } of runs) {
              q.sql.exec("insert into jupyter_runs (run, kernel, cell, code, batch, project) values (?, ?, ?, ?, ?, ?)", run, cell.kernel, cell.id, code, batch, q.project);
              clearOutputs(ctx.doc, cell.id);
              writeCell(ctx.doc, { ...cell, run: "queued", runId: run, executionCount: null, ranBy: ctx.actor.userId, startedAt: null, endedAt: null, outputBytes: 0, droppedBytes: 0 });
            }
            for (const kernel of new Set(runs.map((r) => r.cell.kernel!))) dispatch(q, kernel);
          },
          result: { runs: runs.map(({ cell, run }) => ({ cell: cell.id, run })) },
        };
      },
    }),
    clear: defineEvent({
      schema: CellList,
      permission: (p) => cellPermission(p.cells[0] ?? "", "edit"),
      reduce: (ctx, p) => {
        const cells = [...new Set(p.cells)].map((id) => {
          if (!ctx.can(cellPermission(id, "edit"))) throw new EventError("forbidden", "You may not change this cell.");
          return requireCell(ctx.doc, id);
        });
        return () => {
          for (const cell of cells) {
            clearOutputs(ctx.doc, cell.id);
            const running = cell.run === "running" || cell.run === "queued";
            writeCell(ctx.doc, { ...cell, executionCount: running ? cell.executionCount : null, run: running ? cell.run : "idle", outputBytes: 0, droppedBytes: 0 });
          }
        };
      },
    }),
    "start-kernel": defineEvent({
      schema: StartKernelSchema,
      permission: () => "jupyter:create",
      reduce: (ctx, p) => {
        const q = queueOf(ctx);
        const container = requireContainer(ctx.doc, p.container);
        if (!container.services.some((s) => s.name === JUPYTER_SERVICE && s.protocol === "http")) {
          throw new EventError("no_jupyter", `${container.name} offers no Jupyter service: start a container from the kiln-jupyter image.`);
        }
        if (container.state !== "running") throw new EventError("unavailable", `${container.name} is ${container.state}: start it first.`);
        if (!mayTypeInContainer(container, ctx.actor.userId, ctx.actor.grants)) {
          throw new EventError("forbidden", `Starting a kernel in ${container.name} is for its owner and those allowed to type in its terminal.`);
        }
        const id = p.id ?? ctx.newId();
        if (readKernel(ctx.doc, id) || kernelRow(q.sql, id)) throw new EventError("conflict", `A kernel ${id} already exists.`);
        const kernel: KernelRecord = { id, container: container.id, spec: p.spec, name: p.name ?? `Python 3 on ${container.name}`, state: "starting", reason: null, since: ctx.now, createdBy: ctx.actor.userId };
        return {
          change: () => {
            q.sql.exec("insert into jupyter_kernels (id, project, container, spec, jupyter_id, state) values (?, ?, ?, ?, null, 'starting')", id, q.project, container.id, p.spec);
            writeKernel(q, kernel);
            queueForBridge(q.sql, { type: "start", kernel: { kernel: id, container: container.id, spec: p.spec, jupyterId: null } });
          },
          result: { kernel },
        };
      },
    }),
    interrupt: kernelAction("interrupt"),
    restart: kernelAction("restart"),
    shutdown: kernelAction("shutdown"),

    // ── From the bridge ─────────────────────────────────────────────────────────────────
    "kernel-state": defineEvent({
      schema: BridgeToJupyterSchema.options[0].omit({ type: true }),
      principals: ["bridge"],
      permission: (p) => kernelPermission(p.kernel),
      reduce: (ctx, p) => {
        const kernel = requireKernel(ctx.doc, p.kernel);
        const q = queueOf(ctx);
        // A kernel shut down from the board stays so, whatever the bridge saw last.
        if (kernel.state === "shutdown") return () => {};
        return () => {
          if (p.jupyterId !== null) q.sql.exec("update jupyter_kernels set jupyter_id = ? where id = ?", p.jupyterId, kernel.id);
          if (p.state === "idle") {
            writeKernel(q, { ...kernel, state: kernel.state === "busy" ? "busy" : "idle", reason: null, since: kernel.state === "idle" ? kernel.since : ctx.now });
            dispatch(q, kernel.id);
            return;
          }
          if (p.state === "dead") abortRuns(q, kernel.id, p.reason ?? "The kernel died.");
          writeKernel(q, { ...kernel, state: p.state, reason: p.reason, since: ctx.now });
        };
      },
    }),
    outputs: defineEvent({
      schema: BridgeToJupyterSchema.options[1].omit({ type: true }).extend({ kernel: IdSchema }),
      principals: ["bridge"],
      permission: (p) => kernelPermission(p.kernel),
      reduce: (ctx, p) => {
        const q = queueOf(ctx);
        const row = runRow(q.sql, p.run);
        const cell = row ? readCell(ctx.doc, row.cell) : undefined;
        // A run that ended (restart, clear of a deleted cell) keeps nothing more.
        if (!row || !row.running || row.kernel !== p.kernel || !cell || cell.runId !== p.run) return () => {};
        return () => writeCell(ctx.doc, appendOutputs(ctx.doc, cell, p.outputs, p.dropped));
      },
    }),
    finished: defineEvent({
      schema: BridgeToJupyterSchema.options[2].omit({ type: true }).extend({ kernel: IdSchema }),
      principals: ["bridge"],
      permission: (p) => kernelPermission(p.kernel),
      reduce: (ctx, p) => {
        const q = queueOf(ctx);
        const row = runRow(q.sql, p.run);
        if (!row || !row.running || row.kernel !== p.kernel) return () => {};
        const state = p.end === "ok" ? "done" : p.end;
        return () => {
          endRun(q, row, state, p.executionCount, p.end === "aborted" ? (p.reason ?? "The run was aborted.") : null);
          if (p.end === "error") abortBatch(q, row.batch);
          dispatch(q, row.kernel);
        };
      },
    }),
  },
  routes: [],
  sockets: [bridgeSocket],
  onProjectDeleted: (host, project) => {
    host.sql.exec("delete from jupyter_runs where project = ?", project);
    for (const row of host.sql.exec<{ id: string }>("select id from jupyter_kernels where project = ?", project).toArray()) queueForBridge(host.sql, { type: "shutdown", kernel: row.id });
    host.sql.exec("delete from jupyter_kernels where project = ?", project);
  },
  afterEvent: (host) => {
    const queued = host.sql.exec<{ seq: number; message: string }>("select seq, message from jupyter_outbox order by seq").toArray();
    if (queued.length === 0) return;
    host.sql.exec("delete from jupyter_outbox where seq <= ?", queued.at(-1)!.seq);
    // Nobody listening: the bridge's snapshot on connect aborts the runs it never got.
    for (const { message } of queued) host.broadcast(JSON.parse(message));
  },
} as const satisfies ModuleDefinition;

/** Types of the module's cells and kernels, for the board. */
export type { CellRecord, KernelRecord } from "../../../../protocol/jupyter";
export { cellsOf, kernelsOf, outputsOf, sourcesOf } from "./records";
