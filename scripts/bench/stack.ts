/**
 * The local stack for the benchmark, as `npm start` runs it but without Vite: embedded
 * Postgres (PGlite) → WebSocket proxy → migrations → `wrangler dev`, on free ports and a
 * temporary data folder. The worker can be stopped and started again on the same data (to
 * write project docs into the gateway's storage while workerd is down).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readdir, readFile, readlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { migrateDatabase } from "../../drizzle/migrate";
import { startDbProxy, type DbProxy } from "../local/db-proxy";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../local/embedded-postgres";
import { loadOrCreateJwtPrivateKey } from "../local/jwt-key";
import { findFreePort } from "../local/ports";
import { stopProcessGroup } from "../local/process-group";

const root = resolve(import.meta.dirname, "../..");

export interface BenchStack {
  /** `http://127.0.0.1:<port>` of the worker. */
  url: string;
  dataDir: string;
  /** wrangler's DevTools inspector port (for profiling the worker). */
  inspectorPort: number;
  /** Folder of the Durable Objects' SQLite files. */
  doStorageDir: string;
  /** Stops `wrangler dev` (and workerd), keeping the data. */
  stopWorker(): Promise<void>;
  /** Starts `wrangler dev` again on the same port and data; resolves once healthy. */
  startWorker(): Promise<void>;
  /** Resident memory of the workerd process that runs the worker and the GatewayDO, in bytes (from /proc). */
  workerdRss(): Promise<number | null>;
  /** The id of that workerd process, or null when it is not running. */
  workerdPid(): Promise<number | null>;
  /**
   * `http://127.0.0.1:<port>` of that workerd process itself, behind wrangler's dev proxy.
   * Production has no such proxy: the benchmark measures Kiln both ways.
   */
  directUrl(): Promise<string>;
  /** Stops everything; safe to call twice. */
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /**
   * Keep wrangler dev's local observability (its trace store; on by default in `wrangler dev`
   * and in `npm start`). Off unless asked: it is not part of the platform being measured.
   */
  localObservability?: boolean;
}

