/**
 * The benchmark's scenarios against one server each: N clients on one project (or one
 * shared doc for the peers), the fan-out loop and the sustained phase; and the cold load of
 * large Kiln projects.
 */
import { placementsOf } from "../../gateway-do/src/modules/whiteboard/placements";
import type { GatewayTicket } from "./api";
import { BenchClient, openClients, type ServerKind } from "./clients";
import { type GcReport, poolGc } from "./gc-trace";
import { type FanOutResult, type FanOutSamples, type SustainedResult, measureFanOut, measureSustained, summarizeFanOut } from "./measure";

export interface ScaleSettings {
  fanOutIterations: number;
  gapMs: number;
  sustainedMs: number;
  /** Kiln's per-connection event limit (gateway-do/src/limits.ts: 20/s), kept under by the clients. */
  kilnPerClientPerSecond: number;
}

/** How Kiln's clients reach workerd under `wrangler dev`: through wrangler's dev proxy (as a browser does locally) or straight to workerd (as in production, where there is no such proxy). */
export type Route = "proxy" | "direct";

export interface ScaleResult {
  /** `kiln (proxy)`, `kiln (direct)` or a peer's name. */
  server: string;
  clients: number;
  fanOut: FanOutResult;
  sustained: SustainedResult;
  /** With `--gc-trace`: the server's collector pauses (workerd's for Kiln) against the timed writes. */
  gc?: GcReport;
}

/** One server and client count over every round: samples pooled, each round's fan-out p99 kept. */
export interface PooledResult extends ScaleResult {
  fanOutP99ByRound: number[];
}

/**
 * Pools the rounds of each server and client count: percentiles over all their samples,
 * sustained writes over all their seconds. The machine's noise differs from one round to the
 * next; the rounds interleave the servers, so each of them meets the same noise.
 */
export function poolRounds(results: readonly ScaleResult[]): PooledResult[] {
  const groups = new Map<string, ScaleResult[]>();
  for (const r of results) groups.set(`${r.clients}/${r.server}`, [...(groups.get(`${r.clients}/${r.server}`) ?? []), r]);
  return [...groups.values()].map((rounds) => {
    const pooled = (key: keyof FanOutSamples) => rounds.flatMap((r) => r.fanOut.samples[key]);
    const samples = { roundTrips: pooled("roundTrips"), fanOuts: pooled("fanOuts"), firstReaders: pooled("firstReaders"), lastReaders: pooled("lastReaders") };
    const confirmed = rounds.reduce((sum, r) => sum + r.sustained.confirmed, 0);
    const seconds = rounds.reduce((sum, r) => sum + r.sustained.seconds, 0);
    return {
      server: rounds[0]!.server,
      clients: rounds[0]!.clients,
      fanOut: summarizeFanOut(samples, rounds.reduce((sum, r) => sum + r.fanOut.incomplete, 0)),
      sustained: { perSecond: confirmed / seconds, confirmed, refused: rounds.reduce((sum, r) => sum + r.sustained.refused, 0), seconds },
      fanOutP99ByRound: rounds.map((r) => r.fanOut.fanOut.p99),
      gc: rounds.every((r) => r.gc) ? poolGc(rounds.map((r) => r.gc!)) : undefined,
    };
  });
}

type Progress = (line: string, final?: boolean) => void;

const withTimeout = <T>(promise: Promise<T>, ms: number, fallback: T) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(() => clearTimeout(timer));
};

