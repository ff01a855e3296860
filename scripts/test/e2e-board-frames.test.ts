/**
 * Frames and arrows bound to shapes (issue #18) end to end: `npm start`, Ada and Ben in two
 * Chromium contexts at 1440×900. Ada draws a frame around a note and a rectangle (F), which
 * takes them in, and makes a note inside it; dragging the frame moves them, on Ben's screen too. She drops an ellipse into
 * the frame and drags it out again, renames the frame, and exports it as PNG from its menu.
 * She draws an arrow from the rectangle to the ellipse: bound, it follows the ellipse as Ben
 * drags it, on both screens and after a reload; she drags its end onto the note, which binds it
 * there, and undoes that; deleting the ellipse leaves the arrow where it was. A note dragged
 * partly out of the frame has what sticks out clipped, on both screens, until it is selected. Screenshots: docs/screenshots/board-frames-*.png (1440×900 and 390×844).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshots, twoMembersOnOneProject, useStackAndBrowser } from "./e2e-board-setup";
import { at, box, created, drag, idsOf, isSelected, nodeById, poll } from "./board-locators";

const run = useStackAndBrowser("board-frames");

/** The screen point at a node's centre, or at (dx, dy) from its top-left corner. */
async function on(page: Page, id: string, dx?: number, dy?: number) {
  const b = (await nodeById(page, id).boundingBox())!;
  return { x: b.x + (dx ?? b.width / 2), y: b.y + (dy ?? b.height / 2) };
}
/** Where a node is drawn, in flow coordinates, as text (to compare two screens). */
const where = async (page: Page, id: string) => JSON.stringify(await box(nodeById(page, id)).catch(() => null));
/** An arrow shape's two ends, in flow coordinates: its line inside its box. */
async function arrowEnds(page: Page, id: string) {
  const b = await box(nodeById(page, id));
  const line = nodeById(page, id).locator("line");
  const [x1, y1, x2, y2] = await Promise.all(["x1", "y1", "x2", "y2"].map(async (a) => Number(await line.getAttribute(a))));
  return { from: { x: b.x + x1!, y: b.y + y1! }, to: { x: b.x + x2!, y: b.y + y2! } };
}

let ada: Page;
let ben: Page;
let path: string;
const ids: Record<string, string> = {};

