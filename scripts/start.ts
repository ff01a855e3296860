/**
 * `npm start`: the whole platform on this machine, with no account and no internet.
 * Embedded Postgres (PGlite) → WebSocket proxy → migrations → `wrangler dev` (worker and
 * GatewayDO) → Vite (the SPA, proxying /api and /gw). Ctrl-C stops all of it; the data
 * stays under .kiln/ for the next start.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { ViteDevServer } from "vite";
import { migrateDatabase } from "../drizzle/migrate";
import { isNeonUrl, readLocalConfig, type LocalConfig } from "./local/config";
import { startDbProxy, type DbProxy } from "./local/db-proxy";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./local/embedded-postgres";
import { loadOrCreateBridgeKey, loadOrCreateJwtPrivateKey } from "./local/jwt-key";
import { findFreePort, isPortFree } from "./local/ports";
import { wantsRequestLogs, workerLineFilter } from "./local/quiet-log";
import { stopProcessGroup } from "./local/process-group";
import { startWebServer } from "./local/web-server";

const root = resolve(import.meta.dirname, "..");
const log = (message: string) => console.log(`kiln  ${message}`);
/** `npm start -- --log-requests` (or KILN_LOG_REQUESTS=1): every request and wrangler's banner, as they come. */
const verbose = wantsRequestLogs(process.argv.slice(2), process.env);

/** Everything started so far, stopped in reverse order. */
const running: { postgres?: EmbeddedPostgres; proxy?: DbProxy; worker?: ChildProcess; vite?: ViteDevServer } = {};
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log("stopping…");
    await running.vite?.close();
    await stopProcessGroup(running.worker);
    await running.proxy?.close();
    await running.postgres?.stop();
  }
  process.exit(code);
}

function fail(message: string): Promise<never> {
  console.error(`\nkiln  ✖ ${message}\n`);
  return stop(1);
}

async function checkPorts(config: LocalConfig, needsProxy: boolean): Promise<void> {
  const wanted: [number, string, string][] = [
    [config.webPort, "web (Vite)", "KILN_WEB_PORT"],
    [config.workerPort, "worker (wrangler dev)", "KILN_WORKER_PORT"],
  ];
  if (!config.databaseUrl) wanted.push([config.dbPort, "embedded Postgres", "KILN_DB_PORT"]);
  if (needsProxy) wanted.push([config.dbProxyPort, "database proxy", "KILN_DB_PROXY_PORT"]);
  for (const [port, what, variable] of wanted) {
    if (!(await isPortFree(port))) {
      await fail(
        `Port ${port} (${what}) is already in use — is another \`npm start\` running?\n` +
          `       Stop it, or pick another port: ${variable}=<port> npm start`,
      );
    }
  }
}

/** Starts the database side and returns what the worker needs to reach it. */
async function startDatabase(config: LocalConfig): Promise<{ databaseUrl: string; wsProxy: string }> {
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dir = join(config.dataDir, "postgres");
    log(`embedded Postgres (PGlite) · data in ${dir}`);
    running.postgres = await startEmbeddedPostgres({ dataDir: dir, port: config.dbPort });
    databaseUrl = running.postgres.url;
  } else {
    log(`database from DATABASE_URL · ${new URL(databaseUrl).host}`);
  }
  let wsProxy = "";
  if (!isNeonUrl(databaseUrl)) {
    const url = new URL(databaseUrl);
    running.proxy = await startDbProxy({
      target: `${url.hostname}:${url.port || 5432}`,
      port: config.dbProxyPort,
      serialize: running.postgres !== undefined,
    });
    wsProxy = `127.0.0.1:${running.proxy.port}`;
  }
  return { databaseUrl, wsProxy };
}

