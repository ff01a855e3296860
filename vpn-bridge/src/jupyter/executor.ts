/**
 * One org's kernels, as the bridge runs them for the gateway's `jupyter` module: it starts,
 * interrupts, restarts and shuts down Jupyter kernels in the org's containers, runs the cells
 * the gateway sends (one at a time per kernel: the gateway's queue), and reports kernel states,
 * outputs and ends. A run the gateway believes is under way but this bridge does not hold (it
 * restarted) is reported aborted, never run twice.
 */
import type { BridgeKernel, BridgeToJupyter, JupyterToBridge } from "../../../protocol/jupyter.ts";
import { describeError, log, warn } from "../log.ts";
import { JupyterServer, type KernelChannel } from "./jupyter-server.ts";
import { OutputBatcher } from "./output-batcher.ts";

/** Where a container's Jupyter listens, or why it cannot be reached. */
export type JupyterAddress = { ok: true; baseUrl: string } | { ok: false; reason: string };

export interface ExecutorDeps {
  send(message: BridgeToJupyter): void;
  /** The container's Jupyter service, from the routes the gateway gave. */
  jupyterOf(container: string): JupyterAddress;
  /** Opens a server client (tests pass their own). */
  server?(baseUrl: string): JupyterServer;
}

interface Run {
  run: string;
  msgId: string;
  batcher: OutputBatcher;
}

interface Kernel {
  info: BridgeKernel;
  server: JupyterServer | null;
  channel: KernelChannel | null;
  current: Run | null;
  /** Bumped on each (re)start, so a stale callback knows it is stale. */
  generation: number;
}

export class JupyterExecutor {
  private readonly kernels = new Map<string, Kernel>();

  constructor(
    private readonly org: string,
    private readonly deps: ExecutorDeps,
  ) {}

  /** A frame from the gateway, already checked against the protocol. */
  async onMessage(message: JupyterToBridge): Promise<void> {
    switch (message.type) {
      case "snapshot":
        return this.reconcile(message.kernels, message.running);
      case "start":
        return this.start(message.kernel);
      case "execute":
        return this.execute(message.kernel, message.run, message.code);
      case "interrupt":
        return this.act(message.kernel, "interrupt", (server, id) => server.interrupt(id));
      case "restart": {
        const kernel = this.kernels.get(message.kernel);
        // The gateway already ended the run; whatever the kernel still says of it is not wanted.
        if (kernel) this.dropRun(kernel);
        await this.act(message.kernel, "restart", (server, id) => server.restart(id));
        // Idle once the restarted kernel's outputs reach the bridge, not before (they would be lost).
        await kernel?.channel?.ready();
        if (kernel?.info.jupyterId) this.report(kernel, "idle", null);
        return;
      }
      case "shutdown": {
        const kernel = this.kernels.get(message.kernel);
        if (!kernel) return;
        this.kernels.delete(message.kernel);
        this.dropRun(kernel);
        kernel.channel?.close();
        if (kernel.server && kernel.info.jupyterId) await kernel.server.shutdown(kernel.info.jupyterId).catch((error: unknown) => warn(`jupyter: shutting kernel ${message.kernel} down: ${describeError(error)}`));
        return;
      }
      case "error":
        return warn(`gateway for org ${this.org} (jupyter): ${message.error.code}: ${message.error.message}`);
    }
  }

  /** After (re)connecting: take up the kernels the gateway lists, and report runs this bridge lost. */
  private async reconcile(kernels: readonly BridgeKernel[], running: readonly string[]): Promise<void> {
    const held = new Set([...this.kernels.values()].flatMap((k) => (k.current ? [k.current.run] : [])));
    for (const run of running) {
      if (!held.has(run)) this.deps.send({ type: "finished", run, end: "aborted", executionCount: null, reason: "The VPN bridge lost this run (it restarted, or lost the gateway): run the cell again." });
    }
    const listed = new Set(kernels.map((k) => k.kernel));
    for (const [id, kernel] of this.kernels) {
      if (!listed.has(id)) {
        kernel.channel?.close();
        this.kernels.delete(id);
      }
    }
    await Promise.all(kernels.map((k) => (this.kernels.get(k.kernel)?.channel?.isOpen ? Promise.resolve() : this.start(k))));
  }

