/**
 * Shared terminals end to end (issue #17), every part real: the platform of
 * `containers.e2e.ts` (`platform.ts`: npm start, the bridge with OpenVPN and Nginx, podman
 * behind the docker CLI), a `localhost/kiln-terminal:1` container from the literal
 * `docker run`, and headless Chromium at the terminal's host, signed in through the app's
 * redirect, for Ada (the container's owner: types) and Ben (a project member: watches).
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../test/browser.ts";
import { run, waitFor } from "./exec.ts";
import { type People, PORTS, Platform } from "./platform.ts";

if (process.getuid?.() !== 0) throw new Error("the container tests need root (network namespaces, podman, OpenVPN): run `sudo npm run test:containers`");

const screenshots = resolve(import.meta.dirname, "../../docs/screenshots");
const TERMINAL_IMAGE = "localhost/kiln-terminal:1";

describe("shared terminals, end to end", () => {
  let platform: Platform;
  let p: People;
  let browser: Browser;
  let id = "";
  let url = "";
  const contexts: BrowserContext[] = [];

  /**
   * A browser for one person, signed in to the app (its session cookie on the app's address).
   * Its first visit to the terminal host goes the visitor's way: Nginx sends it to the app
   * (KILN_URL, the forwarder this machine offers the bridge's namespace), the app back to the
   * host with a ticket, the bridge sets its cookie. Only the first hop is rewritten, to the app's
   * own address (loopback here, where plain http carries the session cookie), as a person's
   * browser holds it: the rest are the browser's own redirects.
   */
  async function personPage(session: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 560 } });
    contexts.push(context);
    await context.addCookies([{ name: "kiln_session", value: session, url: platform.workerUrl, httpOnly: true }]);
    await context.route(
      url,
      async (route) => {
        const first = await platform.visit(platform.host(id, "terminal"), "/");
        const app = new URL(String(first.headers.location));
        if (first.status !== 302 || app.host !== `${platform.net.hostSide}:${PORTS.forward}`) throw new Error(`Nginx sent a visitor without a cookie to ${first.status} ${app.href}`);
        await route.fulfill({ status: 302, headers: { location: `${platform.workerUrl}${app.pathname}${app.search}` } });
      },
      { times: 1 },
    );
    return context.newPage();
  }

  /** What the terminal shows now (xterm's DOM renderer: one row per line). */
  const screenText = (page: Page) => page.locator(".xterm-rows").innerText();
  const waitScreen = (page: Page, text: string, ms = 20_000) => waitFor(`"${text}" on the screen`, async () => ((await screenText(page)).includes(text) ? true : null), ms, 100);
  const state = (page: Page) => page.locator("#state").innerText();

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    platform = await Platform.start({ work: `/tmp/kiln-terminal-e2e-${process.pid}` });
    p = platform.people;
    // Chromium sends every *.localhost name to loopback by itself: map the container hosts to the bridge's Nginx first.
    browser = await launchChromium([`--host-resolver-rules=MAP *.containers.localhost ${platform.net.vpsUp}`]);
  }, 900_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await platform?.close();
  }, 180_000);

  let ada: Page;
  let ben: Page;

  it("runs the terminal image from the literal docker run: its terminal service registers", async () => {
    const created = await platform.create("shell", { image: TERMINAL_IMAGE, share: "project" });
    id = created.container.id;
    const ran = await platform.docker(created.command);
    expect(ran.code, ran.stderr).toBe(0);
    await platform.waitState(id, "running", 90_000);
    await waitFor("the terminal service", async () => ((await platform.status(id)).services.some((s) => s.name === "terminal" && s.port === 7681) ? true : null), 60_000, 100);
    url = `http://${platform.host(id, "terminal")}:${PORTS.nginx}/`;
  }, 240_000);

  it("signs Ada in through the app's redirect and gives her a shell she types in", async () => {
    ada = await personPage(p.ada.session());
    await ada.goto(url);
    if (new URL(ada.url()).port !== String(PORTS.nginx)) throw new Error(`Ada ended at ${ada.url()}: ${(await ada.content()).slice(0, 600)}`);
    expect(new URL(ada.url()).host).toBe(`${platform.host(id, "terminal")}:${PORTS.nginx}`);
    await ada.locator(".xterm-rows").waitFor();
    await waitFor("Ada live", async () => ((await state(ada)) === "live" ? true : null), 20_000, 100);
    await waitScreen(ada, "root@");
    await ada.locator(".xterm").click();
    await ada.keyboard.type("echo hello-$((6*7))");
    await ada.keyboard.press("Enter");
    await waitScreen(ada, "hello-42");
  }, 60_000);

  it("shows Ben, a member, the same screen live; he watches and his keys reach nobody", async () => {
    ben = await personPage(p.ben.session());
    await ben.goto(url);
    await waitScreen(ben, "hello-42");
    expect(await state(ben)).toContain("watching");
    await waitFor("two people", async () => ((await ada.locator("#people").innerText()).includes("2 people") ? true : null), 10_000, 100);
    // Live: what Ada types now appears on Ben's screen.
    await ada.keyboard.type("echo shared-$((20+3))");
    await ada.keyboard.press("Enter");
    await waitScreen(ben, "shared-23");
    // Ben types: nothing reaches the shell.
    await ben.locator(".xterm").click();
    await ben.keyboard.type("echo ben-typed-$((1+1))");
    await ben.keyboard.press("Enter");
    await waitFor("Ben told his keys are not sent", async () => ((await state(ben)).includes("not sent") ? true : null), 5_000, 100);
    // A marker Ada types after Ben's keys: once it is there, Ben's would have been too.
    await ada.keyboard.type("echo after-$((2*2))");
    await ada.keyboard.press("Enter");
    await waitScreen(ada, "after-4");
    expect(await screenText(ada)).not.toContain("ben-typed");
    expect(await screenText(ben)).not.toContain("ben-typed");
    await ada.screenshot({ path: `${screenshots}/terminal-shared.png` });
    await ben.screenshot({ path: `${screenshots}/terminal-watching.png` });
  }, 60_000);

  it("brings a reloaded page back to the same session, its output replayed", async () => {
    await ada.reload();
    await waitScreen(ada, "hello-42");
    await waitScreen(ada, "after-4");
    await waitFor("Ada live again", async () => ((await state(ada)) === "live" ? true : null), 20_000, 100);
    // The same shell: a variable set before the reload is still there.
    await ada.locator(".xterm").click();
    await ada.keyboard.type("X=kept; echo still-$X");
    await ada.keyboard.press("Enter");
    await waitScreen(ada, "still-kept");
    await ada.reload();
    await waitScreen(ada, "still-kept");
    await ada.locator(".xterm").click();
    await ada.keyboard.type("echo again-$X");
    await ada.keyboard.press("Enter");
    await waitScreen(ada, "again-kept");
  }, 60_000);

  it("counts a visitor's use for idle culling: typing in the terminal and opening a page, not a tab's background GET", async () => {
    const host = platform.host(id, "terminal");
    const activeAt = async () => (await platform.status(id)).activeAt ?? 0;
    const cookie = await platform.signIn(host, p.ada.session(), "/");
    // Quiet for longer than a heartbeat (5 s): earlier typing has been reported.
    await new Promise((done) => setTimeout(done, 7_000));
    const quiet = await activeAt();
    // What a page's script fetches in the background (Sec-Fetch-Mode: cors) is not use.
    expect((await platform.visit(host, "/", { cookie, "sec-fetch-mode": "cors" })).status).toBe(200);
    await new Promise((done) => setTimeout(done, 2_000));
    expect(await activeAt()).toBe(quiet);
    // Typing in the open terminal is: it rides on a socket Nginx checked long ago, so the agent's beat tells.
    await ada.locator(".xterm").click();
    await ada.keyboard.type("echo busy");
    await ada.keyboard.press("Enter");
    await waitFor("typing counted", async () => ((await activeAt()) > quiet ? true : null), 20_000, 200);
    // Opening a page is (past the bridge's throttle, half a second in this platform).
    const typed = await activeAt();
    await new Promise((done) => setTimeout(done, 1_000));
    expect((await platform.visit(host, "/", { cookie, "sec-fetch-mode": "navigate" })).status).toBe(200);
    await waitFor("a page opened counted", async () => ((await activeAt()) > typed ? true : null), 10_000, 100);
  }, 60_000);

  it("believes who a visitor is only from the bridge: the same headers from the user's machine or the container itself are refused", async () => {
    const inspect = await platform.docker(`docker inspect -f '{{.NetworkSettings.IPAddress}}' kiln-${id}`);
    const address = inspect.stdout.trim();
    expect(address, inspect.stderr).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const forged = (host: string) =>
      `const h=require("http");const q=h.get({host:"${host}",port:7681,path:"/",headers:{"x-kiln-user":"${p.benId}","x-kiln-access":"write"}},r=>{console.log(r.statusCode);process.exit(0)});q.on("error",e=>{console.log(e.code);process.exit(0)})`;
    // A neighbour on the user's docker network.
    const neighbour = await run("nsenter", [`--net=/run/netns/${platform.topology!.ns("dock")}`, "--", process.execPath, "-e", forged(address)]);
    expect(neighbour.stdout.trim()).toBe("403");
    // A process in the container.
    const inside = await platform.docker(`docker exec kiln-${id} node -e '${forged("127.0.0.1")}'`);
    expect(inside.stdout.trim(), inside.stderr).toBe("403");
  }, 60_000);

  it("says so in the terminal when the container stops", async () => {
    const stopped = await platform.docker(`docker stop kiln-${id}`);
    expect(stopped.code, stopped.stderr).toBe(0);
    await waitScreen(ada, "The container is stopping");
    await waitScreen(ben, "The container is stopping");
    await waitFor("Ada's bar says the container is down", async () => (/stopping|not running/.test(await state(ada)) ? true : null), 20_000, 100);
    await ada.screenshot({ path: `${screenshots}/terminal-stopped.png` });
  }, 60_000);

  it("tells a member removed meanwhile that their access ended, and reconnects the owner when the container runs again", async () => {
    const removed = await fetch(`${platform.workerUrl}/api/orgs/${p.org}/members/${p.benId}`, { method: "DELETE", headers: { cookie: `kiln_session=${p.ada.session()}`, origin: platform.workerUrl } });
    expect(removed.status).toBeLessThan(300);
    await waitScreen(ben, "Your access ended; reload to sign in.", 40_000);
    expect(await state(ben)).toContain("access ended");
    await ben.screenshot({ path: `${screenshots}/terminal-access-ended.png` });
    const started = await platform.docker(`docker start kiln-${id}`);
    expect(started.code, started.stderr).toBe(0);
    await platform.waitState(id, "running", 90_000);
    await waitFor("Ada live again", async () => ((await state(ada)) === "live" ? true : null), 60_000, 200);
    // A new shell (the old one stopped with its container), at once usable.
    await ada.locator(".xterm").click();
    await ada.keyboard.type("echo back-$((40+2))");
    await ada.keyboard.press("Enter");
    await waitScreen(ada, "back-42");
  }, 180_000);
});