/** Waits until every client holds `n` entries of the setup (so its broadcasts are not in the way of what is timed). */
async function settle(clients: BenchClient[], size: (c: BenchClient) => number, n: number): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (!clients.every((c) => size(c) >= n)) {
    if (performance.now() > deadline) throw new Error("the setup writes did not reach every client within 30 s");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const PLACEMENTS = "whiteboard/placements";
/** Writes before the timed ones, the same for every server: the first run after a restart is not steady state. */
const FAN_OUT_WARM_UP = 5;
const NOTE_X = 100_000;

/** N Kiln clients on one project: each moves its own note (`whiteboard:move`), everyone sees it. */
export async function runKilnScale(n: number, route: Route, ticketFor: (client: number) => GatewayTicket, settings: ScaleSettings, progress: Progress): Promise<ScaleResult> {
  const label = `kiln (${route})`;
  progress(`${label} · ${n} clients · connecting`);
  const clients = await openClients("kiln", n, (i) => `${ticketFor(i).url}?token=${encodeURIComponent(ticketFor(i).token)}&json=1`);
  try {
    progress(`${label} · ${n} clients · each creates its note`);
    // Setup: one note per client, found again by its (unique) x position.
    const created = await Promise.all(clients.map((c, i) => c.event("notes:create", { viewId: "main", x: NOTE_X + i, y: -1, text: `client ${i}` })));
    const refused = created.find((a) => !a.ok);
    if (refused) throw new Error(`notes:create refused: ${refused.error?.code}`);
    const notes = clients.map((c, i) => {
      for (const [key, p] of placementsOf(c.doc).entries()) if (p.x === NOTE_X + i) return { key, nodeId: p.nodeId };
      throw new Error(`client ${i} does not see its note`);
    });
    await settle(clients, (c) => c.doc.getMap(PLACEMENTS).size, n);
    const move = (i: number, y: number) => clients[i]!.event("whiteboard:move", { viewId: "main", moves: [{ nodeId: notes[i]!.nodeId, x: NOTE_X + i, y }] });
    const fanOut = await measureFanOut(
      clients,
      {
        async send(writer, seq) {
          const t0 = performance.now();
          const ack = await move(writer, seq);
          if (!ack.ok) throw new Error(`whiteboard:move refused: ${ack.error?.code}`);
          return performance.now() - t0;
        },
        seen: (client, writer, seq) => client.doc.getMap<{ y: number }>(PLACEMENTS).get(notes[writer]!.key)?.y === seq,
      },
      { iterations: settings.fanOutIterations, warmUp: FAN_OUT_WARM_UP, gapMs: settings.gapMs, timeoutMs: 10_000, firstSeq: 1, progress: (done) => progress(`${label} · ${n} clients · fan-out ${done}/${settings.fanOutIterations}`) },
    );
    let y = 1_000_000;
    const sustained = await measureSustained(clients, async (_c, i) => (await withTimeout(move(i, y++), 10_000, { ok: false })).ok, {
      durationMs: settings.sustainedMs,
      maxPerClientPerSecond: settings.kilnPerClientPerSecond,
      progress: (confirmed) => progress(`${label} · ${n} clients · sustained · ${confirmed} acks`),
    });
    progress(`${label} · ${n} clients · done`, true);
    return { server: label, clients: n, fanOut, sustained };
  } finally {
    for (const c of clients) c.close();
  }
}

/** N clients of a peer server on one doc: each writes its own key of a Y.Map, everyone sees it. */
export async function runPeerScale(kind: Exclude<ServerKind, "kiln">, port: number, n: number, settings: ScaleSettings, progress: Progress, round = 1): Promise<ScaleResult> {
  // A fresh doc each round, as Kiln gets a fresh project.
  const docName = `bench-${n}-${round}`;
  progress(`${kind} · ${n} clients · connecting`);
  const url = kind === "y-websocket" ? `ws://127.0.0.1:${port}/${docName}` : `ws://127.0.0.1:${port}`;
  const clients = await openClients(kind, n, () => url, docName);
  try {
    const entries = (c: BenchClient) => c.doc.getMap<number>("bench");
    // Setup: one entry per client, as Kiln's clients each have a note.
    clients.forEach((c, i) => entries(c).set(`w${i}`, -1));
    await settle(clients, (c) => entries(c).size, n);
    const fanOut = await measureFanOut(
      clients,
      {
        async send(writer, seq) {
          entries(clients[writer]!).set(`w${writer}`, seq);
          return null; // no confirmation on y-websocket's protocol: the next connection's view is the round-trip
        },
        seen: (client, writer, seq) => entries(client).get(`w${writer}`) === seq,
      },
      { iterations: settings.fanOutIterations, warmUp: FAN_OUT_WARM_UP, gapMs: settings.gapMs, timeoutMs: 10_000, firstSeq: 1, progress: (done) => progress(`${kind} · ${n} clients · fan-out ${done}/${settings.fanOutIterations}`) },
    );
    let value = 1_000_000;
    const sustained = await measureSustained(
      clients,
      (client, i) =>
        withTimeout(
          new Promise<boolean>((resolve) => {
            client.onOwnWrite = () => {
              client.onOwnWrite = null;
              resolve(true);
            };
            entries(client).set(`w${i}`, value++);
          }),
          10_000,
          false,
        ),
      { durationMs: settings.sustainedMs, progress: (confirmed) => progress(`${kind} · ${n} clients · sustained · ${confirmed} confirmed`) },
    );
    progress(`${kind} · ${n} clients · done`, true);
    return { server: kind, clients: n, fanOut, sustained };
  } finally {
    for (const c of clients) c.close();
  }
}

export interface ColdLoadSample {
  /** Connect → initial sync applied, on a project whose doc is not in memory. */
  coldMs: number;
  /** The same for a second client once the doc is loaded. */
  warmMs: number;
  /** Of coldMs: the client applying the initial sync step 2. */
  clientApplyMs: number;
}

/** Opens a client on a project not in memory, then a second one; both timed to their initial sync. */
export async function coldLoad(ticket: GatewayTicket): Promise<ColdLoadSample> {
  const url = `${ticket.url}?token=${encodeURIComponent(ticket.token)}&json=1`;
  const t0 = performance.now();
  const cold = await BenchClient.open("kiln", url);
  const coldMs = performance.now() - t0;
  const t1 = performance.now();
  const warm = await BenchClient.open("kiln", url);
  const warmMs = performance.now() - t1;
  cold.close();
  warm.close();
  return { coldMs, warmMs, clientApplyMs: cold.initialApplyMs };
}