/** `wrangler dev` on Node from this install, its output prefixed and kept in view. */
async function startWorker(config: LocalConfig, db: { databaseUrl: string; wsProxy: string }): Promise<ChildProcess> {
  const wranglerPackage = createRequire(import.meta.url).resolve("wrangler/package.json");
  const wrangler = join(dirname(wranglerPackage), "bin/wrangler.js");
  // wrangler serves the built SPA from web/dist in production; in development Vite does.
  await mkdir(join(root, "web/dist"), { recursive: true });
  const args = [
    wrangler, "dev",
    "--ip", "127.0.0.1",
    "--port", String(config.workerPort),
    "--inspector-port", String(await findFreePort()),
    "--persist-to", join(config.dataDir, "wrangler"),
    "--var", `DB_WS_PROXY:${db.wsProxy}`,
    "--var", "KILN_ENV:development",
    "--var", "EMAIL_PROVIDER:outbox",
    "--var", `APP_URL:http://localhost:${config.webPort}`,
    // User containers: hosts under *.localhost (browsers resolve it to loopback), the bridge's Nginx on its port.
    "--var", `CONTAINER_DOMAIN:${process.env.KILN_CONTAINER_DOMAIN ?? "containers.localhost:8480"}`,
    "--var", `CONTAINER_SCHEME:${process.env.KILN_CONTAINER_SCHEME ?? "http"}`,
    "--var", `BRIDGE_PUBLIC_URL:${process.env.KILN_BRIDGE_PUBLIC_URL ?? "http://127.0.0.1:9002"}`,
    "--show-interactive-dev-session=false",
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true, // its own process group, so stopping it stops workerd too
    env: {
      ...process.env,
      // Secrets reach `wrangler dev` through its environment.
      DATABASE_URL: db.databaseUrl,
      JWT_PRIVATE_KEY: await loadOrCreateJwtPrivateKey(config.dataDir),
      BRIDGE_KEY: await loadOrCreateBridgeKey(config.dataDir),
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      FORCE_COLOR: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = workerLineFilter(verbose);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on("line", (line) => {
      if (line.trim() && keep(line)) console.log(`[worker] ${line}`);
    });
  }
  child.on("exit", (code, signal) => {
    if (!stopping) void fail(`wrangler dev exited (${signal ?? `code ${code}`}); its output is above.`);
  });
  return child;
}

/** Resolves once the worker answers its health check through the database. */
async function waitForWorker(port: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return;
      last = `HTTP ${res.status}: ${await res.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await fail(`The worker did not become healthy within 90 s (${last}).`);
}

async function main(): Promise<void> {
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  const config = readLocalConfig();
  const needsProxy = !config.databaseUrl || !isNeonUrl(config.databaseUrl);
  await checkPorts(config, needsProxy);
  await mkdir(config.dataDir, { recursive: true });

  const db = await startDatabase(config);
  log("applying migrations…");
  await migrateDatabase(db);

  log(`starting the worker (wrangler dev) on port ${config.workerPort}…`);
  running.worker = await startWorker(config, db);
  await waitForWorker(config.workerPort);

  process.env.KILN_WORKER_URL = `http://127.0.0.1:${config.workerPort}`;
  running.vite = await startWebServer({ port: config.webPort, dataDir: config.dataDir, verbose });

  const url = `http://localhost:${config.webPort}`;
  console.log(`\n  ➜  Kiln is running at ${url}  (Ctrl-C to stop)`);
  console.log(`     First time? Sign up at ${url}/signup, then open the dev mailbox at ${url}/api/dev/mailbox`);
  console.log(`     to confirm your email: every email (sign-in links, invitations) lands there, none is sent.`);
  if (!verbose) console.log(`     Quiet by default: \`npm start -- --log-requests\` prints every request.`);
  console.log(`     Containers need a VPN bridge (root): sudo KILN_URL=http://127.0.0.1:${config.workerPort} KILN_BRIDGE_KEY=$(cat ${join(config.dataDir, "bridge-key")}) npm run bridge  (see vpn-bridge/README.md)\n`);
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
