/**
 * A WebSocket-to-TCP proxy for Postgres, speaking what `@neondatabase/serverless` expects
 * of Neon's proxy (`ws://host/v2?address=db:5432`, binary frames, no TLS). It lets the
 * worker use the production driver against a local database.
 *
 * With `serialize` (for PGlite, a single backend) only one client session talks to the
 * database between idle points: a session holds the database from its first request until
 * the server reports it idle outside a transaction with every request answered.
 */
import { createConnection, type Socket } from "node:net";
import { createServer, type Server } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { FrameReader } from "./pg-frames";

export interface DbProxyOptions {
  /** The only database address clients may ask for, `host:port`. */
  target: string;
  port: number;
  host?: string;
  serialize: boolean;
}

export interface DbProxy {
  port: number;
  close(): Promise<void>;
}

/** Hands the single database to one session at a time. */
class SessionLock {
  private holder: object | null = null;
  private waiters: { owner: object; grant: () => void }[] = [];

  acquire(owner: object, grant: () => void): void {
    if (this.holder === owner) return grant();
    if (this.holder === null) {
      this.holder = owner;
      return grant();
    }
    if (!this.waiters.some((w) => w.owner === owner)) this.waiters.push({ owner, grant });
  }

  release(owner: object): void {
    this.waiters = this.waiters.filter((w) => w.owner !== owner);
    if (this.holder !== owner) return;
    const next = this.waiters.shift();
    this.holder = next?.owner ?? null;
    next?.grant();
  }
}

/** Starts the proxy; resolves once it listens. */
export async function startDbProxy(options: DbProxyOptions): Promise<DbProxy> {
  const lock = new SessionLock();
  const target = splitHostPort(options.target);
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("Kiln database proxy: connect with a WebSocket.\n");
  });
  const wss = new WebSocketServer({ server: http });

  wss.on("connection", (ws, req) => {
    const address = new URL(req.url ?? "/", "http://proxy").searchParams.get("address");
    const [host, port] = splitHostPort(address ?? "");
    // Compared as parts: clients may write an IPv6 host with or without brackets.
    if (host !== target[0] || port !== target[1]) {
      ws.close(1008, `this proxy only reaches ${options.target}`);
      return;
    }
    const tcp = createConnection({ host, port });
    tcp.setNoDelay(true);
    if (options.serialize) relaySerialized(ws, tcp, lock);
    else relay(ws, tcp);
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const bound = http.address();
  return {
    port: typeof bound === "object" && bound ? bound.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
}

/** `host:port` to its parts; an IPv6 host comes bracketed (`[::1]:5432`) and leaves without them. */
export function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(":");
  return [address.slice(0, i).replace(/^\[(.*)\]$/, "$1"), Number(address.slice(i + 1))];
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function closeBoth(ws: WebSocket, tcp: Socket): void {
  tcp.destroy();
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
}

/** A plain pipe, for a real Postgres server. */
function relay(ws: WebSocket, tcp: Socket): void {
  ws.on("message", (data) => tcp.write(toBuffer(data)));
  tcp.on("data", (data) => ws.send(data));
  ws.on("close", () => closeBoth(ws, tcp));
  ws.on("error", () => closeBoth(ws, tcp));
  tcp.on("close", () => closeBoth(ws, tcp));
  tcp.on("error", () => closeBoth(ws, tcp));
}

/** A pipe that holds the session lock while this client has a request or a transaction open. */
function relaySerialized(ws: WebSocket, tcp: Socket, lock: SessionLock): void {
  const session = {};
  const fromClient = new FrameReader(true);
  const fromServer = new FrameReader(false);
  let held = false;
  let pending: Buffer[] = [];
  let awaitingReady = 0; // requests sent whose ReadyForQuery has not come back
  let awaitingSslByte = false;
  let inTransaction = false;
  let terminated = false; // the client said goodbye and will close the WebSocket itself

  const end = () => {
    lock.release(session);
    if (terminated) tcp.destroy();
    else closeBoth(ws, tcp);
  };
  const flush = () => {
    held = true;
    for (const chunk of pending) tcp.write(chunk);
    pending = [];
  };

  ws.on("message", (data) => {
    const chunk = toBuffer(data);
    for (const message of fromClient.push(chunk)) {
      // Terminate expects no answer: end the database session here rather than queue for
      // the lock, and leave closing the WebSocket to the client, which does it next.
      if (message.type === "X") {
        terminated = true;
        return end();
      }
      if (message.type === "ssl") awaitingSslByte = true;
      // The startup packet, a simple Query and a Sync each end with one ReadyForQuery.
      else if (message.type === "" || message.type === "Q" || message.type === "S") awaitingReady++;
    }
    pending.push(chunk);
    if (held) flush();
    else lock.acquire(session, flush);
  });

  tcp.on("data", (data) => {
    // The answer to an SSL request is one bare byte ahead of the framed messages.
    const framed = awaitingSslByte ? data.subarray(1) : data;
    awaitingSslByte = false;
    for (const message of fromServer.push(framed)) {
      if (message.type !== "Z") continue;
      awaitingReady = Math.max(0, awaitingReady - 1);
      inTransaction = message.body[0] !== "I".charCodeAt(0);
    }
    ws.send(data);
    if (held && awaitingReady === 0 && !inTransaction && pending.length === 0) {
      held = false;
      lock.release(session);
    }
  });

  ws.on("close", end);
  ws.on("error", end);
  tcp.on("close", end);
  tcp.on("error", end);
}
