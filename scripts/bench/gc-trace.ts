/**
 * Which timed writes a garbage collection held up, on every server of the benchmark.
 *
 * - workerd (Kiln): `perf record` samples the workerd process that runs Kiln (its binary keeps a
 *   symbol table, so the stacks name V8's functions) on CLOCK_MONOTONIC, the clock
 *   `performance.now()` counts on, so each sample lines up with each write. It needs Linux
 *   `perf` (Debian: `apt-get install linux-perf`) and the right to profile workerd (root, or
 *   `kernel.perf_event_paranoid` of 2 or less for a process of your own).
 * - the peers (Node): their server process reports its own collections (`perf_hooks`, entry
 *   type `gc`), which the benchmark lines up through both processes' `performance.timeOrigin`.
 *
 * Used with `npm run bench:gateway -- --gc-trace`. workerd runs V8 with incremental marking off
 * (`--noincremental-marking`, set in its `jsg/setup.c++`), so each of its full collections stops
 * JavaScript for the whole marking and sweeping; Node marks incrementally and concurrently, and
 * stops only to finish. The table shows both.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";
import type { WriteWindow } from "./measure";

/** Sampling rate (Hz): a 1 ms grain, against pauses that matter from about 5 ms. */
const HZ = 1000;
/** Pauses shorter than this are not reported: workerd's young-generation collections take 1–3 ms. */
export const MIN_PAUSE_MS = 5;
/** Frames of V8's collectors on the thread that runs JavaScript (the helper threads' concurrent work does not stop it). */
const COLLECTOR = /v8::internal::(Heap::(CollectGarbage|PerformGarbageCollection)|ScavengerCollector|MarkCompactCollector|MinorMarkSweepCollector|IncrementalMarking::)/;
/** Frames only a full (mark-compact) collection has; a young-generation one (scavenge) has none. */
const FULL = /v8::internal::(MarkCompactCollector::|Heap::MarkCompact\b)/;

/** A stretch of the thread that runs JavaScript inside a collector, in ms (workerd: on the monotonic clock). */
export interface Pause {
  start: number;
  end: number;
  /** A full collection (mark-compact), not a young-generation one. */
  full: boolean;
}

/** One run's (or, pooled, several runs') collections against its timed writes. */
export interface GcReport {
  /** Pauses of at least MIN_PAUSE_MS over the whole run (setup, fan-out, sustained phase). */
  pauses: number;
  /** How many of them were full collections. */
  fullPauses: number;
  /** The longest pause of the whole run (ms; 0 when none reached MIN_PAUSE_MS). */
  longestMs: number;
  writes: number;
  /** Timed writes during which such a pause ran. */
  held: number;
  /** The longest pause that ran during a timed write (ms; 0 when none did). */
  longestHeldMs: number;
}

/** Within a pause the main thread may sleep while V8's helper threads work: no sample then. */
const SILENT_GAP_MS = 50;

/**
 * The collector pauses of `mainTid` in `perf script -F tid,time,ip,sym` output: samples inside
 * a collector with no sample of other work between them (and no silence over SILENT_GAP_MS)
 * make one pause.
 */
export function parsePauses(script: string, mainTid: number, periodMs = 1000 / HZ): Pause[] {
  const pauses: Pause[] = [];
  let current: Pause | null = null;
  const close = () => {
    if (current) pauses.push({ ...current, end: current.end + periodMs });
    current = null;
  };
  for (const sample of script.split(/\n(?=\s*\d+\s+\d+\.\d+:)/)) {
    const header = /^\s*(\d+)\s+(\d+\.\d+):/.exec(sample);
    if (!header || Number(header[1]) !== mainTid) continue;
    const at = Number(header[2]) * 1000;
    if (!COLLECTOR.test(sample)) {
      close();
      continue;
    }
    const full = FULL.test(sample);
    if (current && at - current.end <= SILENT_GAP_MS) {
      current.end = at;
      current.full ||= full;
    } else {
      close();
      current = { start: at, end: at, full };
    }
  }
  close();
  return pauses;
}

