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
import { startProfiler } from "./profile";
import { type ColdLoadResult, coldTable, scaleTable } from "./report";
import { type ScaleResult, type ScaleSettings, coldLoad, runKilnScale, runPeerScale } from "./scenarios";
import { startBenchStack } from "./stack";

const CLIENT_COUNTS = [10, 50, 200] as const;
/** One user per this many clients (a person with several tabs); all of them org members. */
const CLIENTS_PER_USER = 20;
const FAN_OUT_ITERATIONS: Record<number, number> = { 10: 60, 50: 40, 200: 30 };
const SETTINGS: Omit<ScaleSettings, "fanOutIterations"> = { gapMs: 20, sustainedMs: 8_000, kilnPerClientPerSecond: 19 };
const COLD_SIZES = [1_000, 10_000] as const;
const COLD_COPIES = 3;
/** `-- --profile`: a CPU profile of the worker during the largest Kiln run, printed at the end. */
const PROFILE = process.argv.includes("--profile");

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
  console.log(`clients ${CLIENT_COUNTS.join(", ")} on one project (${users} users, ${CLIENTS_PER_USER} clients each at most) · fan-out writes ${CLIENT_COUNTS.map((n) => FAN_OUT_ITERATIONS[n]).join("/")}, ${SETTINGS.gapMs} ms apart · sustained ${SETTINGS.sustainedMs / 1000} s per run · cold load ${COLD_SIZES.join(" and ")} nodes × ${COLD_COPIES} projects`);

  const dataDir = await mkdtemp(join(tmpdir(), "kiln-bench-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  log(`starting embedded Postgres and wrangler dev (data in ${dataDir})…`);
  const stack = await startBenchStack(dataDir, (line) => console.log(line));
  cleanups.push(() => stack.stop());
  log(`worker up at ${stack.url}`);

  // Fixtures through the API: users, one org, a project per client count, the large projects.
  const api = new Api(stack.url);
  const people: ApiUser[] = [];
  for (let i = 0; i < users; i++) people.push(await api.signUp(i));
  const owner = people[0]!;
  const org = await api.createOrg(owner, "Bench");
  for (const person of people.slice(1)) await api.join(owner, org, person);
  const scaleProjects = new Map<number, string>();
  for (const n of CLIENT_COUNTS) scaleProjects.set(n, await api.createProject(owner, org, `${n} clients`));
  const warmProject = await api.createProject(owner, org, "warm-up");
  const coldProjects = new Map<number, string[]>();
  for (const size of COLD_SIZES) {
    const ids: string[] = [];
    for (let c = 0; c < COLD_COPIES; c++) ids.push(await api.createProject(owner, org, `${size} nodes #${c + 1}`));
    coldProjects.set(size, ids);
  }
  log(`${users} users, org and ${3 + 1 + COLD_SIZES.length * COLD_COPIES} projects created through the API`);

  // Large docs: built by the gateway's reducers, written by its DocStore while workerd is down.
  const docs = COLD_SIZES.map((size) => {
    progress(`building a ${size.toLocaleString("en")}-node project doc with the gateway's reducers…`);
    return { size, doc: buildProjectDoc(size, owner.id) };
  });
  log("large docs built");
  await stack.stopWorker();
  const sqliteFile = (await readdir(stack.doStorageDir)).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (sqliteFile.length !== 1) throw new Error(`expected the org's one Durable Object database, found ${sqliteFile.join(", ") || "none"}`);
  const written = new Map<number, { bytes: number; nodeLoadMs: number }>();
  for (const { size, doc } of docs) {
    for (const project of coldProjects.get(size)!) written.set(size, writeProjectDoc(join(stack.doStorageDir, sqliteFile[0]!), project, doc));
    doc.destroy();
  }
  await stack.startWorker();
  log("large docs stored in the gateway's SQLite; wrangler dev restarted");

  // Tickets (connect pushes the membership; done before any timing).
  const ticket = (user: ApiUser, project: string) => api.connect(user, org, project);
  const warmTicket = await ticket(owner, warmProject);
  const coldTickets = new Map<string, GatewayTicket>();
  for (const ids of coldProjects.values()) for (const id of ids) coldTickets.set(id, await ticket(owner, id));

  // Cold load: the DO is up (a small project opened first), the large docs are not in memory.
  await coldLoad(warmTicket);
  const cold: ColdLoadResult[] = [];
  for (const size of COLD_SIZES) {
    const rssBefore = await stack.workerdRss();
    const samples = [];
    for (const project of coldProjects.get(size)!) {
      progress(`cold load · ${size.toLocaleString("en")} nodes · project ${samples.length + 1}/${COLD_COPIES}`);
      samples.push(await coldLoad(coldTickets.get(project)!));
    }
    await new Promise((r) => setTimeout(r, 500));
    cold.push({ nodes: size, docBytes: written.get(size)!.bytes, nodeLoadMs: written.get(size)!.nodeLoadMs, samples, rssBefore, rssAfter: await stack.workerdRss() });
  }
  log("cold loads measured");

  const results: ScaleResult[] = [];
  let profile: string[] = [];
  for (const n of CLIENT_COUNTS) {
    const project = scaleProjects.get(n)!;
    const tickets: GatewayTicket[] = [];
    for (let u = 0; u < Math.ceil(n / CLIENTS_PER_USER); u++) tickets.push(await ticket(people[u]!, project));
    const profiler = PROFILE && n === Math.max(...CLIENT_COUNTS) ? await startProfiler(stack.inspectorPort) : null;
    results.push(await runKilnScale(n, (i) => tickets[Math.floor(i / CLIENTS_PER_USER)]!, { ...SETTINGS, fanOutIterations: FAN_OUT_ITERATIONS[n]! }, progress));
    if (profiler) profile = await profiler.stop();
  }
  for (const kind of ["y-websocket", "hocuspocus"] as const) {
    const peer = await startPeer(kind);
    cleanups.push(() => peer.stop());
    log(`${kind} listening on 127.0.0.1:${peer.port}`);
    for (const n of CLIENT_COUNTS) results.push(await runPeerScale(kind, peer.port, n, { ...SETTINGS, fanOutIterations: FAN_OUT_ITERATIONS[n]! }, progress));
    await peer.stop();
  }

  console.log(`\nFinished in ${stamp().trim()} · load average now ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
  console.log(scaleTable(results.sort((a, b) => a.clients - b.clients)));
  console.log();
  console.log(coldTable(cold));
  console.log();
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
