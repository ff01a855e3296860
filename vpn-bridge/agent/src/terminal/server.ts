/**
 * The PTY server's HTTP side: the terminal page (its HTML, script and styles, built next to
 * the bundle) and the WebSocket at `/socket?session=`. Every request must come through the
 * bridge (trust.ts); the bridge already checked the visitor's cookie and the socket's Origin.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { DEFAULT_TERMINAL_SESSION, TERMINAL_SOCKET_PATH, TerminalClientMessageSchema, TerminalSessionSchema } from "../../../../protocol/terminal.ts";
import type { Client, SessionRegistry } from "./sessions.ts";
import { identify } from "./trust.ts";

/** A page's asset: its bytes and content type, by URL path. */
export type Assets = ReadonlyMap<string, { body: Buffer; type: string }>;

export interface TerminalServerOptions {
  registry: SessionRegistry;
  assets: Assets;
  /** The bridge's VPN address, the only source believed; null refuses everyone. */
  bridgeAddress: string | null;
  log: (line: string) => void;
  /** A visitor typed (or restarted a shell): use the bridge cannot see, for idle culling. */
  onVisitorInput?: () => void;
}

/** A page whose socket holds this much unsent output is too slow: it is closed, and reconnects to a replay. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Pings keep idle sockets open through Nginx and NATs, and find dead ones. */
const PING_MS = 25_000;

export function createTerminalServer(options: TerminalServerOptions): Server {
  const { registry, assets, bridgeAddress, log } = options;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });

  const server = createServer((req, res) => {
    const visitor = identify(req.socket.remoteAddress, req.headers, bridgeAddress);
    if (visitor.kind === "untrusted") return refuse(res, 403, visitor.reason, log);
    const path = new URL(req.url ?? "/", "http://terminal.internal").pathname;
    const asset = assets.get(path === "/" ? "/index.html" : path);
    if (!asset || (req.method !== "GET" && req.method !== "HEAD")) return refuse(res, 404, `no ${path}`, null);
    res.writeHead(200, { "content-type": asset.type, "cache-control": path === "/" ? "no-store" : "no-cache", "content-length": asset.body.length, "x-content-type-options": "nosniff" });
    res.end(req.method === "HEAD" ? undefined : asset.body);
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const visitor = identify(req.socket.remoteAddress, req.headers, bridgeAddress);
    const url = new URL(req.url ?? "/", "http://terminal.internal");
    const session = TerminalSessionSchema.safeParse(url.searchParams.get("session") ?? DEFAULT_TERMINAL_SESSION);
    if (visitor.kind === "untrusted" || url.pathname !== TERMINAL_SOCKET_PATH || !session.success) {
      if (visitor.kind === "untrusted") log(`socket refused: ${visitor.reason}`);
      socket.end(`HTTP/1.1 ${visitor.kind === "untrusted" ? "403 Forbidden" : "404 Not Found"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const size = readSize(url);
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const client = socketClient(ws, visitor.user, visitor.access);
      log(`${visitor.user ?? "a link visitor"} (${visitor.access}) on session ${session.data}`);
      registry.attach(session.data, client, size);
      ws.on("message", (data, isBinary) => {
        if (isBinary) return;
        let json: unknown;
        try {
          json = JSON.parse(data.toString());
        } catch {
          return;
        }
        const message = TerminalClientMessageSchema.safeParse(json);
        if (!message.success) return;
        if (message.data.type === "input") {
          if (registry.input(client, message.data.data)) options.onVisitorInput?.();
        } else if (message.data.type === "size") registry.size(client, message.data.cols, message.data.rows);
        else if (registry.restart(client)) options.onVisitorInput?.();
      });
      let alive = true;
      ws.on("pong", () => (alive = true));
      const ping = setInterval(() => {
        if (!alive) return ws.terminate();
        alive = false;
        ws.ping();
      }, PING_MS);
      ws.on("close", () => {
        clearInterval(ping);
        registry.detach(client);
      });
      ws.on("error", () => ws.terminate());
    });
  });
  return server;
}

/** The size the page asks for in its socket's URL (`cols`, `rows`), so a new shell starts at it. */
function readSize(url: URL): { cols: number; rows: number } | null {
  const cols = Number(url.searchParams.get("cols"));
  const rows = Number(url.searchParams.get("rows"));
  return Number.isInteger(cols) && Number.isInteger(rows) && cols >= 2 && cols <= 1000 && rows >= 1 && rows <= 500 ? { cols, rows } : null;
}

function socketClient(ws: WebSocket, user: string | null, access: Client["access"]): Client {
  return {
    user,
    access,
    send: (message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    output: (data) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return ws.close(1013, "too slow: reconnect for a replay");
      ws.send(data, { binary: true });
    },
  };
}

function refuse(res: ServerResponse, status: number, reason: string, log: ((line: string) => void) | null): void {
  log?.(`refused: ${reason}`);
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(status === 403 ? "This terminal opens only through Kiln.\n" : "Not found.\n");
}
