/**
 * The board benchmark's page (web/src/board/bench/): N notes in a local doc, rendered by the
 * real canvas, served by Vite. Used by `npm run bench:board` and by the board's render test.
 */
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { createServer } from "vite";
import { findFreePort } from "../local/ports";

export interface BoardPage {
  /** The page's address for a board of `nodes` notes. */
  url(nodes: number): string;
  close(): Promise<void>;
}

/** Serves the page with Vite on a free loopback port. */
export async function serveBoardPage(): Promise<BoardPage> {
  const port = await findFreePort();
  const server = await createServer({ configFile: fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url)), server: { port, strictPort: true }, logLevel: "error" });
  await server.listen();
  return { url: (nodes) => `http://localhost:${port}/src/board/bench/index.html?n=${nodes}`, close: () => server.close() };
}

/** A point of the canvas, right of and below the middle, where nothing but the pane is under the pointer. */
export async function emptyPanePoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(`(() => {
    const pane = document.querySelector(".react-flow__pane").getBoundingClientRect();
    for (let y = pane.bottom - 80; y > pane.top + pane.height / 2; y -= 7)
      for (let x = pane.right - 240; x > pane.left + pane.width / 2; x -= 7)
        if (document.elementFromPoint(x, y)?.classList.contains("react-flow__pane")) return { x, y };
    return null;
  })()`);
  if (!point) throw new Error("no empty spot on the board to start a pan from");
  return point as { x: number; y: number };
}
