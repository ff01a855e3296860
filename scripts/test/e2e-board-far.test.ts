/**
 * The board zoomed far out (issue #18): below FAR_ZOOM it is drawn on one canvas (FarBoard),
 * with no DOM node per item, and stays usable. Two people: Ada, zoomed far out, clicks a note to
 * select it (Ben sees her selection), Shift-clicks a second, drags the first (Ben sees it move),
 * nudges it with an arrow key, pans the empty canvas, double-clicks a note to zoom in to it.
 * The board has colours, two edges and a group, as boards do.
 * Also the far board's screenshot (docs/screenshots/board-far-zoom.png, 1440×900).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshots, twoMembersOnOneProject, useStackAndBrowser } from "./e2e-board-setup";

const run = useStackAndBrowser("board-far");
/** web/src/board/zoom.ts's FAR_ZOOM (not imported: React's types would replace this Node project's DOM types). */
const FAR_ZOOM = 0.4;

let ada: Page;
let ben: Page;

const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });

/** xyflow's viewport: its pan (px) and zoom. */
async function viewport(page: Page): Promise<{ x: number; y: number; zoom: number }> {
  const style = (await page.locator(".react-flow__viewport").getAttribute("style")) ?? "";
  const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(style);
  if (!m) throw new Error(`no viewport transform in "${style}"`);
  return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
}

