/** The benchmark's printed tables (Markdown, so they paste into docs/benchmarks.md). */
import { MIN_PAUSE_MS } from "./gc-trace";
import type { ColdLoadSample, PooledResult, Route } from "./scenarios";

const ms = (v: number) => (Number.isNaN(v) ? "–" : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const mib = (bytes: number | null) => (bytes === null ? "–" : (bytes / 1024 / 1024).toFixed(1));

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function scaleTable(results: PooledResult[]): string {
  const traced = results.some((r) => r.gc);
  const rows = table(
    ["server", "clients", "round-trip p50 (ms)", "round-trip p99 (ms)", "fan-out p50 (ms)", "fan-out p99 (ms)", "fan-out p99 by round (ms)", "first → last reader p50 (ms)", "slowest write, first → last reader (ms)", "fan-out samples", "sustained writes/s", "refused / timed out"],
    results.map((r) => [
      r.server,
      String(r.clients),
      ms(r.fanOut.roundTrip.p50),
      ms(r.fanOut.roundTrip.p99),
      ms(r.fanOut.fanOut.p50),
      ms(r.fanOut.fanOut.p99),
      r.fanOutP99ByRound.map(ms).join(" / "),
      `${ms(r.fanOut.firstReader.p50)} → ${ms(r.fanOut.lastReader.p50)}`,
      r.fanOut.slowest ? `${ms(r.fanOut.slowest.firstReader)} → ${ms(r.fanOut.slowest.lastReader)}` : "–",
      `${r.fanOut.fanOut.count}${r.fanOut.incomplete ? ` (${r.fanOut.incomplete} writes incomplete)` : ""}`,
      r.sustained.perSecond.toFixed(0),
      String(r.sustained.refused),
    ]),
  );
  if (!traced) return rows;
  const gc = table(
    ["server", "clients", `collector pauses ≥ ${MIN_PAUSE_MS} ms, whole runs, all rounds (full collections)`, "longest pause (ms)", "timed writes during one", "longest during a timed write (ms)"],
    results.filter((r) => r.gc).map((r) => [r.server, String(r.clients), `${r.gc!.pauses} (${r.gc!.fullPauses})`, r.gc!.pauses ? ms(r.gc!.longestMs) : "–", `${r.gc!.held} of ${r.gc!.writes}`, r.gc!.held ? ms(r.gc!.longestHeldMs) : "–"]),
  );
  return `${rows}\n\n${gc}`;
}

export interface ColdLoadResult {
  route: Route;
  nodes: number;
  docBytes: number;
  /** DocStore.load of the same rows in Node (same code; workerd's clock does not move during synchronous work). */
  nodeLoadMs: number;
  samples: ColdLoadSample[];
  rssBefore: number | null;
  rssAfter: number | null;
}

export function coldTable(results: ColdLoadResult[]): string {
  const list = (values: number[]) => values.map(ms).join(" / ");
  return table(
    ["nodes", "route", "encoded doc (MiB)", "cold load, connect → synced (ms)", "warm, same (ms)", "client apply (ms)", "DocStore.load in Node (ms)", "workerd RSS before → after (MiB)"],
    results.map((r) => [
      r.nodes.toLocaleString("en"),
      r.route,
      mib(r.docBytes),
      list(r.samples.map((s) => s.coldMs)),
      list(r.samples.map((s) => s.warmMs)),
      list(r.samples.map((s) => s.clientApplyMs)),
      ms(r.nodeLoadMs),
      `${mib(r.rssBefore)} → ${mib(r.rssAfter)} (${r.samples.length} docs)`,
    ]),
  );
}
