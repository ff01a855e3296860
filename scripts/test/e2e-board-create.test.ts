/**
 * Creating and editing like the peers (issue #18), end to end: `npm start`, Ada and Ben in
 * two Chromium contexts at 1440×900. An empty view says how to start; new items land where
 * Ada works (at her pointer, or the free spot nearest the middle of her view), selected and
 * open for typing; a double-click on the canvas makes a note (no zoom); Escape leaves a note
 * then deselects; tool keys, Ctrl+D, paste at the pointer or offset from the original, text
 * pasted from elsewhere as a note; zoom keys and the zoom percent; notes drawn as markdown
 * (safely) when nobody here edits them; presence colours distinct, one avatar per person.
 * Every change is checked on Ben's screen. Screenshots go to docs/screenshots/board-*.png.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshots, twoMembersOnOneProject, useStackAndBrowser } from "./e2e-board-setup";
import { at, box, created, idsOf, isSelected, nodeById, poll, viewport } from "./board-locators";

const run = useStackAndBrowser("board-create");

const openAs = (session: string, path: string): Promise<Page> => run.openBoard(session, path);

const allIds = (page: Page) => page.locator(".react-flow__node").evaluateAll((els) => els.map((el) => el.getAttribute("data-id")!).sort());
const noteText = (page: Page, id: string) => nodeById(page, id).getByLabel("Note text").inputValue();
const zoomShown = (page: Page) => page.locator(".zoom-percent").textContent();
/** What has the keyboard: the node it is in and its accessible name. */
const focused = (page: Page) =>
  page.evaluate<{ node: string | null; label: string | null }>(`(() => {
    const el = document.activeElement;
    return { node: el?.closest(".react-flow__node")?.getAttribute("data-id") ?? null, label: el?.getAttribute("aria-label") ?? null };
  })()`);
/** Pastes `text` as another app's copy would arrive: a paste event carrying it, on what has the keyboard (the page when nothing does). */
const pasteFromElsewhere = (page: Page, text: string) =>
  page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData("text/plain", ${JSON.stringify(text)});
    (document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);

/** Where a screen point is on the board (flow coordinates), read from xyflow's transform. */
async function toFlow(page: Page, point: { x: number; y: number }) {
  const pane = (await page.locator(".react-flow").boundingBox())!;
  const [, tx, ty, k] = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(await viewport(page))!;
  return { x: (point.x - pane.x - Number(tx)) / Number(k), y: (point.y - pane.y - Number(ty)) / Number(k) };
}

/** Puts the pointer on the toolbar: off the board, so new things go to a free spot. */
async function pointerOffBoard(page: Page) {
  const toolbar = (await page.getByRole("toolbar", { name: "Board tools" }).boundingBox())!;
  await page.mouse.move(toolbar.x + toolbar.width - 20, toolbar.y + toolbar.height / 2);
}

let ada: Page;
let ben: Page;
let benAgain: Page;
let path: string;
const ids: Record<string, string> = {};

