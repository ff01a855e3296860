import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, closeSync } from "node:fs";
import { connect } from "node:net";
import type { Service } from "../../../protocol/containers.ts";
import { AGENT_ENV } from "../../../protocol/containers.ts";
import { backoffMs, sleep } from "./backoff.ts";
import { describeError, log } from "./log.ts";
import { terminate } from "./openvpn.ts";
import type { ServiceSpec } from "./services-file.ts";

const POLL_MS = 250;
/** A service that ran this long before dying starts again after the shortest wait. */
const HEALTHY_MS = 60_000;

interface Running {
  spec: ServiceSpec;
  child: ChildProcess | null;
  listening: boolean;
  attempt: number;
  generation: number;
}

/**
 * The image's services: started, watched until their port listens, restarted with backoff
 * when they die. `onChange` gets the services that listen, each time that list changes.
 */
export class ServiceSupervisor {
  #running: Running[];
  #stopped = true;
  #generation = 0;

  constructor(
    specs: ServiceSpec[],
    private readonly onChange: (listening: Service[]) => void,
    private readonly logDir: string,
    /** What the agent tells every service (the bridge's VPN address), besides its own environment. */
    private readonly agentEnv: Record<string, string> = {},
    /** What it tells one service alone (its OpenID Connect client, if it declares one). */
    private readonly serviceEnv: (spec: ServiceSpec) => Record<string, string> = () => ({}),
  ) {
    this.#running = specs.map((spec) => ({ spec, child: null, listening: false, attempt: 0, generation: 0 }));
  }

  /** The services that listen now, as the bridge is told about them. */
  listening(): Service[] {
    // What the image declares of each (its sign-in, whether it runs code), without how to start it.
    return this.#running.filter((entry) => entry.listening).map(({ spec: { command: _command, env: _env, ...service } }) => service);
  }

  start(): void {
    this.#stopped = false;
    this.#generation++;
    mkdirSync(this.logDir, { recursive: true });
    if (this.#running.length === 0) log("this image declares no services");
    for (const entry of this.#running) this.#spawn(entry);
  }

  /** Stops every service (SIGTERM to its process group, SIGKILL after `timeoutMs`). */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopped = true;
    this.#generation++;
    await Promise.all(this.#running.map(async (entry) => {
      const child = entry.child;
      if (child) await terminate(child, timeoutMs);
      entry.child = null;
    }));
    this.#setListening(this.#running, false);
  }

  /** Stops and starts every service again (the board's `restart`). */
  async restart(timeoutMs: number): Promise<void> {
    await this.stop(timeoutMs);
    for (const entry of this.#running) entry.attempt = 0;
    this.start();
  }

  #spawn(entry: Running): void {
    const { spec } = entry;
    const generation = this.#generation;
    const logPath = `${this.logDir}/${spec.name}.log`;
    const out = openSync(logPath, "a");
    // The container token stays with the agent: a service (a notebook, a shell) has no use for it.
    const { [AGENT_ENV.token]: _token, ...env } = process.env;
    const startedAt = Date.now();
    log(`starting service ${spec.name} (port ${spec.port}): ${spec.command.join(" ")} (log: ${logPath})`);
    const child = spawn(spec.command[0]!, spec.command.slice(1), { env: { ...env, ...this.agentEnv, ...this.serviceEnv(spec), ...spec.env }, detached: true, stdio: ["ignore", out, out], cwd: "/root" });
    closeSync(out);
    entry.child = child;
    child.on("error", (error) => log(`service ${spec.name} could not start: ${describeError(error)}`));
    child.on("exit", (code, signal) => {
      if (entry.child === child) entry.child = null;
      if (this.#stopped || generation !== this.#generation) return;
      this.#setListening([entry], false);
      if (Date.now() - startedAt > HEALTHY_MS) entry.attempt = 0;
      const wait = backoffMs(++entry.attempt);
      log(`service ${spec.name} exited (${signal ?? `code ${code}`}); restarting it in ${wait / 1000} s`);
      void sleep(wait).then(() => {
        if (!this.#stopped && generation === this.#generation) this.#spawn(entry);
      });
    });
    void this.#waitListening(entry, child, startedAt);
  }

  async #waitListening(entry: Running, child: ChildProcess, startedAt: number): Promise<void> {
    while (entry.child === child && !this.#stopped) {
      if (await portListens(entry.spec.port)) {
        if (entry.child !== child || this.#stopped) return;
        log(`service ${entry.spec.name} listens on port ${entry.spec.port} after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
        this.#setListening([entry], true);
        return;
      }
      await sleep(POLL_MS);
    }
  }

  #setListening(entries: Running[], listening: boolean): void {
    let changed = false;
    for (const entry of entries) {
      if (entry.listening !== listening) changed = true;
      entry.listening = listening;
    }
    if (changed) this.onChange(this.listening());
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portListens(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
