/**
 * Around the board, end to end in Chromium against `npm start`, with two people (and an
 * outsider): creating a project opens it and the list says who edited it last; the invitation
 * page names the org, the inviter and the role to someone signed out and signs them up with the
 * invited address; a project someone may not open says so (no access, or not found) instead of
 * showing the board; the members page saves a role change out loud and offers no "Leave" to
 * the only owner; the audit log says whose role changed; custom roles are picked in words; and
 * `npm start`'s terminal stayed readable through all of it.
 * With KILN_SCREENSHOTS=<dir> it saves each screen there at 1440×900 and 390×844.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser";
import { PASSWORD, clickMailboxLink, confirmEmail, expectNoSideScroll, signUp } from "./e2e-people";
import { freeStackPorts, startStack, type RunningStack } from "./stack";

const shots = process.env.KILN_SCREENSHOTS;

let dataDir: string;
let stack: RunningStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const run = crypto.randomUUID().slice(0, 8);
const ada = { name: "Ada Lovelace", email: `ada-${run}@kiln.test` };
const bob = { name: "Bob Noyce", email: `bob-${run}@kiln.test` };
const cy = { name: "Cy Outsider", email: `cy-${run}@kiln.test` };
let adaPage: Page;
let bobPage: Page;
let orgUrl = "";
let roadmapUrl = "";
let secretUrl = "";

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/**
 * Looks at the page at 1440×900 and on a phone (390×844): no sideways scroll on either, and on
 * the phone the top bar's Sign out within the screen; with KILN_SCREENSHOTS, saves `name.png`
 * and `name-phone.png`.
 */
async function lookAt(page: Page, name: string, ready: () => Promise<unknown>) {
  const take = async (suffix: string) => {
    if (!shots) return;
    await page.evaluate("window.scrollTo(0, 0)");
    await page.waitForTimeout(300); // colour transitions
    await page.screenshot({ path: join(shots, `${name}${suffix}.png`) });
  };
  await expectNoSideScroll(page, `${name} at 1440×900`);
  await take("");
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await ready();
    await expectNoSideScroll(page, `${name} at 390×844`);
    const signOut = page.getByRole("button", { name: "Sign out" });
    if ((await signOut.count()) > 0) {
      const box = await signOut.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390, `${name}: Sign out within a phone's screen`).toBe(true);
    }
    await take("-phone");
  } finally {
    await page.setViewportSize({ width: 1440, height: 900 });
  }
}

const connection = (page: Page) => page.getByTestId("connection-status");

/** What a page script reads of the page (the scripts' tsconfig has no DOM types). */
type PageGlobals = { document: { elementFromPoint(x: number, y: number): { classList: { contains(name: string): boolean } } | null } };

/** The gateway's path for an app address `/orgs/{slug}/…`: the gateway knows orgs by id, which the API gives for the slug. */
async function gatewayPath(page: Page, url: string): Promise<string> {
  const [, slug, ...rest] = new URL(url).pathname.split("/").slice(1);
  const org = await page.evaluate(async (s) => (await (await fetch(`/api/orgs/${s}`)).json()) as { id: string }, slug!);
  return ["", "gw", org.id, ...rest].join("/");
}

