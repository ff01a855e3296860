import { describe, expect, it } from "vitest";
import { DEFAULT_RING_BYTES, RingBuffer } from "../src/terminal/ring-buffer.ts";

describe("the terminal's ring buffer", () => {
  it("keeps everything below its capacity, in order", () => {
    const ring = new RingBuffer(100);
    ring.push("one\r\n");
    ring.push(Buffer.from("two\r\n"));
    expect(ring.contents().toString()).toBe("one\r\ntwo\r\n");
    expect(ring.size).toBe(10);
  });

  it("drops the oldest bytes first and starts the replay at a whole line", () => {
    const ring = new RingBuffer(64);
    for (let i = 0; i < 100; i++) ring.push(`line ${String(i).padStart(3, "0")}\r\n`);
    const text = ring.contents().toString();
    expect(ring.size).toBeLessThanOrEqual(64);
    expect(text.startsWith("line ")).toBe(true);
    expect(text.endsWith("line 099\r\n")).toBe(true);
    expect(text.split("\r\n").filter(Boolean).every((line) => /^line \d{3}$/.test(line))).toBe(true);
  });

  it("keeps the tail of one write bigger than itself", () => {
    const ring = new RingBuffer(16);
    ring.push("x".repeat(30) + "\nabcdefghij");
    expect(ring.contents().toString()).toBe("abcdefghij");
  });

  it("holds 5,000 lines of a wide coloured listing by default", () => {
    const ring = new RingBuffer();
    const line = (i: number) => `\x1b[01;34mdrwxr-xr-x\x1b[0m 2 root root 4096 Dec  2 10:41 ${"name-".repeat(20)}${i}\r\n`;
    for (let i = 0; i < 5_000; i++) ring.push(line(i));
    const text = ring.contents().toString();
    expect(text.startsWith(line(0))).toBe(true);
    expect(text.endsWith(line(4_999))).toBe(true);
    expect(DEFAULT_RING_BYTES).toBeGreaterThanOrEqual(5_000 * line(4_999).length);
  });

  it("empties on clear", () => {
    const ring = new RingBuffer(10);
    ring.push("abc");
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.contents().length).toBe(0);
  });
});
