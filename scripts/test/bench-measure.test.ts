/** The benchmark's own arithmetic: percentiles and the per-write first/last reader pairing. */
import { describe, expect, it } from "vitest";
import type { BenchClient } from "../bench/clients";
import { measureFanOut, percentile, summarizeFanOut } from "../bench/measure";

describe("bench measurements", () => {
  it("takes nearest-rank percentiles, so p99 of 100 values is the 99th", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values.slice(0, 90), 99)).toBe(100);
    expect(percentile([], 50)).toBeNaN();
  });

  it("names the slowest write by its last reader, with that same write's first reader", () => {
    const result = summarizeFanOut({ roundTrips: [], fanOuts: [], firstReaders: [2, 40, 3], lastReaders: [10, 45, 50] }, 0);
    expect(result.slowest).toEqual({ firstReader: 3, lastReader: 50 });
    expect(summarizeFanOut({ roundTrips: [], fanOuts: [], firstReaders: [], lastReaders: [] }, 1).slowest).toBeNull();
  });

  it("pairs first and last readers per complete write, leaving a write nobody finished out of both", async () => {
    // Three fake clients; each write `seq` is "seen" by a reader once its doc holds it. Write 2 never reaches client 2.
    const seen = new Map<BenchClient, Set<number>>();
    const clients = [0, 1, 2].map(() => ({ onApplied: null as (() => void) | null }) as unknown as BenchClient);
    for (const c of clients) seen.set(c, new Set());
    const result = await measureFanOut(
      clients,
      {
        async send(writer, seq) {
          clients.forEach((client, index) => {
            if (index === writer || (seq === 2 && index === 2)) return;
            setTimeout(() => {
              seen.get(client)!.add(seq);
              client.onApplied?.();
            }, 5 * (index + 1));
          });
          return 1;
        },
        seen: (client, _writer, seq) => seen.get(client)!.has(seq),
      },
      { iterations: 3, warmUp: 0, gapMs: 0, timeoutMs: 100, firstSeq: 1, progress: () => {} },
    );
    expect(result.incomplete).toBe(1);
    expect(result.samples.firstReaders).toHaveLength(2);
    expect(result.samples.lastReaders).toHaveLength(2);
    result.samples.firstReaders.forEach((first, i) => expect(first).toBeLessThanOrEqual(result.samples.lastReaders[i]!));
    expect(result.samples.fanOuts).toHaveLength(5);
  });
});
