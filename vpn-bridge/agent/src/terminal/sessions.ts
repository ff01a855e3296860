/**
 * Shared terminals: one PTY per session name, and every page on that name sees its output
 * live. A page that drops comes back to the same PTY with its recent output replayed; a PTY
 * nobody is on lives on for `keepAliveMs`, then ends.
 *
 * Size: the smallest of the windows of the pages that may type (everyone's when none of them
 * is there), as tmux does, so whoever types sees the whole screen and a watcher's small
 * window shrinks nobody's. Applied at most every `resizeEveryMs` (the last size wins), so a
 * storm of window resizes costs a couple of ioctls and redraws, not hundreds.
 *
 * Who types: pages whose visitor has `write` (trust.ts). A watcher's input is dropped, and a
 * watcher cannot start a shell: it waits for someone who may.
 */
import type { VisitorAccess } from "../../../../protocol/containers.ts";
import type { TerminalServerMessage } from "../../../../protocol/terminal.ts";
import { RingBuffer } from "./ring-buffer.ts";
import { mayType } from "./trust.ts";

/** What the registry needs of a PTY (node-pty's IPty, narrowed). */
export interface Pty {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(): void;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exit: { exitCode: number; signal?: number }) => void): void;
}

export type SpawnPty = (cols: number, rows: number) => Pty;

/** One page on a session: what it is allowed, its window, and how to reach it. */
export interface Client {
  readonly user: string | null;
  readonly access: VisitorAccess;
  send(message: TerminalServerMessage): void;
  output(data: Buffer): void;
}

export interface RegistryOptions {
  spawn: SpawnPty;
  keepAliveMs?: number;
  resizeEveryMs?: number;
  bufferBytes?: number;
}

export const KEEP_ALIVE_MS = 10 * 60 * 1000;
export const RESIZE_EVERY_MS = 100;
const DEFAULT_SIZE = { cols: 80, rows: 24 };

interface Session {
  name: string;
  pty: Pty | null;
  /** The shell's exit code once it ended (null: it runs, or never ran). */
  ended: { code: number } | null;
  buffer: RingBuffer;
  clients: Map<Client, { cols: number; rows: number } | null>;
  size: { cols: number; rows: number };
  idle: ReturnType<typeof setTimeout> | null;
  resize: { timer: ReturnType<typeof setTimeout> | null; lastAt: number };
}

export class SessionRegistry {
  readonly #sessions = new Map<string, Session>();
  readonly #byClient = new Map<Client, Session>();
  readonly #spawn: SpawnPty;
  readonly #keepAliveMs: number;
  readonly #resizeEveryMs: number;
  readonly #bufferBytes: number | undefined;

  constructor(options: RegistryOptions) {
    this.#spawn = options.spawn;
    this.#keepAliveMs = options.keepAliveMs ?? KEEP_ALIVE_MS;
    this.#resizeEveryMs = options.resizeEveryMs ?? RESIZE_EVERY_MS;
    this.#bufferBytes = options.bufferBytes;
  }

