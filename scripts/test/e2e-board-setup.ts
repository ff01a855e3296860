/**
 * Shared by the two whiteboard suites (e2e-board, e2e-board-tools): `npm start` on a fresh
 * data folder, Chromium, and two members of one organization (Ada, its owner, and Ben,
 * invited through the dev mailbox) with one project both can open.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { launchChromium } from "./browser";
import { freeStackPorts, startStack, type RunningStack } from "./stack";

export const screenshots = resolve(import.meta.dirname, "../../docs/screenshots");

/** Starts the stack and Chromium before the suite and stops both after it; `openBoard` signs a person in to a project's board. */
export function useStackAndBrowser(name: string): { stack: () => RunningStack; browser: () => Browser; openBoard: (session: string, path: string, viewport?: { width: number; height: number }) => Promise<Page> } {
  let dataDir: string | undefined;
  let stack: RunningStack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), `kiln-${name}-`));
    stack = await startStack({ ...(await freeStackPorts()), KILN_DATA_DIR: dataDir });
    browser = await launchChromium();
    await mkdir(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  /** A person's board in a context of their own, once it says Online. */
  const openBoard = async (session: string, path: string, viewport = { width: 1440, height: 900 }): Promise<Page> => {
    const context = await browser!.newContext({ viewport });
    await context.addCookies([{ name: "kiln_session", value: session, url: stack!.url }]);
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error("page error:", error));
    await page.goto(`${stack!.url}${path}`);
    await page.getByTestId("connection-status").getByText("Online").waitFor({ timeout: 30_000 });
    return page;
  };
  return { stack: () => stack!, browser: () => browser!, openBoard };
}

/** A signed-in API client of the running stack (cookie session, as the web app). */
export function apiClient(base: string) {
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

/** Ada signs up, makes the org and an org-wide project, invites Ben, who signs up and accepts. Returns their sessions and the project's path. */
export async function twoMembersOnOneProject(base: string, names: { org: string; project: string }): Promise<{ ada: string; ben: string; path: string }> {
  const a = apiClient(base);
  const b = apiClient(base);
  const benEmail = `ben-${crypto.randomUUID()}@kiln.test`;
  await a.call("/api/auth/signup", { email: `ada-${crypto.randomUUID()}@kiln.test`, password: "board test password", name: "Ada" });
  const org = await a.call<{ id: string }>("/api/orgs", { name: names.org });
  const project = await a.call<{ id: string }>(`/api/orgs/${org.id}/projects`, { name: names.project, visibility: "org" });
  await a.call(`/api/orgs/${org.id}/invitations`, { email: benEmail, role: "member" });
  await b.call("/api/auth/signup", { email: benEmail, password: "board test password", name: "Ben" });
  const mail = await b.call<{ messages: { text: string }[] }>(`/api/dev/mailbox/messages?to=${encodeURIComponent(benEmail)}`);
  const linkToken = (pattern: RegExp) => mail.messages.map((m) => pattern.exec(m.text)?.[1]).find(Boolean);
  // Joining an organization needs a confirmed email.
  const confirmation = linkToken(/verify-email\?token=([\w-]+)/);
  expect(confirmation, "Ben's confirmation link in the dev mailbox").toBeTruthy();
  await b.call("/api/auth/verify-email", { token: confirmation });
  const token = linkToken(/invitations\/accept\?token=([\w-]+)/);
  expect(token, "Ben's invitation in the dev mailbox").toBeTruthy();
  await b.call("/api/invitations/accept", { token });
  return { ada: a.session(), ben: b.session(), path: `/orgs/${org.id}/projects/${project.id}` };
}
