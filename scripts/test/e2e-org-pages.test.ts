/**
 * Organization and project settings end to end, in Chromium against `npm start`: rename
 * the organization and change its address (an old link still opening it); a members-only project Bob cannot open until Ada adds him; a custom role
 * created and given to Bob through the gateway, and a role granting nothing that makes him a
 * read-only viewer of an open project; tabs kept per person; the pages holding at 1280×720
 * and 1920×1080 with their keyboard order; and the page someone was going to, kept through a
 * password reset and an emailed sign-in link.
 * With KILN_SCREENSHOTS=<dir> it saves these screens there (docs/screenshots/).
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser";
import { clickMailboxLink, confirmEmail, expectNoSideScroll, signUp } from "./e2e-people";
import { freeStackPorts, startStack, type RunningStack } from "./stack";

const shots = process.env.KILN_SCREENSHOTS;

let dataDir: string;
let stack: RunningStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const run = crypto.randomUUID().slice(0, 8);
const ada = { name: "Ada Lovelace", email: `ada-${run}@kiln.test` };
const bob = { name: "Bob Noyce", email: `bob-${run}@kiln.test` };
let adaPage: Page;
let bobPage: Page;
let orgUrl = "";
let projectUrl = "";

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/**
 * Looks at the page at 1280×720 and 1920×1080: no sideways scroll at either. With
 * KILN_SCREENSHOTS, saves `name.png`, `name-dark.png` and `name-1920.png`.
 */
async function lookAt(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  const take = async (suffix: string) => {
    if (!shots) return;
    await page.evaluate("window.scrollTo(0, 0)");
    await page.waitForTimeout(300); // colour transitions
    await page.screenshot({ path: join(shots, `${name}${suffix}.png`), fullPage: options.fullPage });
  };
  await expectNoSideScroll(page, `${name} at 1280×720`);
  await take("");
  await page.emulateMedia({ colorScheme: "dark" });
  await take("-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expectNoSideScroll(page, `${name} at 1920×1080`);
  await take("-1920");
  await page.setViewportSize({ width: 1280, height: 720 });
}

async function signOut(page: Page) {
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in to Kiln" }).waitFor();
}

const connection = (page: Page) => page.getByTestId("connection-status");

/** The names of the first `count` elements Tab reaches on a freshly loaded page (label, aria-label or text). */
async function focusOrder(page: Page, count: number, ready: () => Promise<void>): Promise<string[]> {
  await page.reload();
  await ready();
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    await page.keyboard.press("Tab");
    names.push(
      await page.evaluate<string>(`(() => {
        const el = document.activeElement;
        if (!el) return "";
        const label = el.labels?.[0]?.textContent ?? el.getAttribute("aria-label") ?? el.textContent ?? "";
        return label.replace(/\\s+/g, " ").trim();
      })()`),
    );
  }
  return names;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "kiln-e2e-org-"));
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

