/** Runs `npm start` as a person would, for the smoke tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { findFreePort } from "../local/ports";

const root = resolve(import.meta.dirname, "../..");

export interface StackPorts {
  KILN_WEB_PORT: string;
  KILN_WORKER_PORT: string;
  KILN_DB_PORT: string;
  KILN_DB_PROXY_PORT: string;
}

export interface RunningStack {
  child: ChildProcess;
  /** The URL `npm start` printed. */
  url: string;
  output: () => string;
  /**
   * Ctrl-C by default: SIGINT to the whole process group, as a terminal sends it. With
   * `{ signal: "SIGTERM", group: false }`: a process manager stopping npm alone.
   * Resolves once npm has exited.
   */
  stop(options?: { signal?: NodeJS.Signals; group?: boolean }): Promise<void>;
}

/** Free ports for one stack. */
export async function freeStackPorts(): Promise<StackPorts> {
  return {
    KILN_WEB_PORT: String(await findFreePort()),
    KILN_WORKER_PORT: String(await findFreePort()),
    KILN_DB_PORT: String(await findFreePort()),
    KILN_DB_PROXY_PORT: String(await findFreePort()),
  };
}

/** Spawns `npm start` with `env` added; resolves when it prints its URL, rejects if it exits first. */
export function startStack(env: Record<string, string>, timeoutMs = 120_000): Promise<RunningStack> {
  // Only what the test passes: not the DATABASE_URL or ports of the test runner's own setup.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== "DATABASE_URL" && !name.startsWith("KILN_")),
  );
  const child = spawn("npm", ["start"], { cwd: root, env: { ...inherited, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const stop = async ({ signal = "SIGINT" as NodeJS.Signals, group = true } = {}) => {
    if (child.exitCode === null && child.signalCode === null) process.kill(group ? -child.pid! : child.pid!, signal);
    await exited;
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`npm start printed no URL within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Kiln is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, url: match[1]!, output: () => output, stop });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`npm start exited with ${code}:\n${output}`), { code, output }));
    });
  });
}
