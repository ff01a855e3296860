/**
 * The whiteboard's tools end to end: `npm start`, two members of one organization (Ada and
 * Ben) in two Chromium contexts. Ada works with the mouse and the keyboard — shapes edited
 * in place, the context menus, an edge drawn between two notes, resize, lock, group and
 * ungroup, copy and paste, delete and undo, undo of typing, views — and every result is
 * checked on Ben's screen too (so it went through the gateway), some after a reload. Then
 * Ada loses her connection: the banner shows, she types into a note, and the text reaches
 * Ben once she is back. Screenshots of the new UI, light and dark, go to docs/screenshots.
 */
import { join } from "node:path";
import type { BrowserContext, Locator, Page, WebSocketRoute } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshots, twoMembersOnOneProject, useStackAndBrowser } from "./e2e-board-setup";
import { created, drag, edgeIds, idsOf, nodeById, poll, viewport } from "./board-locators";

const run = useStackAndBrowser("board-tools");

/** Ada's gateway sockets, which the test can cut (as a dropped network would). */
const gatewaySockets = { routes: new Set<WebSocketRoute>(), blocked: false };

async function openAs(session: string, path: string, options: { interceptSockets?: boolean } = {}): Promise<{ page: Page; context: BrowserContext }> {
  const stack = run.stack();
  const context = await run.browser().newContext({ viewport: { width: 1280, height: 760 } });
  await context.addCookies([{ name: "kiln_session", value: session, url: stack.url }]);
  if (options.interceptSockets) {
    await context.routeWebSocket(/\/gw\//, (ws) => {
      if (gatewaySockets.blocked) return ws.close({ code: 1006, reason: "offline" });
      ws.connectToServer();
      gatewaySockets.routes.add(ws);
      ws.onClose(() => gatewaySockets.routes.delete(ws));
    });
  }
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error));
  await page.goto(`${stack.url}${path}`);
  await online(page);
  return { page, context };
}

const online = (page: Page) => page.getByTestId("connection-status").getByText("Online").waitFor({ timeout: 30_000 });

/** A node's place and size as xyflow draws it (flow coordinates, whatever the zoom). */
const geometry = (node: Locator) =>
  node.evaluate((el) => {
    const style = (el as unknown as { style: { transform: string; width: string; height: string } }).style;
    return `${style.transform} ${style.width}×${style.height}`;
  });
const noteText = (page: Page, id: string) => nodeById(page, id).getByLabel("Note text").inputValue();
/** A shape's text as drawn (not the name of whoever has it selected). */
const shapeText = (page: Page, id: string) => nodeById(page, id).locator(".shape-label, .shape-text").textContent();
/** Where the board is panned and zoomed to. */
/** Zooms with a control button; the zoom is animated, so this waits for it to come to rest. */
async function zoom(page: Page, button: "Zoom In" | "Zoom Out"): Promise<string> {
  const before = await viewport(page);
  await page.getByRole("button", { name: button }).click();
  let last = before;
  await poll(async () => {
    const now = await viewport(page);
    const resting = now === last && now !== before;
    last = now;
    return resting;
  }).toBe(true);
  return last;
}
/** The open views' tabs, in order. */
const tabs = (page: Page) => page.getByRole("tablist", { name: "Open views" }).getByRole("tab").allTextContents();
const tab = (page: Page, name: string) => page.getByRole("tab", { name: new RegExp(`^${name}`) });

async function canvas(page: Page) {
  return (await page.locator(".board-canvas").boundingBox())!;
}

/** Right-clicks at a point of the canvas and picks a menu item. */
async function menuAt(page: Page, x: number, y: number, item: RegExp) {
  const pane = await canvas(page);
  await page.mouse.click(pane.x + x, pane.y + y, { button: "right" });
  await page.getByRole("menu").getByRole("menuitem", { name: item }).click();
}

