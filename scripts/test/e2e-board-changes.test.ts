/**
 * Changes are never lost or misreported (issue #18), end to end: `npm start`, two members of
 * one organization (Ada and Ben) in Chromium, Ben's screen checked after each of Ada's
 * changes. An arrow-key nudge is saved; one stacking order (the doc's) on both screens,
 * edges drawn above the group they enter, locks shown; tabs are each person's own; with the
 * browser offline the board says so and refuses changes, and a change whose answer was lost is
 * sent again under its request id, never reported undone and then applied.
 */
import { join } from "node:path";
import type { BrowserContext, Locator, Page, WebSocketRoute } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshots, twoMembersOnOneProject, useStackAndBrowser } from "./e2e-board-setup";
import { created, drag, idsOf, nodeById, poll } from "./board-locators";

const run = useStackAndBrowser("board-changes");

/**
 * Sockets of the "flaky" context: `pass` forwards both ways; `lose-answers` forwards what the
 * page sends but drops what the gateway answers (a link that dies after a change left).
 */
const flaky = { mode: "pass" as "pass" | "lose-answers" };

async function openAs(session: string, path: string, options: { flaky?: boolean; width?: number; height?: number } = {}): Promise<{ page: Page; context: BrowserContext }> {
  const stack = run.stack();
  const context = await run.browser().newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 760 } });
  await context.addCookies([{ name: "kiln_session", value: session, url: stack.url }]);
  if (options.flaky) {
    await context.routeWebSocket(/\/gw\//, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => server.send(message));
      server.onMessage((message) => {
        if (flaky.mode === "pass") ws.send(message);
      });
    });
  }
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error));
  await page.goto(`${stack.url}${path}`);
  await online(page);
  return { page, context };
}

