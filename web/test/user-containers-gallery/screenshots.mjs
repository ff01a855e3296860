// Screenshots of the container node in each state and of the create dialog, at 1440×900, in
// Debian's Chromium: `node web/test/user-containers-gallery/screenshots.mjs` (writes
// docs/screenshots/containers-*.png). Vite serves this folder's gallery (main.tsx).
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createServer } from "vite";

const root = fileURLToPath(new URL("../../", import.meta.url));
const out = (name) => fileURLToPath(new URL(`../../../docs/screenshots/containers-${name}.png`, import.meta.url));

const server = await createServer({ configFile: `${root}vite.config.ts`, root, server: { port: 0, host: "127.0.0.1" }, logLevel: "warn" });
await server.listen();
const { port } = server.httpServer.address();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  const open = async (scene, fit = true) => {
    await page.goto(`http://127.0.0.1:${port}/test/user-containers-gallery/index.html?scene=${scene}`);
    await page.waitForSelector(".react-flow__node", { timeout: 60_000 });
    // The catalog and roles answered; then fit to the screen (Shift+1), as a person would.
    await page.waitForTimeout(500);
    if (fit) {
      await page.locator(".react-flow__pane").click({ position: { x: 1300, y: 600 } });
      await page.keyboard.press("Shift+Digit1");
      await page.waitForTimeout(400);
      // One node fits at the highest zoom: one step back, to see it as on a board.
      if (scene.startsWith("node-")) await page.locator(".react-flow__controls-zoomout").click();
      await page.waitForTimeout(400);
    }
  };

  await open("board");
  await page.screenshot({ path: out("board") });
  // Zoomed out (below the board's FAR_ZOOM): name and state only.
  for (let i = 0; i < 8; i++) await page.locator(".react-flow__controls-zoomout").click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: out("board-far") });
  await page.emulateMedia({ colorScheme: "dark" });
  await open("board");
  await page.screenshot({ path: out("board-dark") });
  await page.emulateMedia({ colorScheme: "light" });

  for (const state of ["created", "connecting", "running", "unreachable", "stopped"]) {
    await open(`node-${state}`);
    await page.screenshot({ path: out(`node-${state}`) });
  }

  // The ⋯ menu of the running container.
  await open("node-running");
  await page.getByRole("button", { name: "Container actions" }).click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: out("menu") });

  // The dialog: searching by tag, the suggestions open.
  await open("dialog", false);
  await page.getByLabel("Name").fill("GPU trainer");
  await page.getByLabel("Image").fill("lang:python");
  await page.keyboard.press("ArrowDown");
  await page.waitForTimeout(200);
  await page.screenshot({ path: out("dialog") });
  // Picked, then a custom image with its services.
  await page.keyboard.press("Enter");
  await page.waitForTimeout(100);
  await page.screenshot({ path: out("dialog-picked") });
  await page.getByLabel("Image").fill("ghcr.io/acme/trainer:2.1");
  await page.getByLabel("Services it serves").fill("jupyter:8888\ntensorboard:6006\nredis:6379/tcp");
  await page.screenshot({ path: out("dialog-custom") });
  // Created: the command, once.
  await page.getByRole("button", { name: "Create" }).click();
  await page.getByRole("button", { name: "Done" }).waitFor();
  await page.screenshot({ path: out("dialog-created") });
} finally {
  await browser.close();
  await server.close();
}