/** Selects a node as a person does: a click on its header (notes) or its body. */
async function select(page: Page, id: string, modifiers: ("Control" | "Shift")[] = []) {
  const node = nodeById(page, id);
  const header = node.locator("header");
  await ((await header.count()) > 0 ? header : node).click({ modifiers, position: (await header.count()) > 0 ? { x: 30, y: 8 } : undefined });
}


const center = async (locator: Locator) => {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};

let ada: Page;
let adaContext: BrowserContext;
let ben: Page;
let path: string;
const ids: Record<string, string> = {};

describe("the whiteboard's tools", () => {
  it("opens one project for two members", async () => {
    const people = await twoMembersOnOneProject(run.stack().url, { org: "Tools team", project: "Launch" });
    path = people.path;
    ({ page: ada, context: adaContext } = await openAs(people.ada, path, { interceptSockets: true }));
    ({ page: ben } = await openAs(people.ben, path));
    await poll(() => ada.getByTestId("peer-avatar").count()).toBe(1);
  });

  it("creates notes and shapes from the context menu where it was opened", async () => {
    ids.a = await created(ada, "note", () => menuAt(ada, 40, 20, /^New note here/));
    ids.b = await created(ada, "note", () => menuAt(ada, 500, 20, /^New note here/));
    await ada.screenshot({ path: join(screenshots, "board-tools-notes.png") });
    const pane = await canvas(ada);
    // Clear of the zoom buttons at the bottom left (the style bar leaves the canvas shorter).
    await ada.mouse.click(pane.x + 40, pane.y + 340, { button: "right" });
    const menu = ada.getByRole("menu");
    await menu.waitFor();
    expect(await menu.getByRole("menuitem").allTextContents()).toEqual(expect.arrayContaining(["New note hereN", "RectangleR", "EllipseO", "ArrowA", "TextT", "FrameF", "Fit to screenShift+1"]));
    await ada.screenshot({ path: join(screenshots, "board-context-menu.png") });
    ids.ellipse = await created(ada, "ellipse", () => menu.getByRole("menuitem", { name: "Ellipse" }).click());
    await menu.waitFor({ state: "detached" });
    // Ben sees both notes and the ellipse where Ada put them.
    for (const id of [ids.a, ids.b, ids.ellipse]) await poll(async () => geometry(nodeById(ben, id!))).toBe(await geometry(nodeById(ada, id!)));
    // Escape closes a menu without doing anything.
    await ada.mouse.click(pane.x + 700, pane.y + 400, { button: "right" });
    await menu.waitFor();
    await ada.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
  });

  it("edits a shape's text in place: Enter and leaving the field send it, Escape cancels", async () => {
    // The toolbar's Rectangle arms the tool (shown pressed); a click on the canvas makes one there.
    const middle = await canvas(ada);
    ids.rect = await created(ada, "rectangle", async () => {
      await ada.getByRole("button", { name: "Rectangle" }).click();
      await poll(() => ada.getByRole("button", { name: "Rectangle" }).getAttribute("aria-pressed")).toBe("true");
      await ada.mouse.click(middle.x + middle.width / 2, middle.y + middle.height / 2);
    });
    await poll(() => ada.getByRole("button", { name: "Select (V)" }).getAttribute("aria-pressed")).toBe("true");
    const rect = nodeById(ada, ids.rect!);
    await rect.locator(".shape-label").dblclick();
    const field = ada.getByLabel("Shape text");
    await field.waitFor();
    await field.pressSequentially("Launch plan", { delay: 10 });
    await ada.screenshot({ path: join(screenshots, "board-shape-editing.png") });
    await field.press("Enter");
    await field.waitFor({ state: "detached" });
    expect(await shapeText(ada, ids.rect!)).toBe("Launch plan");
    await poll(() => shapeText(ben, ids.rect!)).toBe("Launch plan");

    // Escape: nothing sent, the old text stays.
    await rect.locator(".shape-label").dblclick();
    await field.fill("Scrapped");
    await field.press("Escape");
    await field.waitFor({ state: "detached" });
    expect(await shapeText(ada, ids.rect!)).toBe("Launch plan");

    // A text label, written and committed by clicking elsewhere.
    ids.label = await created(ada, "text", async () => {
      await ada.getByRole("button", { name: "Text label" }).click();
      await ada.mouse.click(middle.x + middle.width / 2, middle.y + middle.height / 2 + 150);
    });
    // A new label opens for typing; Escape leaves it as it is ("Label"), to move it aside first.
    await ada.getByLabel("Shape text").waitFor();
    await ada.keyboard.press("Escape");
    await ada.getByLabel("Shape text").waitFor({ state: "detached" });
    const pane = await canvas(ada);
    await drag(ada, await center(nodeById(ada, ids.label!)), { x: pane.x + 720, y: pane.y + 420 });
    await poll(() => geometry(nodeById(ben, ids.label!))).toBe(await geometry(nodeById(ada, ids.label!)));
    await nodeById(ada, ids.label!).locator(".shape-text").dblclick();
    await field.fill("Milestone 1");
    await ada.mouse.click(pane.x + pane.width - 60, pane.y + pane.height - 220);
    await poll(() => shapeText(ben, ids.label!)).toBe("Milestone 1");
    await poll(() => ben.getByText("Scrapped").count(), 1_000).toBe(0);

    // Undo takes the label's text back, for Ben too.
    await ada.keyboard.press("Control+z");
    await poll(() => shapeText(ben, ids.label!)).toBe("Label");
    await ada.keyboard.press("Control+Shift+z");
    await poll(() => shapeText(ben, ids.label!)).toBe("Milestone 1");
  });

  it("draws a typed edge between two notes by dragging from one handle to the other", async () => {
    await ada.getByLabel("Link").selectOption("depends-on");
    const from = await center(nodeById(ada, ids.a!).locator(".react-flow__handle.source"));
    const to = await center(nodeById(ada, ids.b!).locator(".react-flow__handle.target"));
    await drag(ada, from, to);
    await poll(() => edgeIds(ben)).toHaveLength(1);
    ids.edge = (await edgeIds(ben))[0]!;
    expect(await edgeIds(ada)).toEqual([ids.edge]);
    expect(await ben.locator(`[data-testid="edge-label"][data-edge="${ids.edge}"]`).textContent()).toBe("depends-on");
    await ada.screenshot({ path: join(screenshots, "board-edge-drawn.png") });
  });

  it("resizes a note from its corner", async () => {
    await select(ada, ids.b!);
    const corner = nodeById(ada, ids.b!).locator(".react-flow__resize-control.handle.bottom.right");
    await corner.waitFor();
    const before = await geometry(nodeById(ben, ids.b!));
    expect(before).toContain("240px×160px");
    const start = await center(corner);
    await drag(ada, start, { x: start.x + 80, y: start.y + 60 });
    await poll(() => geometry(nodeById(ben, ids.b!))).toContain("320px×220px");
    expect(await geometry(nodeById(ada, ids.b!))).toContain("320px×220px");
  });

  it("locks a node from its context menu: it no longer moves or resizes, for anyone, until unlocked", async () => {
    const header = nodeById(ada, ids.a!).locator("header");
    await header.click({ button: "right", position: { x: 30, y: 8 } });
    await ada.getByRole("menuitem", { name: /^Lock/ }).click();
    await poll(() => nodeById(ben, ids.a!).locator(".board-node.is-locked").count()).toBe(1);
    const before = await geometry(nodeById(ada, ids.a!));
    const grip = await center(header);
    await drag(ada, { x: grip.x - 60, y: grip.y }, { x: grip.x + 60, y: grip.y + 120 });
    await ada.waitForTimeout(300);
    expect(await geometry(nodeById(ada, ids.a!))).toBe(before);
    expect(await geometry(nodeById(ben, ids.a!))).toBe(before);
    expect(await nodeById(ada, ids.a!).locator(".react-flow__resize-control").count()).toBe(0);
    // Ben unlocks it with the keyboard shortcut; Ada sees it.
    await select(ben, ids.a!);
    await ben.keyboard.press("Control+l");
    await poll(() => nodeById(ada, ids.a!).locator(".board-node.is-locked").count()).toBe(0);
  });

  it("groups two notes, moves them together, and ungroups", async () => {
    await select(ada, ids.a!);
    await select(ada, ids.b!, ["Control"]);
    const groupId = await created(ben, "group", () => ada.getByRole("button", { name: "Group the selection (Ctrl+G)" }).click());
    await poll(() => idsOf(ada, "group")).toEqual([groupId]);
    await ada.screenshot({ path: join(screenshots, "board-group.png") });
    // The notes now sit inside the group: moving the group moves them.
    const a = await nodeById(ben, ids.a!).boundingBox();
    const frame = await nodeById(ada, groupId).boundingBox();
    await drag(ada, { x: frame!.x + 8, y: frame!.y + frame!.height - 8 }, { x: frame!.x + 8 + 40, y: frame!.y + frame!.height - 8 + 50 });
    await poll(async () => (await nodeById(ben, ids.a!).boundingBox())!.y).toBeGreaterThan(a!.y + 30);
    // Ungroup from the group's context menu.
    await nodeById(ada, groupId).click({ button: "right", position: { x: 8, y: frame!.height - 8 } });
    await ada.getByRole("menuitem", { name: /^Ungroup/ }).click();
    await poll(() => idsOf(ben, "group")).toEqual([]);
    expect(await idsOf(ben, "note")).toEqual([ids.a, ids.b].sort());
  });

  it("copies and pastes a note with its text, and undoes the paste", async () => {
    const note = nodeById(ada, ids.b!).getByLabel("Note text");
    await note.click();
    await note.pressSequentially("Budget: 3 people", { delay: 10 });
    await poll(() => noteText(ben, ids.b!)).toBe("Budget: 3 people");
    await select(ada, ids.b!);
    await ada.keyboard.press("Control+c");
    const pasted = await created(ben, "note", () => ada.keyboard.press("Control+v"));
    await poll(() => noteText(ben, pasted)).toBe("Budget: 3 people");
    await ada.keyboard.press("Control+z");
    await poll(() => idsOf(ben, "note")).toEqual([ids.a, ids.b].sort());
  });

  it("deletes a note with the Delete key, and undo brings it back as itself, with its text and its edge", async () => {
    await nodeById(ada, ids.a!).getByLabel("Note text").click();
    await ada.keyboard.type("Kickoff");
    await poll(() => noteText(ben, ids.a!)).toBe("Kickoff");
    await select(ada, ids.a!);
    await ada.keyboard.press("Delete");
    await poll(() => idsOf(ben, "note")).toEqual([ids.b]);
    expect(await edgeIds(ben)).toEqual([]);
    await ada.keyboard.press("Control+z");
    await poll(() => idsOf(ben, "note")).toEqual([ids.a, ids.b].sort());
    await poll(() => noteText(ben, ids.a!)).toBe("Kickoff");
    await poll(() => edgeIds(ben)).toEqual([ids.edge]);
    // Typing into the restored note still syncs.
    await nodeById(ben, ids.a!).getByLabel("Note text").click();
    await ben.keyboard.press("End");
    await ben.keyboard.type(" at 10");
    await poll(() => noteText(ada, ids.a!)).toBe("Kickoff at 10");
  });

  it("undoes typing in a note with Ctrl+Z, only one's own, without undoing the board", async () => {
    const adaNote = nodeById(ada, ids.b!).getByLabel("Note text");
    await adaNote.click();
    await ada.keyboard.press("Control+End");
    await ada.keyboard.type(" and a designer");
    await poll(() => noteText(ben, ids.b!)).toBe("Budget: 3 people and a designer");
    await ada.keyboard.press("Control+z");
    await poll(() => noteText(ben, ids.b!)).toBe("Budget: 3 people");
    expect(await adaNote.inputValue()).toBe("Budget: 3 people");
    // The board's undo history was not touched: the notes and the edge are all still there.
    expect(await idsOf(ben, "note")).toEqual([ids.a, ids.b].sort());
    expect(await edgeIds(ben)).toEqual([ids.edge]);
    await ada.keyboard.press("Control+Shift+z");
    await poll(() => noteText(ben, ids.b!)).toBe("Budget: 3 people and a designer");
  });

  it("adds a view and renames it; each view has its own board and keeps its viewport", async () => {
    const boardViewport = await zoom(ada, "Zoom In");
    await ada.getByRole("button", { name: "New view" }).click();
    // A tab is Ada's own: for Ben the new view is listed, to open.
    await poll(() => tabs(ada)).toEqual(["Board", "View 2"]);
    await poll(() => ben.getByRole("button", { name: /^Views \(1\)/ }).count()).toBe(1);
    expect(await tabs(ben)).toEqual(["Board"]);
    await poll(() => ada.locator(".react-flow__node").count()).toBe(0);
    await tab(ada, "View 2").dblclick();
    const name = ada.getByLabel("New name for View 2");
    await name.fill("Design");
    await name.press("Enter");
    await poll(() => tabs(ada)).toEqual(["Board", "Design"]);
    // The view's name is shared: Ben opens it by its new name.
    await ben.getByRole("button", { name: /^Views \(1\)/ }).click();
    await ben.getByRole("button", { name: "Open Design" }).click();
    await poll(() => tabs(ben)).toEqual(["Board", "Design"]);
    await tab(ben, "Board").click();
    ids.design = await created(ada, "note", () => menuAt(ada, 200, 200, /^New note here/));
    await zoom(ada, "Zoom Out");
    // Ben, still on the first view, does not see it there.
    expect(await nodeById(ben, ids.design!).count()).toBe(0);
    await tab(ben, "Design").click();
    await nodeById(ben, ids.design!).waitFor();
    await tab(ben, "Board").click();
    await tab(ada, "Board").click();
    await nodeById(ada, ids.a!).waitFor();
    // Back on the first view, Ada finds it panned and zoomed as she left it.
    expect(await viewport(ada)).toBe(boardViewport);

    // Delete on a focused tab closes that tab, Ada's only, and only that: the note selected on the board stays.
    await select(ada, ids.a!);
    await tab(ada, "Design").focus();
    await ada.keyboard.press("Delete");
    await poll(() => tabs(ada)).toEqual(["Board"]);
    expect(await tabs(ben)).toEqual(["Board", "Design"]);
    expect(await idsOf(ben, "note")).toContain(ids.a);
    expect(await ada.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe("Board");
    // A closed view opens again from the views menu.
    await ada.getByRole("button", { name: /^Views \(1\)/ }).click();
    await ada.getByRole("button", { name: "Open Design" }).click();
    await poll(() => tabs(ada)).toEqual(["Board", "Design"]);
    await tab(ada, "Board").click();
    await nodeById(ada, ids.a!).waitFor();
  });

  it("keeps shapes, text, the edge, locks, views and where Ben was looking after a reload", async () => {
    // Below the fold after the notes grew: fit the board to the screen first.
    await ada.getByRole("button", { name: "Fit View" }).click();
    await nodeById(ada, ids.ellipse!).click({ button: "right" });
    await ada.getByRole("menuitem", { name: /^Lock/ }).click();
    await poll(() => nodeById(ben, ids.ellipse!).locator(".is-locked").count()).toBe(1);
    const benViewport = await zoom(ben, "Zoom Out");
    await ben.reload();
    await online(ben);
    // The board opens where Ben left it in this browser, not fitted afresh.
    await poll(() => viewport(ben)).toBe(benViewport);
    await ben.getByRole("button", { name: "Fit View" }).click();
    await nodeById(ben, ids.a!).waitFor();
    expect(await shapeText(ben, ids.rect!)).toBe("Launch plan");
    expect(await shapeText(ben, ids.label!)).toBe("Milestone 1");
    expect(await nodeById(ben, ids.ellipse!).locator(".is-locked").count()).toBe(1);
    expect(await noteText(ben, ids.a!)).toBe("Kickoff at 10");
    expect(await geometry(nodeById(ben, ids.b!))).toContain("320px×220px");
    expect(await edgeIds(ben)).toEqual([ids.edge]);
    expect(await tabs(ben)).toEqual(["Board", "Design"]);
  });

  it("shows a banner offline, keeps note text typed meanwhile, and syncs it once back", async () => {
    gatewaySockets.blocked = true;
    await adaContext.setOffline(true);
    for (const ws of gatewaySockets.routes) await ws.close({ code: 1006, reason: "network down" });
    const banner = ada.getByRole("status").filter({ hasText: "You are offline" });
    await banner.waitFor({ timeout: 10_000 });
    expect(await ada.getByTestId("connection-status").textContent()).toBe("Offline");
    const note = nodeById(ada, ids.b!).getByLabel("Note text");
    await note.click();
    await ada.keyboard.press("Control+End");
    await ada.keyboard.type("\nWritten offline.");
    await ada.screenshot({ path: join(screenshots, "board-offline.png") });
    // Nothing reached Ben meanwhile; a board change is refused with the reason.
    await ada.waitForTimeout(500);
    expect(await noteText(ben, ids.b!)).toBe("Budget: 3 people and a designer");
    expect(await ada.getByRole("button", { name: "New note (N)" }).isDisabled()).toBe(true);

    gatewaySockets.blocked = false;
    await adaContext.setOffline(false);
    await online(ada);
    await banner.waitFor({ state: "detached" });
    await poll(() => noteText(ben, ids.b!), 20_000).toBe("Budget: 3 people and a designer\nWritten offline.");
    expect(await note.inputValue()).toBe("Budget: 3 people and a designer\nWritten offline.");
  });

  it("looks right in dark mode", async () => {
    await ada.emulateMedia({ colorScheme: "dark" });
    const box = await canvas(ada);
    await ada.mouse.click(box.x + 300, box.y + box.height - 40);
    await ada.keyboard.press("Shift+Digit1");
    await ada.waitForTimeout(400);
    // Fit view keeps the board clear of the minimap (bottom right), so every node can be reached.
    const minimap = (await ada.getByTestId("rf__minimap").boundingBox())!;
    for (const node of await ada.locator(".react-flow__node").all()) {
      const b = (await node.boundingBox())!;
      const overlaps = b.x < minimap.x + minimap.width && b.x + b.width > minimap.x && b.y < minimap.y + minimap.height && b.y + b.height > minimap.y;
      expect(overlaps, `node ${await node.getAttribute("data-id")} lies under the minimap after fit view`).toBe(false);
    }
    await nodeById(ada, ids.rect!).locator(".shape-label").dblclick();
    await ada.getByLabel("Shape text").waitFor();
    await ada.screenshot({ path: join(screenshots, "board-shape-editing-dark.png") });
    await ada.keyboard.press("Escape");
    const pane = await canvas(ada);
    await ada.mouse.click(pane.x + 200, pane.y + pane.height - 60, { button: "right" });
    await ada.getByRole("menu").waitFor();
    await ada.screenshot({ path: join(screenshots, "board-context-menu-dark.png") });
    await ada.keyboard.press("Escape");
    expect(await ada.locator(".react-flow__node").count()).toBeGreaterThan(4);
  });
});
