/** `--gc-trace`'s reading of `perf script` output and of a peer's `gc` lines, and its count of the writes a collection held up. */
import { describe, expect, it } from "vitest";
import { heldWrites, nodeGcLine, parseNodeGcLine, parsePauses, poolGc } from "../bench/gc-trace";

/** One sample in `perf script -F tid,time,ip,sym` form: a header, then the stack, innermost frame first. */
const sample = (tid: number, seconds: number, frames: string[]) => ` ${tid} ${seconds.toFixed(6)}: \n${frames.map((f, i) => `\t         ${(0x3790000 + i).toString(16)} ${f}`).join("\n")}\n`;
const GC = ["v8::internal::MarkingVisitorBase<v8::internal::MainMarkingVisitor>::ProcessStrongHeapObject", "v8::internal::Heap::CollectGarbage", "workerd::api::WebSocket::send"];
const FULL_GC = ["v8::internal::MarkingVisitorBase<v8::internal::MainMarkingVisitor>::ProcessStrongHeapObject", "v8::internal::MarkCompactCollector::MarkLiveObjects", "v8::internal::Heap::MarkCompact", ...GC.slice(1)];
const YOUNG_GC = ["v8::internal::ScavengerCollector::CollectGarbage", "v8::internal::Heap::CollectGarbage", "workerd::api::WebSocket::send"];
const JS = ["Builtins_CallFunction_ReceiverIsNotNullOrUndefined", "workerd::jsg::Lock::runMicrotasks"];

describe("gc trace", () => {
  // Main thread 100: JavaScript at 10.000 s, a full collection sampled from 10.001 to 10.008 s (one sample shows its
  // marking) with the thread asleep from 10.003 to 10.007 (waiting for V8's helpers), JavaScript again, then a 2 ms
  // collection (too short to report). Thread 101 (a V8 helper) collects too, and is not the main thread.
  const script = [
    sample(100, 10.0, JS),
    ...[1, 2, 3, 7, 8].map((ms) => sample(100, 10 + ms / 1000, ms === 2 ? FULL_GC : GC)),
    sample(101, 10.003, ["v8::internal::MarkCompactCollector::ClearNonLiveReferences", "v8::internal::ConcurrentMarking::Run"]),
    sample(100, 10.01, JS),
    sample(100, 10.02, GC),
    sample(100, 10.021, GC),
    sample(100, 10.03, JS),
  ].join("\n");

  it("finds the main thread's pauses and ignores the helper threads", () => {
    const pauses = parsePauses(script, 100);
    expect(pauses).toHaveLength(2);
    expect(pauses[0]!.start).toBeCloseTo(10_001, 3);
    expect(pauses[0]!.end).toBeCloseTo(10_009, 3);
    expect(pauses[1]!.end - pauses[1]!.start).toBeCloseTo(2, 3);
    expect(parsePauses(script, 101)).toHaveLength(1);
  });

  it("tells a full collection from a young-generation one", () => {
    expect(parsePauses(script, 100).map((p) => p.full)).toEqual([true, false]);
    const young = [sample(100, 20, JS), ...[1, 2, 3, 4, 5, 6].map((ms) => sample(100, 20 + ms / 1000, YOUNG_GC)), sample(100, 20.01, JS)].join("\n");
    expect(parsePauses(young, 100)).toEqual([{ start: expect.closeTo(20_001, 3), end: expect.closeTo(20_007, 3), full: false }]);
  });

  it("counts a write held only by a pause of at least 5 ms that overlaps it, on the shared clock", () => {
    const pauses = parsePauses(script, 100);
    // performance.now() runs 10,000 ms behind the monotonic clock here.
    const windows = [
      { start: 0.5, end: 3 }, // overlaps the 8 ms pause
      { start: 19.5, end: 22 }, // overlaps only the 2 ms one
      { start: 40, end: 50 }, // nothing
    ];
    const report = { pauses: 1, fullPauses: 1, longestMs: expect.closeTo(8, 3), writes: 3 };
    expect(heldWrites(windows, pauses, 10_000)).toEqual({ ...report, held: 1, longestHeldMs: expect.closeTo(8, 3) });
    expect(heldWrites(windows, pauses, 0)).toEqual({ ...report, held: 0, longestHeldMs: 0 });
  });

  it("reads a peer server's gc lines onto this process's clock", () => {
    const origin = 1_700_000_000_000.25;
    const line = nodeGcLine(origin + 1500.5, 6.25, true);
    expect(line).toBe("gc 1700000001500.750 6.250 major");
    const pause = parseNodeGcLine(line, origin);
    expect(pause).toEqual({ start: expect.closeTo(1500.5, 3), end: expect.closeTo(1506.75, 3), full: true });
    expect(parseNodeGcLine(nodeGcLine(origin + 10, 1, false), origin)?.full).toBe(false);
    expect(parseNodeGcLine("listening 4321", origin)).toBeNull();
    // Already on this clock: a write from 1,503 to 1,520 ms is held by it.
    expect(heldWrites([{ start: 1503, end: 1520 }], [pause!], 0)).toEqual({ pauses: 1, fullPauses: 1, longestMs: expect.closeTo(6.25, 3), writes: 1, held: 1, longestHeldMs: expect.closeTo(6.25, 3) });
  });

  it("pools runs", () => {
    const run = (pauses: number, fullPauses: number, longestMs: number, held: number, longestHeldMs: number) => ({ pauses, fullPauses, longestMs, writes: 30, held, longestHeldMs });
    expect(poolGc([run(1, 1, 40, 1, 40), run(2, 0, 9, 0, 0)])).toEqual({ pauses: 3, fullPauses: 1, longestMs: 40, writes: 60, held: 1, longestHeldMs: 40 });
  });
});
