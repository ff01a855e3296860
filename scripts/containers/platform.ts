/**
 * The whole container platform on this machine, for the end-to-end suite and the benchmark:
 * `npm start` (the worker and the gateway on `wrangler dev`, embedded Postgres), the VPN
 * bridge (`vpn-bridge/src/main.ts`) with OpenVPN and Nginx in a "vps" namespace linked to
 * this machine, podman behind the Docker API in a "dock" namespace (the user's machine), and
 * (or, on the fallback runtime, the image's rootfs run as a namespace there: `runFallback`), and
 * three people: Ada (owner of org "Lab" and project "Models"), Ben (a member) and Cyd (in
 * another org). Everything it started goes on `close()`, and on the process's exit.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { type IncomingHttpHeaders, request } from "node:http";
import { type Server, createConnection, createServer } from "node:net";
import { join, resolve } from "node:path";
import { formatContainerHost } from "../../protocol/containers.ts";
import { buildAgent } from "../../vpn-bridge/agent/build.ts";
import { buildImages } from "../../vpn-bridge/images/build.ts";
import { rootfsPackages } from "../../vpn-bridge/images/images.ts";
import { ensureRootfs } from "../../vpn-bridge/images/rootfs.ts";
import { podmanEnv, podmanGlobalArgs } from "../../vpn-bridge/images/podman.ts";
import { BenchClient } from "../bench/clients.ts";
import { apiClient } from "../test/e2e-board-setup.ts";
import { type RunningStack, freeStackPorts, startStack } from "../test/stack.ts";
import { runDockerCommand } from "./docker-cli.ts";
import { type DockerPingProxy, startDockerPingProxy } from "./docker-ping-proxy.ts";
import { type LaunchedFallback, launchFallback } from "./fallback-launch.ts";
import { extractRootfs } from "./fallback-runtime.ts";
import { type RunResult, run, stopChild, waitFor } from "./exec.ts";
import { Topology } from "./netns.ts";
import { type PodmanService, startPodmanService } from "./podman-service.ts";
import type { RuntimeKind } from "./runtime.ts";

const root = resolve(import.meta.dirname, "../..");

/** Ports in the vps namespace (its own, so they never clash with this machine's) and the forwarder's. */
export const PORTS = { forward: 18787, nginx: 18480, profile: 19002, vpn: 11941, auth: 19000, report: 19001, management: 17505 };
export const DOMAIN = "containers.localhost";
export const JUPYTER_IMAGE = "localhost/kiln-jupyter:1";

export type ApiClient = ReturnType<typeof apiClient>;
export interface People {
  ada: ApiClient;
  ben: ApiClient;
  cyd: ApiClient;
  org: string;
  project: string;
  benId: string;
}
export interface Visit {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}
export interface Created {
  container: { id: string };
  token: string;
  command: string;
}
export interface ContainerStatus {
  state: string;
  address: string | null;
  services: { name: string; port: number }[];
  lastSeen: number | null;
  /** When a visitor last used it, as idle culling counts. */
  activeAt: number | null;
}

/** The running platform: its addresses, its parts, and what a test or a benchmark does with them. */
export class Platform {
  /**
   * The "VPS" on the link to this machine (.1) and to the user's machine (.1 on the second link);
   * a second octet of this run's own, so that what a killed earlier run left behind is never in the way.
   */
  readonly octet = 64 + Math.floor(Math.random() * 128);
  readonly net = { hostSide: `10.${this.octet}.61.254`, vpsUp: `10.${this.octet}.61.1`, vps: `10.${this.octet}.62.1`, dock: `10.${this.octet}.62.2` };
  /** The VPN's subnet: container addresses are `172.29.{octet}.x`. */
  readonly vpnSubnet = `172.29.${this.octet}.0/24`;
  topology: Topology | undefined;
  stack: RunningStack | undefined;
  bridge: ChildProcess | undefined;
  podman: PodmanService | undefined;
  people!: People;
  bridgeKey = "";
  workerPort = "";
  #bridgeLog = "";
  #forwarder: Server | undefined;
  #proxy: DockerPingProxy | undefined;
  /** `kiln-{id}` of every container created here, removed on close. */
  readonly #containers = new Set<string>();
  /** On the fallback runtime: the image rootfs (extracted) and the containers started, stopped on close (killed with every descendant on exit). */
  #rootfs = "";
  readonly #fallbacks: LaunchedFallback[] = [];
  readonly #onExit = () => this.#killSync();