/** Starts the stack in `dataDir`; `log` gets progress and the worker's error lines. */
export async function startBenchStack(dataDir: string, log: (line: string) => void, options: BenchStackOptions = {}): Promise<BenchStack> {
  let postgres: EmbeddedPostgres | undefined;
  let proxy: DbProxy | undefined;
  let worker: ChildProcess | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopProcessGroup(worker);
    await proxy?.close();
    await postgres?.stop();
  };
  try {
    postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, "postgres"), port: await findFreePort() });
    const target = new URL(postgres.url);
    proxy = await startDbProxy({ target: `${target.hostname}:${target.port}`, port: await findFreePort(), serialize: true });
    const db = { databaseUrl: postgres.url, wsProxy: `127.0.0.1:${proxy.port}` };
    await migrateDatabase(db);
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    const jwtKey = await loadOrCreateJwtPrivateKey(dataDir);
    const inspectorPort = await findFreePort();
    const startWorker = async () => {
      worker = await spawnWrangler({ port, inspectorPort, dataDir, db, jwtKey, localObservability: options.localObservability ?? false, log });
      await waitForHealth(url, worker);
    };
    await startWorker();
    return {
      url,
      dataDir,
      inspectorPort,
      doStorageDir: join(dataDir, "wrangler/v3/do/kiln-GatewayDO"),
      stopWorker: async () => {
        await stopProcessGroup(worker);
        worker = undefined;
      },
      startWorker,
      workerdRss: () => workerdRss(worker, port),
      workerdPid: () => workerdPid(worker, port),
      directUrl: () => directUrl(worker, port),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function spawnWrangler(options: { port: number; inspectorPort: number; dataDir: string; db: { databaseUrl: string; wsProxy: string }; jwtKey: string; localObservability: boolean; log: (line: string) => void }): Promise<ChildProcess> {
  const wrangler = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin/wrangler.js");
  await mkdir(join(root, "web/dist"), { recursive: true }); // the assets folder wrangler.toml names
  const args = [
    wrangler, "dev",
    "--ip", "127.0.0.1",
    "--port", String(options.port),
    "--inspector-port", String(options.inspectorPort),
    "--persist-to", join(options.dataDir, "wrangler"),
    "--var", `DB_WS_PROXY:${options.db.wsProxy}`,
    "--var", "KILN_ENV:development",
    "--var", "EMAIL_PROVIDER:outbox",
    "--show-interactive-dev-session=false",
    "--log-level", "warn",
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true, // its own process group, so stopping it stops workerd too
    env: {
      ...process.env,
      DATABASE_URL: options.db.databaseUrl,
      JWT_PRIVATE_KEY: options.jwtKey,
      // wrangler dev's local trace store (on by default) is a dev tool production does not
      // have: it writes every invocation's spans to SQLite, with an fsync, in workerd's thread.
      X_LOCAL_OBSERVABILITY: options.localObservability ? "true" : "false",
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      FORCE_COLOR: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => {
      if (line.trim()) options.log(`[worker] ${line}`);
    });
  }
  return child;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`wrangler dev exited (${child.signalCode ?? child.exitCode})`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the worker did not become healthy within 90 s (${last})`);
}

/**
 * The workerd process under `wrangler dev` that runs Kiln. wrangler starts two: one for its
 * own proxy, listening on the public port, and one for the worker and its Durable Objects,
 * on a port of its own.
 */
async function workerdPid(worker: ChildProcess | undefined, publicPort: number): Promise<number | null> {
  if (!worker?.pid) return null;
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'.
      const close = stat.lastIndexOf(")");
      names.set(Number(entry), stat.slice(stat.indexOf("(") + 1, close));
      parents.set(Number(entry), Number(stat.slice(close + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === worker.pid) return true;
    return false;
  };
  let pid: number | null = null;
  for (const [p, name] of names) {
    if (name !== "workerd" || !descends(p)) continue;
    const args = await readFile(`/proc/${p}/cmdline`, "utf8").catch(() => "");
    if (!args.includes(`entry=127.0.0.1:${publicPort}`)) pid = p;
  }
  return pid;
}

async function workerdRss(worker: ChildProcess | undefined, publicPort: number): Promise<number | null> {
  const pid = await workerdPid(worker, publicPort);
  if (pid === null) return null;
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : null;
}

/**
 * The loopback port of Kiln's workerd. Its entry socket is the first it opens (the lowest fd
 * among its listening sockets, matched by inode in /proc/net/tcp); the others include a
 * Cap'n Proto debug port that must not be sent HTTP. Checked with /api/health.
 */
async function directUrl(worker: ChildProcess | undefined, publicPort: number): Promise<string> {
  const pid = await workerdPid(worker, publicPort);
  if (pid === null) throw new Error("the workerd process running Kiln was not found under wrangler dev");
  const listening = new Map<string, number>();
  for (const line of (await readFile("/proc/net/tcp", "utf8")).split("\n").slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[3] === "0A") listening.set(cols[9]!, parseInt(cols[1]!.split(":")[1]!, 16)); // LISTEN, by inode
  }
  let entry: { fd: number; port: number } | null = null;
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const inode = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ""))?.[1];
    const port = inode ? listening.get(inode) : undefined;
    if (port !== undefined && (!entry || Number(fd) < entry.fd)) entry = { fd: Number(fd), port };
  }
  if (!entry) throw new Error(`workerd (pid ${pid}) has no listening socket`);
  const url = `http://127.0.0.1:${entry.port}`;
  const res = await fetch(`${url}/api/health`).catch((error: unknown) => error);
  if (!(res instanceof Response) || !res.ok) throw new Error(`workerd's first listening port ${entry.port} does not answer /api/health (${res instanceof Response ? `HTTP ${res.status}` : String(res)})`);
  return url;
}
