/**
 * The web app end to end, as people use it, in Chromium against `npm start`: sign up,
 * confirm the email from the dev mailbox, create an organization, invite a second person who
 * signs up and accepts from their mailbox, create and open a project, enrol in TOTP, sign
 * out and back in through the TOTP step, and a stranger kept out of the organization.
 * With KILN_SCREENSHOTS=<dir> it saves the main screens there (docs/screenshots/).
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser";
import { PASSWORD, clickMailboxLink, confirmEmail, signUp } from "./e2e-people";
import { freeStackPorts, startStack, type RunningStack } from "./stack";

const TOTP_PERIOD = 30;
const shots = process.env.KILN_SCREENSHOTS;

let dataDir: string;
let stack: RunningStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const run = crypto.randomUUID().slice(0, 8);
const ada = { name: "Ada Lovelace", email: `ada-${run}@kiln.test` };
const bob = { name: "Bob Noyce", email: `bob-${run}@kiln.test` };
const carol = { name: "Carol Shaw", email: `carol-${run}@kiln.test` };
let adaPage: Page;
let orgUrl = "";
let totpSecret = "";
let lastTotpStep = 0;

async function newPage(colorScheme: "light" | "dark" = "light"): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

async function screenshot(page: Page, name: string, fullPage = false) {
  if (!shots) return;
  // The top bar is sticky: from the top, so a full-page shot has it in its place.
  if (fullPage) await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

/** The TOTP code of a step no code was used for yet (the server refuses replays, allows ±1 step). */
function nextTotpCode(): string {
  const step = Math.max(Math.floor(Date.now() / 1000 / TOTP_PERIOD), lastTotpStep + 1);
  lastTotpStep = step;
  return generateHOTP(decodeBase32IgnorePadding(totpSecret), BigInt(step), 6);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "kiln-e2e-"));
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

