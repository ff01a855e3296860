import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { VisitorAccess } from "../../../protocol/containers.ts";
import type { TerminalServerMessage } from "../../../protocol/terminal.ts";
import { type Client, type Pty, SessionRegistry } from "../src/terminal/sessions.ts";

/** A PTY that echoes what it is sent and records its sizes. */
class FakePty implements Pty {
  written: string[] = [];
  sizes: [number, number][] = [];
  killed = false;
  #data: ((data: string) => void)[] = [];
  #exit: ((exit: { exitCode: number }) => void)[] = [];
  constructor(
    public cols: number,
    public rows: number,
  ) {}
  write(data: string) {
    this.written.push(data);
    this.emit(data);
  }
  resize(cols: number, rows: number) {
    this.sizes.push([cols, rows]);
  }
  kill() {
    this.killed = true;
  }
  onData(listener: (data: string) => void) {
    this.#data.push(listener);
  }
  onExit(listener: (exit: { exitCode: number }) => void) {
    this.#exit.push(listener);
  }
  emit(data: string) {
    for (const listener of this.#data) listener(data);
  }
  exit(code: number) {
    for (const listener of this.#exit) listener({ exitCode: code });
  }
}

class Page implements Client {
  messages: TerminalServerMessage[] = [];
  screen = "";
  constructor(
    readonly access: VisitorAccess,
    readonly user: string | null = access === "write" ? "ada" : "ben",
  ) {}
  send(message: TerminalServerMessage) {
    this.messages.push(message);
  }
  output(data: Buffer) {
    this.screen += data.toString();
  }
  last<T extends TerminalServerMessage["type"]>(type: T) {
    return this.messages.filter((m): m is Extract<TerminalServerMessage, { type: T }> => m.type === type).at(-1);
  }
}

let ptys: FakePty[];
let registry: SessionRegistry;

beforeEach(() => {
  vi.useFakeTimers();
  ptys = [];
  registry = new SessionRegistry({
    spawn: (cols, rows) => {
      const pty = new FakePty(cols, rows);
      ptys.push(pty);
      return pty;
    },
    keepAliveMs: 10 * 60_000,
    resizeEveryMs: 100,
  });
});
afterEach(() => vi.useRealTimers());

describe("shared terminal sessions", () => {
  it("gives a writer a shell at its size and everyone on the session the same output, live", () => {
    const ada = new Page("write");
    const cyd = new Page("write", "cyd");
    registry.attach("main", ada, { cols: 120, rows: 40 });
    expect(ptys).toHaveLength(1);
    expect([ptys[0]!.cols, ptys[0]!.rows]).toEqual([120, 40]);
    registry.attach("main", cyd, null);
    expect(ptys).toHaveLength(1);
    expect(registry.input(ada, "echo hi\r")).toBe(true);
    expect(registry.input(cyd, "ls\r")).toBe(true);
    expect(ada.screen).toBe("echo hi\rls\r");
    expect(cyd.screen).toBe("echo hi\rls\r");
    expect(cyd.last("people")).toEqual({ type: "people", total: 2, writers: 2 });
  });

  it("drops a watcher's keystrokes and never lets a watcher start a shell", () => {
    const ben = new Page("read");
    registry.attach("main", ben, { cols: 80, rows: 24 });
    expect(ptys).toHaveLength(0);
    expect(ben.last("ended")).toEqual({ type: "ended", why: "no-session", code: null });
    const ada = new Page("write");
    registry.attach("main", ada, { cols: 80, rows: 24 });
    expect(ptys).toHaveLength(1);
    expect(registry.input(ben, "rm -rf /\r")).toBe(false);
    expect(ptys[0]!.written).toEqual([]);
    registry.input(ada, "date\r");
    expect(ben.screen).toBe("date\r");
    expect(ben.last("hello")).toMatchObject({ access: "read", user: "ben" });
    expect(registry.restart(ben)).toBe(false);
  });

  it("keeps the shell when every page drops, replays its output to the next, and ends it after the keep-alive", () => {
    const first = new Page("write");
    registry.attach("main", first, { cols: 80, rows: 24 });
    registry.input(first, "echo hello-42\r");
    registry.detach(first);
    vi.advanceTimersByTime(9 * 60_000);
    expect(ptys[0]!.killed).toBe(false);
    const again = new Page("write");
    registry.attach("main", again, { cols: 80, rows: 24 });
    expect(ptys).toHaveLength(1);
    expect(again.last("hello")).toMatchObject({ replayed: "echo hello-42\r".length, ended: false });
    expect(again.screen).toBe("echo hello-42\r");
    registry.detach(again);
    vi.advanceTimersByTime(10 * 60_000);
    expect(ptys[0]!.killed).toBe(true);
    expect(registry.names()).toEqual([]);
    registry.attach("main", new Page("write"), null);
    expect(ptys).toHaveLength(2);
  });

  it("keeps sessions apart by name", () => {
    const a = new Page("write");
    const b = new Page("write");
    registry.attach("main", a, null);
    registry.attach("build", b, null);
    registry.input(a, "one");
    expect(b.screen).toBe("");
    expect(registry.names().sort()).toEqual(["build", "main"]);
  });

  it("sizes the shell to the smallest window of those who type; a watcher's small window shrinks nobody's", () => {
    const ada = new Page("write");
    const cyd = new Page("write", "cyd");
    const ben = new Page("read");
    registry.attach("main", ada, { cols: 200, rows: 50 });
    registry.attach("main", cyd, { cols: 100, rows: 60 });
    vi.advanceTimersByTime(200);
    expect(ptys[0]!.sizes.at(-1)).toEqual([100, 50]);
    expect(ben.messages).toEqual([]);
    registry.attach("main", ben, { cols: 40, rows: 10 });
    vi.advanceTimersByTime(200);
    expect(ptys[0]!.sizes.at(-1)).toEqual([100, 50]);
    expect(ben.last("hello")).toMatchObject({ cols: 100, rows: 50 });
    registry.detach(cyd);
    vi.advanceTimersByTime(200);
    expect(ptys[0]!.sizes.at(-1)).toEqual([200, 50]);
    expect(ben.last("size")).toEqual({ type: "size", cols: 200, rows: 50 });
  });

  it("takes a resize storm as a couple of resizes, ending at the last size", () => {
    const ada = new Page("write");
    registry.attach("main", ada, { cols: 80, rows: 24 });
    vi.advanceTimersByTime(1_000);
    const before = ptys[0]!.sizes.length;
    for (let i = 0; i < 1_000; i++) registry.size(ada, 80 + (i % 50), 24 + (i % 10));
    registry.size(ada, 132, 43);
    vi.advanceTimersByTime(500);
    const storm = ptys[0]!.sizes.slice(before);
    expect(storm.length).toBeLessThanOrEqual(2);
    expect(storm.at(-1)).toEqual([132, 43]);
    expect(ada.last("size")).toEqual({ type: "size", cols: 132, rows: 43 });
  });

  it("tells everyone when the shell ends; a writer starts a new one in the same session", () => {
    const ada = new Page("write");
    const ben = new Page("read");
    registry.attach("main", ada, null);
    registry.attach("main", ben, null);
    ptys[0]!.exit(0);
    expect(ada.last("ended")).toEqual({ type: "ended", why: "exited", code: 0 });
    expect(ben.last("ended")).toEqual({ type: "ended", why: "exited", code: 0 });
    expect(registry.input(ada, "x")).toBe(false);
    const late = new Page("write", "cyd");
    registry.attach("main", late, null);
    expect(late.last("hello")).toMatchObject({ ended: true });
    expect(ptys).toHaveLength(1);
    expect(registry.restart(ada)).toBe(true);
    expect(ptys).toHaveLength(2);
    expect(registry.input(ada, "pwd\r")).toBe(true);
    expect(ben.screen).toBe("pwd\r");
  });

  it("says so when no shell can start, and lets a writer try again", () => {
    let fail = true;
    const flaky = new SessionRegistry({
      spawn: (cols, rows) => {
        if (fail) throw new Error("forkpty(3) failed.");
        return new FakePty(cols, rows);
      },
    });
    const ada = new Page("write");
    flaky.attach("main", ada, null);
    expect(ada.last("ended")).toEqual({ type: "ended", why: "no-shell", code: null });
    fail = false;
    expect(flaky.restart(ada)).toBe(true);
    expect(flaky.running("main")).toBe(true);
  });

  it("on stop, tells every page the container is stopping and ends every shell", () => {
    const ada = new Page("write");
    const ben = new Page("read");
    registry.attach("main", ada, null);
    registry.attach("other", ben, null);
    registry.attach("other", new Page("write"), null);
    registry.stopAll();
    expect(ptys.every((pty) => pty.killed)).toBe(true);
    expect(ada.last("ended")).toEqual({ type: "ended", why: "stopping", code: null });
    expect(ben.last("ended")).toEqual({ type: "ended", why: "stopping", code: null });
    expect(registry.names()).toEqual([]);
  });
});
