/**
 * `npm run bench:containers` (root): user containers measured on the whole platform, every part
 * real (`scripts/containers/platform.ts`: `npm start`, the VPN bridge with OpenVPN and Nginx in a
 * "vps" namespace, podman behind the docker CLI in a "dock" namespace, the literal `docker run`
 * from the API). Issue #16's targets: `docker run` → running and → a member's first proxied 200
 * (≤ 3 s), throughput through Nginx + auth_request + tun against the bare tun (≥ 90 %), latency
 * added per small request (≤ 5 ms p50), heartbeats stopped → unreachable (≤ 20 s), and the
 * bridge's cost with 50 containers. Prints Markdown tables, or JSON with `--json`.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { run, waitFor } from "../containers/exec.ts";
import { JUPYTER_IMAGE, PORTS, Platform } from "../containers/platform.ts";
import { percentile } from "./measure.ts";
import { type CellResults, cellRows, measureCells } from "./containers-cells.ts";
import { type TerminalEcho, measureTerminalEcho, terminalEchoRows } from "./terminal-echo.ts";

const HELP = `npm run bench:containers [-- options]   (as root)
  --json          print the results as JSON instead of tables
  --runs=5        docker run → running runs per image
  --fleet=50      containers started at once on one bridge (0: skip)
  --keys=300      terminal keystrokes timed (issue #17's keystroke → echo)
  --cells=100     runs of a cell \`1 + 1\` timed to a second viewer (issue #17)
  --only=terminal only the terminal's keystroke → echo
  --only=cells    only the code cells (1 + 1 to a second viewer, a 10 MB flood)
  --help          this text`;

const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log(HELP);
  process.exit(0);
}
const option = (name: string, fallback: number) => {
  const value = args.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
  const parsed = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 2000) {
    console.error(`--${name} must be a whole number from 0 to 2000\n\n${HELP}`);
    process.exit(2);
  }
  return parsed;
};
const JSON_OUT = args.includes("--json");
const RUNS = option("runs", 5);
const FLEET = option("fleet", 50);
const KEYS = option("keys", 300);
const CELL_RUNS = option("cells", 100);
const ONLY = args.find((arg) => arg.startsWith("--only="))?.split("=")[1] ?? null;
if (ONLY !== null && ONLY !== "terminal" && ONLY !== "cells") {
  console.error(`--only is terminal or cells\n\n${HELP}`);
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  console.error("bench:containers needs root (network namespaces, podman, OpenVPN, Nginx): run `sudo npm run bench:containers`");
  process.exit(1);
}

const log = (line: string) => (JSON_OUT ? console.error(line) : console.log(line));
const BENCH_IMAGE = "localhost/kiln-bench-http:1";
const BLOB_BYTES = 100 * 1024 * 1024;
const FILES = { name: "files", port: 8000, protocol: "http" as const };
// HTTP/1.1 so that connections stay open (http.server's default, 1.0, closes after each answer), and
// TCP_NODELAY: it sends the headers and the body in two writes, which Nagle's algorithm and a delayed
// ACK would hold ~40 ms on a reused connection.
const SERVE = "import http.server as h, functools; h.SimpleHTTPRequestHandler.protocol_version = 'HTTP/1.1'; h.SimpleHTTPRequestHandler.disable_nagle_algorithm = True; h.ThreadingHTTPServer(('0.0.0.0', 8000), functools.partial(h.SimpleHTTPRequestHandler, directory='/srv')).serve_forever()";
const median = (values: number[]) => percentile(values, 50);
const ciRunning = () => {
  try {
    return execFileSync("pgrep", ["-f", ".ci/run"], { encoding: "utf8" }).trim().length > 0;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The jupyter image with a tiny `http.server` as its only service, serving a 100 MiB file and a small one. */
