/** Running commands for the container harness: awaited, or in the background with a log file. */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; rejects when it fails unless `allowFailure`. */
export function run(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; allowFailure?: boolean; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      if (error && !options.allowFailure) reject(new Error(`${file} ${args.join(" ")} failed (${code}): ${stderr.trim() || error.message}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running command, its output appended to `logPath`. */
export function background(file: string, args: string[], logPath: string, env?: NodeJS.ProcessEnv): ChildProcess {
  const out = createWriteStream(logPath, { flags: "a" });
  const child = spawn(file, args, { env: env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  return child;
}

/** Stops a background child: SIGTERM, then SIGKILL after `timeoutMs`. */
export async function stopChild(child: ChildProcess, timeoutMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Polls `check` until it returns a value other than null/false, or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, check: () => T | null | false | Promise<T | null | false>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
