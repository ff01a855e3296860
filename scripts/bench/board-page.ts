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
  const server = await createServer({
    configFile: fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url)),
    // No file watching: another edit in the tree while measuring would reload the page mid-run.
    server: { port, strictPort: true, hmr: false, watch: null },
    logLevel: "error",
  });
  await server.listen();
  return { url: (nodes) => `http://localhost:${port}/src/board/bench/index.html?n=${nodes}`, close: () => server.close() };
}

/**
 * A point of the canvas, right of and below the middle, where nothing but the pane is under the
 * pointer. Zoomed far out the board is drawn on the far board's canvas, which lets the pointer
 * through to the pane: there the point must also be clear of what is drawn (no pixel 2 px
 * around) and of any edge's line (no grey pixel 8 px around: a press that near selects the edge).
 */
export async function emptyPanePoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(`(() => {
    const pane = document.querySelector(".react-flow__pane").getBoundingClientRect();
    const far = document.querySelector("[data-testid=far-board]");
    const drawn = far && Number(far.dataset.items) > 0 ? far : null;
    const box = drawn?.getBoundingClientRect();
    const pixels = drawn?.getContext("2d").getImageData(0, 0, drawn.width, drawn.height);
    const ratio = drawn ? drawn.width / box.width : 1;
    const at = (x, y) => {
      const i = (Math.round((y - box.top) * ratio) * pixels.width + Math.round((x - box.left) * ratio)) * 4;
      return [pixels.data[i], pixels.data[i + 1], pixels.data[i + 2], pixels.data[i + 3]];
    };
    const clear = (x, y) => {
      if (!pixels) return true;
      for (let dy = -8; dy <= 8; dy++)
        for (let dx = -8; dx <= 8; dx++) {
          const [r, g, b, a] = at(x + dx, y + dy);
          if (a !== 0 && Math.abs(dx) <= 2 && Math.abs(dy) <= 2) return false;
          if (a !== 0 && Math.abs(r - g) < 24 && Math.abs(g - b) < 24) return false;
        }
      return true;
    };
    for (let y = pane.bottom - 80; y > pane.top + pane.height / 2; y -= 7)
      for (let x = pane.right - 240; x > pane.left + pane.width / 2; x -= 7)
        if (document.elementFromPoint(x, y)?.classList.contains("react-flow__pane") && clear(x, y)) return { x, y };
    return null;
  })()`);
  if (!point) throw new Error("no empty spot on the board to start a pan from");
  return point as { x: number; y: number };
}
