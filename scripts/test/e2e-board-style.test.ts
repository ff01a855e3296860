/**
 * Drawing like the peers (issue #18), end to end: `npm start`, Ada and Ben in two Chromium
 * contexts at 1440×900. The style panel (stroke and fill colour, stroke width and style, font
 * size, a note's colour) on notes, shapes and edges; edges with arrowheads, a label written by
 * double-click, and a kind; groups renamed by double-click on their name (and "Group" never
 * offered on a group alone); the board's search (Ctrl+F) jumping to what it finds; export of
 * the view or the selection to PNG and SVG; a chat about a note leading to it. Every change is
 * checked on Ben's screen, and after his reload.
 * Screenshots go to docs/screenshots/board-*.png.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshots, twoMembersOnOneProject, useStackAndBrowser } from "./e2e-board-setup";
import { at, created, drag, edgeIds, idsOf, nodeById, poll } from "./board-locators";

const run = useStackAndBrowser("board-style");

const openAs = (session: string, path: string): Promise<Page> => run.openBoard(session, path);

const edgePath = (page: Page, id: string) => page.locator(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`);
const edgeLabel = (page: Page, id: string) => page.locator(`[data-testid="edge-label"][data-edge="${id}"]`);
/** Computed CSS properties of what `locator` finds. */
const css = (locator: Locator, ...properties: string[]) =>
  locator.evaluate((el, props) => {
    const view = (el as unknown as { ownerDocument: { defaultView: { getComputedStyle(e: unknown): Record<string, string> } } }).ownerDocument.defaultView;
    const style = view.getComputedStyle(el);
    return Object.fromEntries(props.map((p) => [p, style[p]]));
  }, properties);
const stylePanel = (page: Page) => page.getByRole("region", { name: "Style" });
/** The style bar's controls: there only while something is selected. */
const styleLabels = (page: Page) => stylePanel(page).locator(".style-label");

const center = async (locator: Locator) => {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};
/** Selects a note by its header (a click on its body would edit it), a shape by its middle. */
async function select(page: Page, id: string) {
  const header = nodeById(page, id).locator("header");
  if ((await header.count()) > 0) await header.click({ position: { x: 30, y: 8 } });
  else await nodeById(page, id).click();
}
async function deselect(page: Page) {
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await poll(() => styleLabels(page).count()).toBe(0);
}

/** Reloads the page and waits for it to be online again; says what it shows if it never is. */
async function reload(page: Page) {
  await page.reload();
  try {
    await page.getByTestId("connection-status").getByText("Online").waitFor({ timeout: 30_000 });
  } catch (error) {
    await page.screenshot({ path: join(screenshots, "board-style-reload-failed.png") });
    throw new Error(`not online after a reload; the page says: ${(await page.locator("body").innerText()).slice(0, 400)}`, { cause: error });
  }
}

let ada: Page;
let ben: Page;
let benSession: string;
let path: string;
const ids: Record<string, string> = {};

