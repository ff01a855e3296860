/** What the Chromium end-to-end tests do as a person: sign up, follow an emailed link. */
import type { Page } from "playwright-core";

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

/** Opens the dev mailbox page for `email` and clicks the newest link that contains `path`. */
export async function clickMailboxLink(page: Page, baseUrl: string, email: string, path: string) {
  await page.goto(`${baseUrl}/api/dev/mailbox?to=${encodeURIComponent(email)}`);
  await page.locator(`a[href*="${path}"]`).first().click();
}
