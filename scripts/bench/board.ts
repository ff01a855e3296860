/**
 * `npm run bench:board`: renders a board of 2,000 notes (and ~670 edges) in Debian's
 * Chromium and measures the first render and a scripted pan, zoomed out (everything
 * visible) and at 100% (xyflow renders only the visible nodes). Prints a table.
 * The board runs against a local doc (web/src/board/bench/), so no stack is needed.
 */
import type { Page } from "playwright-core";
import { launchChromium } from "../test/browser";
import { emptyPanePoint, serveBoardPage } from "./board-page";

const NODES = Number(process.env.BENCH_NODES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Row {
  scenario: string;
  renderedNodes: number;
  firstRenderMs?: number;
  panFps: number;
  panP95FrameMs: number;
}

/** The page's globals the benchmark reads (the page is a browser; this file is Node). */
interface Recorder {
  frames_: number[];
  recording: boolean;
  benchResult?: { nodes: number; renderedNodes: number; buildDocMs: number; firstRenderMs: number };
}

/** Drags the pane across the screen and measures the frames painted meanwhile. */
async function pan(page: Page): Promise<{ fps: number; p95: number }> {
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
  const frames = await page.evaluate(() => {
    const w = globalThis as unknown as Recorder;
    w.recording = false;
    return w.frames_;
  });
  const seconds = (performance.now() - start) / 1000;
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!).sort((a, b) => a - b);
  return { fps: frames.length / seconds, p95: gaps[Math.floor(gaps.length * 0.95)] ?? 0 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const server = await serveBoardPage();
const browser = await launchChromium();
const rows: Row[] = [];
try {
  const fit: Row[] = [];
  const zoomed: Row[] = [];
  for (let run = 0; run < RUNS + 1; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url(NODES));
    await page.waitForFunction(() => (globalThis as unknown as Recorder).benchResult !== undefined, null, { timeout: 120_000 });
    const result = (await page.evaluate(() => (globalThis as unknown as Recorder).benchResult))!;
    const fitPan = await pan(page);
    // Zoom to 100% around the middle, where only the visible nodes are rendered.
    for (let i = 0; i < 14; i++) await page.getByRole("button", { name: "Zoom In" }).click();
    await page.waitForTimeout(300);
    const visible = await page.locator(".react-flow__node").count();
    const zoomPan = await pan(page);
    await page.close();
    if (run === 0) continue; // warm-up: Vite transforms the modules on the first load
    fit.push({ scenario: "zoomed out (all visible)", renderedNodes: result.renderedNodes, firstRenderMs: result.firstRenderMs, panFps: fitPan.fps, panP95FrameMs: fitPan.p95 });
    zoomed.push({ scenario: "100% zoom (visible only)", renderedNodes: visible, panFps: zoomPan.fps, panP95FrameMs: zoomPan.p95 });
  }
  for (const runs of [fit, zoomed]) {
    rows.push({
      scenario: runs[0]!.scenario,
      renderedNodes: median(runs.map((r) => r.renderedNodes)),
      firstRenderMs: runs[0]!.firstRenderMs === undefined ? undefined : median(runs.map((r) => r.firstRenderMs!)),
      panFps: median(runs.map((r) => r.panFps)),
      panP95FrameMs: median(runs.map((r) => r.panP95FrameMs)),
    });
  }
} finally {
  await browser.close();
  await server.close();
}

console.log(`\nWhiteboard benchmark: ${NODES} notes, headless Chromium ${browser.version()}, median of ${RUNS} runs\n`);
console.log("| scenario | nodes in the DOM | first render (ms) | pan (frames/s) | pan p95 frame (ms) |");
console.log("|---|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(`| ${r.scenario} | ${r.renderedNodes} | ${r.firstRenderMs === undefined ? "—" : r.firstRenderMs.toFixed(0)} | ${r.panFps.toFixed(1)} | ${r.panP95FrameMs.toFixed(1)} |`);
}