  /** Session names that exist now (with a shell, an ended one, or watchers waiting). */
  names(): string[] {
    return [...this.#sessions.keys()];
  }

  /** Whether the session has a running shell. */
  running(name: string): boolean {
    return this.#sessions.get(name)?.pty != null;
  }

  /**
   * Puts a page on a session: a writer starts its shell if there is none yet (at the page's
   * size, if known); the page gets `hello`, the replay, and who else is there.
   */
  attach(name: string, client: Client, size: { cols: number; rows: number } | null = null): void {
    let session = this.#sessions.get(name);
    if (!session) {
      session = { name, pty: null, ended: null, buffer: new RingBuffer(this.#bufferBytes), clients: new Map(), size: size ?? DEFAULT_SIZE, idle: null, resize: { timer: null, lastAt: 0 } };
      this.#sessions.set(name, session);
    }
    if (session.idle) clearTimeout(session.idle);
    session.idle = null;
    session.clients.set(client, size);
    this.#byClient.set(client, session);
    const replay = session.buffer.contents();
    client.send({ type: "hello", session: name, user: client.user, access: client.access, cols: session.size.cols, rows: session.size.rows, replayed: replay.length, ended: session.ended !== null });
    if (replay.length > 0) client.output(replay);
    if (!session.pty && !session.ended) {
      if (mayType(client.access)) this.#start(session);
      else client.send({ type: "ended", why: "no-session", code: null });
    }
    this.#people(session);
    if (size) this.#scheduleResize(session);
  }

  /** Takes a page off its session (its socket closed). The shell stays for `keepAliveMs` once nobody is on. */
  detach(client: Client): void {
    const session = this.#byClient.get(client);
    if (!session) return;
    this.#byClient.delete(client);
    session.clients.delete(client);
    if (session.clients.size > 0) {
      this.#people(session);
      this.#scheduleResize(session);
      return;
    }
    if (!session.pty) return this.#forget(session);
    session.idle = setTimeout(() => {
      session.pty?.kill();
      this.#forget(session);
    }, this.#keepAliveMs);
  }

  /** Keystrokes from a page: to the shell for a writer; false when dropped. */
  input(client: Client, data: string): boolean {
    const session = this.#byClient.get(client);
    if (!session?.pty || !mayType(client.access)) return false;
    session.pty.write(data);
    return true;
  }

  /** A page's window size changed. */
  size(client: Client, cols: number, rows: number): void {
    const session = this.#byClient.get(client);
    if (!session) return;
    session.clients.set(client, { cols, rows });
    this.#scheduleResize(session);
  }

  /** A writer starts a new shell in a session whose shell ended. */
  restart(client: Client): boolean {
    const session = this.#byClient.get(client);
    if (!session || session.pty || !mayType(client.access)) return false;
    session.ended = null;
    this.#start(session);
    return true;
  }

  /** The container is stopping: every page is told, every shell ends. */
  stopAll(): void {
    for (const session of this.#sessions.values()) {
      for (const client of session.clients.keys()) client.send({ type: "ended", why: "stopping", code: null });
      if (session.idle) clearTimeout(session.idle);
      if (session.resize.timer) clearTimeout(session.resize.timer);
      const pty = session.pty;
      session.pty = null;
      pty?.kill();
    }
    this.#sessions.clear();
    this.#byClient.clear();
  }

  #start(session: Session): void {
    this.#applySize(session, true);
    let pty: Pty;
    try {
      pty = this.#spawn(session.size.cols, session.size.rows);
    } catch {
      // No PTY to be had (no /dev/pts, too many open): say so; a writer may try again.
      session.ended = { code: -1 };
      for (const client of session.clients.keys()) client.send({ type: "ended", why: "no-shell", code: null });
      return;
    }
    session.pty = pty;
    pty.onData((data) => {
      if (session.pty !== pty) return;
      const bytes = Buffer.from(data, "utf8");
      session.buffer.push(bytes);
      for (const client of session.clients.keys()) client.output(bytes);
    });
    pty.onExit(({ exitCode }) => {
      if (session.pty !== pty) return;
      session.pty = null;
      session.ended = { code: exitCode };
      for (const client of session.clients.keys()) client.send({ type: "ended", why: "exited", code: exitCode });
      if (session.clients.size === 0) this.#forget(session);
    });
  }

  #forget(session: Session): void {
    if (session.idle) clearTimeout(session.idle);
    if (session.resize.timer) clearTimeout(session.resize.timer);
    if (this.#sessions.get(session.name) === session) this.#sessions.delete(session.name);
  }

  #people(session: Session): void {
    const total = session.clients.size;
    const writers = [...session.clients.keys()].filter((client) => mayType(client.access)).length;
    for (const client of session.clients.keys()) client.send({ type: "people", total, writers });
  }

  /** At most one resize per `resizeEveryMs`: now if the last was long enough ago, else once the wait is over. */
  #scheduleResize(session: Session): void {
    if (session.resize.timer) return;
    const wait = session.resize.lastAt + this.#resizeEveryMs - Date.now();
    if (wait <= 0) return this.#applySize(session, true);
    session.resize.timer = setTimeout(() => {
      session.resize.timer = null;
      this.#applySize(session, true);
    }, wait);
  }

  #applySize(session: Session, tell: boolean): void {
    session.resize.lastAt = Date.now();
    const sizes = [...session.clients.entries()].flatMap(([client, size]) => (size ? [{ writer: mayType(client.access), ...size }] : []));
    const writers = sizes.filter((size) => size.writer);
    const counted = writers.length > 0 ? writers : sizes;
    if (counted.length === 0) return;
    const next = { cols: Math.min(...counted.map((s) => s.cols)), rows: Math.min(...counted.map((s) => s.rows)) };
    if (next.cols === session.size.cols && next.rows === session.size.rows) return;
    session.size = next;
    session.pty?.resize(next.cols, next.rows);
    if (tell) for (const client of session.clients.keys()) client.send({ type: "size", ...next });
  }
}