/** A node's flow position, from its DOM node (closer in than the far zoom). */
async function flowPosition(page: Page, id: string): Promise<{ x: number; y: number }> {
  const style = (await page.locator(`.react-flow__node[data-id="${id}"]`).getAttribute("style")) ?? "";
  const m = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec(style);
  if (!m) throw new Error(`node ${id} has no position in "${style}"`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** Where on the screen a flow point is drawn. */
async function onScreen(page: Page, at: { x: number; y: number }): Promise<{ x: number; y: number }> {
  const pane = (await page.locator(".board-canvas .react-flow").boundingBox())!;
  const v = await viewport(page);
  return { x: pane.x + v.x + at.x * v.zoom, y: pane.y + v.y + at.y * v.zoom };
}

/** Makes a note centred where the pointer is, with a title, and leaves it. */
async function noteAt(page: Page, x: number, y: number, title: string): Promise<void> {
  await page.mouse.move(x, y);
  await page.keyboard.press("n");
  const field = page.locator(".note-body:focus");
  await field.waitFor();
  await field.pressSequentially(`# ${title}`, { delay: 5 });
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
}

const ids = async (page: Page) => page.locator(".react-flow__node-note").evaluateAll((els) => els.map((el) => el.getAttribute("data-id")!));
const zoomOut = async (page: Page, below: number) => {
  while ((await viewport(page)).zoom >= below) {
    await page.keyboard.press("Control+-");
    await page.waitForTimeout(250);
  }
};

describe("the board zoomed far out", () => {
  let notes: string[] = [];
  /** The first note's flow position, before Ada moves it. */
  let first: { x: number; y: number };
  let noteSize: { width: number; height: number };

  it("draws the board on one canvas, with no DOM node per item", async () => {
    const people = await twoMembersOnOneProject(run.stack().url, { org: "Far team", project: "Overview" });
    ada = await run.openBoard(people.ada, people.path);
    ben = await run.openBoard(people.ben, people.path);
    const pane = (await ada.locator(".board-canvas .react-flow").boundingBox())!;
    const titles = ["Research", "Design", "Build", "Launch", "Interviews", "Wireframes", "Gateway", "Pricing", "Survey", "Prototype", "Web app", "Docs"];
    for (const [i, title] of titles.entries()) await noteAt(ada, pane.x + 180 + (i % 4) * 290, pane.y + 130 + Math.floor(i / 4) * 210, title);
    await poll(async () => (await ids(ben)).length).toBe(titles.length);
    notes = await ids(ada);
    first = await flowPosition(ada, notes[0]!);
    const box = (await ada.locator(`.react-flow__node[data-id="${notes[0]}"]`).boundingBox())!;
    const zoom = (await viewport(ada)).zoom;
    noteSize = { width: box.width / zoom, height: box.height / zoom };
    // A few colours, as people use them.
    for (const [i, fill] of [[1, "blue"], [5, "blue"], [2, "green"], [6, "green"], [3, "pink"]] as const) {
      await ada.locator(`.react-flow__node[data-id="${notes[i]}"] header`).click();
      await ada.getByRole("button", { name: `Fill ${fill}` }).click();
    }
    await ada.keyboard.press("Escape");
    // Two edges (the arrow tool, from one note to another) and a group, as a board has them.
    const centre = async (id: string) => {
      const b = (await ada.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 + 20 };
    };
    for (const [from, to] of [[4, 5], [6, 7]] as const) {
      await ada.keyboard.press("a");
      const [a, b] = [await centre(notes[from]!), await centre(notes[to]!)];
      await ada.mouse.move(a.x, a.y);
      await ada.mouse.down();
      await ada.mouse.move(b.x, b.y, { steps: 12 });
      await ada.mouse.up();
    }
    await poll(() => ben.locator(".react-flow__edge").count()).toBe(2);
    await ada.locator(`.react-flow__node[data-id="${notes[8]}"] header`).click();
    await ada.locator(`.react-flow__node[data-id="${notes[9]}"] header`).click({ modifiers: ["Shift"] });
    await ada.keyboard.press("Control+g");
    await poll(() => ben.locator(".react-flow__node-group").count()).toBe(1);
    await ada.keyboard.press("Escape");

    await zoomOut(ada, FAR_ZOOM);
    await poll(() => ada.locator(".react-flow__node").count()).toBe(0);
    // Every note and the group.
    await poll(async () => Number(await ada.getByTestId("far-board").getAttribute("data-items"))).toBe(titles.length + 1);
  });

  it("selects a note Ada clicks (Ben sees her selection), and Shift-click adds another", async () => {
    const at = await onScreen(ada, { x: first.x + noteSize.width / 2, y: first.y + noteSize.height / 2 });
    await ada.mouse.click(at.x, at.y);
    // Her style bar offers the note's style: it is selected here.
    await ada.getByRole("region", { name: "Style" }).waitFor();
    // Ben, closer in, sees Ada's mark on that note.
    await poll(() => ben.locator(`.react-flow__node[data-id="${notes[0]}"] .peer-mark`).textContent()).toBe("Ada");
    const second = await flowPosition(ben, notes[1]!);
    const other = await onScreen(ada, { x: second.x + noteSize.width / 2, y: second.y + noteSize.height / 2 });
    await ada.keyboard.down("Shift");
    await ada.mouse.click(other.x, other.y);
    await ada.keyboard.up("Shift");
    await poll(() => ben.locator(".peer-mark").count()).toBe(2);
    // A click on empty canvas deselects.
    const empty = await onScreen(ada, { x: first.x - 300, y: first.y - 300 });
    await ada.mouse.click(empty.x, empty.y);
    await poll(() => ben.locator(".peer-mark").count()).toBe(0);
  });

  it("moves a note Ada drags, for Ben too, without panning her board", async () => {
    const before = await viewport(ada);
    const at = await onScreen(ada, { x: first.x + noteSize.width / 2, y: first.y + noteSize.height / 2 });
    await ada.mouse.move(at.x, at.y);
    await ada.mouse.down();
    for (let i = 1; i <= 10; i++) await ada.mouse.move(at.x - i * 6, at.y - i * 4);
    await ada.mouse.up();
    expect(await viewport(ada)).toEqual(before);
    const expected = { x: first.x - 60 / before.zoom, y: first.y - 40 / before.zoom };
    await poll(async () => {
      const now = await flowPosition(ben, notes[0]!);
      return Math.abs(now.x - expected.x) <= 2 && Math.abs(now.y - expected.y) <= 2;
    }).toBe(true);
    // The arrow keys nudge the selection (the dragged note), zoomed out as close in.
    const moved = await flowPosition(ben, notes[0]!);
    await ada.keyboard.press("ArrowRight");
    await poll(async () => (await flowPosition(ben, notes[0]!)).x).toBe(moved.x + 5);
  });

  it("pans when the drag starts on empty canvas, and zooms in to a note on a double-click", async () => {
    const before = await viewport(ada);
    const from = await onScreen(ada, { x: first.x + 4 * 300, y: first.y - 150 });
    await ada.mouse.move(from.x, from.y);
    await ada.mouse.down();
    for (let i = 1; i <= 8; i++) await ada.mouse.move(from.x + i * 10, from.y + i * 5);
    await ada.mouse.up();
    await poll(async () => Math.abs((await viewport(ada)).x - (before.x + 80)) < 2).toBe(true);
    await ada.screenshot({ path: join(screenshots, "board-far-zoom.png") });

    const third = await flowPosition(ben, notes[2]!);
    const at = await onScreen(ada, { x: third.x + noteSize.width / 2, y: third.y + noteSize.height / 2 });
    await ada.mouse.dblclick(at.x, at.y);
    await poll(async () => (await viewport(ada)).zoom).toBe(1);
    // Closer in, the DOM draws the board again, that note in the middle; no note was made by the double-click.
    await ada.locator(`.react-flow__node[data-id="${notes[2]}"]`).waitFor();
    expect((await ids(ada)).length).toBeLessThanOrEqual(notes.length);
    await poll(async () => (await ids(ben)).length).toBe(notes.length);
  });

  it("searches and exports zoomed far out: the search zooms in to what it finds, the view exports as drawn", async () => {
    await zoomOut(ada, FAR_ZOOM);
    await poll(() => ada.locator(".react-flow__node").count()).toBe(0);
    // Export of the view: the canvas is in it (a PNG whose pixels are not all the background).
    await ada.getByRole("button", { name: "Export as an image" }).click();
    const [file] = await Promise.all([ada.waitForEvent("download"), ada.getByRole("menu", { name: "Export" }).getByRole("menuitem", { name: "View as PNG" }).click()]);
    const png = await readFile((await file.path())!);
    // The image is the pane at 100 % of the screen: where "Design" (blue) is drawn, it is blue in the file.
    const pane = (await ada.locator(".board-canvas .react-flow").boundingBox())!;
    const design = await flowPosition(ben, notes[1]!);
    const at = await onScreen(ada, { x: design.x + noteSize.width / 2, y: design.y + noteSize.height - 10 });
    const pixel = await ada.evaluate(
      `(async () => {
        const image = new Image();
        image.src = "data:image/png;base64,${png.toString("base64")}";
        await image.decode();
        const c = document.createElement("canvas");
        [c.width, c.height] = [image.width, image.height];
        const ctx = c.getContext("2d");
        ctx.drawImage(image, 0, 0);
        return [...ctx.getImageData(${Math.round(at.x - pane.x)}, ${Math.round(at.y - pane.y)}, 1, 1).data];
      })()`,
    );
    // Fill blue: #dbeafe.
    expect(pixel).toEqual([219, 234, 254, 255]);

    await ada.keyboard.press("Control+f");
    await ada.getByRole("dialog", { name: "Search the board" }).waitFor();
    await ada.keyboard.type("pricing");
    await ada.keyboard.press("Enter");
    await poll(async () => (await viewport(ada)).zoom).toBeGreaterThanOrEqual(0.8);
    await ada.locator(`.react-flow__node[data-id="${notes[7]}"] .board-node.is-selected`).waitFor();
    await poll(() => ben.locator(`.react-flow__node[data-id="${notes[7]}"] .peer-mark`).textContent()).toBe("Ada");
  });
});
