/**
 * The drawing tools (issue #18) end to end: `npm start`, Ada and Ben in two Chromium contexts at
 * 1440×900. Ada arms tools by key (shown pressed, a crosshair over the board), drags a rectangle
 * (previewed while she drags) and a Shift-square ellipse, draws with the pen and styles the
 * stroke, copies it; binds an arrow between two notes and moves one, and the arrow follows; a
 * drag ending on empty canvas makes a free arrow. Ben draws a stroke with his finger (touch
 * events) and one with a pen, lightly then hard (its pressure kept). Every result is checked on Ben's screen and again after his reload.
 * Screenshots: docs/screenshots/board-draw-*.png.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshots, twoMembersOnOneProject, useStackAndBrowser } from "./e2e-board-setup";
import { at, box, created, drag, edgeIds, idsOf, isSelected, nodeById, poll, viewport } from "./board-locators";

const run = useStackAndBrowser("board-draw");

const pressed = (page: Page, name: string) => page.getByRole("toolbar", { name: "Board tools" }).getByRole("button", { name }).getAttribute("aria-pressed");
/** A drawing's outline as drawn. */
const strokeOf = (page: Page, id: string) => nodeById(page, id).locator(".shape-draw path").getAttribute("d");
/** A computed style of what a locator finds (the scripts' tsconfig has no DOM types). */
const computed = (locator: Locator, property: "cursor" | "fill") =>
  locator.evaluate((el, p) => (globalThis as unknown as { getComputedStyle: (e: unknown) => Record<string, string> }).getComputedStyle(el)[p]!, property);
