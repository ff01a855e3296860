/** What the Chromium end-to-end tests do as a person: sign up, follow an emailed link, look for a page scrolling sideways. */
import type { Page } from "playwright-core";
import { expect } from "vitest";

export const PASSWORD = "a long enough password";

/** Signs up on `baseUrl` and waits for the organizations page. */
export async function signUp(page: Page, baseUrl: string, person: { name: string; email: string }, password = PASSWORD) {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel("Your name", { exact: true }).fill(person.name);
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Your organizations" }).waitFor();
}

/**
 * Opens the dev mailbox page for `email` and clicks the newest link that contains `path`,
 * reloading for up to 10 s: some emails (a password reset) are sent after the answer.
 */
export async function clickMailboxLink(page: Page, baseUrl: string, email: string, path: string) {
  const link = page.locator(`a[href*="${path}"]`).first();
  for (const deadline = Date.now() + 10_000; ; await new Promise((resolve) => setTimeout(resolve, 200))) {
    await page.goto(`${baseUrl}/api/dev/mailbox?to=${encodeURIComponent(email)}`);
    if ((await link.count()) > 0 || Date.now() > deadline) break;
  }
  await link.click();
}

/** Confirms the address through the link sent at sign-up (accepting an invitation needs it). */
export async function confirmEmail(page: Page, baseUrl: string, email: string) {
  await clickMailboxLink(page, baseUrl, email, "/verify-email?token=");
  await page.getByRole("heading", { name: "Email confirmed" }).waitFor();
}

/** Fails when the page scrolls sideways (a layout that does not hold at this width), naming what sticks out. */
export async function expectNoSideScroll(page: Page, where: string) {
  // Strings run in the page: this file is type-checked for Node, without the DOM's types.
  const { scroll, width, wide } = await page.evaluate<{ scroll: number; width: number; wide: string[] }>(
    `(() => {
      const width = document.documentElement.clientWidth;
      // The innermost elements that stick out: what to fix when the page scrolls sideways.
      const wide = [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > width + 0.5 && ![...e.children].some((c) => c.getBoundingClientRect().right > width + 0.5))
        .slice(0, 5)
        .map((e) => e.tagName.toLowerCase() + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\\s+/).join(".") : "") + " → " + Math.round(e.getBoundingClientRect().right));
      return { scroll: document.documentElement.scrollWidth, width, wide };
    })()`,
  );
  expect(scroll, `${where} scrolls sideways (${wide.join(", ")})`).toBeLessThanOrEqual(width);
}
