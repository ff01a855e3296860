/**
 * Which notes a big board puts in the DOM, in Chromium (the board benchmark's page: a local
 * doc, no stack). Zoomed far out (below FAR_ZOOM, web/src/board/zoom.ts) every note is drawn,
 * in its far form (its first line), so a pan only moves the canvas; closer in, only the notes in
 * sight are, so the DOM stays small. (Not importing zoom.ts: React's types would replace the
 * DOM types this Node project leaves out.)
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
/** Notes drawn in their far form. */
const drawnFar = () => page.locator(".react-flow__node-note .note-far").count();
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
  it("zoomed far out, keeps every note drawn, even those a pan has taken out of sight", async () => {
    expect(await drawnFar(), "the fitted board is zoomed far out").toBe(NOTES);
    const from = await emptyPanePoint(page);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(from.x - i * 40, from.y - i * 20);
    await page.mouse.up();
    await page.waitForTimeout(200);
    expect(await drawn(), "every note is still drawn after the pan").toBe(NOTES);
    expect(await outOfSight(), "the pan took part of the board out of sight").toBeGreaterThan(50);
  });

  it("closer in, draws only the notes in sight", async () => {
    while ((await zoom()) < 0.8) {
      await page.getByRole("button", { name: "Zoom In" }).click();
      await page.waitForTimeout(150);
    }
    await expect.poll(drawn).toBeLessThan(NOTES / 2);
    expect(await drawnFar()).toBe(0);
    expect(await outOfSight()).toBe(0);
  });
});