describe("frames and bound arrows", () => {
  it("opens one project for Ada and Ben", async () => {
    const people = await twoMembersOnOneProject(run.stack().url, { org: "Frame team", project: "Roadmap" });
    path = people.path;
    ada = await run.openBoard(people.ada, path);
    ben = await run.openBoard(people.ben, path);
    await poll(() => ada.getByTestId("peer-avatar").count()).toBe(1);
  });

  it("draws a frame around a note and a rectangle: it takes them in, and they move with it on both screens", async () => {
    const pointer = await at(ada, 260, 260);
    await ada.mouse.move(pointer.x, pointer.y);
    ids.note = await created(ada, "note", () => ada.keyboard.press("n"));
    await ada.keyboard.type("Launch checklist");
    await ada.keyboard.press("Escape");
    await ada.keyboard.press("Escape");
    await ada.keyboard.press("r");
    ids.rect = await created(ada, "rectangle", () => drag(ada, { x: pointer.x + 200, y: pointer.y - 60 }, { x: pointer.x + 340, y: pointer.y + 40 }));
    await ada.keyboard.press("o");
    ids.ellipse = await created(ada, "ellipse", async () => drag(ada, await at(ada, 900, 200), await at(ada, 1040, 300)));
    await ada.keyboard.press("Escape");

    // F, then a drag around the note and the rectangle (not the ellipse).
    await ada.keyboard.press("f");
    expect(await ada.getByRole("toolbar", { name: "Board tools" }).getByRole("button", { name: "Frame (F)" }).getAttribute("aria-pressed")).toBe("true");
    ids.frame = await created(ada, "frame", async () => drag(ada, await at(ada, 120, 130), await at(ada, 720, 520)));
    await poll(() => isSelected(ada, ids.frame!)).toBe(1);
    await poll(() => ben.getByTestId("frame-name").textContent()).toBe("Frame 1");
    // A note made inside the frame (N at the pointer) is in it too.
    await ada.keyboard.press("Escape");
    const inside = await at(ada, 300, 440);
    await ada.mouse.move(inside.x, inside.y);
    ids.later = await created(ada, "note", () => ada.keyboard.press("n"));
    await ada.keyboard.press("Escape");
    await ada.keyboard.press("Escape");
    const before = { note: await box(nodeById(ada, ids.note)), rect: await box(nodeById(ada, ids.rect)), later: await box(nodeById(ada, ids.later)), ellipse: await box(nodeById(ada, ids.ellipse)) };
    await ada.screenshot({ path: join(screenshots, "board-frames-drawn.png") });

    // Dragged by its name, the frame takes what it holds, as far as it went; the ellipse outside stays.
    const frameBefore = await box(nodeById(ada, ids.frame));
    await drag(ada, await on(ada, ids.frame, 20, -10), await on(ada, ids.frame, 20 + 150, -10 + 120));
    const frameAfter = await box(nodeById(ada, ids.frame));
    const moved = { x: frameAfter.x - frameBefore.x, y: frameAfter.y - frameBefore.y };
    expect(moved.x).toBeGreaterThan(100);
    expect(moved.y).toBeGreaterThan(80);
    for (const id of ["note", "rect", "later"] as const) {
      const after = await box(nodeById(ada, ids[id]!));
      expect(after.x - before[id].x).toBeCloseTo(moved.x, 0);
      expect(after.y - before[id].y).toBeCloseTo(moved.y, 0);
      await poll(() => where(ben, ids[id]!)).toBe(await where(ada, ids[id]!));
    }
    expect(await box(nodeById(ada, ids.ellipse))).toEqual(before.ellipse);
  });

  it("an ellipse dropped into the frame moves with it; dragged out again, it no longer does", async () => {
    await ada.keyboard.press("Escape");
    // Into the frame's empty lower right.
    const frame = (await nodeById(ada, ids.frame!).boundingBox())!;
    await drag(ada, await on(ada, ids.ellipse!), { x: frame.x + frame.width - 90, y: frame.y + frame.height - 70 });
    const dropped = await box(nodeById(ada, ids.ellipse!));
    await poll(() => where(ben, ids.ellipse!)).toBe(JSON.stringify(dropped));
    // The frame dragged up takes the ellipse with it.
    await drag(ada, await on(ada, ids.frame!, 20, -10), await on(ada, ids.frame!, 20, -10 - 100));
    await poll(async () => (await box(nodeById(ada, ids.ellipse!))).y).toBeLessThan(dropped.y - 40);
    await poll(() => where(ben, ids.ellipse!)).toBe(await where(ada, ids.ellipse!));
    // Out again, to the right of the frame: the frame moves without it.
    const moved = (await nodeById(ada, ids.frame!).boundingBox())!;
    await drag(ada, await on(ada, ids.ellipse!), { x: moved.x + moved.width + 220, y: moved.y + 200 });
    const outside = await box(nodeById(ada, ids.ellipse!));
    await drag(ada, await on(ada, ids.frame!, 20, -10), await on(ada, ids.frame!, 20, -10 + 100));
    await ada.waitForTimeout(300);
    expect(await box(nodeById(ada, ids.ellipse!))).toEqual(outside);
    await poll(() => where(ben, ids.ellipse!)).toBe(JSON.stringify(outside));
  });

  it("renames the frame by double-clicking its name; search finds it", async () => {
    await ada.getByTestId("frame-name").dblclick();
    const field = ada.getByRole("textbox", { name: "Frame name" });
    await field.fill("Q3 launch");
    await field.press("Enter");
    await poll(() => ben.getByTestId("frame-name").textContent()).toBe("Q3 launch");
    await ada.keyboard.press("Control+f");
    await ada.keyboard.type("Q3");
    await poll(() => ada.getByRole("listbox").getByText("Q3 launch").count()).toBeGreaterThan(0);
    await ada.keyboard.press("Escape");
  });

  it("exports the frame with what it holds as PNG, from its menu", async () => {
    const frame = (await nodeById(ada, ids.frame!).boundingBox())!;
    await ada.mouse.click(frame.x + frame.width - 20, frame.y + 20, { button: "right" });
    const [file] = await Promise.all([ada.waitForEvent("download"), ada.getByRole("menu").getByRole("menuitem", { name: "Export frame as PNG" }).click()]);
    const png = await readFile((await file.path())!);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    // Its size: the frame's (and margins), at least what the note and rectangle inside need.
    const flow = await box(nodeById(ada, ids.frame!));
    const width = png.readUInt32BE(16);
    expect(width).toBeGreaterThanOrEqual(flow.width);
    expect(width).toBeLessThan(flow.width * 2.5 + 200);
  });

  it("an arrow drawn from the rectangle to the ellipse binds to both and follows the ellipse as Ben drags it", async () => {
    await ada.keyboard.press("Escape");
    await ada.keyboard.press("a");
    ids.arrow = await created(ada, "arrow", async () => drag(ada, await on(ada, ids.rect!), await on(ada, ids.ellipse!)));
    await poll(async () => (await idsOf(ben, "arrow")).includes(ids.arrow!)).toBe(true);
    const ends = await arrowEnds(ada, ids.arrow);
    const rect = await box(nodeById(ada, ids.rect!));
    const ellipse = await box(nodeById(ada, ids.ellipse!));
    // It starts on the rectangle's outline (just outside it), not where the pointer went down.
    expect(ends.from.x).toBeGreaterThan(rect.x + rect.width - 1);
    expect(ends.from.x).toBeLessThan(rect.x + rect.width + 14);
    expect(ends.to.x).toBeLessThan(ellipse.x + 4);

    // Ben drags the ellipse down: the arrow's end goes with it, on both screens.
    await drag(ben, await on(ben, ids.ellipse!), { ...(await on(ben, ids.ellipse!)), y: (await on(ben, ids.ellipse!)).y + 220 });
    await poll(async () => (await arrowEnds(ada, ids.arrow!)).to.y).toBeGreaterThan(ends.to.y + 100);
    // Both screens settle on one drawing (read together: Ada's may still be taking Ben's last moves).
    await poll(async () => JSON.stringify(await arrowEnds(ben, ids.arrow!)) === JSON.stringify(await arrowEnds(ada, ids.arrow!))).toBe(true);
    await ada.screenshot({ path: join(screenshots, "board-frames-arrow.png") });
    // It is not dragged away from what it is bound to.
    const held = await where(ada, ids.arrow!);
    await drag(ada, await on(ada, ids.arrow!), { x: (await on(ada, ids.arrow!)).x + 80, y: (await on(ada, ids.arrow!)).y - 160 });
    expect(await where(ada, ids.arrow!)).toBe(held);
  });

  it("Ada drags the arrow's end from the ellipse onto the note: it binds there, on Ben's screen too; undo binds it back", async () => {
    const before = await arrowEnds(ada, ids.arrow!);
    await ada.keyboard.press("Escape");
    await ada.mouse.click((await on(ada, ids.arrow!)).x, (await on(ada, ids.arrow!)).y);
    await poll(() => isSelected(ada, ids.arrow!)).toBe(1);
    const handle = nodeById(ada, ids.arrow!).getByTestId("arrow-end-to");
    await expect(handle.getAttribute("class")).resolves.toContain("is-bound");
    const grip = (await handle.boundingBox())!;
    await ada.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await ada.mouse.down();
    const onNote = await on(ada, ids.note!);
    await ada.mouse.move(onNote.x, onNote.y, { steps: 12 });
    // While the end is over the note, the note is outlined as what it would bind to.
    await poll(() => ada.locator(".react-flow__node.is-bind-target").getAttribute("data-id")).toBe(ids.note);
    await ada.mouse.up();
    await poll(() => ada.locator(".is-bind-target").count()).toBe(0);
    // Dropped on the note's centre, the end is drawn on its outline: bound, on both screens.
    const note = await box(nodeById(ada, ids.note!));
    const onOutline = async (page: Page) => {
      const { to } = await arrowEnds(page, ids.arrow!);
      const gap = Math.max(note.x - to.x, to.x - (note.x + note.width), note.y - to.y, to.y - (note.y + note.height));
      return gap > -2 && gap < 16;
    };
    await poll(() => onOutline(ada)).toBe(true);
    await poll(() => onOutline(ben)).toBe(true);
    await ada.screenshot({ path: join(screenshots, "board-frames-arrow-rebound.png") });
    // Undo: bound to the ellipse again, where it was.
    await ada.keyboard.press("Control+z");
    for (const page of [ada, ben]) {
      await poll(async () => {
        const { to } = await arrowEnds(page, ids.arrow!);
        return Math.abs(to.x - before.to.x) + Math.abs(to.y - before.to.y) < 3;
      }).toBe(true);
    }
  });

  it("after Ben's reload the arrow is still bound; deleting the ellipse leaves the arrow where it was", async () => {
    await ben.reload();
    await ben.getByTestId("connection-status").getByText("Online").waitFor({ timeout: 30_000 });
    await poll(() => where(ben, ids.arrow!)).toBe(await where(ada, ids.arrow!));
    const before = await arrowEnds(ada, ids.arrow!);
    await nodeById(ada, ids.ellipse!).click();
    await poll(() => isSelected(ada, ids.ellipse!)).toBe(1);
    await ada.keyboard.press("Delete");
    await poll(() => nodeById(ben, ids.ellipse!).count()).toBe(0);
    const after = await arrowEnds(ada, ids.arrow!);
    expect(Math.abs(after.to.x - before.to.x)).toBeLessThan(3);
    expect(Math.abs(after.to.y - before.to.y)).toBeLessThan(3);
    // Undo brings the ellipse back; the arrow's end stays free where it was.
    await ada.keyboard.press("Control+z");
    await poll(() => nodeById(ben, ids.ellipse!).count()).toBe(1);
  });

  it("looks right on a phone: the frame, its name and what it holds", async () => {
    const phone = await run.openBoard(await ben.context().cookies().then((c) => c.find((x) => x.name === "kiln_session")!.value), path, { width: 390, height: 844 });
    // Found by its name, the board goes to it.
    await phone.keyboard.press("Control+f");
    await phone.keyboard.type("Q3");
    await phone.keyboard.press("Enter");
    await poll(() => phone.getByTestId("frame-name").textContent()).toBe("Q3 launch");
    await phone.keyboard.press("Escape");
    // Out a little, to see the whole frame on the small screen.
    for (let i = 0; i < 2; i++) await phone.getByRole("button", { name: "Zoom Out" }).click();
    await phone.waitForTimeout(500);
    await poll(() => phone.getByTestId("frame-name").count()).toBe(1);
    await phone.screenshot({ path: join(screenshots, "board-frames-phone.png") });
    await ada.keyboard.press("Shift+Digit1");
    await ada.waitForTimeout(500);
    await ada.screenshot({ path: join(screenshots, "board-frames.png") });
    // Zoomed far out the board is one canvas: the frame is drawn there, with its name, and the DOM holds none.
    for (let i = 0; i < 8; i++) await ada.getByRole("button", { name: "Zoom Out" }).click();
    await poll(() => ada.locator(".react-flow__node-frame:visible").count()).toBe(0);
    await ada.waitForTimeout(400);
    await ada.screenshot({ path: join(screenshots, "board-frames-far.png") });
  });

  it("what sticks out of the frame is not drawn, on Ben's screen too; selected, it is drawn whole", async () => {
    for (const page of [ada, ben]) {
      await page.keyboard.press("Escape");
      await page.keyboard.press("Shift+Digit1");
      await poll(() => page.locator(".react-flow__node-frame:visible").count()).toBe(1);
      // Until the fit's animation ends, what is measured on screen moves.
      await page.waitForTimeout(500);
    }
    // Ada drags the note made in the frame right, until it sticks out of the frame's right side (its centre still in).
    const frame = (await nodeById(ada, ids.frame!).boundingBox())!;
    const note = (await nodeById(ada, ids.later!).boundingBox())!;
    // By its header (a note's body is for its text).
    const from = { x: note.x + note.width / 2, y: note.y + 12 };
    await drag(ada, from, { x: frame.x + frame.width - note.width / 2 + 40, y: from.y });
    await ada.keyboard.press("Escape");
    await poll(() => isSelected(ada, ids.later!)).toBe(0);
    const clipOf = (page: Page) => nodeById(page, ids.later!).evaluate((el) => (el as unknown as { style: { clipPath: string } }).style.clipPath);
    for (const page of [ada, ben]) await poll(() => clipOf(page)).toMatch(/^inset\(0px [1-9]\d*px 0px 0px\)$/);
    // Still in the frame: it moves with it.
    await poll(() => where(ben, ids.later!)).toBe(await where(ada, ids.later!));
    await ada.screenshot({ path: join(screenshots, "board-frames-clipped.png") });
    // Clicked (on its part inside the frame), it is drawn whole for Ada, still clipped for Ben.
    const now = (await nodeById(ada, ids.later!).boundingBox())!;
    await ada.mouse.click(now.x + 30, now.y + now.height / 2);
    await poll(() => isSelected(ada, ids.later!)).toBe(1);
    await poll(() => clipOf(ada)).toBe("");
    expect(await clipOf(ben)).toMatch(/^inset\(/);
  });
});
