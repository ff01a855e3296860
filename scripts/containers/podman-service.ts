/**
 * `podman system service` (podman's Docker-compatible API) inside a network namespace, with
 * Kiln's storage and containers.conf: the containers it starts get their bridge, NAT and
 * `ip_forward` in that namespace, not on the machine.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { podmanEnv, podmanGlobalArgs } from "../../vpn-bridge/images/podman.ts";
import { background, run, stopChild, waitFor, type RunResult } from "./exec.ts";

export interface PodmanService {
  socket: string;
  /** Runs the podman CLI in the same namespace and storage. */
  podman(args: string[], allowFailure?: boolean): Promise<RunResult>;
  stop(): Promise<void>;
}

/** Starts the service on `socket`; `enter` is the argv prefix that enters the namespace. */
export async function startPodmanService(enter: string[], socket: string, logPath: string): Promise<PodmanService> {
  const child: ChildProcess = background(enter[0]!, [...enter.slice(1), "podman", ...podmanGlobalArgs(), "system", "service", "--time=0", `unix://${socket}`], logPath, podmanEnv());
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await Promise.race([
    waitFor(`podman's socket ${socket}`, () => existsSync(socket), 20_000),
    exited.then((code) => {
      throw new Error(`podman system service exited (${code}); see ${logPath}`);
    }),
  ]);
  const podman = (args: string[], allowFailure = false) => run(enter[0]!, [...enter.slice(1), "podman", ...podmanGlobalArgs(), ...args], { env: podmanEnv(), allowFailure });
  return { socket, podman, stop: () => stopChild(child) };
}