  private constructor(readonly work: string, private readonly log: (line: string) => void, readonly runtime: RuntimeKind) {
    process.once("exit", this.#onExit);
  }

  /** Starts everything (images built or reused first); on a failure, stops what it started and rethrows. */
  static async start(options: { work: string; log?: (line: string) => void; runtime?: RuntimeKind }): Promise<Platform> {
    const platform = new Platform(options.work, options.log ?? ((line) => console.log(line)), options.runtime ?? "podman");
    try {
      await platform.#start();
      return platform;
    } catch (error) {
      await platform.close();
      throw error;
    }
  }

  get workerUrl(): string {
    return `http://127.0.0.1:${this.workerPort}`;
  }

  /** The bridge's output so far. */
  bridgeLog(): string {
    return this.#bridgeLog;
  }

  /** The literal `docker …` line, through the docker CLI, against podman in the user's machine. */
  docker(command: string, timeoutMs?: number): Promise<RunResult> {
    if (!this.#proxy) throw new Error(this.runtime === "fallback" ? "no docker on the fallback runtime: use runFallback()" : "the platform is not started");
    return runDockerCommand(command, this.#proxy.socket, timeoutMs);
  }

  /** The fallback runtime's `docker run`: the line's image and `-e` environment, run as a namespace in the user's machine with the image's rootfs. */
  async runFallback(command: string): Promise<LaunchedFallback> {
    if (this.runtime !== "fallback") throw new Error("runFallback() is for the fallback runtime; use docker()");
    mkdirSync(join(this.work, "fallback"), { recursive: true });
    const launched = await launchFallback(command, { rootfs: this.#rootfs, enter: this.topology!.enter("dock"), dir: join(this.work, "fallback") });
    this.#fallbacks.push(launched);
    return launched;
  }

  /** Creates a container on Ada's project through the API; it is removed (`docker rm -f`) on close. */
  async create(name: string, options: { image?: string; share?: string; services?: { name: string; port: number; protocol: "http" | "tcp" }[]; viewId?: string; x?: number; y?: number } = {}): Promise<Created> {
    const { people: p } = this;
    const created = await p.ada.call<Created>(`/api/orgs/${p.org}/projects/${p.project}/containers`, {
      name,
      image: options.image ?? JUPYTER_IMAGE,
      share: options.share ?? "project",
      ...(options.services ? { services: options.services } : {}),
      // On a view of the board (the node a person sees), when asked.
      ...(options.viewId ? { viewId: options.viewId, x: options.x ?? 0, y: options.y ?? 0 } : {}),
    });
    this.#containers.add(`kiln-${created.container.id}`);
    return created;
  }

  /** Deletes a container on the board (its token is revoked); its docker container stays until `docker rm`. */
  deleteOnBoard(id: string): Promise<unknown> {
    const { people: p } = this;
    return p.ada.call(`/gw/${p.org}/projects/${p.project}/events`, { type: "user-containers:delete", requestId: crypto.randomUUID(), container: id });
  }

  /** Sends an event to Ada's project as `person` (Ada by default) over HTTP; its ack, refused or not. */
  async event(event: { type: string; [field: string]: unknown }, person: ApiClient = this.people.ada): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }> {
    const { people: p } = this;
    try {
      return await person.call(`/gw/${p.org}/projects/${p.project}/events`, { requestId: crypto.randomUUID(), ...event });
    } catch (error) {
      const body = /^[^:]+: \d+ (.*)$/s.exec(error instanceof Error ? error.message : "")?.[1];
      const parsed = body ? (JSON.parse(body) as { error?: { code: string; message: string } }) : {};
      return { ok: false, error: parsed.error ?? { code: "unknown", message: String(error) } };
    }
  }

  /** `person`'s live copy of Ada's project: a socket speaking the Yjs protocol, as a browser's. */
  async projectDoc(person: ApiClient): Promise<BenchClient> {
    const { people: p } = this;
    const { token } = await person.call<{ token: string }>(`/api/orgs/${p.org}/projects/${p.project}/connect`, {});
    return BenchClient.open("kiln", `${this.stack!.url.replace(/\/$/, "").replace(/^http/, "ws")}/gw/${p.org}/projects/${p.project}/ws?token=${encodeURIComponent(token)}&json=1`);
  }

  /** The board's Stop: the event `user-containers:stop`, as the board sends it. */
  stopOnBoard(id: string): Promise<unknown> {
    const { people: p } = this;
    return p.ada.call(`/gw/${p.org}/projects/${p.project}/events`, { type: "user-containers:stop", requestId: crypto.randomUUID(), container: id });
  }

  /** The container's live state, as `GET /api/orgs/{org}/containers/{id}` answers it. */
  status(id: string): Promise<ContainerStatus> {
    return this.people.ada.call<ContainerStatus>(`/api/orgs/${this.people.org}/containers/${id}`);
  }

  /** Polls the API every `intervalMs` until the container is in `state`. */
  waitState(id: string, state: string, timeoutMs: number, intervalMs = 50): Promise<true> {
    return waitFor(`container ${id} ${state}`, async () => ((await this.status(id)).state === state ? true : null), timeoutMs, intervalMs);
  }

  /** A container's host for visitors (without the port). */
  host(id: string, service: string | null): string {
    return formatContainerHost({ container: id, service, org: this.people.org, domain: DOMAIN });
  }

  /** A plain HTTP request to the bridge's Nginx with a container host (as a browser on `*.localhost` would send it). */
  visit(host: string, path = "/", headers: Record<string, string> = {}): Promise<Visit> {
    return new Promise((resolvePromise, reject) => {
      const req = request({ host: this.net.vpsUp, port: PORTS.nginx, path, headers: { host: `${host}:${PORTS.nginx}`, ...headers }, timeout: 10_000 }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolvePromise({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on("timeout", () => req.destroy(new Error(`no answer from ${host}${path}`)));
      req.on("error", reject);
      req.end();
    });
  }

  /**
   * The visitor's whole way in: no cookie → the app → a ticket → the bridge's cookie for this
   * host. Returns `kiln_uc=…`, or `refused:{status}` when the worker refuses the ticket; throws
   * when any step answers other than the protocol says.
   */
  async signIn(host: string, session: string, path = "/api"): Promise<string> {
    const first = await this.visit(host, path);
    if (first.status !== 302) throw new Error(`${host}${path} without a cookie answered ${first.status}, not 302`);
    const open = new URL(String(first.headers.location));
    if (open.pathname !== "/api/containers/open") throw new Error(`a visitor without a cookie is sent to ${open.href}, not /api/containers/open`);
    // Nginx sends the visitor to the app as the bridge knows it (KILN_URL, here the forwarder in front of
    // the worker); the visitor's browser holds its session for the app's own address, loopback here.
    if (open.host !== `${this.net.hostSide}:${PORTS.forward}`) throw new Error(`a visitor is sent to ${open.host}, not the app the bridge knows`);
    const toWorker = await fetch(`${this.workerUrl}${open.pathname}${open.search}`, { headers: { cookie: `kiln_session=${session}` }, redirect: "manual" });
    if (toWorker.status !== 302) return `refused:${toWorker.status}`;
    const callback = new URL(toWorker.headers.get("location")!);
    const answer = await this.visit(host, `${callback.pathname}${callback.search}`);
    const setCookie = String(answer.headers["set-cookie"] ?? "");
    if (answer.status !== 302) throw new Error(`the bridge's callback answered ${answer.status}, not 302`);
    if (!/kiln_uc=[^;]+; .*HttpOnly/i.test(setCookie) || /domain=/i.test(setCookie)) throw new Error(`the bridge's cookie is not a host-only HttpOnly kiln_uc: ${setCookie}`);
    return /kiln_uc=[^;]+/.exec(setCookie)![0];
  }

  /** Stops everything it started, each step whatever happened before; `keepLogs` keeps the work folder (logs, data). Safe to call twice. */
  async close(options: { keepLogs?: boolean } = {}): Promise<void> {
    const names = [...this.#containers];
    this.#containers.clear();
    // podman's own CLI, in one call: `--ignore` skips those never run (`docker rm` has no such flag).
    if (names.length > 0 && this.podman) {
      const removed = await this.podman.podman(["rm", "--force", "--time", "0", "--ignore", ...names], true).catch((error: Error) => ({ code: 1, stderr: error.message }));
      if (removed.code !== 0) this.log(`   could not remove every container (${names.join(" ")}): ${removed.stderr.trim()}`);
    }
    await Promise.all(this.#fallbacks.splice(0).map((launched) => launched.container.stop(5_000).catch(() => undefined)));
    await this.#proxy?.close().catch(() => undefined);
    await this.podman?.stop().catch(() => undefined);
    if (this.bridge) await stopChild(this.bridge, 10_000).catch(() => undefined);
    this.#forwarder?.close();
    // npm start stops on Ctrl-C; should it hang, its whole process group goes.
    if (this.stack) await Promise.race([this.stack.stop(), new Promise((done) => setTimeout(done, 20_000))]).catch(() => undefined);
    if (this.stack?.child.exitCode === null) process.kill(-this.stack.child.pid!, "SIGKILL");
    this.topology?.destroySync();
    process.off("exit", this.#onExit);
    if (process.env.KILN_KEEP_E2E !== "1" && !options.keepLogs) rmSync(this.work, { recursive: true, force: true });
  }

  /** On the process's exit without `close()` (an uncaught error, a signal turned into exit): the hard way, synchronously. */
  #killSync(): void {
    const names = [...this.#containers];
    if (names.length > 0 && this.podman) {
      try {
        execFileSync("nsenter", [`--net=/run/netns/${this.topology!.ns("dock")}`, "--", "podman", ...podmanGlobalArgs(), "rm", "-f", "-t", "0", "--ignore", ...names], { env: podmanEnv(), stdio: "ignore", timeout: 60_000 });
      } catch {
        // What is left shows in `podman ps`.
      }
    }
    // Every process under this one: `npm start` runs wrangler in a process group of its own, and
    // podman's service is a plain child, so killing the children's groups is not enough.
    for (const pid of descendantsSync(process.pid)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    this.topology?.destroySync();
  }

  /** The bridge in the vps namespace, in its own process group (should this process die, OpenVPN and Nginx go with it); resolves once it says ready. */
  async #startBridge(): Promise<void> {
    const { net, topology } = this;
    const logFile = createWriteStream(join(this.work, "bridge.log"), { flags: "a" });
    const from = this.#bridgeLog.length;
    const bridge = spawn("nsenter", [`--net=/run/netns/${topology!.ns("vps")}`, "--", process.execPath, "--import", "tsx", "vpn-bridge/src/main.ts"], {
      cwd: root,
      detached: true,
      env: {
        ...process.env,
        KILN_URL: `http://${net.hostSide}:${PORTS.forward}`,
        KILN_BRIDGE_KEY: this.bridgeKey,
        KILN_CONTAINER_DOMAIN: DOMAIN,
        KILN_CONTAINER_SCHEME: "http",
        KILN_BRIDGE_PUBLIC_URL: `http://${net.vps}:${PORTS.profile}`,
        KILN_VPN_LISTEN: `${net.vps}:${PORTS.vpn}`,
        KILN_VPN_SUBNET: this.vpnSubnet,
        KILN_STATE_DIR: join(this.work, "bridge-state"),
        KILN_HTTP_LISTEN: `0.0.0.0:${PORTS.nginx}`,
        KILN_PROFILE_LISTEN: `${net.vps}:${PORTS.profile}`,
        KILN_REPORT_PORT: String(PORTS.report),
        KILN_AUTH_PORT: String(PORTS.auth),
        KILN_MANAGEMENT_PORT: String(PORTS.management),
        KILN_VPN_DEVICE: `kt${topology!.id}`,
        // Visitor activity reaches the gateway at once, so a test sees it without waiting a minute.
        KILN_ACTIVITY_EVERY_MS: "500",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.bridge = bridge;
    for (const stream of [bridge.stdout!, bridge.stderr!]) stream.on("data", (chunk: Buffer) => ((this.#bridgeLog += chunk.toString()), logFile.write(chunk)));
    bridge.once("exit", () => logFile.end());
    await waitFor("the bridge to be ready", () => /ready:/.test(this.#bridgeLog.slice(from)) || (bridge.exitCode !== null ? Promise.reject(new Error(`bridge exited:\n${this.#bridgeLog.slice(from)}`)) : null), 90_000);
  }

  /**
   * Stops the bridge (SIGTERM: it stops its OpenVPN and Nginx) and starts it again with the same
   * state dir and key; resolves once the new one says ready. Returns when each happened.
   */
  async restartBridge(): Promise<{ stoppedAt: number; readyAt: number }> {
    if (this.bridge) await stopChild(this.bridge, 10_000);
    const stoppedAt = Date.now();
    await this.#startBridge();
    return { stoppedAt, readyAt: Date.now() };
  }

  async #start(): Promise<void> {
    const { net, log } = this;
    rmSync(this.work, { recursive: true, force: true });
    mkdirSync(this.work, { recursive: true });
    if (this.runtime === "podman") {
      log("== images (a cached rootfs makes this seconds)");
      await buildImages((line) => log(`   ${line}`));
    } else {
      log("== the images' rootfs and the agent (no podman: containers run as namespaces with this rootfs)");
      const tarball = await ensureRootfs(rootfsPackages(), async (name, work) => (log(`   ${name}`), work()));
      await buildAgent();
      this.#rootfs = await extractRootfs(tarball);
    }

    log(`== namespaces: vps (bridge, OpenVPN, Nginx) and dock (the user's machine: ${this.runtime}), vps linked to this machine`);
    const topology = await Topology.create({ roles: ["vps", "dock"], links: [{ a: "vps", aAddress: `${net.vps}/24`, b: "dock", bAddress: `${net.dock}/24` }], defaultRoutes: { dock: net.vps } });
    this.topology = topology;
    const hostIf = `kx${topology.id}h`;
    await run("ip", ["link", "add", hostIf, "type", "veth", "peer", "name", `kx${topology.id}v`]);
    await run("ip", ["link", "set", `kx${topology.id}v`, "netns", topology.ns("vps")]);
    await run("ip", ["addr", "add", `${net.hostSide}/24`, "dev", hostIf]);
    await run("ip", ["link", "set", hostIf, "up"]);
    await run("ip", ["-n", topology.ns("vps"), "addr", "add", `${net.vpsUp}/24`, "dev", `kx${topology.id}v`]);
    await run("ip", ["-n", topology.ns("vps"), "link", "set", `kx${topology.id}v`, "up"]);

    log("== npm start");
    const ports = await freeStackPorts();
    this.workerPort = ports.KILN_WORKER_PORT;
    this.stack = await startStack({
      ...ports,
      KILN_DATA_DIR: join(this.work, "data"),
      KILN_CONTAINER_DOMAIN: `${DOMAIN}:${PORTS.nginx}`,
      KILN_CONTAINER_SCHEME: "http",
      KILN_BRIDGE_PUBLIC_URL: `http://${net.vps}:${PORTS.profile}`,
    });
    this.bridgeKey = readFileSync(join(this.work, "data", "bridge-key"), "utf8").trim();
    // The bridge in its namespace reaches the worker through this forwarder (wrangler listens on loopback).
    const forwarder = createServer((socket) => {
      const upstream = createConnection({ host: "127.0.0.1", port: Number(this.workerPort) });
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    });
    this.#forwarder = forwarder;
    await new Promise<void>((done) => forwarder.listen(PORTS.forward, net.hostSide, done));

    this.people = await people(this.workerUrl);
    // The org is pinned to the bridge when it first creates a container; the bridge then finds it.
    const warmUp = await this.create("warm-up");
    await this.deleteOnBoard(warmUp.container.id);

    log("== the VPN bridge");
    await this.#startBridge();

    if (this.runtime === "fallback") return log("== no podman in the user's machine: containers run there as namespaces with the image rootfs (runFallback)");
    log("== podman in the user's machine, behind the Docker API");
    this.podman = await startPodmanService(topology.enter("dock"), join(this.work, "podman.sock"), join(this.work, "podman.log"));
    this.#proxy = await startDockerPingProxy(join(this.work, "docker.sock"), this.podman.socket);
  }
}

/** The processes under `root`, read from /proc in one pass. */
function descendantsSync(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Ada makes the org and an org-wide project and invites Ben, who joins; Cyd has an org of her own. */
async function people(workerUrl: string): Promise<People> {
  const ada = apiClient(workerUrl);
  const ben = apiClient(workerUrl);
  const cyd = apiClient(workerUrl);
  const benEmail = `ben-${crypto.randomUUID()}@kiln.test`;
  await ada.call("/api/auth/signup", { email: `ada-${crypto.randomUUID()}@kiln.test`, password: "container test password", name: "Ada" });
  const org = await ada.call<{ id: string }>("/api/orgs", { name: "Lab" });
  const project = await ada.call<{ id: string }>(`/api/orgs/${org.id}/projects`, { name: "Models", visibility: "org" });
  await ada.call(`/api/orgs/${org.id}/invitations`, { email: benEmail, role: "member" });
  await ben.call("/api/auth/signup", { email: benEmail, password: "container test password", name: "Ben" });
  const mail = await ben.call<{ messages: { text: string }[] }>(`/api/dev/mailbox/messages?to=${encodeURIComponent(benEmail)}`);
  const link = (pattern: RegExp) => mail.messages.map((m) => pattern.exec(m.text)?.[1]).find(Boolean);
  await ben.call("/api/auth/verify-email", { token: link(/verify-email\?token=([\w-]+)/) });
  await ben.call("/api/invitations/accept", { token: link(/invitations\/accept\?token=([\w-]+)/) });
  const benMe = await ben.call<{ user: { id: string } }>("/api/me");
  await cyd.call("/api/auth/signup", { email: `cyd-${crypto.randomUUID()}@kiln.test`, password: "container test password", name: "Cyd" });
  await cyd.call("/api/orgs", { name: "Elsewhere" });
  return { ada, ben, cyd, org: org.id, project: project.id, benId: benMe.user.id };
}
