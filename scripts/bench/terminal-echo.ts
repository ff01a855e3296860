/**
 * Keystroke → echo in a shared terminal, through the whole path (issue #17's target: p50 ≤ 15 ms
 * locally): a visitor's WebSocket to the terminal host → the bridge's Nginx (`auth_request` with
 * the `kiln_uc` cookie at the upgrade) → the VPN tun → the agent's PTY server in the container →
 * bash's readline echoing the character → back the same way. Measured twice:
 * - a client speaking `protocol/terminal.ts` (the `ws` package, as the page would): a keystroke
 *   sent as an `input` frame, until the binary output frame carrying the character arrives;
 * - headless Chromium on the terminal page (xterm.js): a real key press (CDP input) until xterm's
 *   screen rows show the character, both timed in the page (keydown listener, MutationObserver on
 *   `.xterm-rows`, which xterm's DOM renderer updates in its animation frame).
 * One keystroke at a time, each after the previous echo, at a typist's pace (`GAP_MS` between).
 */
import WebSocket from "ws";
import { TERMINAL_SOCKET_PATH, TerminalServerMessageSchema } from "../../protocol/terminal.ts";
import { launchChromium } from "../test/browser.ts";
import { waitFor } from "../containers/exec.ts";
import { PORTS, type Platform } from "../containers/platform.ts";
import { percentile } from "./measure.ts";

const TERMINAL_IMAGE = "localhost/kiln-terminal:1";
/** Between keystrokes: a fast typist's pace, so each one is its own frame both ways. */
const GAP_MS = 20;
/** Typed per line before the line is cleared (Ctrl-U), so readline never wraps or scrolls it. */
const PER_LINE = 40;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface TerminalEcho {
  keystrokes: number;
  /** Round trips in ms, each keystroke's. */
  ws: number[];
  /** In Chromium with xterm; null when the browser part failed (`browserError`). */
  browser: KeyTiming[] | null;
  /** The page's animation frame interval (median), ms. */
  frameMs: number | null;
  browserError: string | null;
}

/** A terminal container of Ada's (she types in her own), running; its host and her cookie. */
async function terminalContainer(platform: Platform): Promise<{ host: string; cookie: string }> {
  const created = await platform.create("bench shell", { image: TERMINAL_IMAGE, share: "project" });
  const { id } = created.container;
  const ran = await platform.docker(created.command);
  if (ran.code !== 0) throw new Error(`docker run of the terminal image failed: ${ran.stderr}`);
  await platform.waitState(id, "running", 120_000);
  await waitFor("the terminal service", async () => ((await platform.status(id)).services.some((s) => s.name === "terminal") ? true : null), 60_000, 100);
  const host = platform.host(id, "terminal");
  return { host, cookie: await platform.signIn(host, platform.people.ada.session(), "/") };
}