  /** Starts the kernel, or takes up its Jupyter kernel if it still exists, and reports it ready or dead. */
  private async start(info: BridgeKernel): Promise<void> {
    const previous = this.kernels.get(info.kernel);
    if (previous) {
      this.dropRun(previous);
      previous.channel?.close();
    }
    const kernel: Kernel = { info: { ...info }, server: null, channel: null, current: null, generation: (previous?.generation ?? 0) + 1 };
    this.kernels.set(info.kernel, kernel);
    const where = this.deps.jupyterOf(info.container);
    if (!where.ok) return this.report(kernel, "dead", where.reason);
    const server = this.deps.server?.(where.baseUrl) ?? new JupyterServer(where.baseUrl);
    kernel.server = server;
    try {
      let jupyterId = info.jupyterId;
      if (jupyterId && !(await server.exists(jupyterId))) {
        return this.report(kernel, "dead", "Jupyter no longer has this kernel (its container restarted?): restart the kernel to get a new one.");
      }
      jupyterId ??= await server.start(info.spec);
      kernel.info.jupyterId = jupyterId;
      const generation = kernel.generation;
      kernel.channel = await server.connect(jupyterId, (why) => {
        if (this.kernels.get(info.kernel) !== kernel || kernel.generation !== generation) return;
        this.lost(kernel, `Lost the kernel: ${why} — did its container stop?`);
      });
      if (this.kernels.get(info.kernel) !== kernel) return kernel.channel.close();
      log(`jupyter: kernel ${info.kernel} ready in container ${info.container} (${jupyterId})`);
      this.report(kernel, "idle", null);
    } catch (error) {
      this.report(kernel, "dead", describeError(error));
    }
  }

  private execute(kernelId: string, run: string, code: string): void {
    const kernel = this.kernels.get(kernelId);
    const abort = (reason: string) => this.deps.send({ type: "finished", run, end: "aborted", executionCount: null, reason });
    if (!kernel || !kernel.channel?.isOpen) return abort("The kernel is not connected on the VPN bridge: restart it.");
    if (kernel.current) this.dropRun(kernel);
    const batcher = new OutputBatcher((batch) => this.deps.send({ type: "outputs", run, outputs: batch.outputs, dropped: batch.dropped }));
    const channel = kernel.channel;
    const msgId = channel.execute(code, {
      output: (output) => batcher.add(output),
      end: (status, count) => {
        if (kernel.current?.run !== run) return;
        kernel.current = null;
        batcher.flush();
        this.deps.send({ type: "finished", run, end: status, executionCount: count, reason: null });
      },
    });
    kernel.current = { run, msgId, batcher };
  }

  private async act(kernelId: string, what: string, call: (server: JupyterServer, jupyterId: string) => Promise<void>): Promise<void> {
    const kernel = this.kernels.get(kernelId);
    if (!kernel?.server || !kernel.info.jupyterId) return warn(`jupyter: cannot ${what} kernel ${kernelId}: it is not running on this bridge`);
    try {
      await call(kernel.server, kernel.info.jupyterId);
    } catch (error) {
      warn(`jupyter: ${what} kernel ${kernelId}: ${describeError(error)}`);
      if (what === "restart") this.report(kernel, "dead", describeError(error));
    }
  }

  /** The kernel's channels closed: its run is aborted, and the kernel reported dead. */
  private lost(kernel: Kernel, reason: string): void {
    const run = kernel.current;
    kernel.channel = null;
    if (run) {
      kernel.current = null;
      run.batcher.flush();
      this.deps.send({ type: "finished", run: run.run, end: "aborted", executionCount: null, reason });
    }
    this.report(kernel, "dead", reason);
  }

  /** Stops listening to the kernel's current run (the gateway ended it). */
  private dropRun(kernel: Kernel): void {
    if (!kernel.current) return;
    kernel.current.batcher.cancel();
    kernel.channel?.forget(kernel.current.msgId);
    kernel.current = null;
  }

  private report(kernel: Kernel, state: "idle" | "dead", reason: string | null): void {
    if (state === "dead") warn(`jupyter: kernel ${kernel.info.kernel} in container ${kernel.info.container}: ${reason}`);
    this.deps.send({ type: "kernel", kernel: kernel.info.kernel, state, jupyterId: kernel.info.jupyterId, reason });
  }

  /** Closes every kernel's channels (the bridge stops; the kernels live on in their containers). */
  stop(): void {
    for (const kernel of this.kernels.values()) kernel.channel?.close();
    this.kernels.clear();
  }
}
