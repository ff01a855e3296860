/** How a run's outputs are gathered for the gateway: at once first, then in short windows; joined streams; the cap. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CELL_OUTPUT_CAP_BYTES, MAX_OUTPUT_BYTES, OUTPUT_BATCH_BYTES, outputBytes } from "../../protocol/jupyter.ts";
import { type Batch, OutputBatcher } from "../src/jupyter/output-batcher.ts";

describe("OutputBatcher", () => {
  let batches: Batch[];
  let batcher: OutputBatcher;
  beforeEach(() => {
    vi.useFakeTimers();
    batches = [];
    batcher = new OutputBatcher((b) => batches.push(b), 30, () => Date.now());
  });
  afterEach(() => vi.useRealTimers());

  it("sends the first output at once, then joins what comes within the window", () => {
    batcher.add({ type: "result", count: 1, data: { "text/plain": "2" } });
    expect(batches).toHaveLength(1);
    batcher.add({ type: "stream", name: "stdout", text: "a\n" });
    batcher.add({ type: "stream", name: "stdout", text: "b\n" });
    batcher.add({ type: "stream", name: "stderr", text: "oops\n" });
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(30);
    expect(batches[1]).toEqual({
      outputs: [
        { type: "stream", name: "stdout", text: "a\nb\n" },
        { type: "stream", name: "stderr", text: "oops\n" },
      ],
      dropped: 0,
    });
    batcher.flush();
    expect(batches).toHaveLength(2);
  });

  it("keeps the beginning of a flood up to the cap, counts the rest, and keeps every batch below a frame", () => {
    const line = `${"x".repeat(99)}\n`;
    for (let i = 0; i < 100; i++) batcher.add({ type: "stream", name: "stdout", text: line.repeat(1000) });
    batcher.flush();
    const kept = batches.flatMap((b) => b.outputs).reduce((n, o) => n + outputBytes(o), 0);
    const dropped = batches.reduce((n, b) => n + b.dropped, 0);
    expect(kept).toBeLessThanOrEqual(CELL_OUTPUT_CAP_BYTES);
    expect(kept).toBeGreaterThan(CELL_OUTPUT_CAP_BYTES - 1000);
    expect(kept + dropped).toBeGreaterThanOrEqual(100 * outputBytes({ type: "stream", name: "stdout", text: line.repeat(1000) }) - 100 * 200);
    for (const batch of batches) expect(batch.outputs.reduce((n, o) => n + outputBytes(o), 0)).toBeLessThanOrEqual(Math.max(OUTPUT_BATCH_BYTES, MAX_OUTPUT_BYTES));
  });

  it("drops a single display too large for a frame, saying so", () => {
    batcher.add({ type: "display", data: { "image/png": "A".repeat(MAX_OUTPUT_BYTES + 10) } });
    // After a cut nothing more is kept: the cell shows the run's beginning.
    batcher.add({ type: "stream", name: "stdout", text: "after" });
    batcher.flush();
    expect(batches.flatMap((b) => b.outputs)).toEqual([{ type: "notice", text: expect.stringContaining("too large to show") }]);
    expect(batches.reduce((n, b) => n + b.dropped, 0)).toBe(MAX_OUTPUT_BYTES + 10 + outputBytes({ type: "display", data: { "image/png": "" } }) + outputBytes({ type: "stream", name: "stdout", text: "after" }));
  });

  it("sends nothing after cancel", () => {
    batcher.add({ type: "stream", name: "stdout", text: "a" });
    batcher.add({ type: "stream", name: "stdout", text: "b" });
    batcher.cancel();
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(1);
  });
});