/** The last point of an SVG path (where an edge ends). */
const endOf = (d: string) => {
  const numbers = [...d.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  return { x: numbers.at(-2)!, y: numbers.at(-1)! };
};

/** The board's zoom. */
const zoomOf = async (page: Page) => Number(/scale\(([\d.]+)\)/.exec(await viewport(page))![1]);


let ada: Page;
let ben: Page;
let benSession: string;
let path: string;
const ids: Record<string, string> = {};
const seen: Record<string, unknown> = {};

describe("drawing on the board", () => {
  it("opens one project for Ada and Ben", async () => {
    const people = await twoMembersOnOneProject(run.stack().url, { org: "Draw team", project: "Sketches" });
    path = people.path;
    benSession = people.ben;
    ada = await run.openBoard(people.ada, path);
    ben = await run.openBoard(people.ben, path);
    await poll(() => ada.getByTestId("peer-avatar").count()).toBe(1);
  });

  it("arms a tool by its key, shown pressed with a crosshair; V and Escape go back to select", async () => {
    expect(await pressed(ada, "Select (V)")).toBe("true");
    expect(await ada.getByTestId("draw-layer").count()).toBe(0);
    await ada.keyboard.press("r");
    expect(await pressed(ada, "Rectangle (R)")).toBe("true");
    expect(await pressed(ada, "Select (V)")).toBe("false");
    expect(await computed(ada.getByTestId("draw-layer"), "cursor")).toBe("crosshair");
    await ada.keyboard.press("v");
    expect(await pressed(ada, "Select (V)")).toBe("true");
    expect(await ada.getByTestId("draw-layer").count()).toBe(0);
    await ada.keyboard.press("p");
    expect(await pressed(ada, "Pen (P)")).toBe("true");
    await ada.keyboard.press("Escape");
    expect(await pressed(ada, "Select (V)")).toBe("true");
    // Ben's tools are his own.
    expect(await pressed(ben, "Select (V)")).toBe("true");
  });

  it("drags a rectangle, previewed while dragging, and a Shift-square ellipse; each selected, the tool back to select", async () => {
    const k = await zoomOf(ada);
    await ada.keyboard.press("r");
    const from = await at(ada, 80, 60);
    const to = await at(ada, 320, 200);
    ids.rect = await created(ada, "rectangle", async () => {
      await ada.mouse.move(from.x, from.y);
      await ada.mouse.down();
      await ada.mouse.move(to.x, to.y, { steps: 10 });
      // Mid-drag: the outline of what the drag makes, nothing made yet.
      const preview = (await ada.locator(".draw-preview-box").boundingBox())!;
      expect(Math.abs(preview.width - 240)).toBeLessThan(3);
      expect(Math.abs(preview.height - 140)).toBeLessThan(3);
      expect(await idsOf(ada, "rectangle")).toEqual([]);
      await ada.screenshot({ path: join(screenshots, "board-draw-preview.png") });
      await ada.mouse.up();
    });
    const rect = await box(nodeById(ada, ids.rect));
    expect(Math.abs(rect.width - 240 / k)).toBeLessThan(2);
    expect(Math.abs(rect.height - 140 / k)).toBeLessThan(2);
    await poll(() => isSelected(ada, ids.rect!)).toBe(1);
    expect(await pressed(ada, "Select (V)")).toBe("true");
    expect(await ada.locator(".draw-preview").count()).toBe(0);

    await ada.keyboard.press("o");
    ids.ellipse = await created(ada, "ellipse", async () => {
      await ada.keyboard.down("Shift");
      await drag(ada, await at(ada, 400, 60), await at(ada, 560, 120));
      await ada.keyboard.up("Shift");
    });
    const ellipse = await box(nodeById(ada, ids.ellipse));
    // Shift: a circle on the longer side of the drag.
    expect(ellipse.width).toBe(ellipse.height);
    expect(Math.abs(ellipse.width - 160 / k)).toBeLessThan(2);
    for (const id of [ids.rect, ids.ellipse]) await poll(async () => JSON.stringify(await box(nodeById(ben, id!)).catch(() => null))).toBe(JSON.stringify(await box(nodeById(ada, id!))));
    seen.rect = rect;
    seen.ellipse = ellipse;
  });

  it("draws with the pen, and the stroke's colour and width come from the style bar", async () => {
    await ada.keyboard.press("p");
    const start = await at(ada, 100, 270);
    ids.pen = await created(ada, "draw", async () => {
      await ada.mouse.move(start.x, start.y);
      await ada.mouse.down();
      // A wave, as a hand draws it.
      for (let i = 1; i <= 60; i++) await ada.mouse.move(start.x + i * 5, start.y + Math.sin(i / 6) * 40);
      await ada.mouse.up();
    });
    await poll(() => isSelected(ada, ids.pen!)).toBe(1);
    expect(await pressed(ada, "Select (V)")).toBe("true");
    const drawn = (await strokeOf(ada, ids.pen))!;
    seen.thinPen = drawn;
    expect(drawn).toMatch(/^M[\d.]+,[\d.]+ Q/);
    // Ben draws the very same outline from the points in the doc.
    await poll(() => strokeOf(ben, ids.pen!)).toBe(drawn);
    const size = await box(nodeById(ada, ids.pen));
    expect(size.width).toBeGreaterThan(290 / (await zoomOf(ada)));

    await ada.getByRole("region", { name: "Style" }).getByRole("button", { name: "Stroke red" }).click();
    await ada.getByRole("region", { name: "Style" }).getByRole("button", { name: "Stroke width 8" }).click();
    const fill = (page: Page) => computed(nodeById(page, ids.pen!).locator(".shape-draw"), "fill");
    await poll(() => fill(ben)).toBe("rgb(220, 38, 38)");
    await poll(() => strokeOf(ben, ids.pen!)).not.toBe(drawn);
    // Wider: its outline spans more of the board than the thin one did.
    const thick = await nodeById(ben, ids.pen).locator(".shape-draw path").evaluate((el) => (el as unknown as { getBBox: () => { height: number } }).getBBox().height);
    expect(thick).toBeGreaterThan(size.height - 12);
  });

  it("copies and pastes a drawing as itself", async () => {
    await ada.keyboard.press("Control+c");
    const pointer = await at(ada, 760, 480);
    await ada.mouse.move(pointer.x, pointer.y);
    ids.penCopy = await created(ada, "draw", () => ada.keyboard.press("Control+v"));
    // The same points at the same size: the outline the stroke had before it was styled (a copy takes no style).
    await poll(() => strokeOf(ben, ids.penCopy!)).toBe(seen.thinPen);
    await poll(() => idsOf(ben, "draw")).toEqual([ids.pen, ids.penCopy].sort());
    await poll(() => ada.getByRole("button", { name: "Undo (Ctrl+Z)" }).isEnabled()).toBe(true);
    // Undo takes the copy away, for Ben too.
    await ada.keyboard.press("Control+z");
    await poll(() => idsOf(ben, "draw")).toEqual([ids.pen]);
  });

  it("resizes a drawing: its stroke scales with its box, for Ben too", async () => {
    const pen = nodeById(ada, ids.pen!);
    const before = await box(pen);
    const spanOf = (page: Page) => nodeById(page, ids.pen!).locator(".shape-draw path").evaluate((el) => (el as unknown as { getBBox: () => { width: number } }).getBBox().width);
    const spanBefore = await spanOf(ben);
    await pen.click({ position: { x: 8, y: 8 } });
    const corner = pen.locator(".react-flow__resize-control.handle.bottom.right");
    await corner.waitFor();
    const start = (await corner.boundingBox())!;
    await drag(ada, { x: start.x + start.width / 2, y: start.y + start.height / 2 }, { x: start.x + start.width / 2 + 120, y: start.y + start.height / 2 + 40 });
    await poll(async () => (await box(nodeById(ben, ids.pen!))).width).toBe((await box(pen)).width);
    const after = await box(pen);
    expect(after.width - before.width).toBeGreaterThan(100 / (await zoomOf(ada)));
    // The stroke spans its wider box: scaled, not cut or left as it was.
    const ratio = (await spanOf(ben)) / spanBefore;
    expect(ratio).toBeGreaterThan((after.width / before.width) * 0.9);
    expect(ratio).toBeLessThan((after.width / before.width) * 1.1);
    seen.pen = await strokeOf(ben, ids.pen!);
    await ada.keyboard.press("Escape");
  });

  it("exports a drawing as SVG like any shape: its outline, in its colour", async () => {
    await nodeById(ada, ids.pen!).click({ position: { x: 8, y: 8 } });
    await poll(() => isSelected(ada, ids.pen!)).toBe(1);
    await ada.getByRole("button", { name: "Export as an image" }).click();
    const [file] = await Promise.all([ada.waitForEvent("download"), ada.getByRole("menu", { name: "Export" }).getByRole("menuitem", { name: "Selection as SVG" }).click()]);
    const svg = (await readFile((await file.path())!)).toString("utf8");
    expect(file.suggestedFilename()).toMatch(/^board-selection-.*\.svg$/);
    expect(svg).toContain(`d="${await strokeOf(ada, ids.pen!)}"`);
    expect(svg).toContain("rgb(220, 38, 38)");
    await ada.keyboard.press("Escape");
  });

  it("binds an arrow between two notes, which follows a note that moves", async () => {
    for (const [name, x, y] of [["a", 200, 460], ["b", 700, 300]] as const) {
      const pointer = await at(ada, x, y);
      await ada.mouse.move(pointer.x, pointer.y);
      ids[name] = await created(ada, "note", () => ada.keyboard.press("n"));
      await ada.keyboard.press("Escape");
      await ada.keyboard.press("Escape");
    }
    await ada.keyboard.press("a");
    const centre = async (id: string) => {
      const b = (await nodeById(ada, id).boundingBox())!;
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 + 20 };
    };
    await drag(ada, await centre(ids.a!), await centre(ids.b!));
    await poll(() => edgeIds(ben)).toHaveLength(1);
    ids.edge = (await edgeIds(ben))[0]!;
    expect(await edgeIds(ada)).toEqual([ids.edge]);
    // Bound to both notes, with its arrowhead; no free arrow made.
    const edge = ben.locator(`.react-flow__edge[data-id="${ids.edge}"]`);
    expect(await edge.locator("path.react-flow__edge-path").getAttribute("marker-end")).toMatch(/url\(/);
    expect(await idsOf(ada, "arrow")).toEqual([]);
    expect(await pressed(ada, "Select (V)")).toBe("true");

    // Ada moves note b down: the arrow's end follows it, on Ben's screen.
    const before = endOf((await edge.locator("path.react-flow__edge-path").getAttribute("d"))!);
    const placed = await box(nodeById(ada, ids.b!));
    const header = (await nodeById(ada, ids.b!).locator("header").boundingBox())!;
    await drag(ada, { x: header.x + 30, y: header.y + 8 }, { x: header.x + 30, y: header.y + 8 + 160 });
    await poll(async () => (await box(nodeById(ben, ids.b!))).y).toBe((await box(nodeById(ada, ids.b!))).y);
    const moved = (await box(nodeById(ada, ids.b!))).y - placed.y;
    expect(moved).toBeGreaterThan(100);
    await poll(async () => Math.round(endOf((await edge.locator("path.react-flow__edge-path").getAttribute("d"))!).y - before.y)).toBe(Math.round(moved));
    await ada.keyboard.press("Escape");
  });

  it("makes a free arrow when the drag ends on empty canvas, pointing where it was drawn", async () => {
    const pane = (await ada.locator(".board-canvas").boundingBox())!;
    await ada.keyboard.press("a");
    ids.arrow = await created(ada, "arrow", () => drag(ada, { x: pane.x + 360, y: pane.y + 580 }, { x: pane.x + 560, y: pane.y + 470 }));
    const line = (page: Page) => nodeById(page, ids.arrow!).locator("svg.shape-arrow line").evaluate((el) => ["x1", "y1", "x2", "y2"].map((a) => Math.round(Number(el.getAttribute(a)))));
    const [x1, y1, x2, y2] = await line(ada);
    // Drawn left to right and upwards, as dragged.
    expect(x2! - x1!).toBeGreaterThan(150);
    expect(y1! - y2!).toBeGreaterThan(70);
    await poll(() => line(ben)).toEqual([x1, y1, x2, y2]);
    expect(await edgeIds(ada)).toEqual([ids.edge]);
  });

  it("draws with a finger: Ben's touch stroke reaches Ada", async () => {
    await ben.keyboard.press("p");
    const cdp = await ben.context().newCDPSession(ben);
    const start = await at(ben, 0, 0);
    const pane = (await ben.locator(".board-canvas").boundingBox())!;
    const point = (i: number) => ({ x: Math.round(pane.x + pane.width - 420 + i * 8), y: Math.round(start.y + 160 + Math.cos(i / 4) * 30) });
    ids.touch = await created(ben, "draw", async () => {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [point(0)] });
      for (let i = 1; i <= 25; i++) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [point(i)] });
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    });
    seen.touch = await strokeOf(ben, ids.touch);
    await poll(() => strokeOf(ada, ids.touch!)).toBe(seen.touch);
    expect((await box(nodeById(ben, ids.touch))).width).toBeGreaterThan(150);
    await ada.mouse.click((await at(ada, 40, 40)).x, (await at(ada, 40, 40)).y);
    await ada.screenshot({ path: join(screenshots, "board-draw-ada.png") });
  });

  it("draws with a pen's pressure: Ben's stroke, light then hard, is thicker where he pressed, on Ada's screen too", async () => {
    await ben.keyboard.press("p");
    const cdp = await ben.context().newCDPSession(ben);
    const start = await at(ben, 0, 0);
    const pane = (await ben.locator(".board-canvas").boundingBox())!;
    const point = (i: number) => ({ x: Math.round(pane.x + pane.width - 420 + i * 10), y: Math.round(start.y + 330) });
    const pen = (type: "mousePressed" | "mouseMoved" | "mouseReleased", i: number) =>
      cdp.send("Input.dispatchMouseEvent", { type, ...point(i), button: "left", buttons: type === "mouseReleased" ? 0 : 1, clickCount: 1, pointerType: "pen", force: i < 15 ? 0.1 : 1 });
    ids.pressed = await created(ben, "draw", async () => {
      await pen("mousePressed", 0);
      for (let i = 1; i <= 30; i++) await pen("mouseMoved", i);
      await pen("mouseReleased", 30);
    });
    const stroke = await strokeOf(ben, ids.pressed);
    await poll(() => strokeOf(ada, ids.pressed!)).toBe(stroke);
    seen.pressed = stroke;
    // The outline's height over its light first third and its hard last third.
    const points = [...stroke!.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    const xs = points.map((p) => p.x);
    const [left, right] = [Math.min(...xs), Math.max(...xs)];
    const thickness = (from: number, to: number) => {
      const ys = points.filter((p) => p.x >= left + (right - left) * from && p.x <= left + (right - left) * to).map((p) => p.y);
      return Math.max(...ys) - Math.min(...ys);
    };
    expect(thickness(0.65, 0.9)).toBeGreaterThan(thickness(0.1, 0.35) * 1.5);
  });

  it("still zooms the board with the wheel while a tool is armed", async () => {
    await ada.keyboard.press("p");
    const before = await viewport(ada);
    const middle = await at(ada, 500, 300);
    await ada.mouse.move(middle.x, middle.y);
    await ada.mouse.wheel(0, -300);
    await poll(() => viewport(ada)).not.toBe(before);
    expect(await zoomOf(ada)).toBeGreaterThan(1);
    // Still armed: the wheel drew nothing and put nothing down.
    expect(await pressed(ada, "Pen (P)")).toBe("true");
    await ada.keyboard.press("Escape");
  });

  it("keeps it all for Ben after a reload", async () => {
    await ben.context().close();
    ben = await run.openBoard(benSession, path);
    await poll(() => idsOf(ben, "draw")).toEqual([ids.pen, ids.touch, ids.pressed].sort());
    expect(await box(nodeById(ben, ids.rect!))).toEqual(seen.rect);
    expect(await box(nodeById(ben, ids.ellipse!))).toEqual(seen.ellipse);
    expect(await box(nodeById(ben, ids.b!))).toEqual(await box(nodeById(ada, ids.b!)));
    await poll(() => edgeIds(ben)).toEqual([ids.edge]);
    // A reload may fit the board differently: the outlines are the same at the same size.
    expect(await strokeOf(ben, ids.pen!)).toBe(seen.pen);
    expect(await strokeOf(ben, ids.touch!)).toBe(seen.touch);
    expect(await strokeOf(ben, ids.pressed!)).toBe(seen.pressed);
    expect(await computed(nodeById(ben, ids.pen!).locator(".shape-draw"), "fill")).toBe("rgb(220, 38, 38)");
    expect(await idsOf(ben, "arrow")).toEqual([ids.arrow]);
    await ben.screenshot({ path: join(screenshots, "board-draw-ben-reload.png") });
  });
});
