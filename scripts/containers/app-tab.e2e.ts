/**
 * A container's service as a tab of the project (issue #16), every part real: the platform of
 * `containers.e2e.ts`, a `localhost/kiln-terminal:1` container from the literal `docker run`,
 * and Ada's board in headless Chromium. Tab on the terminal's row opens it beside the board;
 * inside Kiln's frame the visitor signs in the visitor's way (the app's redirect, a ticket)
 * and the bridge gives the frame a cookie partitioned to Kiln's site; she types in it.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../test/browser.ts";
import { waitFor } from "./exec.ts";
import { PORTS, Platform } from "./platform.ts";

if (process.getuid?.() !== 0) throw new Error("the container tests need root (network namespaces, podman, OpenVPN): run `sudo npm run test:containers`");

const screenshots = resolve(import.meta.dirname, "../../docs/screenshots");

describe("a container's app in a tab of the project", () => {
  let platform: Platform;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    platform = await Platform.start({ work: `/tmp/kiln-app-tab-e2e-${process.pid}` });
    // Chromium sends every *.localhost name to loopback by itself: map the container hosts to the bridge's Nginx first.
    browser = await launchChromium([`--host-resolver-rules=MAP *.containers.localhost ${platform.net.vpsUp}`]);
  }, 900_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await platform?.close();
  }, 180_000);

  it("opens the terminal beside the board, signs in inside Kiln's frame, and types in it", async () => {
    const p = platform.people;
    const created = await platform.create("shell", { image: "localhost/kiln-terminal:1", share: "project", viewId: "main", x: 120, y: 120 });
    const id = created.container.id;
    expect((await platform.docker(created.command)).code).toBe(0);
    await platform.waitState(id, "running", 90_000);
    await waitFor("the terminal service", async () => ((await platform.status(id)).services.some((s) => s.name === "terminal") ? true : null), 60_000, 100);

    const app = platform.stack!.url.replace(/\/$/, "");
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: "kiln_session", value: p.ada.session(), url: app, httpOnly: true }]);
    // Nginx sends a visitor without a cookie to the app as the bridge knows it (KILN_URL, the
    // forwarder this machine offers the bridge's namespace); a person's browser reaches the app at
    // its own address, where its session is: that one hop is pointed there, the rest are the frame's own.
    const terminalUrl = `http://${platform.host(id, "terminal")}:${PORTS.nginx}/`;
    let signIns = 0;
    await context.route(
      terminalUrl,
      async (route) => {
        signIns++;
        const first = await platform.visit(platform.host(id, "terminal"), "/");
        const open = new URL(String(first.headers.location));
        expect(first.status).toBe(302);
        await route.fulfill({ status: 302, headers: { location: `${app}${open.pathname}${open.search}` } });
      },
      { times: 1 },
    );
    const page = await context.newPage();
    await page.goto(`${app}/orgs/${p.org}/projects/${p.project}`);
    const node = page.locator(".react-flow__node", { hasText: "shell" });
    const tabButton = node.locator(".uc-service", { hasText: "terminal" }).getByRole("button", { name: "Tab" });
    await tabButton.waitFor({ timeout: 60_000 });
    await tabButton.click();

    // The tab is listed with the views, selected, and shows the terminal over the board.
    await expect.poll(() => page.getByRole("tab", { selected: true }).innerText(), { timeout: 10_000 }).toContain("shell · terminal");
    const frame = page.frameLocator("iframe.uc-app-frame");
    await frame.locator(".xterm-rows").waitFor({ timeout: 60_000 });
    expect(signIns).toBe(1);
    await waitFor("the terminal live", async () => ((await frame.locator("#state").innerText()) === "live" ? true : null), 30_000, 100);
    await frame.locator(".xterm").click();
    await page.keyboard.type("echo tab-$((6*7))");
    await page.keyboard.press("Enter");
    await waitFor("tab-42 in the frame", async () => ((await frame.locator(".xterm-rows").innerText()).includes("tab-42") ? true : null), 20_000, 100);
    await page.screenshot({ path: resolve(screenshots, "containers-app-tab.png") });

    // The frame's cookie is the bridge's, for that one host, partitioned to Kiln's site.
    const cookies = await context.cookies(terminalUrl);
    const visitor = cookies.find((c) => c.name === "kiln_uc");
    expect(visitor).toMatchObject({ httpOnly: true, secure: true, sameSite: "None" });
    expect(cookies.filter((c) => c.name === "kiln_uc")).toHaveLength(1);

    // Back to the board: the view is there, the frame gone; the tab stays, and brings the same shell back.
    await page.getByRole("tab", { name: /Board/ }).click();
    await expect.poll(() => page.locator("iframe.uc-app-frame").count()).toBe(0);
    await expect.poll(() => node.isVisible()).toBe(true);
    await page.getByRole("tab", { name: /shell · terminal/ }).click();
    await waitFor("the same shell", async () => ((await frame.locator(".xterm-rows").innerText()).includes("tab-42") ? true : null), 30_000, 100);
  }, 300_000);
});
