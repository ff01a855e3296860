import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from "node:fs";
import { networkInterfaces } from "node:os";
import { createInterface } from "node:readline";
import { backoffMs, sleep } from "./backoff.ts";
import { describeError, log } from "./log.ts";

/** The tun interface the agent asks OpenVPN for, whatever the profile's `dev` says. */
export const TUN_NAME = "kiln0";

/** Which of OpenVPN's lines are worth a line in `docker logs`; the rest go to its log file only. */
export function openvpnLineKind(line: string): "up" | "auth-failed" | "notable" | null {
  if (line.includes("Initialization Sequence Completed")) return "up";
  if (line.includes("AUTH_FAILED")) return "auth-failed";
  if (/Peer Connection Initiated|ERROR|Exiting|SIGUSR1|SIGTERM|Connection reset|TLS Error|Cannot|Options error/.test(line)) return "notable";
  return null;
}

/** Writes the profile and the credentials file (container id, token), readable by root only. */
export function writeVpnFiles(dir: string, ovpn: string, container: string, token: string): { config: string; auth: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = `${dir}/kiln.ovpn`;
  const auth = `${dir}/auth`;
  writeFileSync(config, ovpn, { mode: 0o600 });
  writeFileSync(auth, `${container}\n${token}\n`, { mode: 0o600 });
  return { config, auth };
}

/**
 * OpenVPN as a supervised child: restarted with backoff when it dies, except after the bridge
 * refused the credentials. `onUp` runs each time the tunnel (re)comes up.
 */
export class OpenVpn {
  #child: ChildProcess | null = null;
  #stopping = false;
  #attempt = 0;
  #logFile: WriteStream;

  constructor(
    private readonly files: { config: string; auth: string },
    private readonly events: { onUp: (address: string | null) => void; onAuthFailed: () => void },
    logPath: string,
  ) {
    this.#logFile = createWriteStream(logPath, { flags: "a" });
  }

  start(): void {
    const args = ["--config", this.files.config, "--auth-user-pass", this.files.auth, "--dev", TUN_NAME, "--dev-type", "tun", "--verb", "3"];
    log(`starting openvpn (tun ${TUN_NAME}; its full log: ${this.#logFile.path})`);
    // Its own process group: a signal meant for the agent must not reach OpenVPN before the goodbye is sent over it.
    const child = spawn("openvpn", args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.#child = child;
    let authFailed = false;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        this.#logFile.write(`${line}\n`);
        const kind = openvpnLineKind(line);
        if (kind === "up") {
          this.#attempt = 0;
          const address = tunAddress();
          log(`VPN up: ${TUN_NAME} ${address ?? "(no IPv4 address)"}`);
          this.events.onUp(address);
        } else if (kind === "auth-failed") {
          authFailed = true;
          log(`openvpn: ${line.replace(/^.*?(AUTH_FAILED)/, "$1")}`);
        } else if (kind === "notable") log(`openvpn: ${line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /, "")}`);
      });
    }
    child.on("error", (error) => log(`openvpn could not start: ${describeError(error)}`));
    child.on("exit", (code, signal) => {
      this.#child = null;
      if (this.#stopping) return;
      if (authFailed) return this.events.onAuthFailed();
      const wait = backoffMs(++this.#attempt, 30_000);
      log(`openvpn exited (${signal ?? `code ${code}`}); restarting it in ${wait / 1000} s`);
      void sleep(wait).then(() => this.#stopping || this.start());
    });
  }

  /** Stops OpenVPN (SIGTERM, then SIGKILL after `timeoutMs`). */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (child) await terminate(child, timeoutMs);
    this.#logFile.end();
  }
}

/** The tun's IPv4 address, once OpenVPN has configured it. */
export function tunAddress(): string | null {
  return networkInterfaces()[TUN_NAME]?.find((entry) => entry.family === "IPv4")?.address ?? null;
}

/** Sends SIGTERM to a detached child's process group, then SIGKILL if it is still there after `timeoutMs`. */
export async function terminate(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalGroup(child.pid, "SIGTERM");
  const inTime = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!inTime) {
    signalGroup(child.pid, "SIGKILL");
    await exited;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
