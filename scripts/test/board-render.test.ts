/**
 * What a big board draws, in Chromium (the board benchmark's page: a local doc, no stack). Zoomed
 * far out (below FAR_ZOOM, web/src/board/zoom.ts) it is one canvas (FarBoard) holding every note,
 * and no DOM node per note, even after a pan; closer in, the DOM draws only the notes in sight and
 * the canvas is blank. (Not importing zoom.ts: React's types would replace the DOM types this Node
 * project leaves out.)
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BoardPage, emptyPanePoint, serveBoardPage } from "../bench/board-page";
import { launchChromium } from "./browser";

const NOTES = 400;

let server: BoardPage;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await serveBoardPage();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url(NOTES));
  await page.waitForFunction(() => (globalThis as { benchResult?: unknown }).benchResult !== undefined, null, { timeout: 90_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The viewport's zoom, from xyflow's transform. */
const zoom = async () => Number(/scale\(([\d.]+)\)/.exec(await page.locator(".react-flow__viewport").getAttribute("style") ?? "")?.[1]);
const drawn = () => page.locator(".react-flow__node-note").count();
/** Items the far board's canvas holds (0 when it is blank). */
const onCanvas = async () => Number(await page.getByTestId("far-board").getAttribute("data-items"));
/** Pixels the canvas has drawn on, of a 40 × 40 px patch in the middle of the pane. */
const inkInTheMiddle = () =>
  page.evaluate(`(() => {
    const c = document.querySelector("[data-testid=far-board]");
    const { data } = c.getContext("2d").getImageData(c.width / 2 - 20, c.height / 2 - 20, 40, 40);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  })()`) as Promise<number>;
/** Notes whose box lies wholly outside the board's pane. */
const outOfSight = () =>
  page.evaluate(`(() => {
    const pane = document.querySelector(".react-flow__pane").getBoundingClientRect();
    return [...document.querySelectorAll(".react-flow__node-note")].filter((n) => {
      const r = n.getBoundingClientRect();
      return r.right < pane.left || r.left > pane.right || r.bottom < pane.top || r.top > pane.bottom;
    }).length;
  })()`) as Promise<number>;

describe("a board of 400 notes", () => {
  it("zoomed far out, is one canvas holding every note, with no DOM node per note, even after a pan", async () => {
    expect(await onCanvas(), "the fitted board is zoomed far out, on the canvas").toBe(NOTES);
    expect(await drawn()).toBe(0);
    expect(await inkInTheMiddle(), "the canvas draws the notes").toBeGreaterThan(100);
    const from = await emptyPanePoint(page);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(from.x - i * 40, from.y - i * 20);
    await page.mouse.up();
    await page.waitForTimeout(200);
    expect(await onCanvas()).toBe(NOTES);
    expect(await drawn()).toBe(0);
  });

  it("closer in, draws only the notes in sight, in the DOM, and the canvas is blank", async () => {
    // Back over the board (the pan took its middle away), then in.
    await page.keyboard.press("Shift+Digit1");
    await page.waitForTimeout(400);
    while ((await zoom()) < 0.8) {
      await page.getByRole("button", { name: "Zoom In" }).click();
      await page.waitForTimeout(150);
    }
    await expect.poll(drawn).toBeGreaterThan(0);
    expect(await drawn()).toBeLessThan(NOTES / 2);
    expect(await onCanvas()).toBe(0);
    await expect.poll(inkInTheMiddle).toBe(0);
    expect(await outOfSight()).toBe(0);
  });
});