describe("creating and editing on the board like the peers", () => {
  it("gives two people on a project two different colours, and one avatar per person however many tabs", async () => {
    const people = await twoMembersOnOneProject(run.stack().url, { org: "Create team", project: "Roadmap" });
    path = people.path;
    ada = await openAs(people.ada, path);
    ben = await openAs(people.ben, path);
    benAgain = await openAs(people.ben, path);
    await poll(() => ada.getByTestId("peer-avatar").count()).toBe(1);
    // Ben's second tab shows Ada only: his own other tab is not someone else.
    await poll(() => benAgain.getByTestId("peer-avatar").count()).toBe(1);
    await poll(() => ben.getByTestId("peer-avatar").count()).toBe(1);
    const colour = (page: Page, who: "me" | "peer") => page.locator(who === "me" ? ".presence .avatar:not([data-testid])" : '[data-testid="peer-avatar"]').evaluate((el) => (el as unknown as { style: { background: string } }).style.background);
    await poll(async () => [await colour(ada, "me"), await colour(ada, "peer")]).toEqual([await colour(ben, "peer"), await colour(ben, "me")]);
    expect(await colour(ada, "me")).not.toBe(await colour(ada, "peer"));
    // Both of Ben's tabs are one person, with one colour.
    await poll(() => colour(benAgain, "me")).toBe(await colour(ben, "me"));
    await benAgain.context().close();
    await poll(() => ada.getByTestId("peer-avatar").count()).toBe(1);
  });

  it("says on an empty view what to do first, and not once something is on it", async () => {
    const hint = ada.getByTestId("empty-board-hint");
    await hint.waitFor();
    expect(await hint.textContent()).toMatch(/Double-click anywhere for a new note/);
    for (const key of ["N", "R", "O", "A", "T"]) expect(await hint.locator("kbd", { hasText: new RegExp(`^${key}$`) }).count()).toBe(1);
    await ada.screenshot({ path: join(screenshots, "board-empty-hint.png") });
  });

  it("makes a note with N at the pointer, selected and open for typing; Escape leaves it, then deselects", async () => {
    const pointer = await at(ada, 420, 300);
    await ada.mouse.move(pointer.x, pointer.y);
    ids.first = await created(ada, "note", () => ada.keyboard.press("n"));
    const placed = await box(nodeById(ada, ids.first));
    const aimed = await toFlow(ada, pointer);
    // Centred on the pointer (to the pixel, whatever the zoom).
    expect(Math.abs(placed.x + placed.width / 2 - aimed.x)).toBeLessThan(2);
    expect(Math.abs(placed.y + placed.height / 2 - aimed.y)).toBeLessThan(2);
    await poll(() => focused(ada)).toEqual({ node: ids.first, label: "Note text" });
    expect(await isSelected(ada, ids.first)).toBe(1);
    await ada.keyboard.type("First idea");
    await poll(() => noteText(ben, ids.first!)).toBe("First idea");
    await poll(() => ada.getByTestId("empty-board-hint").count()).toBe(0);
    await poll(() => ben.getByTestId("empty-board-hint").count()).toBe(0);
    // Ben sees it where Ada put it.
    expect(await box(nodeById(ben, ids.first))).toEqual(placed);

    await ada.keyboard.press("Escape");
    await poll(() => focused(ada)).toEqual({ node: null, label: null });
    expect(await isSelected(ada, ids.first)).toBe(1);
    await ada.keyboard.press("Escape");
    await poll(() => isSelected(ada, ids.first!)).toBe(0);
  });

  it("puts a note made from the toolbar on the free spot nearest the middle of the view, not on another one", async () => {
    await ada.getByRole("button", { name: "New note (N)" }).hover();
    ids.second = await created(ada, "note", () => ada.getByRole("button", { name: "New note (N)" }).click());
    const first = await box(nodeById(ada, ids.first!));
    const second = await box(nodeById(ada, ids.second));
    const apart = second.x >= first.x + first.width || first.x >= second.x + second.width || second.y >= first.y + first.height || first.y >= second.y + second.height;
    expect(apart, `${JSON.stringify(second)} clear of ${JSON.stringify(first)}`).toBe(true);
    // In view: the whole note is on screen.
    const onScreen = (await nodeById(ada, ids.second).boundingBox())!;
    const pane = (await ada.locator(".board-canvas").boundingBox())!;
    expect(onScreen.x >= pane.x && onScreen.y >= pane.y && onScreen.x + onScreen.width <= pane.x + pane.width && onScreen.y + onScreen.height <= pane.y + pane.height).toBe(true);
    await poll(() => focused(ada)).toEqual({ node: ids.second, label: "Note text" });
    await ada.keyboard.type("Second");
    await poll(() => noteText(ben, ids.second!)).toBe("Second");
  });

  it("makes a note with a double-click on empty canvas, where it was, without zooming", async () => {
    const before = await viewport(ada);
    const spot = await at(ada, 900, 160);
    ids.third = await created(ada, "note", () => ada.mouse.dblclick(spot.x, spot.y));
    expect(await viewport(ada)).toBe(before);
    const placed = await box(nodeById(ada, ids.third));
    const aimed = await toFlow(ada, spot);
    expect(Math.abs(placed.x + placed.width / 2 - aimed.x)).toBeLessThan(2);
    expect(Math.abs(placed.y + placed.height / 2 - aimed.y)).toBeLessThan(2);
    await poll(() => focused(ada)).toEqual({ node: ids.third, label: "Note text" });
    await poll(async () => (await allIds(ben)).includes(ids.third!)).toBe(true);
  });

  it("draws a note's markdown when nobody here edits it: headings, emphasis, lists, tasks, links in a new tab, code; no raw HTML", async () => {
    const note = nodeById(ada, ids.third!);
    expect(await note.getByLabel("Note text").getAttribute("spellcheck")).toBe("true");
    await note.getByLabel("Note text").fill("# Launch plan\nShip **on time**, _calmly_.\n- [x] design\n- [ ] build\n1. one\n2. two\n\nSee [the brief](https://example.com/brief) and `npm start`.\n\n<b>raw</b><script>alert(1)</script>");
    await poll(() => noteText(ben, ids.third!)).toContain("Launch plan");
    await ada.keyboard.press("Escape");
    for (const page of [ada, ben]) {
      const md = nodeById(page, ids.third!).getByTestId("note-markdown");
      await md.waitFor();
      expect(await md.locator("h1").textContent()).toBe("Launch plan");
      expect(await md.locator("strong").textContent()).toBe("on time");
      expect(await md.locator("em").textContent()).toBe("calmly");
      expect(await md.locator('input[type="checkbox"]').evaluateAll((els) => els.map((el) => (el as unknown as { checked: boolean }).checked))).toEqual([true, false]);
      expect(await md.locator("ol li").count()).toBe(2);
      expect(await md.locator("code").textContent()).toBe("npm start");
      const link = md.getByRole("link", { name: "the brief" });
      expect(await link.getAttribute("href")).toBe("https://example.com/brief");
      expect(await link.getAttribute("target")).toBe("_blank");
      expect(await link.getAttribute("rel")).toContain("noopener");
      expect(await md.locator("b, script").count()).toBe(0);
    }
    await ada.screenshot({ path: join(screenshots, "board-note-markdown.png") });
    // A click on the drawn note edits it: the source comes back.
    await nodeById(ada, ids.third!).locator(".note-content").click({ position: { x: 230, y: 8 } });
    await poll(() => nodeById(ada, ids.third!).getByTestId("note-markdown").count()).toBe(0);
    expect(await focused(ada)).toEqual({ node: ids.third, label: "Note text" });
    await ada.keyboard.press("Escape");
    await ada.keyboard.press("Escape");
  });

  it("makes shapes with their keys and a click at the pointer (T opens the label for typing); V and P alone make nothing", async () => {
    for (const [key, type] of [["r", "rectangle"], ["o", "ellipse"], ["a", "arrow"]] as const) {
      const pointer = await at(ada, 150 + 200 * ["r", "o", "a"].indexOf(key), 540);
      await ada.mouse.move(pointer.x, pointer.y);
      // The key arms the tool; a click without a drag makes its default size centred there.
      ids[type] = await created(ada, type, async () => {
        await ada.keyboard.press(key);
        await ada.mouse.click(pointer.x, pointer.y);
      });
      const placed = await box(nodeById(ada, ids[type]!));
      const aimed = await toFlow(ada, pointer);
      expect(Math.abs(placed.x + placed.width / 2 - aimed.x)).toBeLessThan(2);
      await poll(() => isSelected(ada, ids[type]!)).toBe(1);
      await poll(async () => (await allIds(ben)).includes(ids[type]!)).toBe(true);
    }
    const pointer = await at(ada, 760, 480);
    await ada.mouse.move(pointer.x, pointer.y);
    ids.text = await created(ada, "text", async () => {
      await ada.keyboard.press("t");
      await ada.mouse.click(pointer.x, pointer.y);
    });
    await poll(() => focused(ada)).toEqual({ node: ids.text, label: "Shape text" });
    await ada.keyboard.type("Milestone");
    await ada.keyboard.press("Enter");
    await poll(() => nodeById(ben, ids.text!).locator(".shape-text").textContent()).toBe("Milestone");
    const before = await allIds(ada);
    // P arms the pen and V puts it down: nothing drawn, nothing made.
    await ada.keyboard.press("p");
    await ada.keyboard.press("v");
    await ada.waitForTimeout(500);
    expect(await allIds(ada)).toEqual(before);
    await ada.screenshot({ path: join(screenshots, "board-created-at-pointer.png") });
  });

  it("pastes at the pointer, or offset from the original (further each time), never on top of it; Ctrl+D duplicates beside", async () => {
    await nodeById(ada, ids.first!).locator("header").click({ position: { x: 30, y: 8 } });
    const original = await box(nodeById(ada, ids.first!));
    await ada.keyboard.press("Control+c");
    // Off the board: each paste one step further from the original.
    await pointerOffBoard(ada);
    const one = await created(ben, "note", () => ada.keyboard.press("Control+v"));
    await poll(() => noteText(ben, one)).toBe("First idea");
    await poll(() => box(nodeById(ben, one))).toEqual({ ...original, x: original.x + 24, y: original.y + 24 });
    const two = await created(ben, "note", () => ada.keyboard.press("Control+v"));
    await poll(() => box(nodeById(ben, two))).toEqual({ ...original, x: original.x + 48, y: original.y + 48 });
    // What was pasted is the selection.
    await poll(() => isSelected(ada, two)).toBe(1);
    // At the pointer: centred on it.
    const pointer = await at(ada, 950, 400);
    await ada.mouse.move(pointer.x, pointer.y);
    const three = await created(ben, "note", () => ada.keyboard.press("Control+v"));
    const aimed = await toFlow(ada, pointer);
    const pasted = await box(nodeById(ada, three));
    expect(Math.abs(pasted.x + pasted.width / 2 - aimed.x)).toBeLessThan(2);
    expect(Math.abs(pasted.y + pasted.height / 2 - aimed.y)).toBeLessThan(2);
    // Ctrl+D: a copy of the selection (the note just pasted) one step down and right of it.
    const four = await created(ben, "note", () => ada.keyboard.press("Control+d"));
    await poll(() => box(nodeById(ben, four))).toEqual({ ...pasted, x: pasted.x + 24, y: pasted.y + 24 });
    await poll(() => noteText(ben, four)).toBe("First idea");
    ids.pasted = three;
  });

  it("makes text pasted from another app into a note, at the pointer", async () => {
    const pointer = await at(ada, 300, 120);
    await ada.mouse.move(pointer.x, pointer.y);
    await ada.locator(".react-flow__pane").click({ position: { x: 300, y: 120 } });
    const text = "Groceries\n- milk\n- bread";
    const note = await created(ben, "note", () => pasteFromElsewhere(ada, text));
    await poll(() => noteText(ben, note)).toBe(text);
    const placed = await box(nodeById(ada, note));
    const aimed = await toFlow(ada, pointer);
    expect(Math.abs(placed.x + placed.width / 2 - aimed.x)).toBeLessThan(2);
    await poll(() => isSelected(ada, note)).toBe(1);
    // Typed into a note, a paste is the note's own, not a new note.
    const before = (await idsOf(ben, "note")).length;
    await nodeById(ada, ids.second!).getByLabel("Note text").click();
    await pasteFromElsewhere(ada, "inline");
    await ada.waitForTimeout(500);
    expect((await idsOf(ben, "note")).length).toBe(before);
    await ada.keyboard.press("Escape");
  });

  it("zooms with Ctrl+= / Ctrl+- / Ctrl+0 and fits with Shift+1; the corner shows the zoom, and a click there goes to 100 %", async () => {
    await ada.locator(".react-flow__pane").click({ position: { x: 700, y: 40 } });
    await poll(() => zoomShown(ada)).toMatch(/^\d+%$/);
    await ada.keyboard.press("Control+0");
    await poll(() => zoomShown(ada)).toBe("100%");
    await ada.keyboard.press("Control+=");
    await poll(async () => parseInt((await zoomShown(ada))!)).toBeGreaterThan(100);
    await ada.keyboard.press("Control+0");
    await poll(() => zoomShown(ada)).toBe("100%");
    await ada.keyboard.press("Control+-");
    await ada.keyboard.press("Control+-");
    await poll(async () => parseInt((await zoomShown(ada))!)).toBeLessThan(100);
    await ada.screenshot({ path: join(screenshots, "board-zoom-percent.png") });
    await ada.locator(".zoom-percent").click();
    await poll(() => zoomShown(ada)).toBe("100%");
    // Shift+1 fits the board: every node in sight.
    await ada.mouse.move(700, 400);
    await ada.mouse.wheel(0, 3000);
    await ada.keyboard.press("Shift+1");
    const pane = (await ada.locator(".board-canvas").boundingBox())!;
    await poll(async () => {
      const boxes = await ada.locator(".react-flow__node").evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => [r.left, r.top, r.right, r.bottom]));
      return boxes.length > 0 && boxes.every(([l, t, r, b]) => l! >= pane.x - 1 && t! >= pane.y - 1 && r! <= pane.x + pane.width + 1 && b! <= pane.y + pane.height + 1);
    }).toBe(true);
  });

  it("aligns and distributes from the node menu, brings to front and sends to back, and offers Group only for several nodes (never a group alone)", async () => {
    await ada.keyboard.press("Control+0");
    await ada.getByRole("button", { name: "Fit View" }).click();
    await ben.getByRole("button", { name: "Fit View" }).click();
    const header = (id: string) => nodeById(ada, id).locator("header");
    await header(ids.first!).click({ position: { x: 30, y: 8 } });
    await header(ids.second!).click({ position: { x: 30, y: 8 }, modifiers: ["Control"] });
    const menuItems = async (id: string) => {
      await header(id).click({ button: "right", position: { x: 30, y: 8 } });
      const items = await ada.getByRole("menu").getByRole("menuitem").allTextContents();
      return items;
    };
    expect(await menuItems(ids.second!)).toEqual(expect.arrayContaining(["Group selectionCtrl+G", "Align top", "Align left", "Bring to front]", "Send to back["]));
    await ada.getByRole("menuitem", { name: "Align top" }).click();
    const firstTop = (await box(nodeById(ada, ids.first!))).y;
    const secondTop = (await box(nodeById(ada, ids.second!))).y;
    await poll(async () => [(await box(nodeById(ben, ids.first!))).y, (await box(nodeById(ben, ids.second!))).y]).toEqual([Math.min(firstTop, secondTop), Math.min(firstTop, secondTop)]);
    expect(firstTop).toBe(secondTop);
    // One undo step takes it back, for Ben too.
    await ada.keyboard.press("Control+z");
    await poll(async () => (await box(nodeById(ben, ids.first!))).y !== (await box(nodeById(ben, ids.second!))).y).toBe(true);

    // Send the first note to the back and bring it to the front: the stacking Ben sees follows.
    const z = (page: Page, id: string) => nodeById(page, id).evaluate((el) => Number((el as unknown as { style: { zIndex: string } }).style.zIndex));
    await ada.keyboard.press("Escape");
    await header(ids.first!).click({ position: { x: 30, y: 8 } });
    await ada.keyboard.press("[");
    await poll(async () => (await z(ben, ids.first!)) < (await z(ben, ids.second!))).toBe(true);
    await header(ids.first!).click({ button: "right", position: { x: 30, y: 8 } });
    expect(await ada.getByRole("menu").getByRole("menuitem", { name: /^Group selection/ }).count()).toBe(0);
    await ada.getByRole("menuitem", { name: /^Bring to front/ }).click();
    await poll(async () => (await z(ben, ids.first!)) > (await z(ben, ids.second!))).toBe(true);

    // Grouped, the group alone is never offered "Group selection".
    await header(ids.second!).click({ position: { x: 30, y: 8 }, modifiers: ["Control"] });
    const group = await created(ben, "group", () => ada.keyboard.press("Control+g"));
    await ada.keyboard.press("Escape");
    const frame = (await nodeById(ada, group).boundingBox())!;
    await nodeById(ada, group).click({ button: "right", position: { x: 8, y: frame.height - 8 } });
    const items = await ada.getByRole("menu").getByRole("menuitem").allTextContents();
    expect(items).toContain("UngroupShift+Ctrl+G");
    expect(items.some((i) => i.startsWith("Group selection"))).toBe(false);
    await ada.screenshot({ path: join(screenshots, "board-group-menu.png") });
    await ada.getByRole("menuitem", { name: /^Ungroup/ }).click();
    await poll(() => idsOf(ben, "group")).toEqual([]);
  });

  it("keeps it all after a reload, for Ben too", async () => {
    await ben.reload();
    await ben.getByTestId("connection-status").getByText("Online").waitFor({ timeout: 30_000 });
    await ben.keyboard.press("Shift+1");
    for (const id of [ids.first, ids.second, ids.third, ids.rectangle, ids.ellipse, ids.arrow, ids.text, ids.pasted]) await poll(async () => (await allIds(ben)).includes(id!)).toBe(true);
    await poll(() => noteText(ben, ids.pasted!)).toBe("First idea");
    await poll(() => nodeById(ben, ids.third!).getByTestId("note-markdown").locator("h1").textContent()).toBe("Launch plan");
  });
});