describe("the style panel and edges", () => {
  it("opens the project for two people, with two notes and a rectangle", async () => {
    const people = await twoMembersOnOneProject(run.stack().url, { org: "Style team", project: "Diagram" });
    path = people.path;
    benSession = people.ben;
    ada = await openAs(people.ada, path);
    ben = await openAs(people.ben, path);
    for (const [name, type, key, x, y] of [["a", "note", "n", 260, 260], ["b", "note", "n", 760, 260], ["rect", "rectangle", "r", 520, 580]] as const) {
      const pointer = await at(ada, x, y);
      await ada.mouse.move(pointer.x, pointer.y);
      // N makes a note at the pointer; R arms the rectangle, and a click there makes it.
      ids[name] = await created(ada, type, async () => {
        await ada.keyboard.press(key);
        if (key === "r") await ada.mouse.click(pointer.x, pointer.y);
      });
      await ada.keyboard.press("Escape");
      await poll(async () => (await idsOf(ben, type)).includes(ids[name]!)).toBe(true);
    }
    await nodeById(ada, ids.a!).getByLabel("Note text").fill("# Plan\nStyle me");
    await deselect(ada);
  });

  it("offers its controls only while something is selected, and what the selection draws", async () => {
    expect(await styleLabels(ada).count()).toBe(0);
    expect(await stylePanel(ada).textContent()).toBe("Select something to change its colours, lines and text size.");
    await select(ada, ids.a!);
    // A note: no arrowheads.
    await poll(() => styleLabels(ada).allTextContents()).toEqual(["Stroke", "Fill", "Width", "Line", "Text"]);
    // Ben selected nothing: no controls on his screen.
    expect(await styleLabels(ben).count()).toBe(0);
  });

  it("colours a note, its border's colour, width and dashes and its text size, seen by Ben and kept after his reload", async () => {
    const note = (page: Page) => nodeById(page, ids.a!).locator(".board-note");
    const before = await css(note(ben), "backgroundColor");
    expect(before.backgroundColor).toBe("rgb(254, 249, 195)");
    await stylePanel(ada).getByRole("button", { name: "Fill blue" }).click();
    await poll(async () => (await css(note(ben), "backgroundColor")).backgroundColor).toBe("rgb(219, 234, 254)");
    await stylePanel(ada).getByRole("button", { name: "Stroke red" }).click();
    await stylePanel(ada).getByRole("button", { name: "Stroke width 4" }).click();
    await stylePanel(ada).getByRole("button", { name: "Stroke dashed" }).click();
    await stylePanel(ada).getByRole("button", { name: "Font size L" }).click();
    const drawn = { borderTopColor: "rgb(220, 38, 38)", borderTopWidth: "4px", borderTopStyle: "dashed" };
    await poll(() => css(note(ben), ...Object.keys(drawn))).toEqual(drawn);
    await poll(async () => (await css(nodeById(ben, ids.a!).locator("h1"), "fontSize")).fontSize).not.toBe("");
    await poll(async () => (await css(nodeById(ben, ids.a!).getByTestId("note-markdown"), "fontSize")).fontSize).toBe("24px");
    // What is chosen shows as pressed.
    expect(await stylePanel(ada).getByRole("button", { name: "Fill blue" }).getAttribute("aria-pressed")).toBe("true");
    expect(await stylePanel(ada).getByRole("button", { name: "Fill yellow" }).getAttribute("aria-pressed")).toBe("false");
    await ada.screenshot({ path: join(screenshots, "board-style-panel.png") });

    // Undo takes back the last change only (the text size), for Ben too.
    await ada.keyboard.press("Control+z");
    await poll(async () => (await css(nodeById(ben, ids.a!).getByTestId("note-markdown"), "fontSize")).fontSize).toBe("14.08px");
    expect(await css(note(ben), ...Object.keys(drawn))).toEqual(drawn);

    await reload(ben);
    await poll(async () => (await css(note(ben), "backgroundColor", ...Object.keys(drawn)))).toEqual({ backgroundColor: "rgb(219, 234, 254)", ...drawn });
  });

  it("draws a shape without fill and in another stroke, and Reset puts the kind's own look back", async () => {
    await deselect(ada);
    await select(ada, ids.rect!);
    await poll(() => styleLabels(ada).allTextContents()).toEqual(["Stroke", "Fill", "Width", "Line", "Text"]);
    // A rectangle has no arrowheads either; it has a fill.
    await stylePanel(ada).getByRole("button", { name: "Fill none" }).click();
    await stylePanel(ada).getByRole("button", { name: "Stroke blue" }).click();
    await stylePanel(ada).getByRole("button", { name: "Stroke dotted" }).click();
    const box = (page: Page) => nodeById(page, ids.rect!).locator(".shape-box");
    await poll(() => css(box(ben), "backgroundColor", "borderTopColor", "borderTopStyle")).toEqual({ backgroundColor: "rgba(0, 0, 0, 0)", borderTopColor: "rgb(37, 99, 235)", borderTopStyle: "dotted" });
    const fresh = await css(box(ben), "borderTopWidth");
    expect(fresh.borderTopWidth).toBe("2px");
    await stylePanel(ada).getByRole("button", { name: "Reset style" }).click();
    await poll(async () => (await css(box(ben), "borderTopStyle", "backgroundColor")).borderTopStyle).toBe("solid");
    expect((await css(box(ben), "backgroundColor")).backgroundColor).not.toBe("rgba(0, 0, 0, 0)");
    // Undo of the reset brings the style back.
    await ada.keyboard.press("Control+z");
    await poll(async () => (await css(box(ben), "borderTopStyle")).borderTopStyle).toBe("dotted");
  });

  it("styles two selected notes at once", async () => {
    await deselect(ada);
    await select(ada, ids.a!);
    await nodeById(ada, ids.b!).locator("header").click({ position: { x: 30, y: 8 }, modifiers: ["Shift"] });
    await stylePanel(ada).getByRole("button", { name: "Fill green" }).click();
    for (const id of [ids.a!, ids.b!]) await poll(async () => (await css(nodeById(ben, id).locator(".board-note"), "backgroundColor")).backgroundColor).toBe("rgb(220, 252, 231)");
  });

  it("connects the notes with an edge drawn with an arrowhead and its kind as label", async () => {
    await deselect(ada);
    await drag(ada, await center(nodeById(ada, ids.a!).locator(".react-flow__handle.source")), await center(nodeById(ada, ids.b!).locator(".react-flow__handle.target")));
    await poll(() => edgeIds(ben)).toHaveLength(1);
    ids.edge = (await edgeIds(ben))[0]!;
    for (const page of [ada, ben]) {
      expect(await edgePath(page, ids.edge!).getAttribute("marker-end")).toMatch(/^url\(/);
      expect(await edgePath(page, ids.edge!).getAttribute("marker-start")).toBeNull();
      await poll(() => edgeLabel(page, ids.edge!).textContent()).toBe("relates-to");
    }
  });

  it("styles an edge: colour, width, dashes, arrowheads at both ends or none; its kind from the panel", async () => {
    await edgeLabel(ada, ids.edge!).click();
    // An edge: stroke, width, line and arrows; no fill, no text size.
    await poll(() => styleLabels(ada).allTextContents()).toEqual(["Stroke", "Width", "Line", "Arrows"]);
    await stylePanel(ada).getByRole("button", { name: "Stroke green" }).click();
    await stylePanel(ada).getByRole("button", { name: "Stroke width 4" }).click();
    await stylePanel(ada).getByRole("button", { name: "Stroke dashed" }).click();
    await stylePanel(ada).getByRole("button", { name: "Arrowheads at both ends" }).click();
    await poll(() => css(edgePath(ben, ids.edge!), "stroke", "strokeWidth", "strokeDasharray")).toEqual({ stroke: "rgb(22, 163, 74)", strokeWidth: "4px", strokeDasharray: "8px, 6px" });
    await poll(() => edgePath(ben, ids.edge!).getAttribute("marker-start")).toMatch(/^url\(/);
    // The arrowheads take the edge's colour.
    const marker = await edgePath(ben, ids.edge!).getAttribute("marker-end");
    const head = ben.locator(`marker[id="${/url\('?#([^')]+)'?\)/.exec(marker!)![1]}"] polyline`);
    expect(await css(head, "stroke")).toEqual({ stroke: "rgb(22, 163, 74)" });

    await stylePanel(ada).getByLabel("Edge kind").selectOption("depends-on");
    await poll(() => edgeLabel(ben, ids.edge!).textContent()).toBe("depends-on");
    await stylePanel(ada).getByRole("button", { name: "No arrowheads" }).click();
    await poll(() => edgePath(ben, ids.edge!).getAttribute("marker-end")).toBeNull();
    await poll(() => edgePath(ben, ids.edge!).getAttribute("marker-start")).toBeNull();
    await stylePanel(ada).getByRole("button", { name: "Arrowhead at the end" }).click();
    await poll(() => edgePath(ben, ids.edge!).getAttribute("marker-end")).toMatch(/^url\(/);
  });

  it("labels an edge by double-click: Enter sends it, Escape cancels, an empty label shows the kind again", async () => {
    await edgeLabel(ada, ids.edge!).dblclick();
    const field = ada.getByLabel("Edge label");
    await field.waitFor();
    await ada.keyboard.type("blocks launch");
    await ada.keyboard.press("Enter");
    await poll(() => edgeLabel(ben, ids.edge!).textContent()).toBe("blocks launch");
    await ada.screenshot({ path: join(screenshots, "board-edge-label.png") });

    // Double-click on the line itself, away from the label, edits too; Escape keeps the label.
    const path = edgePath(ada, ids.edge!);
    const point = await path.evaluate((el) => {
      const p = el as unknown as { getTotalLength(): number; getPointAtLength(n: number): { x: number; y: number }; getScreenCTM(): { a: number; b: number; c: number; d: number; e: number; f: number } };
      const at = p.getPointAtLength(p.getTotalLength() * 0.25);
      const m = p.getScreenCTM();
      return { x: m.a * at.x + m.c * at.y + m.e, y: m.b * at.x + m.d * at.y + m.f };
    });
    await ada.mouse.dblclick(point.x, point.y);
    await field.waitFor();
    await ada.keyboard.type("nope");
    await ada.keyboard.press("Escape");
    await poll(() => field.count()).toBe(0);
    expect(await edgeLabel(ben, ids.edge!).textContent()).toBe("blocks launch");
    // No note was made by that double-click.
    expect(await idsOf(ada, "note")).toHaveLength(2);

    await edgeLabel(ada, ids.edge!).dblclick();
    await field.fill("");
    await ada.keyboard.press("Enter");
    await poll(() => edgeLabel(ben, ids.edge!).textContent()).toBe("depends-on");
    await ada.keyboard.press("Control+z");
    await poll(() => edgeLabel(ben, ids.edge!).textContent()).toBe("blocks launch");
  });

  it("brings an edge back with its label and style when its deletion is undone", async () => {
    await edgeLabel(ada, ids.edge!).click();
    await ada.keyboard.press("Delete");
    await poll(() => edgeIds(ben)).toHaveLength(0);
    await ada.keyboard.press("Control+z");
    await poll(() => edgeIds(ben)).toEqual([ids.edge]);
    await poll(() => edgeLabel(ben, ids.edge!).textContent()).toBe("blocks launch");
    await poll(async () => (await css(edgePath(ben, ids.edge!), "stroke")).stroke).toBe("rgb(22, 163, 74)");

    await reload(ben);
    await poll(() => edgeLabel(ben, ids.edge!).textContent()).toBe("blocks launch");
    await poll(async () => (await css(edgePath(ben, ids.edge!), "stroke", "strokeDasharray"))).toEqual({ stroke: "rgb(22, 163, 74)", strokeDasharray: "8px, 6px" });
    await ben.screenshot({ path: join(screenshots, "board-style-seen-by-ben.png") });
  });
});

/** The PNG's width and height, from its IHDR chunk (after the 8-byte signature). */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Runs an Export menu choice on `page` and returns the file it downloads, with its name. */
async function exported(page: Page, choice: string): Promise<{ name: string; bytes: Buffer }> {
  await page.getByRole("button", { name: "Export as an image" }).click();
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("menu", { name: "Export" }).getByRole("menuitem", { name: choice }).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

/** Pans the board by dragging empty canvas (the first spot of a grid where nothing is drawn), as a hand does. */
async function pan(page: Page, dx: number, dy: number) {
  const from = await page.evaluate<{ x: number; y: number } | null>(`(() => {
    const pane = document.querySelector(".board-canvas").getBoundingClientRect();
    for (let y = pane.top + 60; y < pane.bottom - 60; y += 40)
      for (let x = pane.left + 80; x < pane.right - 260; x += 40)
        if (document.elementFromPoint(x, y)?.classList.contains("react-flow__pane")) return { x, y };
    return null;
  })()`);
  expect(from, "an empty spot of the canvas to drag").not.toBeNull();
  await drag(page, from!, { x: from!.x + dx, y: from!.y + dy });
}

/** How far a node's middle is from the middle of the canvas, on screen. */
async function offCentre(page: Page, id: string): Promise<number> {
  const pane = (await page.locator(".board-canvas").boundingBox())!;
  const node = await center(nodeById(page, id));
  return Math.hypot(node.x - (pane.x + pane.width / 2), node.y - (pane.y + pane.height / 2));
}
const peerMark = (page: Page, id: string) => nodeById(page, id).locator(".peer-mark");

describe("groups, search, export and chats about a note", () => {
  it("groups two notes; a group alone is never offered Group, by the toolbar, the menu or Ctrl+G", async () => {
    await deselect(ada);
    await nodeById(ada, ids.b!).getByLabel("Note text").fill("Launch date: Friday");
    await deselect(ada);
    await select(ada, ids.a!);
    expect(await ada.getByRole("button", { name: "Group the selection (Ctrl+G)" }).isDisabled()).toBe(true);
    await nodeById(ada, ids.b!).locator("header").click({ position: { x: 30, y: 8 }, modifiers: ["Shift"] });
    await poll(() => ada.getByRole("button", { name: "Group the selection (Ctrl+G)" }).isDisabled()).toBe(false);
    ids.group = await created(ben, "group", () => ada.keyboard.press("Control+g"));
    await poll(() => nodeById(ben, ids.group!).getByTestId("group-name").textContent()).toBe("Group");

    await deselect(ada);
    await nodeById(ada, ids.group!).click({ position: { x: 6, y: 6 } });
    await poll(() => nodeById(ada, ids.group!).locator(".board-node.is-selected").count()).toBe(1);
    expect(await ada.getByRole("button", { name: "Group the selection (Ctrl+G)" }).isDisabled()).toBe(true);
    await nodeById(ada, ids.group!).click({ position: { x: 6, y: 6 }, button: "right" });
    const menu = ada.getByRole("menu");
    await menu.waitFor();
    expect(await menu.getByRole("menuitem").allTextContents()).not.toContainEqual(expect.stringMatching(/^Group/));
    await ada.keyboard.press("Escape");
    await ada.keyboard.press("Control+g");
    await ada.waitForTimeout(500);
    expect(await idsOf(ben, "group")).toEqual([ids.group]);
  });

  it("renames a group by double-clicking its name: Enter sends it, Escape cancels, undo puts the old name back", async () => {
    const name = (page: Page) => nodeById(page, ids.group!).getByTestId("group-name");
    await name(ada).dblclick();
    const field = nodeById(ada, ids.group!).getByLabel("Group name");
    await field.waitFor();
    expect(await field.inputValue()).toBe("Group");
    await ada.keyboard.type("Launch team");
    await ada.keyboard.press("Enter");
    await poll(() => name(ben).textContent()).toBe("Launch team");
    await ada.screenshot({ path: join(screenshots, "board-group-renamed.png") });

    await name(ada).dblclick();
    await field.waitFor();
    await ada.keyboard.type("Nope");
    await ada.keyboard.press("Escape");
    await poll(() => field.count()).toBe(0);
    expect(await name(ben).textContent()).toBe("Launch team");

    await ada.keyboard.press("Control+z");
    await poll(() => name(ben).textContent()).toBe("Group");
    await ada.keyboard.press("Control+Shift+z");
    await poll(() => name(ben).textContent()).toBe("Launch team");
    await reload(ben);
    await poll(() => name(ben).textContent()).toBe("Launch team");
  });

  it("searches the view's text with Ctrl+F, lists what matches, and Enter centres and selects the result (Ben sees Ada's selection)", async () => {
    await deselect(ada);
    await pan(ada, 500, 350);
    // Far from the middle, or out of sight (not drawn at all).
    expect((await nodeById(ada, ids.b!).count()) === 0 || (await offCentre(ada, ids.b!)) > 300).toBe(true);
    await ada.keyboard.press("Control+f");
    const box = ada.getByRole("dialog", { name: "Search the board" });
    await box.waitFor();
    await ada.keyboard.type("LAUNCH");
    const results = box.getByRole("option");
    await poll(() => results.allTextContents()).toEqual(["Note Launch date: Friday", "Group Launch team"]);
    expect(await box.getByRole("status").textContent()).toBe("2 results");
    await ada.screenshot({ path: join(screenshots, "board-search.png") });
    await ada.keyboard.press("Enter");
    await poll(() => offCentre(ada, ids.b!)).toBeLessThan(4);
    await poll(() => nodeById(ada, ids.b!).locator(".board-node.is-selected").count()).toBe(1);
    await poll(() => peerMark(ben, ids.b!).textContent()).toBe("Ada");

    // ↓ and Enter: the next result, the group.
    await ada.keyboard.press("ArrowDown");
    await ada.keyboard.press("Enter");
    await poll(() => offCentre(ada, ids.group!)).toBeLessThan(4);
    await poll(() => peerMark(ben, ids.group!).textContent()).toBe("Ada");
    await ada.keyboard.press("Escape");
    await poll(() => box.count()).toBe(0);

    // The toolbar's button opens it too; nothing found is said so.
    await ada.getByRole("button", { name: "Search the board (Ctrl+F)" }).click();
    await box.waitFor();
    await ada.keyboard.type("zebra");
    await poll(() => box.getByRole("status").textContent()).toBe("Nothing on this view matches.");
    expect(await results.count()).toBe(0);
    await ada.keyboard.press("Escape");
  });

  it("exports the view and the selection to PNG and SVG as files, Ben too", async () => {
    await deselect(ada);
    await ada.keyboard.press("Shift+1");
    await ada.waitForTimeout(400);
    const view = await exported(ada, "View as PNG");
    expect(view.name).toMatch(/^board-\d{4}-\d{2}-\d{2}\.png$/);
    const pane = (await ada.locator(".board-canvas .react-flow").boundingBox())!;
    expect(pngSize(view.bytes)).toEqual({ width: Math.round(pane.width), height: Math.round(pane.height) });

    const svg = await exported(ada, "View as SVG");
    expect(svg.name).toMatch(/^board-.*\.svg$/);
    const viewText = svg.bytes.toString("utf8");
    expect(viewText).toMatch(/^<svg /);
    for (const text of ["Launch date: Friday", "Launch team", "blocks launch"]) expect(viewText).toContain(text);
    // No chrome: the minimap and zoom buttons are left out.
    expect(viewText).not.toContain("react-flow__minimap");
    expect(viewText).not.toContain("react-flow__controls");

    // The selection alone: note a, not its neighbour b.
    await select(ada, ids.a!);
    await ada.getByRole("button", { name: "Export as an image" }).click();
    await ada.getByRole("menu", { name: "Export" }).waitFor();
    await ada.screenshot({ path: join(screenshots, "board-export-menu.png") });
    // Escape closes the menu and keeps the selection.
    await ada.keyboard.press("Escape");
    await poll(() => ada.getByRole("menu", { name: "Export" }).count()).toBe(0);
    expect(await nodeById(ada, ids.a!).locator(".board-node.is-selected").count()).toBe(1);
    const part = await exported(ada, "Selection as SVG");
    expect(part.name).toMatch(/^board-selection-.*\.svg$/);
    const partText = part.bytes.toString("utf8");
    expect(partText).toContain("Style me");
    expect(partText).toContain("rgb(220, 252, 231)");
    expect(partText).not.toContain("Launch date");
    const a = await nodeById(ada, ids.a!).locator(".board-node").evaluate((el) => ({ width: (el as unknown as { offsetWidth: number }).offsetWidth, height: (el as unknown as { offsetHeight: number }).offsetHeight }));
    expect(partText).toContain(`width="${a.width + 48}"`);
    expect(partText).toContain(`height="${a.height + 48}"`);

    // Ben exports the group (with what it holds) as PNG: its size plus the margin.
    await nodeById(ben, ids.group!).click({ position: { x: 6, y: 6 } });
    await poll(() => nodeById(ben, ids.group!).locator(".board-node.is-selected").count()).toBe(1);
    const group = await exported(ben, "Selection as PNG");
    const drawn = (await nodeById(ben, ids.group!).boundingBox())!;
    const zoom = Number(/scale\(([\d.]+)\)/.exec((await ben.locator(".react-flow__viewport").getAttribute("style"))!)![1]);
    const size = pngSize(group.bytes);
    expect(Math.abs(size.width - (drawn.width / zoom + 48))).toBeLessThanOrEqual(2);
    expect(Math.abs(size.height - (drawn.height / zoom + 48))).toBeLessThanOrEqual(2);
  });

  it("opens the chat about a note from the note, and the chat's Show on board leads back to it, for Ben too", async () => {
    await deselect(ada);
    await nodeById(ada, ids.a!).locator('button[title="Start a chat about this note"]').click();
    const thread = (page: Page) => page.getByRole("region", { name: "Chat About this note" });
    await thread(ada).waitFor();
    await thread(ada).getByLabel("Message").fill("Which colour?");
    await thread(ada).getByLabel("Message").press("Enter");
    await pan(ada, 500, 300);
    await thread(ada).getByRole("button", { name: "Show on board" }).click();
    await poll(() => offCentre(ada, ids.a!)).toBeLessThan(4);
    await poll(() => nodeById(ada, ids.a!).locator(".board-node.is-selected").count()).toBe(1);

    // Ben opens it from his list of chats, and is led to the note on his own screen.
    await ben.getByRole("complementary", { name: "Chats" }).getByRole("button", { name: /About this note/ }).click();
    await thread(ben).getByText("Which colour?").waitFor();
    await pan(ben, 450, 300);
    await thread(ben).getByRole("button", { name: "Show on board" }).click();
    await poll(() => offCentre(ben, ids.a!)).toBeLessThan(4);
    await poll(() => nodeById(ben, ids.a!).locator(".board-node.is-selected").count()).toBe(1);
    await poll(() => peerMark(ada, ids.a!).textContent()).toBe("Ben");
    await ben.screenshot({ path: join(screenshots, "board-chat-show-on-board.png") });
  });
});
