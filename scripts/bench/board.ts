/**
 * `npm run bench:board`: renders boards of 2,000 and 10,000 notes (and a third as many edges)
 * in Debian's Chromium and measures the first render and a scripted pan: fitted (zoomed far out,
 * the far board's canvas), just above the far zoom (the DOM's nodes, closest to the canvas's
 * threshold) and at 100 %. Prints a table with the targets of issue #18 beside the figures.
 * The board runs against a local doc (web/src/board/bench/), so no stack is needed.
 * `BENCH_NODES=2000,10000` and `BENCH_RUNS=3` choose the sizes and the runs (a warm-up first).
 */
import type { Page } from "playwright-core";
import { launchChromium } from "../test/browser";
import { emptyPanePoint, serveBoardPage } from "./board-page";

const SIZES = (process.env.BENCH_NODES ?? "2000,10000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** web/src/board/zoom.ts's FAR_ZOOM (not imported: React's types would replace this Node project's DOM types). */
const FAR_ZOOM = 0.4;

/** The page's globals the benchmark reads (the page is a browser; this file is Node). */
interface BenchResult {
  nodes: number;
  renderedNodes: number;
  drawnAs: "dom" | "canvas";
  decodeMs: number;
  flowModelMs: number;
  firstRenderMs: number;
}

interface Pan {
  fps: number;
  p95: number;
  drawn: string;
}

/** Drags the pane across the screen and measures the frames painted meanwhile. */
async function pan(page: Page): Promise<Pan> {
  // A string, not a function: tsx's helpers (__name) do not exist in the page.
  await page.evaluate(`(() => {
    window.frames_ = [];
    window.recording = true;
    const tick = (t) => { window.frames_.push(t); if (window.recording) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  // The drag must start on the empty pane: on a node it would move that node, not pan the board.
  const from = await emptyPanePoint(page);
  const transform = () => page.evaluate(`document.querySelector(".react-flow__viewport").style.transform`);
  const before = await transform();
  const start = performance.now();
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(from.x - i * 10, from.y - i * 6);
  const moved = (await transform()) !== before;
  for (let i = 1; i <= 60; i++) await page.mouse.move(from.x - 600 + i * 10, from.y - 360 + i * 6);
  await page.mouse.up();
  if (!moved) throw new Error(`the drag from (${from.x}, ${from.y}) did not pan the board`);
  const frames = (await page.evaluate(`(() => { window.recording = false; return window.frames_; })()`)) as number[];
  const seconds = (performance.now() - start) / 1000;
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!).sort((a, b) => a - b);
  return { fps: frames.length / seconds, p95: gaps[Math.floor(gaps.length * 0.95)] ?? 0, drawn: await drawnNow(page) };
}

/** What draws the board now: the far board's canvas (its items) or the DOM (its nodes). */
async function drawnNow(page: Page): Promise<string> {
  const onCanvas = Number(await page.evaluate(`document.querySelector("[data-testid=far-board]")?.dataset.items ?? 0`));
  return onCanvas > 0 ? `canvas, ${onCanvas} items` : `DOM, ${await page.locator(".react-flow__node").count()} nodes`;
}

/** Zooms about the middle of the board to `zoom`, waits until it is drawn that way (canvas or DOM), and lets it settle. */
async function zoomTo(page: Page, zoom: number): Promise<void> {
  await page.evaluate(`window.benchFlow.zoomTo(${zoom})`);
  const far = zoom < FAR_ZOOM;
  await page.waitForFunction(
    `(() => { const items = Number(document.querySelector("[data-testid=far-board]")?.dataset.items ?? 0); return ${far} ? items > 0 : items === 0 && document.querySelectorAll(".react-flow__node").length > 0; })()`,
    null,
    { timeout: 60_000 },
  );
  await page.waitForTimeout(500);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Row {
  scenario: string;
  drawn: string;
  firstRender?: { total: number; decode: number; flowModel: number };
  firstRenderTarget?: string;
  pan: Pan;
  panTarget: string;
}

const server = await serveBoardPage();
const browser = await launchChromium();
const rows: Row[] = [];
try {
  for (const nodes of SIZES) {
    const runs: { result: BenchResult; fitted: Pan; nearFar: Pan; actual: Pan }[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(server.url(nodes));
      await page.waitForFunction(() => (globalThis as unknown as { benchResult?: BenchResult }).benchResult !== undefined, null, { timeout: 180_000 });
      const result = (await page.evaluate(() => (globalThis as unknown as { benchResult: BenchResult }).benchResult))!;
      const fitted = await pan(page);
      // Just above the far zoom: the DOM nodes, where the canvas hands over to them.
      await zoomTo(page, FAR_ZOOM + 0.05);
      const nearFar = await pan(page);
      await zoomTo(page, 1);
      const actual = await pan(page);
      await page.close();
      if (run > 0) runs.push({ result, fitted, nearFar, actual }); // the first is a warm-up: Vite transforms the modules
    }
    const pick = (f: (r: (typeof runs)[number]) => Pan): Pan => ({ fps: median(runs.map((r) => f(r).fps)), p95: median(runs.map((r) => f(r).p95)), drawn: f(runs[0]!).drawn });
    const n = nodes.toLocaleString("en");
    const big = nodes > 2000;
    rows.push({
      scenario: `${n} notes, fitted (zoomed out)`,
      drawn: `${runs[0]!.result.drawnAs === "canvas" ? "canvas" : "DOM"}, ${runs[0]!.result.renderedNodes} items`,
      firstRender: { total: median(runs.map((r) => r.result.firstRenderMs)), decode: median(runs.map((r) => r.result.decodeMs)), flowModel: median(runs.map((r) => r.result.flowModelMs)) },
      firstRenderTarget: big ? "—" : "≤ 1000",
      pan: pick((r) => r.fitted),
      panTarget: big ? "pannable" : "≥ 30",
    });
    rows.push({ scenario: `${n} notes, ${Math.round((FAR_ZOOM + 0.05) * 100)} % (just above the far zoom)`, drawn: "", pan: pick((r) => r.nearFar), panTarget: "≥ 30" });
    rows.push({ scenario: `${n} notes, 100 %`, drawn: "", pan: pick((r) => r.actual), panTarget: "≥ 30" });
  }
} finally {
  await browser.close();
  await server.close();
}

console.log(`\nWhiteboard benchmark: headless Chromium ${browser.version()}, 1280×800, median of ${RUNS} runs\n`);
console.log("| scenario | drawn as | first render (ms) | target | of which decode / flow-model (ms) | pan (frames/s) | target | pan p95 frame (ms) |");
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  const first = r.firstRender;
  console.log(
    `| ${r.scenario} | ${r.drawn || r.pan.drawn} | ${first ? first.total.toFixed(0) : "—"} | ${r.firstRenderTarget ?? "—"} | ${first ? `${first.decode.toFixed(0)} / ${first.flowModel.toFixed(0)}` : "—"} | ${r.pan.fps.toFixed(1)} | ${r.panTarget} | ${r.pan.p95.toFixed(1)} |`,
  );
}