async function buildBenchImage(platform: Platform): Promise<void> {
  const context = join(platform.work, "bench-image");
  mkdirSync(context, { recursive: true });
  writeFileSync(join(context, "blob"), randomBytes(BLOB_BYTES));
  writeFileSync(join(context, "small"), "k".repeat(100));
  writeFileSync(join(context, "services.json"), JSON.stringify([{ ...FILES, command: ["python3", "-c", SERVE], env: { PYTHONUNBUFFERED: "1" } }]));
  writeFileSync(join(context, "Containerfile"), `FROM ${JUPYTER_IMAGE}\nCOPY services.json /etc/kiln/services.json\nCOPY blob small /srv/\n`);
  await platform.podman!.podman(["build", "--quiet", "--network", "none", "-t", BENCH_IMAGE, context]);
}

interface StartRun {
  image: string;
  dockerRunMs: number;
  runningMs: number;
  first200Ms: number;
  /** From the bridge's log, ms after `docker run` began: profile served, let in on the VPN, OpenVPN's data channel up. */
  join: { profileMs: number; letInMs: number; dataChannelMs: number } | null;
}

/** When the bridge's log shows `container`'s profile served, its VPN login let in, and its data channel up. */
function joinSteps(bridgeLog: string, container: string, since: number): StartRun["join"] {
  const at = (pattern: RegExp) => {
    for (const line of bridgeLog.split("\n")) {
      const time = Date.parse(line.slice(0, 24));
      if (time >= since && pattern.test(line)) return time - since;
    }
    return null;
  };
  const profileMs = at(new RegExp(`profile served to container ${container}`));
  const letInMs = at(new RegExp(`container ${container} \\(org [^)]+\\) let in`));
  const dataChannelMs = at(new RegExp(`${container}/\\S+ Data Channel: cipher`));
  return profileMs === null || letInMs === null || dataChannelMs === null ? null : { profileMs, letInMs, dataChannelMs };
}

/** One `docker run` of the copied command: → running on the board (API polled every 20 ms) and → its owner's first 200 through Nginx (Jupyter opens for those who may type in the container). */
async function startOnce(platform: Platform, image: string, service: string, path: string): Promise<StartRun & { id: string }> {
  const created = await platform.create(`start ${image}`, image === JUPYTER_IMAGE ? {} : { image, services: [FILES] });
  const { id } = created.container;
  const host = platform.host(id, service);
  // The visitor signs in before the container runs (the ticket needs only the container on the board).
  let cookie: string | null = await platform.signIn(host, platform.people.ada.session(), path).catch(() => null);
  const t0 = performance.now();
  const wall0 = Date.now();
  let runningMs = 0;
  const running = (async () => {
    while ((await platform.status(id)).state !== "running") {
      if (performance.now() - t0 > 120_000) throw new Error(`${id} not running after 120 s`);
      await sleep(20);
    }
    runningMs = performance.now() - t0;
  })();
  const dockerRun = platform.docker(created.command).then((result) => {
    if (result.code !== 0) throw new Error(`docker run failed: ${result.stderr}`);
    return performance.now() - t0;
  });
  // Awaited below; should the 200 never come, their own failures are not left unhandled.
  for (const task of [running, dockerRun]) task.catch(() => undefined);
  for (;;) {
    if (performance.now() - t0 > 120_000) throw new Error(`${host}${path}: no 200 after 120 s`);
    if (cookie === null || cookie.startsWith("refused")) cookie = await platform.signIn(host, platform.people.ada.session(), path).catch(() => null);
    else if ((await platform.visit(host, path, { cookie }).catch(() => ({ status: 0 }))).status === 200) break;
    await sleep(20);
  }
  const first200Ms = performance.now() - t0;
  const dockerRunMs = await dockerRun;
  await running;
  return { id, image, dockerRunMs, runningMs, first200Ms, join: joinSteps(platform.bridgeLog(), id, wall0) };
}