/** Counts the writes that a pause of at least MIN_PAUSE_MS overlapped; `offsetMs` turns `performance.now()` into the pauses' clock (0 when they are on it already). */
export function heldWrites(windows: readonly WriteWindow[], pauses: readonly Pause[], offsetMs: number): GcReport {
  const long = pauses.filter((p) => p.end - p.start >= MIN_PAUSE_MS);
  let held = 0;
  let longestHeldMs = 0;
  for (const w of windows) {
    const during = long.filter((p) => p.start < w.end + offsetMs && p.end > w.start + offsetMs);
    if (during.length === 0) continue;
    held++;
    longestHeldMs = Math.max(longestHeldMs, ...during.map((p) => p.end - p.start));
  }
  return { pauses: long.length, fullPauses: long.filter((p) => p.full).length, longestMs: Math.max(0, ...long.map((p) => p.end - p.start)), writes: windows.length, held, longestHeldMs };
}

/** Adds up several runs' reports. */
export function poolGc(reports: readonly GcReport[]): GcReport {
  return {
    pauses: reports.reduce((n, r) => n + r.pauses, 0),
    fullPauses: reports.reduce((n, r) => n + r.fullPauses, 0),
    longestMs: Math.max(0, ...reports.map((r) => r.longestMs)),
    writes: reports.reduce((n, r) => n + r.writes, 0),
    held: reports.reduce((n, r) => n + r.held, 0),
    longestHeldMs: Math.max(0, ...reports.map((r) => r.longestHeldMs)),
  };
}

/** What a peer server prints for each collection when started for `--gc-trace` (scripts/bench/peer-server.ts). */
export function nodeGcLine(startEpochMs: number, durationMs: number, major: boolean): string {
  return `gc ${startEpochMs.toFixed(3)} ${durationMs.toFixed(3)} ${major ? "major" : "other"}`;
}

/**
 * A peer server's `gc` line as a pause on this process's `performance.now()` clock (null for any
 * other line). Both processes' clocks start from the same system clock (`performance.timeOrigin`).
 */
export function parseNodeGcLine(line: string, timeOrigin = performance.timeOrigin): Pause | null {
  const match = /^gc (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (major|other)$/.exec(line);
  if (!match) return null;
  const start = Number(match[1]) - timeOrigin;
  return { start, end: start + Number(match[2]), full: match[3] === "major" };
}

/** `perf script` prints some 30 lines a sample: tens of MB for a run. */
const SCRIPT_MAX_BYTES = 1 << 30;

/** Null when `perf` can be run; otherwise what to do about it. */
export async function perfProblem(): Promise<string | null> {
  const version = await promisify(execFile)("perf", ["--version"]).catch(() => null);
  return version ? null : "--gc-trace needs Linux perf on the PATH (Debian: apt-get install linux-perf).";
}

export interface GcTrace {
  /** Stops sampling and lines the collections up with `windows`. */
  stop(windows: readonly WriteWindow[]): Promise<GcReport>;
  /** Stops sampling and keeps nothing (the run failed). */
  cancel(): void;
}

/** Starts sampling workerd process `pid` (all its threads; its main thread has the process's id) into `file`. */
export async function startGcTrace(pid: number, file: string): Promise<GcTrace> {
  const perf: ChildProcess = spawn("perf", ["record", "-F", String(HZ), "-g", "-k", "CLOCK_MONOTONIC", "-p", String(pid), "-o", file], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  perf.stderr!.on("data", (d: Buffer) => (stderr += d));
  // perf record stops on SIGINT, writes its file, then ends by that same signal.
  const exited = new Promise<string>((resolve) => perf.on("close", (code, signal) => resolve(signal === "SIGINT" || code === 0 ? "ok" : `exit ${code ?? signal}`)));
  // perf prints nothing when it starts; a failure (no permission, no such process) ends it at once.
  const early = await Promise.race([exited, new Promise<"running">((r) => setTimeout(() => r("running"), 500))]);
  if (early !== "running") throw new Error(`perf record could not sample workerd (pid ${pid}): ${stderr.trim() || early}`);
  const offsetMs = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  return {
    async stop(windows) {
      perf.kill("SIGINT");
      const outcome = await exited;
      try {
        if (outcome !== "ok") throw new Error(`perf record failed (${outcome}): ${stderr.trim()}`);
        const script = await promisify(execFile)("perf", ["script", "-i", file, "-F", "tid,time,ip,sym"], { maxBuffer: SCRIPT_MAX_BYTES }).catch((error: { stderr?: string; message: string }) => {
          throw new Error(`perf script failed: ${error.stderr?.trim() || error.message}`);
        });
        return heldWrites(windows, parsePauses(script.stdout, pid), offsetMs);
      } finally {
        await rm(file, { force: true });
      }
    },
    cancel() {
      perf.kill("SIGINT");
      void exited.then(() => rm(file, { force: true }));
    },
  };
}
