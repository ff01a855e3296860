// Screenshots of code cells on a board, at 1440×900, in Debian's Chromium:
// `node web/test/jupyter-gallery/screenshots.mjs` (writes docs/screenshots/jupyter-*.png).
// Vite serves this folder's gallery (main.tsx). It also checks, in the real browser, that a
// hostile HTML output ran nothing and kept no script, handler, frame, form or style.
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createServer } from "vite";

const root = fileURLToPath(new URL("../../", import.meta.url));
const out = (name) => fileURLToPath(new URL(`../../../docs/screenshots/jupyter-${name}.png`, import.meta.url));

const server = await createServer({ configFile: `${root}vite.config.ts`, root, server: { port: 0, host: "127.0.0.1" }, logLevel: "warn" });
await server.listen();
const { port } = server.httpServer.address();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
let failed = false;
const check = (ok, what) => {
  console.log(`${ok ? "ok" : "FAILED"}: ${what}`);
  if (!ok) failed = true;
};
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  page.on("console", (m) => m.type() === "error" && console.error("console:", m.text()));
  page.on("dialog", (d) => {
    check(false, `no dialog opens (${d.message()})`);
    void d.dismiss();
  });
  const open = async (scene) => {
    await page.goto(`http://127.0.0.1:${port}/test/jupyter-gallery/index.html?scene=${scene}`);
    await page.waitForSelector(".react-flow__node-cell", { timeout: 60_000 });
    await page.waitForTimeout(600);
    await page.locator(".react-flow__pane").click({ position: { x: 1400, y: 850 } });
    await page.keyboard.press("Shift+Digit1");
    await page.waitForTimeout(500);
  };

  await open("board");
  await page.screenshot({ path: out("board") });

  // One cell up close: the table, the streams joined.
  await open("cell");
  await page.locator(".react-flow__controls-zoomout").click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: out("cell") });

  // The kernel picker, open: kernels with their state, containers to start one on.
  await open("board");
  await page.locator(".react-flow__node-cell").first().locator(".jp-kernel").click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: out("kernel-menu") });
  await page.keyboard.press("Escape");

  // Typing in a cell: the board's keys (N, C, Delete) stay in the editor; Shift+Enter runs it, outputs stream in.
  const before = await page.locator(".react-flow__node").count();
  const next = page.locator('.react-flow__node[data-id="next"]');
  await next.locator(".cm-content").click();
  await page.keyboard.type("n = 3  # a count\nprint(n)");
  await page.keyboard.press("Delete");
  check((await page.locator(".react-flow__node").count()) === before, "typing N, C and Delete in a cell creates and deletes nothing on the board");
  check((await next.locator(".cm-content").innerText()).includes("print(n)"), "the cell holds what was typed");
  await page.keyboard.press("Shift+Enter");
  await page.waitForTimeout(500);
  await page.screenshot({ path: out("running") });
  await page.waitForTimeout(800);
  check((await next.locator(".jp-stdout").innerText()).includes("step 2"), "the run's outputs streamed into the cell");
  await page.keyboard.press("Escape");
  check(await page.evaluate(() => !document.activeElement?.closest(".cm-editor")), "Escape leaves the editor");
  // Out of the editor, the board's keys work again: C makes a new cell, focused for typing.
  await page.mouse.move(700, 820);
  await page.keyboard.press("c");
  await page.waitForTimeout(500);
  check((await page.locator(".react-flow__node-cell").count()) === 7, "C on the board makes a code cell");
  check(await page.evaluate(() => !!document.activeElement?.closest(".cm-editor")), "the new cell's editor has the focus");
  await page.keyboard.press("Escape");

  // Zoomed out: the prompt and first line.
  for (let i = 0; i < 6; i++) await page.locator(".react-flow__controls-zoomout").click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: out("far") });

  await page.emulateMedia({ colorScheme: "dark" });
  await open("board");
  await page.screenshot({ path: out("board-dark") });
  await page.emulateMedia({ colorScheme: "light" });

  await open("hostile");
  await page.waitForTimeout(300);
  const html = await page.locator(".jp-html").innerHTML();
  check((await page.title()) !== "pwned", "the hostile output ran no script");
  check(!/<script|onerror|<iframe|<style|<form|<input|javascript:/i.test(html), `the hostile output kept nothing active: ${html}`);
  check((await page.locator("body").evaluate((b) => getComputedStyle(b).display)) !== "none", "the hostile output's style rules were dropped");
  await page.screenshot({ path: out("hostile") });
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
