/**
 * Cells on the board, measured for `npm run bench:containers` (issue #17): a `kiln-jupyter`
 * container from the literal `docker run`, a kernel started through the gateway, then
 * - a cell `1 + 1` run by Ada → its output on Ben's screen (his own socket, his copy of the doc),
 *   p50/p99 over many runs: the whole path, gateway → bridge → Jupyter over the VPN → bridge →
 *   gateway → the doc update at the second viewer;
 * - a cell printing 10 MB: how long until Ben sees it done, what the doc keeps, what Ben received.
 */
import * as Y from "yjs";
import type { CellOutput, CellRecord, KernelRecord } from "../../protocol/jupyter.ts";
import { waitFor } from "../containers/exec.ts";
import { JUPYTER_IMAGE, type Platform } from "../containers/platform.ts";
import type { BenchClient } from "./clients.ts";
import { percentile } from "./measure.ts";

export interface CellResults {
  runs: number;
  /** Ada's run event sent → the result on Ben's screen, ms. */
  echoMs: number[];
  /** Ada's run event sent → its ack (the gateway queued it and sent it to the bridge), ms. */
  ackMs: number[];
  flood: { printedBytes: number; doneMs: number; keptBytes: number; droppedBytes: number; notice: boolean; docGrewBytes: number; benReceivedBytes: number };
}

/** Resolves when `check` holds on Ben's copy, checked after each update he applies. */
function whenSeen(ben: BenchClient, check: () => boolean, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ben.onApplied = null;
      reject(new Error(`not seen on Ben's screen within ${timeoutMs} ms`));
    }, timeoutMs);
    const test = () => {
      if (!check()) return;
      clearTimeout(timer);
      ben.onApplied = null;
      resolve(performance.now());
    };
    ben.onApplied = test;
    test();
  });
}

export async function measureCells(platform: Platform, runs: number, log: (line: string) => void): Promise<CellResults> {
  const created = await platform.create("cells", { image: JUPYTER_IMAGE, viewId: "main", x: 0, y: 0 });
  const ran = await platform.docker(created.command);
  if (ran.code !== 0) throw new Error(`docker run failed: ${ran.stderr}`);
  await waitFor("the jupyter service", async () => {
    const status = await platform.status(created.container.id);
    return status.state === "running" && status.services.some((s) => s.name === "jupyter") ? true : null;
  }, 120_000);
  const ada = await platform.projectDoc(platform.people.ada);
  const ben = await platform.projectDoc(platform.people.ben);
  try {
    const started = await ada.event("jupyter:start-kernel", { container: created.container.id });
    if (!started.ok) throw new Error(`start-kernel refused: ${JSON.stringify(started.error)}`);
    const kernel = (started.result as { kernel: KernelRecord }).kernel.id;
    const kernels = ben.doc.getMap<KernelRecord>("jupyter/kernels");
    await whenSeen(ben, () => kernels.get(kernel)?.state === "idle", 60_000);
    const cells = ben.doc.getMap<CellRecord>("jupyter/cells");
    const outputs = ben.doc.getMap<Y.Array<CellOutput>>("jupyter/outputs");

    const cell = "benchcell1plus1";
    const made = await ada.event("jupyter:create", { id: cell, viewId: "main", x: 400, y: 0, kernel, code: "1 + 1" });
    if (!made.ok) throw new Error(`create refused: ${JSON.stringify(made.error)}`);
    const resultSeen = (run: string) => () => {
      const record = cells.get(cell);
      const first = outputs.get(cell)?.get(0);
      return record?.runId === run && first?.type === "result" && first.data["text/plain"] === "2";
    };
    const echoMs: number[] = [];
    const ackMs: number[] = [];
    for (let i = 0; i < runs + 5; i++) {
      const t0 = performance.now();
      const ack = await ada.event("jupyter:run", { cells: [cell] });
      if (!ack.ok) throw new Error(`run refused: ${JSON.stringify(ack.error)}`);
      const run = (ack.result as { runs: { run: string }[] }).runs[0]!.run;
      const acked = performance.now();
      const seen = await whenSeen(ben, resultSeen(run), 30_000);
      // Wait for the run to end before the next (the kernel runs one cell at a time anyway).
      await whenSeen(ben, () => cells.get(cell)?.run === "done", 30_000);
      // The first runs warm the kernel and the paths.
      if (i >= 5) {
        echoMs.push(seen - t0);
        ackMs.push(acked - t0);
      }
      if ((i + 1) % 25 === 0) log(`   ${i + 1} runs, p50 so far ${percentile(echoMs, 50).toFixed(1)} ms`);
    }

    log("   a cell printing 10 MB");
    const flood = "benchcellflood";
    await ada.event("jupyter:create", { id: flood, viewId: "main", x: 400, y: 300, kernel, code: "for i in range(100_000):\n    print('x' * 99)" });
    const docBefore = Y.encodeStateAsUpdate(ben.doc).length;
    let received = 0;
    ben.ws.on("message", (data: Buffer | ArrayBuffer) => (received += (data as Buffer).byteLength ?? 0));
    const t0 = performance.now();
    const ack = await ada.event("jupyter:run", { cells: [flood] });
    const run = (ack.result as { runs: { run: string }[] }).runs[0]!.run;
    const done = await whenSeen(ben, () => cells.get(flood)?.runId === run && cells.get(flood)?.run === "done", 120_000);
    const kept = outputs.get(flood)?.toArray() ?? [];
    return {
      runs,
      echoMs,
      ackMs,
      flood: {
        printedBytes: 100_000 * 100,
        doneMs: done - t0,
        keptBytes: kept.reduce((n, o) => n + JSON.stringify(o).length, 0),
        droppedBytes: cells.get(flood)?.droppedBytes ?? 0,
        notice: kept.some((o) => o.type === "notice"),
        docGrewBytes: Y.encodeStateAsUpdate(ben.doc).length - docBefore,
        benReceivedBytes: received,
      },
    };
  } finally {
    ada.close();
    ben.close();
  }
}

/** The rows of the report's table. */
export function cellRows(results: CellResults): string[] {
  const e = results.echoMs;
  const f = results.flood;
  const mib = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);
  return [
    `| a cell \`1 + 1\` run by one person → \`2\` on a second viewer's screen (${results.runs} runs) | p50 ${percentile(e, 50).toFixed(1)} ms, p99 ${percentile(e, 99).toFixed(1)} ms (of which the run event's ack: p50 ${percentile(results.ackMs, 50).toFixed(1)} ms) | | JupyterLab: the output reaches only the browser that ran it |`,
    `| a cell printing ${mib(f.printedBytes)} → done on the second viewer's screen | ${(f.doneMs / 1000).toFixed(2)} s; the doc keeps ${mib(f.keptBytes)}${f.notice ? " and a truncation notice" : ""} (${mib(f.droppedBytes)} dropped); the doc grew ${mib(f.docGrewBytes)}, the viewer received ${mib(f.benReceivedBytes)} | capped with a notice | |`,
  ];
}
