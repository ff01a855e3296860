/**
 * Jupyter on the board (issue #17), every part real: the platform of `containers.e2e.ts`, a
 * `localhost/kiln-jupyter:1` container from the literal `docker run`, its Jupyter Server,
 * the bridge running cells for the gateway. Ada starts a kernel and runs cells through the
 * gateway's events; Ben watches the project doc live over his own socket and sees the same
 * outputs: prints and values, an image, an error, an interrupt of `while True: pass`, a
 * restart, a 10 MB flood capped. Ben may not run code in Ada's container. First, in Chromium:
 * Ada makes a cell on the board, types, Shift+Enter; Ben's board shows the same outputs, HTML
 * sanitized.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CellOutput, CellRecord, KernelRecord } from "../../protocol/jupyter.ts";
import { CELL_OUTPUT_CAP_BYTES } from "../../protocol/jupyter.ts";
import type { BenchClient } from "../bench/clients.ts";
import { launchChromium } from "../test/browser.ts";
import { waitFor } from "./exec.ts";
import { JUPYTER_IMAGE, Platform } from "./platform.ts";

if (process.getuid?.() !== 0) throw new Error("the container tests need root (network namespaces, podman, OpenVPN): run `sudo npm run test:containers`");

const screenshots = resolve(import.meta.dirname, "../../docs/screenshots");
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("Jupyter cells on the board", () => {
  let platform: Platform;
  let ben: BenchClient;
  let kernel: string;

  const kernels = () => ben.doc.getMap<KernelRecord>("jupyter/kernels");
  const cellOf = (id: string) => ben.doc.getMap<CellRecord>("jupyter/cells").get(id);
  const outputsOf = (id: string): CellOutput[] => (ben.doc.getMap<import("yjs").Array<CellOutput>>("jupyter/outputs").get(id)?.toArray() ?? []);
  /** Waits until Ben's copy of the doc shows the cell in one of `states`. */
  const cellIn = (id: string, states: string[], ms = 60_000) => waitFor(`cell ${id} ${states.join("/")} on Ben's screen`, async () => (states.includes(cellOf(id)?.run ?? "") ? cellOf(id)! : null), ms, 20);

  let cells = 0;
  /** Ada makes a cell on the main view with `code` on the kernel, and runs it. */
  const runCell = async (code: string) => {
    const id = `cell${++cells}${Date.now().toString(36)}`;
    expect(await platform.event({ type: "jupyter:create", id, viewId: "main", x: 500, y: 100 + cells * 300, kernel, code })).toMatchObject({ ok: true });
    expect(await platform.event({ type: "jupyter:run", cells: [id] })).toMatchObject({ ok: true });
    return id;
  };

  beforeAll(async () => {
    platform = await Platform.start({ work: `/tmp/kiln-jupyter-e2e-${process.pid}` });
    const created = await platform.create("analysis", { image: JUPYTER_IMAGE, share: "project", viewId: "main", x: 80, y: 80 });
    expect((await platform.docker(created.command)).code).toBe(0);
    await platform.waitState(created.container.id, "running", 90_000);
    await waitFor("the jupyter service", async () => ((await platform.status(created.container.id)).services.some((s) => s.name === "jupyter") ? true : null), 60_000, 100);
    ben = await platform.projectDoc(platform.people.ben);
    const started = await platform.event({ type: "jupyter:start-kernel", container: created.container.id });
    expect(started).toMatchObject({ ok: true, result: { kernel: { state: "starting" } } });
    kernel = (started.result as { kernel: KernelRecord }).kernel.id;
    await waitFor("the kernel idle on Ben's screen", async () => (kernels().get(kernel)?.state === "idle" ? true : null), 60_000, 20);
  }, 900_000);

  afterAll(async () => {
    ben?.close();
    await browser?.close().catch(() => undefined);
    await platform?.close();
  }, 180_000);

  let browser: Browser | undefined;
  /** `person`'s board in Chromium, at 1440×900. */
  const board = async (session: string): Promise<Page> => {
    const app = platform.stack!.url.replace(/\/$/, "");
    const context = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: "kiln_session", value: session, url: app, httpOnly: true }]);
    const page = await context.newPage();
    await page.goto(`${app}/orgs/${platform.people.org}/projects/${platform.people.project}`);
    await page.locator(".react-flow__node", { hasText: "analysis" }).waitFor({ timeout: 60_000 });
    // The chats panel closed: the board gets the width.
    await page.getByRole("button", { name: "Chats", exact: true }).click();
    await page.getByRole("button", { name: "+ New" }).waitFor({ state: "hidden" });
    return page;
  };

  it("in two browsers: Ada types a cell and runs it, Ben sees the same outputs, HTML sanitized, and may not run it", async () => {
    mkdirSync(screenshots, { recursive: true });
    browser = await launchChromium();
    const adaPage = await board(platform.people.ada.session());
    const benPage = await board(platform.people.ben.session());
    // The Code tool at the pointer: the new cell takes the project's only idle kernel and opens its editor.
    // Right of the container node, clear of it.
    const container = await adaPage.locator(".react-flow__node", { hasText: "analysis" }).boundingBox();
    await adaPage.mouse.move(container!.x + container!.width + 300, container!.y + 60);
    await adaPage.keyboard.press("c");
    const adaCell = adaPage.locator(".react-flow__node-cell").first();
    await adaCell.locator(".cm-content").waitFor({ timeout: 20_000 });
    await expect.poll(() => adaCell.locator(".jp-kname").first().innerText(), { timeout: 20_000 }).toContain("analysis");
    await adaCell.locator(".cm-content").click();
    await adaPage.keyboard.type("print('hello ' * 2)");
    await adaPage.keyboard.press("Enter");
    await adaPage.keyboard.type("6 * 7");
    await adaPage.keyboard.press("Shift+Enter");

    const benCell = benPage.locator(".react-flow__node-cell").first();
    const benOutputs = benCell.getByTestId("cell-outputs");
    await expect.poll(() => benOutputs.innerText().catch(() => ""), { timeout: 60_000 }).toMatch(/hello hello[\s\S]*Out\[\d+\]:[\s\S]*42/);
    // Ben sees the code Ada typed, live.
    expect(await benCell.locator(".cm-content").innerText()).toContain("6 * 7");
    // Ben may not run code in Ada's container: the button says why.
    const benRun = benCell.getByRole("button", { name: "Run" });
    expect(await benRun.isDisabled()).toBe(true);
    expect(await benRun.getAttribute("title")).toMatch(/owner|terminal/);

    // HTML from the kernel is shown, its scripts and handlers are not.
    await adaCell.locator(".cm-content").click();
    await adaPage.keyboard.press("Control+a");
    await adaPage.keyboard.type(`from IPython.display import HTML, display`);
    await adaPage.keyboard.press("Enter");
    await adaPage.keyboard.type(`display(HTML("<b id='bold'>bold</b><img src='x' onerror='window.pwned=1'><script>window.pwned=2</script>"))`);
    await adaPage.keyboard.press("Shift+Enter");
    await benOutputs.locator("b#bold").waitFor({ timeout: 60_000 });
    expect(await benOutputs.locator("script").count()).toBe(0);
    expect(await benOutputs.locator("img[onerror]").count()).toBe(0);
    expect(await benPage.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await adaPage.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();

    // Back to the first code for the screenshots.
    await adaCell.locator(".cm-content").click();
    await adaPage.keyboard.press("Control+a");
    await adaPage.keyboard.type("import sys");
    await adaPage.keyboard.press("Enter");
    await adaPage.keyboard.type("print('hello from', sys.platform)");
    await adaPage.keyboard.press("Enter");
    await adaPage.keyboard.type("sum(range(10))");
    await adaPage.keyboard.press("Shift+Enter");
    await expect.poll(() => benOutputs.innerText().catch(() => ""), { timeout: 60_000 }).toMatch(/hello from linux[\s\S]*45/);
    await adaPage.screenshot({ path: resolve(screenshots, "jupyter-cell-ada.png") });
    await benPage.screenshot({ path: resolve(screenshots, "jupyter-cell-ben.png") });
    // The cell's record is the doc's, seen over Ben's own socket too.
    await expect.poll(() => [...ben.doc.getMap<CellRecord>("jupyter/cells").values()].some((c) => c.run === "done" && c.ranBy !== null), { timeout: 10_000 }).toBe(true);
  }, 300_000);

  it("runs a cell printing and returning values; Ben sees the outputs and the count", async () => {
    const id = await runCell("print('hello from', 'kiln')\nsum(range(10))");
    const record = await cellIn(id, ["done", "error", "aborted"]);
    // The kernel counts on from the browser test's runs.
    expect(record).toMatchObject({ run: "done", executionCount: expect.any(Number) });
    expect(outputsOf(id)).toEqual([
      { type: "stream", name: "stdout", text: "hello from kiln\n" },
      { type: "result", count: record.executionCount, data: { "text/plain": "45" } },
    ]);
  });

  it("shows an image output and an error with its traceback", async () => {
    const image = await runCell(`import base64\nfrom IPython.display import Image, display\ndisplay(Image(data=base64.b64decode("${PNG}")))`);
    await cellIn(image, ["done"]);
    expect(outputsOf(image)).toEqual([{ type: "display", data: expect.objectContaining({ "image/png": expect.stringContaining(PNG.slice(0, 40)) }) }]);
    const error = await runCell("def f():\n    return 1 / 0\nf()");
    expect(await cellIn(error, ["done", "error"])).toMatchObject({ run: "error" });
    expect(outputsOf(error)).toEqual([{ type: "error", ename: "ZeroDivisionError", evalue: "division by zero", traceback: expect.any(Array) }]);
    // The traceback as IPython colours it (ANSI), with the failing line of the cell.
    const traceback = (outputsOf(error)[0] as Extract<CellOutput, { type: "error" }>).traceback.join("\n");
    expect(traceback).toContain("\u001b[");
    expect(traceback.replace(/\u001b\[[0-9;]*m/g, "")).toContain("----> 2     return 1 / 0");
  });

  it("interrupts `while True: pass`, then restarts the kernel (its variables gone)", async () => {
    const loop = await runCell("kept = 42\nwhile True: pass");
    await cellIn(loop, ["running"]);
    await waitFor("the kernel busy", async () => (kernels().get(kernel)?.state === "busy" ? true : null), 10_000, 20);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await platform.event({ type: "jupyter:interrupt", kernel })).toMatchObject({ ok: true });
    expect(await cellIn(loop, ["error", "done", "aborted"], 20_000)).toMatchObject({ run: "error" });
    expect(outputsOf(loop)).toEqual([expect.objectContaining({ type: "error", ename: "KeyboardInterrupt" })]);
    await waitFor("the kernel idle", async () => (kernels().get(kernel)?.state === "idle" ? true : null), 10_000, 20);

    const before = await runCell("kept");
    await cellIn(before, ["done"]);
    expect(outputsOf(before)).toEqual([{ type: "result", count: expect.any(Number), data: { "text/plain": "42" } }]);
    expect(await platform.event({ type: "jupyter:restart", kernel })).toMatchObject({ ok: true });
    await waitFor("the kernel back after its restart", async () => (kernels().get(kernel)?.state === "idle" ? true : null), 60_000, 20);
    const after = await runCell("kept");
    expect(await cellIn(after, ["done", "error"])).toMatchObject({ run: "error", executionCount: 1 });
    expect(outputsOf(after)).toEqual([expect.objectContaining({ type: "error", ename: "NameError" })]);
  });

  it("caps a 10 MB output at the cell's limit with a notice, and the doc stays small", async () => {
    const flood = await runCell("for i in range(100_000):\n    print('x' * 99)");
    const record = await cellIn(flood, ["done", "error"], 120_000);
    expect(record.run).toBe("done");
    const outputs = outputsOf(flood);
    const kept = outputs.reduce((n, o) => n + JSON.stringify(o).length, 0);
    expect(kept).toBeLessThanOrEqual(CELL_OUTPUT_CAP_BYTES + 300);
    // Its beginning is kept: the first lines, up to the cap.
    expect(kept).toBeGreaterThan(CELL_OUTPUT_CAP_BYTES * 0.9);
    expect(outputs[0]).toMatchObject({ type: "stream", name: "stdout", text: expect.stringMatching(/^x{99}\nx{99}\n/) });
    expect(outputs.at(-1)).toMatchObject({ type: "notice", text: expect.stringContaining("Output truncated") });
    expect(record.droppedBytes).toBeGreaterThan(8_000_000);
  });

  it("refuses Ben running code in Ada's container, and a cell with no kernel", async () => {
    const id = `benscell${Date.now().toString(36)}`;
    expect(await platform.event({ type: "jupyter:create", id, viewId: "main", kernel, code: "import os; os.getuid()" }, platform.people.ben)).toMatchObject({ ok: true });
    expect(await platform.event({ type: "jupyter:run", cells: [id] }, platform.people.ben)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(cellOf(id)?.run ?? "idle").toBe("idle");
  });
});