async function removeContainer(platform: Platform, id: string): Promise<void> {
  const removed = await platform.docker(`docker rm -f kiln-${id}`);
  if (removed.code !== 0) throw new Error(`docker rm -f kiln-${id} failed: ${removed.stderr}`);
  await platform.deleteOnBoard(id).catch(() => undefined);
}

/** curl's `-w` line for each URL of one invocation (one connection, reused unless the server closes it). */
async function curl(enter: string[], urls: string[], headers: Record<string, string>): Promise<{ code: number; bytes: number; seconds: number }[]> {
  const argv = [...enter, "curl", "-sS", "--max-time", "120", "-w", "%{http_code} %{size_download} %{time_total}\\n"];
  for (const [name, value] of Object.entries(headers)) argv.push("-H", `${name}: ${value}`);
  for (const url of urls) argv.push(url, "-o", "/dev/null");
  const { stdout } = await run(argv[0]!, argv.slice(1), { timeoutMs: 600_000 });
  return stdout.trim().split("\n").map((line) => {
    const [code, bytes, seconds] = line.split(" ").map(Number);
    return { code: code!, bytes: bytes!, seconds: seconds! };
  });
}

interface Route {
  name: string;
  fetch(path: string, count: number): Promise<{ code: number; bytes: number; seconds: number }[]>;
}

/** The two ways to the container's `http.server`: straight over the tun from the vps namespace, and through Nginx with Ben's cookie. */
function routes(platform: Platform, address: string, host: string, cookie: string): { tun: Route; tunClose: Route; nginx: Route } {
  const vps = platform.topology!.enter("vps");
  const tunUrl = (path: string) => `http://${address}:${FILES.port}${path}`;
  const nginxUrl = (path: string) => `http://${platform.net.vpsUp}:${PORTS.nginx}${path}`;
  return {
    tun: { name: "bare tun", fetch: (path, count) => curl(vps, Array(count).fill(tunUrl(path)), {}) },
    tunClose: { name: "bare tun, a new connection each", fetch: (path, count) => curl(vps, Array(count).fill(tunUrl(path)), { connection: "close" }) },
    nginx: { name: "Nginx + auth_request + tun", fetch: (path, count) => curl([], Array(count).fill(nginxUrl(path)), { host: `${host}:${PORTS.nginx}`, cookie }) },
  };
}

function checked(route: Route, answers: { code: number; bytes: number; seconds: number }[], bytes: number) {
  const bad = answers.find((answer) => answer.code !== 200 || answer.bytes !== bytes);
  if (bad) throw new Error(`${route.name}: answered ${bad.code} with ${bad.bytes} bytes (expected 200 with ${bytes})`);
  return answers.map((answer) => answer.seconds);
}

/** A process's CPU ticks (user + system) and resident memory in KiB, from /proc; null once it is gone. */
async function procSample(pid: number): Promise<{ ticks: number; rssKiB: number } | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    return { ticks: Number(fields[11]) + Number(fields[12]), rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) };
  } catch {
    return null;
  }
}

/** The processes under `root` (itself included) whose command name is `comm`. */
async function descendants(root: number, comm: string): Promise<number[]> {
  const parent = new Map<number, number>();
  const name = new Map<number, string>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    if (!stat) continue;
    name.set(Number(entry), stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")));
    parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
  }
  const under = (pid: number): boolean => pid === root || (pid > 1 && parent.has(pid) && under(parent.get(pid)!));
  return [...name].filter(([pid, n]) => n === comm && under(pid)).map(([pid]) => pid);
}

interface ProcessLoad {
  process: string;
  count: number;
  rssMiB: number;
  cpuPercent: number;
}

