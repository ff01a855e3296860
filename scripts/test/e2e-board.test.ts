/**
 * The project editor end to end: `npm start`, two people of one organization open the same
 * project in two Chromium contexts; a note typed by one appears live for the other, moves,
 * a chat, presence, and everything is still there after a reload.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshots, twoMembersOnOneProject, useStackAndBrowser } from "./e2e-board-setup";

const run = useStackAndBrowser("board");

const openAs = (session: string, path: string): Promise<Page> => run.openBoard(session, path, { width: 1280, height: 760 });

/** Where a node sits on the board (its flow position, whatever the zoom). */
const position = (page: Page) => page.locator(".react-flow__node-note").first().evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform);

let ada: Page;
let ben: Page;
let path: string;

describe("the project editor", () => {
  it("opens the same project for two members of an organization", async () => {
    const people = await twoMembersOnOneProject(run.stack().url, { org: "Board team", project: "Roadmap" });
    path = people.path;
    ada = await openAs(people.ada, path);
    ben = await openAs(people.ben, path);
    await expect.poll(() => ada.getByTestId("peer-avatar").count()).toBe(1);
  });

  it("shows a note typed by one person live to the other", async () => {
    await ada.getByRole("button", { name: "New note (N)" }).click();
    const adaNote = ada.getByLabel("Note text");
    await adaNote.waitFor();
    await adaNote.click();
    await adaNote.pressSequentially("# Plan\nShip the board.", { delay: 15 });
    const benNote = ben.getByLabel("Note text");
    await expect.poll(() => benNote.inputValue(), { timeout: 10_000 }).toBe("# Plan\nShip the board.");
    // Both type at once and converge.
    await benNote.click();
    await benNote.press("End");
    await benNote.pressSequentially(" Today!", { delay: 10 });
    await expect.poll(() => adaNote.inputValue(), { timeout: 10_000 }).toBe("# Plan\nShip the board. Today!");
  });

  it("moves a note for everyone", async () => {
    const header = ada.locator(".board-note header").first();
    const box = (await header.boundingBox())!;
    const before = await position(ben);
    await ada.mouse.move(box.x + 30, box.y + box.height / 2);
    await ada.mouse.down();
    for (let i = 1; i <= 10; i++) await ada.mouse.move(box.x + 30 + i * 18, box.y + box.height / 2 + i * 8);
    // The other person sees the drag while it happens (awareness), before the drop.
    await expect.poll(() => position(ben), { timeout: 5_000 }).not.toBe(before);
    await ada.mouse.up();
    const moved = await position(ada);
    await expect.poll(() => position(ben), { timeout: 5_000 }).toBe(moved);
  });

  it("chats about the note, with unread counts and the author's name", async () => {
    await ada.locator(".board-note .node-chip").first().click();
    const composer = ada.getByLabel("Message", { exact: true });
    await composer.waitFor();
    await composer.fill("Can you review the plan?");
    await composer.press("Enter");
    await ada.getByText("Can you review the plan?").waitFor();
    // Ben sees the unread chat, opens it, sees who wrote it.
    await ben.locator(".chat-list").getByText("About this note").waitFor({ timeout: 10_000 });
    await expect.poll(() => ben.locator(".chat-list .badge").textContent()).toBe("1");
    await ben.locator(".chat-list").getByText("About this note").click();
    await ben.getByText("Can you review the plan?").waitFor();
    expect(await ben.locator(".message .message-meta b").first().textContent()).toBe("Ada");
    // Ada sees Ben typing.
    await ben.getByLabel("Message", { exact: true }).pressSequentially("Looks g", { delay: 20 });
    await ada.getByText("Ben is typing…").waitFor({ timeout: 5_000 });
    await ben.getByLabel("Message", { exact: true }).pressSequentially("ood", { delay: 10 });
    await ben.getByLabel("Message", { exact: true }).press("Enter");
    await ada.getByText("Looks good").waitFor();
  });

  it("shows the other person's cursor with their name", async () => {
    const pane = (await ada.locator(".board-canvas").boundingBox())!;
    await ada.mouse.move(pane.x + pane.width / 2 + 80, pane.y + pane.height / 2 + 120, { steps: 5 });
    const cursor = ben.getByTestId("peer-cursor");
    await cursor.waitFor({ timeout: 5_000 });
    expect(await cursor.textContent()).toBe("Ada");
    await ben.mouse.move(pane.x + 200, pane.y + 120, { steps: 5 });
    await ada.getByTestId("peer-cursor").waitFor({ timeout: 5_000 });
    await ada.screenshot({ path: join(screenshots, "board.png") });
    await ben.screenshot({ path: join(screenshots, "board-second-user.png") });
  });

  it("keeps everything after a reload", async () => {
    await ben.reload();
    await ben.getByTestId("connection-status").getByText("Online").waitFor({ timeout: 30_000 });
    await expect.poll(() => ben.getByLabel("Note text").inputValue(), { timeout: 10_000 }).toBe("# Plan\nShip the board. Today!");
    await ben.locator(".chat-list").getByText("About this note").click();
    await ben.getByText("Can you review the plan?").waitFor();
    await ben.getByText("Looks good").waitFor();
    expect(await position(ben)).toBe(await position(ada));
    await ben.screenshot({ path: join(screenshots, "board-after-reload.png") });
  });
});