describe("organization and project settings in the browser", () => {
  it("renames the organization from its settings", async () => {
    adaPage = await newPage();
    await signUp(adaPage, stack.url, ada);
    await adaPage.getByLabel("Name", { exact: true }).fill("Acme Research");
    await adaPage.getByRole("button", { name: "Create organization" }).click();
    await adaPage.getByRole("heading", { level: 1, name: "Acme Research" }).waitFor();
    orgUrl = adaPage.url();
    await adaPage.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Settings" }).click();
    const name = adaPage.getByLabel("Organization name", { exact: true });
    await name.fill("Acme Labs");
    await adaPage.getByRole("button", { name: "Save name" }).click();
    await adaPage.getByRole("status").getByText("Renamed to Acme Labs.").waitFor();
    await adaPage.getByRole("heading", { level: 1, name: "Acme Labs" }).waitFor();
    // The delete button waits for the exact name.
    expect(await adaPage.getByRole("button", { name: "Delete this organization" }).isDisabled()).toBe(true);
    await lookAt(adaPage, "org-settings");
    // Keyboard: the skip link first, the top bar (and the unconfirmed-email banner), the breadcrumb, the org's tabs, then the form.
    expect(await focusOrder(adaPage, 14, () => adaPage.getByLabel("Organization name").waitFor())).toEqual([
      "Skip to content",
      "Kiln",
      "Organizations",
      "Account",
      "Sign out",
      "Send it again",
      "Organizations",
      "Projects",
      "Members",
      "Audit log",
      "Settings",
      "Organization name",
      "Organization address",
      "Type “Acme Labs” to confirm",
    ]);
    await adaPage.goto(`${stack.url}/`);
    await adaPage.getByRole("link", { name: /Acme Labs/ }).waitFor();
    expect(await adaPage.getByText("Acme Research").count()).toBe(0);
  });

  it("changes the organization's address in place, and an old link still opens it", async () => {
    const oldUrl = orgUrl;
    expect(oldUrl).toBe(`${stack.url}/orgs/acme-research`);
    await adaPage.goto(`${oldUrl}/settings`);
    const address = adaPage.getByLabel("Organization address", { exact: true });
    expect(await address.inputValue()).toBe("acme-research");
    const preview = adaPage.getByTestId("org-address-preview");
    // A refusal the person can act on, under the field, as they type; Save waits for a good one.
    await address.fill("Acme Labs");
    expect(await preview.textContent()).toMatch(/will be at .*\/orgs\/Acme Labs$/);
    await adaPage.getByText(/^Use lowercase letters, digits and single hyphens/).waitFor();
    expect(await address.getAttribute("aria-invalid")).toBe("true");
    expect(await adaPage.getByRole("button", { name: "Save address" }).isDisabled()).toBe(true);

    // Saved: said so, and the page moved to the new address without loading again.
    await adaPage.evaluate("window.sameDocument = true");
    await address.fill("acme-labs");
    expect(await preview.textContent()).toMatch(/will be at .*\/orgs\/acme-labs$/);
    await adaPage.getByRole("button", { name: "Save address" }).click();
    await adaPage.getByRole("status").getByText("Saved. The address is now /orgs/acme-labs; links to /orgs/acme-research still lead here.").waitFor();
    await adaPage.waitForURL(`${stack.url}/orgs/acme-labs/settings`);
    expect(await adaPage.evaluate("window.sameDocument")).toBe(true);
    expect(await adaPage.getByTitle(/This organization's address/).textContent()).toBe("@acme-labs");
    await adaPage.setViewportSize({ width: 1440, height: 900 });
    await expectNoSideScroll(adaPage, "the org's address saved, at 1440×900");
    if (shots) {
      // From the top, or as near it as shows the whole address card.
      await adaPage.evaluate(`(() => {
        window.scrollTo(0, 0);
        const card = document.querySelector('[aria-labelledby="org-address-title"]');
        window.scrollBy(0, Math.max(0, card.getBoundingClientRect().bottom + 24 - window.innerHeight));
      })()`);
      await adaPage.waitForTimeout(300); // colour transitions
      await adaPage.screenshot({ path: join(shots, "org-address.png") });
    }
    await adaPage.setViewportSize({ width: 1280, height: 720 });

    // The old link opens the org at its new address; so does the old link of a page in it.
    await adaPage.goto(`${oldUrl}/members`);
    await adaPage.waitForURL(`${stack.url}/orgs/acme-labs/members`);
    await adaPage.getByRole("heading", { level: 1, name: "Acme Labs" }).waitFor();
    orgUrl = `${stack.url}/orgs/acme-labs`;
  });

  it("keeps Bob out of a members-only project until Ada adds him", async () => {
    await adaPage.goto(`${orgUrl}/members`);
    await adaPage.getByLabel("Email", { exact: true }).fill(bob.email);
    await adaPage.getByRole("button", { name: "Send invitation" }).click();
    await adaPage.getByRole("status").getByText(`Invitation sent to ${bob.email}`).waitFor();
    bobPage = await newPage();
    await signUp(bobPage, stack.url, bob);
    await confirmEmail(bobPage, stack.url, bob.email);
    await clickMailboxLink(bobPage, stack.url, bob.email, "/invitations/accept?token=");
    await bobPage.getByRole("button", { name: "Accept invitation" }).click();
    // Exact: the invitation page's own heading is "Join Acme Labs".
    await bobPage.getByRole("heading", { level: 1, name: "Acme Labs", exact: true }).waitFor();

    await adaPage.goto(orgUrl);
    await adaPage.getByLabel("Name", { exact: true }).fill("Secret Lab");
    await adaPage.getByLabel("Only the project's members", { exact: true }).check();
    await adaPage.getByRole("button", { name: "Create project" }).click();
    // Creating a project opens its board.
    await connection(adaPage).getByText("Online").waitFor();
    projectUrl = adaPage.url();

    await bobPage.goto(orgUrl);
    await bobPage.getByText("No projects yet").waitFor();
    await bobPage.goto(projectUrl);
    await bobPage.getByRole("heading", { name: "You do not have access to this project" }).waitFor();
    expect(await connection(bobPage).count()).toBe(0);
    await bobPage.goto(`${projectUrl}/settings`);
    await bobPage.getByRole("heading", { name: "You do not have access to this project" }).waitFor();

    await adaPage.goto(orgUrl);
    await adaPage.getByRole("link", { name: "Members and roles of Secret Lab" }).click();
    await adaPage.getByLabel("Person", { exact: true }).selectOption({ label: `${bob.name} (${bob.email})` });
    await adaPage.getByRole("button", { name: "Add to the project" }).click();
    await adaPage.getByRole("status").getByText(`${bob.name} is in the project now.`).waitFor();
    expect(await adaPage.getByLabel(`Project role of ${bob.name}`).inputValue()).toBe("member");
    await lookAt(adaPage, "project-members");

    await bobPage.goto(projectUrl);
    await connection(bobPage).getByText("Online").waitFor();
    await bobPage.getByRole("tab", { name: "Board" }).waitFor();
  });

  it("creates a custom role and gives it to Bob, through the project's gateway", async () => {
    await adaPage.getByRole("navigation", { name: "Project settings" }).getByRole("link", { name: "Custom roles" }).click();
    await adaPage.getByText("No custom roles yet").waitFor();
    await adaPage.getByLabel("Role name", { exact: true }).fill("Reviewer");
    await adaPage.getByLabel("Write in any chat", { exact: true }).check();
    await adaPage.getByLabel("Resolve and reopen chats", { exact: true }).check();
    await adaPage.getByRole("button", { name: "Create role" }).click();
    await adaPage.getByRole("list", { name: "Custom roles" }).getByText("Reviewer").waitFor();
    const grant = adaPage.getByRole("checkbox", { name: `Reviewer for ${bob.name}` });
    await grant.check();
    await adaPage.getByText(/^1 person ·/).waitFor();
    await lookAt(adaPage, "project-roles", { fullPage: true });

    // Bob sees that he holds it, read-only; and so does Ada after a reload (it is in the doc).
    await bobPage.goto(`${projectUrl}/settings/roles`);
    const held = bobPage.getByRole("checkbox", { name: `Reviewer for ${bob.name}` });
    await held.waitFor();
    expect(await held.isChecked()).toBe(true);
    expect(await held.isDisabled()).toBe(true);
    await adaPage.reload();
    expect(await adaPage.getByRole("checkbox", { name: `Reviewer for ${bob.name}` }).isChecked()).toBe(true);
  });

  it("makes Bob a read-only viewer of an open project with a role that grants nothing, until it is taken back", async () => {
    await adaPage.goto(orgUrl);
    await adaPage.getByLabel("Name", { exact: true }).fill("Open Plan");
    await adaPage.getByRole("button", { name: "Create project" }).click();
    await connection(adaPage).getByText("Online").waitFor();
    await adaPage.goto(orgUrl);
    await adaPage.getByRole("link", { name: "Members and roles of Open Plan" }).click();
    await adaPage.getByRole("navigation", { name: "Project settings" }).getByRole("link", { name: "Custom roles" }).click();
    await adaPage.getByLabel("Role name", { exact: true }).fill("Viewer");
    await adaPage.getByRole("button", { name: "Create role" }).click();
    await adaPage.getByText(/no permissions: can only look/).waitFor();
    const viewer = adaPage.getByRole("checkbox", { name: `Viewer for ${bob.name}` });
    await viewer.check();
    await adaPage.getByText(/^1 person ·/).waitFor();

    await bobPage.goto(adaPage.url().replace(/\/settings\/roles$/, ""));
    await connection(bobPage).getByText("Online").waitFor();
    await bobPage.getByRole("button", { name: "New view" }).click();
    await bobPage.getByRole("alert").getByText("You lack the permission whiteboard:create.").waitFor();
    expect(await bobPage.getByRole("tab").count()).toBe(1);

    // Without custom roles he acts as a member of the org's open project again.
    await viewer.uncheck();
    await adaPage.getByText(/^0 people ·/).waitFor();
    await bobPage.getByRole("button", { name: "New view" }).click();
    await bobPage.getByRole("tab", { name: "View 2", selected: true }).waitFor();
  });

  it("opens a new view as a tab and reopens the project on each person's active tab", async () => {
    await adaPage.goto(projectUrl);
    await connection(adaPage).getByText("Online").waitFor();
    await adaPage.getByRole("button", { name: "New view" }).click();
    await adaPage.getByRole("tab", { name: "View 2", selected: true }).waitFor();
    await lookAt(adaPage, "project-tabs");
    // Keyboard: the breadcrumb, then the selected tab alone (arrows move between tabs), the new-view button.
    const order = await focusOrder(adaPage, 12, () => connection(adaPage).getByText("Online").waitFor());
    expect(order.slice(6)).toEqual(["Organizations", "Acme Labs", "Project settings", "View 2", "New view", "Chats"]);
    await adaPage.keyboard.press("Shift+Tab");
    await adaPage.keyboard.press("Shift+Tab");
    await adaPage.keyboard.press("ArrowLeft");
    expect(await adaPage.evaluate<string>("document.activeElement.textContent")).toBe("Board");
    await adaPage.reload();
    await adaPage.getByRole("tab", { name: "View 2", selected: true }).waitFor();
    // Bob's tabs are his own: Ada's new view is listed for him to open, not opened for him.
    await bobPage.goto(projectUrl);
    await bobPage.getByRole("tab", { name: "Board", selected: true }).waitFor();
    expect(await bobPage.getByRole("tab", { name: "View 2" }).count()).toBe(0);
    await bobPage.getByRole("button", { name: "Views (1) ▾" }).click();
    await bobPage.getByRole("button", { name: "Open View 2" }).click();
    await bobPage.getByRole("tab", { name: "View 2", selected: true }).waitFor();
  });

  it("holds the account page at both sizes, with its sections in keyboard order", async () => {
    // Loaded once the sessions (fetched after the page) are listed: until then their button is not there.
    const loaded = () => adaPage.getByRole("button", { name: "Sign out this browser" }).waitFor();
    await adaPage.goto(`${stack.url}/account`);
    await loaded();
    await lookAt(adaPage, "account-settings", { fullPage: true });
    // The left column top to bottom, then the right one (disabled buttons are skipped).
    const order = await focusOrder(adaPage, 12, loaded);
    expect(order.slice(6)).toEqual(["Name", "Current password", "New password", "Set up two-factor authentication", "Sign out this browser", "Create a key"]);
  });

  it("brings Bob back to the project after resetting his password", async () => {
    await bobPage.goto(orgUrl);
    await signOut(bobPage);
    await bobPage.goto(projectUrl);
    await bobPage.getByRole("heading", { name: "Sign in to Kiln" }).waitFor();
    await bobPage.getByRole("link", { name: "Forgot your password?" }).click();
    await bobPage.getByLabel("Email", { exact: true }).fill(bob.email);
    await bobPage.getByRole("button", { name: "Email me a reset link" }).click();
    await bobPage.getByRole("status").getByText(/a link to choose a new password is on its way/).waitFor();
    await clickMailboxLink(bobPage, stack.url, bob.email, "/reset-password?token=");
    await bobPage.getByLabel("New password", { exact: true }).fill("an even longer password");
    await bobPage.getByRole("button", { name: "Save password and sign in" }).click();
    await connection(bobPage).getByText("Online").waitFor();
    expect(bobPage.url()).toBe(projectUrl);
  });

  it("brings Bob back to the members page after an emailed sign-in link", async () => {
    await bobPage.goto(orgUrl);
    await signOut(bobPage);
    await bobPage.goto(`${orgUrl}/members`);
    await bobPage.getByRole("heading", { name: "Sign in to Kiln" }).waitFor();
    await bobPage.getByLabel("Email", { exact: true }).fill(bob.email);
    await bobPage.getByRole("button", { name: "Email me a sign-in link" }).click();
    await bobPage.getByRole("status").getByText(/a sign-in link is on its way/).waitFor();
    await clickMailboxLink(bobPage, stack.url, bob.email, "/magic-link?token=");
    await bobPage.getByRole("heading", { name: /^Members/ }).waitFor();
    expect(bobPage.url()).toBe(`${orgUrl}/members`);
  });
});
