/** The `docker` CLI, run exactly as a user would: the command line they copied, through a shell. */
import { run, type RunResult } from "./exec.ts";

/**
 * Runs `command` (a whole `docker …` line, quoting included) with `/bin/sh -c`, the docker CLI
 * talking to `dockerSocket` (our ping proxy in front of podman).
 */
export function runDockerCommand(command: string, dockerSocket: string, timeoutMs = 120_000): Promise<RunResult> {
  if (!/^docker\s/.test(command)) throw new Error(`not a docker command: ${command}`);
  return run("/bin/sh", ["-c", command], { env: { ...process.env, DOCKER_HOST: `unix://${dockerSocket}` }, allowFailure: true, timeoutMs });
}
