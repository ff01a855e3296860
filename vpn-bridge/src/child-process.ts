/** A long-running child (OpenVPN, Nginx): its output in the bridge's log, a clean stop, a note when it dies. */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { log, warn } from "./log.ts";

export class Child {
  private readonly child: ChildProcess;
  private stopping = false;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** Starts `command`; `onUnexpectedExit` runs if it ends without stop() having been called. */
  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    onUnexpectedExit: (description: string) => void,
    onLine: (line: string) => void = (line) => log(`${name}: ${line}`),
  ) {
    this.child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [this.child.stdout, this.child.stderr]) if (stream) createInterface({ input: stream }).on("line", onLine);
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => resolve({ code, signal }));
      this.child.on("error", (error) => {
        warn(`${name} could not start (${error.message}): is it installed?`);
        resolve({ code: null, signal: null });
      });
    });
    void this.exited.then(({ code, signal }) => {
      if (!this.stopping) onUnexpectedExit(`${name} exited (${signal ?? `code ${code}`})`);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
