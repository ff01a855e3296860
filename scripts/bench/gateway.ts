/**
 * `npm run bench:gateway`: Kiln's gateway on `wrangler dev` (the stack `npm start` runs,
 * without Vite, on free ports and a temporary folder) with 10, 50 and 200 clients on one
 * project — event round-trip, fan-out to every reader, sustained events/s — then the same
 * Yjs traffic against @y/websocket-server and @hocuspocus/server on loopback, and the cold
 * load of 1,000- and 10,000-node projects. Prints Markdown tables. Everything it starts is
 * stopped on exit, error or Ctrl-C; it talks only to 127.0.0.1.
 */
import { readdir, mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { Api, type ApiUser, type GatewayTicket } from "./api";
import { buildProjectDoc, writeProjectDoc } from "./project-docs";
import { startPeer } from "./peers";
import { heldWrites, perfProblem, startGcTrace } from "./gc-trace";
import { startProfiler } from "./profile";
import { type ColdLoadResult, coldTable, scaleTable } from "./report";
import { type Route, type ScaleResult, type ScaleSettings, coldLoad, poolRounds, runKilnScale, runPeerScale } from "./scenarios";
import { startBenchStack } from "./stack";

/** `-- --help` lists these options. */
const HELP = `npm run bench:gateway [-- options]
  --clients=10,50,200   client counts to run (default all three)
  --rounds=3            rounds of the client-count runs, every server in turn in each (default 3; samples pooled)
  --route=both          Kiln through wrangler's dev proxy ("proxy"), straight to workerd ("direct"), or both
  --no-peers            skip y-websocket and Hocuspocus
  --no-cold             skip the cold-load measurement
  --no-scale            skip the client-count runs
  --profile             print a CPU profile of the worker during the largest Kiln run
  --gc-trace            count the timed writes that a garbage collection held up, on every server:
                        workerd sampled with Linux perf during Kiln's runs (needs perf and root),
                        the peers' own collections from Node's perf_hooks
  --local-observability keep wrangler dev's local trace store on (off by default: a dev tool
                        that writes every invocation's spans to SQLite in workerd's thread)`;
const flag = (name: string) => process.argv.includes(`--${name}`);
const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
if (flag("help")) {
  console.log(HELP);
  process.exit(0);
}
/** A bad option: says which and how, then exits 2. */
function usage(message: string): never {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
}
const KNOWN = ["help", "no-peers", "no-cold", "no-scale", "profile", "gc-trace", "local-observability", "clients=", "route=", "rounds="];
for (const arg of process.argv.slice(2)) if (!KNOWN.some((k) => arg === `--${k}` || (k.endsWith("=") && arg.startsWith(`--${k}`)))) usage(`Unknown option ${arg}.`);
const CLIENT_COUNTS = (option("clients") ?? "10,50,200").split(",").map(Number);
if (CLIENT_COUNTS.some((n) => !Number.isInteger(n) || n < 2 || n > 1000)) usage("--clients takes counts between 2 and 1000, e.g. --clients=10,200");
const ROUNDS = Number(option("rounds") ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 10) usage("--rounds takes a whole number from 1 to 10");
const ROUTE = option("route") ?? "both";
if (!["both", "proxy", "direct"].includes(ROUTE)) usage("--route is proxy, direct or both");
const ROUTES = (ROUTE === "both" ? ["proxy", "direct"] : [ROUTE]) as Route[];
const RUN = { peers: !flag("no-peers"), cold: !flag("no-cold"), scale: !flag("no-scale") };
/** One user per this many clients (a person with several tabs); all of them org members. */
const CLIENTS_PER_USER = 20;
const fanOutIterations = (n: number) => (n <= 10 ? 60 : n <= 50 ? 40 : 30);
const SETTINGS: Omit<ScaleSettings, "fanOutIterations"> = { gapMs: 20, sustainedMs: 8_000, kilnPerClientPerSecond: 19 };
const COLD_SIZES = [1_000, 10_000] as const;
const COLD_COPIES = 3;
/** `-- --profile`: a CPU profile of the worker during the largest Kiln run, printed at the end. */
const PROFILE = flag("profile");
/** `-- --gc-trace`: workerd's collector pauses against Kiln's timed writes (scripts/bench/gc-trace.ts). */
const GC_TRACE = flag("gc-trace");

const started = performance.now();
const stamp = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s`;
let lastProgress = 0;
/** Progress on one rewritten line in a terminal; otherwise at most one line a second. */
function progress(line: string, final = false): void {
  if (process.stdout.isTTY) {
    process.stdout.write(`\r\x1b[2K${stamp()}  ${line}${final ? "\n" : ""}`);
  } else if (final || performance.now() - lastProgress > 1000) {
    lastProgress = performance.now();
    console.log(`${stamp()}  ${line}`);
  }
}
const log = (line: string) => progress(line, true);

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        console.error("cleanup:", error);
      }
    }
  })();
  return cleaning;
}
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupted = true;
    console.log(`\n${signal}: stopping everything…`);
    void cleanup().then(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const users = Math.ceil(Math.max(...CLIENT_COUNTS) / CLIENTS_PER_USER);
  console.log(`Kiln gateway benchmark · Node ${process.version} · ${cpus().length} cores · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(
    `clients ${CLIENT_COUNTS.join(", ")} on one project (${users} users, ${CLIENTS_PER_USER} clients each at most) · ${ROUNDS} round${ROUNDS > 1 ? "s" : ""} · fan-out writes ${CLIENT_COUNTS.map(fanOutIterations).join("/")} per round, ${SETTINGS.gapMs} ms apart · sustained ${SETTINGS.sustainedMs / 1000} s per run · cold load ${COLD_SIZES.join(" and ")} nodes × ${COLD_COPIES} projects per route · Kiln via ${ROUTES.join(" and ")} · wrangler dev's local observability ${flag("local-observability") ? "on" : "off"}${GC_TRACE ? " · collections traced (--gc-trace): workerd sampled by perf at 1 kHz during Kiln's runs, the peers' from perf_hooks" : ""}`,
  );

  if (GC_TRACE) {
    const problem = await perfProblem();
    if (problem) usage(problem);
  }
  const dataDir = await mkdtemp(join(tmpdir(), "kiln-bench-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  log(`starting embedded Postgres and wrangler dev (data in ${dataDir})…`);
  const stack = await startBenchStack(dataDir, (line) => console.log(line), { localObservability: flag("local-observability") });
  cleanups.push(() => stack.stop());
  log(`worker up at ${stack.url}`);

  // Fixtures through the API: users, one org, a project per client count and route, the large projects.
  const api = new Api(stack.url);
  const people: ApiUser[] = [];
  for (let i = 0; i < users; i++) people.push(await api.signUp(i));
  const owner = people[0]!;
  const org = await api.createOrg(owner, "Bench");
  for (const person of people.slice(1)) await api.join(owner, org, person);
  const scaleProjects = new Map<string, string>();
  // A fresh project for every run, so no round starts from another's leftovers.
  if (RUN.scale) {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const route of ROUTES) for (const n of CLIENT_COUNTS) scaleProjects.set(`${route}/${n}/${round}`, await api.createProject(owner, org, `${n} clients ${route} round ${round}`));
    }
  }
  const warmProject = await api.createProject(owner, org, "warm-up");
  const coldProjects = new Map<string, string[]>();
  if (RUN.cold) {
    for (const route of ROUTES) {
      for (const size of COLD_SIZES) {
        const ids: string[] = [];
        for (let c = 0; c < COLD_COPIES; c++) ids.push(await api.createProject(owner, org, `${size} nodes ${route} #${c + 1}`));
        coldProjects.set(`${route}/${size}`, ids);
      }
    }
  }
  log(`${users} users, org and ${scaleProjects.size + 1 + coldProjects.size * COLD_COPIES} projects created through the API`);

  // The direct route's port changes whenever wrangler restarts: looked up again after each start.
  let direct = ROUTES.includes("direct") ? await stack.directUrl() : null;
  if (direct) log(`workerd itself (behind wrangler's proxy) answers at ${direct}`);

  // Tickets (connect pushes the membership; done before any timing).
  const ticket = async (user: ApiUser, project: string, route: Route): Promise<GatewayTicket> => {
    const t = await api.connect(user, org, project);
    return route === "direct" ? { ...t, url: t.url.replace(new URL(stack.url).host, new URL(direct!).host) } : t;
  };

  // The client-count runs come first; the cold loads come after a restart of wrangler. So neither
  // runs beside the other's leftovers: the large docs (about 160 MiB of workerd's memory) stay in
  // the isolate until the alarm unloads them, and used to share it with the first scale rounds.
  const results: ScaleResult[] = [];
  let profile: string[] = [];
  if (RUN.scale) {
    // Both peers stay up through every round; each round runs every server in turn.
    const peers = [];
    if (RUN.peers) {
      for (const kind of ["y-websocket", "hocuspocus"] as const) {
        const peer = await startPeer(kind, { gcTrace: GC_TRACE });
        cleanups.push(() => peer.stop());
        log(`${kind} listening on 127.0.0.1:${peer.port}`);
        peers.push({ kind, ...peer });
      }
    }
    for (let round = 1; round <= ROUNDS; round++) {
      const inRound: typeof progress = (line, final) => progress(ROUNDS > 1 ? `round ${round}/${ROUNDS} · ${line}` : line, final);
      for (const n of CLIENT_COUNTS) {
        const settings = { ...SETTINGS, fanOutIterations: fanOutIterations(n) };
        for (const route of ROUTES) {
          const project = scaleProjects.get(`${route}/${n}/${round}`)!;
          const tickets: GatewayTicket[] = [];
          for (let u = 0; u < Math.ceil(n / CLIENTS_PER_USER); u++) tickets.push(await ticket(people[u]!, project, route));
          const profiler = PROFILE && round === ROUNDS && n === Math.max(...CLIENT_COUNTS) && route === ROUTES.at(-1) ? await startProfiler(stack.inspectorPort) : null;
          const pid = GC_TRACE ? await stack.workerdPid() : null;
          if (GC_TRACE && pid === null) throw new Error("--gc-trace: the workerd process running Kiln was not found under wrangler dev");
          const trace = pid === null ? null : await startGcTrace(pid, join(dataDir, "perf.data"));
          const result = await runKilnScale(n, route, (i) => tickets[Math.floor(i / CLIENTS_PER_USER)]!, settings, inRound).catch((error: unknown) => {
            trace?.cancel();
            throw error;
          });
          if (trace) {
            inRound(`kiln (${route}) · ${n} clients · reading workerd's samples (perf script)…`);
            result.gc = await trace.stop(result.fanOut.windows);
          }
          results.push(result);
          if (profiler) profile = await profiler.stop();
        }
        for (const peer of peers) {
          const from = performance.now();
          const result = await runPeerScale(peer.kind, peer.port, n, settings, inRound, round);
          if (GC_TRACE) {
            const to = performance.now();
            await new Promise((resolve) => setTimeout(resolve, 200)); // the server's last `gc` lines, still in the pipe
            result.gc = heldWrites(result.fanOut.windows, peer.collections(from, to), 0);
          }
          results.push(result);
        }
      }
    }
    for (const peer of peers) await peer.stop();
  }

  const written = new Map<number, { bytes: number; nodeLoadMs: number }>();
  if (RUN.cold) {
    // Large docs: built by the gateway's reducers, written by its DocStore while workerd is down.
    const docs = COLD_SIZES.map((size) => {
      progress(`building a ${size.toLocaleString("en")}-node project doc with the gateway's reducers…`);
      return { size, doc: buildProjectDoc(size, owner.id) };
    });
    log("large docs built");
    await stack.stopWorker();
    const sqliteFile = (await readdir(stack.doStorageDir)).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
    if (sqliteFile.length !== 1) throw new Error(`expected the org's one Durable Object database, found ${sqliteFile.join(", ") || "none"}`);
    for (const { size, doc } of docs) {
      for (const route of ROUTES) for (const project of coldProjects.get(`${route}/${size}`)!) written.set(size, writeProjectDoc(join(stack.doStorageDir, sqliteFile[0]!), project, doc));
      doc.destroy();
    }
    await stack.startWorker();
    log("large docs stored in the gateway's SQLite; wrangler dev restarted");
    if (direct) direct = await stack.directUrl();
  }
  const cold: ColdLoadResult[] = [];
  if (RUN.cold) {
    const coldTickets = new Map<string, GatewayTicket>();
    for (const [key, ids] of coldProjects) for (const id of ids) coldTickets.set(id, await ticket(owner, id, key.split("/")[0] as Route));
    // Cold load: the DO is up (a small project opened first), the large docs are not in memory.
    for (const route of ROUTES) await coldLoad(await ticket(owner, warmProject, route));
    for (const size of COLD_SIZES) {
      for (const route of ROUTES) {
        const rssBefore = await stack.workerdRss();
        const samples = [];
        for (const project of coldProjects.get(`${route}/${size}`)!) {
          progress(`cold load · ${size.toLocaleString("en")} nodes · ${route} · project ${samples.length + 1}/${COLD_COPIES}`);
          samples.push(await coldLoad(coldTickets.get(project)!));
        }
        await new Promise((r) => setTimeout(r, 500));
        cold.push({ route, nodes: size, docBytes: written.get(size)!.bytes, nodeLoadMs: written.get(size)!.nodeLoadMs, samples, rssBefore, rssAfter: await stack.workerdRss() });
      }
    }
    log("cold loads measured");
  }

  console.log(`\nFinished in ${stamp().trim()} · load average now ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
  if (results.length > 0) console.log(`${scaleTable(poolRounds(results).sort((a, b) => a.clients - b.clients))}\n`);
  if (cold.length > 0) console.log(`${coldTable(cold)}\n`);
  if (profile.length > 0) console.log(`Worker CPU profile, Kiln with ${Math.max(...CLIENT_COUNTS)} clients (self time):\n${profile.join("\n")}\n`);
}

/** Reports an error, stops everything and exits 1 (unless a signal is already doing that). */
async function fail(error: unknown): Promise<void> {
  if (interrupted) return; // the signal handler stops everything and exits; what fails meanwhile does not matter
  console.error(`\n✖ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await cleanup();
  process.exit(1);
}
process.on("unhandledRejection", (error) => void fail(error));
main().then(() => cleanup(), fail);