/** The protocol client: `count` keystrokes, each timed from its `input` frame to the output frame echoing it. */
async function measureSocket(platform: Platform, host: string, cookie: string, count: number): Promise<number[]> {
  const origin = `http://${host}:${PORTS.nginx}`;
  const ws = new WebSocket(`ws://${platform.net.vpsUp}:${PORTS.nginx}${TERMINAL_SOCKET_PATH}?session=bench&cols=160&rows=40`, { headers: { host: `${host}:${PORTS.nginx}`, cookie, origin } });
  ws.binaryType = "nodebuffer";
  let screen = "";
  const notes: string[] = [];
  let waiter: ((text: string) => void) | null = null;
  ws.on("message", (data: Buffer, isBinary) => {
    if (!isBinary) {
      notes.push(data.toString().slice(0, 200));
      const message = TerminalServerMessageSchema.parse(JSON.parse(data.toString()));
      if (message.type === "hello" && message.access !== "write") throw new Error(`the bench visitor may not type (access ${message.access})`);
      return;
    }
    const text = data.toString("utf8");
    screen += text;
    waiter?.(text);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`the terminal socket was refused: ${res.statusCode}`)));
    ws.once("error", reject);
  });
  const send = (data: string) => ws.send(JSON.stringify({ type: "input", data }));
  // The shell is ready once it has printed something and then gone quiet (its prompt).
  let lastOutput = 0;
  ws.on("message", (_data, isBinary) => isBinary && (lastOutput = performance.now()));
  await waitFor("the shell's prompt", async () => (screen.length > 0 && performance.now() - lastOutput > 500 ? true : null), 20_000, 50).catch((error: unknown) => {
    throw new Error(`${String(error)}; the screen so far: ${JSON.stringify(screen.slice(-300))}; messages: ${notes.join(" ")}`);
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      if (i % PER_LINE === 0) {
        send("\u0015"); // Ctrl-U: an empty line again
        await sleep(100);
      }
      const key = ALPHABET[i % ALPHABET.length]!;
      const echoed = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no echo of "${key}" within 5 s`)), 5_000);
        waiter = (text) => {
          if (!text.includes(key)) return;
          clearTimeout(timer);
          waiter = null;
          resolve(performance.now());
        };
      });
      const t0 = performance.now();
      send(key);
      times.push((await echoed) - t0);
      await sleep(GAP_MS);
    }
  } finally {
    send("\u0015");
    ws.close();
  }
  return times;
}

/**
 * In the page, before its own script (a string: this file is typed for Node): the terminal's
 * socket wrapped to note when an `input` frame leaves and output arrives.
 */
const BEFORE_PAGE = `(() => {
  const Native = WebSocket;
  window.benchNet = { sentAt: 0, receivedAt: 0 };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => { if (typeof e.data !== "string") window.benchNet.receivedAt = performance.now(); });
    }
    send(data) {
      if (typeof data === "string" && data.includes('"input"')) window.benchNet.sentAt = performance.now();
      return super.send(data);
    }
  };
})()`;

/**
 * In the page once it is live: for each keydown, the first change of xterm's rows that shows
 * what was typed since the line's marker; split at the socket's send and the echo's arrival.
 */
const IN_PAGE = `(() => {
  const rows = document.querySelector(".xterm-rows");
  const bench = { typed: "", keyAt: 0, seen: [] };
  window.bench = bench;
  document.addEventListener("keydown", () => { bench.keyAt = performance.now(); }, true);
  new MutationObserver(() => {
    if (bench.keyAt > 0 && (rows.textContent || "").includes(bench.typed)) {
      const now = performance.now(), net = window.benchNet;
      bench.seen.push({ total: now - bench.keyAt, page: net.sentAt - bench.keyAt, roundTrip: net.receivedAt - net.sentAt, render: now - net.receivedAt });
      bench.keyAt = 0;
    }
  }).observe(rows, { subtree: true, childList: true, characterData: true });
})()`;

/** One key press in the page: all of it, and its parts. */
export interface KeyTiming {
  total: number;
  /** keydown → the `input` frame sent. */
  page: number;
  /** sent → the echo's frame received. */
  roundTrip: number;
  /** received → xterm's rows show it. */
  render: number;
}

/** Chromium on the terminal page: real key presses, timed in the page from keydown to the character in xterm's rows. */
async function measureBrowser(platform: Platform, host: string, cookie: string, count: number): Promise<{ keys: KeyTiming[]; frameMs: number }> {
  const browser = await launchChromium([`--host-resolver-rules=MAP *.containers.localhost ${platform.net.vpsUp}`]);
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 700 } });
    const [name, value] = cookie.split("=", 2) as [string, string];
    await context.addCookies([{ name, value, url: `http://${host}:${PORTS.nginx}/`, httpOnly: true }]);
    await context.addInitScript(BEFORE_PAGE);
    const page = await context.newPage();
    await page.goto(`http://${host}:${PORTS.nginx}/?session=bench-browser`);
    await page.locator(".xterm-rows").waitFor();
    await waitFor("the page live", async () => ((await page.locator("#state").innerText()) === "live" ? true : null), 20_000, 100);
    await waitFor("the prompt on screen", async () => (/[#$]/.test(await page.locator(".xterm-rows").innerText()) ? true : null), 20_000, 100);
    await page.locator(".xterm").click();
    await page.evaluate(IN_PAGE);
    const times: KeyTiming[] = [];
    for (let i = 0; i < count; i++) {
      if (i % PER_LINE === 0) {
        // Nothing is timed while the line is cleared and its marker typed.
        await page.evaluate(`window.bench.typed = "\\u0001"`);
        await page.keyboard.press("Control+U");
        await sleep(100);
        // A marker per line, typed untimed, so the line's text is unlike any earlier line's.
        const marker = `z${i}q`;
        await page.keyboard.type(marker);
        await page.waitForFunction(`(document.querySelector(".xterm-rows").textContent || "").includes(${JSON.stringify(marker)})`);
        await page.evaluate(`window.bench.typed = ${JSON.stringify(marker)}`);
      }
      const key = ALPHABET[i % ALPHABET.length]!;
      const before = Number(await page.evaluate(`window.bench.typed += ${JSON.stringify(key)}, window.bench.seen.length`));
      await page.keyboard.press(key);
      await page.waitForFunction(`window.bench.seen.length > ${before}`, undefined, { timeout: 5_000 });
      times.push((await page.evaluate("window.bench.seen.at(-1)")) as KeyTiming);
      await sleep(GAP_MS);
    }
    await page.keyboard.press("Control+U");
    // xterm draws in an animation frame: how often the page gets one here (the median interval over 2 s).
    const frameMs = Number(
      await page.evaluate(`new Promise((done) => { const at = []; const tick = (t) => { at.push(t); if (t - at[0] < 2000) requestAnimationFrame(tick); else { const d = at.slice(1).map((v, i) => v - at[i]).sort((a, b) => a - b); done(d[Math.floor(d.length / 2)]); } }; requestAnimationFrame(tick); })`),
    );
    return { keys: times, frameMs };
  } finally {
    await browser.close();
  }
}

/** Runs both measurements on one terminal container of the platform. */
export async function measureTerminalEcho(platform: Platform, log: (line: string) => void, count = 300): Promise<TerminalEcho> {
  const { host, cookie } = await terminalContainer(platform);
  log(`== terminal keystroke → echo, ${count} keystrokes (protocol client over Nginx + the VPN)`);
  // Warm the path (Nginx's upstream connection, the PTY's first read) with a few untimed keys.
  await measureSocket(platform, host, cookie, 10);
  const ws = await measureSocket(platform, host, cookie, count);
  log(`   p50 ${percentile(ws, 50).toFixed(2)} ms, p99 ${percentile(ws, 99).toFixed(2)} ms`);
  log(`== terminal keystroke → character in xterm's rows, ${count} key presses in Chromium`);
  try {
    const { keys: browser, frameMs } = await measureBrowser(platform, host, cookie, count);
    log(`   p50 ${percentile(browser.map((t) => t.total), 50).toFixed(2)} ms, p99 ${percentile(browser.map((t) => t.total), 99).toFixed(2)} ms; ${parts(browser)}; animation frames every ${frameMs.toFixed(1)} ms`);
    return { keystrokes: count, ws, browser, frameMs, browserError: null };
  } catch (error) {
    log(`   the browser part failed: ${String(error)}`);
    return { keystrokes: count, ws, browser: null, frameMs: null, browserError: String(error) };
  }
}

/** The medians of a key press's parts, in words. */
function parts(timings: KeyTiming[]): string {
  const m = (key: keyof KeyTiming) => percentile(timings.map((t) => t[key]), 50).toFixed(2);
  return `medians: keydown → sent ${m("page")} ms, round trip ${m("roundTrip")} ms, received → on screen ${m("render")} ms`;
}

/** The table rows for the report. */
export function terminalEchoRows(echo: TerminalEcho): string[] {
  const p = (values: number[]) => `p50 ${percentile(values, 50).toFixed(2)} ms, p99 ${percentile(values, 99).toFixed(2)} ms`;
  const rows = [`| terminal keystroke → echo, protocol client (${echo.keystrokes} keys, one at a time) | ${p(echo.ws)} | p50 ≤ 15 ms (issue #17) | |`];
  rows.push(
    echo.browser
      ? `| terminal key press → character in xterm's rows, Chromium (${echo.keystrokes} keys) | ${p(echo.browser.map((t) => t.total))} (${parts(echo.browser)}; animation frames every ${echo.frameMs?.toFixed(1)} ms) | p50 ≤ 15 ms (issue #17) | |`
      : `| terminal key press in Chromium | failed: ${echo.browserError} | | |`,
  );
  return rows;
}
