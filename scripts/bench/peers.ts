/** Starts a peer Yjs server (peer-server.ts) in a child process on loopback and stops it. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { findFreePort } from "../local/ports";
import { type Pause, parseNodeGcLine } from "./gc-trace";

export interface PeerServer {
  port: number;
  /** With `gcTrace`, the server's collections that started between `from` and `to` (this process's `performance.now()`). */
  collections(from: number, to: number): Pause[];
  stop(): Promise<void>;
}

export async function startPeer(kind: "y-websocket" | "hocuspocus", options: { gcTrace?: boolean } = {}): Promise<PeerServer> {
  const port = await findFreePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "peer-server.ts"), kind, String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, KILN_BENCH_GC_TRACE: options.gcTrace ? "1" : "" },
  });
  const pauses: Pause[] = [];
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} did not start within 30 s`)), 30_000);
      createInterface({ input: child.stdout! }).on("line", (line) => {
        const pause = parseNodeGcLine(line);
        if (pause) pauses.push(pause);
        else if (line === `listening ${port}`) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => reject(new Error(`${kind} exited with ${code}`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, collections: (from, to) => pauses.filter((p) => p.start >= from && p.start <= to), stop };
}
