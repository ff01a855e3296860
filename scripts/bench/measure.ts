/**
 * The measurements, the same for every server: a paced loop of single writes timed until
 * every other client has applied them (fan-out, and the writer's round-trip), and a bounded
 * sustained phase where every client writes as fast as its confirmations allow.
 */
import type { BenchClient } from "./clients";

export interface Summary {
  count: number;
  p50: number;
  p99: number;
}

/** Nearest-rank percentile of `values` (ms). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(values: readonly number[]): Summary {
  return { count: values.length, p50: percentile(values, 50), p99: percentile(values, 99) };
}

/** One write of the fan-out loop: sends it and resolves with the round-trip in ms (null: measured by the caller). */
export interface FanOutWrite {
  /** Sends write `seq` from `writer`; resolves with its round-trip in ms, or null when the server confirms nothing (peers). */
  send(writer: number, seq: number): Promise<number | null>;
  /** True once `client` shows write `seq` of `writer` in its doc. */
  seen(client: BenchClient, writer: number, seq: number): boolean;
}

/** A timed write, from its send until its last reader had it (or the time limit), in ms on `performance.now()`'s clock. */
export interface WriteWindow {
  start: number;
  end: number;
}

export interface FanOutResult {
  roundTrip: Summary;
  fanOut: Summary;
  /** Per write seen by every reader: when its first reader had it, and its last (ms). Shows a server's delay before sending apart from the readers' queue. */
  firstReader: Summary;
  lastReader: Summary;
  /** The write whose last reader came latest: when its first and its last reader had it (ms); null without a complete write. */
  slowest: { firstReader: number; lastReader: number } | null;
  /** Writes not seen by every reader within the time limit. */
  incomplete: number;
  /** Each timed write of this run; empty once pooled. */
  windows: WriteWindow[];
  /** Every timed value (ms), so that rounds can be pooled. */
  samples: FanOutSamples;
}

export interface FanOutSamples {
  roundTrips: number[];
  fanOuts: number[];
  /** Per write seen by every reader, in the same order: index i of both is the same write. */
  firstReaders: number[];
  lastReaders: number[];
}

/** The summaries of a set of samples (one round's, or several pooled). */
export function summarizeFanOut(samples: FanOutSamples, incomplete: number, windows: WriteWindow[] = []): FanOutResult {
  let slowest: FanOutResult["slowest"] = null;
  samples.lastReaders.forEach((lastReader, i) => {
    if (!slowest || lastReader > slowest.lastReader) slowest = { firstReader: samples.firstReaders[i]!, lastReader };
  });
  return { roundTrip: summarize(samples.roundTrips), fanOut: summarize(samples.fanOuts), firstReader: summarize(samples.firstReaders), lastReader: summarize(samples.lastReaders), slowest, incomplete, windows, samples };
}

/**
 * `warmUp` untimed writes, then `iterations` writes, one at a time, writers in turn; each write is timed until every other
 * client has applied it (or `timeoutMs` passes). Without a server confirmation, the round-trip
 * is the time until the next client (another connection) has it.
 */
export async function measureFanOut(
  clients: BenchClient[],
  write: FanOutWrite,
  options: { iterations: number; warmUp: number; gapMs: number; timeoutMs: number; firstSeq: number; progress: (done: number) => void },
): Promise<FanOutResult> {
  const samples: FanOutSamples = { roundTrips: [], fanOuts: [], firstReaders: [], lastReaders: [] };
  const windows: WriteWindow[] = [];
  let incomplete = 0;
  for (let i = -options.warmUp; i < options.iterations; i++) {
    // Warm-up writes (i < 0) run the same way and are not recorded.
    const record = i >= 0;
    const writer = (i + options.warmUp) % clients.length;
    const seq = options.firstSeq + options.warmUp + i;
    const pending = new Set(clients.keys());
    pending.delete(writer);
    const echo = (writer + 1) % clients.length;
    let echoMs: number | null = null;
    let firstMs: number | undefined;
    let done!: () => void;
    const allSeen = new Promise<void>((resolve) => (done = resolve));
    const t0 = performance.now();
    clients.forEach((client, index) => {
      if (index === writer) return;
      client.onApplied = () => {
        if (!pending.has(index) || !write.seen(client, writer, seq)) return;
        const ms = performance.now() - t0;
        firstMs ??= ms;
        pending.delete(index);
        if (record) samples.fanOuts.push(ms);
        if (index === echo) echoMs = ms;
        if (pending.size === 0) {
          if (record) {
            samples.firstReaders.push(firstMs);
            samples.lastReaders.push(ms);
          }
          done();
        }
      };
    });
    // Settled into a value at once, so a failure is not an unhandled rejection while we wait for the readers.
    const rtt = write.send(writer, seq).then(
      (ms) => ({ ms }),
      (error: unknown) => ({ error }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([allSeen, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.timeoutMs)))]);
    clearTimeout(timer);
    if (record) windows.push({ start: t0, end: performance.now() });
    const ack = await Promise.race([rtt, new Promise<null>((resolve) => setTimeout(() => resolve(null), options.timeoutMs))]);
    if (ack && "error" in ack) throw ack.error;
    if (pending.size > 0 && record) incomplete++;
    const roundTrip = ack?.ms ?? echoMs;
    if (roundTrip !== null && record) samples.roundTrips.push(roundTrip);
    for (const client of clients) client.onApplied = null;
    if (record) options.progress(i + 1);
    await new Promise((r) => setTimeout(r, options.gapMs));
  }
  return summarizeFanOut(samples, incomplete, windows);
}

export interface SustainedResult {
  /** Confirmed writes per second over the phase. */
  perSecond: number;
  confirmed: number;
  refused: number;
  seconds: number;
}

/**
 * Every client writes, waits for the server's confirmation, and writes again, for
 * `durationMs`; at most `maxPerClientPerSecond` per client when set (Kiln's per-connection
 * event limit). `send` resolves true when confirmed, false when refused.
 */
export async function measureSustained(clients: BenchClient[], send: (client: BenchClient, index: number) => Promise<boolean>, options: { durationMs: number; maxPerClientPerSecond?: number; progress: (confirmed: number) => void }): Promise<SustainedResult> {
  const minGap = options.maxPerClientPerSecond ? 1000 / options.maxPerClientPerSecond : 0;
  let confirmed = 0;
  let refused = 0;
  const start = performance.now();
  const end = start + options.durationMs;
  const ticker = setInterval(() => options.progress(confirmed), 1000);
  for (const client of clients) client.applying = false;
  try {
    await Promise.all(
      clients.map(async (client, index) => {
        let next = start;
        while (performance.now() < end && client.closed === null) {
          const wait = next - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (performance.now() >= end) break;
          next = Math.max(next + minGap, performance.now());
          if (await send(client, index)) confirmed++;
          else refused++;
        }
      }),
    );
  } finally {
    clearInterval(ticker);
    for (const client of clients) client.applying = true;
  }
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: confirmed / seconds, confirmed, refused, seconds };
}
