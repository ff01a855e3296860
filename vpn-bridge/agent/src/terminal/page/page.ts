/**
 * The terminal page, served by the agent at the container's terminal host: xterm.js on the
 * PTY server's socket (same origin, so the bridge's cookie rides along and its Origin check
 * passes). Reconnects with backoff to the same session; after a failed connect it asks the
 * host why (a redirect to sign in: access ended; 503: the container is not running).
 */
import "@xterm/xterm/css/xterm.css";
import "./page.css";
import { FitAddon } from "@xterm/addon-fit";
import { WebLinksAddon } from "@xterm/addon-web-links";
import { Terminal } from "@xterm/xterm";
import { DEFAULT_TERMINAL_SESSION, TERMINAL_SOCKET_PATH, type TerminalClientMessage, TerminalServerMessageSchema } from "../../../../../protocol/terminal.ts";
import { nextDelay, whyDown } from "./reconnect.ts";

const session = new URLSearchParams(location.search).get("session") ?? DEFAULT_TERMINAL_SESSION;
const bar = {
  title: document.getElementById("title")!,
  state: document.getElementById("state")!,
  people: document.getElementById("people")!,
};
bar.title.textContent = `Terminal · ${location.hostname.split(".")[0]?.replace(/^uc-/, "").replace(/--terminal$/, "")} · ${session}`;

const term = new Terminal({
  scrollback: 10_000,
  cursorBlink: true,
  fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace",
  fontSize: 14,
  theme: { background: "#0f1115", foreground: "#d8dee9", cursor: "#f5c26b", selectionBackground: "#3b4252" },
});
const fit = new FitAddon();
term.loadAddon(fit);
term.loadAddon(new WebLinksAddon());
term.open(document.getElementById("screen")!);
term.focus();

let socket: WebSocket | null = null;
let access: "write" | "read" | null = null;
let ended: "exited" | "stopping" | null = null;
let attempt = 0;
let gaveUp = false;

function setState(text: string, kind: "live" | "watching" | "down" | "") {
  bar.state.textContent = text;
  bar.state.className = `state ${kind}`;
}

/** A line of our own in the terminal (dim yellow, or red), not from the shell. */
function notice(text: string, tone: "info" | "error" = "info") {
  term.write(`\r\n\x1b[${tone === "error" ? "1;31" : "33"}m${text}\x1b[0m\r\n`);
}

function send(message: TerminalClientMessage) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** The size this window could show (the PTY takes the smallest of its typists'). */
function proposed() {
  const size = fit.proposeDimensions();
  return size && size.cols >= 2 && size.rows >= 1 ? { cols: Math.min(size.cols, 1000), rows: Math.min(size.rows, 500) } : null;
}

function connect() {
  const size = proposed();
  const query = new URLSearchParams({ session, ...(size ? { cols: String(size.cols), rows: String(size.rows) } : {}) });
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${TERMINAL_SOCKET_PATH}?${query}`);
  ws.binaryType = "arraybuffer";
  socket = ws;
  let greeted = false;
  ws.onmessage = (event) => {
    if (event.data instanceof ArrayBuffer) return term.write(new Uint8Array(event.data));
    let json: unknown;
    try {
      json = JSON.parse(String(event.data));
    } catch {
      return;
    }
    const message = TerminalServerMessageSchema.safeParse(json);
    if (!message.success) return;
    const m = message.data;
    if (m.type === "hello") {
      greeted = true;
      attempt = 0;
      ended = m.ended ? "exited" : null;
      access = m.access;
      // The replay that follows is the session's recent output: start from a clean screen.
      term.reset();
      term.resize(m.cols, m.rows);
      // A watcher's keys still reach onData, to be dropped there with a word (the server drops them too).
      setState(access === "write" ? "live" : "watching — you may not type here", access === "write" ? "live" : "watching");
      if (m.ended) setTimeout(() => notice("The shell has ended. Press Enter to start a new one.", "info"), 0);
    } else if (m.type === "size") {
      term.resize(m.cols, m.rows);
    } else if (m.type === "people") {
      bar.people.textContent = m.total > 1 ? `${m.total} people here (${m.writers} typing)` : "only you here";
    } else if (m.type === "ended") {
      if (m.why === "exited") {
        ended = "exited";
        notice(`The shell ended (exit ${m.code ?? "?"}).${access === "write" ? " Press Enter to start a new one." : ""}`);
      } else if (m.why === "stopping") {
        ended = "stopping";
        notice("The container is stopping. This terminal reconnects when it runs again.", "error");
        setState("container stopping", "down");
      } else if (m.why === "no-shell") {
        ended = "exited";
        notice(`The container could not start a shell.${access === "write" ? " Press Enter to try again." : ""}`, "error");
      } else {
        notice("Nobody has opened this terminal yet: it starts when someone who may type opens it.");
      }
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    void afterClose(greeted);
  };
}

/** Why the socket is gone, told once, then a new try after a backoff (unless access ended). */
async function afterClose(wasOpen: boolean) {
  if (gaveUp) return;
  bar.people.textContent = "";
  setState("reconnecting…", "down");
  const reason = await whyDown(location.pathname);
  if (reason === "signed-out") {
    gaveUp = true;
    notice("Your access ended; reload to sign in.", "error");
    setState("access ended — reload to sign in", "down");
    return;
  }
  if (reason === "gone") {
    gaveUp = true;
    notice("This container no longer exists.", "error");
    setState("container deleted", "down");
    return;
  }
  if (reason === "not-running" && (wasOpen || attempt === 0) && ended !== "stopping") notice("The container is not running. This terminal reconnects when it runs again.", "error");
  else if (reason === "unreachable" && wasOpen) notice("Connection lost; reconnecting…");
  if (reason === "not-running") setState("container not running", "down");
  const delay = nextDelay(attempt++);
  setTimeout(connect, delay);
}

term.onData((data) => {
  if (access !== "write") {
    setState("watching — your keys are not sent", "watching");
    return;
  }
  if (ended === "exited" && data.includes("\r")) {
    ended = null;
    send({ type: "restart" });
    return;
  }
  send({ type: "input", data });
});

// Ctrl+Shift+C copies the selection, Ctrl+Shift+V pastes (the browser's paste event reaches xterm).
term.attachCustomKeyEventHandler((event) => {
  if (event.type !== "keydown" || !event.ctrlKey || !event.shiftKey) return true;
  if (event.code === "KeyC" && term.hasSelection()) {
    void navigator.clipboard?.writeText(term.getSelection());
    return false;
  }
  return event.code !== "KeyV";
});

let resizeTimer: ReturnType<typeof setTimeout> | null = null;
new ResizeObserver(() => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    const size = proposed();
    if (size) send({ type: "size", ...size });
  }, 80);
}).observe(document.getElementById("screen")!);

connect();