/** CPU (% of one core) and resident memory (MiB, the max of 1 s samples, summed over a group) over `seconds`. */
async function sampleProcesses(platform: Platform, seconds: number): Promise<ProcessLoad[]> {
  const bridge = platform.bridge!.pid!;
  const groups: [string, number[]][] = [
    ["bridge (node)", [bridge]],
    ["openvpn", await descendants(bridge, "openvpn")],
    ["nginx (master + workers)", await descendants(bridge, "nginx")],
    ["workerd (wrangler dev: proxy + runtime)", await descendants(platform.stack!.child.pid!, "workerd")],
  ];
  const hz = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  const first = await Promise.all(groups.map(([, pids]) => Promise.all(pids.map(procSample))));
  const maxRss = groups.map(() => 0);
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await sleep(1000);
    const now = await Promise.all(groups.map(([, pids]) => Promise.all(pids.map(procSample))));
    now.forEach((samples, i) => (maxRss[i] = Math.max(maxRss[i]!, samples.reduce((sum, s) => sum + (s?.rssKiB ?? 0), 0))));
  }
  const elapsed = (performance.now() - t0) / 1000;
  const last = await Promise.all(groups.map(([, pids]) => Promise.all(pids.map(procSample))));
  return groups.map(([process, pids], i) => {
    const ticks = pids.reduce((sum, _, j) => sum + ((last[i]![j]?.ticks ?? 0) - (first[i]![j]?.ticks ?? 0)), 0);
    return { process, count: pids.length, rssMiB: maxRss[i]! / 1024, cpuPercent: (ticks / hz / elapsed) * 100 };
  });
}

/** Runs `work` over `items`, `width` at a time. */
async function pool<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  }));
  return results;
}