const status = (page: Page) => page.getByTestId("connection-status");
const online = (page: Page, timeout = 30_000) => status(page).getByText("Online").waitFor({ timeout });
/** A node's flow position as xyflow draws it (whatever the zoom and pan). */
const place = (node: Locator) =>
  node.evaluate((el) => {
    const m = /translate\(\s*(-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec((el as unknown as { style: { transform: string } }).style.transform);
    return m ? { x: Number(m[1]), y: Number(m[2]) } : null;
  });
const tabs = (page: Page) => page.getByRole("tablist", { name: "Open views" }).getByRole("tab").allTextContents();
const tab = (page: Page, name: string) => page.getByRole("tab", { name: new RegExp(`^${name}`) });
/** Every toast and banner the page shows, joined (to catch "undone" as it appears). */
const said = (page: Page) => page.locator(".toasts, .banner").allTextContents().then((t) => t.join(" | "));

async function canvas(page: Page) {
  return (await page.locator(".board-canvas").boundingBox())!;
}

async function menuAt(page: Page, x: number, y: number, item: RegExp) {
  const pane = await canvas(page);
  await page.mouse.click(pane.x + x, pane.y + y, { button: "right" });
  await page.getByRole("menu").getByRole("menuitem", { name: item }).click();
}

async function select(page: Page, id: string, modifiers: ("Control" | "Shift")[] = []) {
  const node = nodeById(page, id);
  const header = node.locator("header");
  await ((await header.count()) > 0 ? header : node).click({ modifiers, position: (await header.count()) > 0 ? { x: 30, y: 8 } : undefined });
}


// The two probes below run in the page (as text: this file is typed for Node, without the DOM).

/** The node drawn on top in the middle of where two nodes overlap, as a person sees it. */
const topOfOverlap = (page: Page, a: string, b: string) =>
  page.evaluate<string | null>(`(() => {
    const rect = (id) => document.querySelector('.react-flow__node[data-id="' + id + '"]').getBoundingClientRect();
    const [ra, rb] = [rect(${JSON.stringify(a)}), rect(${JSON.stringify(b)})];
    const x = (Math.max(ra.left, rb.left) + Math.min(ra.right, rb.right)) / 2;
    const y = (Math.max(ra.top, rb.top) + Math.min(ra.bottom, rb.bottom)) / 2;
    return document.elementFromPoint(x, y)?.closest(".react-flow__node")?.getAttribute("data-id") ?? null;
  })()`);

/**
 * Whether an edge can be seen where it crosses a group's fill: the points of its path inside
 * the group and clear of every other node, and at how many of them the edge (its line or its
 * label) is what lies on top.
 */
const edgeOverGroup = (page: Page, edgeId: string, groupId: string) =>
  page.evaluate<{ points: number; visible: number }>(`(() => {
    const edgeId = ${JSON.stringify(edgeId)}, groupId = ${JSON.stringify(groupId)};
    const path = document.querySelector('.react-flow__edge[data-id="' + edgeId + '"] path.react-flow__edge-path');
    if (!path) return { points: 0, visible: 0 };
    const group = document.querySelector('.react-flow__node[data-id="' + groupId + '"]').getBoundingClientRect();
    const others = [...document.querySelectorAll(".react-flow__node")].filter((n) => n.getAttribute("data-id") !== groupId).map((n) => n.getBoundingClientRect());
    const inside = (r, x, y, margin) => x > r.left - margin && x < r.right + margin && y > r.top - margin && y < r.bottom + margin;
    const matrix = path.getScreenCTM();
    const length = path.getTotalLength();
    let points = 0;
    let visible = 0;
    for (let i = 1; i < 80; i++) {
      const p = path.getPointAtLength((length * i) / 80);
      const x = matrix.a * p.x + matrix.c * p.y + matrix.e;
      const y = matrix.b * p.x + matrix.d * p.y + matrix.f;
      // Inside the group's fill, clear of its border and of every other node and its handles.
      if (!inside(group, x, y, -4) || others.some((r) => inside(r, x, y, 8))) continue;
      points++;
      // The edge's line, or its own label drawn over its line, is what is seen there.
      const top = document.elementFromPoint(x, y);
      if (top?.closest(".react-flow__edge")?.getAttribute("data-id") === edgeId || top?.closest(".edge-label")?.getAttribute("data-edge") === edgeId) visible++;
    }
    return { points, visible };
  })()`);

let ada: Page;
let adaContext: BrowserContext;
let ben: Page;
let adaSession: string;
let path: string;
const ids: Record<string, string> = {};

describe("changes are never lost or misreported", () => {
  it("opens one project for two members", async () => {
    const people = await twoMembersOnOneProject(run.stack().url, { org: "Changes team", project: "Launch" });
    path = people.path;
    adaSession = people.ada;
    ({ page: ada, context: adaContext } = await openAs(people.ada, path));
    ({ page: ben } = await openAs(people.ben, path));
    await poll(() => ada.getByTestId("peer-avatar").count()).toBe(1);
  });

  it("saves an arrow-key nudge: the other person and a reload see the new place", async () => {
    ids.a = await created(ada, "note", () => menuAt(ada, 60, 80, /^New note here/));
    await poll(() => place(nodeById(ben, ids.a!))).toEqual(await place(nodeById(ada, ids.a!)));
    const start = (await place(nodeById(ada, ids.a!)))!;
    await select(ada, ids.a!);
    for (const key of ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowDown", "ArrowDown", "ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight"]) await ada.keyboard.press(key);
    const moved = { x: start.x + 35, y: start.y + 10 };
    expect(await place(nodeById(ada, ids.a!))).toEqual(moved);
    await poll(() => place(nodeById(ben, ids.a!))).toEqual(moved);
    // One undo step takes the whole nudge back, for Ben too.
    await ada.keyboard.press("Control+z");
    await poll(() => place(nodeById(ben, ids.a!))).toEqual(start);
    await ada.keyboard.press("Control+Shift+z");
    await poll(() => place(nodeById(ben, ids.a!))).toEqual(moved);
    await ben.reload();
    await online(ben);
    await poll(() => place(nodeById(ben, ids.a!))).toEqual(moved);
  });

  it("stacks notes, groups and shapes in the doc's one order on both screens, before and after a tab switch", async () => {
    ids.b = await created(ada, "note", () => menuAt(ada, 600, 80, /^New note here/));
    await select(ada, ids.a!);
    await select(ada, ids.b!, ["Control"]);
    ids.group = await created(ben, "group", () => ada.keyboard.press("Control+g"));
    await poll(() => idsOf(ada, "group")).toEqual([ids.group]);
    // A newer note, dragged over the grouped note A: the doc puts it above A and the group.
    ids.c = await created(ada, "note", () => menuAt(ada, 400, 330, /^New note here/));
    const header = (await nodeById(ada, ids.c!).locator("header").boundingBox())!;
    const a = (await nodeById(ada, ids.a!).boundingBox())!;
    await drag(ada, { x: header.x + 30, y: header.y + 8 }, { x: a.x + 120 + 30, y: a.y + 60 + 8 });
    await poll(async () => place(nodeById(ben, ids.c!))).toEqual(await place(nodeById(ada, ids.c!)));
    // Ada still has C selected; Ben has nothing selected: both see C on top of A.
    expect(await topOfOverlap(ada, ids.a!, ids.c!)).toBe(ids.c);
    expect(await topOfOverlap(ben, ids.a!, ids.c!)).toBe(ids.c);
    // Selecting A does not lift it over C: the order is the doc's, not the selection's.
    await select(ben, ids.a!);
    expect(await topOfOverlap(ben, ids.a!, ids.c!)).toBe(ids.c);
    await ada.screenshot({ path: join(screenshots, "board-stacking.png") });
    // After a trip to another view and back, the same.
    await ada.getByRole("button", { name: "New view" }).click();
    await poll(() => ada.locator(".react-flow__node").count()).toBe(0);
    await tab(ada, "Board").click();
    await nodeById(ada, ids.c!).waitFor();
    expect(await topOfOverlap(ada, ids.a!, ids.c!)).toBe(ids.c);
    expect(await topOfOverlap(ben, ids.a!, ids.c!)).toBe(ids.c);
  });

  it("draws an edge into a group above the group's fill, on both screens, with the group selected or not", async () => {
    ids.d = await created(ada, "note", () => menuAt(ada, 500, 330, /^New note here/));
    // From C (on the group's fill) to D (below the group): the edge leaves C over the fill.
    const from = await nodeById(ada, ids.c!).locator(".react-flow__handle.source").boundingBox();
    const to = await nodeById(ada, ids.d!).locator(".react-flow__handle.target").boundingBox();
    await drag(ada, { x: from!.x + 5, y: from!.y + 5 }, { x: to!.x + 5, y: to!.y + 5 });
    let edgeId = "";
    await poll(async () => (edgeId = (await ben.locator(".react-flow__edge").first().getAttribute("data-id")) ?? "")).toBeTruthy();
    for (const page of [ada, ben]) {
      const seen = await edgeOverGroup(page, edgeId, ids.group!);
      expect(seen.points, "points of the edge over the group's fill").toBeGreaterThan(0);
      expect(seen.visible).toBe(seen.points);
    }
    // The group selected: its fill still does not cover the edge.
    await nodeById(ada, ids.group!).click({ position: { x: 6, y: 6 } });
    const seen = await edgeOverGroup(ada, edgeId, ids.group!);
    expect(seen.visible).toBe(seen.points);
    await ada.screenshot({ path: join(screenshots, "board-edge-into-group.png") });
  });

  it("shows a lock on every locked item, to both people", async () => {
    ids.ellipse = await created(ada, "ellipse", () => menuAt(ada, 420, 480, /^Ellipse/));
    // Locked three ways: the context menu, the keyboard, the toolbar.
    await nodeById(ada, ids.ellipse!).click({ button: "right", position: { x: 6, y: 6 } });
    await ada.getByRole("menuitem", { name: /^Lock/ }).click();
    await nodeById(ada, ids.group!).click({ position: { x: 6, y: 6 } });
    await ada.keyboard.press("Control+l");
    await select(ada, ids.d!);
    await ada.getByRole("button", { name: "Lock or unlock the selection (Ctrl+L)" }).click();
    // Ben's screen draws what is in his sight: he looks at the whole board.
    await ben.getByRole("button", { name: "Fit View" }).click();
    for (const page of [ada, ben]) {
      const unmarked = async () => {
        const missing: string[] = [];
        for (const [name, id] of Object.entries({ ellipse: ids.ellipse!, group: ids.group!, note: ids.d! })) {
          if ((await nodeById(page, id).getByRole("img", { name: "Locked" }).count()) === 0) missing.push(name);
        }
        return missing;
      };
      await poll(unmarked).toEqual([]);
      // A note in a locked group is locked too, and says so.
      await poll(() => nodeById(page, ids.a!).getByRole("img", { name: "Locked" }).count()).toBeGreaterThan(0);
      expect(await nodeById(page, ids.c!).getByRole("img", { name: "Locked" }).count()).toBe(0);
    }
    await ben.screenshot({ path: join(screenshots, "board-locked.png") });
  });

  it("keeps tabs each person's own: closing one never closes it for the other", async () => {
    // Ada made "View 2" above: a tab for her; for Ben, a shared view to open from the list.
    await poll(() => tabs(ada)).toEqual(["Board", "View 2"]);
    expect(await tabs(ben)).toEqual(["Board"]);
    await ben.getByRole("button", { name: /^Views \(1\)/ }).click();
    await ben.getByRole("button", { name: "Open View 2" }).click();
    await poll(() => tabs(ben)).toEqual(["Board", "View 2"]);
    await poll(() => ben.getByRole("tab", { selected: true }).textContent()).toMatch(/^View 2/);
    // Ada closes her View 2 tab: Ben keeps his, and stays on it.
    await ada.getByRole("button", { name: "Close View 2" }).click();
    await poll(() => tabs(ada)).toEqual(["Board"]);
    await ben.waitForTimeout(500);
    expect(await tabs(ben)).toEqual(["Board", "View 2"]);
    expect(await ben.getByRole("tab", { selected: true }).textContent()).toMatch(/^View 2/);
    // Ben closes his Board tab: Ada keeps hers.
    await ben.getByRole("button", { name: "Close Board" }).click();
    await poll(() => tabs(ben)).toEqual(["View 2"]);
    await ada.waitForTimeout(500);
    expect(await tabs(ada)).toEqual(["Board"]);
    await ben.reload();
    await online(ben);
    await poll(() => tabs(ben)).toEqual(["View 2"]);
    expect(await tabs(ada)).toEqual(["Board"]);
    await ben.screenshot({ path: join(screenshots, "board-tabs-own.png") });
    // Back to the board for what follows.
    await ben.getByRole("button", { name: /^Views \(1\)/ }).click();
    await ben.getByRole("button", { name: "Open Board" }).click();
    await poll(() => tabs(ben)).toEqual(["View 2", "Board"]);
  });

  it("says Offline at once when the browser goes offline, refuses changes meanwhile, and never reports one undone", async () => {
    // Each screen draws the notes in its sight: compare each with itself.
    const notes = await idsOf(ada, "note");
    const bens = await idsOf(ben, "note");
    await adaContext.setOffline(true);
    await poll(() => status(ada).textContent(), 8_000).toBe("Offline");
    await ada.getByRole("status").filter({ hasText: "You are offline" }).waitFor();
    expect(await ada.getByRole("button", { name: "New note (N)" }).isDisabled()).toBe(true);
    // The keyboard shortcut is refused too, and says so: nothing was sent.
    const pane = await canvas(ada);
    await ada.mouse.click(pane.x + 900, pane.y + 60);
    await ada.keyboard.press("n");
    await poll(() => said(ada)).toMatch(/offline/i);
    await ada.screenshot({ path: join(screenshots, "board-offline-refused.png") });
    await ada.waitForTimeout(11_000);
    expect(await said(ada)).not.toMatch(/undone/);
    expect(await idsOf(ada, "note")).toEqual(notes);
    await adaContext.setOffline(false);
    await online(ada);
    await ada.waitForTimeout(1_500);
    expect(await idsOf(ben, "note")).toEqual(bens);
    expect(await idsOf(ada, "note")).toEqual(notes);
    expect(await said(ada)).not.toMatch(/undone/);
  });

  it("sends again, under the same request id, a change whose answer was lost, and tells the truth", async () => {
    const { page: flakyAda } = await openAs(adaSession, path, { flaky: true });
    // Ben looks at the whole board, so every note is drawn on his screen.
    await ben.getByRole("button", { name: "Fit View" }).click();
    await ben.waitForTimeout(300);
    const notes = await idsOf(ben, "note");
    flaky.mode = "lose-answers";
    await flakyAda.getByRole("button", { name: "New note (N)" }).click();
    // The gateway took it (Ben sees it), but its answer never reaches Ada's page.
    await poll(async () => (await idsOf(ben, "note")).length).toBe(notes.length + 1);
    // Her page notices the silent link by its heartbeat, and says the change is waiting, not undone.
    await poll(() => status(flakyAda).textContent(), 15_000).toBe("Offline");
    await poll(() => said(flakyAda)).toMatch(/1 change waiting/);
    await flakyAda.screenshot({ path: join(screenshots, "board-offline-waiting.png") });
    await flakyAda.waitForTimeout(3_000);
    expect(await said(flakyAda)).not.toMatch(/undone/);
    flaky.mode = "pass";
    await online(flakyAda, 60_000);
    await poll(async () => (await idsOf(flakyAda, "note")).length).toBe(notes.length + 1);
    await poll(() => said(flakyAda)).not.toMatch(/waiting/);
    expect(await said(flakyAda)).not.toMatch(/undone|refused/i);
    // Exactly one note was made, for everyone.
    await ben.getByRole("button", { name: "Fit View" }).click();
    await ben.waitForTimeout(300);
    expect((await idsOf(ben, "note")).length).toBe(notes.length + 1);
  });
});