/** Resets sockets through the dev server as a browser tab killed mid-request does: a proxied WebSocket and a half-sent POST. */
async function cutConnections(port: number, socketPath: string) {
  const cut = (request: string) =>
    new Promise<void>((done) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(request);
        setTimeout(() => {
          socket.resetAndDestroy();
          done();
        }, 300);
      });
      socket.on("error", () => done());
    });
  const host = `Host: localhost:${port}\r\nOrigin: http://localhost:${port}\r\n`;
  for (let i = 0; i < 2; i++) {
    await cut(`GET ${socketPath} HTTP/1.1\r\n${host}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await cut(`POST /api/auth/signup HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":`);
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "kiln-e2e-around-"));
  if (shots) await mkdir(shots, { recursive: true });
  stack = await startStack({ ...(await freeStackPorts()), KILN_DATA_DIR: dataDir });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("around the board", () => {
  it("opens a new project at once, and lists who edited it last", async () => {
    adaPage = await newPage();
    await signUp(adaPage, stack.url, ada);
    await confirmEmail(adaPage, stack.url, ada.email);
    await adaPage.goto(stack.url);
    await adaPage.getByLabel("Name", { exact: true }).fill("Acme Labs");
    await adaPage.getByRole("button", { name: "Create organization" }).click();
    await adaPage.getByRole("heading", { level: 1, name: "Acme Labs" }).waitFor();
    orgUrl = adaPage.url();
    await adaPage.getByLabel("Name", { exact: true }).fill("Roadmap");
    await adaPage.getByRole("button", { name: "Create project" }).click();
    await connection(adaPage).getByText("Online").waitFor();
    // The org by its slug in the address, the project by its id.
    expect(new URL(adaPage.url()).pathname).toMatch(/^\/orgs\/acme-labs\/projects\/[0-9a-f-]{36}$/);
    roadmapUrl = adaPage.url();
    await adaPage.getByRole("navigation", { name: "Breadcrumb" }).getByText("Roadmap").waitFor();

    // A note sent as an event (the board's own tools belong to its tests): an edit by Ada.
    const path = `${await gatewayPath(adaPage, adaPage.url())}/events`;
    const status = await adaPage.evaluate(
      async (p) => (await fetch(p, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "notes:create", requestId: "e2e-1", viewId: "main", text: "first" }) })).status,
      path,
    );
    expect(status).toBe(200);
    await adaPage.goto(orgUrl);
    await adaPage.getByRole("link", { name: /Roadmap/ }).first().getByText(/edited (just now|\d+ seconds? ago) by Ada Lovelace/).waitFor();
    await lookAt(adaPage, "projects-last-edited", () => adaPage.getByText(/edited .* by Ada Lovelace/).waitFor());
  });

  it("shows a signed-out invitee the org, the inviter and the role, and signs them up with the invited address", async () => {
    await adaPage.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Members" }).click();
    await adaPage.getByLabel("Email", { exact: true }).fill(bob.email);
    await adaPage.getByRole("button", { name: "Send invitation" }).click();
    await adaPage.getByRole("status").getByText(`Invitation sent to ${bob.email}`).waitFor();

    bobPage = await newPage();
    await clickMailboxLink(bobPage, stack.url, bob.email, "/invitations/accept?token=");
    const invitation = bobPage.getByText(/invited .* to join .* on Kiln/);
    await invitation.waitFor();
    expect((await invitation.textContent())?.replace(/\s+/g, " ")).toBe(
      `Ada Lovelace invited ${bob.email} to join Acme Labs on Kiln as a member: you see the organization's projects and create your own.`,
    );
    await bobPage.getByRole("heading", { name: "Join Acme Labs" }).waitFor();
    await lookAt(bobPage, "invitation-signed-out", () => invitation.waitFor());
    const invitationUrl = bobPage.url();

    await bobPage.getByRole("link", { name: "Create an account to join" }).click();
    const email = bobPage.getByLabel("Email", { exact: true });
    await email.waitFor();
    expect(await email.inputValue()).toBe(bob.email);
    await bobPage.getByLabel("Your name", { exact: true }).fill(bob.name);
    await bobPage.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await bobPage.getByRole("button", { name: "Create account" }).click();
    // Back on the invitation, signed in now.
    await bobPage.getByText(`You will join as ${bob.email}.`).waitFor();
    expect(bobPage.url()).toBe(invitationUrl);
    await confirmEmail(bobPage, stack.url, bob.email);
    await bobPage.goto(invitationUrl);
    await bobPage.getByRole("button", { name: "Accept invitation" }).click();
    // Exact: the invitation page's own heading is "Join Acme Labs".
    await bobPage.getByRole("heading", { level: 1, name: "Acme Labs", exact: true }).waitFor();
    // Bob sees the same last edit Ada does.
    await bobPage.getByText(/edited .* by Ada Lovelace/).waitFor();
  });

  it("tells someone who may not open a project why, instead of showing the board", async () => {
    await adaPage.goto(orgUrl);
    await adaPage.getByLabel("Name", { exact: true }).fill("Secret Lab");
    await adaPage.getByLabel("Only the project's members", { exact: true }).check();
    await adaPage.getByRole("button", { name: "Create project" }).click();
    await connection(adaPage).getByText("Online").waitFor();
    secretUrl = adaPage.url();

    await bobPage.goto(secretUrl);
    await bobPage.getByRole("heading", { name: "You do not have access to this project" }).waitFor();
    await bobPage.getByText("This project of Acme Labs is open to its members only. Ask one of its admins to add you.").waitFor();
    expect(await connection(bobPage).count()).toBe(0);
    expect(await bobPage.getByRole("tab").count()).toBe(0);
    await lookAt(bobPage, "project-no-access", () => bobPage.getByRole("heading", { name: "You do not have access to this project" }).waitFor());

    await bobPage.goto(`${orgUrl}/projects/${crypto.randomUUID()}`);
    await bobPage.getByRole("heading", { name: "This project does not exist" }).waitFor();
    expect(await connection(bobPage).count()).toBe(0);
    await lookAt(bobPage, "project-not-found", () => bobPage.getByRole("heading", { name: "This project does not exist" }).waitFor());

    const cyPage = await newPage();
    await signUp(cyPage, stack.url, cy);
    await cyPage.goto(secretUrl);
    await cyPage.getByRole("heading", { name: "You do not have access to this project" }).waitFor();
    await cyPage.getByText("It belongs to an organization you are not a member of. Ask one of its admins to invite you.").waitFor();
    expect(await cyPage.getByText("Acme Labs").count()).toBe(0);
  });

  it("says a role change was saved, offers no Leave to the only owner, and logs whose role changed", async () => {
    await adaPage.goto(`${orgUrl}/members`);
    const members = adaPage.getByRole("list", { name: "Members" });
    await members.getByText(bob.name).waitFor();
    expect(await members.getByRole("button", { name: "Leave" }).count()).toBe(0);
    await members.getByText("Only owner: cannot leave").waitFor();
    await adaPage.getByLabel(`Role of ${bob.name}`).selectOption("admin");
    await adaPage.getByRole("status").getByText(`Saved: ${bob.name} is an admin now.`).waitFor();
    await lookAt(adaPage, "org-members-saved", () => adaPage.getByRole("status").getByText(`Saved: ${bob.name} is an admin now.`).waitFor());
    // Bob's own screen says so after a reload; he is not the only owner, but no owner: he may leave.
    await bobPage.goto(`${orgUrl}/members`);
    await bobPage.getByRole("list", { name: "Members" }).getByText("admin", { exact: true }).waitFor();
    await bobPage.getByRole("list", { name: "Members" }).getByRole("button", { name: "Leave" }).waitFor();

    await adaPage.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Audit log" }).click();
    await adaPage.getByRole("cell", { name: `changed ${bob.name}’s role from member to admin` }).waitFor();
    await adaPage.getByRole("cell", { name: `invited ${bob.email} as member` }).waitFor();
    await adaPage.getByRole("cell", { name: "created the project Secret Lab" }).waitFor();
    await lookAt(adaPage, "audit-log-words", () => adaPage.getByRole("cell", { name: /changed .* role/ }).waitFor());
  });

  it("picks a custom role's permissions in words, with the codes tucked away", async () => {
    await adaPage.goto(`${secretUrl}/settings/roles`);
    await adaPage.getByText("No custom roles yet").waitFor();
    await adaPage.getByLabel("Write in any chat", { exact: true }).waitFor();
    // The raw strings are behind "Advanced", closed for a role that has none.
    expect(await adaPage.getByLabel("Other permissions").isVisible()).toBe(false);
    await adaPage.getByLabel("Role name", { exact: true }).fill("Reviewer");
    await adaPage.getByLabel("Write in any chat", { exact: true }).check();
    await adaPage.getByRole("button", { name: "Create role" }).click();
    const chips = adaPage.getByLabel("Permissions of Reviewer");
    await chips.getByText("Write in any chat").waitFor();
    expect(await chips.textContent()).not.toMatch(/chats:/);
    await lookAt(adaPage, "project-roles-words", () => chips.waitFor());
  });

  it("tells two organizations of the same name apart by their slugs, which their addresses carry", async () => {
    await adaPage.goto(stack.url);
    await adaPage.getByLabel("Name", { exact: true }).fill("Acme Labs");
    await adaPage.getByRole("button", { name: "Create organization" }).click();
    await adaPage.getByRole("heading", { level: 1, name: "Acme Labs" }).waitFor();
    expect(new URL(adaPage.url()).pathname).toBe("/orgs/acme-labs-2");
    expect(new URL(orgUrl).pathname).toBe("/orgs/acme-labs");
    await adaPage.getByTitle("This organization's address", { exact: false }).getByText("@acme-labs-2").waitFor();
    await adaPage.goto(stack.url);
    const tiles = adaPage.getByRole("link", { name: /^Acme Labs @/ });
    await tiles.nth(1).waitFor();
    const slugs = await tiles.getByTitle("address", { exact: false }).allTextContents();
    expect(slugs.sort()).toEqual(["@acme-labs", "@acme-labs-2"]);
    await lookAt(adaPage, "orgs-same-name", () => tiles.nth(1).waitFor());
    // An older link naming the org by id still works, and the address becomes the slug's.
    const id = (await gatewayPath(adaPage, `${orgUrl}/members`)).split("/")[2]!;
    await adaPage.goto(`${stack.url}/orgs/${id}/members`);
    await adaPage.waitForURL(`${stack.url}/orgs/acme-labs/members`);
    await adaPage.getByRole("heading", { level: 1, name: "Acme Labs" }).waitFor();
  });

  it("on a phone: the board fills the screen (no sideways scroll, the chats panel closed until asked for), a tap makes and selects a note, two fingers zoom, one pans", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    contexts.push(context);
    await context.addCookies(await adaPage.context().cookies());
    const phone = await context.newPage();
    await phone.goto(roadmapUrl);
    await connection(phone).getByText("Online").waitFor();
    await expectNoSideScroll(phone, "the board at 390×844");
    const chats = phone.getByRole("button", { name: "Chats" });
    expect(await chats.getAttribute("aria-pressed")).toBe("false");
    expect(await phone.locator(".chat-panel").count()).toBe(0);
    // A tap on the Note tool makes a note; a tap elsewhere and a tap on it select it.
    await phone.getByRole("toolbar", { name: "Board tools" }).getByRole("button", { name: /^New note/ }).tap();
    const note = phone.locator(".react-flow__node-note").first();
    await note.waitFor();
    await phone.keyboard.press("Escape");
    const box = (await note.boundingBox())!;
    await phone.touchscreen.tap(box.x + box.width / 2, box.y + 8);
    await expect.poll(() => note.getAttribute("class")).toContain("selected");
    if (shots) await phone.screenshot({ path: join(shots, "board-phone.png") });
    // Two fingers spread on the board zoom in; one finger dragged on it pans.
    const zoom = async () => Number(/Zoom (\d+)%/.exec((await phone.locator(".zoom-percent").getAttribute("aria-label")) ?? "")?.[1]);
    const pane = (await phone.locator(".board-canvas").boundingBox())!;
    const touch = await context.newCDPSession(phone);
    const fingers = async (type: "touchStart" | "touchMove" | "touchEnd", points: { x: number; y: number }[]) =>
      touch.send("Input.dispatchTouchEvent", { type, touchPoints: points.map((p, id) => ({ ...p, id })) });
    // A row of the board where both fingers are on its empty pane (not on a note, not on the minimap).
    const onPane = (x: number, yy: number) => phone.evaluate(([px, py]) => (globalThis as unknown as PageGlobals).document.elementFromPoint(px!, py!)?.classList.contains("react-flow__pane") === true, [x, yy]);
    let y = pane.y + 20;
    while (!((await onPane(pane.x + 60, y)) && (await onPane(pane.x + 330, y)) && (await onPane(pane.x + 150, y)) && (await onPane(pane.x + 240, y)))) {
      y += 20;
      expect(y, "an empty row on the phone's board").toBeLessThan(pane.y + pane.height);
    }
    const before = await zoom();
    await fingers("touchStart", [{ x: pane.x + 150, y }, { x: pane.x + 240, y }]);
    for (let step = 1; step <= 10; step++) await fingers("touchMove", [{ x: pane.x + 150 - step * 9, y }, { x: pane.x + 240 + step * 9, y }]);
    await fingers("touchEnd", []);
    await expect.poll(zoom).toBeGreaterThan(before);
    const from = (await note.boundingBox())!;
    await fingers("touchStart", [{ x: pane.x + 200, y }]);
    for (let step = 1; step <= 10; step++) await fingers("touchMove", [{ x: pane.x + 200, y: y - step * 10 }]);
    await fingers("touchEnd", []);
    await expect.poll(async () => Math.round(from.y - (await note.boundingBox())!.y)).toBeGreaterThan(80);
    // The panel opens over the board when asked, and the page still does not scroll sideways.
    await chats.tap();
    await phone.locator(".chat-panel").waitFor();
    await expectNoSideScroll(phone, "the board with its chats at 390×844");
    if (shots) await phone.screenshot({ path: join(shots, "board-phone-chats.png") });
  });

  it("kept npm start's terminal readable: no request lines, no stack traces when browsers leave, the next step after the URL", async () => {
    const port = Number(new URL(stack.url).port);
    const socketPath = `${await gatewayPath(adaPage, secretUrl)}/ws?token=gone&json=1`;
    await cutConnections(port, socketPath);
    for (const context of contexts.splice(0)) await context.close();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const output = stack.output();
    const lines = output.split("\n");
    const at = lines.findIndex((l) => l.includes("Kiln is running at"));
    expect(lines[at + 1]).toContain(`Sign up at ${stack.url}/signup, then open the dev mailbox at ${stack.url}/api/dev/mailbox`);
    expect(output).not.toMatch(/\[wrangler:info\] (GET|POST|PATCH|PUT|DELETE) \//);
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toMatch(/ECONNRESET|Network connection lost/);
  });
});