async function main(): Promise<void> {
  const started = { at: new Date().toISOString(), load: loadavg()[0]!, ci: ciRunning() };
  log(`== load average ${started.load.toFixed(2)}${started.ci ? ", a CI run (.ci/run) is running" : ""}`);
  const platform = await Platform.start({ work: `/tmp/kiln-bench-containers-${process.pid}`, log });
  const stop = (code: number) => void platform.close().finally(() => process.exit(code));
  process.once("SIGINT", () => stop(130));
  process.once("SIGTERM", () => stop(143));
  try {
    if (ONLY !== null) {
      const echo = ONLY === "terminal" ? await measureTerminalEcho(platform, log, KEYS) : null;
      const cells = ONLY === "cells" ? await measureCells(platform, CELL_RUNS, log) : null;
      const rows = echo ? terminalEchoRows(echo) : cellRows(cells!);
      const finished = { at: new Date().toISOString(), load: loadavg()[0]!, ci: ciRunning() };
      console.log(JSON_OUT ? JSON.stringify({ started, finished, echo, cells }, null, 2) : `\nLoad average ${started.load.toFixed(2)} → ${finished.load.toFixed(2)}.\n\n| measure | result | target | peer |\n| --- | --- | --- | --- |\n${rows.join("\n")}`);
      return void (await platform.close());
    }
    log("== the bench image (jupyter + http.server on 8000 serving 100 MiB)");
    await buildBenchImage(platform);

    log(`== 1. docker run → running → first proxied 200, ${RUNS} runs per image`);
    const starts: StartRun[] = [];
    for (const [image, service, path] of [[JUPYTER_IMAGE, "jupyter", "/api"], [BENCH_IMAGE, FILES.name, "/small"]] as const) {
      for (let i = 0; i < RUNS; i++) {
        const { id, ...result } = await startOnce(platform, image, service, path);
        const steps = result.join ? ` (profile ${(result.join.profileMs / 1000).toFixed(2)} s, let in ${(result.join.letInMs / 1000).toFixed(2)} s, data channel ${(result.join.dataChannelMs / 1000).toFixed(2)} s)` : "";
        log(`   ${image}: docker run returned ${(result.dockerRunMs / 1000).toFixed(2)} s, running ${(result.runningMs / 1000).toFixed(2)} s, first 200 ${(result.first200Ms / 1000).toFixed(2)} s${steps}`);
        starts.push(result);
        await removeContainer(platform, id);
      }
    }

    log("== 2, 3. throughput and latency: one bench container, the bare tun against Nginx");
    const created = await platform.create("files", { image: BENCH_IMAGE, services: [FILES] });
    const id = created.container.id;
    const ran = await platform.docker(created.command);
    if (ran.code !== 0) throw new Error(`docker run failed: ${ran.stderr}`);
    // Running means joined; the service is reported once it listens.
    const { address } = await waitFor("the files service", async () => {
      const status = await platform.status(id);
      return status.state === "running" && status.services.some((service) => service.name === FILES.name) ? status : null;
    }, 120_000);
    const host = platform.host(id, FILES.name);
    const cookie = await platform.signIn(host, platform.people.ben.session(), "/small");
    const r = routes(platform, address!, host, cookie);
    await r.tun.fetch("/small", 10).then((answers) => checked(r.tun, answers, 100));
    await r.nginx.fetch("/small", 10).then((answers) => checked(r.nginx, answers, 100));
    const mbps: Record<"tun" | "nginx", number[]> = { tun: [], nginx: [] };
    for (let round = 0; round < 3; round++) {
      for (const key of ["tun", "nginx"] as const) {
        const [seconds] = checked(r[key], await r[key].fetch("/blob", 1), BLOB_BYTES);
        mbps[key].push((BLOB_BYTES * 8) / seconds! / 1e6);
        log(`   round ${round + 1} ${r[key].name}: ${mbps[key].at(-1)!.toFixed(0)} Mbit/s`);
      }
    }
    const latency: Record<"tun" | "tunClose" | "nginx", number[]> = { tun: [], tunClose: [], nginx: [] };
    for (let round = 0; round < 3; round++) {
      for (const key of ["tun", "tunClose", "nginx"] as const) latency[key].push(...checked(r[key], await r[key].fetch("/small", 100), 100).map((s) => s * 1000));
    }
    log(`   small GETs p50: bare ${median(latency.tun).toFixed(2)} ms, new connection ${median(latency.tunClose).toFixed(2)} ms, Nginx ${median(latency.nginx).toFixed(2)} ms`);

    log("== 4. docker pause → unreachable, 3 runs");
    const unreachable: { pauseMs: number; lastBeatMs: number }[] = [];
    for (let i = 0; i < 3; i++) {
      await sleep(1000 + Math.random() * 4000); // a different phase of the 5 s heartbeat each run
      // Right after a restart runc may refuse to freeze the container for a moment: try again.
      await waitFor("docker pause", async () => ((await platform.docker(`docker pause kiln-${id}`)).code === 0 ? true : (await sleep(1000), null)), 30_000);
      const t0 = Date.now();
      let status = await platform.status(id);
      const lastSeen = status.lastSeen ?? t0;
      while (status.state !== "unreachable") {
        if (Date.now() - t0 > 90_000) throw new Error(`${id} not unreachable 90 s after docker pause (state ${status.state})`);
        await sleep(100);
        status = await platform.status(id);
      }
      unreachable.push({ pauseMs: Date.now() - t0, lastBeatMs: Date.now() - lastSeen });
      log(`   paused → unreachable ${(unreachable.at(-1)!.pauseMs / 1000).toFixed(1)} s (last heartbeat → unreachable ${(unreachable.at(-1)!.lastBeatMs / 1000).toFixed(1)} s)`);
      await platform.docker(`docker unpause kiln-${id}`);
      await platform.waitState(id, "running", 120_000, 200);
    }

    const echo = await measureTerminalEcho(platform, log, KEYS);
    log(`== code cells: \`1 + 1\` → a second viewer, ${CELL_RUNS} runs; a 10 MB flood`);
    const cells = await measureCells(platform, CELL_RUNS, log);

    let fleet: Fleet | null = null;
    let fleetError: string | null = null;
    if (FLEET > 0) {
      try {
        fleet = await measureFleet(platform);
      } catch (error) {
        fleetError = String(error);
        log(`   the fleet failed: ${fleetError}`);
      }
    }

    const finished = { at: new Date().toISOString(), load: loadavg()[0]!, ci: ciRunning() };
    const results = { started, finished, runs: RUNS, starts, mbps, latency, unreachable, echo, cells, fleet, fleetError };
    if (JSON_OUT) console.log(JSON.stringify(results, null, 2));
    else console.log(`\n${report(results)}`);
    await platform.close();
  } catch (error) {
    await platform.close({ keepLogs: true });
    log(`logs (bridge, podman, npm start's data) kept in ${platform.work}`);
    throw error;
  }
}