describe("accounts, organizations and projects in the browser", () => {
  it("shows the sign-in and sign-up pages", async () => {
    const page = await newPage();
    await page.goto(`${stack.url}/`);
    // A signed-out visitor of a protected page lands on the sign-in page.
    await page.getByRole("heading", { name: "Sign in to Kiln" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByTestId("database-status").getByText(/^Healthy/).waitFor();
    await screenshot(page, "login");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByRole("heading", { name: "Create your Kiln account" }).waitFor();
    await page.getByTestId("database-status").getByText(/^Healthy/).waitFor();
    await screenshot(page, "signup");
    if (shots) {
      const dark = await newPage("dark");
      await dark.goto(`${stack.url}/login`);
      await dark.getByTestId("database-status").getByText(/^Healthy/).waitFor();
      await screenshot(dark, "login-dark");
    }
  });

  it("signs Ada up and confirms her email from the dev mailbox", async () => {
    adaPage = await newPage();
    await signUp(adaPage, stack.url, ada);
    await adaPage.getByText("Confirm your email address").waitFor();
    await clickMailboxLink(adaPage, stack.url, ada.email, "/verify-email?token=");
    await adaPage.getByRole("heading", { name: "Email confirmed" }).waitFor();
    await adaPage.getByRole("link", { name: "Go to your organizations" }).click();
    await adaPage.getByRole("heading", { name: "Your organizations" }).waitFor();
    expect(await adaPage.getByText("Confirm your email address").count()).toBe(0);
  });

  it("creates an organization and invites Bob by email", async () => {
    await adaPage.getByLabel("Name", { exact: true }).fill("Acme Research");
    await adaPage.getByRole("button", { name: "Create organization" }).click();
    await adaPage.getByRole("heading", { level: 1, name: "Acme Research" }).waitFor();
    orgUrl = adaPage.url();
    expect(new URL(orgUrl).pathname).toBe("/orgs/acme-research");
    await adaPage.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Members", exact: true }).click();
    await adaPage.getByLabel("Email", { exact: true }).fill(bob.email);
    await adaPage.getByLabel("Role", { exact: true }).selectOption("admin");
    await adaPage.getByRole("button", { name: "Send invitation" }).click();
    await adaPage.getByRole("status").getByText(`Invitation sent to ${bob.email}`).waitFor();
    await adaPage.getByRole("list", { name: "Pending invitations" }).getByText(bob.email).waitFor();
  });

  it("lets Bob sign up, confirm his email and accept the invitation from his mailbox", async () => {
    const page = await newPage();
    await signUp(page, stack.url, bob);
    await confirmEmail(page, stack.url, bob.email);
    await clickMailboxLink(page, stack.url, bob.email, "/invitations/accept?token=");
    // The invitation names the org before accepting: "Join Acme Research".
    await page.getByRole("heading", { level: 1, name: "Join Acme Research" }).waitFor();
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await page.waitForURL(orgUrl);
    await page.getByRole("heading", { level: 1, name: "Acme Research", exact: true }).waitFor();
    await page.getByRole("link", { name: "Members", exact: true }).click();
    await page.getByText(ada.name).waitFor();
    // Bob is an admin, so he sees the org's pending invitations too (none left).
    await page.getByText("No pending invitations.").waitFor();
  });

  it("creates a project and opens its board", async () => {
    await adaPage.goto(orgUrl);
    await adaPage.getByLabel("Name", { exact: true }).fill("Roadmap");
    await adaPage.getByRole("button", { name: "Create project" }).click();
    // Creating a project opens its board.
    await adaPage.getByRole("navigation", { name: "Breadcrumb" }).getByText("Roadmap").waitFor();
    expect(new URL(adaPage.url()).pathname).toMatch(/^\/orgs\/acme-research\/projects\/[0-9a-f-]{36}$/);
    await adaPage.goto(orgUrl);
    await adaPage.getByLabel("Name", { exact: true }).fill("Experiments");
    await adaPage.getByLabel("Only the project's members", { exact: true }).check();
    await adaPage.getByRole("button", { name: "Create project" }).click();
    await adaPage.getByRole("navigation", { name: "Breadcrumb" }).getByText("Experiments").waitFor();
    await adaPage.goto(orgUrl);
    await adaPage.getByText("Experiments").waitFor();
    await screenshot(adaPage, "org");
    await adaPage.getByRole("link", { name: "Members", exact: true }).click();
    await adaPage.getByText(bob.name).waitFor();
    await screenshot(adaPage, "org-members");
    await adaPage.getByRole("link", { name: "Audit log", exact: true }).click();
    await adaPage.getByRole("cell", { name: /created the project Roadmap/ }).first().waitFor();
    await screenshot(adaPage, "org-audit-log");

    await adaPage.goto(orgUrl);
    await adaPage.getByRole("link", { name: "Open Roadmap" }).click();
    await adaPage.getByText("Board", { exact: true }).waitFor();
    expect(new URL(adaPage.url()).pathname).toMatch(/^\/orgs\/acme-research\/projects\/[0-9a-f-]{36}$/);
    await adaPage.getByRole("navigation", { name: "Breadcrumb" }).getByText("Roadmap").waitFor();

    await adaPage.goto(`${stack.url}/`);
    await adaPage.getByRole("link", { name: /Acme Research/ }).waitFor();
    await screenshot(adaPage, "orgs");
    if (shots) {
      await adaPage.setViewportSize({ width: 1920, height: 1080 });
      await adaPage.goto(orgUrl);
      await adaPage.getByText("Experiments").waitFor();
      await screenshot(adaPage, "org-1920");
      await adaPage.emulateMedia({ colorScheme: "dark" });
      await adaPage.waitForTimeout(500); // the buttons' colour transitions
      await screenshot(adaPage, "org-1920-dark");
      await adaPage.emulateMedia({ colorScheme: "light" });
      await adaPage.setViewportSize({ width: 1280, height: 720 });
    }
  });

  it("enrols Ada in TOTP with the secret shown next to the QR code", async () => {
    await adaPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
    await adaPage.getByRole("button", { name: "Set up two-factor authentication" }).click();
    await adaPage.getByRole("img", { name: "QR code to scan with your authenticator app" }).waitFor();
    totpSecret = (await adaPage.getByTestId("totp-secret").textContent())!.replace(/\s/g, "");
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(adaPage, "account", true);
    await adaPage.getByLabel("Code from your app", { exact: true }).fill(nextTotpCode());
    await adaPage.getByRole("button", { name: "Turn on" }).click();
    const codes = adaPage.getByTestId("recovery-codes").getByRole("listitem");
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await screenshot(adaPage, "account-recovery-codes", true);
    await adaPage.getByRole("button", { name: "I have saved them" }).click();
    await adaPage.getByRole("heading", { name: /Two-factor authentication\s*on/ }).waitFor();
  });

  it("signs Ada out and back in through the TOTP step", async () => {
    await adaPage.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await adaPage.getByRole("heading", { name: "Sign in to Kiln" }).waitFor();
    await adaPage.goto(orgUrl);
    await adaPage.getByRole("heading", { name: "Sign in to Kiln" }).waitFor();
    await adaPage.getByLabel("Email", { exact: true }).fill(ada.email);
    await adaPage.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await adaPage.getByRole("button", { name: "Sign in" }).click();
    await adaPage.getByLabel("Authentication code", { exact: true }).fill("000000");
    await adaPage.getByRole("button", { name: "Verify and sign in" }).click();
    await adaPage.getByRole("alert").getByText("That code is not valid.").waitFor();
    await adaPage.getByLabel("Authentication code", { exact: true }).fill(nextTotpCode());
    await adaPage.getByRole("button", { name: "Verify and sign in" }).click();
    // Back where she was going.
    await adaPage.getByRole("heading", { level: 1, name: "Acme Research" }).waitFor();
    expect(adaPage.url()).toBe(orgUrl);
  });

  it("keeps a non-member out of the organization", async () => {
    const page = await newPage();
    await signUp(page, stack.url, carol);
    await page.goto(orgUrl);
    await page.getByRole("heading", { name: "You do not have access to this organization" }).waitFor();
    expect(await page.getByText("Roadmap").count()).toBe(0);
    // The API says the same by slug: no such org for someone outside it.
    const status = await page.evaluate(async (path) => (await fetch(path)).status, `/api${new URL(orgUrl).pathname}`);
    expect(status).toBe(404);
  });
});
