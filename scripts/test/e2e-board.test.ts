/**
 * The project editor end to end: `npm start`, two people of one organization open the same
 * project in two Chromium contexts; a note typed by one appears live for the other, moves,
 * a chat, presence, and everything is still there after a reload.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser";
import { freeStackPorts, startStack, type RunningStack } from "./stack";

const screenshots = resolve(import.meta.dirname, "../../docs/screenshots");
let dataDir: string;
let stack: RunningStack;
let browser: Browser;

/** A signed-in API client of the running stack (cookie session, as the web app). */
function client(base: string) {
  let cookie = "";
  const call = async <T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { origin: base, "content-type": "application/json", cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const session = /kiln_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "");
    if (session) cookie = `kiln_session=${session[1]}`;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return { call, session: () => cookie.split("=")[1]! };
}

async function openAs(session: string, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  await context.addCookies([{ name: "kiln_session", value: session, url: stack.url }]);
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error));
  await page.goto(`${stack.url}${path}`);
  await page.getByTestId("connection-status").getByText("Online").waitFor({ timeout: 30_000 });
  return page;
}

/** Where a node sits on the board (its flow position, whatever the zoom). */
const position = (page: Page) => page.locator(".react-flow__node-note").first().evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform);

let ada: Page;
let ben: Page;
let path: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "kiln-board-"));
  stack = await startStack({ ...(await freeStackPorts()), KILN_DATA_DIR: dataDir });
  browser = await launchChromium();
  await mkdir(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the project editor", () => {
  it("opens the same project for two members of an organization", async () => {
    const a = client(stack.url);
    const b = client(stack.url);
    const benEmail = `ben-${crypto.randomUUID()}@kiln.test`;
    await a.call("/api/auth/signup", { email: `ada-${crypto.randomUUID()}@kiln.test`, password: "board test password", name: "Ada" });
    const org = await a.call<{ id: string }>("/api/orgs", { name: "Board team" });
    const project = await a.call<{ id: string }>(`/api/orgs/${org.id}/projects`, { name: "Roadmap", visibility: "org" });
    await a.call(`/api/orgs/${org.id}/invitations`, { email: benEmail, role: "member" });
    await b.call("/api/auth/signup", { email: benEmail, password: "board test password", name: "Ben" });
    const mail = await b.call<{ messages: { text: string; subject: string }[] }>(`/api/dev/mailbox/messages?to=${encodeURIComponent(benEmail)}`);
    const token = mail.messages.map((m) => /invitations\/accept\?token=([\w-]+)/.exec(m.text)?.[1]).find(Boolean);
    expect(token).toBeTruthy();
    await b.call("/api/invitations/accept", { token });

    path = `/orgs/${org.id}/projects/${project.id}`;
    ada = await openAs(a.session(), path);
    ben = await openAs(b.session(), path);
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