type Fleet = { count: number; startMs: number; idle: ProcessLoad[]; loaded: ProcessLoad[]; removeMs: number; memAvailableMiB: [number, number] };

/** 5: the bridge's processes with one container, then with FLEET more, 30 s each; the fleet removed after. */
async function measureFleet(platform: Platform): Promise<Fleet> {
  log("== 5. the bridge with one container, 30 s");
  const memAvailable = async () => Number(/MemAvailable:\s+(\d+)/.exec(await readFile("/proc/meminfo", "utf8"))![1]) / 1024;
  const idle = await sampleProcesses(platform, 30);
  const memBefore = await memAvailable();
  log(`== 5. ${FLEET} more containers on the bridge`);
  const t0 = Date.now();
  const ids = await pool(Array.from({ length: FLEET }, (_, i) => i), 4, async (i) => {
    const c = await platform.create(`fleet ${i}`, { image: BENCH_IMAGE, services: [FILES] });
    const result = await platform.docker(c.command);
    if (result.code !== 0) throw new Error(`docker run ${i} failed: ${result.stderr}`);
    return c.container.id;
  });
  await pool(ids, 4, (fleetId) => platform.waitState(fleetId, "running", 600_000, 500));
  const startMs = Date.now() - t0;
  log(`   all ${FLEET} running after ${(startMs / 1000).toFixed(1)} s; the last one answers through Nginx:`);
  const lastHost = platform.host(ids.at(-1)!, FILES.name);
  const lastCookie = await platform.signIn(lastHost, platform.people.ben.session(), "/small");
  // Running means joined; its service answers once it listens.
  await waitFor(`the ${FLEET}th container's 200`, async () => (await platform.visit(lastHost, "/small", { cookie: lastCookie })).status === 200, 120_000, 500);
  await sleep(10_000); // let the starts settle: what is sampled is steady state
  log(`== 5. the bridge with ${FLEET + 1} containers, 30 s`);
  const loaded = await sampleProcesses(platform, 30);
  const memAfter = await memAvailable();
  const t1 = Date.now();
  await pool(ids, 8, (fleetId) => removeContainer(platform, fleetId));
  return { count: FLEET, startMs, idle, loaded, removeMs: Date.now() - t1, memAvailableMiB: [memBefore, memAfter] };
}

type Results = { started: { load: number; ci: boolean }; finished: { load: number; ci: boolean }; starts: StartRun[]; mbps: Record<"tun" | "nginx", number[]>; latency: Record<"tun" | "tunClose" | "nginx", number[]>; unreachable: { pauseMs: number; lastBeatMs: number }[]; echo: TerminalEcho; cells: CellResults; fleet: Fleet | null; fleetError: string | null };

