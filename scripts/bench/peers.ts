/** Starts a peer Yjs server (peer-server.ts) in a child process on loopback and stops it. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { findFreePort } from "../local/ports";

export interface PeerServer {
  port: number;
  stop(): Promise<void>;
}

export async function startPeer(kind: "y-websocket" | "hocuspocus"): Promise<PeerServer> {
  const port = await findFreePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "peer-server.ts"), kind, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
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
        if (line === `listening ${port}`) {
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
  return { port, stop };
}
