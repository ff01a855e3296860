/**
 * What the board's end-to-end suites read off a page, in one place: nodes and edges by id, a
 * node's box and the viewport as xyflow draws them, and the node an action makes appear.
 */
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";

export const poll = <T>(fn: () => Promise<T>, timeout = 10_000) => expect.poll(fn, { timeout, interval: 100 });
export const nodeById = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
export const idsOf = (page: Page, type: string) => page.locator(`.react-flow__node-${type}`).evaluateAll((els) => els.map((el) => el.getAttribute("data-id")!).sort());
export const edgeIds = (page: Page) => page.locator(".react-flow__edge").evaluateAll((els) => els.map((el) => el.getAttribute("data-id")!).sort());
/** A node's place and size in flow coordinates, as xyflow draws it. */
export const box = (node: Locator) =>
  node.evaluate((el) => {
    const style = (el as unknown as { style: { transform: string; width: string; height: string } }).style;
    const [, x, y] = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\)/.exec(style.transform)!;
    return { x: Number(x), y: Number(y), width: parseFloat(style.width), height: parseFloat(style.height) };
  });
export const viewport = (page: Page) => page.locator(".react-flow__viewport").evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform);
export const isSelected = (page: Page, id: string) => nodeById(page, id).locator(".board-node.is-selected").count();

/** The new node of `type` that `act` makes appear on `page`. */
export async function created(page: Page, type: string, act: () => Promise<unknown>): Promise<string> {
  const before = new Set(await idsOf(page, type));
  await act();
  let id: string | undefined;
  await poll(async () => (id = (await idsOf(page, type)).find((i) => !before.has(i)))).toBeTruthy();
  return id!;
}

/** The canvas point (screen) at offset (x, y) from its corner. */
export async function at(page: Page, x: number, y: number) {
  const pane = (await page.locator(".board-canvas").boundingBox())!;
  return { x: pane.x + x, y: pane.y + y };
}

/** A drag by hand: down, `steps` small moves, up. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 12) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}