/** The Markdown tables. */
function report(results: Results): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const lines = [
    `Load average ${results.started.load.toFixed(2)} → ${results.finished.load.toFixed(2)}; a CI run ${results.started.ci || results.finished.ci ? "was" : "was not"} running.`,
    "",
    "| measure | result | target (issue #16) | peer |",
    "| --- | --- | --- | --- |",
  ];
  for (const image of [...new Set(results.starts.map((run) => run.image))]) {
    const runs = results.starts.filter((run) => run.image === image);
    const stat = (key: "runningMs" | "first200Ms" | "dockerRunMs") => `${s(median(runs.map((run) => run[key])))} s median, ${s(Math.max(...runs.map((run) => run[key])))} s max`;
    lines.push(`| \`docker run\` → running, ${image} (${runs.length} runs; \`docker run\` returned after ${stat("dockerRunMs")}) | ${stat("runningMs")} | ≤ 3 s | |`);
    lines.push(`| \`docker run\` → a member's first proxied 200, ${image} | ${stat("first200Ms")} | ≤ 3 s | |`);
    const joins = runs.flatMap((run) => (run.join ? [run.join] : []));
    if (joins.length > 0) {
      const m = (key: "profileMs" | "letInMs" | "dataChannelMs") => s(median(joins.map((join) => join[key])));
      lines.push(`| of which (bridge log, medians): → profile served, → let in on the VPN, → data channel up | ${m("profileMs")} s, ${m("letInMs")} s, ${m("dataChannelMs")} s | | |`);
    }
  }
  const tun = median(results.mbps.tun);
  const nginx = median(results.mbps.nginx);
  lines.push(`| 100 MiB download, bare tun (3 rounds) | ${results.mbps.tun.map((v) => v.toFixed(0)).join(" / ")} Mbit/s | | |`);
  lines.push(`| 100 MiB download, Nginx + auth_request + tun (interleaved) | ${results.mbps.nginx.map((v) => v.toFixed(0)).join(" / ")} Mbit/s, **${((nginx / tun) * 100).toFixed(0)} %** of the bare tun (medians) | ≥ 90 % | |`);
  const l = results.latency;
  const p = (values: number[]) => `p50 ${percentile(values, 50).toFixed(2)} ms, p95 ${percentile(values, 95).toFixed(2)} ms`;
  lines.push(`| 300 small GETs, bare tun (one connection) | ${p(l.tun)} | | |`);
  lines.push(`| 300 small GETs, bare tun (a new connection each) | ${p(l.tunClose)} | | |`);
  lines.push(`| 300 small GETs, Nginx + auth_request + tun | ${p(l.nginx)}; **+${(percentile(l.nginx, 50) - percentile(l.tun, 50)).toFixed(2)} ms** p50 added | ≤ 5 ms p50 added | |`);
  const u = results.unreachable;
  lines.push(`| \`docker pause\` → unreachable (3 runs) | ${u.map((run) => (run.pauseMs / 1000).toFixed(1)).join(" / ")} s (from the last heartbeat: ${u.map((run) => (run.lastBeatMs / 1000).toFixed(1)).join(" / ")} s) | ≤ 20 s | Holistix Forge 30 s (its docs) |`);
  lines.push(...terminalEchoRows(results.echo));
  lines.push(...cellRows(results.cells));
  if (results.fleetError) lines.push(`| ${FLEET} containers | failed: ${results.fleetError} | | |`);
  if (results.fleet) {
    const f = results.fleet;
    lines.push(`| ${f.count} containers: \`docker run\` (4 at a time) → all running | ${s(f.startMs)} s; removed in ${s(f.removeMs)} s; MemAvailable ${f.memAvailableMiB[0].toFixed(0)} → ${f.memAvailableMiB[1].toFixed(0)} MiB | | |`);
    lines.push("", `| process (30 s each) | with 1 container: RSS, CPU | with ${f.count + 1}: RSS, CPU |`, "| --- | --- | --- |");
    f.idle.forEach((idle, i) => {
      const loaded = f.loaded[i]!;
      lines.push(`| ${idle.process} ×${loaded.count} | ${idle.rssMiB.toFixed(0)} MiB, ${idle.cpuPercent.toFixed(1)} % | ${loaded.rssMiB.toFixed(0)} MiB, ${loaded.cpuPercent.toFixed(1)} % |`);
    });
    lines.push("", "CPU in % of one core (from /proc/<pid>/stat over 30 s); RSS the largest 1 s sample of VmRSS, summed over a row's processes.");
  }
  return lines.join("\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
